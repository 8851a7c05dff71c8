//! Media composites: `Composite:AvgBitrate`, `Rotation`, `ImageSize`/`Megapixels` and the
//! GPS position of QuickTime movies (from `GPSCoordinates` or 3GPP `LocationInformation`).

use crate::model::{Tag, Value, find_tag};

const QT: &str = "QuickTime";

/// Whether the tags are a QuickTime movie's (media composites apply).
pub(crate) fn is_movie(tags: &[Tag]) -> bool {
    tags.iter().any(|t| t.group == QT)
}

/// Derives media composites from a movie's tags, appending them.
pub(crate) fn derive(tags: &mut Vec<Tag>) {
    // Average bit rate: media data bytes over the movie duration.
    let mdat: Option<f64> = tags
        .iter()
        .filter(|t| t.group == QT && t.name == "MediaDataSize")
        .filter_map(|t| t.value.as_f64())
        .reduce(|a, b| a + b);
    let duration = find_tag(tags, QT, "Duration").and_then(|t| t.value.as_f64());
    if let (Some(bytes), Some(secs)) = (mdat, duration) {
        if secs > 0.0 && !has(tags, "AvgBitrate") {
            tags.push(Tag::new("Composite", "AvgBitrate", (bytes * 8.0 / secs + 0.5).floor()));
        }
    }
    if let Some(r) = video_rotation(tags) {
        if !has(tags, "Rotation") {
            tags.push(Tag::new("Composite", "Rotation", r));
        }
    }
    if !has(tags, "ImageSize") {
        let w = find_tag(tags, QT, "ImageWidth").and_then(|t| t.value.as_f64());
        let h = find_tag(tags, QT, "ImageHeight").and_then(|t| t.value.as_f64());
        if let (Some(w), Some(h)) = (w, h) {
            tags.push(Tag::new("Composite", "ImageSize", format!("{w} {h}")));
            if !has(tags, "Megapixels") {
                tags.push(Tag::new("Composite", "Megapixels", w * h / 1e6));
            }
        }
    }
    let exif_gps = find_tag(tags, "EXIF", "GPSLatitude").is_some();
    if !exif_gps && !has(tags, "GPSLatitude") {
        if let Some(pos) = movie_position(tags) {
            push_position(tags, pos);
        }
    }
}

/// Whether `Composite:<name>` is already there (from the file or derived).
fn has(tags: &[Tag], name: &str) -> bool {
    find_tag(tags, "Composite", name).is_some()
}

/// Rotation (degrees clockwise) of the first video track, from its matrix.
fn video_rotation(tags: &[Tag]) -> Option<i64> {
    let track = tags
        .iter()
        .find(|t| t.group == QT && t.name == "HandlerType" && t.value.as_str() == Some("vide"))?
        .subgroup
        .as_deref()?;
    let matrix = tags
        .iter()
        .find(|t| t.group == QT && t.name == "MatrixStructure" && t.subgroup.as_deref() == Some(track))?;
    let m: Vec<f64> = matrix.value.as_str()?.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    let (a, b) = (*m.first()?, *m.get(1)?);
    Some((b.atan2(a).to_degrees().round() as i64).rem_euclid(360))
}

/// Latitude, longitude, altitude as written (text) from the movie's location tags.
fn movie_position(tags: &[Tag]) -> Option<[Option<String>; 3]> {
    if let Some(v) = find_tag(tags, QT, "GPSCoordinates").and_then(|t| t.value.as_str()) {
        let mut it = v.split_whitespace().map(str::to_owned);
        let (lat, lon) = (it.next()?, it.next()?);
        return Some([Some(lat), Some(lon), it.next()]);
    }
    let info = find_tag(tags, QT, "LocationInformation").and_then(|t| t.value.as_str())?;
    let field = |key: &str| info.split_whitespace().find_map(|w| w.strip_prefix(key)).map(str::to_owned);
    Some([Some(field("Lat=")?), Some(field("Lon=")?), field("Alt=")])
}

fn push_position(out: &mut Vec<Tag>, [lat, lon, alt]: [Option<String>; 3]) {
    let (Some(lat), Some(lon)) = (lat, lon) else { return };
    let (Ok(la), Ok(lo)) = (lat.parse::<f64>(), lon.parse::<f64>()) else { return };
    if let Some(alt) = alt.and_then(|a| a.parse::<f64>().ok()) {
        out.push(Tag::new("Composite", "GPSAltitude", alt.abs()));
        out.push(Tag::new("Composite", "GPSAltitudeRef", Value::Int(i64::from(alt < 0.0))));
    }
    out.push(Tag::new("Composite", "GPSLatitude", la));
    out.push(Tag::new("Composite", "GPSLongitude", lo));
    out.push(Tag::new("Composite", "GPSPosition", format!("{lat} {lon}")));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(name: &'static str, v: impl Into<Value>) -> Tag {
        Tag::new("QuickTime", name, v)
    }

    fn get<'a>(out: &'a [Tag], name: &str) -> Option<&'a Value> {
        out.iter().find(|t| t.group == "Composite" && t.name == name).map(|t| &t.value)
    }

    #[test]
    fn bitrate_rotation_size_and_gps() {
        let tags = vec![
            q("Duration", 2.002),
            q("MediaDataSize", 120771u32),
            q("HandlerType", "vide").in_subgroup("Track1"),
            q("MatrixStructure", "0 1 0 -1 0 0 360 0 1").in_subgroup("Track1"),
            q("ImageWidth", 640u32),
            q("ImageHeight", 360u32),
            q("GPSCoordinates", "48.8584 2.2945 35"),
        ];
        let mut out = tags;
        derive(&mut out);
        assert_eq!(get(&out, "AvgBitrate").and_then(Value::as_f64), Some(482601.0));
        assert_eq!(get(&out, "Rotation"), Some(&Value::Int(90)));
        assert_eq!(get(&out, "ImageSize"), Some(&Value::Text("640 360".into())));
        assert_eq!(get(&out, "GPSPosition"), Some(&Value::Text("48.8584 2.2945".into())));
        assert_eq!(get(&out, "GPSAltitude"), Some(&Value::Float(35.0)));
    }

    #[test]
    fn location_information_and_no_video() {
        let info = "(none) Role=shooting Lat=48.85840 Lon=2.29449 Alt=-3.00 Body=earth Notes=";
        let mut out = vec![q("LocationInformation", info), q("HandlerType", "soun").in_subgroup("Track1")];
        assert!(is_movie(&out));
        derive(&mut out);
        assert_eq!(get(&out, "GPSPosition"), Some(&Value::Text("48.85840 2.29449".into())));
        assert_eq!(get(&out, "GPSAltitudeRef"), Some(&Value::Int(1)));
        assert!(get(&out, "Rotation").is_none());
        assert!(get(&out, "AvgBitrate").is_none());
        assert!(!is_movie(&[Tag::new("EXIF", "Make", "x")]));
    }
}

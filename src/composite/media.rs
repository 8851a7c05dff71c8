//! Media composites: `Composite:AvgBitrate`, `Rotation`, `ImageSize`/`Megapixels` and the
//! GPS position of QuickTime movies (from `GPSCoordinates` or 3GPP `LocationInformation`).

use crate::model::{Tag, Value, replaces};

const QT: &str = "QuickTime";

/// The tags [`derive()`] starts from: without any of them, it adds nothing (each composite
/// needs `Duration`, `HandlerType`, `ImageWidth` or a location), so a tag index that finds
/// none of them spares a movie's scans of the tags.
pub(crate) const TRIGGERS: [(&str, &str); 5] = [
    (QT, "Duration"),
    (QT, "HandlerType"),
    (QT, "ImageWidth"),
    (QT, "GPSCoordinates"),
    (QT, "LocationInformation"),
];

/// Derives media composites from a movie's tags, appending them.
pub(crate) fn derive(tags: &mut Vec<Tag>) {
    let facts = Facts::of(tags);
    let rotation = facts.video.and_then(|handler| video_rotation(tags, handler));
    let [avg_bitrate, has_rotation, image_size, megapixels, gps_latitude] = facts.composite;
    let size = facts.width.and_then(|t| t.value.as_f64()).zip(facts.height.and_then(|t| t.value.as_f64()));
    let position = (!facts.exif_gps && !gps_latitude).then(|| facts.position()).flatten();
    // Average bit rate: media data bytes over the movie duration.
    let duration = facts.duration.and_then(|t| t.value.as_f64());
    if let (Some(bytes), Some(secs)) = (facts.mdat, duration) {
        if secs > 0.0 && !avg_bitrate {
            tags.push(Tag::new("Composite", "AvgBitrate", (bytes * 8.0 / secs + 0.5).floor()));
        }
    }
    if let Some(r) = rotation.filter(|_| !has_rotation) {
        tags.push(Tag::new("Composite", "Rotation", r));
    }
    if let Some((w, h)) = size.filter(|_| !image_size) {
        tags.push(Tag::new("Composite", "ImageSize", format!("{w} {h}")));
        if !megapixels {
            tags.push(Tag::new("Composite", "Megapixels", w * h / 1e6));
        }
    }
    if let Some(pos) = position {
        push_position(tags, pos);
    }
}

/// What the media composites read, found in one pass over the tags (each `QuickTime` tag
/// the one ExifTool would show: the first of the highest priority).
#[derive(Default)]
struct Facts<'a> {
    /// The sum of the `MediaDataSize`s.
    mdat: Option<f64>,
    duration: Option<&'a Tag>,
    width: Option<&'a Tag>,
    height: Option<&'a Tag>,
    gps_coordinates: Option<&'a Tag>,
    location: Option<&'a Tag>,
    /// The first video track's handler.
    video: Option<&'a Tag>,
    /// Whether there is an `EXIF:GPSLatitude`.
    exif_gps: bool,
    /// Whether there is a `Composite:` `AvgBitrate`, `Rotation`, `ImageSize`,
    /// `Megapixels`, `GPSLatitude` (from the file or derived).
    composite: [bool; 5],
}

impl<'a> Facts<'a> {
    fn of(tags: &'a [Tag]) -> Self {
        let mut f = Facts::default();
        for t in tags {
            match t.group {
                QT => f.quicktime(t),
                "Composite" => {
                    let names = ["AvgBitrate", "Rotation", "ImageSize", "Megapixels", "GPSLatitude"];
                    if let Some(i) = names.iter().position(|n| t.name == *n) {
                        if let Some(flag) = f.composite.get_mut(i) {
                            *flag = true;
                        }
                    }
                }
                "EXIF" if t.name == "GPSLatitude" => f.exif_gps = true,
                _ => {}
            }
        }
        f
    }

    fn quicktime(&mut self, t: &'a Tag) {
        let best = match t.name.as_str() {
            "MediaDataSize" => {
                if let Some(v) = t.value.as_f64() {
                    self.mdat = Some(self.mdat.map_or(v, |sum| sum + v));
                }
                return;
            }
            "HandlerType" => {
                if self.video.is_none() && t.value.as_str() == Some("vide") {
                    self.video = Some(t);
                }
                return;
            }
            "Duration" => &mut self.duration,
            "ImageWidth" => &mut self.width,
            "ImageHeight" => &mut self.height,
            "GPSCoordinates" => &mut self.gps_coordinates,
            "LocationInformation" => &mut self.location,
            _ => return,
        };
        if replaces(*best, t) {
            *best = Some(t);
        }
    }

    /// Latitude, longitude, altitude as written (text) from the movie's location tags.
    fn position(&self) -> Option<[Option<String>; 3]> {
        if let Some(v) = self.gps_coordinates.and_then(|t| t.value.as_str()) {
            let mut it = v.split_whitespace().map(str::to_owned);
            let (lat, lon) = (it.next()?, it.next()?);
            return Some([Some(lat), Some(lon), it.next()]);
        }
        let info = self.location.and_then(|t| t.value.as_str())?;
        let field = |key: &str| info.split_whitespace().find_map(|w| w.strip_prefix(key)).map(str::to_owned);
        Some([Some(field("Lat=")?), Some(field("Lon=")?), field("Alt=")])
    }
}

/// Rotation (degrees clockwise) of the video track whose `handler` is given, from its
/// matrix.
fn video_rotation(tags: &[Tag], handler: &Tag) -> Option<i64> {
    let track = handler.subgroup.as_deref()?;
    let matrix = tags
        .iter()
        .find(|t| t.group == QT && t.name == "MatrixStructure" && t.subgroup.as_deref() == Some(track))?;
    let m: Vec<f64> = matrix.value.as_str()?.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    let (a, b) = (*m.first()?, *m.get(1)?);
    Some((b.atan2(a).to_degrees().round() as i64).rem_euclid(360))
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

    /// Whether the tag index of `tags` lets the media composites run.
    fn is_movie(tags: &[Tag]) -> bool {
        crate::tag_index::TagIndex::new(tags).may_be_movie()
    }

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
    fn tags_read_are_the_ones_exiftool_shows_and_composites_are_not_repeated() {
        let mut out = vec![
            q("Duration", 1.0),
            q("Duration", 4.0).with_priority(1),
            q("Duration", 9.0).with_priority(1),
            q("MediaDataSize", 100u32),
            q("MediaDataSize", 300u32),
            Tag::new("Composite", "ImageSize", "1 1"),
            q("ImageWidth", 2u32),
            q("ImageHeight", 2u32),
            q("HandlerType", "vide"),
            q("HandlerType", "vide").in_subgroup("Track2"),
            q("MatrixStructure", "0 1 0 -1 0 0 360 0 1").in_subgroup("Track2"),
        ];
        derive(&mut out);
        assert_eq!(get(&out, "AvgBitrate").and_then(Value::as_f64), Some(800.0));
        assert_eq!(out.iter().filter(|t| t.name == "ImageSize").count(), 1);
        assert!(get(&out, "Megapixels").is_none());
        // The first video handler has no track: no rotation.
        assert!(get(&out, "Rotation").is_none());
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

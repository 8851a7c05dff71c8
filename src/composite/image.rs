//! Image composites: the `Composite:` tags ExifTool derives from EXIF, GPS, IPTC and the
//! container's dimensions (GPS position, image size, exposure, optics, sub-second dates).
//! Formulas are the public photographic ones (APEX light value, 35 mm equivalents,
//! circle of confusion = diagonal / 1440, hyperfocal distance = f² / (N c)).

use crate::meta::exif::{fmt_g, round_sig};
use crate::model::{Tag, Value};

/// Diagonal of a 36 x 24 mm frame.
const FULL_FRAME_DIAG: f64 = 43.266_615_305_567_87;

/// The tag names composites read, sorted (kept in step with [`wanted`]; checked by a test).
#[cfg(test)]
static WANTED: &[&str] = &[
    "ApertureValue",
    "CFAPattern",
    "CFAPattern2",
    "CFARepeatPatternDim",
    "CreateDate",
    "DateCreated",
    "DateTimeOriginal",
    "DefaultCropSize",
    "DigitalCreationDate",
    "DigitalCreationTime",
    "ExifImageHeight",
    "ExifImageWidth",
    "ExposureTime",
    "FNumber",
    "FileType",
    "FocalLength",
    "FocalLengthIn35mmFormat",
    "FocalPlaneResolutionUnit",
    "FocalPlaneXResolution",
    "FocalPlaneYResolution",
    "GPSAltitude",
    "GPSAltitudeRef",
    "GPSDateStamp",
    "GPSLatitude",
    "GPSLatitudeRef",
    "GPSLongitude",
    "GPSLongitudeRef",
    "GPSTimeStamp",
    "ISO",
    "ImageHeight",
    "ImageWidth",
    "LensModel",
    "ModifyDate",
    "OffsetTime",
    "OffsetTimeDigitized",
    "OffsetTimeOriginal",
    "RawImageCroppedSize",
    "SensorBottomBorder",
    "SensorLeftBorder",
    "SensorRightBorder",
    "SensorTopBorder",
    "ShutterSpeedValue",
    "SubSecTime",
    "SubSecTimeDigitized",
    "SubSecTimeOriginal",
    "TimeCreated",
    "WBBlueLevel",
    "WBGreenLevel",
    "WBRedLevel",
    "WB_GRGBLevels",
];

/// The index in the `WANTED` list of a tag name composites read (a `match` compiles to length
/// checks first), so look-ups compare small integers instead of strings.
fn wanted(name: &str) -> Option<u8> {
    match name {
        "ApertureValue" => Some(0),
        "CFAPattern" => Some(1),
        "CFAPattern2" => Some(2),
        "CFARepeatPatternDim" => Some(3),
        "CreateDate" => Some(4),
        "DateCreated" => Some(5),
        "DateTimeOriginal" => Some(6),
        "DefaultCropSize" => Some(7),
        "DigitalCreationDate" => Some(8),
        "DigitalCreationTime" => Some(9),
        "ExifImageHeight" => Some(10),
        "ExifImageWidth" => Some(11),
        "ExposureTime" => Some(12),
        "FNumber" => Some(13),
        "FileType" => Some(14),
        "FocalLength" => Some(15),
        "FocalLengthIn35mmFormat" => Some(16),
        "FocalPlaneResolutionUnit" => Some(17),
        "FocalPlaneXResolution" => Some(18),
        "FocalPlaneYResolution" => Some(19),
        "GPSAltitude" => Some(20),
        "GPSAltitudeRef" => Some(21),
        "GPSDateStamp" => Some(22),
        "GPSLatitude" => Some(23),
        "GPSLatitudeRef" => Some(24),
        "GPSLongitude" => Some(25),
        "GPSLongitudeRef" => Some(26),
        "GPSTimeStamp" => Some(27),
        "ISO" => Some(28),
        "ImageHeight" => Some(29),
        "ImageWidth" => Some(30),
        "LensModel" => Some(31),
        "ModifyDate" => Some(32),
        "OffsetTime" => Some(33),
        "OffsetTimeDigitized" => Some(34),
        "OffsetTimeOriginal" => Some(35),
        "RawImageCroppedSize" => Some(36),
        "SensorBottomBorder" => Some(37),
        "SensorLeftBorder" => Some(38),
        "SensorRightBorder" => Some(39),
        "SensorTopBorder" => Some(40),
        "ShutterSpeedValue" => Some(41),
        "SubSecTime" => Some(42),
        "SubSecTimeDigitized" => Some(43),
        "SubSecTimeOriginal" => Some(44),
        "TimeCreated" => Some(45),
        "WBBlueLevel" => Some(46),
        "WBGreenLevel" => Some(47),
        "WBRedLevel" => Some(48),
        "WB_GRGBLevels" => Some(49),
        _ => None,
    }
}

/// The tag ExifTool would show for `group:name` among `tags` (highest priority, first).
fn pick<'a>(tags: &[(u8, &'a Tag)], group: &str, name: &str) -> Option<&'a Tag> {
    let id = wanted(name)?;
    let mut best: Option<&Tag> = None;
    for (_, t) in tags.iter().filter(|(i, t)| *i == id && t.group == group) {
        if best.is_none_or(|b| t.priority > b.priority) {
            best = Some(t);
        }
    }
    best
}

/// Two numbers as `%.15g %.15g`, built in one string.
fn pair(a: f64, b: f64) -> String {
    let mut s = String::with_capacity(40);
    fmt_g(a, 15, &mut s);
    s.push(' ');
    fmt_g(b, 15, &mut s);
    s
}

/// Derives image composites from `tags` into `out`.
pub(crate) fn derive(tags: &[Tag], out: &mut Vec<Tag>) {
    let tags: Vec<(u8, &Tag)> = tags.iter().filter_map(|t| Some((wanted(&t.name)?, t))).collect();
    let get = |group: &str, name: &str| pick(&tags, group, name).map(|t| &t.value);
    let num = |group: &str, name: &str| get(group, name).and_then(first_f64);
    let exif_or_xmp = |name: &str| num("EXIF", name).or_else(|| num("XMP", name));
    let mut add = |name: &'static str, v: Value| out.push(Tag::new("Composite", name, v));
    let float = |x: f64| Value::Float(round_sig(x, 15));

    // Panasonic RW2: the image area inside the sensor borders.
    let mut size = None;
    if let (Some(t), Some(l), Some(b), Some(r)) = (
        num("EXIF", "SensorTopBorder"),
        num("EXIF", "SensorLeftBorder"),
        num("EXIF", "SensorBottomBorder"),
        num("EXIF", "SensorRightBorder"),
    ) {
        if r > l && b > t {
            add("ImageWidth", float(r - l));
            add("ImageHeight", float(b - t));
            size = Some((r - l, b - t));
        }
    }
    let file_type = get("File", "FileType").and_then(Value::as_str).unwrap_or("");
    if size.is_none() {
        size = crop_size(get("RAF", "RawImageCroppedSize"));
    }
    if size.is_none() && matches!(file_type, "CR2" | "IIQ" | "EIP") {
        size = num("EXIF", "ExifImageWidth").zip(num("EXIF", "ExifImageHeight"));
    }
    if size.is_none() {
        size = ["File", "Photoshop", "EXIF", "PNG", "GIF", "RIFF", "BMP", "PSD", "QuickTime", "XMP"]
            .iter()
            .find_map(|gr| num(gr, "ImageWidth").zip(num(gr, "ImageHeight")));
    }
    if let Some((w, h)) = size.filter(|(w, h)| *w > 0.0 && *h > 0.0) {
        add("ImageSize", Value::from(pair(w, h)));
        add("Megapixels", float(w * h / 1e6));
    }

    // Exposure.
    let shutter = exif_or_xmp("ExposureTime")
        .or_else(|| num("APP12", "ExposureTime"))
        .or_else(|| exif_or_xmp("ShutterSpeedValue"));
    let aperture = exif_or_xmp("FNumber").or_else(|| exif_or_xmp("ApertureValue"));
    if let Some(a) = aperture {
        add("Aperture", float(a));
    }
    if let Some(s) = shutter {
        add("ShutterSpeed", float(s));
    }
    let iso = exif_or_xmp("ISO");
    if let (Some(a), Some(s), Some(iso)) = (aperture, shutter, iso) {
        if a > 0.0 && s > 0.0 && iso > 0.0 {
            add("LightValue", float(2.0 * a.log2() - s.log2() - (iso / 100.0).log2()));
        }
    }

    // Dates with sub-seconds and offsets.
    for (name, date, sub, offset) in [
        ("SubSecDateTimeOriginal", "DateTimeOriginal", "SubSecTimeOriginal", "OffsetTimeOriginal"),
        ("SubSecCreateDate", "CreateDate", "SubSecTimeDigitized", "OffsetTimeDigitized"),
        ("SubSecModifyDate", "ModifyDate", "SubSecTime", "OffsetTime"),
    ] {
        let Some(d) = get("EXIF", date).and_then(Value::as_str) else { continue };
        let sub = get("EXIF", sub).map(Value::to_text).filter(|s| !s.trim().is_empty());
        let off = get("EXIF", offset).and_then(Value::as_str).filter(|s| !s.trim().is_empty());
        if sub.is_none() && off.is_none() {
            continue;
        }
        let mut s = String::with_capacity(d.len() + 16);
        s.push_str(d.trim());
        if let Some(sub) = sub {
            s.push('.');
            s.push_str(sub.trim());
        }
        if let Some(off) = off {
            s.push_str(off.trim());
        }
        add(name, Value::from(s));
    }
    if let Some(d) = get("IPTC", "DateCreated").and_then(Value::as_str) {
        let dt = match get("IPTC", "TimeCreated").and_then(Value::as_str) {
            Some(t) => format!("{d} {t}"),
            None => d.to_owned(),
        };
        if get("EXIF", "DateTimeOriginal").is_none() {
            add("DateTimeOriginal", Value::from(dt.clone()));
        }
        add("DateTimeCreated", Value::from(dt));
    }
    if let (Some(d), Some(t)) = (
        get("IPTC", "DigitalCreationDate").and_then(Value::as_str),
        get("IPTC", "DigitalCreationTime").and_then(Value::as_str),
    ) {
        add("DigitalCreationDateTime", Value::from(format!("{d} {t}")));
    }

    // GPS.
    let signed = |coord: &str, reference: &str, neg: char| {
        let v = num("EXIF", coord)?;
        let r = get("EXIF", reference).and_then(Value::as_str).unwrap_or("");
        Some(if r.starts_with(neg) { -v.abs() } else { v })
    };
    let lat = signed("GPSLatitude", "GPSLatitudeRef", 'S');
    let lon = signed("GPSLongitude", "GPSLongitudeRef", 'W');
    if let Some(alt) = num("EXIF", "GPSAltitude") {
        let below = num("EXIF", "GPSAltitudeRef") == Some(1.0);
        add("GPSAltitude", float(if below { -alt.abs() } else { alt }));
    }
    if let (Some(d), Some(t)) = (
        get("EXIF", "GPSDateStamp").and_then(Value::as_str),
        get("EXIF", "GPSTimeStamp").and_then(Value::as_str),
    ) {
        add("GPSDateTime", Value::from(format!("{} {}Z", d.trim(), t.trim())));
    }
    // Coordinates that are present but not numbers (all-zero rationals) pass through.
    let raw = |name: &str| {
        get("EXIF", name).filter(|v| matches!(v, Value::Text(t) if t.trim().is_empty())).cloned()
    };
    if let Some(v) = lat.map(float).or_else(|| raw("GPSLatitude")) {
        add("GPSLatitude", v);
    }
    if let Some(v) = lon.map(float).or_else(|| raw("GPSLongitude")) {
        add("GPSLongitude", v);
    }
    let lat = lat.or_else(|| num("XMP", "GPSLatitude"));
    let lon = lon.or_else(|| num("XMP", "GPSLongitude"));
    if let Some(la) = lat {
        add("GPSLatitudeRef", Value::Text(if la < 0.0 { "S" } else { "N" }.into()));
    }
    if let Some(lo) = lon {
        add("GPSLongitudeRef", Value::Text(if lo < 0.0 { "W" } else { "E" }.into()));
    }
    if let (Some(la), Some(lo)) = (lat, lon) {
        add("GPSPosition", Value::from(pair(la, lo)));
    }

    // Optics.
    let focal_any = exif_or_xmp("FocalLength");
    let focal = focal_any.filter(|f| *f > 0.0);
    let crop = crop_size(get("EXIF", "DefaultCropSize"));
    // JPEGs are often resized, so a focal-plane scale outside any real camera's range
    // (a sensor under ~3 mm or over ~200 mm across) is dropped for them.
    let scale = scale_factor(&num, focal, crop, true).filter(|sc| {
        file_type != "JPEG" || num("EXIF", "FocalLengthIn35mmFormat").is_some() || (0.2..=15.0).contains(sc)
    });
    if let Some(sc) = scale {
        add("ScaleFactor35efl", float(sc));
    }
    let coc = scale.map(|sc| FULL_FRAME_DIAG / (sc * 1440.0));
    if let Some(c) = coc {
        add("CircleOfConfusion", float(c));
    }
    if let (Some(f), Some(sc)) = (focal, scale) {
        add("FOV", float(2.0 * (36.0 / (2.0 * f * sc)).atan().to_degrees()));
    }
    if let Some(f) = focal_any.filter(|f| *f >= 0.0) {
        add("FocalLength35efl", float(f * scale.unwrap_or(1.0)));
    }
    if let (Some(f), Some(a), Some(c)) = (focal, aperture, coc) {
        if a > 0.0 {
            add("HyperfocalDistance", float(f * f / (a * c * 1000.0)));
        }
    }
    if let Some(lens) = get("EXIF", "LensModel").and_then(Value::as_str).filter(|s| !s.is_empty()) {
        add("LensID", Value::from(lens));
    }
    // White balance multipliers relative to green: Panasonic levels, RAF GRGB levels.
    let rgb = match (num("EXIF", "WBRedLevel"), num("EXIF", "WBGreenLevel"), num("EXIF", "WBBlueLevel")) {
        (Some(r), Some(g), Some(b)) => Some((r, g, b)),
        _ => get("RAF", "WB_GRGBLevels").and_then(Value::as_str).and_then(|s| {
            let v: Vec<f64> = s.split_whitespace().filter_map(|x| x.parse().ok()).collect();
            match v[..] {
                [g, r, _, b] => Some((r, g, b)),
                _ => None,
            }
        }),
    };
    if let Some((r, gr, b)) = rgb.filter(|c| c.1 > 0.0) {
        add("RedBalance", float(r / gr));
        add("BlueBalance", float(b / gr));
    }
    if let Some(p) = get("EXIF", "CFAPattern").and_then(Value::as_str) {
        add("CFAPattern", Value::from(p));
    } else if let (Some(dim), Some(p)) = (
        get("EXIF", "CFARepeatPatternDim").and_then(Value::as_str),
        get("EXIF", "CFAPattern2").and_then(Value::as_str),
    ) {
        add("CFAPattern", Value::from(format!("{dim} {p}")));
    }
}

/// The first number of a value (ISO may be a list).
fn first_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Text(s) => s.split_whitespace().next()?.parse().ok(),
        Value::List(l) => l.first().and_then(first_f64),
        v => v.as_f64(),
    }
}

/// The 35 mm scale factor: from FocalLengthIn35mmFormat, else from the sensor size given
/// by the focal-plane resolution and the image dimensions.
fn scale_factor(
    num: &dyn Fn(&str, &str) -> Option<f64>,
    focal: Option<f64>,
    crop: Option<(f64, f64)>,
    focal_plane: bool,
) -> Option<f64> {
    if let (Some(f35), Some(f)) = (num("EXIF", "FocalLengthIn35mmFormat").filter(|v| *v > 0.0), focal) {
        return Some(f35 / f);
    }
    if !focal_plane {
        return None;
    }
    let unit = match num("EXIF", "FocalPlaneResolutionUnit")? as i64 {
        1 | 2 => 25.4,
        3 => 10.0,
        4 => 1.0,
        5 => 0.001,
        _ => return None,
    };
    let xr = num("EXIF", "FocalPlaneXResolution").filter(|v| *v > 0.0)?;
    let yr = num("EXIF", "FocalPlaneYResolution").filter(|v| *v > 0.0)?;
    let (w, h) = num("EXIF", "ExifImageWidth")
        .zip(num("EXIF", "ExifImageHeight"))
        .or(crop)
        .or_else(|| find_dims(num))?;
    let diag = ((w / xr * unit).powi(2) + (h / yr * unit).powi(2)).sqrt();
    (diag > 0.0).then(|| FULL_FRAME_DIAG / diag)
}

fn find_dims(num: &dyn Fn(&str, &str) -> Option<f64>) -> Option<(f64, f64)> {
    num("EXIF", "ImageWidth").zip(num("EXIF", "ImageHeight"))
}

/// DNG's DefaultCropSize (`"w h"`), the rendered image size.
fn crop_size(v: Option<&Value>) -> Option<(f64, f64)> {
    let s = v?.as_str()?;
    let mut it = s.split_whitespace().map(|x| x.parse::<f64>().ok());
    Some((it.next()??, it.next()??))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wanted_is_sorted() {
        assert!(WANTED.windows(2).all(|w| w[0] < w[1]));
        assert!(WANTED.iter().enumerate().all(|(i, n)| wanted(n) == Some(i as u8)));
        assert_eq!(wanted("Make"), None);
    }

    #[test]
    fn gps_and_exposure_composites() {
        let tags = vec![
            Tag::new("EXIF", "GPSLatitude", 22.9519),
            Tag::new("EXIF", "GPSLatitudeRef", "S"),
            Tag::new("EXIF", "GPSLongitude", 43.2105),
            Tag::new("EXIF", "GPSLongitudeRef", "W"),
            Tag::new("EXIF", "GPSAltitude", 3.2),
            Tag::new("EXIF", "GPSAltitudeRef", 1),
            Tag::new("EXIF", "FNumber", 16.0),
            Tag::new("EXIF", "ExposureTime", 1.5),
            Tag::new("EXIF", "ISO", 100),
            Tag::new("File", "ImageWidth", 480),
            Tag::new("File", "ImageHeight", 640),
        ];
        let mut out = Vec::new();
        derive(&tags, &mut out);
        let get = |n: &str| out.iter().find(|t| t.name == n).map(|t| t.value.clone());
        assert_eq!(get("GPSPosition"), Some(Value::Text("-22.9519 -43.2105".into())));
        assert_eq!(get("GPSAltitude"), Some(Value::Float(-3.2)));
        assert_eq!(get("GPSLatitudeRef"), Some(Value::Text("S".into())));
        assert_eq!(get("ImageSize"), Some(Value::Text("480 640".into())));
        assert_eq!(get("Megapixels"), Some(Value::Float(0.3072)));
        let lv = get("LightValue").and_then(|v| v.as_f64()).unwrap_or(0.0);
        assert!((lv - 7.41503749927884).abs() < 1e-9, "{lv}");
    }
}

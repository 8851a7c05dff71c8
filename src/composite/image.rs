//! Image composites: the `Composite:` tags ExifTool derives from EXIF, GPS, IPTC and the
//! container's dimensions (GPS position, image size, exposure, optics, sub-second dates).
//! Formulas are the public photographic ones (APEX light value, 35 mm equivalents,
//! circle of confusion = diagonal / 1440, hyperfocal distance = f² / (N c)).

use super::g15::{push_g15, round15};
use crate::model::fasthash::KeyTable;
use crate::model::{Tag, Value};
use std::sync::OnceLock;

/// Diagonal of a 36 x 24 mm frame.
const FULL_FRAME_DIAG: f64 = 43.266_615_305_567_87;

/// Declares [`Key`], the tags composites read, and [`KEYS`], their `(group, name)` in the
/// same order.
macro_rules! keys {
    ($($key:ident = $group:literal : $name:literal,)*) => {
        /// A tag composites read.
        #[derive(Clone, Copy)]
        enum Key {
            $($key,)*
        }

        /// `(group, name)` of each [`Key`], in declaration order.
        const KEYS: &[(&str, &str)] = &[$(($group, $name),)*];
    };
}

keys! {
    ExifSensorTopBorder = "EXIF":"SensorTopBorder",
    ExifSensorLeftBorder = "EXIF":"SensorLeftBorder",
    ExifSensorBottomBorder = "EXIF":"SensorBottomBorder",
    ExifSensorRightBorder = "EXIF":"SensorRightBorder",
    FileFileType = "File":"FileType",
    RafRawImageCroppedSize = "RAF":"RawImageCroppedSize",
    ExifExifImageWidth = "EXIF":"ExifImageWidth",
    ExifExifImageHeight = "EXIF":"ExifImageHeight",
    FileImageWidth = "File":"ImageWidth",
    FileImageHeight = "File":"ImageHeight",
    PhotoshopImageWidth = "Photoshop":"ImageWidth",
    PhotoshopImageHeight = "Photoshop":"ImageHeight",
    ExifImageWidth = "EXIF":"ImageWidth",
    ExifImageHeight = "EXIF":"ImageHeight",
    PngImageWidth = "PNG":"ImageWidth",
    PngImageHeight = "PNG":"ImageHeight",
    GifImageWidth = "GIF":"ImageWidth",
    GifImageHeight = "GIF":"ImageHeight",
    RiffImageWidth = "RIFF":"ImageWidth",
    RiffImageHeight = "RIFF":"ImageHeight",
    BmpImageWidth = "BMP":"ImageWidth",
    BmpImageHeight = "BMP":"ImageHeight",
    PsdImageWidth = "PSD":"ImageWidth",
    PsdImageHeight = "PSD":"ImageHeight",
    QuickTimeImageWidth = "QuickTime":"ImageWidth",
    QuickTimeImageHeight = "QuickTime":"ImageHeight",
    XmpImageWidth = "XMP":"ImageWidth",
    XmpImageHeight = "XMP":"ImageHeight",
    ExifExposureTime = "EXIF":"ExposureTime",
    XmpExposureTime = "XMP":"ExposureTime",
    App12ExposureTime = "APP12":"ExposureTime",
    ExifShutterSpeedValue = "EXIF":"ShutterSpeedValue",
    XmpShutterSpeedValue = "XMP":"ShutterSpeedValue",
    ExifFNumber = "EXIF":"FNumber",
    XmpFNumber = "XMP":"FNumber",
    ExifApertureValue = "EXIF":"ApertureValue",
    XmpApertureValue = "XMP":"ApertureValue",
    ExifIso = "EXIF":"ISO",
    XmpIso = "XMP":"ISO",
    ExifDateTimeOriginal = "EXIF":"DateTimeOriginal",
    ExifSubSecTimeOriginal = "EXIF":"SubSecTimeOriginal",
    ExifOffsetTimeOriginal = "EXIF":"OffsetTimeOriginal",
    ExifCreateDate = "EXIF":"CreateDate",
    ExifSubSecTimeDigitized = "EXIF":"SubSecTimeDigitized",
    ExifOffsetTimeDigitized = "EXIF":"OffsetTimeDigitized",
    ExifModifyDate = "EXIF":"ModifyDate",
    ExifSubSecTime = "EXIF":"SubSecTime",
    ExifOffsetTime = "EXIF":"OffsetTime",
    IptcDateCreated = "IPTC":"DateCreated",
    IptcTimeCreated = "IPTC":"TimeCreated",
    IptcDigitalCreationDate = "IPTC":"DigitalCreationDate",
    IptcDigitalCreationTime = "IPTC":"DigitalCreationTime",
    ExifGpsLatitude = "EXIF":"GPSLatitude",
    ExifGpsLatitudeRef = "EXIF":"GPSLatitudeRef",
    ExifGpsLongitude = "EXIF":"GPSLongitude",
    ExifGpsLongitudeRef = "EXIF":"GPSLongitudeRef",
    ExifGpsAltitude = "EXIF":"GPSAltitude",
    ExifGpsAltitudeRef = "EXIF":"GPSAltitudeRef",
    ExifGpsDateStamp = "EXIF":"GPSDateStamp",
    ExifGpsTimeStamp = "EXIF":"GPSTimeStamp",
    XmpGpsLatitude = "XMP":"GPSLatitude",
    XmpGpsLongitude = "XMP":"GPSLongitude",
    ExifFocalLength = "EXIF":"FocalLength",
    XmpFocalLength = "XMP":"FocalLength",
    ExifDefaultCropSize = "EXIF":"DefaultCropSize",
    ExifFocalLengthIn35mmFormat = "EXIF":"FocalLengthIn35mmFormat",
    ExifFocalPlaneResolutionUnit = "EXIF":"FocalPlaneResolutionUnit",
    ExifFocalPlaneXResolution = "EXIF":"FocalPlaneXResolution",
    ExifFocalPlaneYResolution = "EXIF":"FocalPlaneYResolution",
    ExifLensModel = "EXIF":"LensModel",
    ExifWbRedLevel = "EXIF":"WBRedLevel",
    ExifWbGreenLevel = "EXIF":"WBGreenLevel",
    ExifWbBlueLevel = "EXIF":"WBBlueLevel",
    RafWbGrgbLevels = "RAF":"WB_GRGBLevels",
    ExifCfaPattern = "EXIF":"CFAPattern",
    ExifCfaRepeatPatternDim = "EXIF":"CFARepeatPatternDim",
    ExifCfaPattern2 = "EXIF":"CFAPattern2",
}

/// Groups whose `ImageWidth`/`ImageHeight` give the image size, in ExifTool's order.
const SIZES: [(Key, Key); 10] = [
    (Key::FileImageWidth, Key::FileImageHeight),
    (Key::PhotoshopImageWidth, Key::PhotoshopImageHeight),
    (Key::ExifImageWidth, Key::ExifImageHeight),
    (Key::PngImageWidth, Key::PngImageHeight),
    (Key::GifImageWidth, Key::GifImageHeight),
    (Key::RiffImageWidth, Key::RiffImageHeight),
    (Key::BmpImageWidth, Key::BmpImageHeight),
    (Key::PsdImageWidth, Key::PsdImageHeight),
    (Key::QuickTimeImageWidth, Key::QuickTimeImageHeight),
    (Key::XmpImageWidth, Key::XmpImageHeight),
];

/// For each [`Key`], the tag ExifTool would show (highest priority, first), found in one
/// pass over the tags.
struct Index<'a> {
    best: [Option<&'a Tag>; KEYS.len()],
}

impl<'a> Index<'a> {
    fn new(tags: &'a [Tag]) -> Self {
        static TABLE: OnceLock<KeyTable> = OnceLock::new();
        let mut best = [None; KEYS.len()];
        TABLE.get_or_init(|| KeyTable::new(KEYS.iter().copied())).index(tags, &mut best);
        Index { best }
    }

    fn get(&self, key: Key) -> Option<&'a Value> {
        self.best.get(key as usize).copied().flatten().map(|t| &t.value)
    }

    fn text(&self, key: Key) -> Option<&'a str> {
        self.get(key).and_then(Value::as_str)
    }

    /// The first number of the value.
    fn num(&self, key: Key) -> Option<f64> {
        self.get(key).and_then(first_f64)
    }

    /// The EXIF number, else the XMP one.
    fn either(&self, exif: Key, xmp: Key) -> Option<f64> {
        self.num(exif).or_else(|| self.num(xmp))
    }
}

/// Two numbers as `%.15g %.15g`, built in one string.
fn pair(a: f64, b: f64) -> String {
    let mut s = String::with_capacity(40);
    push_g15(a, &mut s);
    s.push(' ');
    push_g15(b, &mut s);
    s
}

/// `a`, a space and `b` (ExifTool's joined date and time), with `suffix`.
fn joined(a: &str, b: &str, suffix: &str) -> String {
    let mut s = String::with_capacity(a.len() + 1 + b.len() + suffix.len());
    s.push_str(a);
    s.push(' ');
    s.push_str(b);
    s.push_str(suffix);
    s
}

/// Derives image composites from `tags` into `out`.
pub(crate) fn derive(tags: &[Tag], out: &mut Vec<Tag>) {
    let ix = Index::new(tags);
    let mut add = |name: &'static str, v: Value| out.push(Tag::new("Composite", name, v));
    let float = |x: f64| Value::Float(round15(x));

    // Panasonic RW2: the image area inside the sensor borders.
    let mut size = None;
    if let (Some(t), Some(l), Some(b), Some(r)) = (
        ix.num(Key::ExifSensorTopBorder),
        ix.num(Key::ExifSensorLeftBorder),
        ix.num(Key::ExifSensorBottomBorder),
        ix.num(Key::ExifSensorRightBorder),
    ) {
        if r > l && b > t {
            add("ImageWidth", float(r - l));
            add("ImageHeight", float(b - t));
            size = Some((r - l, b - t));
        }
    }
    let file_type = ix.text(Key::FileFileType).unwrap_or("");
    if size.is_none() {
        size = crop_size(ix.get(Key::RafRawImageCroppedSize));
    }
    if size.is_none() && matches!(file_type, "CR2" | "IIQ" | "EIP") {
        size = ix.num(Key::ExifExifImageWidth).zip(ix.num(Key::ExifExifImageHeight));
    }
    if size.is_none() {
        size = SIZES.iter().find_map(|(w, h)| ix.num(*w).zip(ix.num(*h)));
    }
    if let Some((w, h)) = size.filter(|(w, h)| *w > 0.0 && *h > 0.0) {
        add("ImageSize", Value::Text(pair(w, h)));
        add("Megapixels", float(w * h / 1e6));
    }

    // Exposure.
    let shutter = ix
        .either(Key::ExifExposureTime, Key::XmpExposureTime)
        .or_else(|| ix.num(Key::App12ExposureTime))
        .or_else(|| ix.either(Key::ExifShutterSpeedValue, Key::XmpShutterSpeedValue));
    let aperture = ix
        .either(Key::ExifFNumber, Key::XmpFNumber)
        .or_else(|| ix.either(Key::ExifApertureValue, Key::XmpApertureValue));
    if let Some(a) = aperture {
        add("Aperture", float(a));
    }
    if let Some(s) = shutter {
        add("ShutterSpeed", float(s));
    }
    let iso = ix.either(Key::ExifIso, Key::XmpIso);
    if let (Some(a), Some(s), Some(iso)) = (aperture, shutter, iso) {
        if a > 0.0 && s > 0.0 && iso > 0.0 {
            add("LightValue", float(2.0 * a.log2() - s.log2() - (iso / 100.0).log2()));
        }
    }

    // Dates with sub-seconds and offsets.
    for (name, date, sub, offset) in [
        (
            "SubSecDateTimeOriginal",
            Key::ExifDateTimeOriginal,
            Key::ExifSubSecTimeOriginal,
            Key::ExifOffsetTimeOriginal,
        ),
        ("SubSecCreateDate", Key::ExifCreateDate, Key::ExifSubSecTimeDigitized, Key::ExifOffsetTimeDigitized),
        ("SubSecModifyDate", Key::ExifModifyDate, Key::ExifSubSecTime, Key::ExifOffsetTime),
    ] {
        if let Some(d) = ix.text(date) {
            if let Some(s) = sub_sec_date(d, ix.get(sub), ix.text(offset)) {
                add(name, Value::Text(s));
            }
        }
    }
    if let Some(d) = ix.text(Key::IptcDateCreated) {
        let dt = match ix.text(Key::IptcTimeCreated) {
            Some(t) => joined(d, t, ""),
            None => d.to_owned(),
        };
        if ix.get(Key::ExifDateTimeOriginal).is_none() {
            add("DateTimeOriginal", Value::Text(dt.clone()));
        }
        add("DateTimeCreated", Value::Text(dt));
    }
    if let (Some(d), Some(t)) = (ix.text(Key::IptcDigitalCreationDate), ix.text(Key::IptcDigitalCreationTime))
    {
        add("DigitalCreationDateTime", Value::Text(joined(d, t, "")));
    }

    // GPS.
    let signed = |coord: Key, reference: Key, neg: char| {
        let v = ix.num(coord)?;
        let r = ix.text(reference).unwrap_or("");
        Some(if r.starts_with(neg) { -v.abs() } else { v })
    };
    let lat = signed(Key::ExifGpsLatitude, Key::ExifGpsLatitudeRef, 'S');
    let lon = signed(Key::ExifGpsLongitude, Key::ExifGpsLongitudeRef, 'W');
    if let Some(alt) = ix.num(Key::ExifGpsAltitude) {
        let below = ix.num(Key::ExifGpsAltitudeRef) == Some(1.0);
        add("GPSAltitude", float(if below { -alt.abs() } else { alt }));
    }
    if let (Some(d), Some(t)) = (ix.text(Key::ExifGpsDateStamp), ix.text(Key::ExifGpsTimeStamp)) {
        add("GPSDateTime", Value::Text(joined(d.trim(), t.trim(), "Z")));
    }
    // Coordinates that are present but not numbers (all-zero rationals) pass through.
    let raw = |key: Key| ix.get(key).filter(|v| matches!(v, Value::Text(t) if t.trim().is_empty())).cloned();
    if let Some(v) = lat.map(float).or_else(|| raw(Key::ExifGpsLatitude)) {
        add("GPSLatitude", v);
    }
    if let Some(v) = lon.map(float).or_else(|| raw(Key::ExifGpsLongitude)) {
        add("GPSLongitude", v);
    }
    let lat = lat.or_else(|| ix.num(Key::XmpGpsLatitude));
    let lon = lon.or_else(|| ix.num(Key::XmpGpsLongitude));
    if let Some(la) = lat {
        add("GPSLatitudeRef", Value::Text(if la < 0.0 { "S" } else { "N" }.into()));
    }
    if let Some(lo) = lon {
        add("GPSLongitudeRef", Value::Text(if lo < 0.0 { "W" } else { "E" }.into()));
    }
    if let (Some(la), Some(lo)) = (lat, lon) {
        add("GPSPosition", Value::Text(pair(la, lo)));
    }

    // Optics.
    let focal_any = ix.either(Key::ExifFocalLength, Key::XmpFocalLength);
    let focal = focal_any.filter(|f| *f > 0.0);
    let crop = crop_size(ix.get(Key::ExifDefaultCropSize));
    // JPEGs are often resized, so a focal-plane scale outside any real camera's range
    // (a sensor under ~3 mm or over ~200 mm across) is dropped for them.
    let scale = scale_factor(&ix, focal, crop).filter(|sc| {
        file_type != "JPEG" || ix.num(Key::ExifFocalLengthIn35mmFormat).is_some() || (0.2..=15.0).contains(sc)
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
    if let Some(lens) = ix.text(Key::ExifLensModel).filter(|s| !s.is_empty()) {
        add("LensID", Value::Text(lens.to_owned()));
    }
    // White balance multipliers relative to green: Panasonic levels, RAF GRGB levels.
    let rgb = match (ix.num(Key::ExifWbRedLevel), ix.num(Key::ExifWbGreenLevel), ix.num(Key::ExifWbBlueLevel))
    {
        (Some(r), Some(g), Some(b)) => Some((r, g, b)),
        _ => ix.text(Key::RafWbGrgbLevels).and_then(grgb_levels),
    };
    if let Some((r, gr, b)) = rgb.filter(|c| c.1 > 0.0) {
        add("RedBalance", float(r / gr));
        add("BlueBalance", float(b / gr));
    }
    if let Some(p) = ix.text(Key::ExifCfaPattern) {
        add("CFAPattern", Value::Text(p.to_owned()));
    } else if let (Some(dim), Some(p)) =
        (ix.text(Key::ExifCfaRepeatPatternDim), ix.text(Key::ExifCfaPattern2))
    {
        add("CFAPattern", Value::Text(joined(dim, p, "")));
    }
}

/// EXIF's date, sub-seconds and offset as one date (`None` without either of the last two).
fn sub_sec_date(date: &str, sub: Option<&Value>, offset: Option<&str>) -> Option<String> {
    let owned;
    let sub = match sub {
        Some(Value::Text(s)) => Some(s.as_str()),
        Some(other) => {
            owned = other.to_text();
            Some(owned.as_str())
        }
        None => None,
    };
    let sub = sub.map(str::trim).filter(|s| !s.is_empty());
    let offset = offset.map(str::trim).filter(|s| !s.is_empty());
    if sub.is_none() && offset.is_none() {
        return None;
    }
    let date = date.trim();
    let extra = sub.map_or(0, |s| s.len() + 1) + offset.map_or(0, str::len);
    let mut s = String::with_capacity(date.len() + extra);
    s.push_str(date);
    if let Some(sub) = sub {
        s.push('.');
        s.push_str(sub);
    }
    if let Some(offset) = offset {
        s.push_str(offset);
    }
    Some(s)
}

/// RAF's `WB_GRGBLevels` (`"g r g b"`) as red, green, blue.
fn grgb_levels(s: &str) -> Option<(f64, f64, f64)> {
    let v: Vec<f64> = s.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    match v[..] {
        [g, r, _, b] => Some((r, g, b)),
        _ => None,
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
fn scale_factor(ix: &Index, focal: Option<f64>, crop: Option<(f64, f64)>) -> Option<f64> {
    if let (Some(f35), Some(f)) = (ix.num(Key::ExifFocalLengthIn35mmFormat).filter(|v| *v > 0.0), focal) {
        return Some(f35 / f);
    }
    let unit = match ix.num(Key::ExifFocalPlaneResolutionUnit)? as i64 {
        1 | 2 => 25.4,
        3 => 10.0,
        4 => 1.0,
        5 => 0.001,
        _ => return None,
    };
    let xr = ix.num(Key::ExifFocalPlaneXResolution).filter(|v| *v > 0.0)?;
    let yr = ix.num(Key::ExifFocalPlaneYResolution).filter(|v| *v > 0.0)?;
    let (w, h) = ix
        .num(Key::ExifExifImageWidth)
        .zip(ix.num(Key::ExifExifImageHeight))
        .or(crop)
        .or_else(|| ix.num(Key::ExifImageWidth).zip(ix.num(Key::ExifImageHeight)))?;
    let diag = ((w / xr * unit).powi(2) + (h / yr * unit).powi(2)).sqrt();
    (diag > 0.0).then(|| FULL_FRAME_DIAG / diag)
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
    fn keys_are_distinct() {
        let mut keys = KEYS.to_vec();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), KEYS.len());
        assert_eq!(KEYS[Key::ExifCfaPattern2 as usize], ("EXIF", "CFAPattern2"));
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

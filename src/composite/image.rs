//! Image composites: the `Composite:` tags ExifTool derives from EXIF, GPS, IPTC and the
//! container's dimensions (GPS position, image size, exposure, optics, sub-second dates).
//! Formulas are the public photographic ones (APEX light value, 35 mm equivalents,
//! circle of confusion = diagonal / 1440, hyperfocal distance = f² / (N c)).

mod canon_note;

use super::g15::{push_g15, round15};
use crate::base::short_text::{Out, ShortText};
use crate::base::text::trim;
use crate::model::{Tag, Text, Value, replaces};

/// Pi to five decimals: ExifTool turns FOV radians into degrees with it (its FOV values
/// agree with this to all fifteen digits it prints, not with `to_degrees`).
#[allow(clippy::approx_constant)]
const EXIFTOOL_PI: f64 = 3.14159;

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
        pub(crate) const KEYS: &[(&str, &str)] = &[$(($group, $name),)*];
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
    MakerLensType = "MakerNotes":"LensType",
    MakerLens = "MakerNotes":"Lens",
    MakerLensIdNumber = "MakerNotes":"LensIDNumber",
    MakerLensFStops = "MakerNotes":"LensFStops",
    MakerMinFocalLength = "MakerNotes":"MinFocalLength",
    MakerMaxFocalLength = "MakerNotes":"MaxFocalLength",
    MakerMaxApertureAtMinFocal = "MakerNotes":"MaxApertureAtMinFocal",
    MakerMaxApertureAtMaxFocal = "MakerNotes":"MaxApertureAtMaxFocal",
    MakerMcuVersion = "MakerNotes":"MCUVersion",
    MakerWbRggbLevels = "MakerNotes":"WB_RGGBLevels",
    MakerWbRgbgLevels = "MakerNotes":"WB_RGBGLevels",
    MakerWbRbLevels = "MakerNotes":"WB_RBLevels",
    MakerRedBalance = "MakerNotes":"RedBalance",
    MakerBlueBalance = "MakerNotes":"BlueBalance",
    MakerRunTimeValue = "MakerNotes":"RunTimeValue",
    MakerRunTimeScale = "MakerNotes":"RunTimeScale",
    MakerFocusDistance = "MakerNotes":"FocusDistance",
    MakerFocalPlaneDiagonal = "MakerNotes":"FocalPlaneDiagonal",
    MnFNumber = "MakerNotes":"FNumber",
    MnFocalLength = "MakerNotes":"FocalLength",
    MnExposureTime = "MakerNotes":"ExposureTime",
    MnImageWidth = "MakerNotes":"ImageWidth",
    MnImageHeight = "MakerNotes":"ImageHeight",
    MnCanonImageWidth = "MakerNotes":"CanonImageWidth",
    MnCanonImageHeight = "MakerNotes":"CanonImageHeight",
    MnFocalPlaneXSize = "MakerNotes":"FocalPlaneXSize",
    MnFocalPlaneYSize = "MakerNotes":"FocalPlaneYSize",
    MnCanonExposureMode = "MakerNotes":"CanonExposureMode",
    MnBulbDuration = "MakerNotes":"BulbDuration",
    MnContinuousDrive = "MakerNotes":"ContinuousDrive",
    MnSelfTimer = "MakerNotes":"SelfTimer",
    MnCameraIso = "MakerNotes":"CameraISO",
    MnBaseIso = "MakerNotes":"BaseISO",
    MnAutoIso = "MakerNotes":"AutoISO",
    MnWhiteBalance = "MakerNotes":"WhiteBalance",
    MnWbAsShot = "MakerNotes":"WB_RGGBLevelsAsShot",
    MnWbAuto = "MakerNotes":"WB_RGGBLevelsAuto",
    MnWbDaylight = "MakerNotes":"WB_RGGBLevelsDaylight",
    MnWbCloudy = "MakerNotes":"WB_RGGBLevelsCloudy",
    MnWbTungsten = "MakerNotes":"WB_RGGBLevelsTungsten",
    MnWbFluorescent = "MakerNotes":"WB_RGGBLevelsFluorescent",
    MnWbFlash = "MakerNotes":"WB_RGGBLevelsFlash",
    MnWbShade = "MakerNotes":"WB_RGGBLevelsShade",
    MnWbKelvin = "MakerNotes":"WB_RGGBLevelsKelvin",
    MnFlashBits = "MakerNotes":"FlashBits",
    MnFlashExposureComp = "MakerNotes":"FlashExposureComp",
    MnCanonFlashMode = "MakerNotes":"CanonFlashMode",
    MnShutterCurtainSync = "MakerNotes":"ShutterCurtainSync",
    MnFileIndex = "MakerNotes":"FileIndex",
    MnDirectoryIndex = "MakerNotes":"DirectoryIndex",
    MnFocusDistanceUpper = "MakerNotes":"FocusDistanceUpper",
    MnFocusDistanceLower = "MakerNotes":"FocusDistanceLower",
}

/// Groups whose `ImageWidth`/`ImageHeight` give the image size, in ExifTool's order.
const SIZES: [(Key, Key); 11] = [
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
    (Key::MnImageWidth, Key::MnImageHeight),
];

/// The composites being derived: where the tags they read are (for each [`Key`], the one
/// ExifTool would show, found in one pass), and the tag list they are appended to.
struct Composer<'t> {
    tags: &'t mut Vec<Tag>,
    /// The shared tag index (see [`crate::tag_index::TagIndex`]), which the composites of
    /// [`super::INDEXED`] are entered in as they are added.
    found: &'t mut [Option<u32>],
    /// The key id in `found` of each of [`super::INDEXED`].
    indexed_ids: &'t [usize; super::INDEXED.len()],
}

impl<'t> Composer<'t> {
    fn get(&self, key: Key) -> Option<&Value> {
        let pos = self.found.get(key as usize).copied().flatten()?;
        self.tags.get(pos as usize).map(|t| &t.value)
    }

    fn text(&self, key: Key) -> Option<&str> {
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

    /// Appends `Composite:<name>`, and enters it in the index when it is one of
    /// [`super::INDEXED`]. Always inlined: names are literals, so the search for the name
    /// is made by the compiler.
    #[inline(always)]
    fn add(&mut self, name: &'static str, v: Value) {
        let indexed = super::INDEXED.iter().position(|n| *n == name);
        let pos = self.tags.len();
        self.tags.push(Tag::new("Composite", name, v));
        if let Some(i) = indexed {
            self.enter(i, pos);
        }
    }

    /// Enters the tag at `pos`, the `i`th of [`super::INDEXED`], in the index as the
    /// positions pass would: unless a tag found before has a higher priority.
    fn enter(&mut self, i: usize, pos: usize) {
        let Some(best) = self.indexed_ids.get(i).and_then(|id| self.found.get_mut(*id)) else { return };
        let Some(tag) = self.tags.get(pos) else { return };
        if replaces(best.and_then(|b| self.tags.get(b as usize)), tag) {
            if let Ok(pos) = u32::try_from(pos) {
                *best = Some(pos);
            }
        }
    }

    /// Adds a derived number, rounded to 15 significant digits as ExifTool prints them.
    #[inline(always)]
    fn add_float(&mut self, name: &'static str, x: f64) {
        self.add(name, Value::Float(round15(x)));
    }
}

/// Two numbers as `%.15g %.15g`, built on the stack and made one text (inline when short).
fn pair(a: f64, b: f64) -> Text {
    let mut s = ShortText::new();
    push_g15(a, &mut s);
    s.push(' ');
    push_g15(b, &mut s);
    s.finish()
}

/// `a`, a space and `b` (ExifTool's joined date and time), with `suffix`.
fn joined(a: &str, b: &str, suffix: &str) -> Text {
    Text::concat(&[a, " ", b, suffix])
}

/// Derives image composites from the tags, appending them; `found[key]` is the position
/// in `tags` of the tag ExifTool would show for each [`Key`] (see [`crate::tag_index::TagIndex`]),
/// where the composites of [`super::INDEXED`] are entered too (at key ids `indexed_ids`).
pub(crate) fn derive(
    tags: &mut Vec<Tag>,
    found: &mut [Option<u32>],
    indexed_ids: &[usize; super::INDEXED.len()],
) {
    let mut c = Composer { tags, found, indexed_ids };
    let file_type = c.text(Key::FileFileType).unwrap_or("");
    let (raw_size, jpeg) = (matches!(file_type, "CR2" | "IIQ" | "EIP"), file_type == "JPEG");
    size(&mut c, raw_size);
    let aperture = exposure(&mut c);
    dates(&mut c);
    gps(&mut c);
    let mut added = Vec::new();
    let canon = super::canon::derive(&c, &mut added);
    for (name, v) in added {
        c.add(name, v);
    }
    optics(&mut c, aperture, jpeg, canon);
    colour(&mut c, canon.rgb);
    run_time(&mut c);
}

/// `ImageSize` and `Megapixels` (and, for Panasonic RW2, the image area inside the sensor
/// borders); `raw_size` takes the EXIF image size first, as for CR2, IIQ and EIP.
fn size(c: &mut Composer, raw_size: bool) {
    let mut size = None;
    if let (Some(t), Some(l), Some(b), Some(r)) = (
        c.num(Key::ExifSensorTopBorder),
        c.num(Key::ExifSensorLeftBorder),
        c.num(Key::ExifSensorBottomBorder),
        c.num(Key::ExifSensorRightBorder),
    ) {
        if r > l && b > t {
            c.add_float("ImageWidth", r - l);
            c.add_float("ImageHeight", b - t);
            size = Some((r - l, b - t));
        }
    }
    if size.is_none() {
        size = crop_size(c.get(Key::RafRawImageCroppedSize));
    }
    if size.is_none() && raw_size {
        size = c.num(Key::ExifExifImageWidth).zip(c.num(Key::ExifExifImageHeight));
    }
    if size.is_none() {
        size = SIZES.iter().find_map(|(w, h)| c.num(*w).zip(c.num(*h)));
    }
    if let Some((w, h)) = size.filter(|(w, h)| *w > 0.0 && *h > 0.0) {
        c.add("ImageSize", Value::from(pair(w, h)));
        c.add_float("Megapixels", w * h / 1e6);
    }
}

/// `Aperture`, `ShutterSpeed` and `LightValue`; returns the aperture.
fn exposure(c: &mut Composer) -> Option<f64> {
    let shutter = c
        .either(Key::ExifExposureTime, Key::XmpExposureTime)
        .or_else(|| c.num(Key::App12ExposureTime))
        .or_else(|| c.either(Key::ExifShutterSpeedValue, Key::XmpShutterSpeedValue))
        .or_else(|| c.num(Key::MnExposureTime));
    let aperture = c
        .either(Key::ExifFNumber, Key::XmpFNumber)
        .or_else(|| c.either(Key::ExifApertureValue, Key::XmpApertureValue))
        .or_else(|| c.num(Key::MnFNumber));
    if let Some(a) = aperture {
        c.add_float("Aperture", a);
    }
    if let Some(s) = shutter {
        c.add_float("ShutterSpeed", s);
    }
    let iso = c.either(Key::ExifIso, Key::XmpIso).or_else(|| super::canon::iso(c));
    if let (Some(a), Some(s), Some(iso)) = (aperture, shutter, iso) {
        if a > 0.0 && s > 0.0 && iso > 0.0 {
            c.add_float("LightValue", 2.0 * a.log2() - s.log2() - (iso / 100.0).log2());
        }
    }
    aperture
}

/// Dates with sub-seconds and offsets, and IPTC's dates joined with their times.
fn dates(c: &mut Composer) {
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
        if let Some(s) = c.text(date).and_then(|d| sub_sec_date(d, c.get(sub), c.text(offset))) {
            c.add(name, Value::from(s));
        }
    }
    if let Some(d) = c.text(Key::IptcDateCreated) {
        let dt = match c.text(Key::IptcTimeCreated) {
            Some(t) => joined(d, t, ""),
            None => Text::new(d),
        };
        if c.get(Key::ExifDateTimeOriginal).is_none() {
            c.add("DateTimeOriginal", Value::from(dt.clone()));
        }
        c.add("DateTimeCreated", Value::from(dt));
    }
    if let (Some(d), Some(t)) = (c.text(Key::IptcDigitalCreationDate), c.text(Key::IptcDigitalCreationTime)) {
        let dt = joined(d, t, "");
        c.add("DigitalCreationDateTime", Value::from(dt));
    }
}

/// The EXIF coordinate, negative when its reference starts with `neg` (`S`, `W`).
fn signed(c: &Composer, coord: Key, reference: Key, neg: char) -> Option<f64> {
    let v = c.num(coord)?;
    let r = c.text(reference).unwrap_or("");
    Some(if r.starts_with(neg) { -v.abs() } else { v })
}

/// The GPS position, altitude and time.
fn gps(c: &mut Composer) {
    let lat = signed(c, Key::ExifGpsLatitude, Key::ExifGpsLatitudeRef, 'S');
    let lon = signed(c, Key::ExifGpsLongitude, Key::ExifGpsLongitudeRef, 'W');
    if let Some(alt) = c.num(Key::ExifGpsAltitude) {
        let below = c.num(Key::ExifGpsAltitudeRef) == Some(1.0);
        c.add_float("GPSAltitude", if below { -alt.abs() } else { alt });
    }
    if let (Some(d), Some(t)) = (c.text(Key::ExifGpsDateStamp), c.text(Key::ExifGpsTimeStamp)) {
        let dt = joined(trim(d), trim(t), "Z");
        c.add("GPSDateTime", Value::from(dt));
    }
    // Coordinates that are present but not numbers (all-zero rationals) pass through.
    let raw = |c: &Composer, key: Key| {
        c.get(key).filter(|v| matches!(v, Value::Text(t) if t.trim().is_empty())).cloned()
    };
    if let Some(v) = lat.map(|x| Value::Float(round15(x))).or_else(|| raw(c, Key::ExifGpsLatitude)) {
        c.add("GPSLatitude", v);
    }
    if let Some(v) = lon.map(|x| Value::Float(round15(x))).or_else(|| raw(c, Key::ExifGpsLongitude)) {
        c.add("GPSLongitude", v);
    }
    let lat = lat.or_else(|| c.num(Key::XmpGpsLatitude));
    let lon = lon.or_else(|| c.num(Key::XmpGpsLongitude));
    if let Some(la) = lat {
        c.add("GPSLatitudeRef", Value::Text(if la < 0.0 { "S" } else { "N" }.into()));
    }
    if let Some(lo) = lon {
        c.add("GPSLongitudeRef", Value::Text(if lo < 0.0 { "W" } else { "E" }.into()));
    }
    if let (Some(la), Some(lo)) = (lat, lon) {
        c.add("GPSPosition", Value::from(pair(la, lo)));
    }
}

/// 35 mm equivalents, field of view, hyperfocal distance, depth of field and the lens;
/// `canon` holds what Canon's maker note adds.
fn optics(c: &mut Composer, aperture: Option<f64>, jpeg: bool, canon: super::canon::Optics) {
    let focal_any = c.either(Key::ExifFocalLength, Key::XmpFocalLength).or_else(|| c.num(Key::MnFocalLength));
    let focal = focal_any.filter(|f| *f > 0.0);
    let crop = crop_size(c.get(Key::ExifDefaultCropSize));
    // JPEGs are often resized, so a focal-plane scale outside any real camera's range
    // (a sensor under ~3 mm or over ~200 mm across) is dropped for them.
    let scale = scale_factor(c, focal, crop)
        .filter(|sc| !jpeg || c.num(Key::ExifFocalLengthIn35mmFormat).is_some() || (0.2..=15.0).contains(sc));
    if let Some(sc) = scale {
        c.add_float("ScaleFactor35efl", sc);
    }
    let coc = scale.map(|sc| FULL_FRAME_DIAG / (sc * 1440.0));
    if let Some(coc) = coc {
        c.add_float("CircleOfConfusion", coc);
    }
    // The focus distance (metres) a maker note gives: the field's width there, and the
    // depth of field around it.
    let distance = c.num(Key::MakerFocusDistance).filter(|d| d.is_finite() && *d > 0.0);
    if let (Some(f), Some(sc)) = (focal, scale) {
        let half = 36.0 / (2.0 * f * sc);
        match distance.filter(|d| *d > f / 1000.0) {
            // Focused at `d`, the lens sits `f·d/(d-f)` from the sensor: a narrower view.
            Some(d) => {
                let half = half * (d - f / 1000.0) / d;
                let degrees = 2.0 * half.atan() * 180.0 / EXIFTOOL_PI;
                c.add("FOV", Value::from(pair(degrees, 2.0 * d * half)));
            }
            None => c.add_float("FOV", 2.0 * half.atan() * 180.0 / EXIFTOOL_PI),
        }
    }
    if let Some(f) = focal_any.filter(|f| *f >= 0.0) {
        c.add_float("FocalLength35efl", f * scale.unwrap_or(1.0));
    }
    if let (Some(f), Some(a), Some(coc)) = (focal, aperture, coc) {
        if a > 0.0 {
            let h = f * f / (a * coc * 1000.0);
            c.add_float("HyperfocalDistance", h);
            // Near and far limits in metres; a far limit at infinity prints as 0.
            if let Some(d) = distance {
                let f = f / 1000.0;
                let near = d * h / (h + d - f);
                let far = if h > d - f { d * h / (h - d + f) } else { 0.0 };
                c.add("DOF", Value::from(pair(near, far)));
            }
        }
    }
    if let (Some(sc), Some(lens)) = (scale, canon.lens) {
        c.add_float("Lens35efl", lens * sc);
    }
    // Canon gives a focus range rather than a distance: its middle, when no note gave one.
    if let (Some(f), Some(a), Some(coc), Some(d), None) =
        (focal, aperture, coc, canon.focus_distance, distance)
    {
        if a > 0.0 && d > 0.0 {
            c.add("DOF", Value::from(super::canon::depth_of_field(f, a, coc, d)));
        }
    }
    // The maker's lens code wins over EXIF's lens name, as ExifTool has it.
    if let Some(id) = nikon_lens_id(c) {
        c.add("LensID", Value::from(id));
    } else if let Some(v) = c.get(Key::MakerLensType).cloned() {
        c.add("LensID", v);
    } else if let Some(lens) = c.text(Key::ExifLensModel).filter(|s| !s.is_empty()) {
        let lens = Text::new(lens);
        c.add("LensID", Value::from(lens));
    }
    // Nikon's focal and aperture range with its lens type (LensIDNumber marks a Nikon).
    if let (Some(lens), Some(kind), Some(_)) =
        (c.text(Key::MakerLens), c.get(Key::MakerLensType), c.get(Key::MakerLensIdNumber))
    {
        if lens.split_whitespace().count() == 4 && kind.as_i64().is_some() {
            let spec = format!("{lens} {}", kind.to_text());
            c.add("LensSpec", Value::from(spec));
        }
    }
}

/// Nikon's lens identifier as ExifTool prints it with `-n`: the eight raw bytes of the
/// lens record (ID number, f-stops, focal range, apertures at both ends, MCU version,
/// lens type) in hex, recovered from the converted LensData values.
fn nikon_lens_id(c: &Composer) -> Option<String> {
    let byte = |x: f64| -> Option<u8> {
        let r = x.round();
        ((x - r).abs() < 1e-6 && (0.0..=255.0).contains(&r)).then_some(r as u8)
    };
    let log24 = |x: f64| if x > 0.0 { 24.0 * x.log2() } else { f64::NAN };
    let parts = [
        byte(c.num(Key::MakerLensIdNumber)?)?,
        byte(c.num(Key::MakerLensFStops)? * 12.0)?,
        byte(log24(c.num(Key::MakerMinFocalLength)? / 5.0))?,
        byte(log24(c.num(Key::MakerMaxFocalLength)? / 5.0))?,
        byte(log24(c.num(Key::MakerMaxApertureAtMinFocal)?))?,
        byte(log24(c.num(Key::MakerMaxApertureAtMaxFocal)?))?,
        byte(c.num(Key::MakerMcuVersion)?)?,
        byte(c.num(Key::MakerLensType)?)?,
    ];
    Some(parts.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(" "))
}

/// White balance multipliers relative to green (Panasonic levels, RAF GRGB levels,
/// Canon's `maker_rgb`) and the colour filter pattern.
fn colour(c: &mut Composer, maker_rgb: Option<(f64, f64, f64)>) {
    let rgb = match (c.num(Key::ExifWbRedLevel), c.num(Key::ExifWbGreenLevel), c.num(Key::ExifWbBlueLevel)) {
        _ if maker_levels(c).is_some() => maker_levels(c),
        (Some(r), Some(g), Some(b)) => Some((r, g, b)),
        _ => c.text(Key::RafWbGrgbLevels).and_then(grgb_levels).or(maker_rgb),
    };
    if let Some((r, gr, b)) = rgb.filter(|rgb| rgb.1 > 0.0) {
        c.add_float("RedBalance", r / gr);
        c.add_float("BlueBalance", b / gr);
    }
    let pattern = match c.text(Key::ExifCfaPattern) {
        Some(p) => Some(Text::new(p)),
        None => c
            .text(Key::ExifCfaRepeatPatternDim)
            .zip(c.text(Key::ExifCfaPattern2))
            .map(|(dim, p)| joined(dim, p, "")),
    };
    if let Some(p) = pattern {
        c.add("CFAPattern", Value::from(p));
    }
}

/// EXIF's date, sub-seconds and offset as one date (`None` without either of the last two).
fn sub_sec_date(date: &str, sub: Option<&Value>, offset: Option<&str>) -> Option<Text> {
    let owned;
    let sub = match sub {
        Some(Value::Text(s)) => Some(s.as_str()),
        Some(other) => {
            owned = other.to_text();
            Some(owned.as_str())
        }
        None => None,
    };
    let sub = sub.map(trim).filter(|s| !s.is_empty());
    let offset = offset.map(trim).filter(|s| !s.is_empty());
    if sub.is_none() && offset.is_none() {
        return None;
    }
    let (dot, sub) = sub.map_or(("", ""), |s| (".", s));
    Some(Text::concat(&[trim(date), dot, sub, offset.unwrap_or("")]))
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

/// Red, green and blue white-balance levels from a maker note: its RGGB or RGBG levels
/// (green is the mean of the two), Olympus's red and blue levels over 256, or the red and blue
/// balances themselves.
fn maker_levels(c: &Composer) -> Option<(f64, f64, f64)> {
    let nums = |k: Key| -> Option<Vec<f64>> {
        let v: Vec<f64> = c.text(k)?.split_whitespace().map(str::parse).collect::<Result<_, _>>().ok()?;
        Some(v)
    };
    if let Some(&[r, g1, g2, b]) = nums(Key::MakerWbRggbLevels).as_deref() {
        return Some((r, (g1 + g2) / 2.0, b));
    }
    if let Some(&[r, g1, b, g2]) = nums(Key::MakerWbRgbgLevels).as_deref() {
        return Some((r, (g1 + g2) / 2.0, b));
    }
    if let Some(&[r, b]) = nums(Key::MakerWbRbLevels).as_deref() {
        return Some((r, 256.0, b));
    }
    Some((c.num(Key::MakerRedBalance)?, 1.0, c.num(Key::MakerBlueBalance)?))
}

/// Seconds since the phone was switched on, from Apple's RunTime record.
fn run_time(c: &mut Composer) {
    if let (Some(v), Some(scale)) = (c.num(Key::MakerRunTimeValue), c.num(Key::MakerRunTimeScale)) {
        if scale > 0.0 {
            c.add_float("RunTimeSincePowerUp", v / scale);
        }
    }
}

/// The ratio a RATIONAL tag held, from its value rounded to 10 significant digits (as
/// ExifTool prints rationals, and so as the tag keeps it): the simplest fraction within
/// that rounding, found by continued fractions. ExifTool derives its composites from the
/// exact ratio, and in the 35 mm scale the rounding shows in the 11th digit.
fn unrounded(x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return x;
    }
    let tolerance = 0.5 * 10f64.powi(x.log10().floor() as i32 - 9);
    let (mut h0, mut h1, mut k0, mut k1) = (0.0f64, 1.0f64, 1.0f64, 0.0f64);
    let mut rest = x;
    for _ in 0..32 {
        let a = rest.floor();
        (h0, h1) = (h1, a * h1 + h0);
        (k0, k1) = (k1, a * k1 + k0);
        if (h1 / k1 - x).abs() <= tolerance || k1 > 1e9 {
            return h1 / k1;
        }
        let frac = rest - a;
        if frac <= 0.0 {
            break;
        }
        rest = 1.0 / frac;
    }
    x
}

/// The 35 mm scale factor: from FocalLengthIn35mmFormat, else from the sensor size given
/// by the focal-plane resolution and the image dimensions.
fn scale_factor(c: &Composer, focal: Option<f64>, crop: Option<(f64, f64)>) -> Option<f64> {
    if let (Some(f35), Some(f)) = (c.num(Key::ExifFocalLengthIn35mmFormat).filter(|v| *v > 0.0), focal) {
        return Some(f35 / f);
    }
    // The sensor's diagonal in mm, as Olympus notes give it; over the full-frame diagonal
    // as ExifTool writes it to 15 digits (its last digits show in the FOV it derives).
    if let Some(diag) = c.num(Key::MakerFocalPlaneDiagonal).filter(|v| *v > 0.0) {
        return Some(43.266_615_305_567_9 / diag);
    }
    let Some(unit) = c.num(Key::ExifFocalPlaneResolutionUnit) else { return sensor_scale(c) };
    let unit = match unit as i64 {
        1 | 2 => 25.4,
        3 => 10.0,
        4 => 1.0,
        5 => 0.001,
        _ => return None,
    };
    let (Some(xr), Some(yr)) = (
        c.num(Key::ExifFocalPlaneXResolution).filter(|v| *v > 0.0).map(unrounded),
        c.num(Key::ExifFocalPlaneYResolution).filter(|v| *v > 0.0).map(unrounded),
    ) else {
        return sensor_scale(c);
    };
    // Canon's own image size first: its EXIF size can be the thumbnail's.
    let (w, h) = c
        .num(Key::MnCanonImageWidth)
        .zip(c.num(Key::MnCanonImageHeight))
        .or_else(|| c.num(Key::ExifExifImageWidth).zip(c.num(Key::ExifExifImageHeight)))
        .or(crop)
        .or_else(|| c.num(Key::ExifImageWidth).zip(c.num(Key::ExifImageHeight)))?;
    let diag = ((w / xr * unit).powi(2) + (h / yr * unit).powi(2)).sqrt();
    (diag > 0.0).then(|| FULL_FRAME_DIAG / diag)
}

/// The 35 mm scale factor from the sensor size a maker note gives in millimetres.
fn sensor_scale(c: &Composer) -> Option<f64> {
    let (w, h) = c.num(Key::MnFocalPlaneXSize).zip(c.num(Key::MnFocalPlaneYSize))?;
    let diag = (w * w + h * h).sqrt();
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

    #[test]
    fn rationals_come_back_from_their_ten_digit_rounding() {
        let rounded = crate::base::number::round_sig(768_000.0 / 223.0, 10);
        assert_eq!(super::unrounded(rounded), 768_000.0 / 223.0);
        assert_eq!(super::unrounded(300.0), 300.0);
        assert_eq!(super::unrounded(0.5), 0.5);
        let pi = crate::base::number::round_sig(std::f64::consts::PI, 10);
        assert!((super::unrounded(pi) - pi).abs() <= 5e-10);
    }
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
        let mut tags = tags;
        let mut index = crate::tag_index::TagIndex::new(&tags);
        index.add_composites(&mut tags);
        let get =
            |n: &str| tags.iter().find(|t| t.group == "Composite" && t.name == n).map(|t| t.value.clone());
        assert_eq!(get("GPSPosition"), Some(Value::Text("-22.9519 -43.2105".into())));
        assert_eq!(get("GPSAltitude"), Some(Value::Float(-3.2)));
        assert_eq!(get("GPSLatitudeRef"), Some(Value::Text("S".into())));
        assert_eq!(get("ImageSize"), Some(Value::Text("480 640".into())));
        assert_eq!(get("Megapixels"), Some(Value::Float(0.3072)));
        let lv = get("LightValue").and_then(|v| v.as_f64()).unwrap_or(0.0);
        assert!((lv - 7.41503749927884).abs() < 1e-9, "{lv}");
    }
}

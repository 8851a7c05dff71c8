//! Image composites: the `Composite:` tags ExifTool derives from EXIF, GPS, IPTC and the
//! container's dimensions (GPS position, image size, exposure, optics, sub-second dates).
//! Formulas are the public photographic ones (APEX light value, 35 mm equivalents,
//! circle of confusion = diagonal / 1440, hyperfocal distance = f² / (N c)).

mod canon_note;
mod colour;
mod optics;

use super::g15::{push_g15, round15};
use crate::base::short_text::{Out, ShortText};
use crate::base::text::trim;
use crate::model::{Tag, Text, Value, replaces};

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
    XmpGpsAltitude = "XMP":"GPSAltitude",
    XmpGpsAltitudeRef = "XMP":"GPSAltitudeRef",
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
    ExifMake = "EXIF":"Make",
    XmpFocalLengthIn35mmFormat = "XMP":"FocalLengthIn35mmFormat",
    XmpFocalPlaneXResolution = "XMP":"FocalPlaneXResolution",
    MakerFocalPlaneXSize = "MakerNotes":"FocalPlaneXSize",
    MakerFocalPlaneYSize = "MakerNotes":"FocalPlaneYSize",
    MakerFocalPlaneDiagonal = "MakerNotes":"FocalPlaneDiagonal",
    XmpLensModel = "XMP":"LensModel",
    XmpLens = "XMP":"Lens",
    XmpFlashFired = "XMP":"FlashFired",
    XmpFlashReturn = "XMP":"FlashReturn",
    XmpFlashMode = "XMP":"FlashMode",
    XmpFlashFunction = "XMP":"FlashFunction",
    XmpFlashRedEyeMode = "XMP":"FlashRedEyeMode",
    MakerFocusDistance = "MakerNotes":"FocusDistance",
    MakerFocusDistanceUpper = "MakerNotes":"FocusDistanceUpper",
    MakerFocusDistanceLower = "MakerNotes":"FocusDistanceLower",
    ExifSubjectDistance = "EXIF":"SubjectDistance",
    MakerObjectDistance = "MakerNotes":"ObjectDistance",
    XmpSubjectDistance = "XMP":"SubjectDistance",
    XmpApproximateFocusDistance = "XMP":"ApproximateFocusDistance",
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
    MakerWbRgbLevels = "MakerNotes":"WB_RGBLevels",
    MakerLensModel = "MakerNotes":"LensModel",
    MakerRedBalance = "MakerNotes":"RedBalance",
    MakerBlueBalance = "MakerNotes":"BlueBalance",
    MakerRunTimeValue = "MakerNotes":"RunTimeValue",
    MakerRunTimeScale = "MakerNotes":"RunTimeScale",
    MnFNumber = "MakerNotes":"FNumber",
    MnIso = "MakerNotes":"ISO",
    MnWbUncorrected = "MakerNotes":"WB_RGGBLevelsUncorrected",
    MnWbBlack = "MakerNotes":"WB_RGGBLevelsBlack",
    MnFocalLength = "MakerNotes":"FocalLength",
    MnExposureTime = "MakerNotes":"ExposureTime",
    MnImageWidth = "MakerNotes":"ImageWidth",
    MnImageHeight = "MakerNotes":"ImageHeight",
    MnCanonImageWidth = "MakerNotes":"CanonImageWidth",
    MnCanonImageHeight = "MakerNotes":"CanonImageHeight",
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
    let raw_size = matches!(file_type, "CR2" | "IIQ" | "EIP");
    size(&mut c, raw_size);
    let aperture = exposure(&mut c);
    dates(&mut c);
    gps(&mut c);
    optics::flash(&mut c);
    let mut added = Vec::new();
    let canon = super::canon::derive(&c, &mut added);
    for (name, v) in added {
        c.add(name, v);
    }
    optics::optics(&mut c, aperture, canon);
    colour::colour(&mut c, canon.rgb);
    colour::run_time(&mut c);
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
    if size.is_none() {
        size = named("ImageWidth", c.tags).zip(named("ImageHeight", c.tags));
    }
    if let Some((w, h)) = size.filter(|(w, h)| *w > 0.0 && *h > 0.0) {
        c.add("ImageSize", Value::from(pair(w, h)));
        c.add_float("Megapixels", w * h / 1e6);
    } else if let Some((w, h)) = c.tags.iter().filter(|t| t.name == "ImageSize").find_map(|t| wxh(&t.value)) {
        // A container's own `ImageSize` ("w h") still gives the megapixels.
        c.add_float("Megapixels", w * h / 1e6);
    }
}

/// The number of the first tag called `name` in any group but `Composite` (formats
/// whose dimensions none of [`SIZES`] holds: Matroska, DjVu, Flash, X3F...); only read
/// when those are missing.
fn named(name: &str, tags: &[Tag]) -> Option<f64> {
    let t = tags.iter().find(|t| t.name == name && t.group != "Composite")?;
    match &t.value {
        Value::Text(_) | Value::List(_) => None,
        v => v.as_f64(),
    }
}

/// `"w h"` or `"wxh"` as two positive numbers.
fn wxh(v: &Value) -> Option<(f64, f64)> {
    let s = v.as_str()?;
    let mut it = s.split([' ', 'x']).filter(|p| !p.is_empty()).map(str::parse::<f64>);
    let (w, h) = (it.next()?.ok()?, it.next()?.ok()?);
    (w > 0.0 && h > 0.0 && it.next().is_none()).then_some((w, h))
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
    // An ISO of several values (an XMP list) is not one number: no light value.
    let several = |v: Option<&Value>| matches!(v, Some(Value::List(l)) if l.len() > 1);
    let iso =
        if several(c.get(Key::ExifIso)) || (c.get(Key::ExifIso).is_none() && several(c.get(Key::XmpIso))) {
            None
        } else {
            c.either(Key::ExifIso, Key::XmpIso)
                .or_else(|| super::canon::iso(c))
                .or_else(|| maker_iso(c, aperture, shutter))
        };
    if let (Some(a), Some(s), Some(iso)) = (aperture, shutter, iso) {
        if a > 0.0 && s > 0.0 && iso > 0.0 {
            c.add_float("LightValue", 2.0 * a.log2() - s.log2() - (iso / 100.0).log2());
        }
    }
    aperture
}

/// A maker note's ISO, for a note inside EXIF (Kyocera's raw header, also filed under
/// `MakerNotes`, stores a code) whose aperture and exposure time, if it has them, are
/// those the light value uses: ExifTool may take a note's exposure over EXIF's when
/// the note gives the ISO, a choice followed only where both agree.
fn maker_iso(c: &Composer, aperture: Option<f64>, shutter: Option<f64>) -> Option<f64> {
    let agrees = |k: Key, v: Option<f64>| c.num(k).is_none_or(|m| Some(m) == v);
    let exif = c.get(Key::ExifMake).is_some();
    (exif && agrees(Key::MnFNumber, aperture) && agrees(Key::MnExposureTime, shutter))
        .then(|| c.num(Key::MnIso))?
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
    // ExifTool joins IPTC's date only with its time: a date alone makes neither tag.
    if let (Some(d), Some(t)) = (c.text(Key::IptcDateCreated), c.text(Key::IptcTimeCreated)) {
        let dt = joined(d, t, "");
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

/// The EXIF coordinate signed by its reference (negative when it starts with `neg`:
/// `S`, `W`); `None` without the reference, as ExifTool makes no composite then.
fn signed(c: &Composer, coord: Key, reference: Key, neg: char) -> Option<f64> {
    let r = c.text(reference)?;
    let v = c.num(coord)?;
    Some(if r.starts_with(neg) { -v.abs() } else { v })
}

/// The altitude with its reference from one source (EXIF, else XMP): a reference from
/// the other source does not count.
fn altitude(c: &Composer) -> Option<f64> {
    let pair = |alt, r| Some((c.num(alt)?, c.num(r)?));
    let (alt, r) = pair(Key::ExifGpsAltitude, Key::ExifGpsAltitudeRef)
        .or_else(|| pair(Key::XmpGpsAltitude, Key::XmpGpsAltitudeRef))?;
    Some(if r == 1.0 { -alt.abs() } else { alt })
}

/// The GPS position, altitude and time. The signed coordinates and the altitude need
/// their references; the position takes them, else the coordinates as stored.
fn gps(c: &mut Composer) {
    let lat = signed(c, Key::ExifGpsLatitude, Key::ExifGpsLatitudeRef, 'S');
    let lon = signed(c, Key::ExifGpsLongitude, Key::ExifGpsLongitudeRef, 'W');
    if let Some(alt) = altitude(c) {
        c.add_float("GPSAltitude", alt);
    }
    if let (Some(d), Some(t)) = (c.text(Key::ExifGpsDateStamp), c.text(Key::ExifGpsTimeStamp)) {
        let dt = joined(trim(d), trim(t), "Z");
        c.add("GPSDateTime", Value::from(dt));
    }
    // Coordinates that are present but not numbers (all-zero rationals) pass through.
    let raw = |c: &Composer, key: Key, reference: Key| {
        c.get(reference)?;
        c.get(key).filter(|v| matches!(v, Value::Text(t) if t.trim().is_empty())).cloned()
    };
    let v = lat.map(|x| Value::Float(round15(x)));
    if let Some(v) = v.or_else(|| raw(c, Key::ExifGpsLatitude, Key::ExifGpsLatitudeRef)) {
        c.add("GPSLatitude", v);
    }
    let v = lon.map(|x| Value::Float(round15(x)));
    if let Some(v) = v.or_else(|| raw(c, Key::ExifGpsLongitude, Key::ExifGpsLongitudeRef)) {
        c.add("GPSLongitude", v);
    }
    // The references ExifTool derives come from XMP's signed coordinates only.
    if let Some(la) = c.num(Key::XmpGpsLatitude) {
        c.add("GPSLatitudeRef", Value::Text(if la < 0.0 { "S" } else { "N" }.into()));
    }
    if let Some(lo) = c.num(Key::XmpGpsLongitude) {
        c.add("GPSLongitudeRef", Value::Text(if lo < 0.0 { "W" } else { "E" }.into()));
    }
    let lat = lat.or_else(|| c.num(Key::ExifGpsLatitude)).or_else(|| c.num(Key::XmpGpsLatitude));
    let lon = lon.or_else(|| c.num(Key::ExifGpsLongitude)).or_else(|| c.num(Key::XmpGpsLongitude));
    if let (Some(la), Some(lo)) = (lat, lon) {
        c.add("GPSPosition", Value::from(pair(la, lo)));
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

/// The first number of a value (ISO may be a list).
fn first_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Text(s) => s.split_whitespace().next()?.parse().ok(),
        Value::List(l) => l.first().and_then(first_f64),
        v => v.as_f64(),
    }
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
        let mut tags = tags;
        let mut index = crate::tag_index::TagIndex::new(&tags);
        index.add_composites(&mut tags);
        let get =
            |n: &str| tags.iter().find(|t| t.group == "Composite" && t.name == n).map(|t| t.value.clone());
        assert_eq!(get("GPSPosition"), Some(Value::Text("-22.9519 -43.2105".into())));
        assert_eq!(get("GPSAltitude"), Some(Value::Float(-3.2)));
        assert_eq!(get("GPSLatitude"), Some(Value::Float(-22.9519)));
        // ExifTool derives the references from XMP coordinates only.
        assert_eq!(get("GPSLatitudeRef"), None);
        assert_eq!(get("ImageSize"), Some(Value::Text("480 640".into())));
        assert_eq!(get("Megapixels"), Some(Value::Float(0.3072)));
        let lv = get("LightValue").and_then(|v| v.as_f64()).unwrap_or(0.0);
        assert!((lv - 7.41503749927884).abs() < 1e-9, "{lv}");
    }

    /// Values from ExifTool's output for a Nikon D2Hs JPEG (focal length 50 mm, 35 mm
    /// equivalent 75 mm, f/4, focus distance from the maker notes).
    #[test]
    fn field_of_view_and_depth_of_field_at_the_focus_distance() {
        let mut tags = vec![
            Tag::new("EXIF", "FNumber", 4),
            Tag::new("EXIF", "FocalLength", 50.0),
            Tag::new("EXIF", "FocalLengthIn35mmFormat", 75),
            Tag::new("MakerNotes", "FocusDistance", 0.707945784384138),
        ];
        let mut index = crate::tag_index::TagIndex::new(&tags);
        index.add_composites(&mut tags);
        let get =
            |n: &str| tags.iter().find(|t| t.group == "Composite" && t.name == n).map(|t| t.value.clone());
        assert_eq!(get("FOV"), Some(Value::Text("25.1479641359127 0.315813976504386".into())));
        assert_eq!(get("DOF"), Some(Value::Text("0.693325809394639 0.723195615956146".into())));
        assert_eq!(get("HyperfocalDistance"), Some(Value::Float(31.2018860376691)));
    }
}

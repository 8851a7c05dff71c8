//! Minolta and Konica Minolta maker notes: a bare IFD whose offsets count from the parent
//! TIFF header. Its CameraSettings blocks are big-endian 32-bit words whatever the file's
//! byte order, most of them coded (APEX-like steps of 1/8 EV, fixed point).

use super::Note;
use super::binary::{Block, Fmt, emit, f, fc};
use super::ifd::{MakerIfd, Named, Table, push, push_named};
use crate::context::Ctx;
use crate::model::{Text, Value};

const GROUP: &str = "Minolta";

const MAIN: Table = &[
    (0x0000, Named::Plain("MakerNoteVersion")),
    (0x0040, Named::Plain("CompressedImageSize")),
    (0x0089, Named::Plain("PreviewImageLength")),
    (0x0100, Named::Plain("SceneMode")),
    (0x0101, Named::Plain("ColorMode")),
    (0x0102, Named::Plain("MinoltaQuality")),
    (0x0104, Named::Plain("FlashExposureComp")),
    (0x0105, Named::Plain("Teleconverter")),
    (0x0107, Named::Plain("ImageStabilization")),
    (0x0109, Named::Plain("RawAndJpgRecording")),
    (0x010A, Named::Plain("ZoneMatching")),
    (0x010B, Named::Plain("ColorTemperature")),
    (0x010C, Named::Plain("LensType")),
    (0x0111, Named::Plain("ColorCompensationFilter")),
    (0x0112, Named::Plain("WhiteBalanceFineTune")),
    (0x0113, Named::Plain("ImageStabilization")),
    (0x0115, Named::Plain("WhiteBalance")),
];

fn f64_of(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// ISO from its 1/8-step code.
fn iso(v: Value) -> Option<Value> {
    Some(Value::Float(((f64_of(&v)? / 8.0) - 1.0).exp2() * 3.125))
}

/// Exposure time from its 1/8-step code.
fn exposure_time(v: Value) -> Option<Value> {
    Some(Value::Float(((48.0 - f64_of(&v)?) / 8.0).exp2()))
}

/// F-number from its 1/8-step code.
fn aperture(v: Value) -> Option<Value> {
    Some(Value::Float(((f64_of(&v)? / 8.0 - 1.0) / 2.0).exp2()))
}

/// Compensation in thirds of a stop, 6 meaning none.
fn thirds(v: Value) -> Option<Value> {
    Some(Value::Float(f64_of(&v)? / 3.0 - 2.0))
}

fn per_256(v: Value) -> Option<Value> {
    Some(Value::Float(f64_of(&v)? / 256.0))
}

fn per_1000(v: Value) -> Option<Value> {
    Some(Value::Float(f64_of(&v)? / 1000.0))
}

/// Brightness in 1/8 EV, 48 meaning none.
fn brightness(v: Value) -> Option<Value> {
    Some(Value::Float(f64_of(&v)? / 8.0 - 6.0))
}

/// A date packed as year (16 bits), month, day.
fn date(v: Value) -> Option<Value> {
    let n = v.as_i64()?;
    Some(Value::Text(Text::from(format!("{:04}:{:02}:{:02}", n >> 16, (n >> 8) & 0xFF, n & 0xFF))))
}

/// A time packed as hour, minute, second in the low three bytes.
fn time(v: Value) -> Option<Value> {
    let n = v.as_i64()?;
    Some(Value::Text(Text::from(format!("{:02}:{:02}:{:02}", (n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF))))
}

/// CameraSettings (0x0001, 0x0003): 32-bit words, indexed by word.
const CAMERA_SETTINGS: Block = Block {
    unit: 4,
    fields: &[
        f(1, "ExposureMode", Fmt::U32),
        f(2, "FlashMode", Fmt::U32),
        f(3, "WhiteBalance", Fmt::U32),
        f(4, "MinoltaImageSize", Fmt::U32),
        f(5, "MinoltaQuality", Fmt::U32),
        f(6, "DriveMode", Fmt::U32),
        f(7, "MeteringMode", Fmt::U32),
        fc(8, "ISO", Fmt::U32, iso),
        fc(9, "ExposureTime", Fmt::U32, exposure_time),
        fc(10, "FNumber", Fmt::U32, aperture),
        f(11, "MacroMode", Fmt::U32),
        f(12, "DigitalZoom", Fmt::U32),
        fc(13, "ExposureCompensation", Fmt::U32, thirds),
        f(14, "BracketStep", Fmt::U32),
        f(16, "IntervalLength", Fmt::U32),
        f(17, "IntervalNumber", Fmt::U32),
        fc(18, "FocalLength", Fmt::U32, per_256),
        fc(19, "FocusDistance", Fmt::U32, per_1000),
        f(20, "FlashFired", Fmt::U32),
        fc(21, "MinoltaDate", Fmt::U32, date),
        fc(22, "MinoltaTime", Fmt::U32, time),
        fc(23, "MaxAperture", Fmt::U32, aperture),
        f(26, "FileNumberMemory", Fmt::U32),
        f(27, "LastFileNumber", Fmt::U32),
        fc(28, "ColorBalanceRed", Fmt::U32, per_256),
        fc(29, "ColorBalanceGreen", Fmt::U32, per_256),
        fc(30, "ColorBalanceBlue", Fmt::U32, per_256),
        f(33, "Sharpness", Fmt::U32),
        f(34, "SubjectProgram", Fmt::U32),
        fc(35, "FlashExposureComp", Fmt::U32, thirds),
        f(36, "ISOSetting", Fmt::U32),
        f(37, "MinoltaModelID", Fmt::U32),
        f(38, "IntervalMode", Fmt::U32),
        f(39, "FolderName", Fmt::U32),
        f(40, "ColorMode", Fmt::U32),
        f(42, "BWFilter", Fmt::U32),
        f(43, "InternalFlash", Fmt::U32),
        fc(44, "Brightness", Fmt::U32, brightness),
        f(45, "SpotFocusPointX", Fmt::U32),
        f(46, "SpotFocusPointY", Fmt::U32),
        f(47, "WideFocusZone", Fmt::U32),
        f(48, "FocusMode", Fmt::U32),
        f(49, "FocusArea", Fmt::U32),
        f(50, "DECPosition", Fmt::U32),
        f(63, "FlashMetering", Fmt::U32),
    ],
};

/// Reads a Minolta maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let ifd = MakerIfd::tiff_relative(note, note.le);
    let entries = ifd.entries(cx, 0);
    push_named(cx, GROUP, MAIN, &entries, |cx, e| match e.tag {
        0x0001 | 0x0003 => {
            if let Some(d) = e.bytes {
                camera_settings(cx, d);
            }
            true
        }
        // Present only when stabilisation was on.
        0x0018 => {
            push(cx, GROUP, "ImageStabilization", Value::from("On"));
            true
        }
        // A file offset, from the TIFF header's.
        0x0088 => {
            if let Some(v) = e.value().as_i64() {
                let start = note.at.saturating_sub(note.tiff_pos).saturating_add(v.max(0) as u64);
                push(cx, GROUP, "PreviewImageStart", Value::from(start));
            }
            true
        }
        _ => false,
    });
}

/// CameraSettings, then the three settings coded with 3 as neutral.
fn camera_settings(cx: &mut Ctx, d: &[u8]) {
    emit(cx, GROUP, &CAMERA_SETTINGS, d, false);
    for (index, name) in [(31usize, "Saturation"), (32, "Contrast"), (41, "ColorFilter")] {
        if let Some(v) = super::binary::read_at(d, index * 4, Fmt::U32, false).and_then(|v| v.as_i64()) {
            push(cx, GROUP, name, Value::Int(v - 3));
        }
    }
}

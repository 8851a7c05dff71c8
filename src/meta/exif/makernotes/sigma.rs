//! Sigma and Foveon maker notes: `SIGMA\0\0\0` or `FOVEON\0\0` and a version, then an IFD
//! (offsets from the parent TIFF header) of text values, several of them prefixed with
//! their own label (`Expo:+0.8`), which ExifTool drops; later bodies (DP1, DP2) write
//! numbers as rationals and add the preview, exposure and calibration tags.

use super::Note;
use super::conv::number_if_numeric;
use super::ifd::{MakerIfd, Named, Table, push, push_named};
use crate::context::Ctx;
use crate::model::{Text, Value};

const GROUP: &str = "Sigma";

const MAIN: Table = &[
    (0x0002, Named::Conv("SerialNumber", number_if_numeric)),
    (0x0003, Named::Plain("DriveMode")),
    (0x0004, Named::Plain("ResolutionMode")),
    (0x0005, Named::Plain("AFMode")),
    (0x0006, Named::Plain("FocusSetting")),
    (0x0007, Named::Plain("WhiteBalance")),
    (0x0008, Named::Plain("ExposureMode")),
    (0x0009, Named::Conv("MeteringMode", number_if_numeric)),
    (0x000A, Named::Conv("LensFocalRange", number_if_numeric)),
    (0x000B, Named::Plain("ColorSpace")),
    (0x0015, Named::Plain("AdjustmentMode")),
    (0x0017, Named::Plain("Firmware")),
    (0x0018, Named::Plain("Software")),
    (0x0019, Named::Plain("AutoBracket")),
    (0x001A, Named::Offset("PreviewImageStart")),
    (0x001B, Named::Plain("PreviewImageLength")),
    (0x001C, Named::Plain("PreviewImageSize")),
    (0x001D, Named::Plain("MakerNoteVersion")),
    (0x001F, Named::Plain("AFPoint")),
    (0x0022, Named::Plain("FileFormat")),
    (0x0024, Named::Plain("Calibration")),
    (0x002C, Named::Plain("ColorMode")),
    (0x0030, Named::Plain("LensApertureRange")),
    (0x0031, Named::Plain("FNumber")),
    (0x0032, Named::Plain("ExposureTime")),
    (0x0033, Named::Conv("ExposureTime2", micro)),
    (0x0034, Named::Plain("BurstShot")),
    (0x0035, Named::Plain("ExposureCompensation")),
    (0x0039, Named::Conv("SensorTemperature", number_if_numeric)),
    (0x003A, Named::Plain("FlashExposureComp")),
    (0x003B, Named::Plain("Firmware")),
    (0x003C, Named::Plain("WhiteBalance")),
];

/// Microseconds written as text, in seconds.
fn micro(v: Value) -> Option<Value> {
    Some(Value::Float(v.as_f64()? / 1e6))
}

/// Tags whose text carries a label before a colon.
const LABELLED: &[(u16, &str)] = &[
    (0x000C, "ExposureCompensation"),
    (0x000D, "Contrast"),
    (0x000E, "Shadow"),
    (0x000F, "Highlight"),
    (0x0010, "Saturation"),
    (0x0011, "Sharpness"),
    (0x0012, "X3FillLight"),
    (0x0014, "ColorAdjustment"),
    (0x0016, "Quality"),
];

/// Reads a Sigma maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let ifd = MakerIfd::tiff_relative(note, note.le);
    let entries = ifd.entries(cx, 10);
    push_named(cx, GROUP, MAIN, &entries, |cx, e| {
        let Some((_, name)) = LABELLED.iter().find(|(t, _)| *t == e.tag) else { return false };
        // Later bodies write these as rationals; the one at 0x000C is then ExposureAdjust,
        // which ExifTool leaves out.
        if e.typ != 2 {
            if e.tag != 0x000C {
                push(cx, GROUP, *name, e.value());
            }
            return true;
        }
        if let Some(t) = e.text() {
            let rest = t.split_once(':').map_or(t.as_str(), |(_, r)| r);
            if let Some(v) = number_if_numeric(Value::Text(Text::from(rest))) {
                push(cx, GROUP, *name, v);
            }
        }
        true
    });
}

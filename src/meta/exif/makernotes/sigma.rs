//! Sigma and Foveon maker notes: `SIGMA\0\0\0` or `FOVEON\0\0` and a version, then an IFD
//! (offsets from the parent TIFF header) of text values, several of them prefixed with
//! their own label (`Expo:+0.8`), which ExifTool drops.

use super::Note;
use super::conv::number_if_numeric;
use super::ifd::{MakerIfd, Named, Table, push, push_named};
use crate::context::Ctx;
use crate::model::{Text, Value};

const GROUP: &str = "Sigma";

const MAIN: Table = &[
    (0x0002, Named::Plain("SerialNumber")),
    (0x0003, Named::Plain("DriveMode")),
    (0x0004, Named::Plain("ResolutionMode")),
    (0x0005, Named::Plain("AFMode")),
    (0x0006, Named::Plain("FocusSetting")),
    (0x0007, Named::Plain("WhiteBalance")),
    (0x0008, Named::Plain("ExposureMode")),
    (0x0009, Named::Conv("MeteringMode", number_if_numeric)),
    (0x000A, Named::Plain("LensFocalRange")),
    (0x000B, Named::Plain("ColorSpace")),
    (0x0015, Named::Plain("AdjustmentMode")),
    (0x0017, Named::Plain("Firmware")),
    (0x0018, Named::Plain("Software")),
    (0x0019, Named::Plain("AutoBracket")),
];

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
        if let Some(t) = e.text() {
            let rest = t.split_once(':').map_or(t.as_str(), |(_, r)| r);
            if let Some(v) = number_if_numeric(Value::Text(Text::from(rest))) {
                push(cx, GROUP, *name, v);
            }
        }
        true
    });
}

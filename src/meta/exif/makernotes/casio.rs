//! Casio maker notes. The first kind is a bare IFD; the second (`QVC\0` and two bytes)
//! holds its IFD after that header. Both count value offsets from the parent TIFF header.

use super::Note;
use super::conv::div1000;
use super::ifd::{MakerIfd, Named, Table, push, push_named};
use crate::context::Ctx;
use crate::model::{Text, Value};

const GROUP: &str = "Casio";

/// Tags of the headerless note.
const TYPE1: Table = &[
    (0x0001, Named::Plain("RecordingMode")),
    (0x0002, Named::Plain("Quality")),
    (0x0003, Named::Plain("FocusMode")),
    (0x0004, Named::Plain("FlashMode")),
    (0x0005, Named::Plain("FlashIntensity")),
    (0x0006, Named::Conv("ObjectDistance", div1000)),
    (0x0007, Named::Plain("WhiteBalance")),
    (0x000A, Named::Plain("DigitalZoom")),
    (0x000B, Named::Plain("Sharpness")),
    (0x000C, Named::Plain("Contrast")),
    (0x000D, Named::Plain("Saturation")),
    (0x0014, Named::Plain("ISO")),
    (0x0015, Named::Plain("FirmwareDate")),
    (0x0016, Named::Plain("Enhancement")),
    (0x0017, Named::Plain("ColorFilter")),
    (0x0018, Named::Plain("AFPoint")),
    (0x0019, Named::Plain("FlashIntensity")),
];

/// Tags of the `QVC` note.
const TYPE2: Table = &[
    (0x0002, Named::Plain("PreviewImageSize")),
    (0x0003, Named::Plain("PreviewImageLength")),
    (0x0004, Named::Offset("PreviewImageStart")),
    (0x0008, Named::Plain("QualityMode")),
    (0x0009, Named::Plain("CasioImageSize")),
    (0x000D, Named::Plain("FocusMode")),
    (0x0014, Named::Plain("ISO")),
    (0x0019, Named::Plain("WhiteBalance")),
    (0x001D, Named::Conv("FocalLength", super::conv::div10)),
    (0x001F, Named::Plain("Saturation")),
    (0x0020, Named::Plain("Contrast")),
    (0x0021, Named::Plain("Sharpness")),
    (0x2000, Named::Binary("PreviewImage")),
    (0x2011, Named::Plain("WhiteBalanceBias")),
    (0x2012, Named::Plain("WhiteBalance")),
    (0x2021, Named::Plain("AFPointPosition")),
    (0x2022, Named::Conv("ObjectDistance", div1000)),
    (0x2034, Named::Plain("FlashDistance")),
    (0x3000, Named::Plain("RecordMode")),
    (0x3001, Named::Plain("ReleaseMode")),
    (0x3002, Named::Plain("Quality")),
    (0x3003, Named::Plain("FocusMode")),
    (0x3006, Named::Plain("HometownCity")),
    (0x3007, Named::Plain("BestShotMode")),
    (0x3008, Named::Plain("AutoISO")),
    (0x3009, Named::Plain("AFMode")),
    (0x3014, Named::Plain("ISO")),
    (0x3015, Named::Plain("ColorMode")),
    (0x3016, Named::Plain("Enhancement")),
    (0x3017, Named::Plain("ColorFilter")),
    (0x301B, Named::Plain("ArtMode")),
    (0x301C, Named::Plain("SequenceNumber")),
    (0x3020, Named::Plain("ImageStabilization")),
];

/// Reads a Casio maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let ifd = MakerIfd::tiff_relative(note, note.le);
    if note.data.starts_with(b"QVC\0") {
        let entries = ifd.entries(cx, 6);
        push_named(cx, GROUP, TYPE2, &entries, |cx, e| {
            // Sharpness, contrast and saturation: one signed 16-bit value stored as
            // undefined bytes.
            if let (0x3011..=0x3013, Some(d)) = (e.tag, e.bytes) {
                let name = ["Sharpness", "Contrast", "Saturation"][usize::from(e.tag - 0x3011)];
                if let Some(v) = super::binary::read_at(d, 0, super::binary::Fmt::I16, e.le) {
                    push(cx, GROUP, name, v);
                }
                return true;
            }
            // Digits in pairs with NULs between them (`0302..2809..45..`).
            if e.tag != 0x2001 {
                return false;
            }
            let digits: String = e
                .bytes
                .unwrap_or_default()
                .iter()
                .filter(|b| b.is_ascii_digit())
                .map(|b| char::from(*b))
                .collect();
            if !digits.is_empty() {
                push(cx, GROUP, "FirmwareDate", Value::Text(Text::from(digits)));
            }
            true
        });
    } else {
        let entries = ifd.entries(cx, 0);
        push_named(cx, GROUP, TYPE1, &entries, |_, _| false);
    }
}

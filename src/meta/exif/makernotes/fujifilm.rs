//! Fujifilm maker notes (also GE and some Leica bodies built by Fujifilm): `FUJIFILM`
//! (or `GENERALE`) then a little-endian 32-bit offset of the IFD; the IFD and its value
//! offsets count from the note's start and are little-endian whatever the file's order.

use super::Note;
use super::ifd::{MakerIfd, Named, Table, push_named};
use crate::context::Ctx;
use crate::meta::exif::values::u32_at;

/// Family-1 group of every Fujifilm tag.
const GROUP: &str = "FujiFilm";

/// The IFD's tags, all printed as stored with `-n`.
const MAIN: Table = &[
    (0x0000, Named::Plain("Version")),
    (0x0010, Named::Plain("InternalSerialNumber")),
    (0x1000, Named::Plain("Quality")),
    (0x1001, Named::Plain("Sharpness")),
    (0x1002, Named::Plain("WhiteBalance")),
    (0x1003, Named::Plain("Saturation")),
    (0x1004, Named::Plain("Contrast")),
    (0x1005, Named::Plain("ColorTemperature")),
    (0x100A, Named::Plain("WhiteBalanceFineTune")),
    (0x100B, Named::Plain("NoiseReduction")),
    (0x100E, Named::Plain("NoiseReduction")),
    (0x1010, Named::Plain("FujiFlashMode")),
    (0x1011, Named::Plain("FlashExposureComp")),
    (0x1020, Named::Plain("Macro")),
    (0x1021, Named::Plain("FocusMode")),
    (0x1022, Named::Plain("AFMode")),
    (0x1023, Named::Plain("FocusPixel")),
    (0x1030, Named::Plain("SlowSync")),
    (0x1031, Named::Plain("PictureMode")),
    (0x1032, Named::Plain("ExposureCount")),
    (0x1033, Named::Plain("EXRAuto")),
    (0x1034, Named::Plain("EXRMode")),
    (0x1100, Named::Plain("AutoBracketing")),
    (0x1101, Named::Plain("SequenceNumber")),
    (0x1300, Named::Plain("BlurWarning")),
    (0x1301, Named::Plain("FocusWarning")),
    (0x1302, Named::Plain("ExposureWarning")),
    (0x1400, Named::Plain("DynamicRange")),
    (0x1401, Named::Plain("FilmMode")),
    (0x1402, Named::Plain("DynamicRangeSetting")),
    (0x1403, Named::Plain("DevelopmentDynamicRange")),
    (0x1404, Named::Plain("MinFocalLength")),
    (0x1405, Named::Plain("MaxFocalLength")),
    (0x1406, Named::Plain("MaxApertureAtMinFocal")),
    (0x1407, Named::Plain("MaxApertureAtMaxFocal")),
    (0x1422, Named::Plain("ImageStabilization")),
    (0x1425, Named::Plain("SceneRecognition")),
    (0x1431, Named::Plain("Rating")),
    (0x1436, Named::Plain("ImageGeneration")),
    (0x1438, Named::Plain("ImageCount")),
    (0x4100, Named::Plain("FacesDetected")),
    (0x4200, Named::Plain("NumFaceElements")),
    (0x8000, Named::Plain("FileSource")),
    (0x8002, Named::Plain("OrderNumber")),
    (0x8003, Named::Plain("FrameNumber")),
];

/// Reads a Fujifilm maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let d = note.data;
    if !(d.starts_with(b"FUJIFILM") || d.starts_with(b"GENERALE")) || d.len() < 12 {
        return;
    }
    let Ok(first) = usize::try_from(u32_at(d, 8, true)) else { return };
    let ifd = MakerIfd::note_relative(note, true, 0);
    let entries = ifd.entries(cx, first);
    push_named(cx, GROUP, MAIN, &entries, |_, _| false);
}

#[cfg(test)]
mod sorted {
    /// Look-ups search the tables by code, so each must be sorted.
    #[test]
    fn tables_are_sorted_by_code() {
        assert!(super::MAIN.windows(2).all(|w| w[0].0 < w[1].0));
    }
}

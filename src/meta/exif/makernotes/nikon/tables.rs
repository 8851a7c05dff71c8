//! Nikon tag tables: the main IFD by code, the preview and scan IFDs, and the layouts of
//! the binary blocks (fields indexed in bytes; names as ExifTool prints them).

use super::super::binary::{Block, Fmt, f, fc};
use super::super::ifd::{Named, Table};
use super::conv;

/// The main IFD's tags stored as they print (the others are handled in `mod.rs`).
pub(super) const MAIN: Table = &[
    (0x0002, Named::Plain("ISO")),
    (0x0003, Named::Plain("ColorMode")),
    (0x0004, Named::Plain("Quality")),
    (0x0005, Named::Plain("WhiteBalance")),
    (0x0006, Named::Plain("Sharpness")),
    (0x0007, Named::Plain("FocusMode")),
    (0x0008, Named::Plain("FlashSetting")),
    (0x0009, Named::Plain("FlashType")),
    (0x000B, Named::Plain("WhiteBalanceFineTune")),
    (0x000F, Named::Plain("ISOSelection")),
    (0x0010, Named::Binary("DataDump")),
    (0x0013, Named::Plain("ISOSetting")),
    (0x0016, Named::Plain("ImageBoundary")),
    (0x0019, Named::Plain("ExposureBracketValue")),
    (0x001D, Named::Plain("SerialNumber")),
    (0x001E, Named::Plain("ColorSpace")),
    (0x0080, Named::Plain("ImageAdjustment")),
    (0x0081, Named::Plain("ToneComp")),
    (0x0082, Named::Plain("AuxiliaryLens")),
    (0x0083, Named::Plain("LensType")),
    (0x0084, Named::Plain("Lens")),
    (0x0085, Named::Plain("ManualFocusDistance")),
    (0x0086, Named::Plain("DigitalZoom")),
    (0x0087, Named::Plain("FlashMode")),
    (0x0089, Named::Plain("ShootingMode")),
    (0x008C, Named::Binary("ContrastCurve")),
    (0x008D, Named::Plain("ColorHue")),
    (0x008F, Named::Plain("SceneMode")),
    (0x0090, Named::Plain("LightSource")),
    (0x0092, Named::Plain("HueAdjustment")),
    (0x0093, Named::Plain("NEFCompression")),
    (0x0095, Named::Plain("NoiseReduction")),
    (0x0096, Named::Binary("NEFLinearizationTable")),
    (0x0099, Named::Plain("RawImageCenter")),
    (0x009A, Named::Plain("SensorPixelSize")),
    (0x00A0, Named::Plain("SerialNumber")),
    (0x00A2, Named::Plain("ImageDataSize")),
    (0x00A5, Named::Plain("ImageCount")),
    (0x00A6, Named::Plain("DeletedImageCount")),
    (0x00A7, Named::Plain("ShutterCount")),
    (0x00A9, Named::Plain("ImageOptimization")),
    (0x00AA, Named::Plain("Saturation")),
    (0x00AB, Named::Plain("VariProgram")),
    (0x00B1, Named::Plain("HighISONoiseReduction")),
];

/// Tags stored as three bytes `a b c` meaning `a * b / c` (`a` signed): EV offsets
/// and the lens's f-stop range.
pub(super) const FRACTIONS: &[(u16, &str)] = &[
    (0x000D, "ProgramShift"),
    (0x000E, "ExposureDifference"),
    (0x0012, "FlashExposureComp"),
    (0x0017, "ExternalFlashExposureComp"),
    (0x0018, "FlashExposureBracketValue"),
    (0x001C, "ExposureTuning"),
    (0x008B, "LensFStops"),
];

/// PreviewIFD (0x0011): a small TIFF IFD describing the embedded preview.
pub(super) const PREVIEW: Table = &[
    (0x0103, Named::Plain("Compression")),
    (0x011A, Named::Plain("XResolution")),
    (0x011B, Named::Plain("YResolution")),
    (0x0128, Named::Plain("ResolutionUnit")),
    (0x0202, Named::Plain("PreviewImageLength")),
    (0x0213, Named::Plain("YCbCrPositioning")),
];

/// NikonScan (0x0E10): the scanner software's IFD.
pub(super) const SCAN: Table = &[
    (0x0002, Named::Plain("FilmType")),
    (0x0041, Named::Plain("BitDepth")),
    (0x0050, Named::Plain("MasterGain")),
    (0x0051, Named::Plain("ColorGain")),
    (0x0060, Named::Plain("ScanImageEnhancer")),
    (0x0100, Named::Plain("DigitalICE")),
];

/// AFInfo (0x0088).
pub(super) const AF_INFO: Block = Block {
    unit: 1,
    fields: &[f(0, "AFAreaMode", Fmt::U8), f(1, "AFPoint", Fmt::U8), f(2, "AFPointsInFocus", Fmt::U16)],
};

/// LensData (0x0098) versions 0101 and 0201-0203 (the latter deciphered first).
pub(super) const LENS_DATA: Block = Block {
    unit: 1,
    fields: &[
        f(0, "LensDataVersion", Fmt::Ascii(4)),
        fc(4, "ExitPupilPosition", Fmt::U8, conv::exit_pupil),
        fc(5, "AFAperture", Fmt::U8, conv::aperture),
        f(8, "FocusPosition", Fmt::U8),
        fc(9, "FocusDistance", Fmt::U8, conv::focus_distance),
        fc(10, "FocalLength", Fmt::U8, conv::focal_length),
        f(11, "LensIDNumber", Fmt::U8),
        fc(12, "LensFStops", Fmt::U8, conv::twelfths),
        fc(13, "MinFocalLength", Fmt::U8, conv::focal_length),
        fc(14, "MaxFocalLength", Fmt::U8, conv::focal_length),
        fc(15, "MaxApertureAtMinFocal", Fmt::U8, conv::aperture),
        fc(16, "MaxApertureAtMaxFocal", Fmt::U8, conv::aperture),
        f(17, "MCUVersion", Fmt::U8),
        fc(18, "EffectiveMaxAperture", Fmt::U8, conv::aperture),
    ],
};

/// FlashInfo (0x00A8) versions 0100 and 0101.
pub(super) const FLASH_INFO: Block = Block {
    unit: 1,
    fields: &[
        f(0, "FlashInfoVersion", Fmt::Ascii(4)),
        f(4, "FlashSource", Fmt::U8),
        f(6, "ExternalFlashFirmware", Fmt::List(super::super::binary::Prim::U8, 2)),
        f(8, "ExternalFlashFlags", Fmt::U8),
        f(9, "FlashCommanderMode", Fmt::Mask8(0x80)),
        f(9, "FlashControlMode", Fmt::Mask8(0x7f)),
        fc(10, "FlashCompensation", Fmt::I8, conv::neg_sixths),
        f(11, "FlashFocalLength", Fmt::U8),
        f(12, "RepeatingFlashRate", Fmt::U8),
        f(13, "RepeatingFlashCount", Fmt::U8),
        f(14, "FlashGNDistance", Fmt::U8),
        f(15, "FlashGroupAControlMode", Fmt::Mask8(0x0f)),
        f(16, "FlashGroupBControlMode", Fmt::Mask8(0x0f)),
        fc(17, "FlashGroupACompensation", Fmt::I8, conv::neg_sixths),
        fc(18, "FlashGroupBCompensation", Fmt::I8, conv::neg_sixths),
    ],
};

#[cfg(test)]
mod sorted {
    /// Look-ups search the tables by code, so each must be sorted.
    #[test]
    fn tables_are_sorted_by_code() {
        for table in [super::MAIN, super::PREVIEW, super::SCAN] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }
}

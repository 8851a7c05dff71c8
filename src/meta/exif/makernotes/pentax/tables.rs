//! Pentax tag tables: the main IFD by code, and the binary blocks it holds (names as
//! ExifTool prints them; fields indexed in bytes).

use super::super::binary::{Block, Fmt, Prim, f, fc};
use super::super::ifd::{Named, Table};
use super::conv;

/// The main IFD's tags stored as they print (the others are converted in `mod.rs`).
pub(super) const MAIN: Table = &[
    (0x0000, Named::Plain("PentaxVersion")),
    (0x0001, Named::Plain("PentaxModelType")),
    (0x0002, Named::Plain("PreviewImageSize")),
    (0x0003, Named::Plain("PreviewImageLength")),
    (0x0005, Named::Plain("PentaxModelID")),
    (0x0008, Named::Plain("Quality")),
    (0x000C, Named::Plain("FlashMode")),
    (0x000D, Named::Plain("FocusMode")),
    (0x000E, Named::Plain("AFPointSelected")),
    (0x0014, Named::Plain("ISO")),
    (0x0017, Named::Plain("MeteringMode")),
    (0x0018, Named::Plain("AutoBracketing")),
    (0x0019, Named::Plain("WhiteBalance")),
    (0x001A, Named::Plain("WhiteBalanceMode")),
    (0x001F, Named::Plain("Saturation")),
    (0x0020, Named::Plain("Contrast")),
    (0x0021, Named::Plain("Sharpness")),
    (0x0022, Named::Plain("WorldTimeLocation")),
    (0x0023, Named::Plain("HometownCity")),
    (0x0024, Named::Plain("DestinationCity")),
    (0x0025, Named::Plain("HometownDST")),
    (0x0026, Named::Plain("DestinationDST")),
    (0x0032, Named::Plain("ImageEditing")),
    (0x0033, Named::Plain("PictureMode")),
    (0x0034, Named::Plain("DriveMode")),
    (0x0037, Named::Plain("ColorSpace")),
    (0x003D, Named::Plain("DataScaling")),
    (0x003E, Named::Plain("PreviewImageBorders")),
    (0x0041, Named::Plain("ImageEditCount")),
    (0x0047, Named::Plain("CameraTemperature")),
    (0x0048, Named::Plain("AELock")),
    (0x0049, Named::Plain("NoiseReduction")),
    (0x004F, Named::Plain("ImageTone")),
    (0x0050, Named::Plain("ColorTemperature")),
    (0x0062, Named::Plain("RawDevelopmentProcess")),
    (0x0067, Named::Plain("Hue")),
    (0x006C, Named::Plain("HighLowKeyAdj")),
    (0x0073, Named::Plain("MonochromeFilterEffect")),
    (0x0074, Named::Plain("MonochromeToning")),
    (0x007B, Named::Plain("CrossProcess")),
    (0x0200, Named::Plain("BlackPoint")),
    (0x0201, Named::Plain("WhitePoint")),
    (0x0209, Named::Plain("AEMeteringSegments")),
    (0x020A, Named::Plain("FlashMeteringSegments")),
    (0x020B, Named::Plain("SlaveFlashMeteringSegments")),
    (0x020D, Named::Plain("WB_RGGBLevelsDaylight")),
    (0x020E, Named::Plain("WB_RGGBLevelsShade")),
    (0x020F, Named::Plain("WB_RGGBLevelsCloudy")),
    (0x0210, Named::Plain("WB_RGGBLevelsTungsten")),
    (0x0211, Named::Plain("WB_RGGBLevelsFluorescentD")),
    (0x0212, Named::Plain("WB_RGGBLevelsFluorescentN")),
    (0x0213, Named::Plain("WB_RGGBLevelsFluorescentW")),
    (0x0214, Named::Plain("WB_RGGBLevelsFlash")),
    (0x0229, Named::Plain("SerialNumber")),
    (0x022E, Named::Plain("Artist")),
    (0x022F, Named::Plain("Copyright")),
];

/// LensRec (0x003F): the lens's maker and model numbers.
pub(super) const LENS_REC: Block =
    Block { unit: 1, fields: &[f(0, "LensType", Fmt::List(Prim::U8, 2)), f(3, "ExtenderStatus", Fmt::U8)] };

/// ShakeReductionInfo (0x005C).
pub(super) const SHAKE_REDUCTION: Block = Block {
    unit: 1,
    fields: &[
        f(0, "SRResult", Fmt::U8),
        f(1, "ShakeReduction", Fmt::U8),
        fc(2, "SRHalfPressTime", Fmt::U8, conv::sixtieths),
        fc(3, "SRFocalLength", Fmt::U8, conv::halves),
    ],
};

/// CameraSettings (0x0205).
pub(super) const CAMERA_SETTINGS: Block = Block {
    unit: 1,
    fields: &[
        f(0, "PictureMode2", Fmt::U8),
        f(1, "ProgramLine", Fmt::Mask8(0x03)),
        f(1, "EVSteps", Fmt::Mask8(0x20)),
        f(1, "E-DialInProgram", Fmt::Mask8(0x40)),
        f(1, "ApertureRingUse", Fmt::Mask8(0x80)),
        f(2, "FlashOptions", Fmt::Mask8(0xf0)),
        f(2, "MeteringMode2", Fmt::Mask8(0x0f)),
        f(3, "AFPointMode", Fmt::Mask8(0xf0)),
        f(3, "FocusMode2", Fmt::Mask8(0x0f)),
        f(4, "AFPointSelected2", Fmt::U16),
        fc(6, "ISOFloor", Fmt::U8, conv::iso),
        f(7, "DriveMode2", Fmt::U8),
        f(8, "ExposureBracketStepSize", Fmt::U8),
        f(9, "BracketShotNumber", Fmt::U8),
        f(10, "WhiteBalanceSet", Fmt::Mask8(0xf0)),
        f(10, "MultipleExposureSet", Fmt::Mask8(0x0f)),
        f(13, "RawAndJpgRecording", Fmt::U8),
        f(14, "JpgRecordedPixels", Fmt::Mask8(0x03)),
        f(16, "FlashOptions2", Fmt::Mask8(0xf0)),
        f(16, "MeteringMode3", Fmt::Mask8(0x0f)),
        f(17, "SRActive", Fmt::Mask8(0x80)),
        f(17, "Rotation", Fmt::Mask8(0x60)),
        f(17, "ISOSetting", Fmt::Mask8(0x04)),
        f(17, "SensitivitySteps", Fmt::Mask8(0x02)),
        fc(18, "TvExposureTimeSetting", Fmt::U8, conv::tv_setting),
        fc(19, "AvApertureSetting", Fmt::U8, conv::av_setting),
        fc(20, "SvISOSetting", Fmt::U8, conv::sv_setting),
        fc(21, "BaseExposureCompensation", Fmt::U8, conv::base_comp),
    ],
};

/// AEInfo (0x0206): the exposure the metering chose, in 1/8 EV steps.
pub(super) const AE_INFO: Block = Block {
    unit: 1,
    fields: &[
        fc(0, "AEExposureTime", Fmt::U8, conv::ae_time),
        fc(1, "AEAperture", Fmt::U8, conv::ae_aperture),
        fc(2, "AE_ISO", Fmt::U8, conv::iso),
        fc(3, "AEXv", Fmt::U8, conv::ae_xv),
        fc(4, "AEBXv", Fmt::I8, conv::eighths),
        fc(5, "AEMinExposureTime", Fmt::U8, conv::ae_time),
        f(6, "AEProgramMode", Fmt::U8),
        f(7, "AEFlags", Fmt::U8),
        f(8, "AEApertureSteps", Fmt::U8),
        fc(9, "AEMaxAperture", Fmt::U8, conv::ae_aperture),
        fc(10, "AEMaxAperture2", Fmt::U8, conv::ae_aperture),
        fc(11, "AEMinAperture", Fmt::U8, conv::ae_aperture),
        f(12, "AEMeteringMode", Fmt::U8),
        fc(14, "FlashExposureCompSet", Fmt::I8, conv::pentax_ev),
    ],
};

/// AEInfo of the longer form (K-x and later): a byte inserted after AEFlags moves the
/// rest by one, and white balance and a level indicator follow.
pub(super) const AE_INFO_LONG: Block = Block {
    unit: 1,
    fields: &[
        fc(0, "AEExposureTime", Fmt::U8, conv::ae_time),
        fc(1, "AEAperture", Fmt::U8, conv::ae_aperture),
        fc(2, "AE_ISO", Fmt::U8, conv::iso),
        fc(3, "AEXv", Fmt::U8, conv::ae_xv),
        fc(4, "AEBXv", Fmt::I8, conv::eighths),
        fc(5, "AEMinExposureTime", Fmt::U8, conv::ae_time),
        f(6, "AEProgramMode", Fmt::U8),
        f(7, "AEFlags", Fmt::U8),
        f(9, "AEApertureSteps", Fmt::U8),
        fc(10, "AEMaxAperture", Fmt::U8, conv::ae_aperture),
        fc(11, "AEMaxAperture2", Fmt::U8, conv::ae_aperture),
        fc(12, "AEMinAperture", Fmt::U8, conv::ae_aperture),
        f(13, "AEMeteringMode", Fmt::U8),
        f(14, "AEWhiteBalance", Fmt::Mask8(0xf0)),
        f(14, "AEMeteringMode2", Fmt::Mask8(0x0f)),
        fc(15, "FlashExposureCompSet", Fmt::I8, conv::pentax_ev),
        f(22, "LevelIndicator", Fmt::U8),
    ],
};

/// LensData: the lens's own record, 4 bytes into LensInfo (0x0207).
pub(super) const LENS_DATA: Block = Block {
    unit: 1,
    fields: &[
        f(0, "AutoAperture", Fmt::Mask8(0x01)),
        f(0, "MinAperture", Fmt::Mask8(0x06)),
        fc(0, "LensFStops", Fmt::Mask8(0x70), conv::lens_f_stops),
        f(3, "MinFocusDistance", Fmt::Mask8(0xf8)),
        f(3, "FocusRangeIndex", Fmt::Mask8(0x07)),
        fc(9, "LensFocalLength", Fmt::U8, conv::lens_focal_length),
        fc(10, "NominalMaxAperture", Fmt::Mask8(0xf0), conv::nominal_max_aperture),
        fc(10, "NominalMinAperture", Fmt::Mask8(0x0f), conv::nominal_min_aperture),
        fc(14, "MaxAperture", Fmt::Mask8(0x7f), conv::lens_max_aperture),
    ],
};

/// FlashInfo (0x0208).
pub(super) const FLASH_INFO: Block = Block {
    unit: 1,
    fields: &[
        f(0, "FlashStatus", Fmt::U8),
        f(1, "InternalFlashMode", Fmt::U8),
        f(2, "ExternalFlashMode", Fmt::U8),
        f(3, "InternalFlashStrength", Fmt::U8),
        f(4, "TTL_DA_AUp", Fmt::U8),
        f(5, "TTL_DA_ADown", Fmt::U8),
        f(6, "TTL_DA_BUp", Fmt::U8),
        f(7, "TTL_DA_BDown", Fmt::U8),
        f(25, "ExternalFlashExposureComp", Fmt::U8),
        f(26, "ExternalFlashBounce", Fmt::U8),
    ],
};

/// CameraInfo (0x0215), in 32-bit words.
pub(super) const CAMERA_INFO: Block = Block {
    unit: 4,
    fields: &[
        f(0, "PentaxModelID", Fmt::U32),
        fc(1, "ManufactureDate", Fmt::U32, conv::manufacture_date),
        fc(2, "ProductionCode", Fmt::List(Prim::U32, 2), conv::production_code),
        f(4, "InternalSerialNumber", Fmt::U32),
    ],
};

/// BatteryInfo (0x0216).
pub(super) const BATTERY_INFO: Block = Block {
    unit: 1,
    fields: &[
        f(0, "PowerSource", Fmt::Mask8(0x0f)),
        f(1, "BodyBatteryState", Fmt::Mask8(0xf0)),
        f(1, "GripBatteryState", Fmt::Mask8(0x0f)),
        f(2, "BodyBatteryADNoLoad", Fmt::U8),
        f(3, "BodyBatteryADLoad", Fmt::U8),
        f(4, "GripBatteryADNoLoad", Fmt::U8),
        f(5, "GripBatteryADLoad", Fmt::U8),
    ],
};

/// AFInfo (0x021F).
pub(super) const AF_INFO: Block = Block {
    unit: 1,
    fields: &[
        f(4, "AFPredictor", Fmt::I16),
        f(6, "AFDefocus", Fmt::U8),
        f(7, "AFIntegrationTime", Fmt::U8),
        f(11, "AFPointsInFocus", Fmt::U8),
    ],
};

/// ColorInfo (0x0222).
pub(super) const COLOR_INFO: Block =
    Block { unit: 1, fields: &[f(16, "WBShiftAB", Fmt::I8), f(17, "WBShiftGM", Fmt::I8)] };

#[cfg(test)]
mod sorted {
    /// Look-ups search the tables by code, so each must be sorted.
    #[test]
    fn tables_are_sorted_by_code() {
        assert!(super::MAIN.windows(2).all(|w| w[0].0 < w[1].0));
    }
}

//! Olympus tag tables: the main IFD and its sub-IFDs, by code (names as ExifTool prints them).

use super::super::ifd::{Named, Table};

/// The main IFD.
pub(super) const MAIN: Table = &[
    (0x0200, Named::Plain("SpecialMode")),
    (0x0201, Named::Plain("Quality")),
    (0x0202, Named::Plain("Macro")),
    (0x0203, Named::Plain("BWMode")),
    (0x0204, Named::Plain("DigitalZoom")),
    (0x0205, Named::Plain("FocalPlaneDiagonal")),
    (0x0206, Named::Plain("LensDistortionParams")),
    (0x0207, Named::Plain("CameraType")),
    (0x0209, Named::Plain("CameraID")),
    (0x0F00, Named::Plain("DataDump")),
    (0x100F, Named::Plain("Sharpness")),
    (0x1011, Named::Plain("ColorMatrix")),
    (0x1012, Named::Plain("BlackLevel")),
    (0x1017, Named::Plain("RedBalance")),
    (0x1018, Named::Plain("BlueBalance")),
    (0x1029, Named::Plain("Contrast")),
    (0x102A, Named::Plain("SharpnessFactor")),
    (0x102B, Named::Plain("ColorControl")),
    (0x102C, Named::Plain("ValidBits")),
    (0x102D, Named::Plain("CoringFilter")),
    (0x102E, Named::Plain("OlympusImageWidth")),
    (0x102F, Named::Plain("OlympusImageHeight")),
];

/// Equipment (0x2010): body, lens, extender and flash.
pub(super) const EQUIPMENT: Table = &[
    (0x0000, Named::Plain("EquipmentVersion")),
    (0x0100, Named::Plain("CameraType2")),
    (0x0101, Named::Plain("SerialNumber")),
    (0x0102, Named::Plain("InternalSerialNumber")),
    (0x0103, Named::Plain("FocalPlaneDiagonal")),
    (0x0104, Named::Plain("BodyFirmwareVersion")),
    (0x0201, Named::Plain("LensType")),
    (0x0202, Named::Plain("LensSerialNumber")),
    (0x0204, Named::Plain("LensFirmwareVersion")),
    (0x0206, Named::Plain("MaxApertureAtMaxFocal")),
    (0x0207, Named::Plain("MinFocalLength")),
    (0x0208, Named::Plain("MaxFocalLength")),
    (0x020A, Named::Plain("MaxAperture")),
    (0x020B, Named::Plain("LensProperties")),
    (0x0301, Named::Plain("Extender")),
    (0x0302, Named::Plain("ExtenderSerialNumber")),
    (0x0304, Named::Plain("ExtenderFirmwareVersion")),
    (0x1000, Named::Plain("FlashType")),
    (0x1001, Named::Plain("FlashModel")),
    (0x1002, Named::Plain("FlashFirmwareVersion")),
    (0x1003, Named::Plain("FlashSerialNumber")),
];

/// CameraSettings (0x2020).
pub(super) const CAMERA_SETTINGS: Table = &[
    (0x0000, Named::Plain("CameraSettingsVersion")),
    (0x0100, Named::Plain("PreviewImageValid")),
    (0x0101, Named::Plain("PreviewImageStart")),
    (0x0102, Named::Plain("PreviewImageLength")),
    (0x0200, Named::Plain("ExposureMode")),
    (0x0201, Named::Plain("AELock")),
    (0x0202, Named::Plain("MeteringMode")),
    (0x0300, Named::Plain("MacroMode")),
    (0x0301, Named::Plain("FocusMode")),
    (0x0302, Named::Plain("FocusProcess")),
    (0x0303, Named::Plain("AFSearch")),
    (0x0304, Named::Plain("AFAreas")),
    (0x0400, Named::Plain("FlashMode")),
    (0x0401, Named::Plain("FlashExposureComp")),
    (0x0500, Named::Plain("WhiteBalance2")),
    (0x0501, Named::Plain("WhiteBalanceTemperature")),
    (0x0502, Named::Plain("WhiteBalanceBracket")),
    (0x0503, Named::Plain("CustomSaturation")),
    (0x0504, Named::Plain("ModifiedSaturation")),
    (0x0505, Named::Plain("ContrastSetting")),
    (0x0506, Named::Plain("SharpnessSetting")),
    (0x0507, Named::Plain("ColorSpace")),
    (0x0509, Named::Plain("SceneMode")),
    (0x050A, Named::Plain("NoiseReduction")),
    (0x050B, Named::Plain("DistortionCorrection")),
    (0x050C, Named::Plain("ShadingCompensation")),
    (0x050D, Named::Plain("CompressionFactor")),
    (0x050F, Named::Plain("Gradation")),
    (0x0600, Named::Plain("DriveMode")),
    (0x0601, Named::Plain("PanoramaMode")),
    (0x0603, Named::Plain("ImageQuality2")),
    (0x0900, Named::Plain("ManometerPressure")),
    (0x0901, Named::Plain("ManometerReading")),
];

/// RawDevelopment (0x2030).
pub(super) const RAW_DEVELOPMENT: Table = &[
    (0x0000, Named::Plain("RawDevVersion")),
    (0x0100, Named::Plain("RawDevExposureBiasValue")),
    (0x0101, Named::Plain("RawDevWhiteBalanceValue")),
    (0x0102, Named::Plain("RawDevWBFineAdjustment")),
    (0x0103, Named::Plain("RawDevGrayPoint")),
    (0x0104, Named::Plain("RawDevSaturationEmphasis")),
    (0x0105, Named::Plain("RawDevMemoryColorEmphasis")),
    (0x0106, Named::Plain("RawDevContrastValue")),
    (0x0107, Named::Plain("RawDevSharpnessValue")),
    (0x0108, Named::Plain("RawDevColorSpace")),
    (0x0109, Named::Plain("RawDevEngine")),
    (0x010A, Named::Plain("RawDevNoiseReduction")),
    (0x010B, Named::Plain("RawDevEditStatus")),
    (0x010C, Named::Plain("RawDevSettings")),
];

/// ImageProcessing (0x2040).
pub(super) const IMAGE_PROCESSING: Table = &[
    (0x0000, Named::Plain("ImageProcessingVersion")),
    (0x0100, Named::Plain("WB_RBLevels")),
    (0x011F, Named::Plain("WB_GLevel")),
    (0x0200, Named::Plain("ColorMatrix")),
    (0x0300, Named::Plain("Enhancer")),
    (0x0310, Named::Plain("CoringFilter")),
    (0x0600, Named::Plain("BlackLevel2")),
    (0x0610, Named::Plain("GainBase")),
    (0x0611, Named::Plain("ValidBits")),
    (0x0612, Named::Plain("CropLeft")),
    (0x0613, Named::Plain("CropTop")),
    (0x0614, Named::Plain("CropWidth")),
    (0x0615, Named::Plain("CropHeight")),
    (0x1010, Named::Plain("NoiseReduction2")),
    (0x1011, Named::Plain("DistortionCorrection2")),
    (0x1012, Named::Plain("ShadingCompensation2")),
];

/// FocusInfo (0x2050).
pub(super) const FOCUS_INFO: Table = &[
    (0x0000, Named::Plain("FocusInfoVersion")),
    (0x0209, Named::Plain("AutoFocus")),
    (0x0210, Named::Plain("SceneDetect")),
    (0x0211, Named::Plain("SceneArea")),
    (0x0212, Named::Plain("SceneDetectData")),
    (0x0300, Named::Plain("ZoomStepCount")),
    (0x0301, Named::Plain("FocusStepCount")),
    (0x0303, Named::Plain("FocusStepInfinity")),
    (0x0304, Named::Plain("FocusStepNear")),
    (0x0305, Named::Plain("FocusDistance")),
    (0x0308, Named::Plain("AFPoint")),
    (0x1201, Named::Plain("ExternalFlash")),
    (0x1203, Named::Plain("ExternalFlashGuideNumber")),
    (0x1204, Named::Plain("ExternalFlashBounce")),
    (0x1205, Named::Plain("ExternalFlashZoom")),
    (0x1208, Named::Plain("InternalFlash")),
    (0x1500, Named::Plain("SensorTemperature")),
    (0x1600, Named::Plain("ImageStabilization")),
];

#[cfg(test)]
mod sorted {
    /// Look-ups search the tables by code, so each must be sorted.
    #[test]
    fn tables_are_sorted_by_code() {
        for table in [
            super::MAIN,
            super::EQUIPMENT,
            super::CAMERA_SETTINGS,
            super::RAW_DEVELOPMENT,
            super::IMAGE_PROCESSING,
            super::FOCUS_INFO,
        ] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }
}

//! How the Canon composites find the maker-note tags they read: by name, among the
//! keys the image composites index.

use super::{Composer, Key};
use crate::model::Value;

impl crate::composite::canon::Note for Composer<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        let key = match name {
            "CanonExposureMode" => Key::MnCanonExposureMode,
            "BulbDuration" => Key::MnBulbDuration,
            "ContinuousDrive" => Key::MnContinuousDrive,
            "SelfTimer" => Key::MnSelfTimer,
            "CameraISO" => Key::MnCameraIso,
            "BaseISO" => Key::MnBaseIso,
            "AutoISO" => Key::MnAutoIso,
            "MinFocalLength" => Key::MakerMinFocalLength,
            "MaxFocalLength" => Key::MakerMaxFocalLength,
            "LensType" => Key::MakerLensType,
            "WhiteBalance" => Key::MnWhiteBalance,
            "WB_RGGBLevelsAsShot" => Key::MnWbAsShot,
            "WB_RGGBLevelsAuto" => Key::MnWbAuto,
            "WB_RGGBLevelsDaylight" => Key::MnWbDaylight,
            "WB_RGGBLevelsCloudy" => Key::MnWbCloudy,
            "WB_RGGBLevelsTungsten" => Key::MnWbTungsten,
            "WB_RGGBLevelsFluorescent" => Key::MnWbFluorescent,
            "WB_RGGBLevelsFlash" => Key::MnWbFlash,
            "WB_RGGBLevelsShade" => Key::MnWbShade,
            "WB_RGGBLevelsKelvin" => Key::MnWbKelvin,
            "FlashBits" => Key::MnFlashBits,
            "FlashExposureComp" => Key::MnFlashExposureComp,
            "CanonFlashMode" => Key::MnCanonFlashMode,
            "ShutterCurtainSync" => Key::MnShutterCurtainSync,
            "FileIndex" => Key::MnFileIndex,
            "DirectoryIndex" => Key::MnDirectoryIndex,
            "FocusDistanceUpper" => Key::MakerFocusDistanceUpper,
            "FocusDistanceLower" => Key::MakerFocusDistanceLower,
            _ => return None,
        };
        Composer::get(self, key)
    }
}

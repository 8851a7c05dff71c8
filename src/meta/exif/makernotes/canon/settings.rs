//! The oldest and commonest Canon blocks, 16-bit words indexed from 0: CameraSettings
//! (tag 0x0001), FocalLength (0x0002), ShotInfo (0x0004) and FileInfo (0x0093).

use super::Out;
use super::conv::{
    aperture, aperture_any, auto_iso, base_iso, camera_iso, ev, exposure_time, guide_number,
    hundredths_non_zero, int, measured_ev, measured_ev2, non_negative, non_zero, not_7fff, plane_size,
    positive, target_exposure_time, temperature, tenths, tenths_non_negative,
};
use crate::meta::exif::makernotes::binary::{Block, Fmt, f, fc, read_at};
use crate::model::Value;

const I: Fmt = Fmt::I16;
const U: Fmt = Fmt::U16;

/// CameraSettings (tag 0x0001; CIFF record 0x102D).
pub(super) const CAMERA_SETTINGS: Block = Block {
    unit: 2,
    fields: &[
        f(1, "MacroMode", I),
        f(2, "SelfTimer", I),
        f(3, "Quality", I),
        f(4, "CanonFlashMode", I),
        f(5, "ContinuousDrive", I),
        f(7, "FocusMode", I),
        f(9, "RecordMode", I),
        f(10, "CanonImageSize", I),
        f(11, "EasyMode", I),
        f(12, "DigitalZoom", I),
        f(13, "Contrast", I),
        f(14, "Saturation", I),
        fc(15, "Sharpness", I, not_7fff),
        fc(16, "CameraISO", I, camera_iso),
        f(17, "MeteringMode", I),
        f(18, "FocusRange", I),
        fc(19, "AFPoint", I, non_zero),
        f(20, "CanonExposureMode", I),
        fc(22, "LensType", U, non_zero),
        f(23, "MaxFocalLength", U),
        f(24, "MinFocalLength", U),
        f(25, "FocalUnits", I),
        fc(26, "MaxAperture", I, aperture_any),
        fc(27, "MinAperture", I, aperture_any),
        f(28, "FlashActivity", I),
        f(29, "FlashBits", I),
        fc(32, "FocusContinuous", I, non_negative),
        fc(33, "AESetting", I, non_negative),
        fc(34, "ImageStabilization", I, non_negative),
        fc(35, "DisplayAperture", I, positive_tenths),
        f(36, "ZoomSourceWidth", I),
        f(37, "ZoomTargetWidth", I),
        fc(39, "SpotMeteringMode", I, non_negative),
        fc(40, "PhotoEffect", I, non_negative),
        f(41, "ManualFlashOutput", I),
        f(42, "ColorTone", I),
        f(46, "SRAWQuality", I),
    ],
};

/// An aperture shown in tenths; 0 means none shown.
fn positive_tenths(v: Value) -> Option<Value> {
    positive(v).and_then(tenths)
}

/// FocalLength (tag 0x0002; CIFF record 0x1029).
pub(super) const FOCAL_LENGTH: Block = Block {
    unit: 2,
    fields: &[
        fc(0, "FocalType", U, non_zero),
        f(1, "FocalLength", U),
        fc(2, "FocalPlaneXSize", U, plane_size),
        fc(3, "FocalPlaneYSize", U, plane_size),
    ],
};

/// ShotInfo (tag 0x0004; CIFF record 0x102A), but FocusDistanceLower: see [`shot_info`].
const SHOT_INFO: Block = Block {
    unit: 2,
    fields: &[
        fc(1, "AutoISO", I, auto_iso),
        fc(2, "BaseISO", I, base_iso),
        fc(3, "MeasuredEV", I, measured_ev),
        fc(4, "TargetAperture", I, aperture),
        fc(5, "TargetExposureTime", I, target_exposure_time),
        fc(6, "ExposureCompensation", I, ev),
        f(7, "WhiteBalance", I),
        f(8, "SlowShutter", I),
        f(9, "SequenceNumber", I),
        f(10, "OpticalZoomCode", I),
        fc(12, "CameraTemperature", I, temperature),
        fc(13, "FlashGuideNumber", I, guide_number),
        fc(14, "AFPointsInFocus", I, non_zero),
        fc(15, "FlashExposureComp", I, ev),
        f(16, "AutoExposureBracketing", I),
        fc(17, "AEBBracketValue", I, ev),
        f(18, "ControlMode", I),
        fc(19, "FocusDistanceUpper", U, hundredths_non_zero),
        fc(21, "FNumber", I, aperture),
        fc(22, "ExposureTime", I, exposure_time),
        fc(23, "MeasuredEV2", I, measured_ev2),
        fc(24, "BulbDuration", I, tenths),
        f(26, "CameraType", I),
        fc(27, "AutoRotate", I, non_negative),
        f(28, "NDFilter", I),
        fc(29, "SelfTimer2", I, tenths_non_negative),
    ],
};

/// Reads ShotInfo. The lower focus distance means something only beside an upper one;
/// the 20D and 350D store the exposure time on another scale (1000/32 of the others').
pub(super) fn shot_info(out: &mut Out, data: &[u8], le: bool, model: &str) {
    out.block(&SHOT_INFO, data, le);
    if is_20d_family(model)
        && let Some(Value::Float(t)) = out.get("ExposureTime").cloned()
    {
        out.set("ExposureTime", Value::Float(t * 1000.0 / 32.0));
    }
    let upper = read_at(data, 38, U, le).and_then(|v| int(&v)).unwrap_or(0);
    if upper != 0
        && let Some(v) = read_at(data, 40, U, le).and_then(|v| int(&v))
    {
        out.set("FocusDistanceLower", Value::Float(v as f64 / 100.0));
    }
}

/// FileInfo (tag 0x0093; CIFF record 0x1093), but FileNumber: see [`file_info`].
const FILE_INFO: Block = Block {
    unit: 2,
    fields: &[
        f(3, "BracketMode", I),
        f(4, "BracketValue", I),
        f(5, "BracketShotNumber", I),
        fc(6, "RawJpgQuality", I, positive),
        fc(7, "RawJpgSize", I, non_negative),
        fc(8, "LongExposureNoiseReduction2", I, non_negative),
        f(9, "WBBracketMode", I),
        f(12, "WBBracketValueAB", I),
        f(13, "WBBracketValueGM", I),
        fc(14, "FilterEffect", I, non_negative),
        fc(15, "ToningEffect", I, non_negative),
        f(19, "LiveViewShooting", I),
        fc(20, "FocusDistanceUpper", U, hundredths_non_zero),
        fc(21, "FocusDistanceLower", U, hundredths_non_zero),
        f(23, "ShutterMode", I),
        f(25, "FlashExposureLock", I),
        f(61, "RFLensType", U),
    ],
};

/// Reads FileInfo. The 20D and 350D keep their file number here with its directory
/// number (bits 6-15) and the file's low digits spread over two fields.
pub(super) fn file_info(out: &mut Out, data: &[u8], le: bool, model: &str) {
    if is_20d_family(model)
        && let Some(n) = read_at(data, 2, Fmt::U32, le).and_then(|v| int(&v))
    {
        let dir = (n & 0xFFC0) >> 6;
        let file = ((n >> 16) & 0xFF) + ((n & 0x3F) << 8);
        out.set("FileNumber", Value::Int(dir * 10_000 + file));
    }
    out.block(&FILE_INFO, data, le);
}

/// The bodies whose FileInfo holds the shuffled file number (the 20D and the 350D under
/// its three names).
fn is_20d_family(model: &str) -> bool {
    ["EOS 20D", "EOS 350D", "REBEL XT", "Kiss Digital N"].iter().any(|m| model.contains(m))
}

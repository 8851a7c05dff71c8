//! CameraInfo (tag 0x000D): a byte block whose layout is particular to each body. Only
//! the EOS-1D Mark III's (shared by the 1Ds Mark III) is known here, with its picture
//! style settings at byte 0x2AA. Some of its 16-bit fields are stored in the order
//! opposite to the note's.

use super::super::conv::plus_one;
use super::Out;
use super::conv::{canon_ev, int, minus_one, temperature, unix_date};
use crate::meta::exif::makernotes::binary::{Block, Fmt, f, fc};
use crate::model::Value;

const B: Fmt = Fmt::U8;
const REV: Fmt = Fmt::U16Rev;

/// CameraInfo of the EOS-1D Mark III and 1Ds Mark III.
const INFO_1D_MK3: Block = Block {
    unit: 1,
    fields: &[
        fc(3, "FNumber", B, f_number),
        fc(4, "ExposureTime", B, exposure_time),
        fc(6, "ISO", B, iso),
        fc(24, "CameraTemperature", B, temperature),
        f(29, "FocalLength", REV),
        f(48, "CameraOrientation", B),
        fc(67, "FocusDistanceUpper", REV, hundredths),
        fc(69, "FocusDistanceLower", REV, hundredths),
        f(94, "WhiteBalance", Fmt::U16),
        f(98, "ColorTemperature", Fmt::U16),
        f(134, "PictureStyle", B),
        f(273, "LensType", REV),
        f(275, "MinFocalLength", REV),
        f(277, "MaxFocalLength", REV),
        f(310, "FirmwareVersion", Fmt::Ascii(6)),
        fc(370, "FileIndex", Fmt::U32, plus_one),
        fc(374, "ShutterCount", Fmt::U32, plus_one),
        fc(382, "DirectoryIndex", Fmt::U32, minus_one),
        fc(1114, "TimeStamp1", Fmt::U32, unix_date),
        fc(1118, "TimeStamp", Fmt::U32, unix_date),
    ],
};

const S: Fmt = Fmt::I32;

/// Picture style settings of the 1D Mark III generation (byte offsets from its start).
const PICTURE_STYLE_INFO: Block = Block {
    unit: 1,
    fields: &[
        f(0, "ContrastStandard", S),
        f(4, "SharpnessStandard", S),
        f(8, "SaturationStandard", S),
        f(12, "ColorToneStandard", S),
        f(24, "ContrastPortrait", S),
        f(28, "SharpnessPortrait", S),
        f(32, "SaturationPortrait", S),
        f(36, "ColorTonePortrait", S),
        f(48, "ContrastLandscape", S),
        f(52, "SharpnessLandscape", S),
        f(56, "SaturationLandscape", S),
        f(60, "ColorToneLandscape", S),
        f(72, "ContrastNeutral", S),
        f(76, "SharpnessNeutral", S),
        f(80, "SaturationNeutral", S),
        f(84, "ColorToneNeutral", S),
        f(96, "ContrastFaithful", S),
        f(100, "SharpnessFaithful", S),
        f(104, "SaturationFaithful", S),
        f(108, "ColorToneFaithful", S),
        f(120, "ContrastMonochrome", S),
        f(124, "SharpnessMonochrome", S),
        f(136, "FilterEffectMonochrome", S),
        f(140, "ToningEffectMonochrome", S),
        f(144, "ContrastUserDef1", S),
        f(148, "SharpnessUserDef1", S),
        f(152, "SaturationUserDef1", S),
        f(156, "ColorToneUserDef1", S),
        f(160, "FilterEffectUserDef1", S),
        f(164, "ToningEffectUserDef1", S),
        f(168, "ContrastUserDef2", S),
        f(172, "SharpnessUserDef2", S),
        f(176, "SaturationUserDef2", S),
        f(180, "ColorToneUserDef2", S),
        f(184, "FilterEffectUserDef2", S),
        f(188, "ToningEffectUserDef2", S),
        f(192, "ContrastUserDef3", S),
        f(196, "SharpnessUserDef3", S),
        f(200, "SaturationUserDef3", S),
        f(204, "ColorToneUserDef3", S),
        f(208, "FilterEffectUserDef3", S),
        f(212, "ToningEffectUserDef3", S),
        f(216, "UserDef1PictureStyle", Fmt::U16),
        f(218, "UserDef2PictureStyle", Fmt::U16),
        f(220, "UserDef3PictureStyle", Fmt::U16),
    ],
};

/// Where PictureStyleInfo starts in the 1D Mark III's CameraInfo.
const PICTURE_STYLE_AT: usize = 0x2AA;

/// CameraInfo of the EOS M50 (in its CR3's CTMD track): only the firmware version is
/// known.
const INFO_M50: Block = Block { unit: 1, fields: &[f(0x5C1, "FirmwareVersion", Fmt::Ascii(6))] };

/// Reads CameraInfo for the bodies whose layout is known.
pub(super) fn read(out: &mut Out, data: &[u8], le: bool, model: &str) {
    if model == "Canon EOS M50" {
        out.block(&INFO_M50, data, le);
        return;
    }
    if model.contains("EOS-1D Mark III") || model.contains("EOS-1Ds Mark III") {
        out.block(&INFO_1D_MK3, data, le);
        if let Some(styles) = data.get(PICTURE_STYLE_AT..) {
            out.block(&PICTURE_STYLE_INFO, styles, le);
        }
    }
}

/// An f-number in 1/8 EV steps (code 8 is f/1).
fn f_number(v: Value) -> Option<Value> {
    let c = int(&v).filter(|c| *c != 0)?;
    Some(Value::Float(((c as f64 / 8.0 - 1.0) / 2.0).exp2()))
}

/// An exposure time in 1/8 EV steps, as the 1/32-EV code 24 below it times four.
fn exposure_time(v: Value) -> Option<Value> {
    let c = int(&v).filter(|c| *c != 0)?;
    Some(Value::Float((4.0 * (1.0 - canon_ev(c - 24))).exp2()))
}

/// ISO in 1/8 EV steps (code 72 is ISO 100).
fn iso(v: Value) -> Option<Value> {
    let c = int(&v).filter(|c| *c != 0)?;
    Some(Value::Float(100.0 * (c as f64 / 8.0 - 9.0).exp2()))
}

/// Hundredths of a metre.
fn hundredths(v: Value) -> Option<Value> {
    Some(Value::Float(int(&v)? as f64 / 100.0))
}

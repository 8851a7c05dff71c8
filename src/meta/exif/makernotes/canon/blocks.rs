//! The smaller Canon blocks of newer bodies, each a short run of 16- or 32-bit fields,
//! and FilterInfo (tag 0x4024), a list of numbered records.

use super::Out;
use super::conv::{non_negative, non_zero, tenths};
use crate::base::bytes::Endian;
use crate::meta::exif::makernotes::binary::{Block, Fmt, f, fc};
use crate::model::{Text, Value};

const I16: Fmt = Fmt::I16;
const I32: Fmt = Fmt::I32;

/// ProcessingInfo (tag 0x00A0).
pub(super) const PROCESSING_INFO: Block = Block {
    unit: 2,
    fields: &[
        f(1, "ToneCurve", I16),
        f(2, "Sharpness", I16),
        f(3, "SharpnessFrequency", I16),
        f(4, "SensorRedLevel", I16),
        f(5, "SensorBlueLevel", I16),
        f(6, "WhiteBalanceRed", I16),
        f(7, "WhiteBalanceBlue", I16),
        fc(8, "WhiteBalance", I16, non_negative),
        f(9, "ColorTemperature", I16),
        f(10, "PictureStyle", I16),
        fc(11, "DigitalGain", I16, tenths),
        f(12, "WBShiftAB", I16),
        f(13, "WBShiftGM", I16),
    ],
};

/// SensorInfo (tag 0x00E0; CIFF record 0x1031).
pub(super) const SENSOR_INFO: Block = Block {
    unit: 2,
    fields: &[
        f(1, "SensorWidth", I16),
        f(2, "SensorHeight", I16),
        f(5, "SensorLeftBorder", I16),
        f(6, "SensorTopBorder", I16),
        f(7, "SensorRightBorder", I16),
        f(8, "SensorBottomBorder", I16),
        f(9, "BlackMaskLeftBorder", I16),
        f(10, "BlackMaskTopBorder", I16),
        f(11, "BlackMaskRightBorder", I16),
        f(12, "BlackMaskBottomBorder", I16),
    ],
};

/// MeasuredColor (tag 0x00AA).
pub(super) const MEASURED_COLOR: Block = Block {
    unit: 2,
    fields: &[f(1, "MeasuredRGGB", Fmt::List(crate::meta::exif::makernotes::binary::Prim::U16, 4))],
};

/// CropInfo (tag 0x0098).
pub(super) const CROP_INFO: Block = Block {
    unit: 2,
    fields: &[
        f(0, "CropLeftMargin", Fmt::U16),
        f(1, "CropRightMargin", Fmt::U16),
        f(2, "CropTopMargin", Fmt::U16),
        f(3, "CropBottomMargin", Fmt::U16),
    ],
};

/// AspectInfo (tag 0x009A).
pub(super) const ASPECT_INFO: Block = Block {
    unit: 4,
    fields: &[
        f(0, "AspectRatio", Fmt::U32),
        f(1, "CroppedImageWidth", Fmt::U32),
        f(2, "CroppedImageHeight", Fmt::U32),
        f(3, "CroppedImageLeft", Fmt::U32),
        f(4, "CroppedImageTop", Fmt::U32),
    ],
};

/// TimeInfo (tag 0x0035).
pub(super) const TIME_INFO: Block = Block {
    unit: 4,
    fields: &[f(1, "TimeZone", I32), f(2, "TimeZoneCity", I32), f(3, "DaylightSavings", I32)],
};

/// LightingOpt (tag 0x4018).
pub(super) const LIGHTING_OPT: Block = Block {
    unit: 4,
    fields: &[
        f(1, "PeripheralIlluminationCorr", I32),
        f(2, "AutoLightingOptimizer", I32),
        f(3, "HighlightTonePriority", I32),
        f(4, "LongExposureNoiseReduction", I32),
        f(5, "HighISONoiseReduction", I32),
        f(10, "DigitalLensOptimizer", I32),
    ],
};

/// Ambience (tag 0x4020).
pub(super) const AMBIENCE: Block = Block { unit: 4, fields: &[f(1, "AmbienceSelection", I32)] };

/// HDRInfo (tag 0x4025).
pub(super) const HDR_INFO: Block = Block { unit: 4, fields: &[f(1, "HDR", I32), f(2, "HDREffect", I32)] };

/// VignettingCorr (tag 0x4015): its version byte (the rest differs by body).
pub(super) const VIGNETTING_CORR: Block =
    Block { unit: 1, fields: &[f(0, "VignettingCorrVersion", Fmt::U8)] };

/// VignettingCorr2 (tag 0x4016).
pub(super) const VIGNETTING_CORR2: Block = Block {
    unit: 4,
    fields: &[
        f(5, "PeripheralLightingSetting", I32),
        f(6, "ChromaticAberrationSetting", I32),
        f(7, "DistortionCorrectionSetting", I32),
        f(9, "DigitalLensOptimizerSetting", I32),
    ],
};

/// AFMicroAdj (tag 0x4013).
pub(super) const AF_MICRO_ADJ: Block =
    Block { unit: 4, fields: &[f(1, "AFMicroAdjMode", I32), f(2, "AFMicroAdjValue", Fmt::R64S)] };

/// ColorInfo (tag 0x4003).
pub(super) const COLOR_INFO: Block =
    Block { unit: 2, fields: &[f(2, "ColorTone", I16), fc(3, "ColorSpace", I16, non_zero)] };

/// Names of FilterInfo's settings, by filter number (high byte) and setting (low byte).
const FILTERS: &[(u32, &str)] = &[
    (0x0101, "GrainyBWFilter"),
    (0x0201, "SoftFocusFilter"),
    (0x0301, "ToyCameraFilter"),
    (0x0401, "MiniatureFilter"),
    (0x0402, "MiniatureFilterOrientation"),
    (0x0403, "MiniatureFilterPosition"),
    (0x0404, "MiniatureFilterParameter"),
    (0x0501, "FisheyeFilter"),
    (0x0601, "PaintingFilter"),
    (0x0701, "WatercolorFilter"),
];

/// Most filters, and settings per filter, read.
const MAX_RECORDS: u32 = 64;

/// Reads FilterInfo: its size and filter count, then per filter its number, the size
/// of the rest of its record, a setting count and the settings (id, value count,
/// 32-bit values).
pub(super) fn filter_info(out: &mut Out, data: &[u8], le: bool) {
    let o = Endian::little_if(le);
    let Some(count) = o.u32(data, 4) else { return };
    let mut pos = 8usize;
    for _ in 0..count.min(MAX_RECORDS) {
        let Some(size) = o.u32(data, pos + 4) else { return };
        let Some(next) = (pos + 4).checked_add(size as usize) else { return };
        let Some(record) = data.get(pos + 8..next.min(data.len())) else { return };
        settings(out, record, o);
        if next <= pos {
            return;
        }
        pos = next;
    }
}

/// The settings of one filter record: a count, then (id, n, n values) each.
fn settings(out: &mut Out, record: &[u8], o: Endian) {
    let Some(n) = o.u32(record, 0) else { return };
    let mut at = 4usize;
    for _ in 0..n.min(MAX_RECORDS) {
        let (Some(id), Some(k)) = (o.u32(record, at), o.u32(record, at + 4)) else { return };
        let k = k.min(MAX_RECORDS) as usize;
        let mut text = String::new();
        for j in 0..k {
            let Some(v) = o.u32(record, at + 8 + 4 * j) else { return };
            if j > 0 {
                text.push(' ');
            }
            text.push_str(&(v as i32).to_string());
        }
        if let Some((_, name)) = FILTERS.iter().find(|(code, _)| *code == id) {
            let v = match text.parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => Value::Text(Text::from(text)),
            };
            out.set(name, v);
        }
        at += 8 + 4 * k;
    }
}

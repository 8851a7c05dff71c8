//! NikonCaptureData (0x0E01): the edits Nikon Capture saved in a NEF. A 22-byte head,
//! then records of a 32-bit id, 14 bytes, a 32-bit size (4 more than the data's) and
//! the data. Always little-endian. Most records are a flag byte or a small block.

use super::super::binary::{Block, Fmt, emit, f, fc, read_at};
use crate::context::Ctx;
use crate::meta::exif::values::u32_at;
use crate::model::{Tag, Value};

/// Family-1 group of these tags.
const GROUP: &str = "NikonCapture";

/// Most records a note is read for.
const MAX_RECORDS: usize = 512;

/// A record's content: a flag or number stored alone, or a block.
enum Rec {
    Byte(&'static str),
    Word(&'static str),
    Double(&'static str),
    Block(&'static Block),
}

/// Record ids and what they hold.
const RECORDS: &[(u32, Rec)] = &[
    (0x76a4_3200, Rec::Byte("UnsharpMask")),
    (0xe42b_5161, Rec::Block(&UNSHARP)),
    (0x76a4_3201, Rec::Byte("Curves")),
    (0x76a4_3202, Rec::Byte("ColorBalanceAdj")),
    (0x008a_e85e, Rec::Byte("LCHEditor")),
    (0x76a4_3206, Rec::Byte("FlipHorizontal")),
    (0x76a4_3207, Rec::Word("Rotation")),
    (0xfe44_3a45, Rec::Byte("ImageDustOff")),
    (0x3742_33e0, Rec::Block(&CROP)),
    (0x76a4_3203, Rec::Byte("AdvancedRaw")),
    (0x56a5_4260, Rec::Block(&EXPOSURE)),
    (0x76a4_3204, Rec::Byte("WhiteBalanceAdj")),
    (0xbf3c_6c20, Rec::Block(&WB_ADJ)),
    (0x753d_cbc0, Rec::Byte("NoiseReduction")),
    (0x926f_13e0, Rec::Block(&NOISE_REDUCTION)),
    (0x5f0e_7d23, Rec::Byte("ColorBooster")),
    (0xb999_a36f, Rec::Block(&COLOR_BOOST)),
    (0x76a4_3205, Rec::Byte("VignetteControl")),
    (0xac6b_d5c0, Rec::Word("VignetteControlIntensity")),
    (0xfe28_a44f, Rec::Byte("AutoRedEye")),
    (0x3cfc_73c6, Rec::Block(&RED_EYE)),
    (0xab5e_ca5e, Rec::Byte("PhotoEffects")),
    (0x8458_9434, Rec::Block(&BRIGHTNESS)),
    (0xb038_4e1e, Rec::Block(&PHOTO_EFFECTS)),
    (0x2fc0_8431, Rec::Double("StraightenAngle")),
    (0x6a6e_36b6, Rec::Byte("D-LightingHQSelected")),
    (0x0c89_224b, Rec::Byte("ColorAberrationControl")),
    (0xce55_54aa, Rec::Byte("D-LightingHS")),
    (0xe37b_4337, Rec::Block(&D_LIGHTING_HS)),
    (0x2175_eb78, Rec::Byte("D-LightingHQ")),
    (0x890f_f591, Rec::Block(&D_LIGHTING_HQ)),
];

const UNSHARP: Block = Block {
    unit: 1,
    fields: &[
        f(0, "UnsharpCount", Fmt::U8),
        f(19, "Unsharp1Color", Fmt::U16),
        f(23, "Unsharp1Intensity", Fmt::U16),
        f(25, "Unsharp1HaloWidth", Fmt::U16),
        f(27, "Unsharp1Threshold", Fmt::U8),
    ],
};

/// Crop edges and source resolution are stored at twice their printed value.
const CROP: Block = Block {
    unit: 1,
    fields: &[
        fc(0x1e, "CropLeft", Fmt::F64, half),
        fc(0x26, "CropTop", Fmt::F64, half),
        fc(0x2e, "CropRight", Fmt::F64, half),
        fc(0x36, "CropBottom", Fmt::F64, half),
        f(0x8e, "CropOutputWidthInches", Fmt::F64),
        f(0x96, "CropOutputHeightInches", Fmt::F64),
        f(0x9e, "CropScaledResolution", Fmt::F64),
        fc(0xae, "CropSourceResolution", Fmt::F64, half),
        f(0xb6, "CropOutputResolution", Fmt::F64),
        f(0xbe, "CropOutputScale", Fmt::F64),
        f(0xc6, "CropOutputWidth", Fmt::F64),
        f(0xce, "CropOutputHeight", Fmt::F64),
        f(0xd6, "CropOutputPixels", Fmt::F64),
    ],
};

const EXPOSURE: Block = Block {
    unit: 1,
    fields: &[fc(0, "ExposureAdj", Fmt::I16, hundredths), f(0x12, "ExposureAdj2", Fmt::F64)],
};

const WB_ADJ: Block = Block {
    unit: 1,
    fields: &[
        f(0, "WBAdjRedBalance", Fmt::F64),
        f(8, "WBAdjBlueBalance", Fmt::F64),
        f(0x10, "WBAdjMode", Fmt::U8),
        f(0x14, "WBAdjLighting", Fmt::U16),
        f(0x18, "WBAdjTemperature", Fmt::U16),
    ],
};

const NOISE_REDUCTION: Block = Block {
    unit: 1,
    fields: &[
        f(4, "EdgeNoiseReduction", Fmt::U8),
        f(5, "ColorMoireReductionMode", Fmt::U8),
        f(9, "NoiseReductionIntensity", Fmt::U32),
        f(13, "NoiseReductionSharpness", Fmt::U32),
        f(17, "NoiseReductionMethod", Fmt::U16),
    ],
};

const COLOR_BOOST: Block =
    Block { unit: 1, fields: &[f(0, "ColorBoostType", Fmt::U8), f(1, "ColorBoostLevel", Fmt::U32)] };

const RED_EYE: Block = Block { unit: 1, fields: &[f(0, "RedEyeCorrection", Fmt::U8)] };

const BRIGHTNESS: Block =
    Block { unit: 1, fields: &[f(0, "BrightnessAdj", Fmt::F64), f(8, "EnhanceDarkTones", Fmt::U8)] };

const PHOTO_EFFECTS: Block = Block {
    unit: 1,
    fields: &[
        f(0, "PhotoEffectsType", Fmt::U8),
        f(4, "PhotoEffectsRed", Fmt::I16),
        f(6, "PhotoEffectsGreen", Fmt::I16),
        f(8, "PhotoEffectsBlue", Fmt::I16),
    ],
};

const D_LIGHTING_HS: Block = Block {
    unit: 4,
    fields: &[f(0, "D-LightingHSAdjustment", Fmt::U32), f(1, "D-LightingHSColorBoost", Fmt::U32)],
};

const D_LIGHTING_HQ: Block = Block {
    unit: 4,
    fields: &[
        f(0, "D-LightingHQShadow", Fmt::U32),
        f(1, "D-LightingHQHighlight", Fmt::U32),
        f(2, "D-LightingHQColorBoost", Fmt::U32),
    ],
};

fn half(v: Value) -> Option<Value> {
    match v {
        Value::Float(x) => Some(Value::Float(x / 2.0)),
        _ => None,
    }
}

fn hundredths(v: Value) -> Option<Value> {
    match v {
        Value::Int(x) => Some(Value::Float(x as f64 / 100.0)),
        _ => None,
    }
}

/// Reads the records of a NikonCaptureData block. Its tags outrank the main IFD's
/// namesakes (`NoiseReduction`), as ExifTool shows them.
pub(super) fn read(cx: &mut Ctx, data: &[u8]) {
    let mut pos = 22usize;
    for _ in 0..MAX_RECORDS {
        let Some(head) = data.get(pos..pos.saturating_add(22)) else { break };
        let id = u32_at(head, 0, true);
        let size = usize::try_from(u32_at(head, 18, true)).unwrap_or(usize::MAX);
        let start = pos + 22;
        let Some(end) = start.checked_add(size.saturating_sub(4)) else { break };
        let Some(body) = data.get(start..end) else { break };
        pos = end;
        let Some((_, rec)) = RECORDS.iter().find(|(i, _)| *i == id) else { continue };
        let value = match rec {
            Rec::Byte(name) => body.first().map(|b| (*name, Value::Int(i64::from(*b)))),
            Rec::Word(name) => read_at(body, 0, Fmt::U16, true).map(|v| (*name, v)),
            Rec::Double(name) => read_at(body, 0, Fmt::F64, true).map(|v| (*name, v)),
            Rec::Block(block) => {
                emit_ranked(cx, block, body);
                None
            }
        };
        if let Some((name, v)) = value {
            cx.push(Tag::new("MakerNotes", name, v).in_subgroup(GROUP).with_priority(1));
        }
    }
}

/// [`emit`] with this block's priority.
fn emit_ranked(cx: &mut Ctx, block: &Block, body: &[u8]) {
    let first = cx.tags.len();
    emit(cx, GROUP, block, body, true);
    for t in cx.tags.iter_mut().skip(first) {
        t.priority = 1;
    }
}

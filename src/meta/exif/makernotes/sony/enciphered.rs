//! Sony's enciphered 0x94xx blocks: deciphered (see `cipher`), then split into the
//! fields whose place does not move between bodies, or moves with the block's own
//! version byte. Blocks whose layout depends on the camera model are read only for the
//! model families where the fields were checked against ExifTool; the others are left
//! out rather than guessed.

use super::super::binary::{Block, Fmt, emit, f, fc, read_at};
use super::super::conv::plus_one;
use super::super::ifd::push;
use super::Family;
use super::cipher::decipher;
use crate::context::Ctx;
use crate::model::Value;

const GROUP: &str = "Sony";

/// 0x9400, first layout (version bytes 0x28, 0xCA, 0xCC).
const TAG9400A: Block = Block {
    unit: 1,
    fields: &[
        fc(8, "SequenceImageNumber", Fmt::U32, plus_one),
        fc(12, "SequenceFileNumber", Fmt::U32, plus_one),
        f(16, "ReleaseMode2", Fmt::U8),
        f(26, "ShotNumberSincePowerUp", Fmt::U32),
        f(34, "SequenceLength", Fmt::U8),
        f(40, "CameraOrientation", Fmt::U8),
        f(41, "Quality2", Fmt::U8),
    ],
};

/// 0x9400, second layout (version byte 0x1B).
const TAG9400B: Block = Block {
    unit: 1,
    fields: &[
        fc(8, "SequenceImageNumber", Fmt::U32, plus_one),
        fc(12, "SequenceFileNumber", Fmt::U32, plus_one),
        f(16, "ReleaseMode2", Fmt::U8),
        f(22, "ShotNumberSincePowerUp", Fmt::U32),
        f(30, "SequenceLength", Fmt::U8),
        f(36, "CameraOrientation", Fmt::U8),
        f(37, "Quality2", Fmt::U8),
    ],
};

/// 0x9400, third layout (version bytes 0x1C, 0x30, 0x3E, 0x59, 0x6A, 0xD7).
const TAG9400C: Block = Block {
    unit: 1,
    fields: &[
        f(9, "ReleaseMode2", Fmt::U8),
        fc(18, "SequenceImageNumber", Fmt::U32, plus_one),
        fc(26, "SequenceFileNumber", Fmt::U32, plus_one),
        f(30, "SequenceLength", Fmt::U8),
        f(41, "CameraOrientation", Fmt::U8),
        f(42, "Quality2", Fmt::U8),
    ],
};

/// The focus mode without its top bit (a flag of its own).
fn low7(v: Value) -> Option<Value> {
    Some(Value::Int(v.as_i64()? & 0x7F))
}

/// 0x9402 of E-mount bodies.
const TAG9402: Block =
    Block { unit: 1, fields: &[f(23, "AFAreaMode", Fmt::U8), f(45, "FocusPosition2", Fmt::U8)] };

/// 0x9402's focus mode, which does not replace one the main IFD already gave.
const FOCUS_MODE_9402: Block = Block { unit: 1, fields: &[fc(22, "FocusMode", Fmt::U8, low7)] };

/// 0x9402's ambient temperature, in degrees Celsius.
const AMBIENT: Block = Block { unit: 1, fields: &[f(4, "AmbientTemperature", Fmt::I8)] };

/// 0x9403's camera temperature, in degrees Celsius.
const CAMERA_TEMPERATURE: Block = Block { unit: 1, fields: &[f(5, "CameraTemperature", Fmt::I8)] };

/// 0x940C of E-mount bodies: the lens mount and the E-mount protocol versions.
const TAG940C: Block = Block {
    unit: 1,
    fields: &[
        f(8, "LensMount2", Fmt::U8),
        f(9, "LensType3", Fmt::U16),
        f(11, "CameraE-mountVersion", Fmt::U16),
    ],
};

/// 0x940C's lens versions, present when a lens is mounted (LensMount2 not 0).
const TAG940C_LENS: Block = Block {
    unit: 1,
    fields: &[f(13, "LensE-mountVersion", Fmt::U16), f(20, "LensFirmwareVersion", Fmt::U16)],
};

/// Bodies whose 0x9050 block holds the shutter count at byte 0x3A.
const SHUTTER_COUNT_AT_3A: &[&str] = &[
    "ILCE-1",
    "ILCE-6100",
    "ILCE-6300",
    "ILCE-6400",
    "ILCE-6500",
    "ILCE-6600",
    "ILCE-7C",
    "ILCE-7CR",
    "ILCE-7M3",
    "ILCE-7M4",
    "ILCE-7RM2",
    "ILCE-7RM3",
    "ILCE-7RM4",
    "ILCE-7RM5",
    "ILCE-7SM2",
    "ILCE-7SM3",
    "ILCE-9",
    "ILCE-9M2",
    "ILCE-9M3",
    "ILME-FX3",
    "ILME-FX30",
    "ZV-E10",
];

/// Bodies whose 0x9050 block holds the shutter count at byte 0x32.
const SHUTTER_COUNT_AT_32: &[&str] = &[
    "ILCE-3000",
    "ILCE-5000",
    "ILCE-5100",
    "ILCE-6000",
    "ILCE-7",
    "ILCE-7M2",
    "ILCE-7R",
    "ILCE-7S",
    "ILCE-QX1",
    "NEX-3",
    "NEX-3N",
    "NEX-5",
    "NEX-5N",
    "NEX-5R",
    "NEX-5T",
    "NEX-6",
    "NEX-7",
    "NEX-C3",
    "NEX-F3",
];

/// The shutter count: three bytes, the fourth belongs to another field.
fn low24(v: Value) -> Option<Value> {
    Some(Value::Int(v.as_i64()? & 0x00FF_FFFF))
}

/// 0x9050's shutter count, where the body's list above places it. Other fields of the
/// block move from body to body and are left out.
pub(super) fn read_9050(cx: &mut Ctx, raw: &[u8], le: bool, model: &str) {
    let model = model.trim();
    let at = if SHUTTER_COUNT_AT_3A.contains(&model) {
        0x3A
    } else if SHUTTER_COUNT_AT_32.contains(&model) {
        0x32
    } else {
        return;
    };
    let data = decipher(raw.get(..at + 4).unwrap_or(raw));
    if let Some(v) = read_at(&data, at, Fmt::U32, le).and_then(low24) {
        push(cx, GROUP, "ShutterCount", v);
    }
}

/// Whether a note's 0x9400 block (its raw bytes) says the note's blocks went through
/// the substitution twice (version bytes 0x07, 0x09, 0x0A): such notes are left out.
pub(super) fn doubly_enciphered(raw_9400: &[u8]) -> bool {
    matches!(decipher(raw_9400.get(..1).unwrap_or_default()).first(), Some(0x07 | 0x09 | 0x0A))
}

/// Reads enciphered block `tag` (the entry's raw bytes), when its layout is known for
/// this body: the lines of bodies where it was checked. Returns false for tags this
/// module does not decode.
pub(super) fn read(
    cx: &mut Ctx,
    tag: u16,
    raw: &[u8],
    le: bool,
    family: Family,
    has_focus_mode: bool,
) -> bool {
    if !matches!(tag, 0x9400 | 0x9402 | 0x9403 | 0x940C) {
        return false;
    }
    // 0x9403 was checked on every line of bodies; the other blocks on E-mount ones.
    let checked = family == Family::EMount || (tag == 0x9403 && family != Family::Other);
    if !checked {
        return true;
    }
    match tag {
        0x9400 => {
            let data = decipher(raw);
            let block = match data.first() {
                Some(0x28 | 0xCA | 0xCC) => &TAG9400A,
                Some(0x1B) => &TAG9400B,
                Some(0x1C | 0x30 | 0x3E | 0x59 | 0x6A | 0xD7) => &TAG9400C,
                _ => return true,
            };
            emit(cx, GROUP, block, &data, le);
        }
        0x9402 => {
            let data = decipher(raw);
            // 0x0E and 0xFF mark a block without these fields.
            if matches!(data.first(), None | Some(0x0E | 0xFF)) {
                return true;
            }
            // The ambient temperature is valid only when its marker byte says so.
            if data.get(2) == Some(&0xFF) {
                emit(cx, GROUP, &AMBIENT, &data, le);
            }
            if !has_focus_mode {
                emit(cx, GROUP, &FOCUS_MODE_9402, &data, le);
            }
            emit(cx, GROUP, &TAG9402, &data, le);
        }
        0x9403 => {
            let data = decipher(raw);
            // The camera temperature is valid only when its marker byte is 1..=99.
            if matches!(data.get(4), Some(1..=99)) {
                emit(cx, GROUP, &CAMERA_TEMPERATURE, &data, le);
            }
        }
        _ => {
            let data = decipher(raw);
            emit(cx, GROUP, &TAG940C, &data, le);
            if data.get(8).is_some_and(|m| *m != 0) {
                emit(cx, GROUP, &TAG940C_LENS, &data, le);
            }
        }
    }
    true
}

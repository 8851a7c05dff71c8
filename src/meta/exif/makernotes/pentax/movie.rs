//! The `TAGS` atom Pentax cameras write in a QuickTime movie's user data: a fixed
//! little-endian record starting with the camera's name, shown as Pentax maker-note
//! tags.

use super::super::binary::{Block, Fmt, emit, f, fc};
use crate::context::Ctx;
use crate::meta::exif::values::u32_at;
use crate::model::Value;

/// The record's fields (byte offsets).
const TAGS: Block = Block {
    unit: 1,
    fields: &[
        f(0x00, "Make", Fmt::Ascii(24)),
        fc(0x26, "ExposureTime", Fmt::U32, exposure_time),
        f(0x44, "WhiteBalance", Fmt::U16),
        f(0xAF, "ISO", Fmt::U16),
    ],
};

/// Reads a Pentax `TAGS` atom (left alone unless it names a Pentax camera).
pub(crate) fn read(cx: &mut Ctx, d: &[u8]) {
    if !cx.opts.maker_notes || !d.starts_with(b"PENTAX") {
        return;
    }
    emit(cx, super::GROUP, &TAGS, d, true);
    // Rationals: unsigned FNumber and FocalLength, signed ExposureCompensation.
    for (at, name, signed) in
        [(0x2A, "FNumber", false), (0x32, "ExposureCompensation", true), (0x48, "FocalLength", false)]
    {
        let (n, den) = (u32_at(d, at, true), u32_at(d, at + 4, true));
        if d.len() < at + 8 || den == 0 {
            continue;
        }
        let (n, den) = if signed {
            (f64::from(n as i32), f64::from(den as i32))
        } else {
            (f64::from(n), f64::from(den))
        };
        super::super::ifd::push(cx, super::GROUP, name, Value::Float(n / den));
    }
}

/// Stored as the reciprocal: `10 / n` seconds.
fn exposure_time(v: Value) -> Option<Value> {
    match v {
        Value::Int(n) if n > 0 => Some(Value::Float(10.0 / n as f64)),
        _ => None,
    }
}

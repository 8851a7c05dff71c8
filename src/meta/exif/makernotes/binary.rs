//! Fixed-layout binary blocks inside maker notes (Canon CameraSettings, Nikon ShotInfo,
//! Olympus Equipment...): a table of named fields at fixed positions, each read in its
//! format and optionally converted to ExifTool's `-n` value.

use super::ifd::push;
use crate::base::bytes::{Endian, be_f64, le_f64};
use crate::base::number::push_i64;
use crate::base::short_text::{Out, ShortText};
use crate::context::Ctx;
use crate::model::{Text, Value};

/// How one field is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fmt {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    /// IEEE double precision.
    F64,
    /// Unsigned 16 bits in the byte order opposite to the block's (Canon CameraInfo).
    U16Rev,
    /// Signed 32-bit numerator over signed 32-bit denominator.
    R64S,
    /// `n` bytes of text, cut at the first NUL.
    Ascii(u16),
    /// The bits of one byte under a mask, shifted down (a bit field).
    Mask8(u8),
    /// `n` values of the block's own unit, joined with spaces (`"1 2 3"`).
    List(Prim, u16),
}

/// The primitive of a [`Fmt::List`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Prim {
    U8,
    U16,
    I16,
    U32,
}

/// A `-n` conversion: the raw value in, the printed value out; `None` drops the tag
/// (a value the camera writes to mean "not set", say).
pub(super) type Conv = fn(Value) -> Option<Value>;

/// One named field: its index (in units of the block's `unit`, as makers' documents count
/// them), name, format and conversion.
#[derive(Debug, Clone, Copy)]
pub(super) struct BinField {
    pub index: u32,
    pub name: &'static str,
    pub fmt: Fmt,
    pub conv: Option<Conv>,
}

/// A field with no conversion.
pub(super) const fn f(index: u32, name: &'static str, fmt: Fmt) -> BinField {
    BinField { index, name, fmt, conv: None }
}

/// A field with a conversion.
pub(super) const fn fc(index: u32, name: &'static str, fmt: Fmt, conv: Conv) -> BinField {
    BinField { index, name, fmt, conv: Some(conv) }
}

/// A block's layout.
#[derive(Debug, Clone, Copy)]
pub(super) struct Block {
    /// Bytes per index step (1, 2 or 4).
    pub unit: u8,
    pub fields: &'static [BinField],
}

/// Reads one field of `data` (absent when the block is too short for it).
pub(super) fn read_field(data: &[u8], unit: u8, field: &BinField, le: bool) -> Option<Value> {
    let at = usize::try_from(field.index).ok()?.checked_mul(usize::from(unit))?;
    read_at(data, at, field.fmt, le)
}

/// Reads a value of format `fmt` at byte `at` of `data`.
pub(super) fn read_at(data: &[u8], at: usize, fmt: Fmt, le: bool) -> Option<Value> {
    let order = Endian::little_if(le);
    Some(match fmt {
        Fmt::U8 => Value::Int(i64::from(*data.get(at)?)),
        Fmt::I8 => Value::Int(i64::from(*data.get(at)? as i8)),
        Fmt::U16 => Value::Int(i64::from(order.u16(data, at)?)),
        Fmt::I16 => Value::Int(i64::from(order.u16(data, at)? as i16)),
        Fmt::U32 => Value::Int(i64::from(order.u32(data, at)?)),
        Fmt::I32 => Value::Int(i64::from(order.u32(data, at)? as i32)),
        Fmt::Mask8(mask) => {
            Value::Int(i64::from((*data.get(at)? & mask).checked_shr(mask.trailing_zeros()).unwrap_or(0)))
        }
        Fmt::F64 => Value::Float(if le { le_f64(data, at)? } else { be_f64(data, at)? }),
        Fmt::U16Rev => Value::Int(i64::from(Endian::little_if(!le).u16(data, at)?)),
        Fmt::R64S => {
            let num = order.u32(data, at)? as i32;
            let den = order.u32(data, at.checked_add(4)?)? as i32;
            if den == 0 {
                return None;
            }
            Value::Float(f64::from(num) / f64::from(den))
        }
        Fmt::Ascii(n) => {
            let raw = data.get(at..at.checked_add(usize::from(n))?).or_else(|| data.get(at..))?;
            let end = raw.iter().position(|b| *b == 0).unwrap_or(raw.len());
            Value::Text(Text::from(String::from_utf8_lossy(raw.get(..end)?)))
        }
        Fmt::List(prim, n) => {
            let size = prim_size(prim);
            let mut s = ShortText::new();
            for i in 0..usize::from(n) {
                // Every primitive reads as an integer.
                let Value::Int(v) = read_at(data, at.checked_add(i * size)?, prim_fmt(prim), le)? else {
                    return None;
                };
                if i > 0 {
                    s.push(' ');
                }
                push_i64(v, &mut s);
            }
            Value::Text(s.finish())
        }
    })
}

fn prim_size(p: Prim) -> usize {
    match p {
        Prim::U8 => 1,
        Prim::U16 | Prim::I16 => 2,
        Prim::U32 => 4,
    }
}

fn prim_fmt(p: Prim) -> Fmt {
    match p {
        Prim::U8 => Fmt::U8,
        Prim::U16 => Fmt::U16,
        Prim::I16 => Fmt::I16,
        Prim::U32 => Fmt::U32,
    }
}

/// Pushes every field of `block` that `data` holds, as `MakerNotes:` tags of family-1
/// group `group`.
pub(super) fn emit(cx: &mut Ctx, group: &'static str, block: &Block, data: &[u8], le: bool) {
    for field in block.fields {
        let Some(v) = read_field(data, block.unit, field, le) else { continue };
        let v = match field.conv {
            Some(conv) => match conv(v) {
                Some(v) => v,
                None => continue,
            },
            None => v,
        };
        push(cx, group, field.name, v);
    }
}

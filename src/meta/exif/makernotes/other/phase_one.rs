//! Phase One (and Leaf) IIQ maker notes: `IIII`, a four-byte label and the offset of a
//! directory of 16-byte entries (tag, format, size, value or offset; little-endian, offsets
//! from the note's start). Format 1 is text, 2 binary, 4 four-byte numbers, integers or
//! floats by tag.

use super::super::Note;
use super::super::ifd::push;
use crate::base::bytes::le32;
use crate::base::date::exif_datetime;
use crate::base::number::g;
use crate::context::Ctx;
use crate::model::{BinaryRef, Text, Value};

const GROUP: &str = "PhaseOne";

/// Most entries read.
const MAX_ENTRIES: u32 = 1024;

/// How a tag's four-byte words read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Float,
    /// Seconds since 1970, as a date.
    Date,
    /// An APEX shutter speed value: 2^-v seconds.
    Shutter,
    /// An APEX aperture value: 2^(v/2).
    Aperture,
}

const TAGS: &[(u32, &str, Kind)] = &[
    (0x0100, "CameraOrientation", Kind::Int),
    (0x0102, "SerialNumber", Kind::Int),
    (0x0105, "ISO", Kind::Int),
    (0x0106, "ColorMatrix1", Kind::Float),
    (0x0107, "WB_RGBLevels", Kind::Float),
    (0x0108, "SensorWidth", Kind::Int),
    (0x0109, "SensorHeight", Kind::Int),
    (0x010A, "SensorLeftMargin", Kind::Int),
    (0x010B, "SensorTopMargin", Kind::Int),
    (0x010C, "ImageWidth", Kind::Int),
    (0x010D, "ImageHeight", Kind::Int),
    (0x010E, "RawFormat", Kind::Int),
    (0x010F, "RawData", Kind::Int),
    (0x0112, "DateTimeOriginal", Kind::Date),
    (0x0113, "ImageNumber", Kind::Int),
    (0x0203, "Software", Kind::Int),
    (0x0204, "System", Kind::Int),
    (0x0210, "SensorTemperature", Kind::Float),
    (0x0211, "SensorTemperature2", Kind::Float),
    (0x021D, "BlackLevel", Kind::Int),
    (0x0222, "SplitColumn", Kind::Int),
    (0x0225, "SensorDefects", Kind::Int),
    (0x0226, "ColorMatrix2", Kind::Float),
    (0x0301, "FirmwareVersions", Kind::Int),
    (0x0400, "ShutterSpeedValue", Kind::Shutter),
    (0x0401, "ApertureValue", Kind::Aperture),
    (0x0403, "FocalLength", Kind::Float),
    (0x0412, "LensModel", Kind::Int),
];

/// Reads a Phase One maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let d = note.data;
    let Some(dir) = le32(d, 8).and_then(|o| usize::try_from(o).ok()) else { return };
    let Some(count) = le32(d, dir) else { return };
    for i in 0..count.min(MAX_ENTRIES) as usize {
        let Some(e) = dir.checked_add(8 + 16 * i).and_then(|p| d.get(p..p + 16)) else { break };
        let (Some(tag), Some(format), Some(size), Some(value)) =
            (le32(e, 0), le32(e, 4), le32(e, 8), le32(e, 12))
        else {
            break;
        };
        let Some(&(_, name, kind)) = TAGS.iter().find(|(t, _, _)| *t == tag) else { continue };
        let body = if size <= 4 && format == 4 {
            e.get(12..16)
        } else {
            usize::try_from(value).ok().and_then(|o| d.get(o..o.checked_add(size as usize)?))
        };
        let Some(body) = body else { continue };
        let v = match format {
            1 => {
                let end = body.iter().position(|b| *b == 0).unwrap_or(body.len());
                Value::Text(Text::from(String::from_utf8_lossy(body.get(..end).unwrap_or_default())))
            }
            4 => match words(body, kind) {
                Some(v) => v,
                None => continue,
            },
            _ => Value::Binary(BinaryRef { offset: note.at + u64::from(value), length: u64::from(size) }),
        };
        push(cx, GROUP, name, v);
    }
}

/// Four-byte words read as `kind` says: one value, or several joined with spaces.
fn words(body: &[u8], kind: Kind) -> Option<Value> {
    if body.is_empty() {
        return None;
    }
    let raw: Vec<u32> = (0..body.len() / 4).filter_map(|i| le32(body, 4 * i)).collect();
    let one = |w: u32| -> Value {
        let f = f64::from(f32::from_bits(w));
        match kind {
            Kind::Int => Value::Int(i64::from(w as i32)),
            Kind::Float => Value::Float(f),
            Kind::Shutter => Value::Float((-f).exp2()),
            Kind::Aperture => Value::Float((f / 2.0).exp2()),
            Kind::Date => Value::Text(Text::from(exif_datetime(i64::from(w)))),
        }
    };
    match raw.as_slice() {
        [w] => Some(one(*w)),
        ws => {
            let text: Vec<String> = ws
                .iter()
                .map(|w| one(*w))
                .map(|v| match v {
                    Value::Float(f) => g(f, 15),
                    v => v.to_text(),
                })
                .collect();
            Some(Value::Text(Text::from(text.join(" "))))
        }
    }
}

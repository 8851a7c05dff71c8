//! Qualcomm's camera attributes (APP7 `\x1aQualcomm Camera Attributes`): a list of named
//! values, each a value size (16 bits), a name (length byte, then `snake_case` text), a
//! type byte, two 16-bit fields and the value. ExifTool files them under `MakerNotes`,
//! named in CamelCase with the camera-pipeline abbreviations in capitals.

use crate::base::bytes::{le16, le32};
use crate::context::Ctx;
use crate::model::{Tag, Text, Value};

/// The segment's signature.
pub(super) const SIGNATURE: &[u8] = b"\x1aQualcomm Camera Attributes";
/// Most values read.
const MAX_VALUES: usize = 512;
/// Name parts written in capitals (auto exposure, focus and white balance, the adaptive
/// spatial filter...).
const ABBREVIATIONS: &[&str] =
    &["aec", "af", "awb", "asf", "asf3", "asf5", "abf", "asd", "la", "cs", "wb", "iso"];

/// Reads the attribute list that follows the signature.
pub(super) fn parse(cx: &mut Ctx, body: &[u8]) {
    let mut p = SIGNATURE.len();
    for _ in 0..MAX_VALUES {
        let (Some(size), Some(&len)) = (le16(body, p), body.get(p + 2)) else { break };
        let (size, name_at) = (usize::from(size), p + 3);
        let Some(name) = body.get(name_at..name_at + usize::from(len)) else { break };
        let head = name_at + usize::from(len);
        let Some(&kind) = body.get(head) else { break };
        let at = head + 5;
        let Some(raw) = body.get(at..at + size) else { break };
        if let Some(v) = value(kind, raw) {
            let name = camel(&String::from_utf8_lossy(name));
            cx.push(Tag::new("MakerNotes", name, v).in_subgroup("Qualcomm"));
        }
        p = at + size;
    }
}

/// A value by its type byte: 0 and 1 unsigned and signed bytes, 2 and 3 signed and
/// unsigned 16-bit, 4 and 5 unsigned and signed 32-bit integers (little-endian).
fn value(kind: u8, raw: &[u8]) -> Option<Value> {
    let n = match (kind, raw.len()) {
        (0, 1) => i64::from(*raw.first()?),
        (1, 1) => i64::from(*raw.first()? as i8),
        (2, 2) => i64::from(le16(raw, 0)? as i16),
        (3, 2) => i64::from(le16(raw, 0)?),
        (4, 4) => i64::from(le32(raw, 0)?),
        (5, 4) => i64::from(le32(raw, 0)? as i32),
        _ => return None,
    };
    Some(Value::Int(n))
}

/// `aec_current_sensor_luma` as `AECCurrentSensorLuma`.
fn camel(name: &str) -> Text {
    let mut out = String::new();
    for part in name.split('_').filter(|p| !p.is_empty()) {
        if ABBREVIATIONS.contains(&part) {
            out.push_str(&part.to_ascii_uppercase());
        } else {
            let mut c = part.chars();
            if let Some(first) = c.next() {
                out.extend(first.to_uppercase());
                out.push_str(c.as_str());
            }
        }
    }
    Text::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_exiftool_spells_them() {
        assert_eq!(camel("aec_current_sensor_luma").as_str(), "AECCurrentSensorLuma");
        assert_eq!(camel("asf5_exposure_index_1").as_str(), "ASF5ExposureIndex1");
        assert_eq!(camel("af_position").as_str(), "AFPosition");
    }
}

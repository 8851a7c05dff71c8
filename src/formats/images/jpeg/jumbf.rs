//! JUMBF (ISO/IEC 19566-5) boxes carried in APP11 "JP" segments (common identifier, u16
//! box instance, u32 sequence number, then the box; continuation segments repeat the
//! 8-byte box header). The first description box gives `JUMBF:JUMDType`/`JUMDLabel`; JSON
//! content boxes give one tag per top-level string or number member (C2PA assertions).

use crate::base::bytes::{array, be16, be32, be64};
use crate::base::hash::hex;
use crate::context::Ctx;
use crate::model::{Tag, Value};

/// Largest JUMBF box assembled.
const MAX_JUMBF: usize = 16 << 20;
/// Deepest box nesting followed.
const MAX_DEPTH: u32 = 16;

/// The APP11 JUMBF payloads of one JPEG, per box instance.
#[derive(Default)]
pub(super) struct Jumbf {
    boxes: Vec<(u16, Vec<u8>)>,
}

impl Jumbf {
    /// Takes one APP11 body starting with "JP".
    pub(super) fn segment(&mut self, cx: &mut Ctx, b: &[u8]) {
        let (Some(en), Some(seq), Some(data)) = (be16(b, 2), be32(b, 4), b.get(8..)) else {
            cx.warn(None, "jpeg: short JUMBF segment");
            return;
        };
        let n = self.boxes.len();
        match self.boxes.iter_mut().find(|(e, _)| *e == en) {
            Some((_, buf)) if seq > 1 && buf.len() + data.len() <= MAX_JUMBF => {
                buf.extend_from_slice(data.get(8..).unwrap_or_default());
            }
            Some(_) => {}
            None if n < 64 => self.boxes.push((en, data.to_vec())),
            None => {}
        }
    }

    /// Walks the assembled boxes.
    pub(super) fn finish(self, cx: &mut Ctx) {
        for (_, b) in &self.boxes {
            walk(cx, b, 0);
        }
    }
}

fn walk(cx: &mut Ctx, b: &[u8], depth: u32) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut p = 0usize;
    for _ in 0..4096 {
        let (Some(len), Some(kind)) = (be32(b, p), array::<4>(b, p + 4)) else { break };
        // A length of 0 runs to the end; 1 puts a 64-bit length after the kind.
        let (head, len) = match len as usize {
            0 => (8, b.len() - p),
            1 => match be64(b, p + 8) {
                Some(x) => (16, usize::try_from(x).unwrap_or(0)),
                None => break,
            },
            l => (8, l),
        };
        let Some(body) = b.get(p + head..p.saturating_add(len)) else {
            cx.warn(None, "jpeg: JUMBF box runs past its container");
            break;
        };
        match &kind {
            b"jumb" => walk(cx, body, depth + 1),
            b"jumd" => description(cx, body),
            b"json" => json(cx, body),
            _ => {}
        }
        if len < head {
            break;
        }
        p += len;
    }
}

/// Description box: 16-byte type, toggles, optional NUL-terminated label.
fn description(cx: &mut Ctx, b: &[u8]) {
    let Some(t) = b.get(..16) else { return };
    cx.push(Tag::new("JUMBF", "JUMDType", hex(t)).in_subgroup("JUMBF"));
    if b.get(16).is_some_and(|f| f & 2 != 0) {
        let rest = b.get(17..).unwrap_or_default();
        let end = rest.iter().position(|c| *c == 0).unwrap_or(rest.len());
        let label = String::from_utf8_lossy(rest.get(..end).unwrap_or_default()).into_owned();
        cx.push(Tag::new("JUMBF", "JUMDLabel", label).in_subgroup("JUMBF"));
    }
}

/// JSON content: top-level members with scalar values, named by their key (first letter
/// upper-cased, other characters kept if alphanumeric), in the order the box has them.
fn json(cx: &mut Ctx, b: &[u8]) {
    let Ok(Members(members)) = serde_json::from_slice::<Members>(b) else { return };
    for (k, value) in members {
        let mut name: String = k.chars().filter(char::is_ascii_alphanumeric).collect();
        if let Some(f) = name.get_mut(..1) {
            f.make_ascii_uppercase();
        }
        if !name.is_empty() {
            cx.push(Tag::new("JUMBF", name, value).in_subgroup("JUMBF"));
        }
    }
}

/// Most members of one JSON box kept.
const MAX_MEMBERS: usize = 256;

/// The scalar members of a JSON object in file order (a key seen twice keeps its first
/// place and its last value), read without a `serde_json::Map`: the map's order depends
/// on a serde_json feature that any crate in a build can switch on.
struct Members(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MembersVisitor)
    }
}

struct MembersVisitor;

impl<'de> serde::de::Visitor<'de> for MembersVisitor {
    type Value = Members;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
        let mut out: Vec<(String, Value)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let Scalar(value) = map.next_value()?;
            let Some(value) = value else { continue };
            if let Some(slot) = out.iter_mut().find(|(k, _)| *k == key) {
                slot.1 = value;
            } else if out.len() < MAX_MEMBERS {
                out.push((key, value));
            }
        }
        Ok(Members(out))
    }
}

/// A member's value when it is a string, number or bool; `None` for anything else
/// (skipped, nested content included).
struct Scalar(Option<Value>);

impl<'de> serde::Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar(Some(Value::Bool(v))))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar(Some(Value::Int(v))))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar(Some(Value::from(v))))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar(Some(Value::Float(v))))
    }

    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar(Some(Value::from(v))))
    }

    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar(None))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Scalar(None))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
        Ok(Scalar(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_members_keep_file_order_and_skip_nested_values() {
        let b = br#"{"zeta": 1, "alpha": "x", "zeta": 2, "nested": {"k": [1, 2]}, "big": 18446744073709551615, "ok": true, "none": null}"#;
        let got = serde_json::from_slice::<Members>(b).map(|m| m.0).ok();
        let want = vec![
            ("zeta".to_owned(), Value::Int(2)),
            ("alpha".to_owned(), Value::text("x")),
            ("big".to_owned(), Value::Float(u64::MAX as f64)),
            ("ok".to_owned(), Value::Bool(true)),
        ];
        assert_eq!(got, Some(want));
    }
}

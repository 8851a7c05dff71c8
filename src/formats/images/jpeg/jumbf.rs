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
/// upper-cased, other characters kept if alphanumeric).
fn json(cx: &mut Ctx, b: &[u8]) {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(b) else {
        return;
    };
    for (k, v) in map.iter().take(256) {
        let value = match v {
            serde_json::Value::String(s) => Value::from(s.clone()),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(0.0)),
            },
            serde_json::Value::Bool(x) => Value::Bool(*x),
            _ => continue,
        };
        let mut name: String = k.chars().filter(char::is_ascii_alphanumeric).collect();
        if let Some(f) = name.get_mut(..1) {
            f.make_ascii_uppercase();
        }
        if !name.is_empty() {
            cx.push(Tag::new("JUMBF", name, value).in_subgroup("JUMBF"));
        }
    }
}

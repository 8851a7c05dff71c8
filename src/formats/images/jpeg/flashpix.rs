//! FlashPix ready (APP2 "FPXR"): a contents list naming the streams carried in later APP2
//! segments, then the stream data in chunks. Only the "Extension List" stream is decoded:
//! an OLE property set describing the extensions (screen nail, audio...) as `FlashPix:`
//! tags. Other streams are left alone.

use super::appn::unix_date;
use crate::context::Ctx;
use crate::model::{Tag, Value};

/// Largest Extension List stream assembled.
const MAX_STREAM: usize = 1 << 20;

/// State carried across the APP2 FPXR segments of one JPEG.
#[derive(Default)]
pub(super) struct Fpxr {
    /// Index and declared size of the Extension List stream in the contents list.
    list: Option<(u16, usize)>,
    data: Vec<u8>,
}

impl Fpxr {
    /// Takes one FPXR segment body (starting with "FPXR\0").
    pub(super) fn segment(&mut self, cx: &mut Ctx, b: &[u8]) {
        match b.get(6) {
            Some(1) => self.contents(b.get(7..).unwrap_or_default()),
            Some(2) => {
                let (Some(i), Some(o), Some(d)) = (b.get(7..9), b.get(9..13), b.get(13..)) else {
                    cx.warn(None, "jpeg: short FPXR stream segment");
                    return;
                };
                let index = u16::from_be_bytes([i[0], i[1]]);
                let at = u32::from_be_bytes([o[0], o[1], o[2], o[3]]) as usize;
                let Some((_, size)) = self.list.filter(|l| l.0 == index) else { return };
                let end = at.saturating_add(d.len()).min(size);
                if self.data.len() < end {
                    self.data.resize(end, 0);
                }
                if let (Some(dst), Some(src)) = (self.data.get_mut(at..end), d.get(..end.saturating_sub(at)))
                {
                    dst.copy_from_slice(src);
                }
            }
            _ => {}
        }
    }

    /// The contents list: u16 count, then (u32 size, u8 default, UTF-16LE name, [CLSID]).
    fn contents(&mut self, b: &[u8]) {
        let Some(n) = b.get(..2).map(|c| u16::from_be_bytes([c[0], c[1]])) else { return };
        let mut p = 2usize;
        for index in 0..n.min(256) {
            let Some(s) = b.get(p..p + 4) else { return };
            let size = u32::from_be_bytes([s[0], s[1], s[2], s[3]]);
            p += 5;
            let mut name = Vec::new();
            while let Some(c) = b.get(p..p + 2) {
                p += 2;
                let u = u16::from_le_bytes([c[0], c[1]]);
                if u == 0 {
                    break;
                }
                name.push(u);
            }
            if size == u32::MAX {
                p += 16; // a storage: its class ID follows
            }
            if String::from_utf16_lossy(&name).ends_with("Extension List") {
                self.list = Some((index, (size as usize).min(MAX_STREAM)));
            }
        }
    }

    /// Decodes the assembled Extension List property set.
    pub(super) fn finish(self, cx: &mut Ctx) {
        if self.list.is_some() && !self.data.is_empty() {
            property_set(cx, &self.data);
        }
    }
}

fn u32le(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// An OLE property set's first section, with the Extension List property names.
fn property_set(cx: &mut Ctx, ps: &[u8]) {
    if ps.get(..2) != Some(&[0xFE, 0xFF]) {
        cx.warn(None, "jpeg: FPXR Extension List is not a property set");
        return;
    }
    let Some(sec) = u32le(ps, 44).and_then(|o| ps.get(o as usize..)) else { return };
    let n = u32le(sec, 4).unwrap_or(0).min(512) as usize;
    for k in 0..n {
        let (Some(id), Some(off)) = (u32le(sec, 8 + 8 * k), u32le(sec, 12 + 8 * k)) else { break };
        let Some(v) = sec.get(off as usize..) else { continue };
        let Some(value) = decode(v) else { continue };
        let ext = (id >> 16) & 0x0FFF;
        let name = match (id, id & 0xF000_FFFF) {
            (1, _) => "CodePage",
            (0x1000_0000, _) => "UsedExtensionNumbers",
            (_, 0x0000_0001) => "ExtensionName",
            (_, 0x0000_0002) => "ExtensionClassID",
            (_, 0x0000_0003) => "ExtensionPersistence",
            (_, 0x0000_0004) => "ExtensionCreateDate",
            (_, 0x0000_0005) => "ExtensionModifyDate",
            (_, 0x0000_0006) => "CreatingApplication",
            (_, 0x0000_0007) => "ExtensionDescription",
            (_, 0x0000_1000) => "Storage-StreamPathname",
            _ => continue,
        };
        // Later extensions win, as in ExifTool's output.
        let prio = i8::try_from(ext).unwrap_or(i8::MAX);
        cx.push(Tag::new("FlashPix", name, value).in_subgroup("FlashPix").with_priority(prio));
    }
}

/// One typed property value (VT_* code, then data).
fn decode(v: &[u8]) -> Option<Value> {
    let vt = u32le(v, 0)?;
    let d = v.get(4..)?;
    let one = |t: u32, d: &[u8]| -> Option<(Value, usize)> {
        Some(match t {
            2 | 18 => (Value::Int(i64::from(u16::from_le_bytes(d.get(..2)?.try_into().ok()?))), 4),
            3 | 19 => (Value::Int(i64::from(u32le(d, 0)?)), 4),
            31 => {
                let chars = u32le(d, 0)? as usize;
                let raw = d.get(4..4 + chars.checked_mul(2)?)?;
                let units: Vec<u16> = raw
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .take_while(|u| *u != 0)
                    .collect();
                (Value::from(String::from_utf16_lossy(&units)), (4 + 2 * chars).div_ceil(4) * 4)
            }
            64 => {
                let ft = u64::from_le_bytes(d.get(..8)?.try_into().ok()?);
                let unix = (ft / 10_000_000) as i64 - 11_644_473_600;
                (Value::from(unix_date(unix)), 8)
            }
            72 => {
                let g = d.get(..16)?;
                let s = format!(
                    "{:08X}-{:04X}-{:04X}-{:02X}{:02X}-{}",
                    u32le(g, 0)?,
                    u16::from_le_bytes([g[4], g[5]]),
                    u16::from_le_bytes([g[6], g[7]]),
                    g[8],
                    g[9],
                    g[10..].iter().map(|b| format!("{b:02X}")).collect::<String>()
                );
                (Value::from(s), 16)
            }
            _ => return None,
        })
    };
    if vt & 0x1000 != 0 {
        let n = u32le(d, 0)?.min(256) as usize;
        let mut items = Vec::new();
        let mut p = 4usize;
        for _ in 0..n {
            let (val, used) = one(vt & 0x0FFF, d.get(p..)?)?;
            items.push(val);
            // Vector elements are packed: 16-bit values take two bytes.
            p += if matches!(vt & 0x0FFF, 2 | 18) { 2 } else { used };
        }
        return match items.len() {
            1 => items.pop(),
            _ => Some(Value::List(items)),
        };
    }
    one(vt, d).map(|(v, _)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_property_values() {
        let mut v = 72u32.to_le_bytes().to_vec();
        v.extend_from_slice(&[
            0x30, 0x02, 0x00, 0x10, 0xC0, 0x6F, 0xD0, 0x11, 0xBD, 0x01, 0, 0x60, 0x97, 0x19, 0xA1, 0x80,
        ]);
        assert_eq!(decode(&v), Some(Value::Text("10000230-6FC0-11D0-BD01-00609719A180".into())));
        let mut w = 0x1012u32.to_le_bytes().to_vec();
        w.extend_from_slice(&[2, 0, 0, 0, 1, 0, 2, 0]);
        assert_eq!(decode(&w), Some(Value::List(vec![Value::Int(1), Value::Int(2)])));
    }
}

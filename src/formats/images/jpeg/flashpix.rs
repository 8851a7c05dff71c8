//! FlashPix ready (APP2 "FPXR"): a contents list naming the streams carried in later APP2
//! segments, then the stream data in chunks. Only the "Extension List" stream is decoded:
//! an OLE property set describing the extensions (screen nail, audio...) as `FlashPix:`
//! tags. Other streams are left alone.

use crate::base::bytes::{array, be16, be32, le16, le32, le64};
use crate::base::date::exif_datetime;
use crate::base::decode::utf16_until_nul;
use crate::base::hash::hex;
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
                let (Some(index), Some(at), Some(d)) = (be16(b, 7), be32(b, 9), b.get(13..)) else {
                    cx.warn(None, "jpeg: short FPXR stream segment");
                    return;
                };
                let at = at as usize;
                let Some((_, size)) = self.list.filter(|l| l.0 == index) else { return };
                // Filled by offset: the buffer grows to the chunk's end, within the
                // declared size, MAX_STREAM and max_alloc.
                let end = at.saturating_add(d.len()).min(size).min(cx.opts.limits.max_alloc);
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
        let Some(n) = be16(b, 0) else { return };
        let mut p = 2usize;
        for index in 0..n.min(256) {
            let Some(size) = be32(b, p) else { return };
            p += 5;
            let mut name = Vec::new();
            while let Some(u) = le16(b, p) {
                p += 2;
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

/// An OLE property set's first section, with the Extension List property names.
fn property_set(cx: &mut Ctx, ps: &[u8]) {
    if ps.get(..2) != Some(&[0xFE, 0xFF]) {
        cx.warn(None, "jpeg: FPXR Extension List is not a property set");
        return;
    }
    let Some(sec) = le32(ps, 44).and_then(|o| ps.get(o as usize..)) else { return };
    let n = le32(sec, 4).unwrap_or(0).min(512) as usize;
    for k in 0..n {
        let (Some(id), Some(off)) = (le32(sec, 8 + 8 * k), le32(sec, 12 + 8 * k)) else { break };
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
    let vt = le32(v, 0)?;
    let d = v.get(4..)?;
    let one = |t: u32, d: &[u8]| -> Option<(Value, usize)> {
        Some(match t {
            2 | 18 => (Value::Int(i64::from(le16(d, 0)?)), 4),
            3 | 19 => (Value::Int(i64::from(le32(d, 0)?)), 4),
            31 => {
                let chars = le32(d, 0)? as usize;
                let raw = d.get(4..4 + chars.checked_mul(2)?)?;
                (Value::from(utf16_until_nul(raw, true)), (4 + 2 * chars).div_ceil(4) * 4)
            }
            64 => {
                // 100 ns ticks from 1601-01-01.
                let ft = le64(d, 0)?;
                let unix = (ft / 10_000_000) as i64 - 11_644_473_600;
                (Value::from(exif_datetime(unix)), 8)
            }
            72 => {
                // A class ID: three little-endian fields, then eight bytes as stored.
                let g = array::<16>(d, 0)?;
                let s = format!(
                    "{:08X}-{:04X}-{:04X}-{}-{}",
                    le32(&g, 0)?,
                    le16(&g, 4)?,
                    le16(&g, 6)?,
                    hex(g.get(8..10)?).to_ascii_uppercase(),
                    hex(g.get(10..)?).to_ascii_uppercase()
                );
                (Value::from(s), 16)
            }
            _ => return None,
        })
    };
    if vt & 0x1000 != 0 {
        let n = le32(d, 0)?.min(256) as usize;
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

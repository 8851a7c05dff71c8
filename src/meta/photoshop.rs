//! Photoshop image resource blocks (`8BIM`): IPTC (0x0404), XMP (0x0424), EXIF (0x0422),
//! ICC (0x040F), and the basic resources ExifTool reports as `Photoshop:*`.
//!
//! A block is: signature (4), resource id (u16), Pascal name padded to an even size, data
//! size (u32), data padded to an even size. All numbers are big-endian.

use crate::base::bytes::{be_f32, be_f64, be16, be32};
use crate::base::decode::{utf16_chars, utf16_units};
use crate::context::Ctx;
use crate::error::Result;
use crate::meta::nested::{self, Payload};
use crate::model::{BinaryRef, Tag, Text, Value};

/// Most resource blocks read from one run (hostile input cannot loop longer).
const MAX_BLOCKS: usize = 10_000;

/// Parses a run of image resource blocks held in memory (JPEG APP13 after
/// `Photoshop 3.0\0`, PSD section 3, TIFF tag 34377).
pub(crate) fn parse_irb(cx: &mut Ctx, data: &[u8], file_offset: u64) -> Result<()> {
    let mut pos = 0usize;
    for _ in 0..MAX_BLOCKS {
        if pos >= data.len() {
            break;
        }
        let Some(hdr) = data.get(pos..pos + 7) else {
            cx.warn(file_offset + pos as u64, "photoshop: truncated resource header");
            break;
        };
        if !matches!(&hdr[0..4], b"8BIM" | b"PHUT" | b"DCSR" | b"AgHg" | b"MeSa") {
            if data[pos..].iter().any(|b| *b != 0) {
                cx.warn(file_offset + pos as u64, "photoshop: bad resource signature");
            }
            break;
        }
        let id = be16(hdr, 4).unwrap_or_default();
        // Pascal name: length byte + name, padded so the whole is even.
        let name_len = usize::from(hdr[6]);
        let size_at = pos + 6 + ((name_len + 2) & !1);
        let Some(size) = be32(data, size_at) else {
            cx.warn(file_offset + pos as u64, "photoshop: truncated resource header");
            break;
        };
        let start = size_at + 4;
        let Some(body) = usize::try_from(size)
            .ok()
            .and_then(|s| start.checked_add(s))
            .and_then(|end| data.get(start..end))
        else {
            cx.warn(file_offset + pos as u64, format!("photoshop: resource 0x{id:04x} runs past the block"));
            break;
        };
        resource(cx, id, body, file_offset + start as u64);
        pos = start + ((body.len() + 1) & !1);
    }
    Ok(())
}

/// A big-endian `f32` at `at`, widened.
fn bef32(d: &[u8], at: usize) -> Option<f64> {
    be_f32(d, at).map(f64::from)
}

/// A Photoshop "Unicode string": u32 character count, then UTF-16BE; returns the string
/// and the offset after it.
fn unicode(d: &[u8], at: usize) -> Option<(Text, usize)> {
    let n = usize::try_from(be32(d, at)?).ok()?;
    let end = n.checked_mul(2)?.checked_add(at + 4)?;
    let mut s = Text::from_chars(utf16_chars(utf16_units(d.get(at + 4..end)?, false)));
    s.truncate(s.trim_end_matches('\0').len());
    Some((s, end))
}

fn add(cx: &mut Ctx, name: &'static str, value: impl Into<Value>) {
    cx.push(Tag::new("Photoshop", name, value).in_subgroup("Photoshop"));
}

/// Parses a payload held in a resource; its errors become warnings.
fn embedded(cx: &mut Ctx, payload: Payload, d: &[u8], offset: u64) {
    if let Err(e) = nested::parse(cx, payload, d, offset) {
        cx.warn_error(&e);
    }
}

/// ExifTool gives the image offsets of an ExifInfo block (`ThumbnailOffset`...) from
/// the start of the resource, wherever it sits in the file: the tags pushed from `first`
/// on are made so (binary references keep their place in the file).
fn resource_relative(cx: &mut Ctx, first: usize, offset: u64) {
    let Ok(offset) = i64::try_from(offset) else { return };
    for t in cx.tags.iter_mut().skip(first) {
        let is_start = matches!(&*t.name, "ThumbnailOffset" | "PreviewImageStart" | "JpgFromRawStart");
        if t.group == "EXIF" && is_start {
            if let Value::Int(v) = t.value {
                t.value = Value::Int(v.saturating_sub(offset));
            }
        }
    }
}

/// Interprets one resource.
fn resource(cx: &mut Ctx, id: u16, d: &[u8], offset: u64) {
    match id {
        0x0404 => embedded(cx, Payload::Iptc, d, offset),
        0x0424 => embedded(cx, Payload::Xmp, d, offset),
        0x0422 => {
            let first = cx.tags.len();
            embedded(cx, Payload::Exif, d, offset);
            resource_relative(cx, first, offset);
        }
        0x040F => embedded(cx, Payload::Icc, d, offset),
        0x03ED => {
            // Resolution: 16.16 fixed horizontal resolution, unit, width unit; same vertically.
            if let (Some(x), Some(xu), Some(y), Some(yu)) = (be32(d, 0), be16(d, 4), be32(d, 8), be16(d, 12))
            {
                add(cx, "XResolution", f64::from(x) / 65536.0);
                add(cx, "DisplayedUnitsX", xu);
                add(cx, "YResolution", f64::from(y) / 65536.0);
                add(cx, "DisplayedUnitsY", yu);
            }
        }
        0x0406 => {
            // JPEG quality: quality, format, progressive scans.
            if let (Some(q), Some(f)) = (be16(d, 0), be16(d, 2)) {
                add(cx, "PhotoshopQuality", q as i16);
                add(cx, "PhotoshopFormat", f);
                if f == 0x0101 {
                    if let Some(s) = be16(d, 4) {
                        add(cx, "ProgressiveScans", s);
                    }
                }
            }
        }
        0x0409 | 0x040C if d.len() > 28 => {
            // Thumbnail: a 28-byte header, then JPEG data.
            let b = BinaryRef { offset: offset + 28, length: (d.len() - 28) as u64 };
            add(cx, "PhotoshopThumbnail", Value::Binary(b));
        }
        0x040A => {
            if let Some(&f) = d.first() {
                add(cx, "CopyrightFlag", f);
            }
        }
        0x040B => {
            let mut url = Text::from_utf8_lossy(d);
            url.truncate(url.trim_end_matches('\0').len());
            add(cx, "URL", url);
        }
        0x040D => {
            if let Some(v) = be32(d, 0) {
                add(cx, "GlobalAngle", v as i32);
            }
        }
        0x0419 => {
            if let Some(v) = be32(d, 0) {
                add(cx, "GlobalAltitude", v as i32);
            }
        }
        0x041A => slices(cx, d),
        0x041E => {
            // URL list: count, then (long, id, Unicode URL) entries.
            let n = be32(d, 0).unwrap_or(0).min(1000);
            let mut urls = Vec::new();
            let mut at = 4;
            for _ in 0..n {
                let Some((s, next)) = unicode(d, at + 8) else { break };
                urls.push(Value::from(s));
                at = next;
            }
            add(cx, "URL_List", Value::List(urls));
        }
        0x0421 => {
            // Version info: version, has-real-merged-data, writer, reader, file version.
            if let Some(&m) = d.get(4) {
                add(cx, "HasRealMergedData", m);
            }
            if let Some((w, next)) = unicode(d, 5) {
                add(cx, "WriterName", w);
                if let Some((r, _)) = unicode(d, next) {
                    add(cx, "ReaderName", r);
                }
            }
        }
        0x0425 => {
            add(cx, "IPTCDigest", crate::base::hash::hex(d));
        }
        0x0426 => {
            // Print scale: style, x, y, scale.
            if let (Some(s), Some(x), Some(y), Some(sc)) =
                (be16(d, 0), bef32(d, 2), bef32(d, 6), bef32(d, 10))
            {
                add(cx, "PrintStyle", s);
                add(cx, "PrintPosition", Text::from_fmt(format_args!("{x} {y}")));
                add(cx, "PrintScale", sc);
            }
        }
        0x0428 => {
            if let Some(v) = be_f64(d, 4) {
                add(cx, "PixelAspectRatio", v);
            }
        }
        _ => {}
    }
}

/// Slices resource (version 6): bounding rectangle, group name, slice count.
fn slices(cx: &mut Ctx, d: &[u8]) {
    if be32(d, 0) != Some(6) {
        return;
    }
    if let Some((name, next)) = unicode(d, 20) {
        add(cx, "SlicesGroupName", name);
        if let Some(n) = be32(d, next) {
            add(cx, "NumSlices", n);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::meta::nested::Payload;
    use crate::model::Value;
    use crate::test_util::payload;

    fn block(id: u16, name: &[u8], body: &[u8]) -> Vec<u8> {
        let mut out = b"8BIM".to_vec();
        out.extend_from_slice(&id.to_be_bytes());
        out.push(name.len() as u8);
        out.extend_from_slice(name);
        if (name.len() + 1) % 2 == 1 {
            out.push(0);
        }
        out.extend_from_slice(&(body.len() as u32).to_be_bytes());
        out.extend_from_slice(body);
        if body.len() % 2 == 1 {
            out.push(0);
        }
        out
    }

    #[test]
    fn resources() {
        let mut d = block(0x03ED, b"", &[0, 72, 0, 0, 0, 1, 0, 1, 0, 72, 0, 0, 0, 1, 0, 1]);
        d.extend(block(0x040A, b"ab", &[1]));
        d.extend(block(0x0425, b"", &[0xab; 16]));
        d.extend(block(0x0404, b"x", &[0x1C, 2, 5, 0, 3, b'a', b'b', b'c']));
        d.extend(block(0x0406, b"", &[0, 3, 0, 0, 0, 1, 1]));
        let p = payload(Payload::Photoshop, &d);
        assert_eq!(p.get("Photoshop:XResolution"), Some(&Value::Float(72.0)));
        assert_eq!(p.get("Photoshop:DisplayedUnitsY"), Some(&Value::Int(1)));
        assert_eq!(p.get("Photoshop:CopyrightFlag"), Some(&Value::Int(1)));
        assert_eq!(p.get("Photoshop:IPTCDigest"), Some(&Value::from("ab".repeat(16))));
        assert_eq!(p.get("IPTC:ObjectName"), Some(&Value::Text("abc".into())));
        assert_eq!(p.get("Photoshop:PhotoshopQuality"), Some(&Value::Int(3)));
        assert_eq!(p.get("Photoshop:PhotoshopFormat"), Some(&Value::Int(0)));
    }

    #[test]
    fn hostile() {
        let mut d = b"8BIM\x04\x04\x00\x00\xff\xff\xff\xff".to_vec();
        assert!(payload(Payload::Photoshop, &d).tags.is_empty());
        d = block(
            0x041A,
            b"",
            &[0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff],
        );
        let _ = payload(Payload::Photoshop, &d);
        for n in 0..d.len() {
            let _ = payload(Payload::Photoshop, &d[..n]);
        }
    }
}

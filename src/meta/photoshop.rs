//! Photoshop image resource blocks (`8BIM`): IPTC (0x0404), XMP (0x0424), EXIF (0x0422),
//! ICC (0x040F), and the basic resources ExifTool reports as `Photoshop:*`.
//!
//! A block is: signature (4), resource id (u16), Pascal name padded to an even size, data
//! size (u32), data padded to an even size. All numbers are big-endian.

use crate::context::Ctx;
use crate::error::Result;
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
        let id = u16::from_be_bytes([hdr[4], hdr[5]]);
        // Pascal name: length byte + name, padded so the whole is even.
        let name_len = usize::from(hdr[6]);
        let size_at = pos + 6 + ((name_len + 2) & !1);
        let Some(size) = data.get(size_at..size_at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        else {
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

fn be16(d: &[u8], at: usize) -> Option<u16> {
    d.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]))
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn bef32(d: &[u8], at: usize) -> Option<f64> {
    be32(d, at).map(|v| f64::from(f32::from_bits(v)))
}

/// A Photoshop "Unicode string": u32 character count, then UTF-16BE; returns the string
/// and the offset after it.
fn unicode(d: &[u8], at: usize) -> Option<(Text, usize)> {
    let n = usize::try_from(be32(d, at)?).ok()?;
    let end = n.checked_mul(2)?.checked_add(at + 4)?;
    let units = d.get(at + 4..end)?.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
    let mut s = Text::from_chars(char::decode_utf16(units).map(|c| c.unwrap_or('\u{fffd}')));
    s.truncate(s.trim_end_matches('\0').len());
    Some((s, end))
}

fn add(cx: &mut Ctx, name: &'static str, value: impl Into<Value>) {
    cx.push(Tag::new("Photoshop", name, value).in_subgroup("Photoshop"));
}

/// Interprets one resource.
fn resource(cx: &mut Ctx, id: u16, d: &[u8], offset: u64) {
    match id {
        0x0404 => {
            if let Err(e) = crate::meta::iptc::parse_iim(cx, d, offset) {
                cx.warn_error(&e);
            }
        }
        0x0424 => {
            if let Err(e) = crate::meta::xmp::parse_packet(cx, d) {
                cx.warn_error(&e);
            }
        }
        0x0422 => {
            if let Err(e) = crate::meta::exif::parse_block(cx, d, offset) {
                cx.warn_error(&e);
            }
        }
        0x040F => {
            if let Err(e) = crate::meta::icc::parse_profile(cx, d) {
                cx.warn_error(&e);
            }
        }
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
            add(cx, "IPTCDigest", hex(d));
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
            if let Some(b) = d.get(4..12) {
                let v = f64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
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

/// MD5's per-step additive constants (RFC 1321: `floor(abs(sin(i + 1)) * 2^32)`).
const MD5_K: [u32; 64] = [
    0xd76a_a478,
    0xe8c7_b756,
    0x2420_70db,
    0xc1bd_ceee,
    0xf57c_0faf,
    0x4787_c62a,
    0xa830_4613,
    0xfd46_9501,
    0x6980_98d8,
    0x8b44_f7af,
    0xffff_5bb1,
    0x895c_d7be,
    0x6b90_1122,
    0xfd98_7193,
    0xa679_438e,
    0x49b4_0821,
    0xf61e_2562,
    0xc040_b340,
    0x265e_5a51,
    0xe9b6_c7aa,
    0xd62f_105d,
    0x0244_1453,
    0xd8a1_e681,
    0xe7d3_fbc8,
    0x21e1_cde6,
    0xc337_07d6,
    0xf4d5_0d87,
    0x455a_14ed,
    0xa9e3_e905,
    0xfcef_a3f8,
    0x676f_02d9,
    0x8d2a_4c8a,
    0xfffa_3942,
    0x8771_f681,
    0x6d9d_6122,
    0xfde5_380c,
    0xa4be_ea44,
    0x4bde_cfa9,
    0xf6bb_4b60,
    0xbebf_bc70,
    0x289b_7ec6,
    0xeaa1_27fa,
    0xd4ef_3085,
    0x0488_1d05,
    0xd9d4_d039,
    0xe6db_99e5,
    0x1fa2_7cf8,
    0xc4ac_5665,
    0xf429_2244,
    0x432a_ff97,
    0xab94_23a7,
    0xfc93_a039,
    0x655b_59c3,
    0x8f0c_cc92,
    0xffef_f47d,
    0x8584_5dd1,
    0x6fa8_7e4f,
    0xfe2c_e6e0,
    0xa301_4314,
    0x4e08_11a1,
    0xf753_7e82,
    0xbd3a_f235,
    0x2ad7_d2bb,
    0xeb86_d391,
];

/// One MD5 step: `b + ((a + f + k + m) <<< s)`, the new value of `a`.
#[inline(always)]
fn md5_step(a: u32, b: u32, f: u32, k: u32, m: u32, s: u32) -> u32 {
    b.wrapping_add(a.wrapping_add(f).wrapping_add(k).wrapping_add(m).rotate_left(s))
}

/// MD5 (RFC 1321) of `data`.
pub(crate) fn md5(data: &[u8]) -> [u8; 16] {
    let mut h: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    let bit_len = (data.len() as u64).wrapping_mul(8);
    let mut chunks = data.chunks_exact(64);
    for chunk in &mut chunks {
        md5_block(&mut h, chunk);
    }
    // The last partial block, 0x80, zero padding and the bit length: one or two blocks.
    let rest = chunks.remainder();
    let mut tail = [0u8; 128];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let n = if rest.len() < 56 { 64 } else { 128 };
    tail[n - 8..n].copy_from_slice(&bit_len.to_le_bytes());
    for chunk in tail[..n].chunks_exact(64) {
        md5_block(&mut h, chunk);
    }
    let mut out = [0u8; 16];
    for (o, w) in out.chunks_exact_mut(4).zip(h) {
        o.copy_from_slice(&w.to_le_bytes());
    }
    out
}

/// One 64-byte MD5 block: four rounds of sixteen steps, each round with its own
/// boolean function, message-word order and rotations (RFC 1321). The steps are written
/// out so every constant, word index and rotation is known at compile time.
#[inline]
fn md5_block(state: &mut [u32; 4], chunk: &[u8]) {
    let mut m = [0u32; 16];
    for (w, b) in m.iter_mut().zip(chunk.chunks_exact(4)) {
        *w = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    }
    let [mut a, mut b, mut c, mut d] = *state;
    // Four steps of round `$f` from step `$i`, on message words `$g*`, rotations `$s*`.
    macro_rules! four {
        ($f:expr, $i:expr, [$g0:expr, $g1:expr, $g2:expr, $g3:expr], [$s0:expr, $s1:expr, $s2:expr, $s3:expr]) => {
            a = md5_step(a, b, $f(b, c, d), MD5_K[$i], m[$g0], $s0);
            d = md5_step(d, a, $f(a, b, c), MD5_K[$i + 1], m[$g1], $s1);
            c = md5_step(c, d, $f(d, a, b), MD5_K[$i + 2], m[$g2], $s2);
            b = md5_step(b, c, $f(c, d, a), MD5_K[$i + 3], m[$g3], $s3);
        };
    }
    // The four rounds' boolean functions (RFC 1321's F, G, H and I).
    // F and G in their equivalent one-operation-shorter forms: z ^ (x & (y ^ z)) picks
    // y where x is set, else z, as (x & y) | (!x & z) does.
    let f = |x: u32, y: u32, z: u32| z ^ (x & (y ^ z));
    let g = |x: u32, y: u32, z: u32| y ^ (z & (x ^ y));
    let h = |x: u32, y: u32, z: u32| x ^ y ^ z;
    let i = |x: u32, y: u32, z: u32| y ^ (x | !z);
    four!(f, 0, [0, 1, 2, 3], [7, 12, 17, 22]);
    four!(f, 4, [4, 5, 6, 7], [7, 12, 17, 22]);
    four!(f, 8, [8, 9, 10, 11], [7, 12, 17, 22]);
    four!(f, 12, [12, 13, 14, 15], [7, 12, 17, 22]);
    four!(g, 16, [1, 6, 11, 0], [5, 9, 14, 20]);
    four!(g, 20, [5, 10, 15, 4], [5, 9, 14, 20]);
    four!(g, 24, [9, 14, 3, 8], [5, 9, 14, 20]);
    four!(g, 28, [13, 2, 7, 12], [5, 9, 14, 20]);
    four!(h, 32, [5, 8, 11, 14], [4, 11, 16, 23]);
    four!(h, 36, [1, 4, 7, 10], [4, 11, 16, 23]);
    four!(h, 40, [13, 0, 3, 6], [4, 11, 16, 23]);
    four!(h, 44, [9, 12, 15, 2], [4, 11, 16, 23]);
    four!(i, 48, [0, 7, 14, 5], [6, 10, 15, 21]);
    four!(i, 52, [12, 3, 10, 1], [6, 10, 15, 21]);
    four!(i, 56, [8, 15, 6, 13], [6, 10, 15, 21]);
    four!(i, 60, [4, 11, 2, 9], [6, 10, 15, 21]);
    let [sa, sb, sc, sd] = *state;
    *state = [sa.wrapping_add(a), sb.wrapping_add(b), sc.wrapping_add(c), sd.wrapping_add(d)];
}

/// Hex digit pairs of every byte value, lower case.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    t
};

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = vec![0; bytes.len() * 2];
    for (pair, &b) in s.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn md5_vectors() {
        let hex = |d: [u8; 16]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(super::md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(super::md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
        let long = b"12345678901234567890123456789012345678901234567890123456789012345678901234567890";
        assert_eq!(hex(super::md5(long)), "57edf4a22be3c955ac49da2e2107b67a");
    }

    use crate::fuzzing::{Payload, payload_tags};
    use crate::model::Value;

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
        let tags = payload_tags(Payload::Photoshop, &d);
        let get = |n: &str| tags.iter().find(|t| t.name == n).map(|t| t.value.clone());
        assert_eq!(get("XResolution"), Some(Value::Float(72.0)));
        assert_eq!(get("DisplayedUnitsY"), Some(Value::Int(1)));
        assert_eq!(get("CopyrightFlag"), Some(Value::Int(1)));
        assert_eq!(get("IPTCDigest"), Some(Value::from("ab".repeat(16))));
        assert_eq!(get("ObjectName"), Some(Value::Text("abc".into())));
        assert_eq!(get("PhotoshopQuality"), Some(Value::Int(3)));
        assert_eq!(get("PhotoshopFormat"), Some(Value::Int(0)));
    }

    #[test]
    fn hostile() {
        let mut d = b"8BIM\x04\x04\x00\x00\xff\xff\xff\xff".to_vec();
        assert!(payload_tags(Payload::Photoshop, &d).is_empty());
        d = block(
            0x041A,
            b"",
            &[0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff],
        );
        let _ = payload_tags(Payload::Photoshop, &d);
        for n in 0..d.len() {
            let _ = payload_tags(Payload::Photoshop, &d[..n]);
        }
    }
}

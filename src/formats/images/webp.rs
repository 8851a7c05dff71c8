//! WebP (RIFF form `WEBP`): chunk headers by offset; `VP8X` canvas and flags, the
//! `VP8 `/`VP8L` bitstream headers for dimensions, `ALPH` flags, `ANIM`/`ANMF` animation,
//! and `EXIF`, `XMP `, `ICCP` payloads handed to the shared parsers. Image data is never read.

use crate::base::bytes::{array, le16, le24, le32};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{Tag, Value};

const GROUP: &str = "RIFF";
/// Most chunks walked (an animation has one `ANMF` per frame).
const MAX_CHUNKS: usize = 100_000;

fn add(cx: &mut Ctx, name: &'static str, v: impl Into<Value>) {
    cx.push(Tag::new(GROUP, name, v));
}

/// Reads the metadata of a WebP file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let head = cx.read_array::<12>(0)?;
    if !head.starts_with(b"RIFF") || head.get(8..) != Some(&b"WEBP"[..]) {
        return Err(Error::malformed(0, "not a RIFF WEBP file"));
    }
    let riff_len = u64::from(le32(&head, 4).unwrap_or_default());
    let end = (8 + riff_len).min(cx.len());
    let mut pos = 12u64;
    let mut duration_ms = 0u64;
    let mut frames = 0u32;
    for _ in 0..MAX_CHUNKS {
        if pos + 8 > end {
            break;
        }
        let h = cx.read_array::<8>(pos)?;
        let kind: [u8; 4] = array(&h, 0).unwrap_or_default();
        let size = u64::from(le32(&h, 4).unwrap_or_default());
        let body = pos + 8;
        if body + size > cx.len() {
            cx.warn(
                pos,
                format!("WebP chunk '{}' runs past the end of the file", String::from_utf8_lossy(&kind)),
            );
            break;
        }
        let r = match &kind {
            b"VP8X" => read_small(cx, body, size, 10).map(|b| vp8x(cx, &b)),
            b"VP8 " => read_small(cx, body, size, 10).map(|b| vp8(cx, &b, body)),
            b"VP8L" => read_small(cx, body, size, 5).map(|b| vp8l(cx, &b)),
            b"ALPH" => read_small(cx, body, size, 1).map(|b| alph(cx, &b)),
            b"ANIM" => read_small(cx, body, size, 6).map(|b| anim(cx, &b)),
            b"ANMF" => read_small(cx, body, size, 16).map(|b| {
                frames += 1;
                duration_ms += u64::from(le24(&b, 12).unwrap_or(0));
            }),
            // Payloads are read whole (a chunk over `max_alloc` is a warning that names it),
            // borrowed when the input is in memory.
            b"EXIF" => cx.read_cow(body, size).and_then(|b| {
                let data = b.strip_prefix(b"Exif\0\0").unwrap_or(&b);
                let off = body + (b.len() - data.len()) as u64;
                crate::meta::exif::parse_block(cx, data, off)
            }),
            b"XMP " => cx.read_cow(body, size).and_then(|b| crate::meta::xmp::parse_packet(cx, &b)),
            b"ICCP" => cx.read_cow(body, size).and_then(|b| crate::meta::icc::parse_profile(cx, &b)),
            _ => Ok(()),
        };
        if let Err(e) = r {
            cx.warn_error(&e);
        }
        pos = body + size + (size & 1);
    }
    if frames > 0 {
        add(cx, "Duration", duration_ms as f64 / 1000.0);
    }
    Ok(())
}

/// Reads the first bytes of a chunk body (at least `min`, at most 32).
fn read_small(cx: &mut Ctx, at: u64, size: u64, min: u64) -> Result<Vec<u8>> {
    if size < min {
        return Err(Error::malformed(at, format!("WebP chunk of {size} bytes is too short")));
    }
    cx.read(at, size.min(32))
}

fn vp8x(cx: &mut Ctx, b: &[u8]) {
    let (Some(&flags), Some(w), Some(h)) = (b.first(), le24(b, 4), le24(b, 7)) else { return };
    add(cx, "WebP_Flags", flags);
    add(cx, "ImageWidth", w + 1);
    add(cx, "ImageHeight", h + 1);
}

/// A lossy bitstream: frame tag, start code, 14-bit dimensions with 2-bit scales.
fn vp8(cx: &mut Ctx, b: &[u8], at: u64) {
    let (Some(&tag0), Some(code)) = (b.first(), b.get(3..6)) else { return };
    if code != [0x9D, 0x01, 0x2A] {
        cx.warn(at, "VP8 chunk without key-frame start code");
        return;
    }
    let (Some(w), Some(h)) = (le16(b, 6), le16(b, 8)) else { return };
    add(cx, "VP8Version", (tag0 >> 1) & 7);
    add(cx, "ImageWidth", w & 0x3FFF);
    add(cx, "HorizontalScale", w >> 14);
    add(cx, "ImageHeight", h & 0x3FFF);
    add(cx, "VerticalScale", h >> 14);
}

/// A lossless bitstream: signature 0x2F, then 14-bit width-1 and height-1.
fn vp8l(cx: &mut Ctx, b: &[u8]) {
    let (Some(0x2F), Some(bits)) = (b.first(), le32(b, 1)) else { return };
    add(cx, "ImageWidth", (bits & 0x3FFF) + 1);
    add(cx, "ImageHeight", ((bits >> 14) & 0x3FFF) + 1);
}

/// The `ALPH` header byte. The spec packs preprocessing (bits 4-5), filtering (bits 2-3)
/// and compression (bits 0-1); ExifTool 12.57 reports the low two bits for all three, and
/// we follow its output for compatibility.
fn alph(cx: &mut Ctx, b: &[u8]) {
    let Some(&f) = b.first() else { return };
    add(cx, "AlphaPreprocessing", f & 3);
    add(cx, "AlphaFiltering", f & 3);
    add(cx, "AlphaCompression", f & 3);
}

/// Animation parameters: background colour (as stored: blue, green, red, alpha) and
/// loop count.
fn anim(cx: &mut Ctx, b: &[u8]) {
    let (Some([c0, c1, c2, c3]), Some(loops)) = (array::<4>(b, 0), le16(b, 4)) else { return };
    add(cx, "BackgroundColor", format!("{c0} {c1} {c2} {c3}"));
    add(cx, "AnimationLoopCount", loops);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = kind.to_vec();
        v.extend_from_slice(&(body.len() as u32).to_le_bytes());
        v.extend_from_slice(body);
        if body.len() % 2 == 1 {
            v.push(0);
        }
        v
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut v = b"RIFF".to_vec();
        v.extend_from_slice(&(body.len() as u32 + 4).to_le_bytes());
        v.extend_from_slice(b"WEBP");
        v.extend_from_slice(&body);
        v
    }

    #[test]
    fn lossy_extended_animated() {
        let data = riff(&[
            chunk(b"VP8X", &[0x12, 0, 0, 0, 0x7F, 0x02, 0, 0xDF, 0x01, 0]),
            chunk(b"ANIM", &[1, 2, 3, 4, 2, 0]),
            chunk(b"ANMF", &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0]),
            chunk(b"ANMF", &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200, 0, 0, 0]),
            chunk(b"ALPH", &[0x15]),
            chunk(b"VP8 ", &[0x50, 0, 0, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x41]),
        ]);
        let t = test_util::parse(&data, parse);
        assert_eq!(t.warnings.len(), 0);
        assert_eq!(t.get("WebP_Flags"), Some(&Value::Int(0x12)));
        assert_eq!(t.get("ImageWidth"), Some(&Value::Int(640)));
        assert_eq!(t.get("ImageHeight"), Some(&Value::Int(480)));
        assert_eq!(t.get("AnimationLoopCount"), Some(&Value::Int(2)));
        assert_eq!(t.get("Duration"), Some(&Value::Float(0.3)));
        assert_eq!(t.get("AlphaCompression"), Some(&Value::Int(1)));
        assert_eq!(t.get("VerticalScale"), Some(&Value::Int(1)));
        assert_eq!(t.get("VP8Version"), Some(&Value::Int(0)));
    }

    #[test]
    fn lossless_and_broken() {
        // 33 x 17: width-1 = 32, height-1 = 16 -> bits = 32 | 16 << 14
        let bits: u32 = 32 | (16 << 14);
        let mut l = vec![0x2F];
        l.extend_from_slice(&bits.to_le_bytes());
        let data = riff(&[chunk(b"VP8L", &l)]);
        let t = test_util::parse(&data, parse);
        assert_eq!(t.get("ImageWidth"), Some(&Value::Int(33)));
        assert_eq!(t.get("ImageHeight"), Some(&Value::Int(17)));
        for n in 0..data.len() {
            let _ = test_util::parse(&data[..n], parse);
        }
        let mut bad = riff(&[chunk(b"VP8X", &[0; 3])]);
        bad.extend_from_slice(b"EXIF\xff\xff\xff\xff");
        let t = test_util::parse(&bad, parse);
        assert_eq!(t.warnings.len(), 1);
    }

    #[test]
    fn generated_webp_fixture() {
        let data = include_bytes!("../../../tests/fixtures/images/lossy_exif_xmp.webp");
        let t = test_util::parse(data, parse);
        assert_eq!(t.warnings.len(), 0);
        assert_eq!(t.get("WebP_Flags"), Some(&Value::Int(12)));
        assert_eq!(t.get("ImageWidth"), Some(&Value::Int(640)));
        assert_eq!(t.get("ImageHeight"), Some(&Value::Int(480)));
        assert_eq!(t.get("HorizontalScale"), Some(&Value::Int(0)));
    }
}

//! JPEG 2000 (JP2/JPX boxes: `ftyp`, `jp2h` with `ihdr`/`colr`, EXIF/GeoJP2/XMP `uuid`
//! boxes, `xml `/`Exif` boxes), the JPEG XL container (same box syntax) and raw J2C
//! codestreams (SIZ and COM marker segments). The `jp2c` codestream box of a JP2 file and
//! any `jxlc`/`jxlp` data are skipped by size.

use crate::base::bytes::{be16, be32};
use crate::base::decode::{fourcc, latin1};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::formats::isobmff::boxes::{BoxHeader, SliceBoxes, list_boxes};
use crate::model::Value;

/// Group of the box tags (ExifTool names JPEG XL's the same).
const G: &str = "Jpeg2000";

/// `uuid` of an EXIF (TIFF) box: "JpgTiffExif->JP2".
const UUID_EXIF: [u8; 16] = *b"JpgTiffExif->JP2";
/// `uuid` of a GeoJP2 (GeoTIFF) box.
const UUID_GEO: [u8; 16] =
    [0xb1, 0x4b, 0xf8, 0xbd, 0x08, 0x3d, 0x4b, 0x43, 0xa5, 0xae, 0x8c, 0xd7, 0xd5, 0xa6, 0xce, 0x03];
/// `uuid` of an XMP box.
const UUID_XMP: [u8; 16] =
    [0xbe, 0x7a, 0xcf, 0xcb, 0x97, 0xa9, 0x42, 0xe8, 0x9c, 0x71, 0x99, 0x94, 0x91, 0xe3, 0xaf, 0xac];

/// Reads a JP2 / JPX / JPEG XL container.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let boxes = list_boxes(cx, 0, cx.len(), 0)?;
    let mut size = None;
    // GeoJP2 boxes last: ExifTool's File:ExifByteOrder comes from the EXIF box.
    let geo_last = |b: &&BoxHeader| b.uuid == Some(UUID_GEO);
    let ordered: Vec<_> =
        boxes.iter().filter(|b| !geo_last(b)).chain(boxes.iter().filter(geo_last)).collect();
    for b in ordered {
        match &b.kind {
            b"jp2c" | b"jxlc" | b"jxlp" | b"mdat" | b"jbrd" => continue,
            b"ftyp" | b"jp2h" | b"uuid" | b"xml " | b"Exif" | b"res " => {}
            _ => continue,
        }
        let len = b.body_len();
        let max = cx.opts.limits.max_alloc;
        if len > max as u64 {
            let kind = b.kind_str();
            cx.warn(b.offset, format!("{kind} box of {len} bytes exceeds max_alloc ({max}); skipped"));
            continue;
        }
        let d = cx.read_cow(b.body_offset(), len)?;
        let at = b.body_offset();
        match &b.kind {
            b"ftyp" => ftyp(cx, &d),
            b"jp2h" | b"res " => super_box(cx, &d, at, &mut size),
            b"uuid" => uuid(cx, b.uuid.unwrap_or_default(), &d, at),
            b"Exif" => {
                // A 4-byte offset to the TIFF header, then the TIFF block.
                let skip = be32(&d, 0).unwrap_or(0) as usize;
                if let Some(tiff) = 4usize.checked_add(skip).and_then(|s| d.get(s..)) {
                    let off = at + 4 + skip as u64;
                    if let Err(e) = crate::meta::exif::parse_block(cx, tiff, off) {
                        cx.warn_error(&e);
                    }
                }
            }
            b"xml " if d.windows(9).any(|w| w == b"x:xmpmeta") => {
                if let Err(e) = crate::meta::xmp::parse_packet(cx, &d) {
                    cx.warn_error(&e);
                }
            }
            _ => {}
        }
    }
    if let Some((w, h)) = size {
        cx.fact(Fact::ImageSize(w, h));
    }
    Ok(())
}

/// `ftyp`: brand, minor version, compatible brands.
fn ftyp(cx: &mut Ctx, d: &[u8]) {
    let (Some(major), Some(v), Some(&minor), Some(&patch)) = (d.get(..4), be16(d, 4), d.get(6), d.get(7))
    else {
        return;
    };
    cx.add(G, "MajorBrand", fourcc(major));
    cx.add(G, "MinorVersion", format!("{v:x}.{minor:x}.{patch:x}"));
    let brands: Vec<Value> =
        d.get(8..).unwrap_or_default().chunks_exact(4).map(|c| Value::from(fourcc(c))).collect();
    cx.add(G, "CompatibleBrands", Value::List(brands));
}

/// `jp2h` / `res `: header boxes in memory.
fn super_box(cx: &mut Ctx, d: &[u8], at: u64, size: &mut Option<(u64, u64)>) {
    for b in SliceBoxes::new(d, at).take(64) {
        let Ok(b) = b else { break };
        let v = b.body;
        match &b.kind {
            b"ihdr" => {
                let (Some(h), Some(w), Some(nc)) = (be32(v, 0), be32(v, 4), be16(v, 8)) else { continue };
                cx.add(G, "ImageHeight", h);
                cx.add(G, "ImageWidth", w);
                cx.add(G, "NumberOfComponents", nc);
                if let (Some(&bpc), Some(&c)) = (v.get(10), v.get(11)) {
                    cx.add(G, "BitsPerComponent", bpc);
                    cx.add(G, "Compression", c);
                }
                size.get_or_insert((w.into(), h.into()));
            }
            b"colr" => {
                let (Some(&meth), Some(&prec), Some(&approx)) = (v.first(), v.get(1), v.get(2)) else {
                    continue;
                };
                cx.add(G, "ColorSpecMethod", meth);
                cx.add(G, "ColorSpecPrecedence", prec as i8);
                cx.add(G, "ColorSpecApproximation", approx);
                if meth == 1 {
                    if let Some(cs) = be32(v, 3) {
                        cx.add(G, "ColorSpace", cs);
                    }
                } else if meth == 2 || meth == 3 {
                    if let Some(p) = v.get(3..) {
                        if let Err(e) = crate::meta::icc::parse_profile(cx, p) {
                            cx.warn_error(&e);
                        }
                    }
                }
            }
            b"resc" | b"resd" => {
                let pre = if &b.kind == b"resc" { "Capture" } else { "Display" };
                let (Some(vn), Some(vd), Some(hn), Some(hd), Some(&ve), Some(&he)) =
                    (be16(v, 0), be16(v, 2), be16(v, 4), be16(v, 6), v.get(8), v.get(9))
                else {
                    continue;
                };
                if vd > 0 && hd > 0 {
                    let r =
                        |n: u16, d: u16, e: u8| f64::from(n) / f64::from(d) * 10f64.powi(i32::from(e as i8));
                    cx.add(G, format!("{pre}YResolution"), r(vn, vd, ve));
                    cx.add(G, format!("{pre}XResolution"), r(hn, hd, he));
                    cx.add(G, format!("{pre}YResolutionUnit"), ve as i8);
                    cx.add(G, format!("{pre}XResolutionUnit"), he as i8);
                }
            }
            _ => {}
        }
    }
}

/// A `uuid` box: EXIF, GeoJP2 (both TIFF blocks) or XMP.
fn uuid(cx: &mut Ctx, id: [u8; 16], d: &[u8], at: u64) {
    let r = match id {
        UUID_EXIF | UUID_GEO => {
            // Some writers put "Exif\0\0" before the TIFF header.
            let skip = if d.starts_with(b"Exif\0\0") { 6 } else { 0 };
            crate::meta::exif::parse_block(cx, d.get(skip..).unwrap_or_default(), at + skip as u64)
        }
        UUID_XMP => crate::meta::xmp::parse_packet(cx, d),
        _ => Ok(()),
    };
    if let Err(e) = r {
        cx.warn_error(&e);
    }
}

/// Reads a raw JPEG 2000 codestream: SIZ (image size) and COM (comments) before the first tile.
pub(crate) fn parse_j2c(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, 65536)?;
    if d.get(..2) != Some(&[0xff, 0x4f][..]) {
        return Err(Error::malformed(0u64, "no SOC marker"));
    }
    let mut p = 2usize;
    for _ in 0..256 {
        let (Some(m), Some(len)) = (be16(&d, p), be16(&d, p + 2)) else { break };
        let body = d.get(p + 4..p + 2 + usize::from(len)).unwrap_or_default();
        match m {
            0xff51 => {
                let (Some(x), Some(y), Some(x0), Some(y0)) =
                    (be32(body, 2), be32(body, 6), be32(body, 10), be32(body, 14))
                else {
                    break;
                };
                let (w, h) = (x.saturating_sub(x0), y.saturating_sub(y0));
                cx.add("File", "ImageWidth", w);
                cx.add("File", "ImageHeight", h);
                cx.fact(Fact::ImageSize(w.into(), h.into()));
            }
            0xff64 if be16(body, 0) == Some(1) => {
                cx.add("File", "Comment", latin1(body.get(2..).unwrap_or_default()));
            }
            0xff90 | 0xff93 | 0xffd9 => break,
            _ => {}
        }
        if len < 2 {
            break;
        }
        p += 2 + usize::from(len);
    }
    Ok(())
}

/// LSB-first bit reader over a JPEG XL codestream.
struct Bits<'a> {
    d: &'a [u8],
    pos: usize,
}

impl Bits<'_> {
    fn read(&mut self, n: u32) -> Option<u32> {
        let mut v = 0u32;
        for i in 0..n {
            let byte = *self.d.get(self.pos / 8)?;
            v |= u32::from((byte >> (self.pos % 8)) & 1) << i;
            self.pos += 1;
        }
        Some(v)
    }

    /// A size field: 2-bit selector, then 9, 13, 18 or 30 bits, plus one.
    fn size(&mut self) -> Option<u32> {
        let n = *[9, 13, 18, 30].get(self.read(2)? as usize)?;
        Some(self.read(n)? + 1)
    }
}

/// The SizeHeader after a JPEG XL codestream signature (FF 0A).
fn jxl_size(d: &[u8]) -> Option<(u32, u32)> {
    let mut b = Bits { d, pos: 0 };
    let small = b.read(1)? == 1;
    let h = if small { (b.read(5)? + 1) * 8 } else { b.size()? };
    let ratio = b.read(3)?;
    let w = match ratio {
        0 if small => (b.read(5)? + 1) * 8,
        0 => b.size()?,
        r => {
            let (n, d) = *[(1, 1), (12, 10), (4, 3), (3, 2), (16, 9), (5, 4), (2, 1)].get(r as usize - 1)?;
            (u64::from(h) * n / d) as u32
        }
    };
    Some((w, h))
}

/// Reads a bare JPEG XL codestream: the image size.
pub(crate) fn parse_jxl_codestream(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, 16)?;
    let (w, h) = d
        .get(2..)
        .and_then(jxl_size)
        .ok_or_else(|| Error::malformed(2u64, "truncated JPEG XL size header"))?;
    cx.add("File", "ImageWidth", w);
    cx.add("File", "ImageHeight", h);
    cx.fact(Fact::ImageSize(w.into(), h.into()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    fn bx(kind: &[u8], body: &[u8]) -> Vec<u8> {
        let mut v = (body.len() as u32 + 8).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn jp2_header() {
        let ihdr = [0, 0, 0, 16, 0, 0, 0, 32, 0, 3, 7, 7, 0, 0];
        let colr = [1, 0, 0, 0, 0, 0, 16];
        let jp2h = [bx(b"ihdr", &ihdr), bx(b"colr", &colr)].concat();
        let f = [
            bx(b"jP  ", b"\r\n\x87\n"),
            bx(b"ftyp", b"jp2 \0\0\0\0jp2 "),
            bx(b"jp2h", &jp2h),
            bx(b"jp2c", b"\xff\x4f"),
        ]
        .concat();
        let t = test_util::parse(&f, parse);
        assert!(t.ok);
        assert_eq!(t.get("Jpeg2000:ImageWidth"), Some(&Value::Int(32)));
        assert_eq!(t.get("Jpeg2000:ImageHeight"), Some(&Value::Int(16)));
        assert_eq!(t.get("Jpeg2000:ColorSpace"), Some(&Value::Int(16)));
        assert_eq!(t.get("Jpeg2000:MinorVersion"), Some(&Value::Text("0.0.0".into())));
        for n in 0..f.len() {
            let _ = test_util::parse(&f[..n], parse);
        }
    }

    #[test]
    fn jxl() {
        assert_eq!(jxl_size(&[0x08, 0x04, 0x8e, 0x81]), Some((200, 130)));
        assert_eq!(jxl_size(&[0x08]), None);
    }

    #[test]
    fn codestream() {
        let mut f = vec![0xff, 0x4f, 0xff, 0x51, 0, 41, 0, 0, 0, 0, 0, 8, 0, 0, 0, 6];
        f.extend_from_slice(&[0; 29]);
        f.extend_from_slice(&[0xff, 0x64, 0, 6, 0, 1, b'h', b'i', 0xff, 0x90]);
        let t = test_util::parse(&f, parse_j2c);
        assert!(t.ok);
        assert_eq!(t.get("File:ImageWidth"), Some(&Value::Int(8)));
        assert_eq!(t.get("File:ImageHeight"), Some(&Value::Int(6)));
        assert_eq!(t.get("File:Comment"), Some(&Value::Text("hi".into())));
        for n in 0..f.len() {
            let _ = test_util::parse(&f[..n], parse_j2c);
        }
    }
}

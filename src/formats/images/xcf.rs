//! GIMP XCF: the header (version, size, colour mode) and the image properties after it:
//! compression, resolution, tattoo, units, and the parasites (named blobs) that carry the
//! comment, an ICC profile, EXIF, XMP and IPTC.

use super::payload::{Payload, hand_off, within_alloc};
use crate::base::bytes::{be_f32, be32};
use crate::base::decode::fourcc;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Group of the XCF tags.
const G: &str = "GIMP";
/// Most image properties read.
const MAX_PROPERTIES: usize = 256;
/// Most parasites read.
const MAX_PARASITES: usize = 256;

/// Reads a GIMP XCF file: header and image properties (with parasites).
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let head = cx.read_up_to(0, 64)?;
    let ver = head.get(9..13).ok_or_else(|| Error::malformed(9u64, "truncated XCF header"))?;
    let ver_s = fourcc(ver);
    cx.add(G, "XCFVersion", ver_s.as_str());
    let v: u32 = ver_s.strip_prefix('v').and_then(|n| n.parse().ok()).unwrap_or(0);
    let (Some(w), Some(h), Some(mode)) = (be32(&head, 14), be32(&head, 18), be32(&head, 22)) else {
        return Err(Error::malformed(14u64, "truncated XCF header"));
    };
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    cx.add(G, "ColorMode", mode);
    cx.fact(Fact::ImageSize(w.into(), h.into()));
    // Version 4 added a precision field to the header.
    let mut pos = if v >= 4 { 30u64 } else { 26 };
    for _ in 0..MAX_PROPERTIES {
        let Ok(ph) = cx.read_array::<8>(pos) else { break };
        let (ty, len) = (be32(&ph, 0).unwrap_or(0), be32(&ph, 4).unwrap_or(0));
        // PROP_END.
        if ty == 0 {
            break;
        }
        let body = pos + 8;
        if !within_alloc(cx, "XCF property", len.into(), pos) {
            break;
        }
        let d = cx.read_cow(body, len.into())?;
        match ty {
            17 => {
                if let Some(&c) = d.first() {
                    cx.add(G, "Compression", c);
                }
            }
            19 => {
                if let (Some(x), Some(y)) = (be_f32(&d, 0), be_f32(&d, 4)) {
                    cx.add(G, "XResolution", f64::from(x));
                    cx.add(G, "YResolution", f64::from(y));
                }
            }
            20 => {
                if let Some(t) = be32(&d, 0) {
                    cx.add(G, "Tattoo", t);
                }
            }
            22 => {
                if let Some(u) = be32(&d, 0) {
                    cx.add(G, "Units", u);
                }
            }
            21 => parasites(cx, &d, body),
            _ => {}
        }
        pos = body + u64::from(len);
    }
    Ok(())
}

/// The parasites property at file offset `at`: (u32 name length, name, u32 flags, u32
/// size, data) records.
fn parasites(cx: &mut Ctx, d: &[u8], at: u64) {
    let mut p = 0usize;
    for _ in 0..MAX_PARASITES {
        let Some(nl) = be32(d, p) else { break };
        let Some(name_end) = p.checked_add(4).and_then(|s| s.checked_add(nl as usize)) else { break };
        let Some(name) = d.get(p + 4..name_end) else { break };
        let name = fourcc(name);
        p = name_end;
        let Some(size) = be32(d, p + 4) else { break };
        let start = p + 8;
        let Some(end) = start.checked_add(size as usize) else { break };
        let Some(v) = d.get(start..end) else { break };
        let off = at + start as u64;
        match name.as_str() {
            "gimp-comment" => cx.add(G, "Comment", fourcc(v)),
            "icc-profile" => hand_off(cx, Payload::Icc, v, off),
            "exif-data" | "jpeg-exif-data" => hand_off(cx, Payload::Exif, v, off),
            "gimp-metadata" => {
                let skip = if v.starts_with(b"GIMP_XMP_1") { 10 } else { 0 };
                hand_off(cx, Payload::Xmp, v.get(skip..).unwrap_or_default(), off + skip as u64);
            }
            "iptc-data" => hand_off(cx, Payload::Iptc, v, off),
            _ => {}
        }
        p = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    #[test]
    fn header_and_properties() {
        let mut x = b"gimp xcf file\0".to_vec();
        for v in [8u32, 4, 0, 20, 4, 2, 0, 0] {
            x.extend_from_slice(&v.to_be_bytes());
        }
        let t = run(&x, parse);
        assert_eq!(get(&t, "GIMP:ImageHeight"), Some(&Value::Int(4)));
        assert_eq!(get(&t, "GIMP:Tattoo"), Some(&Value::Int(2)));
        for n in 0..x.len() {
            let _ = run(&x[..n], parse);
        }
    }
}

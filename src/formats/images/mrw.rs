//! Minolta MRW raw files: the `\0MRM` block that lists the header blocks (big-endian
//! length after each four-byte name). `PRD` gives the firmware, sensor and image sizes, bit
//! depths, storage method and Bayer pattern; `WBG` the white-balance levels, `RIF` the
//! requested image settings; `TTW` is a TIFF block for the EXIF parser.

use super::payload::within_alloc;
use crate::base::bytes::{be16, be32};
use crate::base::decode::latin1;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{Tag, Value};

/// Largest block read.
const MAX_BLOCK: u64 = 4 << 20;
/// Most blocks walked.
const MAX_BLOCKS: usize = 64;

/// Reads a Minolta MRW file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let h = cx.read_array::<8>(0)?;
    if !h.starts_with(b"\0MRM") {
        return Err(Error::malformed(0u64, "no MRM block"));
    }
    let end = u64::from(be32(&h, 4).unwrap_or(0)).saturating_add(8).min(cx.len());
    let mut pos = 8u64;
    for _ in 0..MAX_BLOCKS {
        if pos.saturating_add(8) > end {
            break;
        }
        let bh = cx.read_array::<8>(pos)?;
        let len = u64::from(be32(&bh, 4).unwrap_or(0));
        let body = pos + 8;
        if len > MAX_BLOCK || body.saturating_add(len) > cx.len() {
            cx.warn(pos, "MRW block runs past the file");
            break;
        }
        match bh.get(..4) {
            Some(b"\0PRD") if within_alloc(cx, "MRW PRD block", len, pos) => {
                let d = cx.read_cow(body, len)?;
                prd(cx, &d);
            }
            Some(b"\0WBG") if len <= 64 => {
                let d = cx.read_cow(body, len)?;
                wbg(cx, &d);
            }
            Some(b"\0RIF") if len <= 4096 => {
                let d = cx.read_cow(body, len)?;
                rif(cx, &d);
            }
            Some(b"\0TTW") if within_alloc(cx, "MRW TTW block", len, pos) => {
                let d = cx.read_cow(body, len)?;
                if let Err(e) = crate::meta::exif::parse_block(cx, &d, body) {
                    cx.warn_error(&e);
                }
            }
            _ => {}
        }
        pos = body + len;
    }
    Ok(())
}

/// `PRD`: firmware, sensor and image sizes, depths, storage and Bayer pattern.
fn prd(cx: &mut Ctx, d: &[u8]) {
    const G: &str = "MakerNotes";
    let Some(fw) = d.get(..8) else { return };
    // Eight characters, digits in the files seen: shown as a number when they are.
    let fw = latin1(fw);
    match fw.parse::<u64>() {
        Ok(n) => cx.add(G, "FirmwareID", n),
        Err(_) => cx.add(G, "FirmwareID", fw),
    }
    let (Some(sh), Some(sw), Some(ih), Some(iw)) = (be16(d, 8), be16(d, 10), be16(d, 12), be16(d, 14)) else {
        return;
    };
    cx.add(G, "SensorHeight", sh);
    cx.add(G, "SensorWidth", sw);
    cx.add(G, "ImageHeight", ih);
    cx.add(G, "ImageWidth", iw);
    if let (Some(&raw), Some(&bits), Some(&store), Some(bayer)) =
        (d.get(16), d.get(17), d.get(18), be16(d, 22))
    {
        cx.add(G, "RawDepth", raw);
        cx.add(G, "BitDepth", bits);
        cx.add(G, "StorageMethod", store);
        cx.add(G, "BayerPattern", bayer);
    }
}

/// Adds a tag of the MRW header blocks (family-1 group `MinoltaRaw`).
fn raw_tag(cx: &mut Ctx, name: &'static str, value: impl Into<Value>) {
    cx.push(Tag::new("MakerNotes", name, value).in_subgroup("MinoltaRaw"));
}

/// Adds a setting of `RIF` that the maker note (in `TTW`, read before it) also holds:
/// ExifTool shows the later one.
fn rif_tag(cx: &mut Ctx, name: &'static str, value: impl Into<Value>) {
    cx.push(Tag::new("MakerNotes", name, value).in_subgroup("Minolta").with_priority(i8::MAX));
}

/// `WBG`: the white-balance scale (four bytes) and RGGB levels (four 16-bit words).
fn wbg(cx: &mut Ctx, d: &[u8]) {
    if let Some(scale) = d.get(..4) {
        raw_tag(cx, "WBScale", joined(scale.iter().map(|b| i64::from(*b))));
    }
    let levels: Option<Vec<u16>> = (0..4).map(|i| be16(d, 4 + 2 * i)).collect();
    if let Some(levels) = levels {
        raw_tag(cx, "WB_RGGBLevels", joined(levels.into_iter().map(i64::from)));
    }
}

/// `RIF`: the requested image settings.
fn rif(cx: &mut Ctx, d: &[u8]) {
    for (at, name) in [(1, "Saturation"), (2, "Contrast"), (3, "Sharpness"), (0x38, "ColorFilter")] {
        if let Some(&v) = d.get(at) {
            rif_tag(cx, name, i64::from(v as i8));
        }
    }
    for (at, name) in [(6, "ISOSetting"), (7, "ColorMode"), (0x39, "BWFilter")] {
        if let Some(&v) = d.get(at) {
            rif_tag(cx, name, v);
        }
    }
    if let Some(&v) = d.get(4) {
        raw_tag(cx, "WBMode", v);
    }
    if let Some(&v) = d.get(5) {
        raw_tag(cx, "ProgramMode", v);
    }
    for (at, name) in [
        (8, "WB_RBLevelsTungsten"),
        (12, "WB_RBLevelsDaylight"),
        (16, "WB_RBLevelsCloudy"),
        (20, "WB_RBLevelsCoolWhiteF"),
        (24, "WB_RBLevelsFlash"),
        (28, "WB_RBLevelsCustom"),
    ] {
        if let (Some(r), Some(b)) = (be16(d, at), be16(d, at + 2)) {
            raw_tag(cx, name, format!("{r} {b}"));
        }
    }
    if let Some(&v) = d.get(0x3A) {
        raw_tag(cx, "ZoneMatching", v);
    }
    if let Some(&v) = d.get(0x3B) {
        raw_tag(cx, "Hue", i64::from(v as i8));
    }
}

/// Numbers joined with spaces, as ExifTool prints a list.
fn joined(v: impl Iterator<Item = i64>) -> String {
    v.map(|n| n.to_string()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    #[test]
    fn prd_block() {
        let mut prd = b"27200001".to_vec();
        for v in [2456u16, 3272, 2448, 3264] {
            prd.extend_from_slice(&v.to_be_bytes());
        }
        prd.extend_from_slice(&[12, 12, 0x59, 0, 0, 0, 0, 1]);
        let mut f = b"\0MRM".to_vec();
        f.extend_from_slice(&(prd.len() as u32 + 8).to_be_bytes());
        f.extend_from_slice(b"\0PRD");
        f.extend_from_slice(&(prd.len() as u32).to_be_bytes());
        f.extend(prd);
        let t = test_util::parse(&f, parse);
        assert!(t.ok);
        assert_eq!(t.get("MakerNotes:FirmwareID"), Some(&Value::Int(27200001)));
        assert_eq!(t.get("MakerNotes:ImageWidth"), Some(&Value::Int(3264)));
        assert_eq!(t.get("MakerNotes:BayerPattern"), Some(&Value::Int(1)));
        for n in 0..f.len() {
            let _ = test_util::parse(&f[..n], parse);
        }
    }
}

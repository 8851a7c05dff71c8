//! Minolta MRW raw files: the `\0MRM` block that lists the header blocks (big-endian
//! length after each four-byte name). `PRD` gives the firmware, sensor and image sizes, bit
//! depths, storage method and Bayer pattern; `TTW` is a TIFF block for the EXIF parser.

use super::payload::within_alloc;
use crate::base::bytes::{be16, be32};
use crate::base::decode::latin1;
use crate::context::Ctx;
use crate::error::{Error, Result};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
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

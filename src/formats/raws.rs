//! Raw formats not built on a TIFF header: Minolta MRW (`\0MRM` block list: `PRD` raw
//! dimensions, `TTW` TIFF/EXIF block, `WBG` white balance gains).

use crate::context::Ctx;
use crate::error::{Error, Result};

/// Largest MRW block read.
const MAX_BLOCK: u64 = 4 << 20;

fn be16(d: &[u8], p: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(p..p.checked_add(2)?)?.try_into().ok()?))
}

fn be32(d: &[u8], p: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(p..p.checked_add(4)?)?.try_into().ok()?))
}

/// Reads a Minolta MRW file.
pub(crate) fn parse_mrw(cx: &mut Ctx) -> Result<()> {
    let h = cx.read_array::<8>(0)?;
    if &h[..4] != b"\0MRM" {
        return Err(Error::malformed(0u64, "no MRM block"));
    }
    let end = u64::from(be32(&h, 4).unwrap_or(0)).saturating_add(8).min(cx.len());
    let mut pos = 8u64;
    for _ in 0..64 {
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
        match &bh[..4] {
            b"\0PRD" => {
                let d = cx.read(body, len)?;
                prd(cx, &d);
            }
            b"\0TTW" => {
                let d = cx.read(body, len)?;
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
    let fw: String = fw.iter().map(|&b| char::from(b)).collect();
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
    use crate::options::Options;

    #[test]
    fn mrw_blocks() {
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
        let opts = Options::default();
        let mut cx = Ctx::new(&f, &opts);
        assert!(parse_mrw(&mut cx).is_ok());
        let get = |n: &str| cx.tags.iter().find(|t| t.key() == n).map(|t| t.value.clone());
        assert_eq!(get("MakerNotes:FirmwareID"), Some(Value::Int(27200001)));
        assert_eq!(get("MakerNotes:ImageWidth"), Some(Value::Int(3264)));
        assert_eq!(get("MakerNotes:BayerPattern"), Some(Value::Int(1)));
        for n in 0..f.len() {
            let g = f[..n].to_vec();
            let mut cx = Ctx::new(&g, &opts);
            let _ = parse_mrw(&mut cx);
        }
    }
}

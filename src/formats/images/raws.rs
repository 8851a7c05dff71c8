//! Raw formats not built on a TIFF header: Minolta MRW (`\0MRM` block list: `PRD` raw
//! dimensions, `TTW` TIFF/EXIF block) and the Sigma/Foveon X3F file header.

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

/// Reads the Sigma X3F file header: version, unique ID, size, rotation, white balance,
/// scene type and the extended (adjustment) values.
pub(crate) fn parse_x3f(cx: &mut Ctx) -> Result<()> {
    const G: &str = "SigmaRaw";
    let d = cx.read_up_to(0, 264)?;
    let le = |p: usize| d.get(p..p + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let (Some(ver), Some(id)) = (le(4), d.get(8..24)) else {
        return Err(Error::malformed(4u64, "truncated X3F header"));
    };
    let (major, minor) = (ver >> 16, ver & 0xffff);
    cx.add(G, "FileVersion", f64::from(major) + f64::from(minor) / 10.0);
    cx.add(G, "ImageUniqueID", id.iter().map(|b| format!("{b:02x}")).collect::<String>());
    let (Some(mark), Some(w), Some(h), Some(rot)) = (le(24), le(28), le(32), le(36)) else { return Ok(()) };
    cx.add(G, "MarkBits", mark);
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    cx.add(G, "Rotation", rot);
    let text = |p: usize| d.get(p..p + 32).map(crate::base::decode::fourcc);
    let mut ext = None;
    if ver >= 0x0002_0001 {
        if let Some(wb) = text(40) {
            cx.add(G, "WhiteBalance", wb);
        }
        ext = Some(72);
    }
    if ver >= 0x0002_0003 {
        if let Some(sc) = text(72) {
            cx.add(G, "SceneCaptureType", sc);
        }
        ext = Some(104);
    }
    if let Some(e) = ext {
        const NAMES: [&str; 10] = [
            "ExposureAdjust",
            "Contrast",
            "Shadow",
            "Highlight",
            "Saturation",
            "Sharpness",
            "RedAdjust",
            "GreenAdjust",
            "BlueAdjust",
            "X3FillLight",
        ];
        for i in 0..32 {
            let (Some(&ty), Some(v)) = (d.get(e + i), le(e + 32 + 4 * i)) else { break };
            if let Some(n) = usize::from(ty).checked_sub(1).and_then(|t| NAMES.get(t)) {
                cx.add(G, *n, f64::from(f32::from_bits(v)));
            }
        }
    }
    Ok(())
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
        let mut x = b"FOVb\x02\0\x02\0".to_vec();
        x.resize(264, 0);
        x[28] = 8;
        x[72] = 1;
        x[104..108].copy_from_slice(&0.5f32.to_le_bytes());
        let mut cx = Ctx::new(&x, &opts);
        assert!(parse_x3f(&mut cx).is_ok());
        let get = |n: &str| cx.tags.iter().find(|t| t.key() == n).map(|t| t.value.clone());
        assert_eq!(get("SigmaRaw:FileVersion"), Some(Value::Float(2.2)));
        assert_eq!(get("SigmaRaw:ImageWidth"), Some(Value::Int(8)));
        assert_eq!(get("SigmaRaw:ExposureAdjust"), Some(Value::Float(0.5)));
        for n in 0..x.len() {
            let g = x[..n].to_vec();
            let mut cx = Ctx::new(&g, &opts);
            let _ = parse_x3f(&mut cx);
        }
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

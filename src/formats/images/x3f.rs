//! Sigma/Foveon X3F raw files: the file header (little-endian): version, unique ID, mark
//! bits, size, rotation, then (from version 2.1) the white balance label, (from 2.3) the
//! scene capture type, and the extended header's adjustment values; then the JPEG
//! preview's metadata (the camera's EXIF and maker note).

use crate::base::bytes::{le_f32, le32};
use crate::base::decode::fourcc;
use crate::base::hash::hex;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Group of the header tags.
const G: &str = "SigmaRaw";
/// Size of the header read.
const HEADER: u64 = 264;
/// Names of the extended header's value types 1 to 10.
const EXTENDED: [&str; 10] = [
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

/// Reads the Sigma X3F file header: version, unique ID, size, rotation, white balance,
/// scene type and the extended (adjustment) values.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, HEADER)?;
    let le = |p: usize| le32(&d, p);
    let (Some(ver), Some(id)) = (le(4), d.get(8..24)) else {
        return Err(Error::malformed(4u64, "truncated X3F header"));
    };
    let (major, minor) = (ver >> 16, ver & 0xffff);
    cx.add(G, "FileVersion", f64::from(major) + f64::from(minor) / 10.0);
    cx.add(G, "ImageUniqueID", hex(id));
    let (Some(mark), Some(w), Some(h), Some(rot)) = (le(24), le(28), le(32), le(36)) else { return Ok(()) };
    cx.add(G, "MarkBits", mark);
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    cx.add(G, "Rotation", rot);
    let text = |p: usize| d.get(p..p + 32).map(fourcc);
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
    // The extended header: 32 type bytes, then 32 little-endian floats.
    if let Some(e) = ext {
        for i in 0..32 {
            let (Some(&ty), Some(v)) = (d.get(e + i), le_f32(&d, e + 32 + 4 * i)) else { break };
            if let Some(n) = usize::from(ty).checked_sub(1).and_then(|t| EXTENDED.get(t)) {
                cx.add(G, *n, f64::from(v));
            }
        }
    }
    if let Err(e) = preview(cx) {
        cx.warn_error(&e);
    }
    Ok(())
}

/// Most directory entries read.
const MAX_SECTIONS: u32 = 64;
/// Image section format code of a JPEG.
const JPEG_FORMAT: u32 = 18;
/// Bytes of an image section's header (`SECi`, version, type, format, width, height,
/// row size) before its data.
const IMAGE_HEADER: u64 = 28;

/// The first JPEG preview among the image sections that the directory (`SECd`, found from
/// the file's last four bytes) lists: the camera's EXIF, maker note included, is in it.
fn preview(cx: &mut Ctx) -> Result<()> {
    let Some(tail) = cx.len().checked_sub(4) else { return Ok(()) };
    let at = u64::from(le32(&cx.read_array::<4>(tail)?, 0).unwrap_or(0));
    let head = cx.read_array::<12>(at)?;
    if !head.starts_with(b"SECd") {
        return Ok(());
    }
    let n = le32(&head, 8).unwrap_or(0).min(MAX_SECTIONS);
    let dir = cx.read(at + 12, u64::from(n) * 12)?;
    for e in dir.chunks_exact(12) {
        let (Some(off), Some(len)) = (le32(e, 0), le32(e, 4)) else { continue };
        if !matches!(e.get(8..12), Some(b"IMA2" | b"IMAG")) || u64::from(len) <= IMAGE_HEADER {
            continue;
        }
        let sec = cx.read_array::<16>(u64::from(off))?;
        if sec.starts_with(b"SECi") && le32(&sec, 12) == Some(JPEG_FORMAT) {
            let (start, size) = (u64::from(off) + IMAGE_HEADER, u64::from(len) - IMAGE_HEADER);
            return super::jpeg::parse_embedded(cx, start, size);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util;

    #[test]
    fn header_and_extended_values() {
        let mut x = b"FOVb\x02\0\x02\0".to_vec();
        x.resize(264, 0);
        x[28] = 8;
        x[72] = 1;
        x[104..108].copy_from_slice(&0.5f32.to_le_bytes());
        let t = test_util::parse(&x, parse);
        assert!(t.ok);
        assert_eq!(t.get("SigmaRaw:FileVersion"), Some(&Value::Float(2.2)));
        assert_eq!(t.get("SigmaRaw:ImageWidth"), Some(&Value::Int(8)));
        assert_eq!(t.get("SigmaRaw:ExposureAdjust"), Some(&Value::Float(0.5)));
        for n in 0..x.len() {
            let _ = test_util::parse(&x[..n], parse);
        }
    }
}

//! BPG (Better Portable Graphics: an HEVC still image in a small header of its own): the
//! header fields (pixel format, alpha, bit depth, colour space, flags, size, image data
//! length) and the extension blocks holding EXIF, an ICC profile and XMP.

use super::payload::{Payload, hand_off, within_alloc};
use crate::base::bytes::be_base128;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Longest `ue7` number BPG writes (32 bits of value).
const UE7_BYTES: usize = 5;
/// Most extension blocks read.
const MAX_EXTENSIONS: usize = 64;

/// The `ue7` number at `*p` (see [`be_base128`]).
fn ue7(d: &[u8], p: &mut usize) -> Option<u64> {
    be_base128(d, p, UE7_BYTES)
}

/// Reads a BPG file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    const G: &str = "File";
    let head = cx.read_up_to(0, 64)?;
    let (Some(&b4), Some(&b5)) = (head.get(4), head.get(5)) else {
        return Err(Error::malformed(4u64, "truncated BPG header"));
    };
    cx.add(G, "PixelFormat", b4 >> 5);
    cx.add(G, "Alpha", ((b4 >> 4) & 1) | ((b5 >> 1) & 2));
    cx.add(G, "BitDepth", (b4 & 0x0f) + 8);
    cx.add(G, "ColorSpace", b5 >> 4);
    cx.add(G, "Flags", b5 & 0x0f);
    let mut p = 6usize;
    let (Some(w), Some(h), Some(len)) = (ue7(&head, &mut p), ue7(&head, &mut p), ue7(&head, &mut p)) else {
        return Err(Error::malformed(6u64, "truncated BPG header"));
    };
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    cx.add(G, "ImageLength", len);
    cx.fact(Fact::ImageSize(w, h));
    // The extension-present flag.
    if b5 & 8 == 0 {
        return Ok(());
    }
    let Some(ext_len) = ue7(&head, &mut p) else { return Ok(()) };
    if !within_alloc(cx, "BPG extension data", ext_len, p as u64) {
        return Ok(());
    }
    let start = p as u64;
    let ext = cx.read_cow(start, ext_len)?;
    let mut q = 0usize;
    for _ in 0..MAX_EXTENSIONS {
        let (Some(tag), Some(n)) = (ue7(&ext, &mut q), ue7(&ext, &mut q)) else { break };
        let Some(end) = q.checked_add(n as usize) else { break };
        let Some(d) = ext.get(q..end) else { break };
        let off = start + q as u64;
        match tag {
            1 => {
                // Some writers put one extra byte before the TIFF header.
                let skip = usize::from(!d.starts_with(b"II") && !d.starts_with(b"MM") && d.len() > 1);
                if skip == 1 {
                    cx.warn(off, "[minor] Ignored extra byte at start of EXIF extension");
                }
                hand_off(cx, Payload::Exif, d.get(skip..).unwrap_or_default(), off + skip as u64);
            }
            2 => hand_off(cx, Payload::Icc, d, off),
            3 => hand_off(cx, Payload::Xmp, d, off),
            _ => {}
        }
        q = end;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    #[test]
    fn header() {
        let f = [0x42, 0x50, 0x47, 0xfb, 0x40, 0x08, 0x10, 0x81, 0x00, 0x00, 0x03, 0x09, 0x01, 0x00];
        let t = run(&f, parse);
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(128)));
        assert_eq!(get(&t, "File:BitDepth"), Some(&Value::Int(8)));
        for n in 0..f.len() {
            let _ = run(&f[..n], parse);
        }
    }
}

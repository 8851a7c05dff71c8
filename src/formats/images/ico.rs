//! ICO and CUR (Windows icons and cursors): the image count, then each directory entry's
//! size, colour count, planes and bit depth (hotspot for a cursor) and data length. The
//! images themselves are not read.

use crate::base::bytes::{le16, le32};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::Result;

/// Group of every tag here (ExifTool files these under `File`).
const G: &str = "File";
/// The directory's type of a cursor file.
const CURSOR: u16 = 2;

/// Reads an ICO or CUR file: the directory of images.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let h = cx.read_array::<6>(0)?;
    let kind = le16(&h, 2).unwrap_or(0);
    let count = le16(&h, 4).unwrap_or(0);
    cx.add(G, "ImageCount", count);
    let dir = cx.read_up_to(6, u64::from(count) * 16)?;
    let mut first = None;
    for e in dir.chunks_exact(16).filter_map(|e| <[u8; 16]>::try_from(e).ok()) {
        // A size byte of 0 means 256.
        let dim = |b: u8| if b == 0 { 256u32 } else { u32::from(b) };
        let (w, h) = (dim(e[0]), dim(e[1]));
        first.get_or_insert((w, h));
        cx.add(G, "ImageWidth", w);
        cx.add(G, "ImageHeight", h);
        cx.add(G, "NumColors", e[2]);
        let (a, b) = (le16(&e, 4).unwrap_or(0), le16(&e, 6).unwrap_or(0));
        if kind == CURSOR {
            cx.add(G, "HotspotX", a);
            cx.add(G, "HotspotY", b);
        } else {
            cx.add(G, "ColorPlanes", a);
            cx.add(G, "BitsPerPixel", b);
        }
        cx.add(G, "ImageLength", le32(&e, 8).unwrap_or(0));
    }
    if let Some((w, h)) = first {
        cx.fact(Fact::ImageSize(w.into(), h.into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    #[test]
    fn directory() {
        let mut d = vec![0, 0, 1, 0, 1, 0, 0, 16, 2, 0, 1, 0, 1, 0, 56, 0, 0, 0, 22, 0, 0, 0];
        let t = run(&d, parse);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(256)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(16)));
        d[4] = 0xff;
        let _ = run(&d, parse);
    }
}

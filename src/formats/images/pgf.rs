//! PGF (Progressive Graphics File): the 24-byte little-endian header (version, size,
//! pyramid levels, quality, depth, channels, colour mode, background), then, when the
//! writer kept one, the PNG stream of its metadata (text chunks) right after it, read by
//! the PNG container's own walk.

use crate::base::bytes::le32;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Group of the header's tags (ExifTool files these under `File`).
const G: &str = "File";
/// Size of the header; a PNG stream may start right after it.
const HEADER: u64 = 24;

/// Reads a PGF header and the PNG stream after it.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let h = cx.read_up_to(0, HEADER)?;
    let (Some(&version), Some(w), Some(ht)) = (h.get(3), le32(&h, 8), le32(&h, 12)) else {
        return Err(Error::malformed(0u64, "PGF header truncated"));
    };
    cx.add(G, "PGFVersion", version);
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", ht);
    for (at, name) in [
        (16, "PyramidLevels"),
        (17, "Quality"),
        (18, "BitsPerPixel"),
        (19, "ColorComponents"),
        (20, "ColorMode"),
    ] {
        if let Some(v) = h.get(at) {
            cx.add(G, name, *v);
        }
    }
    if let Some(bg) = h.get(21..24) {
        cx.add(G, "BackgroundColor", format!("{} {} {}", bg[0], bg[1], bg[2]));
    }
    cx.fact(Fact::ImageSize(w.into(), ht.into()));
    if cx.read_up_to(HEADER, 4)?.as_slice() == b"\x89PNG" {
        if let Err(e) = super::png::parse_at(cx, HEADER) {
            cx.warn_error(&e);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    #[test]
    fn header_and_truncations() {
        let mut f = b"PGF6".to_vec();
        f.extend_from_slice(&[0x9c, 0, 0, 0, 8, 0, 0, 0, 6, 0, 0, 0, 0, 0, 24, 3, 3, 1, 2, 3]);
        let t = run(&f, parse);
        assert_eq!(get(&t, "File:PGFVersion"), Some(&Value::Int(54)));
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(8)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(6)));
        assert_eq!(get(&t, "File:BackgroundColor"), Some(&Value::from("1 2 3")));
        for n in 0..f.len() {
            let _ = run(&f[..n], parse);
        }
    }
}

//! PCX (ZSoft Paintbrush): the 128-byte header: maker, version, encoding, depth, the image
//! window (margins and size), resolution, planes, line length, palette mode and screen size.

use crate::base::bytes::le16;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::Result;

/// Group of every tag here (ExifTool files these under `File`).
const G: &str = "File";

/// Reads a PCX file: the 128-byte header.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_array::<128>(0)?;
    let w16 = |p: usize| le16(&d, p).unwrap_or(0);
    cx.add(G, "Manufacturer", d[0]);
    cx.add(G, "Software", d[1]);
    cx.add(G, "Encoding", d[2]);
    cx.add(G, "BitsPerPixel", d[3]);
    // The image window, inclusive.
    let (x0, y0, x1, y1) = (w16(4), w16(6), w16(8), w16(10));
    cx.add(G, "LeftMargin", x0);
    cx.add(G, "TopMargin", y0);
    let w = i64::from(x1) - i64::from(x0) + 1;
    let h = i64::from(y1) - i64::from(y0) + 1;
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    cx.add(G, "XResolution", w16(12));
    cx.add(G, "YResolution", w16(14));
    cx.add(G, "ColorPlanes", d[65]);
    cx.add(G, "BytesPerLine", w16(66));
    cx.add(G, "ColorMode", w16(68));
    if w16(70) != 0 || w16(72) != 0 {
        cx.add(G, "ScreenWidth", w16(70));
        cx.add(G, "ScreenHeight", w16(72));
    }
    cx.fact(Fact::ImageSize(w.max(0) as u64, h.max(0) as u64));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    #[test]
    fn header() {
        let mut p = vec![0u8; 128];
        p[0] = 10;
        p[8] = 7;
        p[10] = 3;
        let t = run(&p, parse);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(8)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(4)));
    }
}

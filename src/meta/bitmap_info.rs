//! BITMAPINFOHEADER (and the OS/2 BITMAPCOREHEADER): the image description that BMP
//! files carry after their file header and AVI video streams carry in `strf`. ExifTool
//! files its fields under `File`.

use crate::base::bytes::{le16, le32};
use crate::base::decode::fourcc;
use crate::context::Ctx;
use crate::meta::nested::{self, Payload};
use crate::model::Value;

/// Group of every tag here.
const G: &str = "File";

/// A BITMAPINFOHEADER (or the OS/2 BITMAPCOREHEADER) at the start of `d`: BMP files and
/// AVI video `strf` chunks. Returns the image size.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
pub(crate) fn parse(cx: &mut Ctx, d: &[u8], base: u64) -> Option<(u64, u64)> {
    let size = le32(d, 0)?;
    cx.add(G, "BMPVersion", size);
    if size < 40 {
        // BITMAPCOREHEADER: 16-bit dimensions.
        let (w, h) = (le16(d, 4)?, le16(d, 6)?);
        cx.add(G, "ImageWidth", w);
        cx.add(G, "ImageHeight", h);
        cx.add(G, "Planes", le16(d, 8)?);
        cx.add(G, "BitDepth", le16(d, 10)?);
        return Some((w.into(), h.into()));
    }
    let w = le32(d, 4)? as i32;
    let h = le32(d, 8)? as i32;
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h.unsigned_abs());
    cx.add(G, "Planes", le16(d, 12)?);
    cx.add(G, "BitDepth", le16(d, 14)?);
    let comp = le32(d, 16)?;
    if comp < 256 {
        cx.add(G, "Compression", comp);
    } else {
        cx.add(G, "Compression", fourcc(d.get(16..20)?));
    }
    cx.add(G, "ImageLength", le32(d, 20)?);
    cx.add(G, "PixelsPerMeterX", le32(d, 24)? as i32);
    cx.add(G, "PixelsPerMeterY", le32(d, 28)? as i32);
    cx.add(G, "NumColors", le32(d, 32)?);
    cx.add(G, "NumImportantColors", le32(d, 36)?);
    let dims = (u64::from(w.unsigned_abs()), u64::from(h.unsigned_abs()));
    if size >= 108 && d.len() >= 108 {
        for (i, n) in ["RedMask", "GreenMask", "BlueMask", "AlphaMask"].iter().enumerate() {
            cx.add(G, *n, le32(d, 40 + 4 * i)?);
        }
        let cs = le32(d, 56)?;
        let txt = cs.to_be_bytes();
        if txt.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
            cx.add(G, "ColorSpace", fourcc(&txt));
        } else {
            cx.add(G, "ColorSpace", cs);
        }
        if cs == 0 {
            // LCS_CALIBRATED_RGB: CIEXYZ end points (2.30 fixed) and 16.16 gammas.
            let mut pts = Vec::with_capacity(9);
            for i in 0..9 {
                pts.push(f64::from(le32(d, 60 + 4 * i)? as i32) / f64::from(1u32 << 30));
            }
            let f = |v: &[f64]| Value::from(v.iter().map(|x| format!("{x}")).collect::<Vec<_>>().join(" "));
            cx.add(G, "RedEndpoint", f(&pts[0..3]));
            cx.add(G, "GreenEndpoint", f(&pts[3..6]));
            cx.add(G, "BlueEndpoint", f(&pts[6..9]));
            for (i, n) in ["GammaRed", "GammaGreen", "GammaBlue"].iter().enumerate() {
                cx.add(G, *n, f64::from(le32(d, 96 + 4 * i)?) / 65536.0);
            }
        }
        if size >= 124 && d.len() >= 124 {
            cx.add(G, "RenderingIntent", le32(d, 108)?);
            let (off, len) = (le32(d, 112)?, le32(d, 116)?);
            if &txt == b"MBED" && len > 0 {
                let at = base.saturating_add(off.into());
                match cx.read(at, len.into()) {
                    Ok(p) => {
                        cx.add(G, "ProfileDataOffset", off);
                        cx.add(G, "ProfileSize", len);
                        if let Err(e) = nested::parse(cx, Payload::Icc, &p, at) {
                            cx.warn_error(&e);
                        }
                    }
                    Err(e) => cx.warn_error(&e),
                }
            }
        }
    }
    Some(dims)
}

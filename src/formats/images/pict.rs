//! Apple PICT (QuickDraw pictures, Inside Macintosh: Imaging With QuickDraw, appendix A):
//! after an optional 512-byte application header, the picture size and frame rectangle
//! give the dimensions; a version 2 extended header (`0x0C00` with version -2) gives the
//! resolution, by which the frame (in 72 dpi units) is scaled to pixels.

use crate::base::bytes::{be16, be32};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Group of every tag here (ExifTool files these under `File`).
const G: &str = "File";
/// The version 2 opcodes that follow the frame: version, then the header opcode.
const V2: &[u8] = b"\x00\x11\x02\xFF\x0C\x00";

/// Reads the picture frame and, in version 2 pictures, the resolution.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, 512 + 40)?;
    // The 512-byte header of PICT files is optional: the version opcodes say where the
    // picture starts.
    let base = if d.get(10..16) == Some(V2) {
        0
    } else if d.get(522..528) == Some(V2) {
        512
    } else {
        return Err(Error::malformed(0u64, "PICT without version 2 opcodes"));
    };
    let rect = |at: usize| {
        Some((
            be16(&d, at)? as i16,
            be16(&d, at + 2)? as i16,
            be16(&d, at + 4)? as i16,
            be16(&d, at + 6)? as i16,
        ))
    };
    let Some((top, left, bottom, right)) = rect(base + 2) else {
        return Err(Error::malformed(base as u64, "truncated PICT frame"));
    };
    // Extended version 2 header: version -2, reserved, then 16.16 resolutions; the frame
    // is in 72 dpi units, so the image has frame x resolution / 72 pixels.
    let hdr = base + 16;
    let res = match (be16(&d, hdr), be32(&d, hdr + 4), be32(&d, hdr + 8)) {
        (Some(0xFFFE), Some(x), Some(y)) => Some((f64::from(x) / 65536.0, f64::from(y) / 65536.0)),
        _ => None,
    };
    let (sx, sy) = res.map_or((1.0, 1.0), |(x, y)| (x / 72.0, y / 72.0));
    let w = ((f64::from(right) - f64::from(left)) * sx).round();
    let h = ((f64::from(bottom) - f64::from(top)) * sy).round();
    if w > 0.0 && h > 0.0 {
        let (w, h) = (w as u64, h as u64);
        cx.add(G, "ImageWidth", w);
        cx.add(G, "ImageHeight", h);
        cx.fact(Fact::ImageSize(w, h));
    }
    if let Some((x, y)) = res {
        cx.add(G, "XResolution", x);
        cx.add(G, "YResolution", y);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    #[test]
    fn frame_and_resolution() {
        let mut d = vec![0x00, 0x96, 0, 0, 0, 0, 0, 8, 0, 16];
        d.extend_from_slice(V2);
        d.extend_from_slice(&[0xFF, 0xFE, 0, 0, 0, 0x90, 0, 0, 0, 0x90, 0, 0]);
        let t = run(&d, parse);
        // 16 x 8 at 72 dpi, 144 dpi across: 32 x 8 pixels.
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(32)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(16)));
        assert_eq!(get(&t, "File:XResolution"), Some(&Value::Float(144.0)));
        assert_eq!(get(&t, "File:YResolution"), Some(&Value::Float(144.0)));
        for n in 0..d.len() {
            let _ = run(&d[..n], parse);
        }
    }
}

//! Simple raster headers: BMP (and the BITMAPINFOHEADER shared with AVI), ICO/CUR, PCX and
//! the Netpbm family (PBM/PGM/PPM/PAM). Only fixed-size headers are read.

use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Group of every tag here (ExifTool files these under `File`).
const G: &str = "File";

fn le16(d: &[u8], p: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(p..p + 2)?.try_into().ok()?))
}

fn le32(d: &[u8], p: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(p..p + 4)?.try_into().ok()?))
}

/// A BMP file: 14-byte file header, then the info header.
pub(crate) fn parse_bmp(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(14, 124)?;
    let dims = crate::meta::bitmap_info::parse(cx, &d, 14)
        .ok_or_else(|| Error::malformed(14u64, "truncated BMP header"))?;
    cx.fact(Fact::ImageSize(dims.0, dims.1));
    Ok(())
}

/// An ICO or CUR file: the directory of images.
pub(crate) fn parse_ico(cx: &mut Ctx) -> Result<()> {
    let h = cx.read_array::<6>(0)?;
    let kind = le16(&h, 2).unwrap_or(0);
    let count = le16(&h, 4).unwrap_or(0);
    cx.add(G, "ImageCount", count);
    let dir = cx.read_up_to(6, u64::from(count) * 16)?;
    let mut first = None;
    for e in dir.chunks_exact(16) {
        let dim = |b: u8| if b == 0 { 256u32 } else { u32::from(b) };
        let (w, h) = (dim(e[0]), dim(e[1]));
        first.get_or_insert((w, h));
        cx.add(G, "ImageWidth", w);
        cx.add(G, "ImageHeight", h);
        cx.add(G, "NumColors", e[2]);
        let (a, b) = (le16(e, 4).unwrap_or(0), le16(e, 6).unwrap_or(0));
        if kind == 2 {
            cx.add(G, "HotspotX", a);
            cx.add(G, "HotspotY", b);
        } else {
            cx.add(G, "ColorPlanes", a);
            cx.add(G, "BitsPerPixel", b);
        }
        cx.add(G, "ImageLength", le32(e, 8).unwrap_or(0));
    }
    if let Some((w, h)) = first {
        cx.fact(Fact::ImageSize(w.into(), h.into()));
    }
    Ok(())
}

/// A PCX file: the 128-byte header.
pub(crate) fn parse_pcx(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_array::<128>(0)?;
    let w16 = |p: usize| le16(&d, p).unwrap_or(0);
    cx.add(G, "Manufacturer", d[0]);
    cx.add(G, "Software", d[1]);
    cx.add(G, "Encoding", d[2]);
    cx.add(G, "BitsPerPixel", d[3]);
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

/// A Netpbm file (P1-P7): comment, size and maximum sample value.
pub(crate) fn parse_pnm(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, 4096)?;
    let kind = d.get(1).copied().unwrap_or(0);
    let mut p = 2usize;
    let mut comments: Vec<String> = Vec::new();
    let mut nums: Vec<u64> = Vec::new();
    if kind == b'7' {
        return parse_pam(cx, &d);
    }
    let want = if kind == b'1' || kind == b'4' { 2 } else { 3 };
    while nums.len() < want && p < d.len() {
        let c = d[p];
        if c == b'#' {
            let end = d[p..].iter().position(|&b| b == b'\n' || b == b'\r').map_or(d.len(), |e| p + e);
            let text = String::from_utf8_lossy(&d[p + 1..end]);
            comments.push(text.strip_prefix(' ').unwrap_or(&text).to_owned());
            p = end;
        } else if c.is_ascii_digit() {
            let end = d[p..].iter().position(|b| !b.is_ascii_digit()).map_or(d.len(), |e| p + e);
            let v = std::str::from_utf8(&d[p..end]).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
            nums.push(v);
            p = end;
        } else if c.is_ascii_whitespace() {
            p += 1;
        } else {
            break;
        }
    }
    if !comments.is_empty() {
        cx.add(G, "Comment", comments.join("\n"));
    }
    let (Some(&w), Some(&h)) = (nums.first(), nums.get(1)) else {
        return Err(Error::malformed(0u64, "truncated Netpbm header"));
    };
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    if let Some(&m) = nums.get(2) {
        cx.add(G, "MaxVal", m);
    }
    cx.fact(Fact::ImageSize(w, h));
    Ok(())
}

/// PAM (P7): `KEY value` header lines up to ENDHDR.
fn parse_pam(cx: &mut Ctx, d: &[u8]) -> Result<()> {
    let text = String::from_utf8_lossy(d);
    let (mut w, mut h) = (None, None);
    for line in text.lines().skip(1).take(64) {
        let mut it = line.split_whitespace();
        let (Some(k), v) = (it.next(), it.next()) else { continue };
        let n = v.and_then(|v| v.parse::<u64>().ok());
        match (k, n) {
            ("ENDHDR", _) => break,
            ("WIDTH", Some(n)) => w = Some(n),
            ("HEIGHT", Some(n)) => h = Some(n),
            ("MAXVAL", Some(n)) => cx.add(G, "MaxVal", n),
            _ => {}
        }
    }
    if let (Some(w), Some(h)) = (w, h) {
        cx.add(G, "ImageWidth", w);
        cx.add(G, "ImageHeight", h);
        cx.fact(Fact::ImageSize(w, h));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    #[test]
    fn bmp_v3() {
        let mut d = b"BM".to_vec();
        d.extend_from_slice(&[0; 12]);
        d.extend_from_slice(&40u32.to_le_bytes());
        d.extend_from_slice(&8u32.to_le_bytes());
        d.extend_from_slice(&(-6i32).to_le_bytes());
        d.extend_from_slice(&1u16.to_le_bytes());
        d.extend_from_slice(&24u16.to_le_bytes());
        d.extend_from_slice(&[0; 24]);
        let t = run(&d, parse_bmp);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(8)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(6)));
        assert_eq!(get(&t, "File:BitDepth"), Some(&Value::Int(24)));
        for n in 0..d.len() {
            let _ = run(&d[..n], parse_bmp);
        }
    }

    #[test]
    fn ico_pcx_pnm() {
        let mut d = vec![0, 0, 1, 0, 1, 0, 0, 16, 2, 0, 1, 0, 1, 0, 56, 0, 0, 0, 22, 0, 0, 0];
        let t = run(&d, parse_ico);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(256)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(16)));
        d[4] = 0xff;
        let _ = run(&d, parse_ico);
        let mut p = vec![0u8; 128];
        p[0] = 10;
        p[8] = 7;
        p[10] = 3;
        let t = run(&p, parse_pcx);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(8)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(4)));
        let t = run(b"P6\n# hi there\n12 5\n255\n", parse_pnm);
        assert_eq!(get(&t, "File:Comment"), Some(&Value::Text("hi there".into())));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(5)));
        assert_eq!(get(&t, "File:MaxVal"), Some(&Value::Int(255)));
        let t = run(b"P7\nWIDTH 3\nHEIGHT 2\nMAXVAL 15\nENDHDR\n", parse_pnm);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(3)));
        let _ = run(b"P4\n#", parse_pnm);
    }
}

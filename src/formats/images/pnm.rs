//! Netpbm (PBM, PGM, PPM: `P1`-`P6`; PAM: `P7`): the text header: comments, width,
//! height and the maximum sample value (none in a bitmap); PAM's `KEY value` lines.
//! The Portable Float Map (`PF` colour, `Pf` grey): width, height and the scale, whose
//! sign gives the byte order.

use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Group of every tag here (ExifTool files these under `File`).
const G: &str = "File";
/// Largest header read.
const MAX_HEADER: u64 = 4096;
/// Most PAM header lines read.
const MAX_PAM_LINES: usize = 64;

/// Reads a Netpbm file (P1-P7): comment, size and maximum sample value.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, MAX_HEADER)?;
    let kind = d.get(1).copied().unwrap_or(0);
    if kind == b'7' {
        return parse_pam(cx, &d);
    }
    let mut p = 2usize;
    let mut comments: Vec<String> = Vec::new();
    let mut nums: Vec<u64> = Vec::new();
    // Bitmaps (P1, P4) have no maximum value.
    let want = if kind == b'1' || kind == b'4' { 2 } else { 3 };
    while nums.len() < want {
        let (Some(&c), Some(rest)) = (d.get(p), d.get(p..)) else { break };
        if c == b'#' {
            let end = rest.iter().position(|&b| b == b'\n' || b == b'\r').map_or(d.len(), |e| p + e);
            let text = String::from_utf8_lossy(d.get(p + 1..end).unwrap_or_default());
            comments.push(text.strip_prefix(' ').unwrap_or(&text).to_owned());
            p = end;
        } else if c.is_ascii_digit() {
            let end = rest.iter().position(|b| !b.is_ascii_digit()).map_or(d.len(), |e| p + e);
            let digits = d.get(p..end).unwrap_or_default();
            let v = std::str::from_utf8(digits).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
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

/// Reads a Portable Float Map header: `PF` or `Pf`, width, height, scale (negative for
/// little-endian samples), separated by white space.
pub(crate) fn parse_pfm(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, 256)?;
    let text = String::from_utf8_lossy(&d);
    let mut it = text.split_ascii_whitespace();
    let (Some(kind), Some(w), Some(h), Some(scale)) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(Error::malformed(0u64, "truncated PFM header"));
    };
    let (Ok(w), Ok(h)) = (w.parse::<u64>(), h.parse::<u64>()) else {
        return Err(Error::malformed(0u64, "PFM header without a size"));
    };
    cx.add(G, "ColorSpace", kind.to_owned());
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    if let Ok(v) = scale.parse::<f64>() {
        cx.add(G, "ByteOrder", v);
    }
    cx.fact(Fact::ImageSize(w, h));
    Ok(())
}

/// PAM (P7): `KEY value` header lines up to ENDHDR.
fn parse_pam(cx: &mut Ctx, d: &[u8]) -> Result<()> {
    let text = String::from_utf8_lossy(d);
    let (mut w, mut h) = (None, None);
    for line in text.lines().skip(1).take(MAX_PAM_LINES) {
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
    fn pixmap_pam_and_truncated() {
        let t = run(b"P6\n# hi there\n12 5\n255\n", parse);
        assert_eq!(get(&t, "File:Comment"), Some(&Value::Text("hi there".into())));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(5)));
        assert_eq!(get(&t, "File:MaxVal"), Some(&Value::Int(255)));
        let t = run(b"P7\nWIDTH 3\nHEIGHT 2\nMAXVAL 15\nENDHDR\n", parse);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(3)));
        let _ = run(b"P4\n#", parse);
    }

    #[test]
    fn float_map() {
        let t = run(b"PF\n512 768\n-1.000000\n<data>", parse_pfm);
        assert_eq!(get(&t, "File:ColorSpace"), Some(&Value::Text("PF".into())));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(768)));
        assert_eq!(get(&t, "File:ByteOrder"), Some(&Value::Float(-1.0)));
        for n in 0..12 {
            let _ = run(&b"PF\n512 768\n-1.0\n"[..n], parse_pfm);
        }
    }
}

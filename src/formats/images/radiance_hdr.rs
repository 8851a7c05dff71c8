//! Radiance HDR (RGBE, `.hdr`/`.pic`): the text header after `#?RADIANCE` (`KEY=value`
//! lines such as `FORMAT` and `EXPOSURE`, and the command lines that made the picture),
//! then, after a blank line, the resolution line that gives size and orientation.

use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::{Tag, Value};

/// Group of the header tags.
const G: &str = "Radiance";
/// Largest header read.
const MAX_HEADER: u64 = 8192;
/// Most header lines read.
const MAX_LINES: usize = 512;

/// Reads a Radiance RGBE file: `KEY=value` lines, commands, then the resolution line.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, MAX_HEADER)?;
    let mut lines = d.split(|&b| b == b'\n').skip(1);
    let mut command = None;
    let mut seen_blank = false;
    for _ in 0..MAX_LINES {
        let Some(line) = lines.next() else { break };
        let line = String::from_utf8_lossy(line);
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            seen_blank = true;
            continue;
        }
        if seen_blank {
            // The resolution string: "-Y 1 +X 1".
            let parts: Vec<&str> = line.split_whitespace().collect();
            if let [a, n1, b, n2] = parts[..] {
                let (n1, n2) = (n1.parse::<u64>().unwrap_or(0), n2.parse::<u64>().unwrap_or(0));
                let (w, h) = if a.ends_with('Y') { (n2, n1) } else { (n1, n2) };
                cx.add("File", "ImageHeight", h);
                cx.add("File", "ImageWidth", w);
                cx.add(G, "Orientation", format!("{a} {b}"));
                cx.fact(Fact::ImageSize(w, h));
            }
            break;
        }
        if let Some((k, v)) = line.split_once('=').filter(|(k, _)| k.chars().all(|c| c.is_ascii_uppercase()))
        {
            let v = v.trim();
            let name = match k {
                "SOFTWARE" => "Software",
                "VIEW" => "View",
                "FORMAT" => "Format",
                "EXPOSURE" => "Exposure",
                "GAMMA" => "Gamma",
                "PIXASPECT" => "PixelAspectRatio",
                "COLORCORR" => "ColorCorrection",
                "PRIMARIES" => "ColorPrimaries",
                _ => continue,
            };
            let value = match (name, v.parse::<f64>()) {
                ("Exposure" | "Gamma" | "PixelAspectRatio", Ok(f)) => Value::Float(f),
                _ => Value::from(v),
            };
            cx.push(Tag::new(G, name, value));
        } else if !line.starts_with('#') {
            // Any other line is a command of the pipeline that made the picture: the last
            // one is kept.
            command = Some(line.to_owned());
        }
    }
    if let Some(c) = command {
        cx.add(G, "Command", c);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{get, run};

    #[test]
    fn header_and_resolution() {
        let f = b"#?RADIANCE\nrpict -x 1\nFORMAT=32-bit_rle_rgbe\nEXPOSURE= 0.5\n\n-Y 2 +X 3\n";
        let t = run(f, parse);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(3)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(2)));
        assert_eq!(get(&t, "Radiance:Exposure"), Some(&Value::Float(0.5)));
        assert_eq!(get(&t, "Radiance:Command"), Some(&Value::Text("rpict -x 1".into())));
    }
}

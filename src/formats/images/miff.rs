//! MIFF (ImageMagick's Magick Image File Format): the `key=value` text header up to the
//! `:\x1a` that ends it (class, size, depth, colour space, compression...), then the
//! profiles the header declares (`profile-exif=<length>`...), stored one after another
//! after the header: EXIF, XMP, ICC, IPTC and Photoshop resources.

use super::payload::{Payload, hand_off, within_alloc};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Value;

/// Largest header read.
const MAX_HEADER: u64 = 65536;
/// Most header words read.
const MAX_WORDS: usize = 4096;
/// Most profiles read.
const MAX_PROFILES: usize = 64;

/// Reads a MIFF file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    const G: &str = "MIFF";
    let d = cx.read_up_to(0, MAX_HEADER)?;
    let Some(end) = d.windows(2).position(|w| w == b":\x1a") else {
        return Err(Error::malformed(0u64, "no MIFF header end"));
    };
    let text = String::from_utf8_lossy(d.get(..end).unwrap_or_default());
    let mut profiles: Vec<(String, u64)> = Vec::new();
    let (mut w, mut h) = (None, None);
    let mut in_comment = false;
    for tok in text.split_whitespace().take(MAX_WORDS) {
        // `{...}` is a comment, possibly over several words.
        if in_comment || tok.starts_with('{') {
            in_comment = !tok.ends_with('}');
            continue;
        }
        let Some((k, v)) = tok.split_once('=') else { continue };
        if let Some(p) = k.strip_prefix("profile-").or_else(|| k.strip_prefix("profile:")) {
            profiles.push((p.to_ascii_lowercase(), v.parse().unwrap_or(0)));
            continue;
        }
        let name = match k.to_ascii_lowercase().as_str() {
            "id" => "ID",
            "class" => "Class",
            "matte" | "alpha-trait" => "Matte",
            "columns" => "ImageWidth",
            "rows" => "ImageHeight",
            "depth" => "Depth",
            "resolution" => "Resolution",
            "units" => "Units",
            "colorspace" => "ColorSpace",
            "compression" => "Compression",
            "type" => "ImageType",
            "gamma" => "Gamma",
            "scene" => "Scene",
            "scenes" => "Scenes",
            _ => continue,
        };
        let value = match name {
            "Matte" => Value::Bool(v.eq_ignore_ascii_case("true")),
            "ImageWidth" | "ImageHeight" | "Depth" | "Scene" | "Scenes" => {
                let n: u64 = v.parse().unwrap_or(0);
                if name == "ImageWidth" {
                    w = Some(n);
                } else if name == "ImageHeight" {
                    h = Some(n);
                }
                Value::from(n)
            }
            _ => Value::from(v),
        };
        cx.add(G, name, value);
    }
    let mut pos = end as u64 + 2;
    for (kind, n) in profiles.into_iter().take(MAX_PROFILES) {
        if !within_alloc(cx, "MIFF profile", n, pos) {
            break;
        }
        let Ok(p) = cx.read_cow(pos, n) else { break };
        // The data's own signature first, then the name the header gave it.
        let payload = if p.starts_with(b"8BIM") {
            Some(Payload::Irb)
        } else if p.starts_with(b"Exif\0\0") || kind == "exif" {
            Some(Payload::Exif)
        } else if p.starts_with(b"http://ns.adobe.com/xap/1.0/") || kind == "xmp" {
            Some(Payload::Xmp)
        } else if kind == "icc" || kind == "icm" {
            Some(Payload::Icc)
        } else if kind == "iptc" {
            Some(Payload::Iptc)
        } else {
            None
        };
        if let Some(payload) = payload {
            hand_off(cx, payload, &p, pos);
        }
        pos += n;
    }
    if let (Some(w), Some(h)) = (w, h) {
        cx.fact(Fact::ImageSize(w, h));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{get, run};

    #[test]
    fn header() {
        let t = run(b"id=ImageMagick columns=8 rows=4 matte=False\n:\x1a", parse);
        assert_eq!(get(&t, "MIFF:ImageHeight"), Some(&Value::Int(4)));
        assert_eq!(get(&t, "MIFF:Matte"), Some(&Value::Bool(false)));
    }
}

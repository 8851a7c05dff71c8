//! High-dynamic-range and film raster headers: OpenEXR (the attribute list of the first
//! header), Radiance RGBE (`#?RADIANCE` text header) and DPX (SMPTE 268M fixed header).

use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{Tag, Value};

/// Largest OpenEXR header read.
const MAX_EXR_HEADER: u64 = 1 << 20;

/// Reads an OpenEXR file.
pub(crate) fn parse_exr(cx: &mut Ctx) -> Result<()> {
    const G: &str = "OpenEXR";
    let d = cx.read_up_to(0, MAX_EXR_HEADER)?;
    let v = d.get(4..8).ok_or_else(|| Error::malformed(4u64, "truncated OpenEXR header"))?;
    let v = u32::from_le_bytes([v[0], v[1], v[2], v[3]]);
    cx.add(G, "EXRVersion", v & 0xff);
    cx.add(G, "Flags", v >> 8);
    let mut p = 8usize;
    let mut size = None;
    for _ in 0..1024 {
        let Some(name) = cstr(&d, &mut p) else { break };
        if name.is_empty() {
            break;
        }
        let Some(ty) = cstr(&d, &mut p) else { break };
        let Some(len) = d.get(p..p + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize) else {
            break;
        };
        p += 4;
        let Some(val) = p.checked_add(len).and_then(|e| d.get(p..e)) else {
            cx.warn(p as u64, "OpenEXR attribute runs past the header");
            break;
        };
        p += len;
        let Some(value) = exr_value(&ty, val) else { continue };
        if name == "dataWindow" {
            if let Some([x0, y0, x1, y1]) = i32s::<4>(val) {
                let (w, h) = (i64::from(x1) - i64::from(x0) + 1, i64::from(y1) - i64::from(y0) + 1);
                size = Some((w, h));
            }
        }
        let mut tag = name.clone();
        if let Some(f) = tag.get_mut(..1) {
            f.make_ascii_uppercase();
        }
        cx.add(G, tag, value);
    }
    if let Some((w, h)) = size {
        cx.add("File", "ImageWidth", w);
        cx.add("File", "ImageHeight", h);
        cx.fact(Fact::ImageSize(w.max(0) as u64, h.max(0) as u64));
    }
    Ok(())
}

/// A NUL-terminated string at `*p` (advanced past the NUL).
fn cstr(d: &[u8], p: &mut usize) -> Option<String> {
    let rest = d.get(*p..)?;
    let n = rest.iter().position(|&b| b == 0)?;
    *p += n + 1;
    Some(String::from_utf8_lossy(&rest[..n]).into_owned())
}

fn i32s<const N: usize>(d: &[u8]) -> Option<[i32; N]> {
    let mut out = [0i32; N];
    for (i, o) in out.iter_mut().enumerate() {
        let b = d.get(i * 4..i * 4 + 4)?;
        *o = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    }
    Some(out)
}

fn f32s(d: &[u8]) -> Vec<f64> {
    d.chunks_exact(4).map(|b| f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))).collect()
}

fn joined<T: ToString>(v: &[T]) -> String {
    v.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
}

/// An OpenEXR attribute value by type name.
fn exr_value(ty: &str, v: &[u8]) -> Option<Value> {
    Some(match ty {
        "box2i" => Value::from(joined(&i32s::<4>(v)?)),
        "v2i" => Value::from(joined(&i32s::<2>(v)?)),
        "v3i" => Value::from(joined(&i32s::<3>(v)?)),
        "int" => Value::Int(i32s::<1>(v)?[0].into()),
        "box2f" | "v2f" | "v3f" | "m33f" | "m44f" | "chromaticities" => {
            let f = f32s(v);
            Value::from(joined(&f))
        }
        "float" => Value::Float(*f32s(v).first()?),
        "double" => Value::Float(f64::from_le_bytes(v.get(..8)?.try_into().ok()?)),
        "compression" | "lineOrder" | "envmap" | "deepImageState" => Value::Int((*v.first()?).into()),
        "string" => Value::from(String::from_utf8_lossy(v).into_owned()),
        "rational" => {
            let [n] = i32s::<1>(v)?;
            let d = u32::from_le_bytes(v.get(4..8)?.try_into().ok()?);
            Value::from(format!("{n}/{d}"))
        }
        "chlist" => {
            let mut out = Vec::new();
            let mut p = 0usize;
            for _ in 0..1024 {
                let Some(name) = cstr(v, &mut p) else { break };
                if name.is_empty() {
                    break;
                }
                let [ty, _, xs, ys] = i32s::<4>(v.get(p..)?)?;
                p += 16;
                let t = match ty {
                    0 => "uint",
                    1 => "half",
                    2 => "float",
                    _ => "unknown",
                };
                out.push(Value::from(format!("{name} {t} {xs} {ys}")));
            }
            Value::List(out)
        }
        _ => return None,
    })
}

/// Reads a Radiance RGBE file: `KEY=value` lines, commands, then the resolution line.
pub(crate) fn parse_hdr(cx: &mut Ctx) -> Result<()> {
    const G: &str = "Radiance";
    let d = cx.read_up_to(0, 8192)?;
    let mut lines = d.split(|&b| b == b'\n').skip(1);
    let mut command = None;
    let mut seen_blank = false;
    for _ in 0..512 {
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
            command = Some(line.to_owned());
        }
    }
    if let Some(c) = command {
        cx.add(G, "Command", c);
    }
    Ok(())
}

/// Reads a DPX file header (generic, image, orientation, film, TV and user sections).
pub(crate) fn parse_dpx(cx: &mut Ctx) -> Result<()> {
    const G: &str = "File";
    let d = cx.read_up_to(0, 2080)?;
    let be = d.starts_with(b"SDPX");
    if !be && !d.starts_with(b"XPDS") {
        return Err(Error::malformed(0u64, "no DPX magic"));
    }
    let u32_at = |p: usize| {
        d.get(p..p + 4).map(|b| {
            let a = [b[0], b[1], b[2], b[3]];
            if be { u32::from_be_bytes(a) } else { u32::from_le_bytes(a) }
        })
    };
    let u16_at = |p: usize| {
        d.get(p..p + 2)
            .map(|b| if be { u16::from_be_bytes([b[0], b[1]]) } else { u16::from_le_bytes([b[0], b[1]]) })
    };
    let f32_at = |p: usize| u32_at(p).map(|v| f64::from(f32::from_bits(v)));
    let text = |p: usize, n: usize| d.get(p..p + n).map(crate::base::decode::fourcc);
    let date = |s: String| {
        // "YYYY:MM:DD:HH:MM:SS[zone]": the fourth colon separates date and time.
        let mut s = s;
        if s.len() >= 11 && s.as_bytes().get(10) == Some(&b':') {
            s.replace_range(10..11, " ");
        }
        s
    };
    cx.add(G, "ByteOrder", if be { "SDPX" } else { "XPDS" });
    let fields: Vec<(&'static str, Option<Value>)> = vec![
        ("HeaderVersion", text(8, 8).map(Value::from)),
        ("DPXFileSize", u32_at(16).map(Value::from)),
        ("DittoKey", u32_at(20).map(Value::from)),
        ("ImageFileName", text(36, 100).map(Value::from)),
        ("CreateDate", text(136, 24).map(|s| Value::from(date(s)))),
        ("Creator", text(160, 100).map(Value::from)),
        ("Project", text(260, 200).map(Value::from)),
        ("Copyright", text(460, 200).map(Value::from)),
        ("EncryptionKey", u32_at(660).map(Value::from)),
        ("Orientation", u16_at(768).map(Value::from)),
        ("ImageElements", u16_at(770).map(Value::from)),
        ("ImageWidth", u32_at(772).map(Value::from)),
        ("ImageHeight", u32_at(776).map(Value::from)),
        ("DataSign", u32_at(780).map(Value::from)),
        ("ComponentsConfiguration", d.get(800).map(|&b| Value::from(b))),
        ("TransferCharacteristic", d.get(801).map(|&b| Value::from(b))),
        ("ColorimetricSpecification", d.get(802).map(|&b| Value::from(b))),
        ("BitDepth", d.get(803).map(|&b| Value::from(b))),
        ("ImageDescription", text(820, 32).map(Value::from)),
        ("SourceFileName", text(1432, 100).map(Value::from)),
        ("SourceCreateDate", text(1532, 24).map(|s| Value::from(date(s)))),
        ("InputDeviceName", text(1556, 32).map(Value::from)),
        ("InputDeviceSerialNumber", text(1588, 32).map(Value::from)),
        ("OriginalFrameRate", f32_at(1724).map(Value::Float)),
        ("FrameID", text(1732, 32).map(Value::from)),
        ("SlateInformation", text(1764, 100).map(Value::from)),
        ("TimeCode", u32_at(1920).map(Value::from)),
        ("UserID", text(2048, 32).map(Value::from)),
    ];
    for (name, v) in fields {
        if let Some(v) = v {
            cx.add(G, name, v);
        }
    }
    if let (Some(w), Some(h)) = (u32_at(772), u32_at(776)) {
        cx.fact(Fact::ImageSize(w.into(), h.into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{get, run};

    #[test]
    fn exr() {
        let mut f = b"v/1\x01\x02\0\0\0".to_vec();
        f.extend_from_slice(b"dataWindow\0box2i\0\x10\0\0\0");
        for v in [0i32, 0, 2, 1] {
            f.extend_from_slice(&v.to_le_bytes());
        }
        f.extend_from_slice(b"channels\0chlist\0\x13\0\0\0R\0\x01\0\0\0\0\0\0\0\x01\0\0\0\x01\0\0\0\0");
        f.push(0);
        let t = run(&f, parse_exr);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(3)));
        assert_eq!(get(&t, "OpenEXR:DataWindow"), Some(&Value::Text("0 0 2 1".into())));
        assert_eq!(get(&t, "OpenEXR:Channels"), Some(&Value::List(vec![Value::Text("R half 1 1".into())])));
        for n in 0..f.len() {
            let _ = run(&f[..n], parse_exr);
        }
    }

    #[test]
    fn radiance() {
        let f = b"#?RADIANCE\nrpict -x 1\nFORMAT=32-bit_rle_rgbe\nEXPOSURE= 0.5\n\n-Y 2 +X 3\n";
        let t = run(f, parse_hdr);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(3)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(2)));
        assert_eq!(get(&t, "Radiance:Exposure"), Some(&Value::Float(0.5)));
        assert_eq!(get(&t, "Radiance:Command"), Some(&Value::Text("rpict -x 1".into())));
    }

    #[test]
    fn dpx() {
        let mut f = vec![0u8; 2080];
        f[..4].copy_from_slice(b"SDPX");
        f[8..12].copy_from_slice(b"V1.0");
        f[136..155].copy_from_slice(b"2010:08:03:08:38:16");
        f[772..776].copy_from_slice(&2048u32.to_be_bytes());
        f[776..780].copy_from_slice(&1556u32.to_be_bytes());
        let t = run(&f, parse_dpx);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(2048)));
        assert_eq!(get(&t, "File:CreateDate"), Some(&Value::Text("2010:08:03 08:38:16".into())));
        for n in 0..40 {
            let _ = run(&f[..n * 50], parse_dpx);
        }
    }
}

//! OpenEXR (ILM's high-dynamic-range image format): the version field and the attribute
//! list of the first header (name, type name, size, value), each attribute a tag; the
//! data window gives the image size.

use crate::base::bytes::{le_f32, le_f64, le_i32, le32};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Value;

/// Group of the attribute tags.
const G: &str = "OpenEXR";
/// Largest header read.
const MAX_HEADER: u64 = 1 << 20;
/// Most attributes, and most channels in a channel list, read.
const MAX_ITEMS: usize = 1024;

/// Reads an OpenEXR file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, MAX_HEADER.min(cx.opts.limits.max_alloc as u64))?;
    let v = le32(&d, 4).ok_or_else(|| Error::malformed(4u64, "truncated OpenEXR header"))?;
    cx.add(G, "EXRVersion", v & 0xff);
    cx.add(G, "Flags", v >> 8);
    let mut p = 8usize;
    let mut size = None;
    for _ in 0..MAX_ITEMS {
        let Some(name) = cstr(&d, &mut p) else { break };
        // An empty name ends the header.
        if name.is_empty() {
            break;
        }
        let Some(ty) = cstr(&d, &mut p) else { break };
        let Some(len) = le32(&d, p).map(|n| n as usize) else { break };
        p += 4;
        let Some(val) = p.checked_add(len).and_then(|e| d.get(p..e)) else {
            cx.warn(p as u64, "OpenEXR attribute runs past the header");
            break;
        };
        p += len;
        let Some(value) = value(&ty, val) else { continue };
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
    Some(String::from_utf8_lossy(rest.get(..n)?).into_owned())
}

/// The first `N` little-endian `i32`s of `d`.
fn i32s<const N: usize>(d: &[u8]) -> Option<[i32; N]> {
    let mut out = [0i32; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = le_i32(d, i * 4)?;
    }
    Some(out)
}

/// All the little-endian `f32`s of `d`.
fn f32s(d: &[u8]) -> Vec<f64> {
    d.chunks_exact(4).filter_map(|b| le_f32(b, 0)).map(f64::from).collect()
}

fn joined<T: ToString>(v: &[T]) -> String {
    v.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
}

/// An attribute value by its type name; `None` for types not shown.
fn value(ty: &str, v: &[u8]) -> Option<Value> {
    Some(match ty {
        "box2i" => Value::from(joined(&i32s::<4>(v)?)),
        "v2i" => Value::from(joined(&i32s::<2>(v)?)),
        "v3i" => Value::from(joined(&i32s::<3>(v)?)),
        "int" => {
            let [n] = i32s::<1>(v)?;
            Value::Int(n.into())
        }
        "box2f" | "v2f" | "v3f" | "m33f" | "m44f" | "chromaticities" => {
            let f = f32s(v);
            Value::from(joined(&f))
        }
        "float" => Value::Float(*f32s(v).first()?),
        "double" => Value::Float(le_f64(v, 0)?),
        "compression" | "lineOrder" | "envmap" | "deepImageState" => Value::Int((*v.first()?).into()),
        "string" => Value::from(String::from_utf8_lossy(v).into_owned()),
        "rational" => {
            let [n] = i32s::<1>(v)?;
            let d = le32(v, 4)?;
            Value::from(format!("{n}/{d}"))
        }
        "chlist" => {
            // Name, then pixel type, linearity (and 3 reserved bytes), x and y sampling.
            let mut out = Vec::new();
            let mut p = 0usize;
            for _ in 0..MAX_ITEMS {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{get, run};

    #[test]
    fn attributes() {
        let mut f = b"v/1\x01\x02\0\0\0".to_vec();
        f.extend_from_slice(b"dataWindow\0box2i\0\x10\0\0\0");
        for v in [0i32, 0, 2, 1] {
            f.extend_from_slice(&v.to_le_bytes());
        }
        f.extend_from_slice(b"channels\0chlist\0\x13\0\0\0R\0\x01\0\0\0\0\0\0\0\x01\0\0\0\x01\0\0\0\0");
        f.push(0);
        let t = run(&f, parse);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(3)));
        assert_eq!(get(&t, "OpenEXR:DataWindow"), Some(&Value::Text("0 0 2 1".into())));
        assert_eq!(get(&t, "OpenEXR:Channels"), Some(&Value::List(vec![Value::Text("R half 1 1".into())])));
        for n in 0..f.len() {
            let _ = run(&f[..n], parse);
        }
    }
}

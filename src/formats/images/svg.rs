//! SVG: the root element's size/version attributes, the `title` and `desc` elements
//! (nested elements flattened into `DescSceneWhat`-style names, leaf text only) and the
//! `metadata` element (its `rdf:RDF` block goes to the XMP parser, other children become
//! tags). Drawing elements are skipped.

use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Value;
use quick_xml::Reader;
use quick_xml::events::Event;

/// Group of the SVG tags.
const G: &str = "SVG";
/// Deepest element nesting followed.
const MAX_DEPTH: usize = 64;

/// Local name with the first letter upper-cased (`myfoo:scene` -> `Scene`).
fn tag_part(qname: &[u8]) -> String {
    let local = qname.rsplit(|&b| b == b':').next().unwrap_or(qname);
    let s: String =
        String::from_utf8_lossy(local).chars().filter(|c| c.is_alphanumeric() || *c == '_').collect();
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// A dimension: a plain number as a number, else the text (`4in`, `100%`).
fn dim(v: &str) -> Value {
    match v.trim().parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => Value::Int(f as i64),
        Ok(f) => Value::Float(f),
        Err(_) => Value::from(v),
    }
}

/// One open element below the root that we collect from.
struct Open {
    path: String,
    text: String,
    has_child: bool,
}

/// Reads an SVG file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    // A larger file is read as far as `max_alloc`, the largest buffer allowed.
    let max = cx.opts.limits.max_alloc;
    if cx.len() > max as u64 {
        cx.warn(0, format!("SVG of {} bytes read to max_alloc ({max})", cx.len()));
    }
    let len = cx.len().min(max as u64);
    let data = cx.read_cow(0, len)?;
    let mut r = Reader::from_reader(&data[..]);
    let mut depth = 0usize;
    let mut root_seen = false;
    let mut stack: Vec<Open> = Vec::new();
    // Depth at which a skipped subtree (drawing elements, rdf:RDF) started.
    let mut skip_from: Option<usize> = None;
    let mut size = (None, None);
    let mut buf = Vec::new();
    for _ in 0..1_000_000 {
        buf.clear();
        let ev = match r.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(ev) => ev,
            Err(e) => {
                cx.warn(r.buffer_position(), format!("SVG: {e}"));
                break;
            }
        };
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                depth += 1;
                if !root_seen {
                    root_seen = true;
                    if e.local_name().as_ref() != b"svg" {
                        return Err(Error::malformed(0u64, "root element is not svg"));
                    }
                    for a in e.attributes().flatten() {
                        let v = a.unescape_value().map(|v| v.into_owned()).unwrap_or_default();
                        match a.key.as_ref() {
                            b"width" => {
                                size.0 = v.trim().parse::<f64>().ok();
                                cx.add(G, "ImageWidth", dim(&v));
                            }
                            b"height" => {
                                size.1 = v.trim().parse::<f64>().ok();
                                cx.add(G, "ImageHeight", dim(&v));
                            }
                            b"version" => cx.add(G, "SVGVersion", dim(&v)),
                            b"xmlns" => cx.add(G, "Xmlns", v),
                            _ => {}
                        }
                    }
                } else if skip_from.is_none() {
                    let name = e.name();
                    let qn = name.as_ref();
                    let collect = if depth == 2 {
                        matches!(e.local_name().as_ref(), b"title" | b"desc" | b"metadata")
                    } else {
                        depth <= MAX_DEPTH && !stack.is_empty() && qn != b"rdf:RDF"
                    };
                    if collect {
                        if let Some(parent) = stack.last_mut() {
                            parent.has_child = true;
                        }
                        let mut path = stack.last().map(|p| p.path.clone()).unwrap_or_default();
                        // `metadata` itself does not prefix its children's names.
                        if qn != b"metadata" {
                            path.push_str(&tag_part(qn));
                        }
                        stack.push(Open { path, text: String::new(), has_child: false });
                    } else {
                        skip_from = Some(depth);
                    }
                }
                if empty {
                    close(cx, depth, &mut stack, &mut skip_from);
                    depth -= 1;
                }
            }
            Event::End(_) => {
                close(cx, depth, &mut stack, &mut skip_from);
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if skip_from.is_none() => {
                if let (Some(o), Ok(s)) = (stack.last_mut(), t.unescape()) {
                    if o.text.len() < 1 << 20 {
                        o.text.push_str(&s);
                    }
                }
            }
            Event::CData(t) if skip_from.is_none() => {
                if let Some(o) = stack.last_mut() {
                    o.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            _ => {}
        }
    }
    xmp(cx, &data);
    if let (Some(w), Some(h)) = size {
        if w >= 0.0 && h >= 0.0 {
            cx.fact(Fact::ImageSize(w as u64, h as u64));
        }
    }
    Ok(())
}

/// Ends the element at `depth`: emits a collected leaf, or leaves a skipped subtree.
fn close(cx: &mut Ctx, depth: usize, stack: &mut Vec<Open>, skip_from: &mut Option<usize>) {
    if let Some(s) = *skip_from {
        if s == depth {
            *skip_from = None;
        }
        return;
    }
    if depth < 2 {
        return;
    }
    if let Some(o) = stack.pop() {
        if !o.has_child && !o.path.is_empty() && !o.text.trim().is_empty() {
            cx.add(G, o.path, o.text);
        }
    }
}

/// The first `rdf:RDF` block, handed to the XMP parser.
fn xmp(cx: &mut Ctx, data: &[u8]) {
    let find = |needle: &[u8], from: usize| {
        data.get(from..).and_then(|d| d.windows(needle.len()).position(|w| w == needle)).map(|p| p + from)
    };
    let Some(start) = find(b"<rdf:RDF", 0) else { return };
    let Some(end) = find(b"</rdf:RDF>", start) else { return };
    if let Some(block) = data.get(start..end + 10) {
        if let Err(e) = crate::meta::xmp::parse_packet(cx, block) {
            cx.warn_error(&e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{self, get};

    #[test]
    fn root_and_desc() {
        let f = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="5in"><title>T</title>
<desc><a:scene xmlns:a="x"><a:what>w</a:what></a:scene></desc><text>no</text><rect/></svg>"#;
        let t = test_util::run(f, parse);
        assert_eq!(get(&t, "SVG:ImageWidth"), Some(&Value::Int(100)));
        assert_eq!(get(&t, "SVG:ImageHeight"), Some(&Value::Text("5in".into())));
        assert_eq!(get(&t, "SVG:Title"), Some(&Value::Text("T".into())));
        assert_eq!(get(&t, "SVG:DescSceneWhat"), Some(&Value::Text("w".into())));
        assert!(get(&t, "SVG:Text").is_none());
        for n in 0..f.len() {
            let _ = test_util::run(&f[..n], parse);
        }
        let deep = "<svg><desc>".to_owned() + &"<a>".repeat(500);
        let _ = test_util::run(deep.as_bytes(), parse);
    }
}

//! PDF documents (ISO 32000-1): header version, linearization, the xref chain from the
//! file's tail, the newest trailer's `/Info` dictionary, the catalog's page count, page
//! mode and XMP `/Metadata` stream, and the `/Encrypt` dictionary. Only the tail, the xref
//! entries and the handful of objects needed are read.
//!
//! Encrypted documents: the encryption method and user permissions are reported. When the
//! user password is empty (RC4 40-128, AES-128, AES-256 R5/R6 of the standard security
//! handler), strings and streams are decrypted as a reader would; otherwise nothing more
//! is read, as with ExifTool.

mod crypt;
mod filter;
mod lexer;
mod rebuild;
mod text;
mod xref;

#[cfg(test)]
mod tests;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::Value;
use lexer::{Lexer, Obj};
use xref::Doc;

/// Parses a PDF.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let head = cx.read_up_to(0, 1024)?;
    if let Some(v) = version(&head) {
        cx.add("PDF", "PDFVersion", v);
    }
    cx.add("PDF", "Linearized", linearized(&head));

    let mut doc = match xref::startxref(cx).and_then(|off| Doc::open(cx, off)) {
        Ok(d) => d,
        Err(e) => {
            cx.warn_error(&e);
            let doc = Doc::scan(cx)?;
            cx.warn(None, "pdf: cross-reference data rebuilt by scanning the file for objects");
            doc
        }
    };
    let find = |doc: &Doc, key: &str| doc.trailers.iter().find_map(|t| t.get(key).cloned());
    let encrypt = find(&doc, "Encrypt");
    let info = find(&doc, "Info");
    let root = find(&doc, "Root");
    prefetch_objects(cx, &mut doc, [&info, &root]);

    if let Some(e) = encrypt.and_then(|e| doc.resolve(cx, &e)) {
        encryption(cx, &e);
        let id0 = match find(&doc, "ID") {
            Some(Obj::Array(a)) => match a.first() {
                Some(Obj::Str(s)) => s.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        doc.crypt = crypt::open(&e, &id0);
        if doc.crypt.is_none() {
            // A user password is needed (or the handler is unknown): nothing more is readable.
            cx.warn(None, "pdf: document is encrypted with a password; metadata not decrypted");
            return Ok(());
        }
    }
    if let Some(info) = info.and_then(|i| doc.resolve(cx, &i)) {
        info_dict(cx, &mut doc, &info);
    }
    if let Some(cat) = root.and_then(|r| doc.resolve(cx, &r)) {
        catalog(cx, &mut doc, &cat);
    }
    Ok(())
}

/// Bytes past the last of the trailer's objects worth fetching with them: the page tree
/// and the metadata stream usually sit beside the catalog, and a page tree's `/Kids` is
/// read in windows of up to 64 KiB.
const OBJECT_WINDOW: u64 = 128 << 10;
/// Widest span of the file fetched as one range for the trailer's objects; objects
/// further apart are fetched as separate ranges.
const MAX_OBJECT_SPAN: u64 = 1 << 20;

/// Hints the source that the trailer's `/Info` and `/Root` objects (and their
/// neighbours) are read next, so that a remote source fetches them in one request
/// instead of one per object and window.
fn prefetch_objects(cx: &mut Ctx, doc: &mut Doc, refs: [&Option<Obj>; 2]) {
    let mut offsets = Vec::new();
    for r in refs.into_iter().flatten() {
        if let Obj::Ref(num, _) = r {
            offsets.extend(doc.file_offset(cx, *num));
        }
    }
    let (Some(lo), Some(hi)) = (offsets.iter().min(), offsets.iter().max()) else { return };
    let end = |off: u64| off.saturating_add(OBJECT_WINDOW).min(cx.len());
    if hi - lo <= MAX_OBJECT_SPAN {
        let span = *lo..end(*hi);
        cx.prefetch(&[span]);
    } else {
        let ranges: Vec<_> = offsets.iter().map(|o| *o..end(*o)).collect();
        cx.prefetch(&ranges);
    }
}

/// "%PDF-1.7" in the first KiB.
fn version(head: &[u8]) -> Option<f64> {
    let at = head.windows(5).position(|w| w == b"%PDF-")?;
    let mut lx = Lexer::new(head, at + 5);
    std::str::from_utf8(lx.token()).ok()?.parse().ok()
}

/// Whether the first object is a linearization dictionary.
fn linearized(head: &[u8]) -> bool {
    let Some(at) = head.windows(3).position(|w| w == b"obj") else { return false };
    let start =
        head.get(..at).and_then(|h| h.iter().rposition(|c| *c == b'\n' || *c == b'\r')).map_or(0, |p| p + 1);
    matches!(lexer::indirect(head, start, lexer::Caps::NONE), Ok((_, _, o, _)) if o.get("Linearized").is_some())
}

/// `/Encrypt`: "Standard V5.6 (256-bit)" and the user permissions.
fn encryption(cx: &mut Ctx, e: &Obj) {
    let filter = e.get("Filter").and_then(Obj::as_name).map(|n| String::from_utf8_lossy(n).into_owned());
    let v = e.get("V").and_then(Obj::as_int).unwrap_or(0);
    let mut s = filter.unwrap_or_default();
    if v != 0 {
        let r = e.get("R").and_then(Obj::as_int);
        s.push_str(&format!(" V{v}"));
        if let Some(r) = r {
            s.push_str(&format!(".{r}"));
        }
        let bits = e.get("Length").and_then(Obj::as_int).unwrap_or(match v {
            1 => 40,
            5 => 256,
            _ => 0,
        });
        if bits > 0 {
            s.push_str(&format!(" ({bits}-bit)"));
        }
    }
    cx.add("PDF", "Encryption", s);
    if let Some(p) = e.get("P").and_then(Obj::as_int) {
        // Print, modify, copy, annotate, fill forms, extract, assemble, print high quality.
        cx.add("PDF", "UserAccess", p & 0xF3C);
    }
}

/// The `/Info` dictionary.
fn info_dict(cx: &mut Ctx, doc: &mut Doc, info: &Obj) {
    let Obj::Dict(entries) = info else { return };
    let max = cx.opts.limits.max_value_len;
    for (key, raw) in entries {
        let Some(val) = doc.resolve(cx, raw) else { continue };
        let key = String::from_utf8_lossy(key);
        let name: String = match key.as_ref() {
            "CreationDate" => "CreateDate".into(),
            "ModDate" => "ModifyDate".into(),
            k => k.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect(),
        };
        if name.is_empty() {
            continue;
        }
        let value = match &val {
            Obj::Str(b) if b.is_empty() => continue,
            Obj::Str(b) => {
                // Decoded up to just past `max_value_len`: pushing the value cuts it there.
                let mut s = text::decode(b, max);
                match name.as_str() {
                    "CreateDate" | "ModifyDate" => Value::from(text::date(&s).unwrap_or(s)),
                    "Keywords" => {
                        // Split into words, it would not be cut: cut it here.
                        if s.len() > max {
                            let cut = (0..=max).rev().find(|i| s.is_char_boundary(*i)).unwrap_or(0);
                            s.truncate(cut);
                            cx.warn(None, format!("PDF:Keywords truncated to {max} bytes"));
                        }
                        let words: Vec<Value> = s
                            .split(|c: char| c == ',' || c.is_whitespace())
                            .filter(|w| !w.is_empty())
                            .map(Value::from)
                            .collect();
                        if words.len() > 1 { Value::List(words) } else { Value::from(s) }
                    }
                    _ => Value::from(s),
                }
            }
            Obj::Name(n) if name == "Trapped" => match n.as_slice() {
                b"True" => Value::Bool(true),
                b"False" => Value::Bool(false),
                other => Value::from(String::from_utf8_lossy(other).into_owned()),
            },
            Obj::Name(n) => Value::from(String::from_utf8_lossy(n).into_owned()),
            Obj::Int(i) => Value::Int(*i),
            Obj::Real(r) => Value::Float(*r),
            Obj::Bool(b) => Value::Bool(*b),
            _ => continue,
        };
        cx.add("PDF", name, value);
    }
}

/// The catalog: page mode, page count, XMP metadata.
fn catalog(cx: &mut Ctx, doc: &mut Doc, cat: &Obj) {
    if let Some(m) = cat.get("PageMode").and_then(Obj::as_name) {
        cx.add("PDF", "PageMode", String::from_utf8_lossy(m).into_owned());
    }
    if let Some(pages) = cat.get("Pages").and_then(|p| doc.resolve(cx, p)) {
        let count = match pages.get("Count") {
            Some(c) => doc.resolve(cx, c).and_then(|c| c.as_int()),
            None => None,
        };
        match count.filter(|n| *n >= 0).or_else(|| count_leaves(cx, doc, &pages)) {
            Some(n) => cx.add("PDF", "PageCount", n),
            None => cx.warn(None, "pdf: page tree without a usable /Count"),
        }
        first_page_resources(cx, doc, pages);
    }
    if let Some(Obj::Ref(n, _)) = cat.get("Metadata") {
        let Some((dict, Some(at))) = doc.object(cx, *n, 0) else { return };
        // Unencrypted metadata in an encrypted document.
        let plain = doc.crypt.as_ref().is_some_and(|c| !c.encrypt_metadata);
        let saved = if plain { doc.crypt.take() } else { None };
        let xmp = doc.stream_data(cx, &dict, at, 0);
        if saved.is_some() {
            doc.crypt = saved;
        }
        match xmp {
            Ok(xmp) => {
                if let Err(e) = crate::meta::xmp::parse_packet(cx, &xmp) {
                    cx.warn_error(&e);
                }
            }
            Err(e) => cx.warn_error(&e),
        }
    }
}

/// Photoshop image resources saved in the first page's `/PieceInfo` (Photoshop PDFs):
/// handed to the IRB parser (which finds IPTC and EXIF inside).
fn first_page_resources(cx: &mut Ctx, doc: &mut Doc, mut node: Obj) {
    // Descend through /Kids[0] to the first leaf; bounded against cycles.
    for _ in 0..16 {
        if !node.get("Type").is_some_and(|t| t.is_name("Pages")) {
            break;
        }
        let Some(Obj::Array(kids)) = node.get("Kids").and_then(|k| doc.resolve(cx, k)) else { return };
        let Some(kid) = kids.first().and_then(|k| doc.resolve(cx, k)) else { return };
        node = kid;
    }
    let mut cur = node.get("PieceInfo").cloned();
    for key in ["AdobePhotoshop", "Private", "ImageResources"] {
        let Some(d) = cur.and_then(|c| doc.resolve(cx, &c)) else { return };
        cur = d.get(key).cloned();
    }
    let Some(Obj::Ref(n, _)) = cur else { return };
    let Some((dict, Some(at))) = doc.object(cx, n, 0) else { return };
    let file_offset = if dict.get("Filter").is_some() || doc.crypt.is_some() { 0 } else { at.at };
    match doc.stream_data(cx, &dict, at, 0) {
        Ok(irb) => {
            if let Err(e) = crate::meta::photoshop::parse_irb(cx, &irb, file_offset) {
                cx.warn_error(&e);
            }
        }
        Err(e) => cx.warn_error(&e),
    }
}

/// Counts page-tree leaves when the root has no usable `/Count`: bounded, and each node
/// visited once (page-tree cycles end the walk with a warning).
fn count_leaves(cx: &mut Ctx, doc: &mut Doc, root: &Obj) -> Option<i64> {
    const MAX_NODES: usize = 10_000;
    let mut seen: std::collections::HashSet<u32> = std::collections::HashSet::new();
    let mut stack: Vec<Obj> = vec![root.clone()];
    let mut leaves = 0i64;
    let mut visited = 0usize;
    while let Some(node) = stack.pop() {
        visited += 1;
        if visited > MAX_NODES {
            cx.warn(None, "pdf: page tree too large to count");
            return None;
        }
        let Some(Obj::Array(kids)) = node.get("Kids").and_then(|k| doc.resolve(cx, k)) else {
            leaves += 1;
            continue;
        };
        for kid in kids {
            let Obj::Ref(n, _) = kid else { continue };
            if !seen.insert(n) {
                cx.warn(None, "pdf: page tree cycle");
                return None;
            }
            if let Some((k, _)) = doc.object(cx, n, 0) {
                stack.push(k);
            }
        }
    }
    Some(leaves)
}

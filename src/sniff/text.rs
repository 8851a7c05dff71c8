//! Text formats without magic bytes: XML family (XMP, SVG, HTML, property lists, InDesign
//! interchange, generic XML), JSON and plain text, decided from the head of the file.

use super::{Format, Probe};
use Format::*;

/// Classifies a head that looks like text (UTF-8/Latin-1/Mac Roman, or UTF-16 with a BOM).
pub(super) fn detect(p: &Probe) -> Option<Format> {
    let head = p.head;
    if let Some(body) = head.strip_prefix(b"\xFE\xFF").or_else(|| head.strip_prefix(b"\xFF\xFE")) {
        // UTF-16: keep the low (ASCII) byte of each unit for classification.
        let be = head.first() == Some(&0xFE);
        let narrow: Vec<u8> = body
            .chunks_exact(2)
            .map(|u| {
                let (hi, lo) = if be { (u.first(), u.get(1)) } else { (u.get(1), u.first()) };
                match (hi, lo) {
                    (Some(0), Some(&c)) => c,
                    _ => b'?',
                }
            })
            .collect();
        return Some(classify(&narrow).unwrap_or(Txt));
    }
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if trim_start(body).first() == Some(&b'<') && !body.contains(&0) {
        // Markup may hold stray control bytes (the XMP packet header's 0x1A, say).
        return Some(markup(trim_start(body)));
    }
    if body.is_empty() || !body.iter().all(|&c| is_text_byte(c)) || !mostly_ascii(body) {
        return None;
    }
    Some(classify(body).unwrap_or(Txt))
}

/// Bytes that may appear in a text file: printable, common white space, ESC, and any
/// byte >= 0x80 (UTF-8, Latin-1, Mac Roman).
fn is_text_byte(c: u8) -> bool {
    c >= 0x20 && c != 0x7F || matches!(c, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)
}

/// Valid UTF-8 (allowing a sequence cut at the end of the head), or at least 3/4 ASCII
/// for single-byte encodings (Latin-1, Mac Roman).
fn mostly_ascii(t: &[u8]) -> bool {
    match std::str::from_utf8(t) {
        Ok(_) => true,
        Err(e) if e.error_len().is_none() && e.valid_up_to() + 4 > t.len() => true,
        Err(_) => t.iter().filter(|c| c.is_ascii()).count() * 4 >= t.len() * 3,
    }
}

/// The format a text head names, if it names one besides plain text.
fn classify(t: &[u8]) -> Option<Format> {
    let t = trim_start(t);
    match t.first()? {
        b'<' => Some(markup(t)),
        b'{' | b'[' => json(t),
        _ => None,
    }
}

fn trim_start(t: &[u8]) -> &[u8] {
    let n = t.iter().take_while(|c| c.is_ascii_whitespace()).count();
    t.get(n..).unwrap_or(&[])
}

fn starts_with_ci(t: &[u8], prefix: &[u8]) -> bool {
    t.get(..prefix.len()).is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

fn contains(t: &[u8], needle: &[u8]) -> bool {
    t.windows(needle.len()).any(|w| w == needle)
}

/// XML-like markup: looks past the declaration, processing instructions, comments and the
/// DOCTYPE to the root element.
fn markup(t: &[u8]) -> Format {
    let mut rest = t;
    for _ in 0..32 {
        rest = trim_start(rest);
        if rest.starts_with(b"<?xpacket") {
            return Xmp;
        }
        if rest.starts_with(b"<?aid ") {
            return Inx;
        }
        if rest.starts_with(b"<?") {
            rest = skip_past(rest, b"?>");
        } else if rest.starts_with(b"<!--") {
            rest = skip_past(rest, b"-->");
        } else if starts_with_ci(rest, b"<!DOCTYPE") {
            let name = trim_start(rest.get(9..).unwrap_or(&[]));
            if starts_with_ci(name, b"html") {
                return Html;
            }
            rest = skip_past(rest, b">");
        } else if rest.starts_with(b"<") {
            return root(rest, t);
        } else {
            break;
        }
    }
    if rest.is_empty() { Xml } else { Txt }
}

fn skip_past<'a>(t: &'a [u8], end: &[u8]) -> &'a [u8] {
    match t.windows(end.len()).position(|w| w == end) {
        Some(i) => t.get(i + end.len()..).unwrap_or(&[]),
        None => &[],
    }
}

/// Decides by the root element's name (`rest` starts at its `<`; `all` is the whole head).
fn root(rest: &[u8], all: &[u8]) -> Format {
    let declared = all.starts_with(b"<?xml");
    let name: &[u8] = rest
        .get(1..)
        .unwrap_or(&[])
        .split(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
        .next()
        .unwrap_or(&[]);
    let local = name.rsplit(|&c| c == b':').next().unwrap_or(name);
    if name == b"x:xmpmeta" || name == b"x:xapmeta" || name == b"rdf:RDF" {
        return Xmp;
    }
    if local.eq_ignore_ascii_case(b"svg") {
        return Svg;
    }
    if local.eq_ignore_ascii_case(b"html") {
        return Html;
    }
    if name == b"plist" {
        let aae = contains(all, b"adjustmentFormatIdentifier") || contains(all, b"adjustmentBaseVersion");
        return if aae { Aae } else { PlistXml };
    }
    // Undeclared markup with an unknown root is just text (as ExifTool says).
    if declared { Xml } else { Txt }
}

/// JSON when the first value looks like an object or array.
fn json(t: &[u8]) -> Option<Format> {
    let open = *t.first()?;
    let next = trim_start(t.get(1..).unwrap_or(&[]));
    let ok = match next.first() {
        None => true,
        Some(b'"') => true,
        Some(b'}') => open == b'{',
        Some(c) => {
            open == b'['
                && (matches!(c, b'{' | b'[' | b']' | b'-' | b't' | b'f' | b'n') || c.is_ascii_digit())
        }
    };
    ok.then_some(Json)
}

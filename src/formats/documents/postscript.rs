//! PostScript and EPS (Adobe's Document Structuring Conventions 3.0): the `%%` comments of
//! the header (title, creator, dates, bounding box), then, in the body, the `%ImageData`
//! line, the Photoshop image resources a `%BeginPhotoshop` block holds in hexadecimal,
//! and the XMP packet after `%begin_xml_packet`. Documents embedded between
//! `%%BeginDocument` and `%%EndDocument` are skipped: their comments describe another
//! file. A DOS EPS file (binary header `C5 D0 D3 C6`) says where its PostScript section is.

use crate::base::bytes::le32;
use crate::base::decode::latin1;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::Result;

/// Group of the DSC comments.
const G: &str = "PostScript";
/// Most PostScript bytes read: the metadata sits before the page descriptions.
const MAX_READ: u64 = 8 << 20;
/// Most lines walked.
const MAX_LINES: usize = 200_000;
/// Deepest nesting of embedded documents followed.
const MAX_DOC_DEPTH: u32 = 64;

/// Reads an EPS or PostScript file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let head = cx.read_up_to(0, 12)?;
    let (start, len) = if head.starts_with(b"\xC5\xD0\xD3\xC6") {
        // DOS EPS: offset and length of the PostScript section.
        (u64::from(le32(&head, 4).unwrap_or(0)), u64::from(le32(&head, 8).unwrap_or(0)))
    } else {
        (0, cx.len())
    };
    let max = MAX_READ.min(cx.opts.limits.max_alloc as u64);
    let data = cx.read_up_to(start, len.min(max))?;
    read_body(cx, &data);
    Ok(())
}

/// Splits `d` into lines ending in CR, LF or CR LF: (line start, line without its end).
pub(super) fn lines(d: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= d.len() {
            return None;
        }
        let rest = d.get(pos..)?;
        let end = rest.iter().position(|&b| b == b'\r' || b == b'\n').unwrap_or(rest.len());
        let line = (pos, rest.get(..end)?);
        let mut next = pos + end;
        if d.get(next) == Some(&b'\r') {
            next += 1;
        }
        if d.get(next) == Some(&b'\n') {
            next += 1;
        }
        pos = next.max(pos + 1);
        Some(line)
    })
    .take(MAX_LINES)
}

/// The tag a header comment `%%Key: value` gives, by key.
fn dsc_name(key: &[u8]) -> Option<&'static str> {
    Some(match key {
        b"Title" => "Title",
        b"Creator" => "Creator",
        b"CreationDate" => "CreateDate",
        b"ModDate" => "ModifyDate",
        b"For" => "For",
        b"Author" => "Author",
        b"Routing" => "Routing",
        b"Copyright" => "Copyright",
        b"Keywords" => "Keywords",
        b"Subject" => "Subject",
        b"BoundingBox" => "BoundingBox",
        b"Pages" => "Pages",
        _ => return None,
    })
}

/// A header comment `%%Key: value` as its tag, when it is one of those reported.
pub(super) fn dsc_line(cx: &mut Ctx, line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"%%") else { return false };
    let Some(colon) = rest.iter().position(|&b| b == b':') else { return false };
    let Some(name) = dsc_name(&rest[..colon]) else { return false };
    let value = latin1(rest.get(colon + 1..).unwrap_or_default());
    let value = value.trim();
    // A value given in parentheses is a PostScript string.
    let value = match value.strip_prefix('(').and_then(|v| v.strip_suffix(')')) {
        Some(inner) => inner.to_owned(),
        None => value.to_owned(),
    };
    if value != "(atend)" {
        cx.add(G, name, value);
    }
    true
}

/// Walks the lines of the PostScript section `d` (at `base` in the file).
fn read_body(cx: &mut Ctx, d: &[u8]) {
    let mut in_header = true;
    let mut depth = 0u32;
    let mut skip_to = 0usize;
    let mut photoshop: Option<Vec<u8>> = None;
    for (at, line) in lines(d) {
        if at < skip_to {
            continue;
        }
        if let Some(hex) = photoshop.as_mut() {
            if line.starts_with(b"%EndPhotoshop") {
                let hex = std::mem::take(hex);
                photoshop = None;
                irb(cx, &hex);
            } else if let Some(h) = line.strip_prefix(b"%") {
                hex.extend(h.iter().copied().filter(u8::is_ascii_hexdigit));
            }
            continue;
        }
        if line.starts_with(b"%%BeginDocument") {
            depth = (depth + 1).min(MAX_DOC_DEPTH);
            continue;
        }
        if line.starts_with(b"%%EndDocument") {
            depth = depth.saturating_sub(1);
            continue;
        }
        if depth > 0 {
            continue;
        }
        if line.starts_with(b"%%EndComments") {
            in_header = false;
        } else if in_header && line.starts_with(b"%%") {
            dsc_line(cx, line);
        } else if let Some(v) = line.strip_prefix(b"%ImageData:") {
            image_data(cx, &latin1(v));
        } else if line.starts_with(b"%BeginPhotoshop:") {
            photoshop = Some(Vec::new());
        } else if let Some(n) = line.strip_prefix(b"%begin_xml_packet:") {
            let after = at + line.len();
            let after = after + usize::from(d.get(after) == Some(&b'\r'));
            let after = after + usize::from(d.get(after) == Some(&b'\n'));
            let n: usize = latin1(n).trim().parse().unwrap_or(0);
            let end = after.saturating_add(n).min(d.len());
            if let Some(packet) = d.get(after..end) {
                if let Err(e) = crate::meta::xmp::parse_packet(cx, packet) {
                    cx.warn_error(&e);
                }
            }
            skip_to = end;
        } else if let Some(n) = line.strip_prefix(b"%%BeginBinary:") {
            // Binary data of the stated length follows the line.
            let n: usize = latin1(n).trim().parse().unwrap_or(0);
            skip_to = (at + line.len()).saturating_add(n);
        }
    }
}

/// `%ImageData: width height bits channels ...`: the image's size.
fn image_data(cx: &mut Ctx, v: &str) {
    let v = v.trim();
    cx.add(G, "ImageData", v.to_owned());
    let mut words = v.split_ascii_whitespace().map(|w| w.parse::<u64>().ok());
    if let (Some(Some(w)), Some(Some(h))) = (words.next(), words.next()) {
        cx.fact(Fact::ImageSize(w, h));
    }
}

/// The Photoshop resources of a `%BeginPhotoshop` block, from their hexadecimal text.
fn irb(cx: &mut Ctx, hex: &[u8]) {
    let bytes: Vec<u8> = hex
        .chunks_exact(2)
        .filter_map(|p| std::str::from_utf8(p).ok().and_then(|s| u8::from_str_radix(s, 16).ok()))
        .collect();
    // Decoded from hex, the block has no position of its own in the file (offset 0).
    if let Err(e) = crate::meta::photoshop::parse_irb(cx, &bytes, 0) {
        cx.warn_error(&e);
    }
}

/// A PostScript string body (the text between its outer parentheses) with its escapes
/// resolved: `\n`, `\r`, `\t`, `\b`, `\f`, `\\`, `\(`, `\)`, octal `\ddd`; a backslash
/// before any other character is dropped.
pub(super) fn ps_string(s: &[u8]) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = s.get(i) else { break };
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match s.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(v as u8);
            }
            b'\r' | b'\n' => {}
            other => out.push(other),
        }
    }
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => latin1(e.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    #[test]
    fn header_comments_image_data_and_embedded_documents() {
        let f = b"%!PS-Adobe-3.0 EPSF-3.0\r%%Creator: Me\r%%Title: (t.eps)\r%%BoundingBox: 0 0 8 8\r\
%%EndComments\r%%BeginDocument: x\r%%Title: other\r%%EndDocument\r%ImageData: 8 6 8 3 1 8 2 \"b\"\r";
        let t = run(f, parse);
        assert_eq!(get(&t, "PostScript:Creator"), Some(&Value::from("Me")));
        assert_eq!(get(&t, "PostScript:Title"), Some(&Value::from("t.eps")));
        assert_eq!(get(&t, "PostScript:BoundingBox"), Some(&Value::from("0 0 8 8")));
        assert_eq!(get(&t, "PostScript:ImageData"), Some(&Value::from("8 6 8 3 1 8 2 \"b\"")));
        for n in 0..f.len() {
            let _ = run(&f[..n], parse);
        }
    }

    #[test]
    fn string_escapes() {
        assert_eq!(ps_string(br"a \050b\051 \.5 \012c\\"), "a (b) .5 \nc\\");
    }
}

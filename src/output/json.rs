//! Pretty JSON pieces, byte for byte as `serde_json`'s `PrettyFormatter` writes them, for
//! the projections that write JSON directly instead of through serde (a file's many short
//! keys and strings are cheaper written straight into the output buffer).

use crate::base::bytes::Endian;

/// `depth` steps of two spaces.
pub(super) fn indent(out: &mut Vec<u8>, depth: usize) {
    for _ in 0..depth {
        out.extend_from_slice(b"  ");
    }
}

/// A number, formatted by serde_json itself (the same digits as its serializer writes).
pub(super) fn number(out: &mut Vec<u8>, n: &impl serde::Serialize) {
    let _ = serde_json::to_writer(&mut *out, n);
}

/// Whether any of the eight bytes of `w` is one a JSON string escapes (exact: a byte
/// below 0x20, `"` or `\\`).
fn needs_escape(w: u64) -> bool {
    use crate::base::scan::{flags_below, flags_equal};
    (flags_below(w, 0x20) | flags_equal(w, b'"') | flags_equal(w, b'\\')) != 0
}

/// Which bytes a JSON string escapes: `"`, `\` and the control characters.
const fn escapes() -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
}
const ESCAPES: [bool; 256] = escapes();

/// A quoted string, escaped as serde_json escapes (short forms for `\b \f \n \r \t`,
/// `\u00XX` in lower case for other control characters, UTF-8 left as it is).
pub(super) fn string(out: &mut Vec<u8>, s: &[u8]) {
    string_with(out, s, b"0123456789abcdef");
}

/// [`string`] with `\u00XX` in upper case, as ExifTool writes it.
pub(super) fn string_upper_hex(out: &mut Vec<u8>, s: &[u8]) {
    string_with(out, s, b"0123456789ABCDEF");
}

/// A quoted key `group:name` (or `name` alone), escaped as [`string`] escapes the
/// joined text, without joining it first.
pub(super) fn key(out: &mut Vec<u8>, group: Option<&str>, name: &str) {
    let (g, n) = (group.map(str::as_bytes), name.as_bytes());
    if g.is_some_and(any_escape) || any_escape(n) {
        out.push(b'"');
        if let Some(g) = g {
            escaped(out, g, b"0123456789abcdef");
            out.push(b':');
        }
        escaped(out, n, b"0123456789abcdef");
        out.push(b'"');
        return;
    }
    // Keys need no escape (nearly always): copied, with room made once (for bytes
    // already in memory).
    #[allow(clippy::disallowed_methods)]
    out.reserve(g.map_or(0, |g| g.len() + 1) + n.len() + 2);
    out.push(b'"');
    if let Some(g) = g {
        out.extend_from_slice(g);
        out.push(b':');
    }
    out.extend_from_slice(n);
    out.push(b'"');
}

fn string_with(out: &mut Vec<u8>, s: &[u8], hex: &[u8; 16]) {
    out.push(b'"');
    escaped(out, s, hex);
    out.push(b'"');
}

/// Whether `s` holds a byte a JSON string escapes.
#[inline]
fn any_escape(s: &[u8]) -> bool {
    clean_prefix(s) < s.len()
}

/// How many bytes of `s` are known to need no escape (all of them, or a multiple of
/// eight before the first word that holds one): eight bytes at a time (the last word
/// overlapping the one before), a short text byte by byte.
#[inline]
fn clean_prefix(s: &[u8]) -> usize {
    let Some(last) = s.last_chunk::<8>() else {
        return if s.iter().any(|b| ESCAPES[usize::from(*b)]) { 0 } else { s.len() };
    };
    let mut i = 0;
    while let Some(w) = s.get(i..).and_then(|r| r.first_chunk::<8>()) {
        if needs_escape(Endian::Little.u64_from(*w)) {
            return i;
        }
        i += 8;
    }
    if i < s.len() && needs_escape(Endian::Little.u64_from(*last)) {
        return i;
    }
    s.len()
}

/// The bytes of `s` escaped for a JSON string (without the quotes).
fn escaped(out: &mut Vec<u8>, s: &[u8], hex: &[u8; 16]) {
    // Most keys and values need no escape: copied whole; others are escaped from the
    // first word that needs it, the clean part not scanned again.
    let clean = clean_prefix(s);
    if clean == s.len() {
        out.extend_from_slice(s);
        return;
    }
    let mut start = 0;
    let mut i = clean;
    while let Some(&b) = s.get(i) {
        if let Some(word) = s.get(i..i + 8).and_then(|w| w.first_chunk::<8>()) {
            if !needs_escape(Endian::Little.u64_from(*word)) {
                i += 8;
                continue;
            }
        }
        i += 1;
        if !ESCAPES[b as usize] {
            continue;
        }
        let i = i - 1;
        out.extend_from_slice(s.get(start..i).unwrap_or_default());
        start = i + 1;
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                out.extend_from_slice(b"\\u00");
                out.push(hex[usize::from(b >> 4)]);
                out.push(hex[usize::from(b & 0xF)]);
            }
        }
    }
    out.extend_from_slice(s.get(start..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_as_serde_json_escapes_them() {
        let alphabet = ['a', 'Z', ' ', '"', '\\', '\n', '\u{1}', '\u{1f}', '\u{7f}', 'é', '€', '😀', '/'];
        let mut seed = 0x2545_F491u32;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let len = (seed % 40) as usize;
            let text: String =
                (0..len).map(|k| alphabet[((seed >> (k % 24)) as usize + k * 7) % alphabet.len()]).collect();
            let mut direct = Vec::new();
            string(&mut direct, text.as_bytes());
            assert_eq!(String::from_utf8_lossy(&direct), serde_json::to_string(&text).unwrap_or_default());
            let (group, name) = text.split_at(text.char_indices().nth(len / 3).map_or(0, |(i, _)| i));
            let mut parts = Vec::new();
            key(&mut parts, Some(group), name);
            assert_eq!(
                String::from_utf8_lossy(&parts),
                serde_json::to_string(&format!("{group}:{name}")).unwrap_or_default()
            );
        }
    }
}

//! The byte-level pieces of the tokenizer: byte classes and the searches over them,
//! qualified names, attribute lists and entity references. Nothing here keeps state.

use crate::base::bytes::Endian;
use crate::base::scan::{first_of, flags_below, lowest};
use std::borrow::Cow;

/// The length of the character data at the start of `rest` (up to the next `<`): the
/// short run of white space usual between tags is stepped over, the rest searched.
pub(super) fn text_len(rest: &[u8]) -> usize {
    let spaces = rest.iter().take(16).take_while(|&&c| is_space(c)).count();
    match rest.get(spaces..) {
        Some([b'<', ..] | []) | None => spaces,
        Some(tail) => memchr::memchr(b'<', tail).map_or(rest.len(), |i| i + spaces),
    }
}

pub(super) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Ends a tag name in a start tag: white space, `>` or a quote.
pub(super) const NAME_END: u8 = 2;
/// Ends the name of a plain start tag (`<name>`), or makes it another kind of tag.
pub(super) const BARE_END: u8 = 4;
/// Ends an attribute key in the one-pass reading.
pub(super) const KEY_END: u8 = 8;

/// The classes of each byte, for the scans of names and keys (one lookup a byte).
const CLASSES: [u8; 256] = {
    let mut out = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        let space = matches!(b, b' ' | b'\t' | b'\r' | b'\n');
        let quote_or_gt = matches!(b, b'>' | b'"' | b'\'');
        let mut class = 0;
        if space || quote_or_gt {
            class |= NAME_END;
        }
        if space || quote_or_gt || matches!(b, b'/' | b'!' | b'?' | b'<') {
            class |= BARE_END;
        }
        if space || quote_or_gt || matches!(b, b'=' | b'/') {
            class |= KEY_END;
        }
        out[c] = class;
        c += 1;
    }
    out
};

/// Whether byte `c` is in class `class`.
pub(super) fn is(class: u8, c: u8) -> bool {
    CLASSES.get(usize::from(c)).is_some_and(|k| k & class != 0)
}

/// The offset of the first `<` or `&` in `b`.
pub(super) fn lt_or_amp(b: &[u8]) -> Option<usize> {
    first_of(b, b'<', b'&')
}

/// The offset of the first byte of class `class` in `b`. Every byte of the classes is
/// below 0x40 and the letters of names are not, so eight bytes at a time are first
/// checked for any byte below 0x40, and only those bytes looked up.
pub(super) fn find_class(b: &[u8], class: u8) -> Option<usize> {
    let mut i = 0;
    while let Some(chunk) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let below = flags_below(Endian::Little.u64_from(*chunk), 0x40);
        if below == 0 {
            i += 8;
            continue;
        }
        let at = i + lowest(below);
        if b.get(at).is_some_and(|&c| is(class, c)) {
            return Some(at);
        }
        i = at + 1;
    }
    let tail = b.get(i..)?;
    tail.iter().position(|&c| is(class, c)).map(|p| p + i)
}

/// The offset of the first `?>` in `hay`, found through its `>` (cheaper to set up than a
/// substring search; processing instructions hold few `>`).
pub(super) fn pi_end(hay: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'>', hay).find(|&i| i > 0 && hay.get(i - 1) == Some(&b'?')).map(|i| i - 1)
}

/// Splits a qualified name into (prefix, local name).
pub(in crate::meta::xmp) fn split_name(name: &str) -> (Option<&str>, &str) {
    match name.bytes().position(|b| b == b':') {
        Some(i) => (name.get(..i), name.get(i + 1..).unwrap_or("")),
        None => (None, name),
    }
}

/// Iterator over the attributes of a tag as (qualified name, raw value) pairs; malformed
/// ones are skipped.
pub(super) struct Attrs<'a> {
    pub(super) rest: &'a str,
}

impl<'a> Iterator for Attrs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        loop {
            let s = self.rest;
            let b = s.as_bytes();
            let start = b.iter().position(|&c| !is_space(c))?;
            // The key runs to '=' or a space.
            let key_end =
                b.iter().skip(start).position(|&c| c == b'=' || is_space(c)).map_or(b.len(), |i| i + start);
            let mut i = key_end;
            while b.get(i).is_some_and(|&c| is_space(c)) {
                i += 1;
            }
            if b.get(i) != Some(&b'=') {
                // A key without a value: skip it.
                self.rest = s.get(i.max(start + 1)..).unwrap_or("");
                continue;
            }
            i += 1;
            while b.get(i).is_some_and(|&c| is_space(c)) {
                i += 1;
            }
            let Some(&quote) = b.get(i).filter(|&&c| c == b'"' || c == b'\'') else {
                // An unquoted value: skip up to the next space.
                let end = b.iter().skip(i).position(|&c| is_space(c)).map_or(b.len(), |e| e + i);
                self.rest = s.get(end..).unwrap_or("");
                if end >= b.len() {
                    return None;
                }
                continue;
            };
            let body = i + 1;
            let Some(close) = b.get(body..).and_then(|t| memchr::memchr(quote, t)) else {
                self.rest = "";
                return None;
            };
            self.rest = s.get(body + close + 1..).unwrap_or("");
            if key_end == start {
                continue;
            }
            return Some((s.get(start..key_end).unwrap_or(""), s.get(body..body + close).unwrap_or("")));
        }
    }
}

/// Decodes the predefined and numeric entities; `None` when an entity is unknown or bad
/// (the caller then keeps the raw text).
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
pub(in crate::meta::xmp) fn unescape(raw: &str) -> Option<Cow<'_, str>> {
    // Short texts (language tags, most values) are checked without a search call.
    let b = raw.as_bytes();
    let amp = if b.len() <= 16 { b.iter().position(|&c| c == b'&') } else { memchr::memchr(b'&', b) };
    let Some(first) = amp else {
        return Some(Cow::Borrowed(raw));
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(raw.get(..first)?);
    let mut rest = raw.get(first..)?;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(rest.get(..amp)?);
        let after = rest.get(amp + 1..)?;
        let semi = memchr::memchr(b';', after.as_bytes())?;
        let ent = after.get(..semi)?;
        let c = match ent {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let n = ent.strip_prefix('#')?;
                let code = match n.strip_prefix('x') {
                    Some(h) => u32::from_str_radix(h, 16).ok()?,
                    None => n.parse::<u32>().ok()?,
                };
                if code == 0 {
                    return None;
                }
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = after.get(semi + 1..)?;
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes() {
        let t = Attrs { rest: r#" k="v" bare x = 'y z' =w u=1 q="unterminated"# };
        let got: Vec<_> = t.collect();
        assert_eq!(got, [("k", "v"), ("x", "y z")]);
        let many = " a=\"1\"".repeat(100_000);
        assert_eq!(Attrs { rest: &many }.count(), 100_000);
    }

    #[test]
    fn class_search_agrees_with_a_byte_loop() {
        let samples: [&[u8]; 6] = [
            b"photoshop:AuthorsPosition>",
            b"exif:FocalLengthIn35mmFilm xml:lang='x'",
            b"a-b.c_d:e9\xc3\xa9f/>",
            b"\x40\x3f\x80\x7f\x00\xff<",
            b"short",
            b"",
        ];
        for s in samples {
            for start in 0..s.len().max(1) {
                let b = s.get(start..).unwrap_or_default();
                for class in [NAME_END, BARE_END, KEY_END] {
                    assert_eq!(find_class(b, class), b.iter().position(|&c| is(class, c)), "{s:?}");
                }
            }
        }
        let all: Vec<u8> = (0..=255).chain((0..=255).rev()).collect();
        for start in 0..all.len() {
            for class in [NAME_END, BARE_END, KEY_END] {
                let b = all.get(start..).unwrap_or_default();
                assert_eq!(find_class(b, class), b.iter().position(|&c| is(class, c)));
            }
        }
    }

    #[test]
    fn text_end_search_is_the_first_lt_or_amp() {
        for b in [&b"abc<d&"[..], b"a&b<", b"", b"plain text, longer than thirty-two bytes &amp; more"] {
            assert_eq!(lt_or_amp(b), memchr::memchr2(b'<', b'&', b));
        }
    }

    #[test]
    fn entities() {
        assert_eq!(unescape("a&lt;b&gt;&amp;&apos;&quot;&#65;&#x42;").as_deref(), Some("a<b>&'\"AB"));
        assert_eq!(unescape("plain").as_deref(), Some("plain"));
        for bad in ["&foo;", "&amp", "&#xZZ;", "&#0;", "&#1114112;", "&#;", "&;"] {
            assert!(unescape(bad).is_none(), "{bad}");
        }
    }
}

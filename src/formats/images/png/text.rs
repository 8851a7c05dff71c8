//! PNG text chunks: `tEXt` (Latin-1), `zTXt` (Latin-1, deflated) and `iTXt` (UTF-8, with a
//! language tag, optionally deflated). A keyword names a `PNG:` tag, except the keywords
//! that carry a payload: `XML:com.adobe.xmp` (XMP) and ImageMagick's hex-encoded
//! `Raw profile type ...` (EXIF, XMP, IPTC, Photoshop, ICC), which go to their parsers.
//!
//! Compressed text inflates through the context's budgets ([`Ctx::inflate`]): a value
//! inflates no further than `max_value_len` and one byte more (enough to tell that it
//! was longer), so it is cut while it is built and a deflate bomb costs no more than the
//! value may keep; a payload inflates up to `max_alloc`. Once `max_decompressed` is
//! spent, further compressed chunks give a warning each, and uncompressed ones are still
//! read.

use super::{add, inflate, short, split_nul};
use crate::base::decode::latin1;
use crate::context::Ctx;
use crate::error::{Error, Result};
use std::borrow::Cow;

/// How a chunk's text is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Latin1,
    Utf8,
}

/// One text chunk: what it is (for messages), its keyword and language tag, its text's
/// encoding and the offset of its body.
struct Chunk<'a> {
    what: &'static str,
    key: &'a [u8],
    lang: &'a str,
    encoding: Encoding,
    at: u64,
}

/// A `tEXt` chunk: keyword, NUL, Latin-1 text.
pub(super) fn text(cx: &mut Ctx, b: &[u8], at: u64) -> Result<()> {
    let (key, text) = split_nul(b).ok_or_else(|| short(at, "tEXt"))?;
    let chunk = Chunk { what: "PNG tEXt chunk", key, lang: "", encoding: Encoding::Latin1, at };
    text_chunk(cx, &chunk, Cow::Borrowed(text));
    Ok(())
}

/// A `zTXt` chunk: keyword, NUL, compression method, deflated Latin-1 text.
pub(super) fn ztxt(cx: &mut Ctx, b: &[u8], at: u64) -> Result<()> {
    let (key, rest) = split_nul(b).ok_or_else(|| short(at, "zTXt"))?;
    let chunk = Chunk { what: "PNG zTXt chunk", key, lang: "", encoding: Encoding::Latin1, at };
    if let Some(data) = inflate_text(cx, &chunk, rest.get(1..).unwrap_or_default())? {
        text_chunk(cx, &chunk, Cow::Owned(data));
    }
    Ok(())
}

/// An `iTXt` chunk: keyword, NUL, compression flag and method, language tag, NUL,
/// translated keyword, NUL, UTF-8 text (deflated when the flag is set).
pub(super) fn itxt(cx: &mut Ctx, b: &[u8], at: u64) -> Result<()> {
    let (key, rest) = split_nul(b).ok_or_else(|| short(at, "iTXt"))?;
    let (Some(&flag), Some(rest)) = (rest.first(), rest.get(2..)) else { return Err(short(at, "iTXt")) };
    let (lang, rest) = split_nul(rest).ok_or_else(|| short(at, "iTXt"))?;
    let (_translated, text) = split_nul(rest).ok_or_else(|| short(at, "iTXt"))?;
    let lang = String::from_utf8_lossy(lang);
    let chunk = Chunk { what: "PNG iTXt chunk", key, lang: &lang, encoding: Encoding::Utf8, at };
    if flag == 0 {
        text_chunk(cx, &chunk, Cow::Borrowed(text));
    } else if let Some(data) = inflate_text(cx, &chunk, text)? {
        text_chunk(cx, &chunk, Cow::Owned(data));
    }
    Ok(())
}

/// Whether the keyword names a payload for another parser rather than a text value.
fn is_payload(key: &[u8]) -> bool {
    key == b"XML:com.adobe.xmp" || key.starts_with(b"Raw profile type ") || key == b"APP1"
}

/// Inflates the compressed text `z` of a chunk: a payload up to `max_alloc`, a value no
/// further than it may keep. `None` when the budget left nothing to inflate.
fn inflate_text(cx: &mut Ctx, chunk: &Chunk, z: &[u8]) -> Result<Option<Vec<u8>>> {
    let want =
        if is_payload(chunk.key) { usize::MAX } else { cx.opts.limits.max_value_len.saturating_add(1) };
    inflate(cx, z, chunk.at, want, chunk.what)
}

/// A text chunk's text `data`: embedded XMP/EXIF/IPTC/ICC payloads go to their parsers,
/// the rest becomes `PNG:<Keyword>`.
fn text_chunk(cx: &mut Ctx, chunk: &Chunk, data: Cow<[u8]>) {
    let result = match chunk.key {
        b"XML:com.adobe.xmp" => match chunk.encoding {
            Encoding::Utf8 => crate::meta::xmp::parse_packet(cx, String::from_utf8_lossy(&data).as_bytes()),
            Encoding::Latin1 => crate::meta::xmp::parse_packet(cx, latin1(&data).as_bytes()),
        },
        key if is_payload(key) => raw_profile(cx, key, &data, chunk.at),
        key => {
            let mut name = tag_name(key);
            if !chunk.lang.is_empty() {
                name.push('-');
                name.push_str(chunk.lang);
            }
            let value = value_text(cx, chunk, &name, data);
            add(cx, name, value);
            Ok(())
        }
    };
    if let Err(e) = result {
        cx.warn_error(&e);
    }
}

/// The text of a value, decoded and cut to `max_value_len` as it is built (with a warning
/// that names the limit): no more than that is ever decoded or copied.
fn value_text(cx: &mut Ctx, chunk: &Chunk, name: &str, data: Cow<[u8]>) -> String {
    let max = cx.opts.limits.max_value_len;
    let (text, longer) = match chunk.encoding {
        Encoding::Latin1 => latin1_within(&data, max),
        Encoding::Utf8 => utf8_within(data, max),
    };
    if longer {
        cx.warn(chunk.at, format!("{} '{name}' truncated to max_value_len ({max} bytes)", chunk.what));
    }
    text
}

/// Latin-1 bytes as text of at most `max` bytes, and whether some were left out.
fn latin1_within(d: &[u8], max: usize) -> (String, bool) {
    // A byte takes at most two bytes of UTF-8: the usual short value needs no count.
    if d.len().saturating_mul(2) <= max {
        return (latin1(d), false);
    }
    let mut len = 0usize;
    let fit = d
        .iter()
        .take_while(|&&b| {
            len += if b < 0x80 { 1 } else { 2 };
            len <= max
        })
        .count();
    (latin1(d.get(..fit).unwrap_or_default()), fit < d.len())
}

/// UTF-8 bytes (invalid sequences replaced by U+FFFD) as text of at most `max` bytes, and
/// whether some were left out. Owned bytes that are valid UTF-8 become the text without a
/// copy; borrowed ones are copied only up to the cut.
fn utf8_within(data: Cow<[u8]>, max: usize) -> (String, bool) {
    let mut text = match data {
        Cow::Owned(v) => {
            String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
        // A character that ends by `max` starts at most three bytes before it: the bytes up
        // to `max + 3` decode every character that fits.
        Cow::Borrowed(b) => String::from_utf8_lossy(b.get(..max.saturating_add(3)).unwrap_or(b)).into_owned(),
    };
    if text.len() <= max {
        if text.capacity() - text.len() > 64 {
            text.shrink_to_fit();
        }
        return (text, false);
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text.shrink_to_fit();
    (text, true)
}

/// `Creation Time` -> `CreationTime`, `comment` -> `Comment`, `Warning` -> `PNGWarning`.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
fn tag_name(key: &[u8]) -> String {
    if key == b"Warning" {
        return "PNGWarning".into();
    }
    let mut out = String::with_capacity(key.len());
    let mut up = true;
    for &c in key {
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' {
            out.push(if up { c.to_ascii_uppercase() as char } else { c as char });
            up = false;
        } else {
            up = true;
        }
    }
    if out.is_empty() { "Unknown".into() } else { out }
}

/// ImageMagick's hex-encoded profiles: `\n<type>\n<length>\n<hex...>`.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
fn raw_profile(cx: &mut Ctx, key: &[u8], text: &[u8], at: u64) -> Result<()> {
    let kind = key.strip_prefix(b"Raw profile type ").unwrap_or(b"exif").to_ascii_lowercase();
    let mut lines = text.trim_ascii_start().splitn(3, |&c| c == b'\n');
    let _name = lines.next();
    let declared: usize = lines
        .next()
        .and_then(|l| std::str::from_utf8(l).ok())
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0);
    let hex = lines.next().unwrap_or_default();
    let max = cx.opts.limits.max_alloc;
    if declared > max {
        return Err(Error::limit(at, format!("raw profile of {declared} bytes exceeds max_alloc ({max})")));
    }
    // Hex digit pairs, with line breaks (and anything else not hex) between them skipped.
    let mut data = Vec::with_capacity(declared.min(hex.len() / 2));
    let mut hi: Option<u8> = None;
    for &c in hex {
        let Some(v) = (c as char).to_digit(16) else { continue };
        match hi.take() {
            Some(h) => data.push(h << 4 | v as u8),
            None => hi = Some(v as u8),
        }
    }
    match kind.as_slice() {
        b"exif" | b"app1" => {
            let body = data.strip_prefix(b"Exif\0\0").unwrap_or(&data);
            crate::meta::exif::parse_block(cx, body, 0)
        }
        b"xmp" => crate::meta::xmp::parse_packet(cx, &data),
        b"iptc" | b"8bim" => {
            if data.starts_with(b"8BIM") {
                crate::meta::photoshop::parse_irb(cx, &data, 0)
            } else {
                crate::meta::iptc::parse_iim(cx, &data, 0)
            }
        }
        b"icc" | b"icm" => crate::meta::icc::parse_profile(cx, &data),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_names() {
        assert_eq!(tag_name(b"Creation Time"), "CreationTime");
        assert_eq!(tag_name(b"comment"), "Comment");
        assert_eq!(tag_name(b"Some key!"), "SomeKey");
        assert_eq!(tag_name(b"Warning"), "PNGWarning");
    }
}

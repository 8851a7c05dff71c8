//! PNG text chunks: `tEXt` (Latin-1), `zTXt` (Latin-1, deflated) and `iTXt` (UTF-8, with a
//! language tag, optionally deflated). A keyword names a `PNG:` tag, except the keywords
//! that carry a payload: `XML:com.adobe.xmp` (XMP) and ImageMagick's hex-encoded
//! `Raw profile type ...` (EXIF, XMP, IPTC, Photoshop, ICC), which go to their parsers.

use super::{add, inflate, short, split_nul};
use crate::base::decode::latin1;
use crate::context::Ctx;
use crate::error::{Error, Result};
use std::borrow::Cow;

/// A `tEXt` chunk: keyword, NUL, Latin-1 text.
pub(super) fn text(cx: &mut Ctx, b: &[u8], at: u64) -> Result<()> {
    let (key, text) = split_nul(b).ok_or_else(|| short(at, "tEXt"))?;
    text_chunk(cx, key, "", Cow::Owned(latin1(text)), at);
    Ok(())
}

/// A `zTXt` chunk: keyword, NUL, compression method, deflated Latin-1 text.
pub(super) fn ztxt(cx: &mut Ctx, b: &[u8], at: u64) -> Result<()> {
    let (key, rest) = split_nul(b).ok_or_else(|| short(at, "zTXt"))?;
    let data = inflate(cx, rest.get(1..).unwrap_or_default(), at)?;
    text_chunk(cx, key, "", Cow::Owned(latin1(&data)), at);
    Ok(())
}

/// An `iTXt` chunk: keyword, NUL, compression flag and method, language tag, NUL,
/// translated keyword, NUL, UTF-8 text (deflated when the flag is set).
pub(super) fn itxt(cx: &mut Ctx, b: &[u8], at: u64) -> Result<()> {
    let (key, rest) = split_nul(b).ok_or_else(|| short(at, "iTXt"))?;
    let (Some(&flag), Some(rest)) = (rest.first(), rest.get(2..)) else { return Err(short(at, "iTXt")) };
    let (lang, rest) = split_nul(rest).ok_or_else(|| short(at, "iTXt"))?;
    let (_translated, text) = split_nul(rest).ok_or_else(|| short(at, "iTXt"))?;
    let lang = String::from_utf8_lossy(lang).into_owned();
    if flag != 0 {
        let data = inflate(cx, text, at)?;
        text_chunk(cx, key, &lang, String::from_utf8_lossy(&data), at);
    } else {
        text_chunk(cx, key, &lang, String::from_utf8_lossy(text), at);
    }
    Ok(())
}

/// A text chunk: embedded XMP/EXIF/IPTC/ICC payloads go to their parsers, the rest
/// becomes `PNG:<Keyword>`.
fn text_chunk(cx: &mut Ctx, key: &[u8], lang: &str, text: Cow<str>, at: u64) {
    let result = match key {
        b"XML:com.adobe.xmp" => crate::meta::xmp::parse_packet(cx, text.as_bytes()),
        _ if key.starts_with(b"Raw profile type ") || key == b"APP1" => raw_profile(cx, key, &text, at),
        _ => {
            let mut name = tag_name(key);
            if !lang.is_empty() {
                name.push('-');
                name.push_str(lang);
            }
            add(cx, name, text.into_owned());
            Ok(())
        }
    };
    if let Err(e) = result {
        cx.warn_error(&e);
    }
}

/// `Creation Time` -> `CreationTime`, `comment` -> `Comment`, `Warning` -> `PNGWarning`.
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
fn raw_profile(cx: &mut Ctx, key: &[u8], text: &str, at: u64) -> Result<()> {
    let kind = key.strip_prefix(b"Raw profile type ").unwrap_or(b"exif").to_ascii_lowercase();
    let mut lines = text.trim_start().splitn(3, '\n');
    let _name = lines.next();
    let declared: usize = lines.next().and_then(|l| l.trim().parse().ok()).unwrap_or(0);
    let hex = lines.next().unwrap_or_default();
    let max = cx.opts.limits.max_alloc;
    if declared > max {
        return Err(Error::limit(at, format!("raw profile of {declared} bytes exceeds max_alloc")));
    }
    // Hex digit pairs, with line breaks (and anything else not hex) between them skipped.
    let mut data = Vec::with_capacity(declared.min(hex.len() / 2));
    let mut hi: Option<u8> = None;
    for c in hex.bytes() {
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

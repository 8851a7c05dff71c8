//! Text in the encodings files use: Latin-1, UTF-16 in either byte order, and fixed-width
//! fields cut at a NUL. Invalid UTF-16 becomes U+FFFD, as in `String::from_utf16_lossy`.

/// Latin-1 (ISO 8859-1) bytes as text: each byte is the code point of the same number.
pub(crate) fn latin1(d: &[u8]) -> String {
    d.iter().map(|&b| char::from(b)).collect()
}

/// UTF-16 code units of `d` in the given order (a last odd byte is dropped).
pub(crate) fn utf16_units(d: &[u8], little: bool) -> impl Iterator<Item = u16> + '_ {
    d.chunks_exact(2).map(move |c| {
        let pair = [c[0], c[1]];
        if little { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
    })
}

/// Code units as text, invalid ones replaced by U+FFFD.
pub(crate) fn utf16_chars(units: impl Iterator<Item = u16>) -> impl Iterator<Item = char> {
    char::decode_utf16(units).map(|c| c.unwrap_or('\u{fffd}'))
}

/// UTF-16 text of `d` in the given order.
pub(crate) fn utf16(d: &[u8], little: bool) -> String {
    utf16_chars(utf16_units(d, little)).collect()
}

/// UTF-16 text of `d` in the given order, up to its first NUL unit.
pub(crate) fn utf16_until_nul(d: &[u8], little: bool) -> String {
    utf16_chars(utf16_units(d, little).take_while(|&u| u != 0)).collect()
}

/// A four-character code (or any short code) as Latin-1 text, cut at the first NUL.
pub(crate) fn fourcc(d: &[u8]) -> String {
    let end = d.iter().position(|&b| b == 0).unwrap_or(d.len());
    latin1(d.get(..end).unwrap_or_default())
}

/// A fixed-width text field: cut at the first NUL, UTF-8 if valid, else Latin-1.
pub(crate) fn fixed_text(d: &[u8]) -> String {
    let end = d.iter().position(|&b| b == 0).unwrap_or(d.len());
    let d = d.get(..end).unwrap_or_default();
    match std::str::from_utf8(d) {
        Ok(s) => s.to_owned(),
        Err(_) => latin1(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes() {
        assert_eq!(latin1(b"caf\xe9"), "caf\u{e9}");
        assert_eq!(fixed_text(b"abc\0def"), "abc");
        assert_eq!(fixed_text(b"caf\xe9"), "caf\u{e9}");
        assert_eq!(utf16(b"a\0b\0", true), "ab");
        assert_eq!(utf16(b"\0a\0b\0", false), "ab");
        assert_eq!(utf16_until_nul(b"a\0\0\0b\0", true), "a");
        assert_eq!(utf16(&[0x00, 0xd8], true), "\u{fffd}");
    }
}

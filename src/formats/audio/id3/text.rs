//! ID3v2 text: the four encodings a frame may declare and the NUL-separated string lists
//! of text frames.

use crate::base::decode::{latin1, utf16};

/// Text in ID3 encoding `enc` (0 Latin-1, 1 UTF-16 with BOM, 2 UTF-16BE, 3 UTF-8).
pub(super) fn decode(enc: u8, d: &[u8]) -> String {
    match enc {
        1 | 2 => {
            let (be, body) = match d {
                [0xfe, 0xff, rest @ ..] => (true, rest),
                [0xff, 0xfe, rest @ ..] => (false, rest),
                _ => (enc == 2, d),
            };
            utf16(body, !be)
        }
        3 => String::from_utf8_lossy(d).into_owned(),
        _ => latin1(d),
    }
}

/// Splits `d` at the first string terminator of encoding `enc`: (string bytes, rest).
pub(super) fn split_term(enc: u8, d: &[u8]) -> (&[u8], &[u8]) {
    if matches!(enc, 1 | 2) {
        let mut i = 0;
        while i + 1 < d.len() {
            if d[i] == 0 && d[i + 1] == 0 {
                return (&d[..i], &d[i + 2..]);
            }
            i += 2;
        }
        (d, &[])
    } else {
        match d.iter().position(|&b| b == 0) {
            Some(i) => (&d[..i], &d[i + 1..]),
            None => (d, &[]),
        }
    }
}

/// Text frame value: strings split at terminators, trailing empties dropped.
pub(super) fn text_value(enc: u8, mut d: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..64 {
        if d.is_empty() {
            break;
        }
        let (s, rest) = split_term(enc, d);
        out.push(decode(enc, s));
        d = rest;
    }
    while out.len() > 1 && out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_encodings() {
        assert_eq!(decode(0, b"caf\xe9"), "caf\u{e9}");
        assert_eq!(decode(1, b"\xff\xfeh\0i\0"), "hi");
        assert_eq!(decode(2, b"\0h\0i"), "hi");
        assert_eq!(text_value(3, b"a\0b\0"), vec!["a", "b"]);
        assert_eq!(split_term(1, b"a\0\0\0b\0"), (&b"a\0"[..], &b"b\0"[..]));
    }
}

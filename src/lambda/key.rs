//! Decoding the object keys of S3 event notifications and S3 Batch Operations tasks.
//!
//! Both encode keys as HTML forms do (`application/x-www-form-urlencoded`): a space becomes
//! `+`, and other bytes of the key's UTF-8 that are not plain ASCII letters or digits may
//! become `%XX`. "red flower.jpg" arrives as "red+flower.jpg", "a+b" as "a%2Bb", "ü" as
//! "%C3%BC". EventBridge keys are not encoded and must not pass through here: decoding
//! them would turn a literal `+` into a space.

/// The object key named by a form-encoded `encoded`: `+` is a space, `%XX` a byte.
///
/// Never fails: S3 itself never sends a broken escape (it encodes `%` as `%25`), so one
/// means the text was not encoded by S3, and the bytes are kept as they are (`100%zz` stays
/// `100%zz`, a trailing `%4` stays `%4`). If the escapes decode to bytes that are not
/// UTF-8, no key can be named by them and the raw text is returned unchanged.
///
/// ```
/// use metasift::lambda::decode_key;
/// assert_eq!(decode_key("photos/beach+day+%C3%BC%2B1.jpg"), "photos/beach day ü+1.jpg");
/// assert_eq!(decode_key("100%zz"), "100%zz");
/// ```
pub fn decode_key(encoded: &str) -> String {
    if !encoded.contains(['+', '%']) {
        return encoded.to_owned();
    }
    let bytes = encoded.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escaped = match b {
            b'%' => hex_pair(bytes.get(i + 1), bytes.get(i + 2)),
            _ => None,
        };
        match (b, escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (other, None) => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| encoded.to_owned())
}

/// The byte written by two hex digits, if both are there and both are hex.
fn hex_pair(high: Option<&u8>, low: Option<&u8>) -> Option<u8> {
    let high = hex_digit(*high?)?;
    let low = hex_digit(*low?)?;
    Some(high << 4 | low)
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::decode_key;

    #[test]
    fn lambda_key_plus_is_a_space_and_escaped_plus_is_a_plus() {
        assert_eq!(decode_key("red+flower.jpg"), "red flower.jpg");
        assert_eq!(decode_key("c%2B%2B.tar"), "c++.tar");
        assert_eq!(decode_key("a+%2B+b"), "a + b");
    }

    #[test]
    fn lambda_key_utf8_escapes_make_characters() {
        assert_eq!(decode_key("%C3%BC"), "ü");
        assert_eq!(decode_key("M%C3%BCnchen%2F%E6%9D%B1%E4%BA%AC.jpg"), "München/東京.jpg");
        // Lower-case hex, and escapes of plain ASCII (moto escapes the slash).
        assert_eq!(decode_key("uploads%2fa%20b"), "uploads/a b");
    }

    #[test]
    fn lambda_key_broken_escapes_are_kept_as_text() {
        assert_eq!(decode_key("100%zz.txt"), "100%zz.txt");
        assert_eq!(decode_key("a+b%zz"), "a b%zz");
        assert_eq!(decode_key("truncated%4"), "truncated%4");
        assert_eq!(decode_key("ends-with%"), "ends-with%");
        assert_eq!(decode_key("%%41"), "%A");
    }

    #[test]
    fn lambda_key_bytes_that_are_not_utf8_keep_the_raw_text() {
        assert_eq!(decode_key("bad%FF+byte"), "bad%FF+byte");
        assert_eq!(decode_key("cut%C3"), "cut%C3");
    }

    #[test]
    fn lambda_key_plain_text_and_raw_unicode_pass_through() {
        assert_eq!(decode_key(""), "");
        assert_eq!(decode_key("plain/key.jpg"), "plain/key.jpg");
        assert_eq!(decode_key("déjà+vu"), "déjà vu");
    }
}

//! Value text as `exiftool -json -n` prints it. ExifTool prints every value as text
//! (numbers as Perl prints them: `%.15g`, so `180`, not `180.0`) and leaves that text
//! unquoted exactly when it reads as a plain number: an optional minus, one digit or up to
//! fifteen without a leading zero, up to sixteen decimals, an optional exponent. So the
//! text `"123"` of a string tag prints as the number `123`, and `0.00394893711122246`
//! (seventeen decimals) prints quoted. Checked on every value of the shared corpus goldens.

use crate::base::number::{fmt_g, push_i64};
use crate::base::short_text::Out;

/// Significant digits of a computed number as ExifTool prints it.
const SIG_DIGITS: usize = 15;

/// A number's text on the stack (`%.15g` needs at most 22 bytes; an `i64` 20).
pub(super) struct NumText {
    buf: [u8; 32],
    len: usize,
}

impl NumText {
    /// The text of a finite float (`%.15g`).
    pub(super) fn float(x: f64) -> NumText {
        let mut t = NumText { buf: [0; 32], len: 0 };
        fmt_g(x, SIG_DIGITS, &mut t);
        t
    }

    /// The text of an integer.
    pub(super) fn int(i: i64) -> NumText {
        let mut t = NumText { buf: [0; 32], len: 0 };
        push_i64(i, &mut t);
        t
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    pub(super) fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

impl std::fmt::Write for NumText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let dst = self.buf.get_mut(self.len..self.len + s.len()).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len += s.len();
        Ok(())
    }
}

impl Out for NumText {}

/// Whether ExifTool prints the text `s` as a bare JSON number.
pub(super) fn is_number(s: &[u8]) -> bool {
    let digits_from = |mut i: usize| {
        let start = i;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i, i - start)
    };
    let start = usize::from(s.first() == Some(&b'-'));
    let (mut i, n) = digits_from(start);
    if n == 0 || n > 15 || (n > 1 && s.get(start) == Some(&b'0')) {
        return false;
    }
    if s.get(i) == Some(&b'.') {
        let (end, n) = digits_from(i + 1);
        if n == 0 || n > 16 {
            return false;
        }
        i = end;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let (end, n) = digits_from(i);
        if n == 0 || n > 3 {
            return false;
        }
        i = end;
    }
    i == s.len()
}

/// A number's text that [`is_number`] accepted, as a value serde can write: an integer
/// when it has no fraction or exponent, else a float.
pub(super) enum Parsed {
    Int(i64),
    Float(f64),
}

pub(super) fn parse(s: &str) -> Option<Parsed> {
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return s.parse().ok().map(Parsed::Int);
    }
    s.parse().ok().map(Parsed::Float)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_exiftool_prints_them() {
        let f = |s: &str| s.parse::<f64>().unwrap_or_default();
        for (x, want) in [
            (180.0, "180"),
            (f("2.800000004521620"), "2.80000000452162"),
            (f("48.858370100027776"), "48.8583701000278"),
            (1.52587890625e-05, "1.52587890625e-05"),
            (-0.5, "-0.5"),
            (0.0, "0"),
        ] {
            assert_eq!(NumText::float(x).as_str(), want);
            assert!(is_number(want.as_bytes()), "{want}");
        }
        assert_eq!(NumText::int(i64::MIN).as_str(), "-9223372036854775808");
        for yes in ["0", "-7", "123456789012345", "0.25", "1.5e+20", "3E-5", "2021"] {
            assert!(is_number(yes.as_bytes()), "{yes}");
        }
        for no in [
            "",
            "-",
            "0232",
            "1234567890123456",
            "0.00394893711122246",
            "1.",
            ".5",
            "1e",
            "1e1234",
            "12 ",
            "+1",
            "3/12",
            "nan",
        ] {
            assert!(!is_number(no.as_bytes()), "{no}");
        }
    }
}

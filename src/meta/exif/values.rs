//! Decoding of TIFF field values into [`Value`]s with ExifTool's `-n` meaning.

use crate::base::bytes::Endian;
use crate::base::number::{fmt_g, push_i64, round_sig};
use crate::base::short_text::{Out, ShortText};
use crate::model::{Text, Value};

/// Bytes per item of a TIFF field type, `None` for unknown types.
pub(super) fn type_size(typ: u16) -> Option<u64> {
    Some(match typ {
        1 | 2 | 6 | 7 => 1,
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 | 16 | 17 | 18 => 8,
        _ => return None,
    })
}

/// Reads a `u16` at `i` in the given byte order (0 when out of range).
#[inline]
pub(super) fn u16_at(d: &[u8], i: usize, le: bool) -> u16 {
    Endian::little_if(le).u16_or_zero(d, i)
}

/// Reads a `u32` at `i` in the given byte order (0 when out of range).
#[inline]
pub(super) fn u32_at(d: &[u8], i: usize, le: bool) -> u32 {
    Endian::little_if(le).u32_or_zero(d, i)
}

/// Reads a `u64` at `i` in the given byte order (0 when out of range).
#[inline]
pub(super) fn u64_at(d: &[u8], i: usize, le: bool) -> u64 {
    Endian::little_if(le).u64_or_zero(d, i)
}

/// One number of a field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Num {
    Int(i64),
    Rat(i64, i64),
    Real(f64),
}

impl Num {
    /// The value as a float (`None` for a rational with a zero denominator).
    pub(super) fn f64(self) -> Option<f64> {
        match self {
            Num::Int(i) => Some(i as f64),
            Num::Rat(_, 0) => None,
            Num::Rat(n, d) => Some(ratio(n, d)),
            Num::Real(f) => Some(f),
        }
    }

    /// The value as ExifTool prints it with `-n`.
    pub(super) fn value(self) -> Value {
        match self {
            Num::Int(i) => Value::Int(i),
            Num::Rat(0, 0) => Value::Text("undef".into()),
            Num::Rat(n, 0) => Value::Text(if n < 0 { "-inf" } else { "inf" }.into()),
            Num::Rat(n, d) => Value::Float(ratio(n, d)),
            Num::Real(f) => Value::Float(f),
        }
    }

    /// Appends the value as ExifTool prints it inside a space-separated list.
    pub(super) fn push_text(self, out: &mut impl Out) {
        match self {
            Num::Int(i) => push_i64(i, out),
            Num::Rat(0, 0) => out.push_str("undef"),
            Num::Rat(n, 0) => out.push_str(if n < 0 { "-inf" } else { "inf" }),
            Num::Rat(n, d) => fmt_g(n as f64 / d as f64, 10, out),
            Num::Real(f) => fmt_g(f, 15, out),
        }
    }
}

/// `n / d` rounded to 10 significant digits, as ExifTool shows a rational with `-n`.
fn ratio(n: i64, d: i64) -> f64 {
    // A whole quotient of at most 10 digits of exactly representable operands is exact
    // and already rounded (a zero numerator is left to the division, which keeps the sign
    // of the denominator).
    let exact = n != 0 && n.unsigned_abs() < 1 << 53;
    match n.checked_rem(d) {
        Some(0) if exact && n.checked_div(d).is_some_and(|q| q.unsigned_abs() < 10_000_000_000) => {
            (n / d) as f64
        }
        _ => round_sig(n as f64 / d as f64, 10),
    }
}

/// The raw field: type, count and its bytes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Field<'a> {
    pub typ: u16,
    pub count: u64,
    pub data: &'a [u8],
    pub le: bool,
}

impl Field<'_> {
    /// Whether the type is numeric.
    pub(super) fn is_numeric(&self) -> bool {
        matches!(self.typ, 1 | 3 | 4 | 5 | 6 | 8 | 9 | 10 | 11 | 12 | 13 | 16 | 17 | 18)
    }

    /// The `i`-th number of the field.
    pub(super) fn num(&self, i: u64) -> Option<Num> {
        if self.typ == 5 {
            return self.rational(i);
        }
        let size = type_size(self.typ)?;
        if i >= self.count {
            return None;
        }
        let p = usize::try_from(i.checked_mul(size)?).ok()?;
        let d = self.data;
        let le = self.le;
        if p.checked_add(size as usize)? > d.len() {
            return None;
        }
        Some(match self.typ {
            1 | 7 => Num::Int(i64::from(*d.get(p)?)),
            6 => Num::Int(i64::from(*d.get(p)? as i8)),
            3 => Num::Int(i64::from(u16_at(d, p, le))),
            8 => Num::Int(i64::from(u16_at(d, p, le) as i16)),
            4 | 13 => Num::Int(i64::from(u32_at(d, p, le))),
            9 => Num::Int(i64::from(u32_at(d, p, le) as i32)),
            5 => Num::Rat(i64::from(u32_at(d, p, le)), i64::from(u32_at(d, p + 4, le))),
            10 => Num::Rat(i64::from(u32_at(d, p, le) as i32), i64::from(u32_at(d, p + 4, le) as i32)),
            11 => Num::Real(f64::from(f32::from_bits(u32_at(d, p, le)))),
            12 => Num::Real(f64::from_bits(u64_at(d, p, le))),
            16 | 18 => Num::Int(i64::try_from(u64_at(d, p, le)).unwrap_or(i64::MAX)),
            17 => Num::Int(u64_at(d, p, le) as i64),
            _ => return None,
        })
    }

    /// The field as ExifTool prints it with `-n` when the tag has no special conversion:
    /// text for ASCII, a number for one value, a space-separated list for several.
    /// Returns `None` for values better kept as a binary reference.
    pub(super) fn generic(&self) -> Option<Value> {
        match self.typ {
            2 => Some(Value::Text(ascii(self.data))),
            7 if self.count == 1 => Some(Value::Int(i64::from(self.data.first().copied().unwrap_or(0)))),
            7 if self.count <= 256 && self.data.len() as u64 == self.count => {
                let end = self.data.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
                Some(Value::Text(lossy(self.data.get(..end).unwrap_or_default())))
            }
            7 => None,
            _ if !self.is_numeric() => None,
            _ if self.count == 1 => self.num(0).map(Num::value),
            _ if self.count == 0 => Some(Value::Text(Text::default())),
            1 | 6 if self.count > 64 => None,
            _ if self.count > 4096 => None,
            _ => Some(Value::Text(self.joined())),
        }
    }

    /// The `i`-th number of a RATIONAL field (what [`Field::num`] gives, read directly).
    #[inline(always)]
    fn rational(&self, i: u64) -> Option<Num> {
        if i >= self.count {
            return None;
        }
        let p = usize::try_from(i).ok()?.checked_mul(8)?;
        match *self.data.get(p..p.checked_add(8)?)? {
            [n0, n1, n2, n3, d0, d1, d2, d3] => {
                let order = Endian::little_if(self.le);
                Some(Num::Rat(
                    i64::from(order.u32_from([n0, n1, n2, n3])),
                    i64::from(order.u32_from([d0, d1, d2, d3])),
                ))
            }
            _ => None,
        }
    }

    /// [`Field::generic`], with the commonest fields (ASCII text, one RATIONAL) decoded
    /// straight: the same answers without the general dispatch.
    #[inline(always)]
    pub(super) fn generic_common(&self) -> Option<Value> {
        match (self.typ, self.data) {
            (2, d) => Some(Value::Text(ascii(d))),
            (5, _) if self.count == 1 => self.rational(0).map(Num::value),
            _ => self.generic(),
        }
    }

    /// All numbers joined with spaces, ExifTool style.
    pub(super) fn joined(&self) -> Text {
        let mut s = ShortText::new();
        for i in 0..self.count {
            let Some(n) = self.num(i) else { break };
            if i > 0 {
                s.push(' ');
            }
            n.push_text(&mut s);
        }
        s.finish()
    }
}

/// `bytes` read as UTF-8, invalid sequences replaced by U+FFFD; valid text (nearly all)
/// is copied straight, without the lossy decoder's set-up.
pub(super) fn lossy(bytes: &[u8]) -> Text {
    match std::str::from_utf8(bytes) {
        Ok(s) => Text::new(s),
        Err(_) => Text::from_utf8_lossy(bytes),
    }
}

/// ASCII field text: up to the first NUL, trailing blanks kept (as ExifTool prints them). Bytes that are not
/// UTF-8 (a Latin-1 `©`, say) become `?`, as ExifTool prints them.
pub(super) fn ascii(d: &[u8]) -> Text {
    let s = until_nul(d);
    match std::str::from_utf8(s) {
        Ok(t) => Text::new(t),
        Err(_) => Text::new(&String::from_utf8_lossy(s).replace('\u{FFFD}', "?")),
    }
}

/// `d` up to its first NUL (all of it without one). Short fields, as most ASCII values
/// are, are scanned a word at a time with a last part shorter than a word byte by byte
/// (not [`crate::base::scan::first_of`], whose `memchr` set-up for that last part costs
/// more than such a field's whole scan); longer ones by `memchr`.
fn until_nul(d: &[u8]) -> &[u8] {
    use crate::base::scan::{flags_equal, lowest};
    if d.len() > 32 {
        return d.get(..memchr::memchr(0, d).unwrap_or(d.len())).unwrap_or_default();
    }
    let mut words = d.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let zeros = flags_equal(Endian::Little.u64_from(word.try_into().unwrap_or_default()), 0);
        if zeros != 0 {
            return d.get(..at + lowest(zeros)).unwrap_or_default();
        }
        at += 8;
    }
    let rest = words.remainder();
    d.get(..at + rest.iter().position(|b| *b == 0).unwrap_or(rest.len())).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::number::round_sig;

    #[test]
    fn non_utf8_ascii_bytes_print_as_question_marks() {
        assert_eq!(ascii(b"\xa9 2010 Phil Harvey\0junk"), "? 2010 Phil Harvey");
        // Trailing blanks are part of the value, as ExifTool prints it.
        assert_eq!(ascii(b"plain  "), "plain  ");
    }

    #[test]
    fn until_nul_matches_memchr() {
        for len in 0..48 {
            for nul in (0..len).map(Some).chain([None]) {
                for fill in [b'a', 0x80, 0xff, 0x01] {
                    let mut d = vec![fill; len];
                    if let Some(i) = nul {
                        d[i] = 0;
                        // A byte after the NUL that a borrow could flag.
                        if let Some(next) = d.get_mut(i + 1) {
                            *next = 1;
                        }
                    }
                    let end = memchr::memchr(0, &d).unwrap_or(d.len());
                    assert_eq!(until_nul(&d), &d[..end], "{len} {nul:?} {fill}");
                }
            }
        }
    }
    #[test]
    fn fields_decode_both_orders() {
        let be =
            Field { typ: 5, count: 2, data: &[0, 0, 0, 1, 0, 0, 0, 250, 0, 0, 0, 0, 0, 0, 0, 0], le: false };
        assert_eq!(be.num(0), Some(Num::Rat(1, 250)));
        assert_eq!(be.joined(), "0.004 undef");
        let le = Field { typ: 3, count: 2, data: &[2, 0, 1, 0], le: true };
        assert_eq!(le.generic(), Some(Value::Text("2 1".into())));
        let s = Field { typ: 10, count: 1, data: &[0xff, 0xff, 0xff, 0xdf, 0, 0, 0, 100], le: false };
        assert_eq!(s.generic(), Some(Value::Float(-0.33)));
    }

    /// A xorshift step.
    fn next(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn whole_ratios_match_the_rounded_division() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut pairs =
            vec![(0, 1), (0, -5), (300, 1), (-72, 1), (72, -1), (4_294_967_295, 1), (-2_147_483_648, -1)];
        for _ in 0..100_000 {
            next(&mut seed);
            let d = i64::from((seed >> 40) as u16 as i16).max(1) * if seed & 1 == 0 { 1 } else { -1 };
            let q = (seed >> 8) as i64 % 5_000_000_000;
            pairs.push((q.saturating_mul(d) % (1 << 32), d));
            pairs.push((q, d));
        }
        for (n, d) in pairs {
            let slow = round_sig(n as f64 / d as f64, 10);
            assert_eq!(ratio(n, d).to_bits(), slow.to_bits(), "{n}/{d}");
        }
    }
}

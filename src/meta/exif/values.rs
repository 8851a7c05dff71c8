//! Decoding of TIFF field values into [`Value`]s with ExifTool's `-n` meaning, and the
//! number formatting ExifTool uses (`%.10g` for rationals, `%.15g` for computed values).

use crate::model::Value;

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
pub(super) fn u16_at(d: &[u8], i: usize, le: bool) -> u16 {
    match d.get(i..i.saturating_add(2)) {
        Some(&[a, b]) if le => u16::from_le_bytes([a, b]),
        Some(&[a, b]) => u16::from_be_bytes([a, b]),
        _ => 0,
    }
}

/// Reads a `u32` at `i` in the given byte order (0 when out of range).
pub(super) fn u32_at(d: &[u8], i: usize, le: bool) -> u32 {
    match d.get(i..i.saturating_add(4)).and_then(|s| <[u8; 4]>::try_from(s).ok()) {
        Some(b) if le => u32::from_le_bytes(b),
        Some(b) => u32::from_be_bytes(b),
        None => 0,
    }
}

/// Reads a `u64` at `i` in the given byte order (0 when out of range).
pub(super) fn u64_at(d: &[u8], i: usize, le: bool) -> u64 {
    match d.get(i..i.saturating_add(8)).and_then(|s| <[u8; 8]>::try_from(s).ok()) {
        Some(b) if le => u64::from_le_bytes(b),
        Some(b) => u64::from_be_bytes(b),
        None => 0,
    }
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
            Num::Rat(n, d) => Some(round_sig(n as f64 / d as f64, 10)),
            Num::Real(f) => Some(f),
        }
    }

    /// The value as ExifTool prints it with `-n`.
    pub(super) fn value(self) -> Value {
        match self {
            Num::Int(i) => Value::Int(i),
            Num::Rat(0, 0) => Value::Text("undef".into()),
            Num::Rat(n, 0) => Value::Text(if n < 0 { "-inf" } else { "inf" }.into()),
            Num::Rat(n, d) => Value::Float(round_sig(n as f64 / d as f64, 10)),
            Num::Real(f) => Value::Float(f),
        }
    }

    /// Appends the value as ExifTool prints it inside a space-separated list.
    pub(super) fn push_text(self, out: &mut String) {
        use std::fmt::Write;
        match self {
            Num::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Num::Rat(0, 0) => out.push_str("undef"),
            Num::Rat(n, 0) => out.push_str(if n < 0 { "-inf" } else { "inf" }),
            Num::Rat(n, d) => fmt_g(n as f64 / d as f64, 10, out),
            Num::Real(f) => fmt_g(f, 15, out),
        }
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
                Some(Value::Text(
                    String::from_utf8_lossy(self.data.get(..end).unwrap_or_default()).into_owned(),
                ))
            }
            7 => None,
            _ if !self.is_numeric() => None,
            _ if self.count == 1 => self.num(0).map(Num::value),
            _ if self.count == 0 => Some(Value::Text(String::new())),
            1 | 6 if self.count > 64 => None,
            _ if self.count > 4096 => None,
            _ => Some(Value::Text(self.joined())),
        }
    }

    /// All numbers joined with spaces, ExifTool style.
    pub(super) fn joined(&self) -> String {
        let mut s = String::new();
        for i in 0..self.count {
            let Some(n) = self.num(i) else { break };
            if i > 0 {
                s.push(' ');
            }
            n.push_text(&mut s);
        }
        s
    }
}

/// ASCII field text: up to the first NUL, trailing blanks removed.
pub(super) fn ascii(d: &[u8]) -> String {
    let end = d.iter().position(|&b| b == 0).unwrap_or(d.len());
    let s = d.get(..end).unwrap_or_default();
    String::from_utf8_lossy(s).trim_end().to_owned()
}

/// Rounds `x` to `sig` significant digits (as `%.{sig}g` would print it).
pub(crate) fn round_sig(x: f64, sig: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let mag = x.abs().log10().floor() as i32;
    let p = sig - 1 - mag;
    if !(-300..=300).contains(&p) {
        return x;
    }
    let scale = 10f64.powi(p);
    let r = (x * scale).round() / scale;
    if r.is_finite() { r } else { x }
}

/// Appends `x` formatted like C's `%.{sig}g` (Perl's number formatting).
pub(super) fn fmt_g(x: f64, sig: usize, out: &mut String) {
    use std::fmt::Write;
    if x == 0.0 {
        out.push('0');
        return;
    }
    if !x.is_finite() {
        out.push_str(if x.is_nan() {
            "nan"
        } else if x > 0.0 {
            "inf"
        } else {
            "-inf"
        });
        return;
    }
    let sig = sig.clamp(1, 17);
    let e = format!("{:.*e}", sig - 1, x);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= sig as i32 {
        let m = trim_zeros(mant);
        let _ = write!(out, "{m}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    } else {
        let decimals = (sig as i32 - 1 - exp).max(0) as usize;
        let f = format!("{x:.decimals$}");
        out.push_str(trim_zeros(&f));
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { s }
}

/// `x` as `%.{sig}g` text.
pub(crate) fn g(x: f64, sig: usize) -> String {
    let mut s = String::new();
    fmt_g(x, sig, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_formats_like_printf() {
        assert_eq!(g(0.06666666666666667, 10), "0.06666666667");
        assert_eq!(g(3954.233409610984, 10), "3954.23341");
        assert_eq!(g(300.0, 10), "300");
        assert_eq!(g(-0.0945, 10), "-0.0945");
        assert_eq!(g(3.614421976e-10, 10), "3.614421976e-10");
        assert_eq!(g(6.4e-05, 15), "6.4e-05");
        assert_eq!(g(48.85837010002777, 15), "48.8583701000278");
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
}

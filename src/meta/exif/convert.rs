//! Per-tag value conversions (APEX, GPS, EXIF comments, versions, CFA patterns...).

use super::tags::Conv;
use super::values::{Field, Num, lossy, u16_at};
use crate::base::decode::{utf16, utf16_until_nul};
use crate::base::hash::push_hex_upper;
use crate::base::number::{fmt_g, push_i64, push_u64, round_sig};
use crate::base::short_text::{Out, ShortText};
use crate::model::{Text, Value};

/// Converts a field with the tag's conversion; `None` keeps it as a binary reference.
pub(super) fn convert(f: &Field, conv: Conv) -> Option<Value> {
    match conv {
        Conv::Plain | Conv::Skip => f.generic(),
        Conv::Binary => None,
        Conv::Shorts if f.typ == 7 => {
            let g = Field { typ: 3, count: f.count / 2, data: f.data, le: f.le };
            Some(Value::Text(g.joined()))
        }
        Conv::Shorts => f.generic(),
        Conv::Cr2Cfa => Some(Value::Text(
            match f.num(0)? {
                Num::Int(1) => "0 1 1 2",
                Num::Int(2) => "1 0 2 1",
                Num::Int(3) => "2 1 1 0",
                Num::Int(4) => "1 2 0 1",
                _ => return f.generic(),
            }
            .into(),
        )),
        Conv::Version if matches!(f.typ, 1 | 7) => {
            let end = f.data.iter().position(|b| *b == 0).unwrap_or(f.data.len());
            Some(Value::Text(lossy(f.data.get(..end).unwrap_or_default())))
        }
        Conv::Bytes if f.typ == 7 => {
            let mut s = ShortText::new();
            for (i, b) in f.data.iter().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                push_u64(u64::from(*b), &mut s);
            }
            Some(Value::Text(s.finish()))
        }
        Conv::Version | Conv::Bytes => f.generic(),
        Conv::Hex => {
            if f.typ == 2 {
                return f.generic();
            }
            let mut s = ShortText::new();
            push_hex_upper(f.data, &mut s);
            Some(Value::Text(s.finish()))
        }
        Conv::Comment => Some(Value::from(comment(f.data, f.le))),
        Conv::ApexShutter => apex(f, |v| (-v).exp2()),
        Conv::ApexAperture => apex(f, |v| (v / 2.0).exp2()),
        Conv::GpsCoord => {
            if f.count < 3 {
                return f.generic();
            }
            let Some(d) = f.num(0)?.f64() else { return Some(Value::Text(Text::default())) };
            let (m, s) = (f.num(1)?.f64().unwrap_or(0.0), f.num(2)?.f64().unwrap_or(0.0));
            Some(Value::Float(round_sig(d + m / 60.0 + s / 3600.0, 15)))
        }
        Conv::GpsTime => {
            if f.count < 3 {
                return f.generic();
            }
            let h = f.num(0)?.f64().unwrap_or(0.0);
            let m = f.num(1)?.f64().unwrap_or(0.0);
            let s = f.num(2)?.f64().unwrap_or(0.0);
            let mut out = ShortText::new();
            push_two_digits(h as i64, &mut out);
            out.push(':');
            push_two_digits(m as i64, &mut out);
            out.push(':');
            if s.fract() == 0.0 {
                push_two_digits(s as i64, &mut out);
            } else {
                if s < 10.0 {
                    out.push('0');
                }
                fmt_g(s, 10, &mut out);
            }
            Some(Value::Text(out.finish()))
        }
        Conv::Xp => Some(Value::from(utf16_until_nul(f.data, true))),
        Conv::Cfa => {
            if f.typ != 7 || f.data.len() < 4 {
                return f.generic();
            }
            let pat = f.data.get(4..)?;
            // Some cameras write the dimensions in the other byte order.
            let dims = [f.le, !f.le].map(|le| (u16_at(f.data, 0, le), u16_at(f.data, 2, le)));
            let (w, h) = dims.into_iter().find(|(w, h)| usize::from(*w) * usize::from(*h) == pat.len())?;
            let mut s = ShortText::new();
            push_u64(u64::from(w), &mut s);
            s.push(' ');
            push_u64(u64::from(h), &mut s);
            for b in pat {
                s.push(' ');
                push_u64(u64::from(*b), &mut s);
            }
            Some(Value::Text(s.finish()))
        }
    }
}

/// Appends `n` as `{n:02}` prints it: zero-padded to two digits.
fn push_two_digits(n: i64, out: &mut impl Out) {
    match u8::try_from(n) {
        Ok(n) if n < 100 => {
            out.push(char::from(b'0' + n / 10));
            out.push(char::from(b'0' + n % 10));
        }
        _ => push_i64(n, out),
    }
}

fn apex(f: &Field, conv: impl Fn(f64) -> f64) -> Option<Value> {
    match f.num(0)? {
        Num::Rat(_, 0) => f.generic(),
        n => {
            let v = conv(n.f64()?);
            Some(Value::Float(if v.is_finite() && v < 1e30 { round_sig(v, 15) } else { 0.0 }))
        }
    }
}

/// EXIF text with its 8-byte character-code prefix (`ASCII\0\0\0`, `UNICODE\0`, ...).
fn comment(d: &[u8], le: bool) -> Text {
    let (code, body) = if d.len() >= 8 { d.split_at(8) } else { (&[][..], d) };
    let s = if code.starts_with(b"UNICODE") {
        let body = body
            .strip_prefix(&[0xFE, 0xFF][..])
            .or_else(|| body.strip_prefix(&[0xFF, 0xFE][..]))
            .unwrap_or(body);
        utf16(body, le)
    } else {
        let end = body.iter().position(|b| *b == 0).unwrap_or(body.len());
        String::from_utf8_lossy(body.get(..end).unwrap_or_default()).into_owned()
    };
    Text::new(s.trim_end_matches(['\0', ' ']).trim_start_matches('\0'))
}

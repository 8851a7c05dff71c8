//! Small `-n` conversions several makers' tables share.

use crate::base::hash::push_hex_upper;
use crate::base::short_text::ShortText;
use crate::model::Value;

/// The number divided by 10.
pub(super) fn div10(v: Value) -> Option<Value> {
    Some(Value::Float(v.as_f64()? / 10.0))
}

/// The number divided by 100.
pub(super) fn div100(v: Value) -> Option<Value> {
    Some(Value::Float(v.as_f64()? / 100.0))
}

/// The number divided by 1000.
pub(super) fn div1000(v: Value) -> Option<Value> {
    Some(Value::Float(v.as_f64()? / 1000.0))
}

/// The number divided by 100000.
pub(super) fn div100000(v: Value) -> Option<Value> {
    Some(Value::Float(v.as_f64()? / 100_000.0))
}

/// A count stored one below the number shown (Canon's file index and shutter count,
/// Sony's sequence counters).
pub(super) fn plus_one(v: Value) -> Option<Value> {
    Some(Value::Int(v.as_i64()?.checked_add(1)?))
}

/// Text that is a plain decimal number becomes that number (ExifTool prints such maker
/// strings as numbers); digits with a leading zero (`02000019`) stay text.
pub(super) fn number_if_numeric(v: Value) -> Option<Value> {
    let Value::Text(t) = &v else { return Some(v) };
    let s = t.as_str();
    let plain =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') && s.matches('.').count() <= 1;
    let leading_zero = s.len() > 1 && s.starts_with('0') && !s.starts_with("0.");
    if !plain || leading_zero || s.starts_with('.') || s.ends_with('.') {
        return Some(v);
    }
    Some(match s.parse::<i64>() {
        Ok(n) => Value::Int(n),
        Err(_) => s.parse::<f64>().map_or(v.clone(), Value::Float),
    })
}

/// Bytes as upper-case hex digits.
pub(super) fn hex(bytes: &[u8]) -> Value {
    let mut s = ShortText::new();
    push_hex_upper(bytes, &mut s);
    Value::Text(s.finish())
}

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

/// Text that is a plain decimal number becomes that number (ExifTool prints such maker
/// strings as numbers).
pub(super) fn number_if_numeric(v: Value) -> Option<Value> {
    Some(match &v {
        Value::Text(t) => match t.trim().parse::<i64>() {
            Ok(n) if !t.starts_with('0') || t.len() == 1 => Value::Int(n),
            _ => v,
        },
        _ => v,
    })
}

/// Bytes as upper-case hex digits.
pub(super) fn hex(bytes: &[u8]) -> Value {
    let mut s = ShortText::new();
    push_hex_upper(bytes, &mut s);
    Value::Text(s.finish())
}

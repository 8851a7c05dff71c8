//! Tag values.

use super::Text;

/// A tag's value. Numbers are numbers (rationals as their decimal value, as ExifTool's
/// `-n` prints them); dates are text in ExifTool's `YYYY:MM:DD HH:MM:SS[+hh:mm]` form.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// true/false.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A real number.
    Float(f64),
    /// Text.
    Text(Text),
    /// Several values (repeated datasets, XMP bags and sequences, multi-valued EXIF).
    List(Vec<Value>),
    /// A binary block referenced by position in the file, never inlined.
    Binary(BinaryRef),
}

/// Where a binary value sits in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BinaryRef {
    /// Byte offset in the file (0 when the block lives inside a compressed or derived stream).
    pub offset: u64,
    /// Length in bytes.
    pub length: u64,
}

impl Value {
    /// The number, if this is one (or text that is exactly a number).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Text(s) => s.trim().parse().ok(),
            Value::List(v) if v.len() == 1 => v[0].as_f64(),
            _ => None,
        }
    }

    /// The integer, if this is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            Value::Text(s) => s.trim().parse().ok(),
            Value::List(v) if v.len() == 1 => v[0].as_i64(),
            _ => None,
        }
    }

    /// The text, if this is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            Value::List(v) if v.len() == 1 => v[0].as_str(),
            _ => None,
        }
    }

    /// Renders the value as text (lists joined with ", "). Text is copied as it is, not
    /// through the formatting machinery.
    pub fn to_text(&self) -> String {
        match self {
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Text(s) => String::from(s.as_str()),
            Value::List(v) => v.iter().map(Value::to_text).collect::<Vec<_>>().join(", "),
            Value::Binary(b) => format!("(Binary data {} bytes)", b.length),
        }
    }

    /// The items of a list, or the value itself as a one-item slice.
    pub fn items(&self) -> &[Value] {
        match self {
            Value::List(v) => v,
            other => std::slice::from_ref(other),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) if f.is_finite() => s.serialize_f64(*f),
            Value::Float(f) => s.serialize_str(&f.to_string()),
            Value::Text(t) => s.serialize_str(t),
            Value::List(v) => serde::Serialize::serialize(v, s),
            Value::Binary(b) => serde::Serialize::serialize(b, s),
        }
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self { Value::Int(i64::from(v)) }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<u64> for Value {
    fn from(v: u64) -> Self {
        match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(v as f64),
        }
    }
}

impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::from(v as u64)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}

impl From<f32> for Value {
    fn from(v: f32) -> Self {
        Value::Float(f64::from(v))
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Text::from(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Text::new(v))
    }
}

impl From<std::borrow::Cow<'_, str>> for Value {
    fn from(v: std::borrow::Cow<'_, str>) -> Self {
        Value::Text(Text::from(v))
    }
}

impl From<Text> for Value {
    fn from(v: Text) -> Self {
        Value::Text(v)
    }
}

impl Value {
    /// Text copied from `s` (no allocation when it is short).
    pub fn text(s: &str) -> Value {
        Value::Text(Text::new(s))
    }
}

impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Self {
        Value::List(v)
    }
}

impl From<BinaryRef> for Value {
    fn from(v: BinaryRef) -> Self {
        Value::Binary(v)
    }
}

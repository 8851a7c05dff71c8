//! Writing the ExifTool object: straight into a byte buffer ([`ExifToolObject::write_pretty`])
//! or through serde, the two giving the same JSON values. A tag value shows as ExifTool's
//! JSON shows it with `-n` (see [`text`]): numbers as `%.15g`, any text that reads as a
//! plain number bare, non-finite numbers as null, binary data as ExifTool's placeholder
//! text. The direct writer keeps the number's text as ExifTool prints it (`1e-05`); serde
//! writes the same number in its own spelling (`1e-5`).

use super::text::{self, NumText};
use super::{EntryValue, ExifToolObject, KEY_BUF, Key};
use crate::model::{BinaryRef, Value};
use crate::output::json;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt;

impl ExifToolObject<'_> {
    /// Appends the object as `serde_json::to_string_pretty` prints it (two-space indent,
    /// the same bytes), written directly: faster than through serde for the many short
    /// keys and strings of a file's tags.
    pub fn write_pretty(&self, out: &mut Vec<u8>) {
        if self.entries.is_empty() {
            out.extend_from_slice(b"{}");
            return;
        }
        for (i, e) in self.entries.iter().enumerate() {
            out.extend_from_slice(if i == 0 { b"{\n  " } else { b",\n  " });
            json::key(out, e.key.group, e.key.name);
            out.extend_from_slice(b": ");
            match e.value {
                EntryValue::Tag(Value::List(items)) if always_array(e.key.name) && !items.is_empty() => {
                    list(out, items, 1)
                }
                EntryValue::Tag(v) => value(out, v, 1),
                EntryValue::Text(t) => json::string(out, t.as_bytes()),
                EntryValue::Count(n) => json::number(out, &n),
            }
        }
        out.extend_from_slice(b"\n}");
    }
}

impl Serialize for ExifToolObject<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.entries.len()))?;
        for e in &self.entries {
            match e.value {
                EntryValue::Tag(Value::List(items)) if always_array(e.key.name) => {
                    map.serialize_entry(&e.key, &Array(items))?
                }
                _ => map.serialize_entry(&e.key, &e.value)?,
            }
        }
        map.end()
    }
}

impl Serialize for Key<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; KEY_BUF];
        match self.joined(&mut buf).map(std::str::from_utf8) {
            Some(Ok(key)) => s.serialize_str(key),
            _ => s.collect_str(self),
        }
    }
}

impl Serialize for EntryValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            EntryValue::Tag(v) => JsonValue(v).serialize(s),
            EntryValue::Text(t) => s.serialize_str(t),
            EntryValue::Count(n) => s.serialize_u64(*n),
        }
    }
}

/// A tag value as ExifTool's JSON shows it (`-n`: non-finite numbers as null, binary data
/// as ExifTool's placeholder text).
struct JsonValue<'a>(&'a Value);

impl Serialize for JsonValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => number_text(s, NumText::int(*i).as_str()),
            Value::Float(f) if f.is_finite() => number_text(s, NumText::float(*f).as_str()),
            Value::Float(_) => s.serialize_unit(),
            Value::Text(t) => number_text(s, t),
            // ExifTool prints a list of one item as the item.
            Value::List(items) if let [one] = items.as_slice() => JsonValue(one).serialize(s),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&JsonValue(item))?;
                }
                seq.end()
            }
            Value::Binary(b) => s.collect_str(&Placeholder(b)),
        }
    }
}

/// A list printed as an array whatever its length.
struct Array<'a>(&'a [Value]);

impl Serialize for Array<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&JsonValue(item))?;
        }
        seq.end()
    }
}

/// A value's text: a JSON number where ExifTool prints one (see [`text::is_number`]),
/// else a string.
fn number_text<S: Serializer>(s: S, t: &str) -> Result<S::Ok, S::Error> {
    match text::is_number(t.as_bytes()).then(|| text::parse(t)).flatten() {
        Some(text::Parsed::Int(i)) => s.serialize_i64(i),
        Some(text::Parsed::Float(f)) => s.serialize_f64(f),
        None => s.serialize_str(t),
    }
}

/// A value's text into `out`, bare where ExifTool prints a number, else quoted.
fn scalar(out: &mut Vec<u8>, t: &[u8]) {
    if text::is_number(t) {
        out.extend_from_slice(t);
    } else {
        json::string_upper_hex(out, t);
    }
}

/// `v` at nesting `depth` (its lines, if any, indented by `depth + 1` steps), as
/// [`JsonValue`] serializes it.
fn value(out: &mut Vec<u8>, v: &Value, depth: usize) {
    match v {
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        // An integer's text reads as a number up to fifteen digits (see
        // [`text::is_number`]): no need to check it.
        Value::Int(i) if i.unsigned_abs() < MAX_BARE_INT => {
            out.extend_from_slice(NumText::int(*i).as_bytes())
        }
        Value::Int(i) => scalar(out, NumText::int(*i).as_bytes()),
        Value::Float(f) if f.is_finite() => scalar(out, NumText::float(*f).as_bytes()),
        Value::Float(_) => out.extend_from_slice(b"null"),
        Value::Text(t) => scalar(out, t.as_bytes()),
        Value::List(items) if items.is_empty() => out.extend_from_slice(b"[]"),
        Value::List(items) if let [one] = items.as_slice() => value(out, one, depth),
        Value::List(items) => list(out, items, depth),
        Value::Binary(b) => json::string(out, Placeholder(b).to_string().as_bytes()),
    }
}

/// Integers below this (in magnitude) have at most fifteen digits, and print bare.
const MAX_BARE_INT: u64 = 1_000_000_000_000_000;

/// A non-empty list as a JSON array at nesting `depth`.
fn list(out: &mut Vec<u8>, items: &[Value], depth: usize) {
    for (i, item) in items.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"[\n" } else { b",\n" });
        json::indent(out, depth + 1);
        value(out, item, depth + 1);
    }
    out.push(b'\n');
    json::indent(out, depth);
    out.push(b']');
}

/// Tags whose values ExifTool prints as an array even with one item (values of a
/// multi-valued field, not list-type tags, whose single item prints alone).
fn always_array(name: &str) -> bool {
    matches!(name, "CompatibleBrands" | "URL_List")
}

/// What ExifTool prints for binary data it does not extract.
struct Placeholder<'a>(&'a BinaryRef);

impl fmt::Display for Placeholder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "(Binary data {} bytes, use -b option to extract)", self.0.length)
    }
}

//! The ExifTool-compatible projection: the JSON object `exiftool -json -n -G` prints.

use super::{Metadata, Value};
use serde_json::{Map, Value as Json};

/// How to shape ExifTool-style output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExifToolOptions {
    /// Prefix keys with the family-0 group (`EXIF:Make`), as `-G`. Without it keys are bare
    /// tag names and the highest-priority group wins, as ExifTool does.
    pub groups: bool,
}

impl Default for ExifToolOptions {
    fn default() -> Self {
        ExifToolOptions { groups: true }
    }
}

fn to_json(v: &Value) -> Json {
    match v {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map(Json::Number).unwrap_or(Json::Null),
        Value::Text(s) => Json::String(s.to_string()),
        Value::List(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Binary(b) => {
            Json::String(format!("(Binary data {} bytes, use -b option to extract)", b.length))
        }
    }
}

/// Projects `meta` onto ExifTool's JSON object for one file, with `SourceFile` first.
/// Where a `Group:Tag` occurs more than once, ExifTool's choice is kept: the first tag of
/// the highest priority, in the position of the first occurrence.
pub fn exiftool_json(meta: &Metadata, source_file: &str, opts: ExifToolOptions) -> Map<String, Json> {
    let mut out = Map::new();
    out.insert("SourceFile".into(), Json::String(source_file.to_owned()));
    let mut priority: std::collections::HashMap<String, i8> = std::collections::HashMap::new();
    for tag in &meta.tags {
        let key = if opts.groups { tag.key() } else { tag.name.to_string() };
        match priority.get(&key) {
            Some(p) if tag.priority <= *p => continue,
            _ => {}
        }
        priority.insert(key.clone(), tag.priority);
        out.insert(key, to_json(&tag.value));
    }
    out
}

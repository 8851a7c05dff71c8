//! The native JSON object of one file, serialized straight from [`Metadata`] (no
//! `serde_json::Value` built first): `SourceFile`, then the fields of `Metadata` as it
//! serializes them, with `stats` only on request.

use crate::model::Metadata;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// One file's object in metasift's own JSON schema: `SourceFile`, then the fields of
/// [`Metadata`] as serde writes them, `stats` left out unless asked for (it describes the
/// run, not the file). Serialize it with any serde serializer.
///
/// ```
/// # let meta = metasift::extract_bytes(&[0xFF, 0xD8, 0xFF, 0xD9]).unwrap();
/// let obj = metasift::output::NativeObject::new(&meta, "a.jpg");
/// let json = serde_json::to_value(&obj).unwrap();
/// assert_eq!(json["SourceFile"], "a.jpg");
/// assert_eq!(json["format"], "JPEG");
/// assert!(json.get("stats").is_none());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct NativeObject<'a> {
    source_file: &'a str,
    meta: &'a Metadata,
    with_stats: bool,
}

impl<'a> NativeObject<'a> {
    /// The object for `meta` read from `source_file`, without read statistics.
    pub fn new(meta: &'a Metadata, source_file: &'a str) -> Self {
        NativeObject { source_file, meta, with_stats: false }
    }

    /// With [`Metadata::stats`] as a last `stats` field, or without.
    pub fn with_stats(self, with_stats: bool) -> Self {
        NativeObject { with_stats, ..self }
    }
}

impl Serialize for NativeObject<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.meta;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("SourceFile", self.source_file)?;
        map.serialize_entry("format", &m.format)?;
        map.serialize_entry("mime", m.mime)?;
        map.serialize_entry("file_size", &m.file_size)?;
        map.serialize_entry("summary", &m.summary)?;
        if !m.streams.is_empty() {
            map.serialize_entry("streams", &m.streams)?;
        }
        map.serialize_entry("tags", &m.tags)?;
        if !m.warnings.is_empty() {
            map.serialize_entry("warnings", &m.warnings)?;
        }
        if self.with_stats {
            map.serialize_entry("stats", &m.stats)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value as Json};
    use std::path::{Path, PathBuf};

    /// The object built through `serde_json::to_value`, field by field.
    fn through_value(meta: &Metadata, name: &str, with_stats: bool) -> Map<String, Json> {
        let mut m = Map::new();
        m.insert("SourceFile".into(), Json::String(name.to_owned()));
        if let Ok(Json::Object(rest)) = serde_json::to_value(meta) {
            m.extend(rest.into_iter().filter(|(k, _)| with_stats || k != "stats"));
        }
        m
    }

    /// The fields of `Metadata`, in declaration order.
    const FIELDS: &[&str] =
        &["format", "mime", "file_size", "summary", "streams", "tags", "warnings", "stats"];

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() { files(&p, out) } else { out.push(p) }
        }
    }

    #[test]
    fn direct_serialization_matches_the_value_route_on_every_fixture() {
        let mut paths = Vec::new();
        files(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")), &mut paths);
        let mut compared = 0;
        for path in paths {
            let Ok(meta) = crate::extract_path(&path) else { continue };
            for with_stats in [false, true] {
                let obj = NativeObject::new(&meta, "some/\"file\"").with_stats(with_stats);
                let fast = serde_json::to_string_pretty(&obj).unwrap_or_default();
                let slow = through_value(&meta, "some/\"file\"", with_stats);
                let parsed: Option<Map<String, Json>> = serde_json::from_str(&fast).ok();
                assert_eq!(parsed.as_ref(), Some(&slow), "{}", path.display());
                // Keys in the model's field order, `SourceFile` first (a map compares
                // without order, so the order is checked on the text).
                let at = |k: &str| fast.find(&format!("\n  \"{k}\": "));
                let order: Vec<_> = FIELDS.iter().filter_map(|k| at(k)).collect();
                assert!(fast.starts_with("{\n  \"SourceFile\": "), "{}", path.display());
                assert!(order.is_sorted() && order.len() == slow.len() - 1, "{}", path.display());
            }
            compared += 1;
        }
        assert!(compared > 20, "only {compared} fixtures compared");
    }
}

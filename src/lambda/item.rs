//! A record as a DynamoDB item: JSON values become typed attributes (numbers stay numbers,
//! so they can be filtered and compared), and an item that would pass DynamoDB's 400 KB
//! limit keeps a summary instead of the full metadata.

use super::record::ObjectRecord;
use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::Value as Json;
use std::collections::HashMap;

/// DynamoDB's limit on one item: attribute names and values, UTF-8, in bytes.
pub const MAX_ITEM_BYTES: usize = 400 * 1024;

/// The deepest nesting DynamoDB stores is 32 levels; deeper JSON is kept as its text.
/// The limit here leaves a level for the attribute itself.
const MAX_DEPTH: usize = 31;

/// An error message longer than this is cut (on a character boundary): an item must
/// always fit, and the full message is in the logs and the sidecar.
const MAX_ERROR_BYTES: usize = 4096;

/// An item ready for `PutItem`.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The attributes, `pk` among them.
    pub attributes: HashMap<String, AttributeValue>,
    /// Whether the full metadata did not fit and only the summary was kept.
    pub truncated: bool,
    /// The item's size as [`item_size`] estimates it (never less than DynamoDB counts).
    pub size: usize,
}

/// The JSON `value` as a DynamoDB attribute: numbers as `N`, strings `S`, booleans `BOOL`,
/// null `NULL`, arrays `L`, objects `M`.
///
/// Two JSON values have no DynamoDB twin and are kept as text (`S`): numbers outside the
/// range DynamoDB stores (magnitudes from 1e-130 to below 1e126, and zero), which odd tag
/// values can hold, and values nested deeper than DynamoDB's 32 levels (as their JSON).
///
/// ```
/// use aws_sdk_dynamodb::types::AttributeValue;
/// use metasift::lambda::item::to_attribute;
/// let av = to_attribute(&serde_json::json!({"w": 640, "tags": ["a"], "gps": null}));
/// let AttributeValue::M(m) = av else { panic!() };
/// assert_eq!(m["w"], AttributeValue::N("640".into()));
/// assert_eq!(m["tags"], AttributeValue::L(vec![AttributeValue::S("a".into())]));
/// assert_eq!(m["gps"], AttributeValue::Null(true));
/// ```
pub fn to_attribute(value: &Json) -> AttributeValue {
    attribute_at(value, 0)
}

fn attribute_at(value: &Json, depth: usize) -> AttributeValue {
    if depth >= MAX_DEPTH && matches!(value, Json::Array(_) | Json::Object(_)) {
        return AttributeValue::S(value.to_string());
    }
    match value {
        Json::Null => AttributeValue::Null(true),
        Json::Bool(b) => AttributeValue::Bool(*b),
        Json::Number(n) => number(n),
        Json::String(s) => AttributeValue::S(s.clone()),
        Json::Array(items) => AttributeValue::L(items.iter().map(|v| attribute_at(v, depth + 1)).collect()),
        Json::Object(map) => {
            AttributeValue::M(map.iter().map(|(k, v)| (k.clone(), attribute_at(v, depth + 1))).collect())
        }
    }
}

/// A JSON number as `N` when DynamoDB can store it, else as `S`. Integers always fit
/// (at most 20 digits of the 38 allowed); floats are checked against the range.
fn number(n: &serde_json::Number) -> AttributeValue {
    // serde_json writes exponents as `e`; DynamoDB's own examples use `E`.
    let text = n.to_string().replace('e', "E");
    let in_range = match n.as_f64() {
        _ if n.is_i64() || n.is_u64() => true,
        Some(x) => x == 0.0 || (1e-130..1e126).contains(&x.abs()),
        None => false,
    };
    if in_range { AttributeValue::N(text) } else { AttributeValue::S(text) }
}

/// The size of the attributes as DynamoDB counts it, estimated from above: names and
/// strings by their UTF-8 bytes, a number as one byte more than its digits (DynamoDB
/// stores about two digits a byte), booleans and nulls one byte, and each list or map
/// 3 bytes plus 1 per element on top of the elements themselves.
pub fn item_size(attributes: &HashMap<String, AttributeValue>) -> usize {
    attributes.iter().map(|(name, value)| name.len() + value_size(value)).sum()
}

fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => n.len() + 1,
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::L(items) => 3 + items.iter().map(|v| 1 + value_size(v)).sum::<usize>(),
        AttributeValue::M(map) => 3 + map.iter().map(|(k, v)| 1 + k.len() + value_size(v)).sum::<usize>(),
        AttributeValue::Ss(items) => items.iter().map(|s| s.len() + 1).sum(),
        AttributeValue::Ns(items) => items.iter().map(|s| s.len() + 2).sum(),
        AttributeValue::Bs(items) => items.iter().map(|b| b.as_ref().len() + 1).sum(),
        // Bool, Null, and anything a later SDK adds: small.
        _ => 1,
    }
}

/// The item for `record`: partition key `pk` = `s3://bucket/key`; the object's facts
/// (`bucket`, `key`, `version_id`, `etag`, `size`, `sequencer` (normalised), `event_time`),
/// the run's (`format`, `mime`, `extracted_at`, `extractor`, `bytes_read`, `requests`),
/// the `metadata` map, and `error` when extraction failed. Absent facts are left out, not
/// stored as null, so that conditions can test `attribute_not_exists`.
///
/// `sidecar` is the sidecar's `s3://` URI when sidecars are on; the item then names it.
/// When the full item would pass [`MAX_ITEM_BYTES`], `metadata` keeps only
/// `{"summary": ...}` and `metadata_truncated` is `true`: the full metadata is in the
/// sidecar when sidecars are on, and nowhere in the table when they are off (the item
/// then has the summary only). Should even the summary not fit, `metadata` is left out.
pub fn build_item(record: &ObjectRecord, sidecar: Option<&str>) -> Item {
    let mut attributes = facts(record, sidecar);
    let base = item_size(&attributes);
    let full = to_attribute(&record.metadata);
    let room = MAX_ITEM_BYTES.saturating_sub(base + "metadata".len() + "metadata_truncated".len() + 1);
    if value_size(&full) <= room {
        attributes.insert("metadata".into(), full);
        let size = item_size(&attributes);
        return Item { attributes, truncated: false, size };
    }
    let mut summary_only = serde_json::Map::new();
    summary_only.insert("summary".into(), record.summary.clone());
    let summary = to_attribute(&Json::Object(summary_only));
    if value_size(&summary) <= room {
        attributes.insert("metadata".into(), summary);
    }
    attributes.insert("metadata_truncated".into(), AttributeValue::Bool(true));
    let size = item_size(&attributes);
    Item { attributes, truncated: true, size }
}

/// Everything but the metadata.
fn facts(record: &ObjectRecord, sidecar: Option<&str>) -> HashMap<String, AttributeValue> {
    let o = &record.object;
    let mut a = HashMap::new();
    let mut text = |name: &str, value: Option<&str>| {
        if let Some(v) = value {
            a.insert(name.to_owned(), AttributeValue::S(v.to_owned()));
        }
    };
    text("pk", Some(&o.uri()));
    text("bucket", Some(&o.bucket));
    text("key", Some(&o.key));
    text("version_id", o.version_id.as_deref());
    text("etag", o.etag.as_deref());
    text("sequencer", o.normalized_sequencer().as_deref());
    text("event_time", o.event_time.as_deref());
    text("format", record.format.as_deref());
    text("mime", record.mime.as_deref());
    text("extracted_at", Some(&record.extracted_at));
    text("extractor", Some(&record.extractor));
    text("error", record.error.as_deref().map(|e| cut(e, MAX_ERROR_BYTES)));
    text("sidecar", sidecar);
    if let Some(size) = o.size {
        a.insert("size".into(), AttributeValue::N(size.to_string()));
    }
    a.insert("bytes_read".into(), AttributeValue::N(record.bytes_read.to_string()));
    a.insert("requests".into(), AttributeValue::N(record.requests.to_string()));
    a
}

/// `s` cut to at most `max` bytes, on a character boundary.
pub(crate) fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::record::ObjectId;
    use serde_json::json;

    fn record(metadata: Json) -> ObjectRecord {
        ObjectRecord {
            object: ObjectId {
                bucket: "b".into(),
                key: "k.jpg".into(),
                size: Some(10),
                sequencer: Some("0A".into()),
                ..ObjectId::default()
            },
            format: Some("JPEG".into()),
            mime: Some("image/jpeg".into()),
            extracted_at: "2024-01-01T00:00:00.000Z".into(),
            extractor: "metasift/0 native".into(),
            bytes_read: 10,
            requests: 1,
            summary: json!({"width": 1}),
            metadata,
            error: None,
        }
    }

    #[test]
    fn numbers_outside_dynamodb_range_become_text() {
        let av = |v: Json| to_attribute(&v);
        assert_eq!(av(json!(1.5e-7)), AttributeValue::N("1.5E-7".into()));
        assert_eq!(av(json!(0.0)), AttributeValue::N("0.0".into()));
        assert_eq!(av(json!(-3)), AttributeValue::N("-3".into()));
        assert_eq!(av(json!(u64::MAX)), AttributeValue::N(u64::MAX.to_string()));
        assert_eq!(av(json!(1e-300)), AttributeValue::S("1E-300".into()));
        assert_eq!(av(json!(-2e200)), AttributeValue::S("-2E+200".into()));
        assert_eq!(av(json!("")), AttributeValue::S(String::new()));
    }

    #[test]
    fn deep_nesting_is_kept_as_text() {
        let mut v = json!(1);
        for _ in 0..40 {
            v = json!([v]);
        }
        let mut av = to_attribute(&v);
        let mut depth = 0;
        while let AttributeValue::L(mut items) = av {
            av = items.remove(0);
            depth += 1;
        }
        assert_eq!(depth, MAX_DEPTH);
        assert!(matches!(av, AttributeValue::S(s) if s.starts_with("[[")));
    }

    #[test]
    fn sizes_are_estimated_from_above() {
        let item = build_item(&record(json!({"a": [1, "xy", true]})), None);
        // pk "s3://b/k.jpg" (2+12), bucket (6+1), key (3+5), sequencer (9+64), format (6+4),
        // mime (4+10), extracted_at (12+24), extractor (9+17), size (4+3), bytes_read
        // (10+3), requests (8+2), metadata (8 + 3 + 1+1 + [3 + 1+2 + 1+2 + 1+1]).
        assert_eq!(item.size, 14 + 7 + 8 + 73 + 10 + 14 + 36 + 26 + 7 + 13 + 10 + 8 + 3 + 2 + 11);
        assert!(!item.truncated);
    }

    #[test]
    fn oversized_metadata_keeps_the_summary_and_points_to_the_sidecar() {
        let big = json!({"summary": {"width": 1}, "blob": "x".repeat(MAX_ITEM_BYTES)});
        let item = build_item(&record(big), Some("s3://b/meta/k.jpg.json"));
        assert!(item.truncated);
        assert!(item.size <= MAX_ITEM_BYTES);
        assert_eq!(item.attributes["metadata_truncated"], AttributeValue::Bool(true));
        assert_eq!(item.attributes["sidecar"], AttributeValue::S("s3://b/meta/k.jpg.json".into()));
        let AttributeValue::M(m) = &item.attributes["metadata"] else { panic!() };
        assert_eq!(m.keys().collect::<Vec<_>>(), ["summary"]);
    }

    #[test]
    fn long_errors_are_cut_on_a_character_boundary() {
        assert_eq!(cut("ééé", 3), "é");
        let mut r = record(json!({}));
        r.error = Some("é".repeat(MAX_ERROR_BYTES));
        let item = build_item(&r, None);
        let AttributeValue::S(e) = &item.attributes["error"] else { panic!() };
        assert_eq!(e.len(), MAX_ERROR_BYTES);
    }
}

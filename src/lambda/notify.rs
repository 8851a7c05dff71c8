//! SNS notifications: one small message per new or changed object, with attributes that
//! subscription filter policies can match without parsing the body (only images with a
//! GPS position, only failures...).

use super::deliver_error::{DeliverError, Stage};
use super::item::cut;
use super::record::ObjectRecord;
use aws_sdk_sns::Client;
use aws_sdk_sns::types::MessageAttributeValue;
use serde_json::{Map, Value as Json};

/// A message body larger than this drops its summary: SNS takes at most 256 KiB for the
/// body and attributes together, and the full metadata is in the table or the sidecar.
const MAX_BODY_BYTES: usize = 200 * 1024;

/// An error message in the body is cut to this (the full one is in the logs).
const MAX_ERROR_BYTES: usize = 4096;

/// SNS attribute values count against the message size: a long error is cut.
const MAX_ATTRIBUTE_BYTES: usize = 1024;

/// The message body: the object (`uri`, `bucket`, `key`, `version_id`, `etag`, `size`),
/// the run (`format`, `mime`, `extracted_at`), the `summary`, and `error` or `sidecar`
/// when there is one. When that passes 200 KiB, `summary` is left out and
/// `summary_truncated` is `true`.
pub fn message(record: &ObjectRecord, sidecar: Option<&str>) -> String {
    let o = &record.object;
    let mut m = Map::new();
    let mut put = |name: &str, value: Json| {
        if !value.is_null() {
            m.insert(name.to_owned(), value);
        }
    };
    put("uri", o.uri().into());
    put("bucket", o.bucket.clone().into());
    put("key", o.key.clone().into());
    put("version_id", o.version_id.clone().into());
    put("etag", o.etag.clone().into());
    put("size", o.size.into());
    put("format", record.format.clone().into());
    put("mime", record.mime.clone().into());
    put("extracted_at", record.extracted_at.clone().into());
    put("error", record.error.as_deref().map(|e| cut(e, MAX_ERROR_BYTES).to_owned()).into());
    put("sidecar", sidecar.map(str::to_owned).into());
    let mut full = m.clone();
    full.insert("summary".into(), record.summary.clone());
    let body = Json::Object(full).to_string();
    if body.len() <= MAX_BODY_BYTES {
        return body;
    }
    m.insert("summary_truncated".into(), Json::Bool(true));
    Json::Object(m).to_string()
}

/// The message attributes, all of type `String`: `format`, `mime`, `has_gps` (`true` or
/// `false`), `bucket`, and `error` when extraction failed. SNS refuses empty values, so
/// an attribute whose value is unknown or empty is left out.
pub fn attributes(record: &ObjectRecord) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let candidates = [
        ("format", record.format.clone()),
        ("mime", record.mime.clone()),
        ("has_gps", Some(record.has_gps().to_string())),
        ("bucket", Some(record.object.bucket.clone())),
        ("error", record.error.as_deref().map(|e| cut(e, MAX_ATTRIBUTE_BYTES).to_owned())),
    ];
    for (name, value) in candidates {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            out.push((name, v));
        }
    }
    out
}

/// Publishes `record`'s notification to `topic_arn`; returns SNS's message id.
pub(crate) async fn publish(
    client: &Client,
    topic_arn: &str,
    record: &ObjectRecord,
    sidecar: Option<&str>,
) -> Result<String, DeliverError> {
    let mut request = client.publish().topic_arn(topic_arn).message(message(record, sidecar));
    for (name, value) in attributes(record) {
        let attribute = MessageAttributeValue::builder()
            .data_type("String")
            .string_value(value)
            .build()
            .map_err(|e| DeliverError::new(Stage::Notify, format!("attribute {name}: {e}")))?;
        request = request.message_attributes(name, attribute);
    }
    match request.send().await {
        Ok(out) => Ok(out.message_id().unwrap_or_default().to_owned()),
        Err(err) => Err(DeliverError::sdk(Stage::Notify, "Publish", err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::record::ObjectId;
    use serde_json::json;

    fn record(summary: Json, error: Option<&str>) -> ObjectRecord {
        ObjectRecord {
            object: ObjectId {
                bucket: "b".into(),
                key: "k.jpg".into(),
                size: Some(3),
                ..ObjectId::default()
            },
            format: error.is_none().then(|| "JPEG".into()),
            mime: error.is_none().then(|| "image/jpeg".into()),
            extracted_at: "2024-01-01T00:00:00.000Z".into(),
            extractor: "metasift/0 native".into(),
            bytes_read: 3,
            requests: 1,
            summary,
            metadata: json!({}),
            error: error.map(str::to_owned),
        }
    }

    #[test]
    fn messages_name_the_object_and_carry_the_summary() {
        let r = record(json!({"gps": {"latitude": 1.0, "longitude": 2.0}}), None);
        let body: Json = serde_json::from_str(&message(&r, Some("s3://b/m/k.jpg.json"))).unwrap();
        assert_eq!(body["uri"], "s3://b/k.jpg");
        assert_eq!(body["size"], 3);
        assert_eq!(body["summary"]["gps"]["latitude"], 1.0);
        assert_eq!(body["sidecar"], "s3://b/m/k.jpg.json");
        assert!(body.get("version_id").is_none() && body.get("error").is_none());
        let attrs = attributes(&r);
        let names: Vec<_> = attrs.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["format", "mime", "has_gps", "bucket"]);
        assert_eq!(attrs[2].1, "true");
    }

    #[test]
    fn failures_and_huge_summaries() {
        let r = record(json!({}), Some("unknown format"));
        let attrs = attributes(&r);
        assert_eq!(
            attrs,
            [("has_gps", "false".to_owned()), ("bucket", "b".into()), ("error", "unknown format".into())]
        );
        let big = record(json!({"description": "x".repeat(MAX_BODY_BYTES)}), None);
        let body: Json = serde_json::from_str(&message(&big, None)).unwrap();
        assert!(body.get("summary").is_none());
        assert_eq!(body["summary_truncated"], true);
        assert_eq!(body["key"], "k.jpg");
    }
}

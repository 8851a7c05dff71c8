//! What the function prints per object: one structured JSON log line, and one line in
//! CloudWatch's embedded metric format (EMF), which CloudWatch Logs turns into metrics
//! without an API call (Lambda ships stdout to CloudWatch Logs as it is).
//!
//! EMF, as the CloudWatch specification lays it out: a JSON object whose `_aws` member
//! holds a `Timestamp` (milliseconds since the epoch) and `CloudWatchMetrics`, a list of
//! directives, each naming a `Namespace`, its `Dimensions` (a list of dimension-name
//! lists) and its `Metrics` (`Name` and `Unit`); the values themselves are members of the
//! root object under those names.

use super::record::{ObjectId, ObjectRecord};
use serde_json::{Value as Json, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The CloudWatch namespace of the metrics.
pub const NAMESPACE: &str = "metasift";

/// The `Format` dimension of a failed extraction, which has no format.
const NO_FORMAT: &str = "none";

/// The structured log line of one object: `message` (`object`), `bucket`, `key`,
/// `format`, `bytes` (read), `requests` (GETs), `millis`, `outcome` (as the caller names
/// it, for example `written` or `skipped:duplicate`), and `error` when extraction failed.
pub fn object_log(record: &ObjectRecord, outcome: &str, elapsed: Duration) -> Json {
    let mut line = json!({
        "message": "object",
        "bucket": record.object.bucket,
        "key": record.object.key,
        "format": record.format,
        "bytes": record.bytes_read,
        "requests": record.requests,
        "millis": millis(elapsed),
        "outcome": outcome,
    });
    if let (Some(e), Json::Object(m)) = (&record.error, &mut line) {
        m.insert("error".into(), Json::String(e.clone()));
    }
    line
}

/// The EMF line of one object, timestamped `now`: metrics `BytesRead` (Bytes),
/// `Requests` (Count), `ExtractMillis` (Milliseconds) and `Failures` (Count, 0 or 1) in
/// namespace `metasift`, by the dimension `Format` (`none` for failures).
pub fn metrics(record: &ObjectRecord, elapsed: Duration, now: SystemTime) -> Json {
    let timestamp = now.duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or_default();
    json!({
        "_aws": {
            "Timestamp": u64::try_from(timestamp).unwrap_or(u64::MAX),
            "CloudWatchMetrics": [{
                "Namespace": NAMESPACE,
                "Dimensions": [["Format"]],
                "Metrics": [
                    {"Name": "BytesRead", "Unit": "Bytes"},
                    {"Name": "Requests", "Unit": "Count"},
                    {"Name": "ExtractMillis", "Unit": "Milliseconds"},
                    {"Name": "Failures", "Unit": "Count"},
                ],
            }],
        },
        "Format": record.format.as_deref().unwrap_or(NO_FORMAT),
        "BytesRead": record.bytes_read,
        "Requests": record.requests,
        "ExtractMillis": millis(elapsed),
        "Failures": u8::from(record.error.is_some()),
    })
}

/// Prints both lines of one object to standard output, where Lambda collects them.
pub fn emit(record: &ObjectRecord, outcome: &str, elapsed: Duration) {
    println!("{}", object_log(record, outcome, elapsed));
    println!("{}", metrics(record, elapsed, SystemTime::now()));
}

/// The log line of an object that produced no record (skipped before reading, gone, or
/// removed): `message` (`object`), `bucket`, `key`, `millis` and `outcome`. No metric line:
/// nothing was read.
pub fn event_log(object: &ObjectId, outcome: &str, elapsed: Duration) -> Json {
    json!({
        "message": "object",
        "bucket": object.bucket,
        "key": object.key,
        "millis": millis(elapsed),
        "outcome": outcome,
    })
}

/// Prints [`event_log`] to standard output.
pub fn emit_event(object: &ObjectId, outcome: &str, elapsed: Duration) {
    println!("{}", event_log(object, outcome, elapsed));
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::record::ObjectId;

    fn record(error: Option<&str>) -> ObjectRecord {
        ObjectRecord {
            object: ObjectId { bucket: "b".into(), key: "k.jpg".into(), ..ObjectId::default() },
            format: error.is_none().then(|| "JPEG".into()),
            mime: None,
            extracted_at: "2024-01-01T00:00:00.000Z".into(),
            extractor: "metasift/0 native".into(),
            bytes_read: 4096,
            requests: 2,
            summary: json!({}),
            metadata: json!({}),
            error: error.map(str::to_owned),
        }
    }

    #[test]
    fn the_emf_line_declares_every_metric_it_carries() {
        let now = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        let line = metrics(&record(None), Duration::from_micros(15_900), now);
        assert_eq!(line["_aws"]["Timestamp"], 1_700_000_000_123u64);
        let directive = &line["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], "metasift");
        for dims in directive["Dimensions"].as_array().unwrap() {
            for d in dims.as_array().unwrap() {
                assert!(line[d.as_str().unwrap()].is_string(), "dimension {d} has a value");
            }
        }
        for m in directive["Metrics"].as_array().unwrap() {
            assert!(line[m["Name"].as_str().unwrap()].is_number(), "metric {m} has a value");
        }
        assert_eq!(line["Format"], "JPEG");
        assert_eq!(line["BytesRead"], 4096);
        assert_eq!(line["ExtractMillis"], 15);
        assert_eq!(line["Failures"], 0);
        let failed = metrics(&record(Some("bad")), Duration::ZERO, now);
        assert_eq!((failed["Format"].as_str(), failed["Failures"].as_u64()), (Some("none"), Some(1)));
    }

    #[test]
    fn the_log_line_says_what_happened() {
        let line = object_log(&record(Some("truncated file")), "failed", Duration::from_millis(7));
        assert_eq!(line["key"], "k.jpg");
        assert_eq!(line["bytes"], 4096);
        assert_eq!(line["requests"], 2);
        assert_eq!(line["millis"], 7);
        assert_eq!(line["outcome"], "failed");
        assert_eq!(line["error"], "truncated file");
        assert!(object_log(&record(None), "written", Duration::ZERO).get("error").is_none());
    }
}

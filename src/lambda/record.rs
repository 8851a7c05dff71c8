//! One object's result, ready for every output: which object it is, what reading it cost,
//! and its metadata as JSON in the configured shape (or why extraction failed).

use super::config::OutputMode;
use super::order::{Stamp, normalize_sequencer};
use crate::Metadata;
use crate::base::date::civil;
use crate::output::{ExifToolObject, ExifToolOptions, NativeObject};
use crate::source::ReadStats;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::time::{SystemTime, UNIX_EPOCH};

/// Which object a record is about: what an S3 event or a Batch Operations task names.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ObjectId {
    /// The bucket name.
    pub bucket: String,
    /// The object key, decoded (never URL-encoded).
    pub key: String,
    /// The version, in a versioned bucket.
    pub version_id: Option<String>,
    /// The entity tag, without quotes.
    pub etag: Option<String>,
    /// The object size in bytes.
    pub size: Option<u64>,
    /// S3's ordering token for events on this key, as the event sent it.
    pub sequencer: Option<String>,
    /// When S3 says the change happened (RFC 3339), as the event sent it.
    pub event_time: Option<String>,
}

impl ObjectId {
    /// `s3://bucket/key`: the item's partition key and the `SourceFile` of the metadata.
    pub fn uri(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.key)
    }

    /// [`ObjectId::sequencer`] normalised for comparison (see [`super::order`]).
    pub fn normalized_sequencer(&self) -> Option<String> {
        self.sequencer.as_deref().and_then(normalize_sequencer)
    }

    /// [`ObjectId::event_time`] in the fixed-width form `extracted_at` uses, when it is a
    /// UTC time (`...Z`, as S3 and EventBridge write it); `None` otherwise.
    pub fn normalized_event_time(&self) -> Option<String> {
        self.event_time.as_deref().and_then(normalize_utc)
    }
}

/// One object's extraction result, as every output writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectRecord {
    /// The object.
    #[serde(flatten)]
    pub object: ObjectId,
    /// The detected format's name (`JPEG`, `MP4`...); `None` when extraction failed.
    pub format: Option<String>,
    /// Its MIME type; `None` when extraction failed.
    pub mime: Option<String>,
    /// When extraction started (before the first read), RFC 3339 UTC with milliseconds:
    /// starting before the first read is what lets a delete be ordered against it
    /// ([`super::order::delete_applies`]).
    pub extracted_at: String,
    /// What produced the metadata: `metasift/VERSION MODE` (see [`super::order`]).
    pub extractor: String,
    /// Bytes read from the object.
    pub bytes_read: u64,
    /// Read requests (ranged GETs) made.
    pub requests: u64,
    /// The typed summary as metasift's JSON writes it (an empty object on failure): what
    /// notifications carry and what a truncated item keeps.
    pub summary: Json,
    /// The metadata in the configured shape; on failure, the error object the command
    /// line prints (`SourceFile` and `Error`).
    pub metadata: Json,
    /// Why extraction failed, when it did.
    pub error: Option<String>,
}

impl ObjectRecord {
    /// The record of a successful extraction of `object`, started at `started`.
    pub fn extracted(object: ObjectId, meta: &Metadata, output: OutputMode, started: SystemTime) -> Self {
        let source = object.uri();
        let metadata = match output {
            OutputMode::Native => to_json(&NativeObject::new(meta, &source)),
            OutputMode::ExifTool => {
                let mut obj =
                    ExifToolObject::new(meta, &source, ExifToolOptions::default().with_groups(true));
                // As the command line does: ExifTool reports its first warning.
                if let Some(w) = meta.warnings.first() {
                    obj.insert_text("ExifTool:Warning", &w.message);
                }
                to_json(&obj)
            }
        };
        ObjectRecord {
            format: Some(meta.format.name().to_owned()),
            mime: Some(meta.mime.to_owned()),
            extracted_at: rfc3339_utc(started),
            extractor: extractor(output),
            bytes_read: meta.stats.source_bytes,
            requests: meta.stats.source_reads,
            summary: to_json(&meta.summary),
            metadata,
            error: None,
            object,
        }
    }

    /// The record of an extraction of `object` that failed with `error` after reading
    /// what `stats` counts. Only failures that retrying cannot fix belong here (an
    /// unrecognised or broken file); a failed read is the handler's to retry.
    pub fn failed(
        object: ObjectId,
        error: &dyn std::fmt::Display,
        stats: ReadStats,
        output: OutputMode,
        started: SystemTime,
    ) -> Self {
        let message = error.to_string();
        let mut metadata = Map::new();
        metadata.insert("SourceFile".into(), Json::String(object.uri()));
        let key = if output == OutputMode::ExifTool { "ExifTool:Error" } else { "Error" };
        metadata.insert(key.into(), Json::String(message.clone()));
        ObjectRecord {
            format: None,
            mime: None,
            extracted_at: rfc3339_utc(started),
            extractor: extractor(output),
            bytes_read: stats.source_bytes,
            requests: stats.source_reads,
            summary: Json::Object(Map::new()),
            metadata: Json::Object(metadata),
            error: Some(message),
            object,
        }
    }

    /// What orders this record against another write about the same object.
    pub fn stamp(&self) -> Stamp {
        Stamp {
            sequencer: self.object.normalized_sequencer(),
            etag: self.object.etag.clone(),
            version_id: self.object.version_id.clone(),
            extractor: self.extractor.clone(),
            extracted_at: self.extracted_at.clone(),
        }
    }

    /// Whether the summary holds a GPS position.
    pub fn has_gps(&self) -> bool {
        self.summary.get("gps").is_some_and(|g| !g.is_null())
    }
}

/// `metasift/VERSION MODE`: a re-run with another version or mode is new metadata.
fn extractor(output: OutputMode) -> String {
    format!("metasift/{} {}", env!("CARGO_PKG_VERSION"), output.name())
}

/// `value` as a JSON value. Serializing the model cannot fail (string keys, no non-finite
/// numbers reach it: serde_json writes them as null); `Null` stands in if it ever did.
fn to_json(value: &impl Serialize) -> Json {
    serde_json::to_value(value).unwrap_or(Json::Null)
}

/// `time` as `YYYY-MM-DDTHH:MM:SS.mmmZ`: fixed width, so that string order is time order.
/// Times before 1970 (a clock gone wrong) are written as the epoch.
pub fn rfc3339_utc(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = i64::try_from(since.as_secs()).unwrap_or(i64::MAX / 2);
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z", since.subsec_millis())
}

/// A UTC RFC 3339 time (`YYYY-MM-DDTHH:MM:SS[.fff...]Z`) in [`rfc3339_utc`]'s fixed-width
/// form: the fraction cut or padded to milliseconds. `None` for other shapes (offsets other
/// than `Z` would need converting, and S3 never sends them).
pub fn normalize_utc(time: &str) -> Option<String> {
    let body = time.trim().strip_suffix('Z').or_else(|| time.trim().strip_suffix('z'))?;
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    let shape_ok = whole.len() == 19
        && whole.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T' || b == b't',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis: String = fraction.chars().chain(std::iter::repeat('0')).take(3).collect();
    Some(format!("{}T{}.{millis}Z", whole.get(..10)?, whole.get(11..)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn times_are_fixed_width_utc() {
        assert_eq!(rfc3339_utc(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_718_451_045_123);
        assert_eq!(rfc3339_utc(t), "2024-06-15T11:30:45.123Z");
        assert_eq!(rfc3339_utc(UNIX_EPOCH - Duration::from_secs(5)), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn event_times_normalise_to_milliseconds() {
        assert_eq!(normalize_utc("2024-06-15T11:30:45Z").as_deref(), Some("2024-06-15T11:30:45.000Z"));
        assert_eq!(normalize_utc("2024-06-15T11:30:45.1Z").as_deref(), Some("2024-06-15T11:30:45.100Z"));
        assert_eq!(normalize_utc("2024-06-15T11:30:45.123456Z").as_deref(), Some("2024-06-15T11:30:45.123Z"));
        assert_eq!(normalize_utc("2024-06-15T11:30:45+02:00"), None);
        assert_eq!(normalize_utc("yesterday"), None);
        assert_eq!(normalize_utc("2024-06-15T11:30:45.x1Z"), None);
    }

    #[test]
    fn records_carry_both_output_shapes_and_failures() {
        let meta = crate::extract_path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/canon_full.jpg"))
            .unwrap();
        let id = ObjectId { bucket: "b".into(), key: "a/c.jpg".into(), ..ObjectId::default() };
        let native = ObjectRecord::extracted(id.clone(), &meta, OutputMode::Native, UNIX_EPOCH);
        assert_eq!(native.metadata["SourceFile"], "s3://b/a/c.jpg");
        assert_eq!(native.metadata["summary"], native.summary);
        assert_eq!(native.format.as_deref(), Some("JPEG"));
        assert!(native.has_gps());
        assert!(native.extractor.ends_with(" native"));
        let exif = ObjectRecord::extracted(id.clone(), &meta, OutputMode::ExifTool, UNIX_EPOCH);
        assert_eq!(exif.metadata["EXIF:Make"], "Canon");
        let failed =
            ObjectRecord::failed(id, &"not a file", ReadStats::default(), OutputMode::ExifTool, UNIX_EPOCH);
        assert_eq!(failed.metadata["ExifTool:Error"], "not a file");
        assert_eq!(failed.error.as_deref(), Some("not a file"));
        assert!(!failed.has_gps());
    }
}

//! The sidecar: the JSON object written beside (or apart from) each object, holding its
//! metadata, or the reason it could not be read, in a small envelope that says which
//! generation it describes and what reading it cost.
//!
//! ```json
//! {
//!   "bucket": "photos", "name": "2024/beach.jpg", "generation": "1700000000000001",
//!   "content_type": "image/jpeg", "size": 19718,
//!   "extracted_at": "2024-05-01T12:00:00.123Z", "bytes_read": 19718, "requests": 1,
//!   "metasift": "0.1.0", "output": "native",
//!   "metadata": { "SourceFile": "gs://photos/2024/beach.jpg", "format": "JPEG", ... }
//! }
//! ```
//!
//! A file metasift cannot read gets `"error": "unrecognized input: ..."` instead of
//! `output` and `metadata`.

use super::config::SidecarOutput;
use super::event::StorageObject;
use crate::error::Error;
use crate::model::Metadata;
use crate::output::{ExifToolObject, ExifToolOptions, NativeObject};
use serde::Serialize;
use std::time::{SystemTime, UNIX_EPOCH};

/// What reading the object cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Cost {
    /// The object's size, as the first ranged GET reported it.
    pub size: Option<u64>,
    /// Bytes fetched.
    pub bytes_read: u64,
    /// GETs sent, retries included.
    pub requests: u64,
}

#[derive(Serialize)]
struct Envelope<'a, M: Serialize> {
    bucket: &'a str,
    name: &'a str,
    /// A string, as Cloud Storage writes int64 values in JSON.
    generation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
    extracted_at: String,
    bytes_read: u64,
    requests: u64,
    metasift: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<M>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl<'a, M: Serialize> Envelope<'a, M> {
    fn new(object: &'a StorageObject, cost: Cost) -> Self {
        Envelope {
            bucket: &object.bucket,
            name: &object.name,
            generation: object.generation.to_string(),
            content_type: object.content_type.as_deref(),
            size: cost.size,
            extracted_at: rfc3339(SystemTime::now()),
            bytes_read: cost.bytes_read,
            requests: cost.requests,
            metasift: env!("CARGO_PKG_VERSION"),
            output: None,
            metadata: None,
            error: None,
        }
    }
}

/// The sidecar of an object read: its metadata in the configured shape.
pub(crate) fn metadata_sidecar(
    object: &StorageObject,
    meta: &Metadata,
    output: SidecarOutput,
    cost: Cost,
) -> serde_json::Result<Vec<u8>> {
    let source_file = format!("gs://{}/{}", object.bucket, object.name);
    match output {
        SidecarOutput::Native => {
            let mut env = Envelope::new(object, cost);
            env.output = Some(output.as_str());
            env.metadata = Some(NativeObject::new(meta, &source_file));
            serde_json::to_vec_pretty(&env)
        }
        SidecarOutput::ExifTool => {
            let mut obj = ExifToolObject::new(meta, &source_file, ExifToolOptions::default());
            // As `exiftool` (and the `metasift --exiftool` command) report the first one.
            if let Some(w) = meta.warnings.first() {
                obj.insert_text("ExifTool:Warning", &w.message);
            }
            let mut env = Envelope::new(object, cost);
            env.output = Some(output.as_str());
            env.metadata = Some(obj);
            serde_json::to_vec_pretty(&env)
        }
    }
}

/// The sidecar of an object metasift could not read: why, so that nobody asks again.
pub(crate) fn error_sidecar(object: &StorageObject, err: &Error, cost: Cost) -> serde_json::Result<Vec<u8>> {
    let mut env: Envelope<'_, ()> = Envelope::new(object, cost);
    env.error = Some(err.to_string());
    serde_json::to_vec_pretty(&env)
}

/// `2024-05-01T12:00:00.123Z`.
pub(crate) fn rfc3339(t: SystemTime) -> String {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = i64::try_from(since.as_secs()).unwrap_or(0);
    let (y, mo, d, h, mi, s) = crate::base::date::civil(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z", since.subsec_millis())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn object() -> StorageObject {
        StorageObject {
            bucket: "photos".into(),
            name: "a.jpg".into(),
            generation: 17,
            metageneration: None,
            size: None,
            content_type: Some("image/jpeg".into()),
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(951_782_400_250);
        assert_eq!(rfc3339(t), "2000-02-29T00:00:00.250Z");
    }

    #[test]
    fn both_shapes_and_the_error_sidecar() {
        let meta = crate::extract_bytes(&[0xFF, 0xD8, 0xFF, 0xD9]).unwrap();
        let cost = Cost { size: Some(4), bytes_read: 4, requests: 1 };
        for (output, key) in [(SidecarOutput::Native, "format"), (SidecarOutput::ExifTool, "File:FileType")] {
            let body = metadata_sidecar(&object(), &meta, output, cost).unwrap();
            let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!((json["generation"].as_str(), json["requests"].as_u64()), (Some("17"), Some(1)));
            assert_eq!(json["output"], output.as_str());
            assert_eq!(json["metadata"]["SourceFile"], "gs://photos/a.jpg");
            assert_eq!(json["metadata"][key], "JPEG");
            assert!(json.get("error").is_none());
        }
        let err = crate::extract_bytes(b"\x00\x9f\x13\x37\xfe\x01\x80\x7f\x00\x00\x11\x22").unwrap_err();
        let json: serde_json::Value =
            serde_json::from_slice(&error_sidecar(&object(), &err, cost).unwrap()).unwrap();
        assert!(json["error"].as_str().unwrap().starts_with("unrecognized input"), "{json}");
        assert!(json.get("metadata").is_none() && json.get("output").is_none());
    }
}

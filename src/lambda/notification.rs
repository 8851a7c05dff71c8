//! The two shapes in which S3 reports a change to one object: the records of an S3 event
//! notification, and an EventBridge event from `aws.s3`. Both become [`ObjectEvent`]s.
//!
//! The structs here are lenient on purpose: every field is optional to serde, because
//! real events and local stand-ins (moto sends no `versionId`, `sequencer` nor
//! `userIdentity`) leave out fields that stricter types require. Only what names the
//! object (bucket and key) and what says what happened (the event name) are checked,
//! by hand, with an error that names the field.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::EventError;
use super::key::decode_key;

/// One change to one object, whichever way it was delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectEvent {
    /// The bucket name.
    pub bucket: String,
    /// The object key, decoded: `photos/beach day.jpg`, never `photos/beach+day.jpg`.
    pub key: String,
    /// The version the event is about, in a versioned bucket.
    pub version_id: Option<String>,
    /// The entity tag, as S3 sends it (without quotes).
    pub etag: Option<String>,
    /// The object size in bytes (absent from most removal events).
    pub size: Option<u64>,
    /// S3's ordering token for events on one key: compare two of them, after right-padding
    /// the shorter with zeros, to know which event happened later.
    pub sequencer: Option<String>,
    /// When S3 finished the request (ISO 8601, as sent).
    pub event_time: Option<String>,
    /// Whether the object was created or removed.
    pub kind: ObjectEventKind,
}

/// What happened to the object.
///
/// Only these two matter to a metadata index: other S3 events (restores, tagging, ACL
/// changes, storage-class transitions, replication) leave the object's bytes as they were,
/// and are dropped while parsing rather than returned, so that a handler never has to
/// ignore them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ObjectEventKind {
    /// `ObjectCreated:*` (Put, Post, Copy, CompleteMultipartUpload), or EventBridge
    /// "Object Created".
    Created,
    /// `ObjectRemoved:*` (Delete, DeleteMarkerCreated), `LifecycleExpiration:*`, or
    /// EventBridge "Object Deleted".
    Removed,
}

impl ObjectEventKind {
    /// The kind of an S3 notification `eventName`, or `None` for events that leave the
    /// object as it was. MinIO and Ceph prefix the names with `s3:`; AWS does not.
    fn from_event_name(name: &str) -> Option<Self> {
        let name = name.strip_prefix("s3:").unwrap_or(name);
        let family = name.split(':').next().unwrap_or(name);
        match family {
            "ObjectCreated" => Some(ObjectEventKind::Created),
            // An expiry removes the object as surely as a DELETE request does.
            "ObjectRemoved" | "LifecycleExpiration" => Some(ObjectEventKind::Removed),
            _ => None,
        }
    }

    /// The kind of an EventBridge `detail-type` from `aws.s3`.
    fn from_detail_type(detail_type: &str) -> Option<Self> {
        match detail_type {
            "Object Created" => Some(ObjectEventKind::Created),
            "Object Deleted" => Some(ObjectEventKind::Removed),
            _ => None,
        }
    }
}

/// One entry of `Records[]` in an S3 event notification.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct S3Record {
    event_name: Option<String>,
    event_time: Option<String>,
    s3: Option<S3Entity>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct S3Entity {
    bucket: Option<BucketRef>,
    object: Option<S3Object>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BucketRef {
    name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct S3Object {
    key: Option<String>,
    // A number in real events; AWS's own schema page writes it as a string, so both pass.
    size: Option<Value>,
    e_tag: Option<String>,
    version_id: Option<String>,
    sequencer: Option<String>,
}

/// An EventBridge event; only those from `source` `aws.s3` come here.
#[derive(Deserialize, Default)]
#[serde(default)]
struct EventBridgeEvent {
    #[serde(rename = "detail-type")]
    detail_type: Option<String>,
    time: Option<String>,
    detail: Option<EventBridgeDetail>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EventBridgeDetail {
    bucket: Option<BucketRef>,
    object: Option<EventBridgeObject>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EventBridgeObject {
    key: Option<String>,
    size: Option<Value>,
    etag: Option<String>,
    #[serde(rename = "version-id")]
    version_id: Option<String>,
    sequencer: Option<String>,
}

/// The object event of one S3 notification record (at `place`, a JSON path), or `None`
/// for an event that does not change the object.
pub(crate) fn from_s3_record(record: &Value, place: &str) -> Result<Option<ObjectEvent>, EventError> {
    let record = S3Record::deserialize(record).map_err(|e| EventError::malformed(place, e))?;
    let name = record.event_name.ok_or_else(|| EventError::malformed(place, "missing eventName"))?;
    let Some(kind) = ObjectEventKind::from_event_name(&name) else {
        return Ok(None);
    };
    let s3 = record.s3.unwrap_or_default();
    let bucket = s3.bucket.and_then(|b| b.name);
    let bucket = bucket.ok_or_else(|| EventError::malformed(place, "missing s3.bucket.name"))?;
    let object = s3.object.unwrap_or_default();
    let key = object.key.ok_or_else(|| EventError::malformed(place, "missing s3.object.key"))?;
    Ok(Some(ObjectEvent {
        bucket,
        key: decode_key(&key),
        version_id: object.version_id,
        etag: object.e_tag,
        size: size_of(object.size.as_ref(), place, "s3.object.size")?,
        sequencer: object.sequencer,
        event_time: record.event_time,
        kind,
    }))
}

/// The object event of an EventBridge event from `aws.s3`, or `None` for a detail type
/// that does not change the object. Its key is not URL-encoded and is kept as sent.
pub(crate) fn from_eventbridge(event: &Value) -> Result<Option<ObjectEvent>, EventError> {
    let event =
        EventBridgeEvent::deserialize(event).map_err(|e| EventError::malformed("EventBridge event", e))?;
    let detail_type = event.detail_type.unwrap_or_default();
    let Some(kind) = ObjectEventKind::from_detail_type(&detail_type) else {
        return Ok(None);
    };
    let detail = event.detail.unwrap_or_default();
    let bucket = detail.bucket.and_then(|b| b.name);
    let bucket = bucket.ok_or_else(|| EventError::malformed("detail", "missing bucket.name"))?;
    let object = detail.object.unwrap_or_default();
    let key = object.key.ok_or_else(|| EventError::malformed("detail", "missing object.key"))?;
    Ok(Some(ObjectEvent {
        bucket,
        key,
        version_id: object.version_id,
        etag: object.etag,
        size: size_of(object.size.as_ref(), "detail", "object.size")?,
        sequencer: object.sequencer,
        event_time: event.time,
        kind,
    }))
}

/// A size sent as a number or as a decimal string; anything else is malformed.
fn size_of(size: Option<&Value>, place: &str, field: &str) -> Result<Option<u64>, EventError> {
    let parsed = match size {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.parse().ok(),
        Some(_) => None,
    };
    match parsed {
        Some(n) => Ok(Some(n)),
        None => Err(EventError::malformed(place, format!("{field} is not a byte count"))),
    }
}

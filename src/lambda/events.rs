//! Recognising what a Lambda was invoked with, and the SQS partial-batch response.
//!
//! The shapes, by what gives them away:
//!
//! | payload | recognised by | becomes |
//! | --- | --- | --- |
//! | S3 event notification | `Records[].eventSource` "aws:s3" | [`Invocation::Objects`] |
//! | SNS delivery | `Records[].EventSource` "aws:sns"; `Sns.Message` holds an S3 or EventBridge event | [`Invocation::Objects`] |
//! | EventBridge event | `source` "aws.s3" and a `detail-type` | [`Invocation::Objects`] |
//! | S3 test event | `Event` "s3:TestEvent" | [`Invocation::Objects`], empty |
//! | SQS batch | `Records[].eventSource` "aws:sqs"; each `body` one of the above, or an SNS envelope (`Type` "Notification") around one | [`Invocation::Sqs`] |
//! | S3 Batch Operations | `invocationSchemaVersion` and `tasks` | [`Invocation::BatchOperations`] |

use serde::Deserialize;
use serde_json::{Value, json};

use super::batch::{BatchJob, parse_job};
use super::error::EventError;
use super::notification::{ObjectEvent, from_eventbridge, from_s3_record};

/// What the Lambda was asked to do, as recognised by [`parse_invocation`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// Objects to index or forget, from an S3 notification, an SNS delivery or an
    /// EventBridge event. Empty for an S3 test event, and for events that do not change
    /// an object (restores, tagging...): there is nothing to do, and nothing failed.
    Objects(Vec<ObjectEvent>),
    /// An SQS batch: each message on its own, so that a handler can report the messages
    /// that failed, and only those, in [`sqs_batch_response`].
    Sqs(Vec<SqsMessage>),
    /// One invocation of an S3 Batch Operations job; answer it with
    /// [`batch_response`](super::batch_response).
    BatchOperations(BatchJob),
}

/// One message of an SQS batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqsMessage {
    /// `messageId`, the name of the message in `batchItemFailures`.
    pub message_id: String,
    /// The objects its body names (none for an S3 test event), or why the body could not
    /// be read. A broken body fails only its own message, never the batch.
    pub objects: Result<Vec<ObjectEvent>, EventError>,
    /// `attributes.ApproximateReceiveCount`: how many times SQS has delivered the message
    /// (1 when absent). A handler gives up retrying a message that keeps failing.
    pub receive_count: u32,
}

/// Recognises the JSON a Lambda was invoked with and reads the objects it names.
///
/// An error means the whole invocation is unusable: a shape the adapter does not know, or
/// a record of an S3, SNS or Batch Operations event that names no object (its bucket or
/// key missing). Inside an SQS batch, a message that cannot be read is not an error of the
/// invocation: it is kept, with its error, in [`SqsMessage::objects`].
pub fn parse_invocation(payload: &Value) -> Result<Invocation, EventError> {
    let Some(fields) = payload.as_object() else {
        return Err(EventError::unrecognised(Some(format!("a JSON {}", type_name(payload)))));
    };
    if let Some(records) = fields.get("Records") {
        return parse_records(records);
    }
    if fields.contains_key("invocationSchemaVersion") && fields.contains_key("tasks") {
        return parse_job(payload).map(Invocation::BatchOperations);
    }
    if is_eventbridge_s3(payload) {
        return Ok(Invocation::Objects(from_eventbridge(payload)?.into_iter().collect()));
    }
    if is_test_event(payload) {
        return Ok(Invocation::Objects(Vec::new()));
    }
    Err(EventError::unrecognised(None))
}

/// The SQS partial batch response: `{"batchItemFailures":[{"itemIdentifier":"<id>"}]}`.
///
/// Lambda deletes every message of the batch except those named here, which return to
/// the queue (and, after the redrive policy's count, to its dead-letter queue). An empty
/// list means the whole batch succeeded. The event source mapping must have
/// `ReportBatchItemFailures` enabled, or Lambda ignores this answer.
pub fn sqs_batch_response<I, S>(failed_message_ids: I) -> Value
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let failures: Vec<Value> =
        failed_message_ids.into_iter().map(|id| json!({ "itemIdentifier": id.as_ref() })).collect();
    json!({ "batchItemFailures": failures })
}

/// Where a record came from, by its `eventSource` (`EventSource` in SNS deliveries).
#[derive(Clone, Copy, PartialEq, Eq)]
enum RecordSource {
    S3,
    Sns,
    Sqs,
}

fn record_source(record: &Value) -> Option<RecordSource> {
    let source = record.get("eventSource").or_else(|| record.get("EventSource"));
    match source.and_then(Value::as_str)? {
        "aws:s3" => Some(RecordSource::S3),
        "aws:sns" => Some(RecordSource::Sns),
        "aws:sqs" => Some(RecordSource::Sqs),
        _ => None,
    }
}

/// A top-level `Records` array: all SQS messages, or S3 and SNS records (which Lambda
/// never mixes, but both name objects, so a mix would still mean something).
fn parse_records(records: &Value) -> Result<Invocation, EventError> {
    let Some(records) = records.as_array() else {
        return Err(EventError::unrecognised(Some(format!("Records is a JSON {}", type_name(records)))));
    };
    let mut sources = Vec::new();
    for (i, record) in records.iter().enumerate() {
        let Some(source) = record_source(record) else {
            // Only a string is quoted back: an object here could be of any size.
            let seen = match record.get("eventSource").or_else(|| record.get("EventSource")) {
                Some(Value::String(s)) => format!("eventSource {s:?}"),
                Some(other) => format!("an eventSource that is a JSON {}", type_name(other)),
                None => "no eventSource".to_owned(),
            };
            return Err(EventError::unrecognised(Some(format!("Records[{i}] has {seen}"))));
        };
        sources.push(source);
    }
    let sqs = sources.iter().filter(|s| **s == RecordSource::Sqs).count();
    if sqs > 0 && sqs < sources.len() {
        return Err(EventError::malformed("Records", "SQS messages mixed with S3 or SNS records"));
    }
    if sqs > 0 {
        let messages = records.iter().enumerate().map(|(i, r)| sqs_message(r, i));
        return messages.collect::<Result<_, _>>().map(Invocation::Sqs);
    }
    let mut objects = Vec::new();
    for (i, (record, source)) in records.iter().zip(sources).enumerate() {
        let place = format!("Records[{i}]");
        match source {
            RecordSource::S3 => objects.extend(from_s3_record(record, &place)?),
            RecordSource::Sns => objects.extend(sns_record(record, &place)?),
            RecordSource::Sqs => {}
        }
    }
    Ok(Invocation::Objects(objects))
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct SqsRecord {
    message_id: Option<String>,
    body: Option<String>,
    attributes: SqsAttributes,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SqsAttributes {
    /// A string of digits in real events.
    #[serde(rename = "ApproximateReceiveCount")]
    receive_count: Option<String>,
}

/// One SQS record. Only a missing `messageId` fails the batch: without it the message
/// cannot be named in `batchItemFailures`, and failing the batch is the only way to keep
/// it from being deleted.
fn sqs_message(record: &Value, i: usize) -> Result<SqsMessage, EventError> {
    let place = format!("Records[{i}]");
    let record = SqsRecord::deserialize(record).map_err(|e| EventError::malformed(&place, e))?;
    let message_id = record.message_id.ok_or_else(|| EventError::malformed(&place, "missing messageId"))?;
    let objects = match record.body {
        Some(body) => parse_body(&body, Envelope::Allowed).map_err(|e| e.within("body")),
        None => Err(EventError::malformed(&place, "missing body")),
    };
    let receive_count = record.attributes.receive_count.and_then(|n| n.trim().parse().ok()).unwrap_or(1);
    Ok(SqsMessage { message_id, objects, receive_count })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SnsRecord {
    #[serde(rename = "Sns")]
    sns: Option<SnsMessage>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SnsMessage {
    #[serde(rename = "Message")]
    message: Option<String>,
}

/// One SNS record delivered to the Lambda directly: its `Sns.Message` holds the event.
fn sns_record(record: &Value, place: &str) -> Result<Vec<ObjectEvent>, EventError> {
    let record = SnsRecord::deserialize(record).map_err(|e| EventError::malformed(place, e))?;
    let message = record.sns.and_then(|s| s.message);
    let message = message.ok_or_else(|| EventError::malformed(place, "missing Sns.Message"))?;
    parse_body(&message, Envelope::Refused).map_err(|e| e.within(format!("{place}.Sns.Message")))
}

/// Whether a body may be an SNS envelope. SNS wraps once: an envelope inside an envelope
/// is not something AWS sends, so the recursion stops after one level.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Envelope {
    Allowed,
    Refused,
}

/// The objects named by a message body (SQS) or message (SNS): JSON text holding an S3
/// event notification, an EventBridge event, an S3 test event or, if `envelope` allows,
/// an SNS envelope around one of those.
fn parse_body(text: &str, envelope: Envelope) -> Result<Vec<ObjectEvent>, EventError> {
    let value: Value = serde_json::from_str(text).map_err(|e| EventError::malformed("not JSON", e))?;
    if let Some(records) = value.get("Records") {
        let Some(records) = records.as_array() else {
            return Err(EventError::malformed("Records", "not an array"));
        };
        let mut objects = Vec::new();
        for (i, record) in records.iter().enumerate() {
            let place = format!("Records[{i}]");
            if record_source(record) != Some(RecordSource::S3) {
                return Err(EventError::malformed(
                    place,
                    "not an S3 event record (eventSource is not aws:s3)",
                ));
            }
            objects.extend(from_s3_record(record, &place)?);
        }
        return Ok(objects);
    }
    if is_eventbridge_s3(&value) {
        return Ok(from_eventbridge(&value)?.into_iter().collect());
    }
    if is_test_event(&value) {
        return Ok(Vec::new());
    }
    if envelope == Envelope::Allowed && value.get("Type").and_then(Value::as_str) == Some("Notification") {
        let message = value.get("Message").and_then(Value::as_str);
        let message = message.ok_or_else(|| EventError::malformed("SNS envelope", "missing Message"))?;
        return parse_body(message, Envelope::Refused).map_err(|e| e.within("Message"));
    }
    Err(EventError::unrecognised_body(
        "unrecognised message: neither an S3 event notification, an EventBridge event from \
         aws.s3, an SNS notification nor an S3 test event",
    ))
}

/// An EventBridge event sent by S3 (any detail type; only some name a change).
fn is_eventbridge_s3(value: &Value) -> bool {
    value.get("source").and_then(Value::as_str) == Some("aws.s3") && value.get("detail-type").is_some()
}

/// The `s3:TestEvent` S3 sends when a notification configuration is saved.
fn is_test_event(value: &Value) -> bool {
    value.get("Event").and_then(Value::as_str) == Some("s3:TestEvent")
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

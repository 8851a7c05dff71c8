//! The AWS Lambda adapter (feature `lambda`): the layer that reads what the function was
//! invoked with and writes what it answers.
//!
//! A metasift Lambda is told about objects in S3 in one of several ways, depending on how
//! it was wired: S3 event notifications sent to it directly, through SNS or through SQS;
//! EventBridge rules (directly or through SQS); or an S3 Batch Operations job run over a
//! manifest of existing objects. [`parse_invocation`] recognises which, from the JSON alone,
//! and returns the objects named, with their keys decoded (S3 URL-encodes them in
//! notifications and in Batch Operations tasks, not in EventBridge events).
//!
//! Two of the ways expect an answer that says what failed:
//! [`sqs_batch_response`] names the SQS messages to retry (the others are deleted), and
//! [`batch_response`] gives each Batch Operations task its result.
//!
//! ```
//! use metasift::lambda::{Invocation, ObjectEventKind, parse_invocation, sqs_batch_response};
//! use serde_json::json;
//!
//! let body = r#"{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put",
//!     "s3":{"bucket":{"name":"media"},"object":{"key":"beach+day.jpg","size":4}}}]}"#;
//! let event = json!({"Records": [
//!     {"eventSource": "aws:sqs", "messageId": "m-1", "body": body},
//!     {"eventSource": "aws:sqs", "messageId": "m-2", "body": "not json"},
//! ]});
//! let Invocation::Sqs(messages) = parse_invocation(&event)? else { unreachable!() };
//! let objects = messages[0].objects.as_ref().unwrap();
//! assert_eq!(objects[0].key, "beach day.jpg");
//! assert_eq!(objects[0].kind, ObjectEventKind::Created);
//! // The broken message fails alone.
//! let failed = messages.iter().filter(|m| m.objects.is_err()).map(|m| &m.message_id);
//! assert_eq!(sqs_batch_response(failed), json!({"batchItemFailures": [{"itemIdentifier": "m-2"}]}));
//! # Ok::<(), metasift::lambda::EventError>(())
//! ```
//!
//! The event layer is pure: it reads and builds `serde_json` values and does no I/O.
//! [`plan`] turns an invocation into jobs and their outcomes into the answer.
//!
//! The output side: given an object and what was extracted from it (or why that
//! failed), [`outputs::deliver`] writes it where the function is configured to
//! ([`config`]): a DynamoDB item per object ([`item`], [`store`]), a JSON sidecar in S3
//! ([`sidecar`]) and an SNS notification ([`notify`]); [`outputs::remove`] undoes the
//! first two for a deleted object. [`logs`] gives the log and metric lines of each
//! object.
//!
//! [`Handler`] puts the two sides together: it is the function the `metasift-lambda`
//! program runs.
//!
//! Events arrive at least once and in any order. Every output is written only if the
//! record is newer than what the output already holds, by the rules in [`order`], so a
//! redelivered or late event changes nothing and is not announced twice.

mod batch;
pub mod config;
mod deliver_error;
mod error;
mod events;
pub mod handler;
pub mod item;
mod key;
pub mod logs;
mod notification;
pub mod notify;
pub mod order;
pub mod outputs;
pub mod plan;
pub mod record;
pub mod sidecar;
pub mod store;
#[cfg(test)]
mod tests;

pub use batch::{BatchJob, BatchResultCode, BatchTask, BatchTaskResult, batch_response};
pub use deliver_error::{DeliverError, Stage};
pub use error::{EventError, EventErrorKind};
pub use events::{Invocation, SqsMessage, parse_invocation, sqs_batch_response};
pub use handler::{Handler, HandlerError};
pub use key::decode_key;
pub use notification::{ObjectEvent, ObjectEventKind};

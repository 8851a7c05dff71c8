//! The one error type of the event layer: what was wrong, and where in the payload.

use std::fmt;

/// What kind of problem an [`EventError`] reports. Match on this rather than on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventErrorKind {
    /// The JSON is none of the shapes the adapter knows, so nothing in it can be trusted to
    /// name an object.
    Unrecognised,
    /// The shape was recognised but a field it needs is missing or has the wrong type, or
    /// a JSON string inside it (an SQS body, an SNS message) does not parse.
    Malformed,
}

/// An event the adapter could not turn into work: its kind and a message that says where
/// in the payload the problem is (`Records[2]: missing s3.object.key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventError {
    kind: EventErrorKind,
    message: String,
}

/// The message of every unrecognised top-level payload, so that logs can be searched for it.
const UNRECOGNISED: &str =
    "unrecognised event shape: neither S3, SQS, SNS, EventBridge nor S3 Batch Operations";

impl EventError {
    /// An unrecognised top-level payload; `detail` says what was seen instead, if anything.
    pub(crate) fn unrecognised(detail: Option<String>) -> Self {
        let message = match detail {
            Some(d) => format!("{UNRECOGNISED} ({d})"),
            None => UNRECOGNISED.to_owned(),
        };
        EventError { kind: EventErrorKind::Unrecognised, message }
    }

    /// An unrecognised message body (SQS body, SNS message), described by `message`.
    pub(crate) fn unrecognised_body(message: impl Into<String>) -> Self {
        EventError { kind: EventErrorKind::Unrecognised, message: message.into() }
    }

    /// A recognised shape with a missing or broken field, at `place` (a JSON path).
    pub(crate) fn malformed(place: impl fmt::Display, problem: impl fmt::Display) -> Self {
        EventError { kind: EventErrorKind::Malformed, message: format!("{place}: {problem}") }
    }

    /// The same error seen from one level up: `place` is where the inner JSON sat.
    pub(crate) fn within(self, place: impl fmt::Display) -> Self {
        EventError { kind: self.kind, message: format!("{place}: {}", self.message) }
    }

    /// The kind of problem.
    pub fn kind(&self) -> EventErrorKind {
        self.kind
    }

    /// The message alone (what [`Display`](fmt::Display) prints).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EventError {}

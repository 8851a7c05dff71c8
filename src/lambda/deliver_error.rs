//! The one error of the output side: which output failed, and the AWS error behind it.

use std::fmt;

/// Which output an error came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The DynamoDB item (write, delete, or the `notified` mark).
    Store,
    /// The S3 sidecar (look-up, write or delete).
    Sidecar,
    /// The SNS notification.
    Notify,
}

impl Stage {
    /// `store`, `sidecar` or `notify`.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Store => "store",
            Stage::Sidecar => "sidecar",
            Stage::Notify => "notify",
        }
    }
}

/// An output that could not be written. Throttling and server errors have already been
/// retried by the SDK when this is returned; the handler reports the object as failed so
/// that its event is delivered again. A redelivery is safe: every output is idempotent.
#[derive(Debug)]
pub struct DeliverError {
    stage: Stage,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl DeliverError {
    /// An error of `stage` with `message` (the cause's text included by the caller).
    pub(crate) fn new(stage: Stage, message: impl Into<String>) -> Self {
        DeliverError { stage, message: message.into(), source: None }
    }

    /// An error of `stage` caused by an SDK error, whose full context (service error code,
    /// request id) goes into the message.
    pub(crate) fn sdk<E>(stage: Stage, what: &str, err: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        let message = format!("{what}: {}", aws_sdk_dynamodb::error::DisplayErrorContext(&err));
        DeliverError { stage, message, source: Some(Box::new(err)) }
    }

    /// The output that failed.
    pub fn stage(&self) -> Stage {
        self.stage
    }
}

impl fmt::Display for DeliverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.stage.name(), self.message)
    }
}

impl std::error::Error for DeliverError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

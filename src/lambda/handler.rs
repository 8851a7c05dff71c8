//! The function itself: one invocation in, one answer out.
//!
//! [`Handler::handle`] recognises the invocation ([`parse_invocation`]), turns it into
//! jobs ([`plan::jobs`]), runs up to [`CONCURRENCY`] of them at a time, and answers with
//! [`plan::answer`]. One job is one object:
//!
//! - **Removed**: [`outputs::remove`], which keeps what is stored when it is newer than
//!   the delete.
//! - **Created**: skipped when the key is a sidecar (the function's own output); else read
//!   from S3 ([`extract_s3`], on a blocking thread, pinned to the event's version, with
//!   the event's size so that the head and the tail are fetched together) and delivered
//!   ([`outputs::deliver`]).
//!
//! How a failure ends, by whether trying again can help:
//!
//! | failure | outcome |
//! | --- | --- |
//! | the object (or its version) no longer exists | skipped |
//! | unrecognised, malformed, unsupported file; a limit hit | recorded (its error stored) |
//! | S3 I/O: throttling, timeouts, 5xx after the SDK's retries | retried; recorded on the last try |
//! | an output (DynamoDB, the sidecar, SNS) failed | retried |
//!
//! Limitation: in a versioned bucket, the permanent deletion of an *old* version is
//! reported like any delete. [`outputs::remove`] compares the delete with the stored
//! item's stamp (sequencer, else time) and keeps an item written after it, but an item
//! written *before* the old version was deleted is removed although a newer version is
//! still current. The next write of the key restores it; a HEAD before removing would
//! close the gap.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use serde_json::Value;
use tokio::runtime::Handle;
use tokio::task::JoinSet;

use super::config::Config;
use super::error::EventError;
use super::events::parse_invocation;
use super::logs;
use super::notification::{ObjectEvent, ObjectEventKind};
use super::outputs::{self, Clients};
use super::plan::{self, Job, Origin, Outcome, RetryInvocation};
use super::record::{ObjectId, ObjectRecord};
use super::sidecar::is_sidecar_key;
use super::store::RemoveOutcome;
use crate::remote::{S3Extraction, S3Object, extract_s3, is_not_found};
use crate::source::ReadStats;
use crate::{ErrorKind, Options};

/// Objects worked on at once: each holds a blocking thread while it reads, and the
/// Lambda's memory (the read cache of each) is shared between them.
pub const CONCURRENCY: usize = 8;

/// What makes an invocation fail as a whole.
///
/// Lambda then treats the invocation as failed, which never loops forever:
///
/// - an **asynchronous** invocation (S3, SNS, EventBridge) is tried twice more, then
///   dropped or sent to the function's on-failure destination or dead-letter queue;
/// - an **SQS** batch returns to the queue and is redriven to its dead-letter queue after
///   `maxReceiveCount` deliveries (but an SQS batch is always recognised: a broken
///   message fails alone, in `batchItemFailures`, never through this error);
/// - a **synchronous** call (`aws lambda invoke`, `cargo lambda invoke`) gets the error.
#[derive(Debug)]
pub enum HandlerError {
    /// The payload is not an invocation the function knows (or names no object).
    Unrecognised(EventError),
    /// A direct invocation with an object to retry: Lambda repeats the whole event (its
    /// other objects are then duplicates, and cost a read but no write).
    Retry(RetryInvocation),
}

impl std::fmt::Display for HandlerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HandlerError::Unrecognised(e) => write!(f, "unrecognised invocation: {e}"),
            HandlerError::Retry(e) => write!(f, "retry: {e}"),
        }
    }
}

impl std::error::Error for HandlerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HandlerError::Unrecognised(e) => Some(e),
            HandlerError::Retry(e) => Some(e),
        }
    }
}

/// The Lambda function: its clients, where it writes, and the extraction options.
#[derive(Debug, Clone)]
pub struct Handler {
    clients: Clients,
    s3: aws_sdk_s3::Client,
    config: Config,
    options: Options,
}

impl Handler {
    /// A handler writing to the outputs `config` names through `clients`, and reading
    /// objects with `clients.s3` (see [`Handler::with_read_client`]).
    pub fn new(clients: Clients, config: Config, options: Options) -> Handler {
        let s3 = clients.s3.clone();
        Handler { clients, s3, config, options }
    }

    /// Reads objects with `s3` instead: a client with read timeouts
    /// ([`s3_client_from_env`](crate::remote::s3_client_from_env)), or another account's.
    pub fn with_read_client(mut self, s3: aws_sdk_s3::Client) -> Handler {
        self.s3 = s3;
        self
    }

    /// Handles one invocation and returns the answer the invoker expects (see
    /// [`plan::answer`]). Must run on a multi-threaded tokio runtime.
    pub async fn handle(&self, payload: Value) -> Result<Value, HandlerError> {
        let invocation = match parse_invocation(&payload) {
            Ok(i) => i,
            Err(e) => {
                println!(
                    "{}",
                    serde_json::json!({"message": "unrecognised invocation", "error": e.to_string()})
                );
                return Err(HandlerError::Unrecognised(e));
            }
        };
        let (jobs, unreadable) = plan::jobs(&invocation);
        for (origin, e) in &unreadable {
            let id = match origin {
                Origin::Sqs(id) | Origin::Task(id) => id.clone(),
                Origin::Direct(i) => i.to_string(),
            };
            println!(
                "{}",
                serde_json::json!({"message": "unreadable message", "id": id, "error": e.to_string()})
            );
        }
        let outcomes = self.run_all(jobs).await;
        plan::answer(&invocation, &outcomes, &unreadable).map_err(HandlerError::Retry)
    }

    /// Runs `jobs`, [`CONCURRENCY`] at a time; a job whose task died (a panic) is retried.
    async fn run_all(&self, jobs: Vec<Job>) -> Vec<(Origin, Outcome)> {
        let this = Arc::new(self.clone());
        let mut pending = jobs.into_iter();
        let mut running = JoinSet::new();
        let mut origins = HashMap::new();
        let mut outcomes = Vec::new();
        loop {
            while running.len() < CONCURRENCY {
                let Some(job) = pending.next() else { break };
                let origin = job.origin.clone();
                let this = Arc::clone(&this);
                let task = running.spawn(async move { this.run(&job).await });
                origins.insert(task.id(), origin);
            }
            let Some(done) = running.join_next_with_id().await else { break };
            match done {
                Ok((id, outcome)) => outcomes.extend(origins.remove(&id).map(|o| (o, outcome))),
                Err(e) => {
                    let outcome = Outcome::Retry(format!("job failed: {e}"));
                    outcomes.extend(origins.remove(&e.id()).map(|o| (o, outcome)));
                }
            }
        }
        outcomes
    }

    /// One job, logged.
    async fn run(&self, job: &Job) -> Outcome {
        let clock = Instant::now();
        let object = object_id(&job.event);
        if job.event.kind == ObjectEventKind::Removed {
            let outcome = match outputs::remove(&self.clients, &self.config, &object).await {
                Ok(r) if r.store == RemoveOutcome::Kept || r.sidecar == RemoveOutcome::Kept => {
                    Outcome::Skipped("stored metadata is newer than the delete".into())
                }
                Ok(_) => Outcome::Done,
                Err(e) => Outcome::Retry(e.to_string()),
            };
            logs::emit_event(&object, &outcome_name("removed", &outcome), clock.elapsed());
            return outcome;
        }
        if is_sidecar_key(&object.bucket, &object.key, &self.config) {
            let outcome = Outcome::Skipped("a sidecar".into());
            logs::emit_event(&object, &outcome_name("", &outcome), clock.elapsed());
            return outcome;
        }
        self.index(job, object, clock).await
    }

    /// Reads, extracts and delivers one created object.
    async fn index(&self, job: &Job, mut object: ObjectId, clock: Instant) -> Outcome {
        // Before the first GET: a delete that S3 ordered after this moment is seen as
        // newer than what this read (see `order::delete_applies`).
        let started = SystemTime::now();
        let result = self.extract(&job.event).await;
        let record = match result {
            Ok(extraction) => {
                fill_from_read(&mut object, &extraction);
                ObjectRecord::extracted(object, &extraction.metadata, self.config.output, started)
            }
            Err(e) => {
                let transient = match &e {
                    Failure::Extract(err) if is_not_found(err) => {
                        let outcome = Outcome::Skipped("object no longer exists".into());
                        logs::emit_event(&object, &outcome_name("", &outcome), clock.elapsed());
                        return outcome;
                    }
                    Failure::Extract(err) => err.kind() == ErrorKind::Io,
                    Failure::Panicked(_) => true,
                };
                if transient && !job.last_try {
                    let outcome = Outcome::Retry(e.to_string());
                    logs::emit_event(&object, &outcome_name("", &outcome), clock.elapsed());
                    return outcome;
                }
                // Counts of a failed read are not kept by the error: none are reported.
                ObjectRecord::failed(object, &e, ReadStats::default(), self.config.output, started)
            }
        };
        let outcome = match outputs::deliver(&self.clients, &self.config, &record).await {
            Err(e) => Outcome::Retry(e.to_string()),
            Ok(out) => match (&record.error, out.name()) {
                (_, name @ ("duplicate" | "stale")) => Outcome::Skipped(name.to_owned()),
                (Some(error), _) => Outcome::Recorded(error.clone()),
                (None, _) => Outcome::Done,
            },
        };
        logs::emit(&record, &outcome_name("", &outcome), clock.elapsed());
        outcome
    }

    /// [`extract_s3`] of the event's object and version on a blocking thread.
    async fn extract(&self, event: &ObjectEvent) -> Result<S3Extraction, Failure> {
        let request = S3Object::new(event.bucket.clone(), event.key.clone())
            .with_version_id(event.version_id.clone())
            .with_known_size(event.size.filter(|s| *s > 0));
        let (client, options, handle) = (self.s3.clone(), self.options.clone(), Handle::current());
        let read = tokio::task::spawn_blocking(move || extract_s3(&client, &handle, &request, &options));
        match read.await {
            Ok(result) => result.map_err(Failure::Extract),
            Err(e) => Err(Failure::Panicked(e.to_string())),
        }
    }
}

/// Why an object could not be read.
#[derive(Debug)]
enum Failure {
    /// What the extraction said.
    Extract(crate::Error),
    /// The extraction's thread died: a bug, retried like an I/O error (recorded on the
    /// last try rather than crashing every delivery).
    Panicked(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Extract(e) => write!(f, "{e}"),
            Failure::Panicked(e) => write!(f, "extraction failed: {e}"),
        }
    }
}

/// The object an event names, as the outputs identify it.
fn object_id(event: &ObjectEvent) -> ObjectId {
    ObjectId {
        bucket: event.bucket.clone(),
        key: event.key.clone(),
        version_id: event.version_id.clone(),
        etag: event.etag.clone(),
        size: event.size,
        sequencer: event.sequencer.clone(),
        event_time: event.event_time.clone(),
    }
}

/// Fills what the event did not say (Batch Operations tasks name only the key) from the
/// version that was read.
fn fill_from_read(object: &mut ObjectId, read: &S3Extraction) {
    let info = &read.object;
    if object.etag.is_none() {
        object.etag = info.etag.as_deref().map(|e| e.trim_matches('"').to_owned());
    }
    if object.version_id.is_none() {
        object.version_id.clone_from(&info.version_id);
    }
    if object.size.is_none() {
        object.size = Some(info.size);
    }
}

/// The `outcome` of a log line: `written`, `skipped:duplicate`, `recorded`, `retry`...
fn outcome_name(done: &str, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Done if done.is_empty() => "written".to_owned(),
        Outcome::Done => done.to_owned(),
        Outcome::Skipped(why) => format!("skipped:{why}"),
        Outcome::Recorded(_) => "recorded".to_owned(),
        Outcome::Retry(_) => "retry".to_owned(),
    }
}

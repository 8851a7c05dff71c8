//! From an invocation to the objects to work on, and from their outcomes to the answer
//! the invoker expects. Pure: the handler does the I/O between the two.
//!
//! Failures are sorted by whether trying again can help. A file metasift cannot read
//! (unknown, corrupt, over a limit) is *recorded*, with its error, and counts as done: a
//! retry would fail the same way. A failure of the service around it (S3 throttling, a
//! timeout, DynamoDB unavailable) is *retried* through the invoker's own mechanism: the
//! message goes back to the queue, the Batch Operations task is run again, an
//! asynchronous invocation is repeated. A message that keeps failing is recorded after
//! [`MAX_DELIVERIES`] deliveries instead of looping until the queue's redrive policy.

use serde_json::{Value, json};

use super::batch::{BatchJob, BatchResultCode, BatchTaskResult, batch_response};
use super::error::EventError;
use super::events::{Invocation, sqs_batch_response};
use super::notification::{ObjectEvent, ObjectEventKind};

/// Deliveries of an SQS message after which a transient failure is recorded as the
/// object's error rather than retried once more.
pub const MAX_DELIVERIES: u32 = 3;

/// One object to work on, and where its outcome is reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The object and what happened to it.
    pub event: ObjectEvent,
    /// Where the object came from in the invocation.
    pub origin: Origin,
    /// Whether this is the last try: a transient failure is then recorded, not retried.
    pub last_try: bool,
}

/// Where a job came from: the key its outcome is reported under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The `i`-th object of a direct S3, SNS or EventBridge invocation.
    Direct(usize),
    /// An SQS message, by `messageId`.
    Sqs(String),
    /// A Batch Operations task, by `taskId`.
    Task(String),
}

/// How one job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Metadata written (or removed, for a removal).
    Done,
    /// Nothing to do: a duplicate or older event, a sidecar, an object already gone.
    Skipped(String),
    /// The file could not be read; the error was stored as its result.
    Recorded(String),
    /// A transient failure: the invoker should try again.
    Retry(String),
}

/// The jobs of an invocation, in order. SQS messages whose body could not be read come
/// back as errors beside them: they fail alone (see [`answer`]).
pub fn jobs(invocation: &Invocation) -> (Vec<Job>, Vec<(Origin, EventError)>) {
    let mut jobs = Vec::new();
    let mut unreadable = Vec::new();
    match invocation {
        Invocation::Objects(events) => {
            jobs.extend(events.iter().enumerate().map(|(i, event)| Job {
                event: event.clone(),
                origin: Origin::Direct(i),
                // Lambda repeats a failed asynchronous invocation twice, then sends it to
                // the on-failure destination: the error is the answer.
                last_try: false,
            }));
        }
        Invocation::Sqs(messages) => {
            for m in messages {
                let origin = Origin::Sqs(m.message_id.clone());
                match &m.objects {
                    Ok(events) => jobs.extend(events.iter().map(|event| Job {
                        event: event.clone(),
                        origin: origin.clone(),
                        last_try: m.receive_count >= MAX_DELIVERIES,
                    })),
                    Err(e) => unreadable.push((origin, e.clone())),
                }
            }
        }
        Invocation::BatchOperations(job) => {
            jobs.extend(job.tasks.iter().map(|task| Job {
                event: ObjectEvent {
                    bucket: task.bucket.clone(),
                    key: task.key.clone(),
                    version_id: task.version_id.clone(),
                    etag: None,
                    size: None,
                    sequencer: None,
                    event_time: None,
                    kind: ObjectEventKind::Created,
                },
                origin: Origin::Task(task.task_id.clone()),
                // Batch Operations retries a TemporaryFailure itself, a bounded number
                // of times, then reports it: no count of our own is needed.
                last_try: false,
            }));
        }
    }
    (jobs, unreadable)
}

/// What a direct invocation failed with: Lambda retries the whole event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryInvocation(pub String);

impl std::fmt::Display for RetryInvocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RetryInvocation {}

/// The answer to the invoker, from every job's outcome and the unreadable messages.
///
/// - Direct invocations: a count of outcomes, or an error when any job should be retried
///   (Lambda repeats the event; the others are idempotent no-ops the second time).
/// - SQS: `batchItemFailures` naming the messages with a job to retry, and unreadable ones.
/// - Batch Operations: one result per task: `Succeeded` when done or skipped,
///   `PermanentFailure` with the error when recorded, `TemporaryFailure` when retried.
pub fn answer(
    invocation: &Invocation,
    outcomes: &[(Origin, Outcome)],
    unreadable: &[(Origin, EventError)],
) -> Result<Value, RetryInvocation> {
    match invocation {
        Invocation::Objects(_) => {
            if let Some((_, Outcome::Retry(why))) =
                outcomes.iter().find(|(_, o)| matches!(o, Outcome::Retry(_)))
            {
                return Err(RetryInvocation(why.clone()));
            }
            let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|(_, o)| f(o)).count();
            Ok(json!({
                "done": count(|o| matches!(o, Outcome::Done)),
                "skipped": count(|o| matches!(o, Outcome::Skipped(_))),
                "recorded": count(|o| matches!(o, Outcome::Recorded(_))),
            }))
        }
        Invocation::Sqs(messages) => {
            let failed = |id: &str| {
                let origin = Origin::Sqs(id.to_owned());
                unreadable.iter().any(|(o, _)| *o == origin)
                    || outcomes.iter().any(|(o, out)| *o == origin && matches!(out, Outcome::Retry(_)))
            };
            let ids = messages.iter().map(|m| m.message_id.as_str()).filter(|id| failed(id));
            Ok(sqs_batch_response(ids))
        }
        Invocation::BatchOperations(job) => Ok(batch_answer(job, outcomes)),
    }
}

fn batch_answer(job: &BatchJob, outcomes: &[(Origin, Outcome)]) -> Value {
    let results: Vec<BatchTaskResult> = job
        .tasks
        .iter()
        .map(|task| {
            let origin = Origin::Task(task.task_id.clone());
            let outcome = outcomes.iter().find(|(o, _)| *o == origin).map(|(_, out)| out);
            let (code, text) = match outcome {
                Some(Outcome::Done) => (BatchResultCode::Succeeded, "indexed".to_owned()),
                Some(Outcome::Skipped(why)) => (BatchResultCode::Succeeded, format!("skipped: {why}")),
                Some(Outcome::Recorded(e)) => (BatchResultCode::PermanentFailure, e.clone()),
                Some(Outcome::Retry(e)) => (BatchResultCode::TemporaryFailure, e.clone()),
                None => (BatchResultCode::TemporaryFailure, "not processed".to_owned()),
            };
            BatchTaskResult { task_id: task.task_id.clone(), code, result_string: text }
        })
        .collect();
    batch_response(job, &results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::parse_invocation;

    fn load(name: &str) -> Invocation {
        let path = format!("{}/examples/events/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        parse_invocation(&serde_json::from_str(&text).unwrap()).unwrap()
    }

    #[test]
    fn sqs_batch_fails_only_unreadable_and_retried_messages() {
        let inv = load("sqs-s3-batch.json");
        let (jobs, unreadable) = jobs(&inv);
        assert_eq!(jobs.len(), 2);
        assert_eq!(unreadable.len(), 1);
        // The third message was delivered 3 times: its next transient failure is final.
        assert_eq!(jobs.iter().map(|j| j.last_try).collect::<Vec<_>>(), [false, true]);
        let outcomes = vec![
            (jobs[0].origin.clone(), Outcome::Retry("s3 throttled".into())),
            (jobs[1].origin.clone(), Outcome::Done),
        ];
        let answer = answer(&inv, &outcomes, &unreadable).unwrap();
        assert_eq!(
            answer,
            json!({"batchItemFailures": [
                {"itemIdentifier": "059f36b4-87a3-44ab-83d2-661975830a7d"},
                {"itemIdentifier": "2e1424d4-f796-459a-8184-9c92662be6da"},
            ]})
        );
    }

    #[test]
    fn direct_invocation_fails_whole_when_a_job_must_be_retried() {
        let inv = load("s3-put.json");
        let (jobs, _) = jobs(&inv);
        assert_eq!(jobs.len(), 1);
        let retry = [(jobs[0].origin.clone(), Outcome::Retry("timeout".into()))];
        assert_eq!(answer(&inv, &retry, &[]), Err(RetryInvocation("timeout".into())));
        let recorded = [(jobs[0].origin.clone(), Outcome::Recorded("unknown file type".into()))];
        assert_eq!(answer(&inv, &recorded, &[]), Ok(json!({"done": 0, "skipped": 0, "recorded": 1})));
    }

    #[test]
    fn batch_tasks_get_their_result_codes() {
        let inv = load("batch-operations-2.0.json");
        let (jobs, _) = jobs(&inv);
        assert!(!jobs.is_empty());
        assert!(jobs.iter().all(|j| j.event.kind == ObjectEventKind::Created));
        let outcomes: Vec<(Origin, Outcome)> =
            jobs.iter().map(|j| (j.origin.clone(), Outcome::Recorded("corrupt".into()))).collect();
        let answer = answer(&inv, &outcomes, &[]).unwrap();
        let results = answer["results"].as_array().unwrap();
        assert_eq!(results.len(), jobs.len());
        assert_eq!(results[0]["resultCode"], "PermanentFailure");
        assert_eq!(results[0]["resultString"], "corrupt");
    }
}

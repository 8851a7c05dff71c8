//! S3 Batch Operations: the job a `LambdaInvoke` operation sends, and the response it
//! expects back.
//!
//! Two request schemas exist. In `invocationSchemaVersion` "1.0" (the default) each task
//! names its bucket by ARN (`s3BucketArn`); in "2.0" (required for directory buckets and for
//! `UserArguments`) by name (`s3Bucket`), and the job carries `userArguments`.
//!
//! Keys are URL-encoded. The S3 User Guide page "Invoke AWS Lambda function" says: "keys
//! from S3 Batch Operations are URL encoded. To use Amazon S3 with other AWS services, it's
//! important that you URL decode the key that is passed from S3 Batch Operations." Its two
//! example functions decode with Python's `unquote` and with `unquote_plus`; the
//! manifests they read are URL-encoded CSV, where a space may be `+`, so keys are decoded
//! here as in event notifications (`+` is a space). Both agree on every `%XX` escape.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::error::EventError;
use super::key::decode_key;

/// One invocation of a Batch Operations job: the job and its tasks (one object each; S3
/// sends one task per invocation today, but the schema has a list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchJob {
    /// `invocationSchemaVersion`: "1.0" or "2.0"; the response must repeat it.
    pub schema_version: String,
    /// `invocationId`; the response must repeat it.
    pub invocation_id: String,
    /// `job.id`.
    pub job_id: String,
    /// `job.userArguments` (schema 2.0; empty otherwise). Values that are not strings are
    /// kept as their JSON text.
    pub user_arguments: BTreeMap<String, String>,
    /// The objects to work on.
    pub tasks: Vec<BatchTask>,
}

/// One object of a Batch Operations job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchTask {
    /// `taskId`; each result names its task by it.
    pub task_id: String,
    /// The bucket name (from `s3Bucket`, or the resource part of `s3BucketArn`).
    pub bucket: String,
    /// The object key, decoded.
    pub key: String,
    /// `s3VersionId`, when the manifest named a version.
    pub version_id: Option<String>,
}

/// How one task ended, as Batch Operations wants to hear it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BatchResultCode {
    /// Done; the result string goes into the completion report.
    Succeeded,
    /// Failed for now: S3 runs the task again before the job completes.
    TemporaryFailure,
    /// Failed for good: the task is reported as failed, with the result string.
    PermanentFailure,
}

impl BatchResultCode {
    /// The code as it is written in the response.
    pub fn as_str(self) -> &'static str {
        match self {
            BatchResultCode::Succeeded => "Succeeded",
            BatchResultCode::TemporaryFailure => "TemporaryFailure",
            BatchResultCode::PermanentFailure => "PermanentFailure",
        }
    }
}

/// The result of one task, for [`batch_response`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchTaskResult {
    /// The task's `taskId`.
    pub task_id: String,
    /// How it ended.
    pub code: BatchResultCode,
    /// A short text for the completion report (the error message of a failure).
    pub result_string: String,
}

/// The response to a Batch Operations invocation:
/// `{"invocationSchemaVersion", "treatMissingKeysAs", "invocationId", "results": [...]}`.
///
/// `treatMissingKeysAs` is "PermanentFailure": a task left out of `results` has failed
/// for good, so that a forgotten task is reported, never silently passed.
pub fn batch_response(job: &BatchJob, results: &[BatchTaskResult]) -> Value {
    let results: Vec<Value> = results
        .iter()
        .map(|r| {
            json!({
                "taskId": r.task_id,
                "resultCode": r.code.as_str(),
                "resultString": r.result_string,
            })
        })
        .collect();
    json!({
        "invocationSchemaVersion": job.schema_version,
        "treatMissingKeysAs": BatchResultCode::PermanentFailure.as_str(),
        "invocationId": job.invocation_id,
        "results": results,
    })
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct JobRequest {
    invocation_schema_version: Option<String>,
    invocation_id: Option<String>,
    job: Option<JobInfo>,
    tasks: Option<Vec<Value>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct JobInfo {
    id: Option<String>,
    user_arguments: Option<serde_json::Map<String, Value>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct TaskRequest {
    task_id: Option<String>,
    s3_key: Option<String>,
    s3_version_id: Option<String>,
    s3_bucket: Option<String>,
    s3_bucket_arn: Option<String>,
}

/// The job of a payload that has `invocationSchemaVersion` and `tasks`.
pub(crate) fn parse_job(payload: &Value) -> Result<BatchJob, EventError> {
    let request =
        JobRequest::deserialize(payload).map_err(|e| EventError::malformed("S3 Batch Operations job", e))?;
    let missing = |field: &str| EventError::malformed("S3 Batch Operations job", format!("missing {field}"));
    let schema_version =
        request.invocation_schema_version.ok_or_else(|| missing("invocationSchemaVersion"))?;
    let invocation_id = request.invocation_id.ok_or_else(|| missing("invocationId"))?;
    let job = request.job.unwrap_or_default();
    let job_id = job.id.ok_or_else(|| missing("job.id"))?;
    let user_arguments = job
        .user_arguments
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect();
    let tasks = request.tasks.ok_or_else(|| missing("tasks"))?;
    let tasks = tasks
        .iter()
        .enumerate()
        .map(|(i, task)| parse_task(task, &format!("tasks[{i}]")))
        .collect::<Result<_, _>>()?;
    Ok(BatchJob { schema_version, invocation_id, job_id, user_arguments, tasks })
}

fn parse_task(task: &Value, place: &str) -> Result<BatchTask, EventError> {
    let task = TaskRequest::deserialize(task).map_err(|e| EventError::malformed(place, e))?;
    let missing = |field: &str| EventError::malformed(place, format!("missing {field}"));
    let task_id = task.task_id.ok_or_else(|| missing("taskId"))?;
    let key = task.s3_key.ok_or_else(|| missing("s3Key"))?;
    // Schema 2.0 names the bucket; 1.0 gives its ARN. Whichever is there is used, so that
    // a job whose schema version says one thing and whose tasks say another still runs.
    let bucket = match (task.s3_bucket, task.s3_bucket_arn) {
        (Some(name), _) => name,
        (None, Some(arn)) => bucket_of_arn(&arn).ok_or_else(|| {
            EventError::malformed(place, format!("s3BucketArn {arn:?} is not a bucket ARN"))
        })?,
        (None, None) => return Err(missing("s3Bucket or s3BucketArn")),
    };
    Ok(BatchTask { task_id, bucket, key: decode_key(&key), version_id: task.s3_version_id })
}

/// The bucket name of an ARN: its resource, the part after the fifth `:`.
/// `arn:aws:s3:::amzn-s3-demo-bucket` gives `amzn-s3-demo-bucket`; reading by position
/// rather than after `:::` also serves other partitions (`arn:aws-cn:s3:::...`) and the
/// region-and-account form some AWS examples show.
fn bucket_of_arn(arn: &str) -> Option<String> {
    let mut parts = arn.splitn(6, ':');
    if parts.next() != Some("arn") {
        return None;
    }
    let resource = parts.nth(4)?;
    (!resource.is_empty()).then(|| resource.to_owned())
}

#[cfg(test)]
mod tests {
    use super::bucket_of_arn;

    #[test]
    fn lambda_batch_bucket_of_arn() {
        assert_eq!(bucket_of_arn("arn:aws:s3:::amzn-s3-demo-bucket").as_deref(), Some("amzn-s3-demo-bucket"));
        assert_eq!(bucket_of_arn("arn:aws-cn:s3:::b").as_deref(), Some("b"));
        assert_eq!(
            bucket_of_arn("arn:aws:s3:us-east-1:0123456788:examplebucket").as_deref(),
            Some("examplebucket")
        );
        assert_eq!(bucket_of_arn("arn:aws:s3:::"), None);
        assert_eq!(bucket_of_arn("amzn-s3-demo-bucket"), None);
        assert_eq!(bucket_of_arn("arn:aws:s3"), None);
    }
}

//! The Lambda handler end to end against a local AWS (moto): moto's own S3 → SQS
//! notifications, and the sample events of `examples/events` rewritten to name objects
//! uploaded here. Every object is read from S3 and every result read back from DynamoDB
//! and the sidecar.

mod lambda_support;

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketVersioningStatus, Event, NotificationConfiguration, QueueConfiguration, VersioningConfiguration,
};
use lambda_support::{Aws, s};
use metasift::lambda::config::{Config, OutputMode, SidecarConfig};
use metasift::lambda::{Handler, HandlerError};
use serde_json::{Value as Json, json};

const PREFIX: &str = "metadata/";
const CANON: &[u8] = include_bytes!("fixtures/canon_full.jpg");
const WEBP: &[u8] = include_bytes!("fixtures/lossy_exif_xmp.webp");
/// Bytes no format claims: extraction fails with "unknown file type".
const UNSUPPORTED: &[u8] = &[0x00, 0x01, 0x02, 0xFE, 0xFF, 0x00, 0x10, 0x7A, 0x33];

struct Env {
    aws: Aws,
    table: String,
    bucket: String,
    handler: Handler,
}

fn config(table: &str) -> Config {
    Config {
        table: Some(table.into()),
        sidecar: Some(SidecarConfig { prefix: PREFIX.into(), bucket: None }),
        topic_arn: None,
        output: OutputMode::Native,
    }
}

async fn env(versioned: bool) -> Option<Env> {
    let aws = Aws::new().await?;
    let (table, bucket) = (aws.table().await, aws.bucket().await);
    if versioned {
        let on = VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build();
        aws.clients
            .s3
            .put_bucket_versioning()
            .bucket(&bucket)
            .versioning_configuration(on)
            .send()
            .await
            .unwrap();
    }
    let handler = Handler::new(aws.clients.clone(), config(&table), metasift::Options::default());
    Some(Env { aws, table, bucket, handler })
}

impl Env {
    /// Uploads `body` under `key`: (ETag without quotes, version id).
    async fn put(&self, key: &str, body: &[u8]) -> (String, Option<String>) {
        let put = self.aws.clients.s3.put_object().bucket(&self.bucket).key(key);
        let out = put.body(ByteStream::from(body.to_vec())).send().await.unwrap();
        (out.e_tag().unwrap().trim_matches('"').to_owned(), out.version_id().map(str::to_owned))
    }

    async fn item(
        &self,
        key: &str,
    ) -> Option<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
        self.aws.item(&self.table, &format!("s3://{}/{key}", self.bucket)).await
    }

    /// One record of `examples/events/s3-put.json`, pointed at `key` here.
    fn record(&self, key: &str, size: usize, etag: &str, version: Option<&str>, sequencer: &str) -> Json {
        let mut record = example("s3-put.json")["Records"][0].clone();
        record["s3"]["bucket"]["name"] = json!(self.bucket);
        record["s3"]["bucket"]["arn"] = json!(format!("arn:aws:s3:::{}", self.bucket));
        let object = &mut record["s3"]["object"];
        object["key"] = json!(encode(key));
        object["size"] = json!(size);
        object["eTag"] = json!(etag);
        object["sequencer"] = json!(sequencer);
        match version {
            Some(v) => object["versionId"] = json!(v),
            None => drop(object.as_object_mut().unwrap().remove("versionId")),
        }
        record
    }
}

fn example(name: &str) -> Json {
    let path = format!("{}/examples/events/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A key as S3 writes it in notifications: form-encoded, `/` kept.
fn encode(key: &str) -> String {
    let mut out = String::new();
    for b in key.bytes() {
        match b {
            b' ' => out.push('+'),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' | b'*' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// An SQS event of `examples/events/sqs-s3-batch.json`'s shape: (messageId, body, receive count).
fn sqs_event(messages: &[(&str, String, u32)]) -> Json {
    let template = example("sqs-s3-batch.json")["Records"][0].clone();
    let records: Vec<Json> = messages
        .iter()
        .map(|(id, body, count)| {
            let mut r = template.clone();
            r["messageId"] = json!(id);
            r["body"] = json!(body);
            r["attributes"]["ApproximateReceiveCount"] = json!(count.to_string());
            r
        })
        .collect();
    json!({ "Records": records })
}

fn no_failures() -> Json {
    json!({"batchItemFailures": []})
}

#[tokio::test(flavor = "multi_thread")]
async fn s3_notifications_through_sqs_end_to_end() {
    let Some(env) = env(false).await else { return };
    let (queue_url, queue_arn) = env.aws.queue();
    let to_queue = QueueConfiguration::builder()
        .queue_arn(&queue_arn)
        .events(Event::from("s3:ObjectCreated:*"))
        .build()
        .unwrap();
    let notify = NotificationConfiguration::builder().queue_configurations(to_queue).build();
    let s3 = &env.aws.clients.s3;
    s3.put_bucket_notification_configuration()
        .bucket(&env.bucket)
        .notification_configuration(notify)
        .send()
        .await
        .unwrap();
    let key = "photos/beach day+1.jpg";
    env.put(key, CANON).await;

    // moto sends an s3:TestEvent first, then the upload's notification: pass both on.
    let mut messages = Vec::new();
    for _ in 0..50 {
        let got = env.aws.sqs(
            "ReceiveMessage",
            json!({"QueueUrl": queue_url, "MaxNumberOfMessages": 10, "AttributeNames": ["All"]}),
        );
        messages.extend(got["Messages"].as_array().cloned().unwrap_or_default());
        if messages.iter().any(|m| m["Body"].as_str().unwrap().contains("ObjectCreated")) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(messages.iter().any(|m| m["Body"].as_str().unwrap().contains("s3:TestEvent")), "{messages:?}");
    let records: Vec<Json> = messages
        .iter()
        .map(|m| {
            json!({
                "eventSource": "aws:sqs",
                "messageId": m["MessageId"],
                "body": m["Body"],
                "attributes": {"ApproximateReceiveCount": "1"},
            })
        })
        .collect();
    let answer = env.handler.handle(json!({ "Records": records })).await.unwrap();
    assert_eq!(answer, no_failures());

    let item = env.item(key).await.expect("the item");
    assert_eq!(s(&item, "pk"), format!("s3://{}/{key}", env.bucket));
    assert_eq!(s(&item, "format"), "JPEG");
    assert_eq!(lambda_support::n(item.get("size")), CANON.len().to_string());
    let (body, _, _) =
        env.aws.object(&env.bucket, &format!("{PREFIX}{key}.json")).await.expect("the sidecar");
    let sidecar: Json = serde_json::from_slice(&body).unwrap();
    assert_eq!(sidecar["summary"]["make"], "Canon");
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicates_and_older_events_change_nothing() {
    let Some(env) = env(true).await else { return };
    let key = "a/photo.jpg";
    let (etag1, v1) = env.put(key, CANON).await;
    let (etag2, v2) = env.put(key, WEBP).await;
    let older = env.record(key, CANON.len(), &etag1, v1.as_deref(), "0055AED6DCD90281E5");
    let newer = env.record(key, WEBP.len(), &etag2, v2.as_deref(), "0055AED6DCD90281F0");

    let answer = env.handler.handle(json!({"Records": [newer]})).await.unwrap();
    assert_eq!(answer, json!({"done": 1, "skipped": 0, "recorded": 0}));
    let first = env.item(key).await.unwrap();
    assert_eq!(s(&first, "mime"), "image/webp");
    assert_eq!(s(&first, "version_id"), v2.clone().unwrap());

    // The same event again: read, but nothing written.
    let answer = env.handler.handle(json!({"Records": [newer]})).await.unwrap();
    assert_eq!(answer, json!({"done": 0, "skipped": 1, "recorded": 0}));
    assert_eq!(env.item(key).await.unwrap(), first);

    // The first upload's event, late: its version is read, and loses to the newer item.
    let answer = env.handler.handle(json!({"Records": [older]})).await.unwrap();
    assert_eq!(answer, json!({"done": 0, "skipped": 1, "recorded": 0}));
    assert_eq!(env.item(key).await.unwrap(), first);
}

#[tokio::test(flavor = "multi_thread")]
async fn sidecars_missing_unsupported_and_truncated_objects() {
    let Some(env) = env(false).await else { return };
    let (sidecar_key, bin, truncated) = ("metadata/x.jpg.json", "junk/random bytes.bin", "cut.jpg");
    env.put(sidecar_key, b"{}").await;
    let (bin_etag, _) = env.put(bin, UNSUPPORTED).await;
    let cut = CANON.get(..200).unwrap();
    let (cut_etag, _) = env.put(truncated, cut).await;
    let records = json!({"Records": [
        env.record(sidecar_key, 2, "e", None, "0055AED6DCD90281E5"),
        env.record(bin, UNSUPPORTED.len(), &bin_etag, None, "0055AED6DCD90281E5"),
        env.record(truncated, cut.len(), &cut_etag, None, "0055AED6DCD90281E5"),
        env.record("never uploaded.jpg", 10, "e", None, "0055AED6DCD90281E5"),
    ]});
    // A truncated JPEG still gives what its first bytes hold (with warnings): written.
    let answer = env.handler.handle(records).await.unwrap();
    assert_eq!(answer, json!({"done": 1, "skipped": 2, "recorded": 1}));
    assert!(env.item(sidecar_key).await.is_none());
    assert!(env.item("never uploaded.jpg").await.is_none());
    let failed = env.item(bin).await.expect("the failure is recorded");
    assert!(s(&failed, "error").contains("unknown file type"), "{failed:?}");
    assert_eq!(s(&env.item(truncated).await.unwrap(), "format"), "JPEG");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_sqs_batch_fails_only_its_broken_message() {
    let Some(env) = env(false).await else { return };
    let (etag, _) = env.put("ok.jpg", CANON).await;
    let (bin_etag, _) = env.put("bad.bin", UNSUPPORTED).await;
    let body = |r: Json| json!({ "Records": [r] }).to_string();
    let event = sqs_event(&[
        ("m-1", body(env.record("ok.jpg", CANON.len(), &etag, None, "01")), 1),
        ("m-2", "{\"Records\":[{\"eventSource\":\"aws:s3\",".into(), 1),
        ("m-3", body(env.record("bad.bin", UNSUPPORTED.len(), &bin_etag, None, "01")), 1),
    ]);
    let answer = env.handler.handle(event).await.unwrap();
    assert_eq!(answer, json!({"batchItemFailures": [{"itemIdentifier": "m-2"}]}));
    assert_eq!(s(&env.item("ok.jpg").await.unwrap(), "format"), "JPEG");
    assert!(env.item("bad.bin").await.unwrap().contains_key("error"));
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_operations_tasks_get_their_own_results() {
    let Some(env) = env(false).await else { return };
    env.put("dir 1/ok.jpg", CANON).await;
    env.put("bad.bin", UNSUPPORTED).await;
    let mut event = example("batch-operations-2.0.json");
    let task = event["tasks"][0].clone();
    let tasks: Vec<Json> = [("t-ok", "dir 1/ok.jpg"), ("t-bad", "bad.bin"), ("t-gone", "gone.jpg")]
        .iter()
        .map(|(id, key)| {
            let mut t = task.clone();
            t["taskId"] = json!(id);
            t["s3Bucket"] = json!(env.bucket);
            t["s3Key"] = json!(encode(key));
            t
        })
        .collect();
    event["tasks"] = json!(tasks);
    let answer = env.handler.handle(event).await.unwrap();
    let codes: Vec<(&str, &str)> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["taskId"].as_str().unwrap(), r["resultCode"].as_str().unwrap()))
        .collect();
    assert_eq!(codes, [("t-ok", "Succeeded"), ("t-bad", "PermanentFailure"), ("t-gone", "Succeeded")]);
    // Tasks name no ETag: the item has the one read.
    let item = env.item("dir 1/ok.jpg").await.unwrap();
    assert!(!s(&item, "etag").is_empty());
}

/// A handler whose reads go to a port nobody listens on, without SDK retries: every GET
/// fails as a throttled or unreachable S3 would after the SDK's own retries.
async fn unreachable_reads(env: &Env) -> Handler {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_s3::config::Credentials::new("test", "test", None, None, "tests"))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await;
    let reader = metasift::lambda::outputs::Clients::from_sdk_config(&sdk).s3;
    Handler::new(env.aws.clients.clone(), config(&env.table), metasift::Options::default())
        .with_read_client(reader)
}

#[tokio::test(flavor = "multi_thread")]
async fn transient_failures_are_retried_then_recorded() {
    let Some(env) = env(false).await else { return };
    let handler = unreachable_reads(&env).await;
    let record = env.record("photo.jpg", CANON.len(), "e1", None, "01");
    let body = json!({ "Records": [record.clone()] }).to_string();

    let first = sqs_event(&[("m-1", body.clone(), 1)]);
    assert_eq!(
        handler.handle(first).await.unwrap(),
        json!({"batchItemFailures": [{"itemIdentifier": "m-1"}]})
    );
    assert!(env.item("photo.jpg").await.is_none());

    let direct = handler.handle(json!({ "Records": [record] })).await;
    assert!(matches!(direct, Err(HandlerError::Retry(_))), "{direct:?}");

    let mut batch = example("batch-operations-2.0.json");
    batch["tasks"][0]["s3Bucket"] = json!(env.bucket);
    batch["tasks"][0]["s3Key"] = json!("photo.jpg");
    assert_eq!(handler.handle(batch).await.unwrap()["results"][0]["resultCode"], "TemporaryFailure");

    // The third delivery is the last: the failure is stored and the message let go.
    let last = sqs_event(&[("m-1", body, 3)]);
    assert_eq!(handler.handle(last).await.unwrap(), no_failures());
    let item = env.item("photo.jpg").await.expect("recorded on the last try");
    assert!(item.contains_key("error"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_payload_is_an_error() {
    let Some(env) = env(false).await else { return };
    let got = env.handler.handle(json!({"hello": "world"})).await;
    assert!(matches!(got, Err(HandlerError::Unrecognised(_))), "{got:?}");
    // An S3 test event is known, and empty.
    let answer = env.handler.handle(example("s3-test-event.json")).await.unwrap();
    assert_eq!(answer, json!({"done": 0, "skipped": 0, "recorded": 0}));
}

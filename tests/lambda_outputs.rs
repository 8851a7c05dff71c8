//! The Lambda's outputs against a local AWS API (moto): DynamoDB items with conditional
//! writes, S3 sidecars, SNS notifications read back through an SQS subscription. Every
//! record comes from a real extraction of a fixture.

mod lambda_support;

use aws_sdk_dynamodb::types::AttributeValue;
use lambda_support::{Aws, m, n, s};
use metasift::lambda::config::{Config, OutputMode, SidecarConfig};
use metasift::lambda::order::SkipReason;
use metasift::lambda::outputs::{NotifyOutcome, Outcome, deliver, remove};
use metasift::lambda::record::{ObjectId, ObjectRecord};
use metasift::lambda::sidecar::{SidecarOutcome, is_sidecar_key};
use metasift::lambda::store::{RemoveOutcome, WriteOutcome};
use serde_json::Value as Json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const CANON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/canon_full.jpg");
const PREFIX: &str = "metadata/";
/// Bytes no format claims: extraction fails with "unknown file type".
const UNRECOGNISED: &[u8] = &[0x00, 0x01, 0x02, 0xFE, 0xFF, 0x00, 0x10];

fn object(bucket: &str, etag: &str, sequencer: Option<&str>) -> ObjectId {
    ObjectId {
        bucket: bucket.into(),
        key: "photos/paris/eiffel tower.jpg".into(),
        version_id: None,
        etag: Some(etag.into()),
        size: Some(19_718),
        sequencer: sequencer.map(str::to_owned),
        event_time: Some("2024-06-15T10:00:00.000Z".into()),
    }
}

/// The record of a real extraction of the Canon fixture (it has GPS), started at `at`
/// seconds past 2024-06-15T10:00:00Z.
fn record(id: ObjectId, output: OutputMode, at: u64) -> ObjectRecord {
    let meta = metasift::extract_path(CANON).unwrap();
    let started = UNIX_EPOCH + Duration::from_secs(1_718_445_600 + at);
    ObjectRecord::extracted(id, &meta, output, started)
}

fn config(table: Option<&str>, sidecars: bool, topic: Option<&str>) -> Config {
    Config {
        table: table.map(str::to_owned),
        sidecar: sidecars.then(|| SidecarConfig { prefix: PREFIX.into(), bucket: None }),
        topic_arn: topic.map(str::to_owned),
        output: OutputMode::Native,
    }
}

fn written(outcome: &Outcome) -> bool {
    matches!(outcome.store, WriteOutcome::Written { .. })
}

fn sidecar_key(id: &ObjectId) -> String {
    format!("{PREFIX}{}.json", id.key)
}

#[tokio::test]
async fn items_keep_numbers_as_numbers() {
    let Some(aws) = Aws::new().await else { return };
    let (table, bucket) = (aws.table().await, aws.bucket().await);
    let rec = record(object(&bucket, "e1", Some("0055AED6DCD90281E5")), OutputMode::Native, 0);
    let outcome = deliver(&aws.clients, &config(Some(&table), false, None), &rec).await.unwrap();
    assert_eq!(outcome.store, WriteOutcome::Written { truncated: false });
    assert_eq!((outcome.sidecar, outcome.notify), (SidecarOutcome::Disabled, NotifyOutcome::Disabled));

    let item = aws.item(&table, &format!("s3://{bucket}/photos/paris/eiffel tower.jpg")).await.unwrap();
    assert_eq!(s(&item, "pk"), rec.object.uri());
    assert_eq!(n(item.get("size")), "19718");
    assert_eq!(s(&item, "format"), "JPEG");
    assert_eq!(s(&item, "mime"), "image/jpeg");
    assert_eq!(s(&item, "extracted_at"), "2024-06-15T10:00:00.000Z");
    // Stored normalised: right-padded to 64 hex digits.
    assert_eq!(s(&item, "sequencer"), format!("{:0<64}", "0055AED6DCD90281E5"));
    assert_eq!(n(item.get("bytes_read")), rec.bytes_read.to_string());
    assert!(!item.contains_key("error") && !item.contains_key("metadata_truncated"));
    let metadata = m(&item, "metadata");
    assert_eq!(s(metadata, "SourceFile"), rec.object.uri());
    let summary = m(metadata, "summary");
    assert_eq!(n(summary.get("width")), "640");
    assert_eq!(n(m(summary, "gps").get("altitude")), "35.5");
    let Some(AttributeValue::L(tags)) = metadata.get("tags") else { panic!("tags is not L") };
    let AttributeValue::M(first) = &tags[0] else { panic!("a tag is not M") };
    assert_eq!((s(first, "name"), n(first.get("value"))), ("FileSize".into(), "19718".into()));
}

#[tokio::test]
async fn a_duplicate_is_skipped_and_announced_once() {
    let Some(aws) = Aws::new().await else { return };
    let (table, bucket) = (aws.table().await, aws.bucket().await);
    let (topic, queue) = aws.topic_with_queue().await;
    let cfg = config(Some(&table), true, Some(&topic));
    let rec = record(object(&bucket, "e1", Some("0A")), OutputMode::Native, 0);
    let first = deliver(&aws.clients, &cfg, &rec).await.unwrap();
    assert!(written(&first) && matches!(first.notify, NotifyOutcome::Published(_)), "{first:?}");
    assert!(matches!(first.sidecar, SidecarOutcome::Written(_)));

    // The same event again, extracted a minute later.
    let again = record(object(&bucket, "e1", Some("0A")), OutputMode::Native, 60);
    let second = deliver(&aws.clients, &cfg, &again).await.unwrap();
    assert_eq!(second.store, WriteOutcome::Skipped(SkipReason::Duplicate));
    assert_eq!(second.sidecar, SidecarOutcome::Skipped(SkipReason::Duplicate));
    assert_eq!(second.notify, NotifyOutcome::Suppressed);
    assert_eq!(second.name(), "duplicate");
    assert_eq!(aws.drain(&queue).len(), 1, "one notification for two deliveries");
    let item = aws.item(&table, &rec.object.uri()).await.unwrap();
    assert_eq!(s(&item, "extracted_at"), rec.extracted_at, "the first write stands");
    assert_eq!(item.get("notified"), Some(&AttributeValue::Bool(true)));
}

#[tokio::test]
async fn a_redelivery_after_a_failed_publish_still_announces() {
    let Some(aws) = Aws::new().await else { return };
    let table = aws.table().await;
    let (topic, queue) = aws.topic_with_queue().await;
    let rec = record(object("media", "e1", Some("0A")), OutputMode::Native, 0);
    let missing_topic = format!("{topic}-missing");
    let err =
        deliver(&aws.clients, &config(Some(&table), false, Some(&missing_topic)), &rec).await.unwrap_err();
    assert_eq!(err.stage(), metasift::lambda::Stage::Notify, "{err}");

    // Redeliveries extract again, later: the mark goes on the item the first one wrote.
    let retry_rec = record(object("media", "e1", Some("0A")), OutputMode::Native, 60);
    let retry = deliver(&aws.clients, &config(Some(&table), false, Some(&topic)), &retry_rec).await.unwrap();
    assert_eq!(retry.store, WriteOutcome::Skipped(SkipReason::Duplicate));
    assert!(matches!(retry.notify, NotifyOutcome::Published(_)), "{retry:?}");
    let item = aws.item(&table, &rec.object.uri()).await.unwrap();
    assert_eq!(item.get("notified"), Some(&AttributeValue::Bool(true)));
    assert_eq!(s(&item, "extracted_at"), rec.extracted_at);
    let third_rec = record(object("media", "e1", Some("0A")), OutputMode::Native, 120);
    let third = deliver(&aws.clients, &config(Some(&table), false, Some(&topic)), &third_rec).await.unwrap();
    assert_eq!(third.notify, NotifyOutcome::Suppressed);
    assert_eq!(aws.drain(&queue).len(), 1);
}

#[tokio::test]
async fn older_events_never_overwrite_newer_ones() {
    let Some(aws) = Aws::new().await else { return };
    let (table, bucket) = (aws.table().await, aws.bucket().await);
    let cfg = config(Some(&table), true, None);
    let newer = record(object(&bucket, "e2", Some("0055AED6DCD90281E6")), OutputMode::Native, 0);
    assert!(written(&deliver(&aws.clients, &cfg, &newer).await.unwrap()));

    // The older event arrives late (and is processed later): refused everywhere.
    let older = record(object(&bucket, "e1", Some("0055AED6DCD90281E5")), OutputMode::Native, 60);
    let late = deliver(&aws.clients, &cfg, &older).await.unwrap();
    assert_eq!(late.store, WriteOutcome::Skipped(SkipReason::Stale));
    assert_eq!(late.notify, NotifyOutcome::Disabled);
    let item = aws.item(&table, &newer.object.uri()).await.unwrap();
    assert_eq!((s(&item, "etag"), s(&item, "extracted_at")), ("e2".into(), newer.extracted_at.clone()));
    let (_, _, meta) = aws.object(&bucket, &sidecar_key(&newer.object)).await.unwrap();
    assert_eq!(meta.get("source-etag").map(String::as_str), Some("e2"));

    // A longer sequencer that is greater once padded is newer.
    let newest = record(object(&bucket, "e3", Some("0055AED6DCD90281E601")), OutputMode::Native, 120);
    assert!(written(&deliver(&aws.clients, &cfg, &newest).await.unwrap()));
    let item = aws.item(&table, &newer.object.uri()).await.unwrap();
    assert_eq!(s(&item, "etag"), "e3");
    let (_, _, meta) = aws.object(&bucket, &sidecar_key(&newer.object)).await.unwrap();
    assert_eq!(meta.get("source-etag").map(String::as_str), Some("e3"));
}

#[tokio::test]
async fn unsequenced_records_order_by_extraction_time() {
    let Some(aws) = Aws::new().await else { return };
    let table = aws.table().await;
    let cfg = config(Some(&table), false, None);
    // As a Batch Operations task gives them: no sequencer, no event time.
    let batch = |etag: &str, at| {
        let mut id = object("media", etag, None);
        id.event_time = None;
        record(id, OutputMode::Native, at)
    };
    assert!(written(&deliver(&aws.clients, &cfg, &batch("e1", 100)).await.unwrap()));
    let dup = deliver(&aws.clients, &cfg, &batch("e1", 200)).await.unwrap();
    assert_eq!(dup.store, WriteOutcome::Skipped(SkipReason::Duplicate));
    let earlier = deliver(&aws.clients, &cfg, &batch("e2", 50)).await.unwrap();
    assert_eq!(earlier.store, WriteOutcome::Skipped(SkipReason::Stale));
    assert!(written(&deliver(&aws.clients, &cfg, &batch("e2", 300)).await.unwrap()));
    // A new metasift version over the same object is new metadata, not a duplicate.
    let mut upgraded = batch("e2", 400);
    upgraded.extractor = "metasift/99.0.0 native".into();
    assert!(written(&deliver(&aws.clients, &cfg, &upgraded).await.unwrap()));
    // A sequenced event for the same content after that is a duplicate; for new content,
    // it wins.
    let mut same = record(object("media", "e2", Some("0B")), OutputMode::Native, 500);
    same.extractor = upgraded.extractor.clone();
    assert_eq!(
        deliver(&aws.clients, &cfg, &same).await.unwrap().store,
        WriteOutcome::Skipped(SkipReason::Duplicate)
    );
    let new = record(object("media", "e3", Some("0C")), OutputMode::Native, 0);
    assert!(written(&deliver(&aws.clients, &cfg, &new).await.unwrap()));
    let item = aws.item(&table, &new.object.uri()).await.unwrap();
    assert_eq!(s(&item, "etag"), "e3");
}

#[tokio::test]
async fn a_delete_removes_the_item_and_the_sidecar() {
    let Some(aws) = Aws::new().await else { return };
    let (table, bucket) = (aws.table().await, aws.bucket().await);
    let cfg = config(Some(&table), true, None);
    let rec = record(object(&bucket, "e1", Some("0A")), OutputMode::Native, 0);
    deliver(&aws.clients, &cfg, &rec).await.unwrap();
    assert!(aws.object(&bucket, &sidecar_key(&rec.object)).await.is_some());

    let mut delete = object(&bucket, "e1", Some("0B"));
    delete.etag = None;
    let removal = remove(&aws.clients, &cfg, &delete).await.unwrap();
    assert_eq!((removal.store, removal.sidecar), (RemoveOutcome::Removed, RemoveOutcome::Removed));
    assert!(aws.item(&table, &rec.object.uri()).await.is_none());
    assert!(aws.object(&bucket, &sidecar_key(&rec.object)).await.is_none());
    let again = remove(&aws.clients, &cfg, &delete).await.unwrap();
    assert_eq!((again.store, again.sidecar), (RemoveOutcome::Absent, RemoveOutcome::Absent));
}

#[tokio::test]
async fn a_delete_older_than_the_item_keeps_it() {
    let Some(aws) = Aws::new().await else { return };
    let (table, bucket) = (aws.table().await, aws.bucket().await);
    let cfg = config(Some(&table), true, None);
    let rec = record(object(&bucket, "e2", Some("0B")), OutputMode::Native, 0);
    deliver(&aws.clients, &cfg, &rec).await.unwrap();

    let removal = remove(&aws.clients, &cfg, &object(&bucket, "e1", Some("0A"))).await.unwrap();
    assert_eq!((removal.store, removal.sidecar), (RemoveOutcome::Kept, RemoveOutcome::Kept));
    assert_eq!(s(&aws.item(&table, &rec.object.uri()).await.unwrap(), "etag"), "e2");
    // Without a table, the sidecar's own stamp decides the same way.
    let removal =
        remove(&aws.clients, &config(None, true, None), &object(&bucket, "e1", Some("0A"))).await.unwrap();
    assert_eq!((removal.store, removal.sidecar), (RemoveOutcome::Disabled, RemoveOutcome::Kept));
    assert!(aws.object(&bucket, &sidecar_key(&rec.object)).await.is_some());
}

#[tokio::test]
async fn huge_metadata_leaves_a_summary_and_a_pointer_to_the_sidecar() {
    let Some(aws) = Aws::new().await else { return };
    let (table, bucket) = (aws.table().await, aws.bucket().await);
    let mut rec = record(object(&bucket, "e1", Some("0A")), OutputMode::Native, 0);
    // A real extraction with one very large value added: past DynamoDB's 400 KB.
    let big = "x".repeat(500_000);
    rec.metadata["tags"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"group": "XMP", "name": "Huge", "value": big}));
    let outcome = deliver(&aws.clients, &config(Some(&table), true, None), &rec).await.unwrap();
    assert_eq!(outcome.store, WriteOutcome::Written { truncated: true });
    assert_eq!(outcome.name(), "truncated");

    let item = aws.item(&table, &rec.object.uri()).await.unwrap();
    assert_eq!(item.get("metadata_truncated"), Some(&AttributeValue::Bool(true)));
    let uri = format!("s3://{bucket}/{}", sidecar_key(&rec.object));
    assert_eq!(s(&item, "sidecar"), uri);
    let metadata = m(&item, "metadata");
    assert_eq!(metadata.keys().collect::<Vec<_>>(), ["summary"]);
    assert_eq!(s(m(metadata, "summary"), "make"), "Canon");

    let (body, _, _) = aws.object(&bucket, &sidecar_key(&rec.object)).await.unwrap();
    let sidecar: Json = serde_json::from_slice(&body).unwrap();
    assert_eq!(sidecar, rec.metadata, "the sidecar has everything");
}

#[tokio::test]
async fn sidecars_are_written_under_the_prefix_and_never_extracted() {
    let Some(aws) = Aws::new().await else { return };
    let bucket = aws.bucket().await;
    // No table: the sidecar's own stamp is all that orders writes.
    let cfg = config(None, true, None);
    let rec = record(object(&bucket, "e2", Some("0B")), OutputMode::Native, 0);
    let outcome = deliver(&aws.clients, &cfg, &rec).await.unwrap();
    let SidecarOutcome::Written(at) = &outcome.sidecar else { panic!("{outcome:?}") };
    assert_eq!(
        (at.bucket.as_str(), at.key.as_str()),
        (bucket.as_str(), "metadata/photos/paris/eiffel tower.jpg.json")
    );

    let (body, content_type, meta) = aws.object(&bucket, &at.key).await.unwrap();
    assert_eq!(content_type, "application/json");
    assert_eq!(serde_json::from_slice::<Json>(&body).unwrap(), rec.metadata);
    assert_eq!(meta.get("source-etag").map(String::as_str), Some("e2"));
    assert_eq!(meta.get("source-sequencer"), rec.object.normalized_sequencer().as_ref());
    assert_eq!(meta.get("extracted-at"), Some(&rec.extracted_at));
    assert!(is_sidecar_key(&bucket, &at.key, &cfg));
    assert!(!is_sidecar_key(&bucket, &rec.object.key, &cfg));

    let dup = deliver(&aws.clients, &cfg, &rec).await.unwrap();
    assert_eq!(dup.sidecar, SidecarOutcome::Skipped(SkipReason::Duplicate));
    let older = record(object(&bucket, "e1", Some("0A")), OutputMode::Native, 60);
    let late = deliver(&aws.clients, &cfg, &older).await.unwrap();
    assert_eq!(late.sidecar, SidecarOutcome::Skipped(SkipReason::Stale));
    assert_eq!(late.name(), "stale");
    let (_, _, meta) = aws.object(&bucket, &at.key).await.unwrap();
    assert_eq!(meta.get("source-etag").map(String::as_str), Some("e2"));
}

#[tokio::test]
async fn notifications_carry_filterable_attributes() {
    let Some(aws) = Aws::new().await else { return };
    let table = aws.table().await;
    let (topic, queue) = aws.topic_with_queue().await;
    let cfg = config(Some(&table), false, Some(&topic));
    let rec = record(object("media", "e1", Some("0A")), OutputMode::Native, 0);
    deliver(&aws.clients, &cfg, &rec).await.unwrap();
    let meta = metasift::extract_bytes(UNRECOGNISED).unwrap_err();
    let mut broken = object("media", "e9", Some("01"));
    broken.key = "broken.bin".into();
    let failed =
        ObjectRecord::failed(broken, &meta, Default::default(), OutputMode::Native, SystemTime::now());
    deliver(&aws.clients, &cfg, &failed).await.unwrap();

    let messages = aws.drain(&queue);
    assert_eq!(messages.len(), 2);
    let attr = |msg: &Json, name: &str| {
        let a = msg["MessageAttributes"].get(name)?;
        assert_eq!(a["Type"], "String", "{name}: {a}");
        a["Value"].as_str().map(str::to_owned)
    };
    let ok = messages.iter().find(|m| attr(m, "error").is_none()).unwrap();
    assert_eq!(attr(ok, "format").as_deref(), Some("JPEG"));
    assert_eq!(attr(ok, "mime").as_deref(), Some("image/jpeg"));
    assert_eq!(attr(ok, "has_gps").as_deref(), Some("true"));
    assert_eq!(attr(ok, "bucket").as_deref(), Some("media"));
    let body: Json = serde_json::from_str(ok["Message"].as_str().unwrap()).unwrap();
    assert_eq!(body["uri"], rec.object.uri());
    assert_eq!(body["summary"]["gps"], rec.summary["gps"]);

    let bad = messages.iter().find(|m| attr(m, "error").is_some()).unwrap();
    assert_eq!(attr(bad, "error"), failed.error);
    assert_eq!(attr(bad, "has_gps").as_deref(), Some("false"));
    assert_eq!(attr(bad, "format"), None);
}

#[tokio::test]
async fn failed_extractions_are_stored_with_their_error() {
    let Some(aws) = Aws::new().await else { return };
    let table = aws.table().await;
    let err = metasift::extract_bytes(UNRECOGNISED).unwrap_err();
    let failed = ObjectRecord::failed(
        object("media", "e1", Some("0A")),
        &err,
        Default::default(),
        OutputMode::Native,
        SystemTime::now(),
    );
    let outcome = deliver(&aws.clients, &config(Some(&table), false, None), &failed).await.unwrap();
    assert!(written(&outcome));
    let item = aws.item(&table, &failed.object.uri()).await.unwrap();
    assert_eq!(s(&item, "error"), err.to_string());
    assert!(!item.contains_key("format") && !item.contains_key("mime"));
    assert_eq!(s(m(&item, "metadata"), "Error"), err.to_string());
}

#[tokio::test]
async fn exiftool_output_mode_stores_exiftool_keys() {
    let Some(aws) = Aws::new().await else { return };
    let (table, bucket) = (aws.table().await, aws.bucket().await);
    let mut cfg = config(Some(&table), true, None);
    cfg.output = OutputMode::ExifTool;
    let rec = record(object(&bucket, "e1", Some("0A")), OutputMode::ExifTool, 0);
    assert!(written(&deliver(&aws.clients, &cfg, &rec).await.unwrap()));
    let item = aws.item(&table, &rec.object.uri()).await.unwrap();
    assert!(s(&item, "extractor").ends_with(" exiftool"));
    let metadata = m(&item, "metadata");
    assert_eq!(s(metadata, "EXIF:Make"), "Canon");
    assert_eq!(n(metadata.get("File:ImageWidth")), "640");
    assert!(n(metadata.get("Composite:GPSLatitude")).starts_with("48.858"));
    let (body, _, _) = aws.object(&bucket, &sidecar_key(&rec.object)).await.unwrap();
    assert_eq!(serde_json::from_slice::<Json>(&body).unwrap()["EXIF:Model"], "Canon EOS 5D Mark IV");
}

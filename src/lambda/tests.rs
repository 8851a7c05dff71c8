//! Every fixture of `examples/events/` parsed, and the shapes around them: broken messages,
//! missing fields, the responses.

use serde_json::{Value, json};

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        serde_json::from_str::<Value>(include_str!(concat!("../../examples/events/", $name))).unwrap()
    };
}

fn objects(payload: &Value) -> Vec<ObjectEvent> {
    match parse_invocation(payload).unwrap() {
        Invocation::Objects(objects) => objects,
        other => panic!("expected objects, got {other:?}"),
    }
}

fn sqs(payload: &Value) -> Vec<SqsMessage> {
    match parse_invocation(payload).unwrap() {
        Invocation::Sqs(messages) => messages,
        other => panic!("expected an SQS batch, got {other:?}"),
    }
}

fn batch(payload: &Value) -> BatchJob {
    match parse_invocation(payload).unwrap() {
        Invocation::BatchOperations(job) => job,
        other => panic!("expected a Batch Operations job, got {other:?}"),
    }
}

/// The object of the AWS "PUT" example, with the key of our fixtures.
fn documented_put() -> ObjectEvent {
    ObjectEvent {
        bucket: "amzn-s3-demo-bucket".into(),
        key: "photos/2024/beach day ü+1.jpg".into(),
        version_id: Some("096fKKXTRTtl3on89fVO.nfljtsv6qko".into()),
        etag: Some("d41d8cd98f00b204e9800998ecf8427e".into()),
        size: Some(1024),
        sequencer: Some("0055AED6DCD90281E5".into()),
        event_time: Some("1970-01-01T00:00:00.000Z".into()),
        kind: ObjectEventKind::Created,
    }
}

#[test]
fn lambda_s3_put_notification() {
    assert_eq!(objects(&fixture!("s3-put.json")), vec![documented_put()]);
}

#[test]
fn lambda_s3_delete_notification() {
    let found = objects(&fixture!("s3-delete.json"));
    assert_eq!(found.len(), 1);
    let object = &found[0];
    assert_eq!(object.kind, ObjectEventKind::Removed);
    assert_eq!(object.key, "reports/Q1 summary + notes été.pdf");
    assert_eq!(object.version_id.as_deref(), Some("Ja3lhA3Hn5zOp_9UvvRo9wW0FX6wMKSm"));
    assert_eq!(object.sequencer.as_deref(), Some("0055AED6DCD90281F2"));
    assert_eq!((object.size, object.etag.as_deref()), (None, None));
}

#[test]
fn lambda_s3_test_event_names_nothing() {
    assert_eq!(objects(&fixture!("s3-test-event.json")), vec![]);
}

#[test]
fn lambda_sqs_batch_keeps_a_broken_body_to_its_message() {
    let messages = sqs(&fixture!("sqs-s3-batch.json"));
    let ids: Vec<&str> = messages.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "059f36b4-87a3-44ab-83d2-661975830a7d",
            "2e1424d4-f796-459a-8184-9c92662be6da",
            "c5ab3b07-3e2d-4c4e-9a0e-24d1b62f8c11"
        ]
    );
    assert_eq!(messages[0].objects, Ok(vec![documented_put()]));
    let error = messages[1].objects.as_ref().unwrap_err();
    assert_eq!(error.kind(), EventErrorKind::Malformed);
    assert!(error.message().starts_with("body: not JSON: "), "{error}");
    let multipart = messages[2].objects.as_ref().unwrap();
    assert_eq!(multipart.len(), 1);
    assert_eq!(multipart[0].key, "videos/Café tour #1+2.mp4");
    assert_eq!(multipart[0].size, Some(73_400_320));
    assert_eq!(multipart[0].version_id.as_deref(), Some("PHtexPGjH2y.zBgT8LmB7wwLI2mpbz.k"));
    assert_eq!(multipart[0].kind, ObjectEventKind::Created);
    let counts: Vec<u32> = messages.iter().map(|m| m.receive_count).collect();
    assert_eq!(counts, [1, 1, 3]);

    let failed = messages.iter().filter(|m| m.objects.is_err()).map(|m| m.message_id.as_str());
    assert_eq!(
        sqs_batch_response(failed),
        json!({"batchItemFailures": [{"itemIdentifier": "2e1424d4-f796-459a-8184-9c92662be6da"}]})
    );
}

#[test]
fn lambda_sqs_body_in_an_sns_envelope() {
    let messages = sqs(&fixture!("sqs-sns-s3.json"));
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].message_id, "9b1e8f4a-6f52-4d8e-8d3c-0b7e1e0c6a21");
    assert_eq!(messages[0].objects, Ok(vec![documented_put()]));
}

#[test]
fn lambda_sns_delivered_directly() {
    assert_eq!(objects(&fixture!("sns-s3.json")), vec![documented_put()]);
}

fn documented_eventbridge_created() -> ObjectEvent {
    ObjectEvent {
        bucket: "amzn-s3-demo-bucket1".into(),
        // Not URL-encoded: the `+` is a plus, as sent.
        key: "photos/2024/beach day ü+1.jpg".into(),
        version_id: Some("IYV3p45BT0ac8hjHg1houSdS1a.Mro8e".into()),
        etag: Some("b1946ac92492d2347c6235b4d2611184".into()),
        size: Some(5),
        sequencer: Some("617f08299329d189".into()),
        event_time: Some("2021-11-12T00:00:00Z".into()),
        kind: ObjectEventKind::Created,
    }
}

#[test]
fn lambda_eventbridge_object_created_direct_and_through_sqs() {
    let expected = vec![documented_eventbridge_created()];
    assert_eq!(objects(&fixture!("eventbridge-object-created.json")), expected);
    let messages = sqs(&fixture!("sqs-eventbridge.json"));
    assert_eq!(messages[0].message_id, "f1e2d3c4-b5a6-4789-9abc-def012345678");
    assert_eq!(messages[0].objects, Ok(expected));
}

#[test]
fn lambda_eventbridge_object_deleted() {
    let found = objects(&fixture!("eventbridge-object-deleted.json"));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, ObjectEventKind::Removed);
    assert_eq!((found[0].bucket.as_str(), found[0].key.as_str()), ("amzn-s3-demo-bucket1", "example-key"));
    assert_eq!(found[0].version_id.as_deref(), Some("1QW9g1Z99LUNbvaaYVpW9xDlOLU.qxgF"));
    assert_eq!(found[0].size, None);
}

#[test]
fn lambda_eventbridge_other_detail_types_name_nothing() {
    let mut event = fixture!("eventbridge-object-created.json");
    event["detail-type"] = json!("Object Restore Completed");
    assert_eq!(objects(&event), vec![]);
}

#[test]
fn lambda_batch_operations_schema_1() {
    let job = batch(&fixture!("batch-operations-1.0.json"));
    assert_eq!(job.schema_version, "1.0");
    assert_eq!(job.invocation_id, "YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo");
    assert_eq!(job.job_id, "f3cc4f60-61f6-4a2b-8a21-d07600c373ce");
    assert!(job.user_arguments.is_empty());
    assert_eq!(
        job.tasks,
        vec![BatchTask {
            task_id: "dGFza2lkZ29lc2hlcmUK".into(),
            bucket: "amzn-s3-demo-bucket".into(),
            key: "customerImages/Jane Doe ü+1.jpg".into(),
            version_id: Some("1".into()),
        }]
    );
}

#[test]
fn lambda_batch_operations_schema_2() {
    let job = batch(&fixture!("batch-operations-2.0.json"));
    assert_eq!(job.schema_version, "2.0");
    assert_eq!(job.job_id, "ry77cd60-61f6-4a2b-8a21-d07600c874gf");
    assert_eq!(job.user_arguments.get("k1").map(String::as_str), Some("v1"));
    assert_eq!(job.user_arguments.get("k2").map(String::as_str), Some("v2"));
    assert_eq!(
        job.tasks,
        vec![BatchTask {
            task_id: "y5R3a2lkZ29lc2hlcmUK".into(),
            bucket: "amzn-s3-demo-directory-bucket--usw2-az1--x-s3".into(),
            key: "prefix/dir 1/résumé+2.pdf".into(),
            version_id: None,
        }]
    );
}

#[test]
fn lambda_batch_response_repeats_the_request() {
    let job = batch(&fixture!("batch-operations-2.0.json"));
    let results = [
        BatchTaskResult {
            task_id: "y5R3a2lkZ29lc2hlcmUK".into(),
            code: BatchResultCode::Succeeded,
            result_string: "42 tags".into(),
        },
        BatchTaskResult {
            task_id: "other".into(),
            code: BatchResultCode::TemporaryFailure,
            result_string: "SlowDown".into(),
        },
    ];
    assert_eq!(
        batch_response(&job, &results),
        json!({
            "invocationSchemaVersion": "2.0",
            "treatMissingKeysAs": "PermanentFailure",
            "invocationId": "Jr3s8KZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo",
            "results": [
                {"taskId": "y5R3a2lkZ29lc2hlcmUK", "resultCode": "Succeeded", "resultString": "42 tags"},
                {"taskId": "other", "resultCode": "TemporaryFailure", "resultString": "SlowDown"}
            ]
        })
    );
    assert_eq!(BatchResultCode::PermanentFailure.as_str(), "PermanentFailure");
}

#[test]
fn lambda_moto_notification_without_version_sequencer_or_identity() {
    let expected = ObjectEvent {
        bucket: "media-inbox".into(),
        key: "uploads/beach day ü+1.jpg".into(),
        version_id: None,
        etag: Some("f5ee0ec808cb0da7058c84210b3fbb87".into()),
        size: Some(4),
        sequencer: None,
        event_time: Some("2026-12-07T16:25:55.254938".into()),
        kind: ObjectEventKind::Created,
    };
    assert_eq!(objects(&fixture!("moto-s3-notification.json")), vec![expected.clone()]);

    let messages = sqs(&fixture!("moto-sqs-batch.json"));
    assert_eq!(messages.len(), 2);
    // moto sends its test event first, as S3 does.
    assert_eq!(messages[0].message_id, "e390eebb-cac0-4661-bde2-998ed0a986d6");
    assert_eq!(messages[0].objects, Ok(vec![]));
    assert_eq!(messages[1].message_id, "88ede8e0-c043-4d8f-8e88-7136ae02d1c9");
    assert_eq!(messages[1].objects, Ok(vec![expected]));
}

#[test]
fn lambda_test_event_through_sqs_and_sns() {
    let test_event = include_str!("../../examples/events/s3-test-event.json");
    let envelope = json!({"Type": "Notification", "Message": test_event}).to_string();
    let payload = json!({"Records": [
        {"eventSource": "aws:sqs", "messageId": "a", "body": test_event},
        {"eventSource": "aws:sqs", "messageId": "b", "body": envelope},
    ]});
    let messages = sqs(&payload);
    assert!(messages.iter().all(|m| m.objects == Ok(vec![])), "{messages:?}");
    let sns = json!({"Records": [{"EventSource": "aws:sns", "Sns": {"Message": test_event}}]});
    assert_eq!(objects(&sns), vec![]);
}

#[test]
fn lambda_unrecognised_shapes() {
    for payload in [
        json!({"hello": "world"}),
        json!([1, 2]),
        json!("text"),
        json!({"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}),
        json!({"Records": [{"eventSource": "aws:dynamodb"}]}),
        json!({"Records": [{"eventSource": {"not": "a string"}}]}),
        json!({"Records": [{"messageId": "no source"}]}),
        json!({"Records": "nope"}),
    ] {
        let error = parse_invocation(&payload).unwrap_err();
        assert_eq!(error.kind(), EventErrorKind::Unrecognised, "{payload}");
        assert!(
            error.to_string().starts_with(
                "unrecognised event shape: neither S3, SQS, SNS, EventBridge nor S3 Batch Operations"
            ),
            "{error}"
        );
    }
    let error = parse_invocation(&json!({"Records": [{"eventSource": "aws:kinesis"}]})).unwrap_err();
    assert!(error.message().ends_with("(Records[0] has eventSource \"aws:kinesis\")"), "{error}");
}

#[test]
fn lambda_missing_bucket_or_key_names_the_record() {
    let mut event = fixture!("s3-put.json");
    let second = json!({"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
        "s3": {"bucket": {"name": "b"}, "object": {"size": 3}}});
    event["Records"].as_array_mut().unwrap().push(second);
    let error = parse_invocation(&event).unwrap_err();
    assert_eq!(error.kind(), EventErrorKind::Malformed);
    assert_eq!(error.to_string(), "Records[1]: missing s3.object.key");

    event["Records"][1]["s3"] = json!({"object": {"key": "k"}});
    assert_eq!(parse_invocation(&event).unwrap_err().to_string(), "Records[1]: missing s3.bucket.name");

    let mut eventbridge = fixture!("eventbridge-object-created.json");
    eventbridge["detail"]["object"].as_object_mut().unwrap().remove("key");
    assert_eq!(parse_invocation(&eventbridge).unwrap_err().to_string(), "detail: missing object.key");
}

#[test]
fn lambda_sqs_message_errors_stay_with_their_message() {
    let bad_record = json!({"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
        "s3": {"bucket": {"name": "b"}}}]})
    .to_string();
    let not_s3 = json!({"Records": [{"eventSource": "aws:sqs"}]}).to_string();
    let payload = json!({"Records": [
        {"eventSource": "aws:sqs", "messageId": "missing-key", "body": bad_record},
        {"eventSource": "aws:sqs", "messageId": "unknown", "body": "{\"hello\": 1}"},
        {"eventSource": "aws:sqs", "messageId": "sqs-in-sqs", "body": not_s3},
        {"eventSource": "aws:sqs", "messageId": "no-body"},
        {"eventSource": "aws:sqs", "messageId": "envelope", "body": "{\"Type\":\"Notification\",\"Message\":\"[\"}"},
    ]});
    let messages = sqs(&payload);
    let errors: Vec<String> = messages.iter().map(|m| m.objects.as_ref().unwrap_err().to_string()).collect();
    assert_eq!(errors[0], "body: Records[0]: missing s3.object.key");
    assert!(errors[1].starts_with("body: unrecognised message"), "{}", errors[1]);
    assert_eq!(errors[2], "body: Records[0]: not an S3 event record (eventSource is not aws:s3)");
    assert_eq!(errors[3], "Records[3]: missing body");
    assert!(errors[4].starts_with("body: Message: not JSON: "), "{}", errors[4]);
    assert_eq!(
        sqs_batch_response(messages.iter().map(|m| &m.message_id)),
        json!({"batchItemFailures": [
            {"itemIdentifier": "missing-key"}, {"itemIdentifier": "unknown"},
            {"itemIdentifier": "sqs-in-sqs"}, {"itemIdentifier": "no-body"},
            {"itemIdentifier": "envelope"}
        ]})
    );
}

#[test]
fn lambda_sqs_without_message_id_fails_the_batch() {
    let payload = json!({"Records": [{"eventSource": "aws:sqs", "body": "{}"}]});
    assert_eq!(parse_invocation(&payload).unwrap_err().to_string(), "Records[0]: missing messageId");
    let mixed = json!({"Records": [
        {"eventSource": "aws:sqs", "messageId": "a", "body": "{}"},
        {"eventSource": "aws:s3", "eventName": "ObjectCreated:Put"},
    ]});
    assert_eq!(
        parse_invocation(&mixed).unwrap_err().to_string(),
        "Records: SQS messages mixed with S3 or SNS records"
    );
}

#[test]
fn lambda_events_that_keep_the_object_are_skipped() {
    let mut event = fixture!("s3-put.json");
    for name in [
        "ObjectRestore:Completed",
        "LifecycleTransition",
        "ObjectTagging:Put",
        "Replication:OperationFailedReplication",
    ] {
        event["Records"][0]["eventName"] = json!(name);
        assert_eq!(objects(&event), vec![], "{name}");
    }
    event["Records"][0]["eventName"] = json!("LifecycleExpiration:Delete");
    assert_eq!(objects(&event)[0].kind, ObjectEventKind::Removed);
    event["Records"][0]["eventName"] = json!("s3:ObjectCreated:Copy");
    assert_eq!(objects(&event)[0].kind, ObjectEventKind::Created);
    event["Records"][0].as_object_mut().unwrap().remove("eventName");
    assert_eq!(parse_invocation(&event).unwrap_err().to_string(), "Records[0]: missing eventName");
}

#[test]
fn lambda_size_as_string_and_wrong_types() {
    let mut event = fixture!("s3-put.json");
    event["Records"][0]["s3"]["object"]["size"] = json!("2048");
    assert_eq!(objects(&event)[0].size, Some(2048));
    event["Records"][0]["s3"]["object"]["size"] = json!(-1);
    assert_eq!(
        parse_invocation(&event).unwrap_err().to_string(),
        "Records[0]: s3.object.size is not a byte count"
    );
    event["Records"][0]["s3"]["object"]["size"] = json!(null);
    event["Records"][0]["s3"]["object"]["key"] = json!(7);
    let error = parse_invocation(&event).unwrap_err();
    assert!(error.to_string().starts_with("Records[0]: invalid type: integer `7`"), "{error}");
}

#[test]
fn lambda_batch_operations_errors() {
    let mut job = fixture!("batch-operations-1.0.json");
    job["tasks"][0]["s3BucketArn"] = json!("amzn-s3-demo-bucket");
    assert_eq!(
        parse_invocation(&job).unwrap_err().to_string(),
        "tasks[0]: s3BucketArn \"amzn-s3-demo-bucket\" is not a bucket ARN"
    );
    job["tasks"][0].as_object_mut().unwrap().remove("s3BucketArn");
    assert_eq!(parse_invocation(&job).unwrap_err().to_string(), "tasks[0]: missing s3Bucket or s3BucketArn");
    job["tasks"][0]["s3Bucket"] = json!("b");
    job["tasks"][0].as_object_mut().unwrap().remove("s3Key");
    assert_eq!(parse_invocation(&job).unwrap_err().to_string(), "tasks[0]: missing s3Key");
    job.as_object_mut().unwrap().remove("invocationId");
    assert_eq!(
        parse_invocation(&job).unwrap_err().to_string(),
        "S3 Batch Operations job: missing invocationId"
    );
}

#[test]
fn lambda_sqs_response_of_no_failures() {
    assert_eq!(sqs_batch_response(Vec::<String>::new()), json!({"batchItemFailures": []}));
}

#[test]
fn lambda_errors_are_std_errors() {
    let error: Box<dyn std::error::Error> = Box::new(parse_invocation(&json!({})).unwrap_err());
    assert!(error.to_string().contains("unrecognised event shape"));
}

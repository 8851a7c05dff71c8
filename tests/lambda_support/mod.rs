//! A local AWS for the Lambda output tests: a moto server (started here on a free port
//! unless `METASIFT_MOTO_ENDPOINT` names one), SDK clients pointed at it, and the few
//! resources the tests make (tables, buckets, a topic with an SQS queue subscribed).
#![allow(dead_code)]

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};
use metasift::lambda::outputs::Clients;
use serde_json::{Value as Json, json};
use std::collections::HashMap;

#[path = "../support/local_aws.rs"]
mod local_aws;
pub use local_aws::endpoint;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU32, Ordering};

/// A name no other test (nor an earlier run against a shared server) uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().subsec_nanos();
    format!("{prefix}-{}-{}-{nanos}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// The local AWS: its endpoint and clients, with dummy credentials and a region set on
/// the configuration itself (the process environment is left alone).
pub struct Aws {
    pub endpoint: String,
    pub clients: Clients,
}

impl Aws {
    pub async fn new() -> Option<Aws> {
        let endpoint = endpoint()?;
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
                "test", "test", None, None, "tests",
            ))
            .endpoint_url(&endpoint)
            .load()
            .await;
        // Path-style S3, as local stacks need: `from_sdk_config` chooses it when an
        // endpoint is set.
        Some(Aws { clients: Clients::from_sdk_config(&sdk), endpoint })
    }

    pub async fn table(&self) -> String {
        let name = unique("items");
        let attr = AttributeDefinition::builder().attribute_name("pk").attribute_type(ScalarAttributeType::S);
        let key = KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash);
        self.clients
            .dynamodb
            .create_table()
            .table_name(&name)
            .attribute_definitions(attr.build().unwrap())
            .key_schema(key.build().unwrap())
            .billing_mode(BillingMode::PayPerRequest)
            .send()
            .await
            .unwrap();
        name
    }

    pub async fn bucket(&self) -> String {
        let name = unique("bucket").to_lowercase();
        self.clients.s3.create_bucket().bucket(&name).send().await.unwrap();
        name
    }

    /// The item stored under `pk`, read consistently.
    pub async fn item(&self, table: &str, pk: &str) -> Option<HashMap<String, AttributeValue>> {
        let out = self
            .clients
            .dynamodb
            .get_item()
            .table_name(table)
            .key("pk", AttributeValue::S(pk.into()))
            .consistent_read(true)
            .send()
            .await
            .unwrap();
        out.item().cloned()
    }

    /// The body, content type and user metadata of an S3 object, or `None` if absent.
    pub async fn object(
        &self,
        bucket: &str,
        key: &str,
    ) -> Option<(Vec<u8>, String, HashMap<String, String>)> {
        let out = match self.clients.s3.get_object().bucket(bucket).key(key).send().await {
            Ok(out) => out,
            Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_key()) => return None,
            Err(e) => panic!("GetObject {bucket}/{key}: {e:?}"),
        };
        let content_type = out.content_type().unwrap_or_default().to_owned();
        let meta = out.metadata().cloned().unwrap_or_default();
        let body = out.body.collect().await.unwrap().into_bytes().to_vec();
        Some((body, content_type, meta))
    }

    /// A new SNS topic with a new SQS queue subscribed to it: (topic ARN, queue URL).
    pub async fn topic_with_queue(&self) -> (String, String) {
        let topic = self.clients.sns.create_topic().name(unique("topic")).send().await.unwrap();
        let topic_arn = topic.topic_arn().unwrap().to_owned();
        let queue = self.sqs("CreateQueue", json!({"QueueName": unique("queue")}));
        let queue_url = queue["QueueUrl"].as_str().unwrap().to_owned();
        let attrs =
            self.sqs("GetQueueAttributes", json!({"QueueUrl": queue_url, "AttributeNames": ["QueueArn"]}));
        let queue_arn = attrs["Attributes"]["QueueArn"].as_str().unwrap();
        let sub = self.clients.sns.subscribe().topic_arn(&topic_arn).protocol("sqs").endpoint(queue_arn);
        sub.send().await.unwrap();
        (topic_arn, queue_url)
    }

    /// A new SQS queue: (URL, ARN).
    pub fn queue(&self) -> (String, String) {
        let queue = self.sqs("CreateQueue", json!({"QueueName": unique("queue")}));
        let url = queue["QueueUrl"].as_str().unwrap().to_owned();
        let attrs = self.sqs("GetQueueAttributes", json!({"QueueUrl": url, "AttributeNames": ["QueueArn"]}));
        let arn = attrs["Attributes"]["QueueArn"].as_str().unwrap().to_owned();
        (url, arn)
    }

    /// Every SNS envelope waiting in `queue_url` (JSON, with `Message` and
    /// `MessageAttributes`), deleting them as they are read.
    pub fn drain(&self, queue_url: &str) -> Vec<Json> {
        let mut out = Vec::new();
        loop {
            let got = self.sqs(
                "ReceiveMessage",
                json!({"QueueUrl": queue_url, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 0}),
            );
            let Some(messages) = got["Messages"].as_array().filter(|m| !m.is_empty()) else { return out };
            for m in messages {
                out.push(serde_json::from_str(m["Body"].as_str().unwrap()).unwrap());
                let handle = &m["ReceiptHandle"];
                self.sqs("DeleteMessage", json!({"QueueUrl": queue_url, "ReceiptHandle": handle}));
            }
        }
    }

    /// One SQS call in its JSON protocol, by hand: the crate has no SQS client (its
    /// Lambda never calls SQS), and the tests need four calls. moto routes a request by
    /// the service named in its credential scope and does not check the signature.
    #[allow(clippy::disallowed_methods)] // a local test server's reply, read whole
    pub fn sqs(&self, action: &str, body: Json) -> Json {
        let host = self.endpoint.trim_start_matches("http://").trim_end_matches('/');
        let body = body.to_string();
        let request = format!(
            "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-amz-json-1.0\r\n\
             X-Amz-Target: AmazonSQS.{action}\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, \
             SignedHeaders=host, Signature=0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let mut stream = TcpStream::connect(host).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, payload) = response.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"), "{action}: {response}");
        assert!(!head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "{head}");
        if payload.trim().is_empty() { json!({}) } else { serde_json::from_str(payload).unwrap() }
    }
}

/// A DynamoDB attribute's text, for assertions.
pub fn s(item: &HashMap<String, AttributeValue>, name: &str) -> String {
    match item.get(name) {
        Some(AttributeValue::S(v)) => v.clone(),
        other => panic!("{name} is not S: {other:?}"),
    }
}

/// A DynamoDB attribute's number, as DynamoDB returns it (text), for assertions.
pub fn n(value: Option<&AttributeValue>) -> String {
    match value {
        Some(AttributeValue::N(v)) => v.clone(),
        other => panic!("not N: {other:?}"),
    }
}

/// The map under `name`.
pub fn m<'a>(item: &'a HashMap<String, AttributeValue>, name: &str) -> &'a HashMap<String, AttributeValue> {
    match item.get(name) {
        Some(AttributeValue::M(v)) => v,
        other => panic!("{name} is not M: {other:?}"),
    }
}

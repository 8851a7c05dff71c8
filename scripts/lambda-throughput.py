#!/usr/bin/env python3
"""Throughput of the Lambda through its SQS path, against a local AWS (moto).

Sets up what template.yaml deploys (a bucket whose ObjectCreated notifications go to an
SQS queue, a DynamoDB table), uploads N files taken round-robin from a folder, then
drains the queue the way Lambda's SQS event source does: batches of up to 10 messages,
each batch one invocation of the function under `cargo lambda watch` (its Invoke
endpoint). Prints objects per second, invocations, partial-batch failures, and the GETs
and bytes per object that the function recorded in its items.

    cargo lambda watch --release --features lambda --bin metasift-lambda   # with the env below
    scripts/lambda-throughput.py ENDPOINT FOLDER [N] [INVOKE_URL]

The function's environment: AWS_ENDPOINT_URL=ENDPOINT, METASIFT_TABLE=metasift-throughput,
dummy credentials and a region. Needs boto3.
"""
import json
import os
import sys
import time
import urllib.request

import boto3

ENDPOINT = sys.argv[1]
FOLDER = sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
INVOKE = sys.argv[4] if len(sys.argv) > 4 else \
    "http://127.0.0.1:9000/2015-03-31/functions/metasift-lambda/invocations"
BUCKET, QUEUE, TABLE = "lambda-throughput", "lambda-throughput", "metasift-throughput"
kw = dict(endpoint_url=ENDPOINT, aws_access_key_id="test", aws_secret_access_key="test",
          region_name="us-east-1")
s3, sqs, ddb = boto3.client("s3", **kw), boto3.client("sqs", **kw), boto3.client("dynamodb", **kw)

ddb.create_table(TableName=TABLE, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                 AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                 BillingMode="PAY_PER_REQUEST")
queue_url = sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
s3.create_bucket(Bucket=BUCKET)
s3.put_bucket_notification_configuration(Bucket=BUCKET, NotificationConfiguration={
    "QueueConfigurations": [{"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]})

files = sorted(os.path.join(r, f) for r, _, fs in os.walk(FOLDER) for f in fs
               if os.path.getsize(os.path.join(r, f)) < 50_000_000)
for i in range(N):
    path = files[i % len(files)]
    with open(path, "rb") as fh:
        s3.put_object(Bucket=BUCKET, Key=f"{i:05d}/{os.path.basename(path)}", Body=fh.read())

invocations = failures = seen = 0
start = time.monotonic()
idle = 0
while idle < 3:
    got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                              AttributeNames=["All"]).get("Messages", [])
    if not got:
        idle += 1
        continue
    idle = 0
    records = [{"eventSource": "aws:sqs", "messageId": m["MessageId"], "body": m["Body"],
                "receiptHandle": m["ReceiptHandle"],
                "attributes": {"ApproximateReceiveCount": m["Attributes"].get("ApproximateReceiveCount", "1")}}
               for m in got]
    req = urllib.request.Request(INVOKE, data=json.dumps({"Records": records}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        answer = json.load(resp)
    invocations += 1
    failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
    failures += len(failed)
    seen += len(got)
    done = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
            for i, m in enumerate(got) if m["MessageId"] not in failed]
    if done:
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=done)
elapsed = time.monotonic() - start - 3  # the three empty polls that ended the loop

items = []
scan = {"TableName": TABLE}
while True:
    page = ddb.scan(**scan)
    items += page["Items"]
    if "LastEvaluatedKey" not in page:
        break
    scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]
gets = sum(int(i["requests"]["N"]) for i in items if "requests" in i)
read = sum(int(i["bytes_read"]["N"]) for i in items if "bytes_read" in i)
errors = sum(1 for i in items if "error" in i)
print(json.dumps({"objects": N, "messages": seen, "invocations": invocations,
                  "failed_messages": failures, "seconds": round(elapsed, 2),
                  "objects_per_second": round(len(items) / elapsed, 1) if elapsed > 0 else None,
                  "items": len(items), "items_with_error": errors,
                  "gets_per_object": round(gets / max(len(items), 1), 3),
                  "bytes_read": read}, indent=1))

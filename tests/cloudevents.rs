//! The CloudEvents entry over real HTTP: the server runs in-process on 127.0.0.1 (and once
//! as the real `metasift-cloudevents` binary), events are POSTed to it with ureq, and a
//! local stand-in for Cloud Storage's XML API (`cloudevents/fake_gcs.rs`) serves the
//! objects and takes the sidecars, recording every request.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "cloudevents/fake_gcs.rs"]
mod fake_gcs;

use fake_gcs::FakeGcs;
use metasift::cloudevents::{Config, FINALIZED, SidecarOutput, serve};
use metasift::remote::RetryPolicy;
use serde_json::{Value as Json, json};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::time::Duration;

const JPEG: &[u8] = include_bytes!("fixtures/canon_full.jpg");
const MOOV_END: &[u8] = include_bytes!("fixtures/movie/h264_aac_moov_end_nomdat.mp4");
const GEN: u64 = 1_700_000_000_000_001;

fn quick() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(2), Duration::from_millis(10))
}

/// A fake Cloud Storage and the entry in front of it, configured by `setup`.
fn start(setup: impl FnOnce(Config) -> Config) -> (FakeGcs, String) {
    let gcs = FakeGcs::start();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let config = setup(Config::new(gcs.endpoint()).with_log(false).with_retry(quick()));
    std::thread::spawn(move || serve(listener, config));
    (gcs, url)
}

/// `StorageObjectData` as Cloud Storage sends it (int64 fields as strings).
fn data(bucket: &str, name: &str, generation: u64, size: usize) -> Json {
    json!({
        "kind": "storage#object", "id": format!("{bucket}/{name}/{generation}"),
        "bucket": bucket, "name": name, "generation": generation.to_string(), "metageneration": "1",
        "contentType": "image/jpeg", "size": size.to_string(), "md5Hash": "q2S0+Yo1N8Xyl+kIRzpJ0A==",
        "etag": "CIHW9uLQ+4IDEAE=", "storageClass": "STANDARD", "timeCreated": "2024-05-01T12:00:00.000Z",
    })
}

fn post(url: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, Json) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut req = agent.post(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut resp = req.send(body).expect("the entry answers");
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().expect("a body");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")))
}

/// A binary-mode delivery, as Eventarc sends them to Cloud Run.
fn post_binary(url: &str, event_type: &str, data: &Json) -> (u16, Json) {
    let bucket = data["bucket"].as_str().unwrap_or("");
    let source = format!("//storage.googleapis.com/projects/_/buckets/{bucket}");
    let subject = format!("objects/{}", data["name"].as_str().unwrap_or("").replace(' ', "%20"));
    let headers = [
        ("ce-specversion", "1.0"),
        ("ce-type", event_type),
        ("ce-id", "7435283462831"),
        ("ce-source", source.as_str()),
        ("ce-subject", subject.as_str()),
        ("ce-time", "2024-05-01T12:00:00.000Z"),
        ("Content-Type", "application/json; charset=utf-8"),
    ];
    post(url, &headers, data.to_string().as_bytes())
}

fn post_structured(url: &str, data: &Json) -> (u16, Json) {
    let event = json!({
        "specversion": "1.0", "type": FINALIZED, "id": "99",
        "source": "//storage.googleapis.com/projects/_/buckets/photos",
        "subject": format!("objects/{}", data["name"].as_str().unwrap_or("")),
        "datacontenttype": "application/json", "data": data,
    });
    post(
        url,
        &[("Content-Type", "application/cloudevents+json; charset=UTF-8")],
        event.to_string().as_bytes(),
    )
}

#[test]
fn binary_mode_reads_the_generation_with_one_get_and_writes_the_sidecar() {
    let (gcs, url) = start(|c| c.with_token("test-token"));
    let name = "2024/beach day+1.jpg";
    gcs.put_object("photos", name, GEN, JPEG);
    gcs.put_object("photos", name, GEN + 5, b"a newer generation, never read");

    let (status, reply) = post_binary(&url, FINALIZED, &data("photos", name, GEN, JPEG.len()));
    assert_eq!((status, reply["outcome"].as_str()), (200, Some("done")), "{reply}");
    assert_eq!(reply["event"]["object"], format!("gs://photos/{name}"));

    let sidecar = gcs.sidecar("photos", &format!("metadata/{name}.json"));
    assert_eq!(sidecar["generation"], GEN.to_string());
    assert_eq!((sidecar["bucket"].as_str(), sidecar["name"].as_str()), (Some("photos"), Some(name)));
    assert_eq!(
        (sidecar["requests"].as_u64(), sidecar["bytes_read"].as_u64()),
        (Some(1), Some(JPEG.len() as u64))
    );
    assert_eq!(sidecar["output"], "native");
    let meta = &sidecar["metadata"];
    assert_eq!(meta["SourceFile"], format!("gs://photos/{name}"));
    assert_eq!(meta["format"], "JPEG");
    assert_eq!(meta["summary"]["make"], "Canon");
    assert_eq!(meta["summary"]["model"], "Canon EOS 5D Mark IV");
    assert_eq!(meta["summary"]["title"], "Eiffel Tower");
    let local = metasift::extract_bytes(JPEG).unwrap();
    assert_eq!(meta["tags"], serde_json::to_value(&local.tags).unwrap(), "the same tags as a local read");

    // HEAD of the sidecar, one ranged GET of exactly that generation, one conditional PUT.
    let seen = gcs.seen();
    let methods: Vec<&str> = seen.iter().map(|s| s.method.as_str()).collect();
    assert_eq!(methods, ["HEAD", "GET", "PUT"]);
    let get = &seen[1];
    assert_eq!(get.raw_path, "/photos/2024%2Fbeach%20day%2B1.jpg");
    assert_eq!(get.query, format!("generation={GEN}"));
    assert_eq!(get.header("range"), Some("bytes=0-65535"));
    assert!(seen.iter().all(|s| s.header("authorization") == Some("Bearer test-token")));
    let put = &seen[2];
    assert_eq!(
        (put.header("x-goog-if-generation-match"), put.header("content-type")),
        (Some("0"), Some("application/json"))
    );
    let stored = gcs.latest("photos", &format!("metadata/{name}.json")).unwrap();
    assert_eq!(stored.meta, vec![("x-goog-meta-source-generation".to_owned(), GEN.to_string())]);
}

#[test]
fn structured_mode_exiftool_output_to_another_bucket() {
    let (gcs, url) = start(|c| {
        c.with_sidecar_bucket("photo-meta").with_sidecar_prefix("").with_output(SidecarOutput::ExifTool)
    });
    gcs.put_object("photos", "IMG_0001.JPG", GEN, JPEG);
    let (status, reply) = post_structured(&url, &data("photos", "IMG_0001.JPG", GEN, JPEG.len()));
    assert_eq!((status, reply["outcome"].as_str()), (200, Some("done")), "{reply}");
    let sidecar = gcs.sidecar("photo-meta", "IMG_0001.JPG.json");
    assert_eq!(sidecar["output"], "exiftool");
    assert_eq!(sidecar["metadata"]["SourceFile"], "gs://photos/IMG_0001.JPG");
    assert_eq!(sidecar["metadata"]["EXIF:Make"], "Canon");
    assert_eq!(sidecar["metadata"]["EXIF:Model"], "Canon EOS 5D Mark IV");
    assert_eq!(sidecar["metadata"]["File:FileType"], "JPEG");
}

/// A moov-at-end MP4: the fixture's `ftyp` and `free`, `mdat_len` bytes of media, its `moov`.
fn moov_at_end(mdat_len: usize) -> Vec<u8> {
    let (head, rest) = MOOV_END.split_at(40);
    let mut file = head.to_vec();
    file.extend_from_slice(&((mdat_len + 8) as u32).to_be_bytes());
    file.extend_from_slice(b"mdat");
    file.resize(file.len() + mdat_len, 0);
    file.extend_from_slice(&rest[8..]);
    file
}

#[test]
fn a_video_with_its_moov_at_the_end_costs_two_gets() {
    let (gcs, url) = start(|c| c);
    let video = moov_at_end(8 << 20);
    gcs.put_object("media", "clips/run.mp4", GEN, &video);
    let (status, reply) = post_binary(&url, FINALIZED, &data("media", "clips/run.mp4", GEN, video.len()));
    assert_eq!((status, reply["outcome"].as_str()), (200, Some("done")), "{reply}");
    let sidecar = gcs.sidecar("media", "metadata/clips/run.mp4.json");
    let (requests, bytes) = (sidecar["requests"].as_u64().unwrap(), sidecar["bytes_read"].as_u64().unwrap());
    eprintln!("8 MiB MP4, moov at the end: {requests} GETs, {bytes} bytes");
    assert_eq!(requests, 2, "the head and the tail, sent together");
    assert!(bytes <= 128 << 10, "{bytes}");
    assert_eq!(sidecar["metadata"]["format"], "MP4");
    assert!(sidecar["metadata"]["summary"]["duration"].as_f64().unwrap() > 0.0);
    let gets = gcs.seen().into_iter().filter(|s| s.method == "GET").collect::<Vec<_>>();
    assert!(gets.iter().all(|g| g.query == format!("generation={GEN}")));
}

#[test]
fn a_duplicate_delivery_writes_nothing_more() {
    let (gcs, url) = start(|c| c);
    gcs.put_object("photos", "a.jpg", GEN, JPEG);
    let event = data("photos", "a.jpg", GEN, JPEG.len());
    assert_eq!(post_binary(&url, FINALIZED, &event).1["outcome"], "done");
    gcs.clear_log();
    let (status, reply) = post_binary(&url, FINALIZED, &event);
    assert_eq!((status, reply["outcome"].as_str()), (200, Some("duplicate")), "{reply}");
    let methods: Vec<String> = gcs.seen().into_iter().map(|s| s.method).collect();
    assert_eq!(methods, ["HEAD"], "no GET of the object, no second PUT");
}

#[test]
fn an_older_generation_after_a_newer_one_writes_nothing() {
    let (gcs, url) = start(|c| c);
    gcs.put_object("photos", "a.jpg", GEN, JPEG);
    gcs.put_object("photos", "a.jpg", GEN + 1, JPEG);
    assert_eq!(
        post_binary(&url, FINALIZED, &data("photos", "a.jpg", GEN + 1, JPEG.len())).1["outcome"],
        "done"
    );
    let (status, reply) = post_binary(&url, FINALIZED, &data("photos", "a.jpg", GEN, JPEG.len()));
    assert_eq!((status, reply["outcome"].as_str()), (200, Some("duplicate")), "{reply}");
    assert_eq!((gcs.count("PUT"), gcs.count("GET")), (1, 1));
    assert_eq!(gcs.sidecar("photos", "metadata/a.jpg.json")["generation"], (GEN + 1).to_string());
}

#[test]
fn a_concurrent_delivery_that_writes_first_wins() {
    let (gcs, url) = start(|c| c);
    gcs.put_object("photos", "a.jpg", GEN, JPEG);
    gcs.race_next_put();
    let (status, reply) = post_binary(&url, FINALIZED, &data("photos", "a.jpg", GEN, JPEG.len()));
    assert_eq!((status, reply["outcome"].as_str()), (200, Some("duplicate")), "{reply}");
    assert!(reply["message"].as_str().unwrap().contains("another delivery"), "{reply}");
    assert_eq!(gcs.count("PUT"), 1, "the 412 is not retried");
}

#[test]
fn sidecars_and_other_event_types_are_not_read() {
    let (gcs, url) = start(|c| c);
    gcs.put_object("photos", "metadata/a.jpg.json", GEN, b"{}");
    let (status, reply) = post_binary(&url, FINALIZED, &data("photos", "metadata/a.jpg.json", GEN, 2));
    assert_eq!((status, reply["outcome"].as_str()), (200, Some("skipped")), "{reply}");
    let (status, reply) =
        post_binary(&url, "google.cloud.storage.object.v1.deleted", &data("photos", "a.jpg", GEN, 2));
    assert_eq!((status, reply["outcome"].as_str()), (200, Some("ignored")), "{reply}");
    assert!(gcs.seen().is_empty(), "{:?}", gcs.seen());
}

#[test]
fn bad_requests_get_400_and_a_message_naming_the_field() {
    let (gcs, url) = start(|c| c);
    let good = data("photos", "a.jpg", GEN, 4);
    let body = good.to_string();
    let ce = |skip: &str| {
        [
            ("ce-specversion", "1.0"),
            ("ce-type", FINALIZED),
            ("ce-id", "1"),
            ("ce-source", "s"),
            ("content-type", "application/json"),
        ]
        .into_iter()
        .filter(|(k, _)| *k != skip)
        .collect::<Vec<_>>()
    };
    // Headers, body, and what the message must name.
    type Case<'a> = (Vec<(&'a str, &'a str)>, String, &'a str);
    let cases: Vec<Case> = vec![
        (ce("ce-type"), body.clone(), "ce-type"),
        (ce("ce-specversion"), body.clone(), "ce-specversion"),
        (ce(""), "{\"bucket\": ".to_owned(), "not valid JSON"),
        (ce(""), json!({"bucket": "photos", "generation": "1"}).to_string(), "body.name"),
        (
            ce(""),
            json!({"bucket": "photos", "name": "a.jpg", "generation": "12x"}).to_string(),
            "body.generation",
        ),
        (
            ce(""),
            json!({"bucket": "photos", "name": "a.jpg", "generation": -4}).to_string(),
            "body.generation",
        ),
        (
            vec![("content-type", "application/cloudevents+json")],
            "{\"specversion\": \"1.0\"}".to_owned(),
            "id",
        ),
    ];
    for (headers, body, field) in cases {
        let (status, reply) = post(&url, &headers, body.as_bytes());
        let message = reply["message"].as_str().unwrap_or("");
        assert_eq!((status, reply["outcome"].as_str()), (400, Some("bad_request")), "{field}: {reply}");
        assert!(message.contains(field), "{field}: {message}");
    }
    assert!(gcs.seen().is_empty());
}

#[test]
fn a_file_metasift_cannot_read_gets_an_error_sidecar() {
    let (gcs, url) = start(|c| c);
    let junk = b"\x00\x9f\x13\x37\xfe\x01\x80\x7f\x00\x00\x11\x22".repeat(10);
    gcs.put_object("photos", "blob.bin", GEN, &junk);
    let (status, reply) = post_binary(&url, FINALIZED, &data("photos", "blob.bin", GEN, junk.len()));
    assert_eq!((status, reply["outcome"].as_str()), (200, Some("unreadable")), "{reply}");
    let sidecar = gcs.sidecar("photos", "metadata/blob.bin.json");
    assert!(sidecar["error"].as_str().unwrap().starts_with("unrecognized input"), "{sidecar}");
    assert!(sidecar.get("metadata").is_none());
    assert_eq!(sidecar["generation"], GEN.to_string());
}

#[test]
fn transient_failures_are_retried_and_then_reported_for_redelivery() {
    let (gcs, url) = start(|c| c);
    gcs.put_object("photos", "a.jpg", GEN, JPEG);
    gcs.fail_gets_with_503(2);
    let (status, reply) = post_binary(&url, FINALIZED, &data("photos", "a.jpg", GEN, JPEG.len()));
    assert_eq!((status, reply["outcome"].as_str()), (200, Some("done")), "{reply}");
    assert_eq!(gcs.sidecar("photos", "metadata/a.jpg.json")["requests"], 3, "two 503s, then the answer");

    // Down for longer than the retries: 503, so that Eventarc delivers again; no sidecar.
    gcs.put_object("photos", "b.jpg", GEN, JPEG);
    gcs.fail_gets_with_503(100);
    let (status, reply) = post_binary(&url, FINALIZED, &data("photos", "b.jpg", GEN, JPEG.len()));
    assert_eq!((status, reply["outcome"].as_str()), (503, Some("failed")), "{reply}");
    assert!(reply["message"].as_str().unwrap().contains("503"), "{reply}");
    assert!(gcs.latest("photos", "metadata/b.jpg.json").is_none());
}

#[test]
fn a_generation_that_is_gone_is_superseded() {
    let (gcs, url) = start(|c| c);
    gcs.put_object("photos", "a.jpg", GEN + 1, JPEG);
    let (status, reply) = post_binary(&url, FINALIZED, &data("photos", "a.jpg", GEN, JPEG.len()));
    assert_eq!((status, reply["outcome"].as_str()), (200, Some("superseded")), "{reply}");
    assert_eq!(gcs.count("PUT"), 0);
}

#[test]
fn the_binary_serves_events() {
    let gcs = FakeGcs::start();
    gcs.put_object("photos", "a.jpg", GEN, JPEG);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_metasift-cloudevents"))
        .env("PORT", "0")
        .env("METASIFT_GCS_ENDPOINT", gcs.endpoint())
        .env("METASIFT_OUTPUT", "exiftool")
        .env_remove("METASIFT_GCS_TOKEN")
        .env_remove("METASIFT_SIDECAR_BUCKET")
        .env_remove("METASIFT_SIDECAR_PREFIX")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start metasift-cloudevents");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Json = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let message = first["message"].as_str().unwrap().to_owned();
    let port = message.split("listening on 0.0.0.0:").nth(1).and_then(|r| r.split(';').next()).unwrap();
    let url = format!("http://127.0.0.1:{port}/");

    let (status, reply) = post_binary(&url, FINALIZED, &data("photos", "a.jpg", GEN, JPEG.len()));
    let log: Json = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!((status, reply["outcome"].as_str()), (200, Some("done")), "{reply}");
    assert_eq!(gcs.sidecar("photos", "metadata/a.jpg.json")["metadata"]["EXIF:Make"], "Canon");
    assert_eq!((log["severity"].as_str(), log["outcome"].as_str()), (Some("INFO"), Some("done")), "{log}");
    assert_eq!((log["gets"].as_u64(), log["bytes"].as_u64()), (Some(1), Some(JPEG.len() as u64)), "{log}");
    assert_eq!(log["event"]["generation"], GEN.to_string());
}

//! `HttpSource` over real HTTP against a local server (`http_source/server.rs`): what a
//! remote extraction costs in requests, bytes and round trips, retries, pinning to one
//! version of the object, and servers that must not be believed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "http_source/server.rs"]
mod server;

use metasift::remote::{HttpOptions, HttpSource, RetryPolicy, extract_url_with, is_object_changed};
use metasift::{ByteSource, ErrorKind, Metadata, Options};
use server::{Mode, Server};
use std::time::{Duration, Instant};

const JPEG: &[u8] = include_bytes!("fixtures/canon_full.jpg");
const MOOV_END: &[u8] = include_bytes!("fixtures/movie/h264_aac_moov_end_nomdat.mp4");

fn quick() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(2), Duration::from_millis(10))
}

fn serve(data: Vec<u8>, mode: Mode) -> Server {
    Server::start(data, mode, Duration::ZERO, 0)
}

/// A moov-at-end MP4: the fixture's `ftyp` and `free`, an `mdat` of `mdat_len` zeros,
/// then its `moov`, grown by a `free` box of `pad` bytes inside it.
fn moov_at_end(mdat_len: usize, pad: usize) -> (Vec<u8>, usize) {
    let (head, rest) = MOOV_END.split_at(40);
    let moov = &rest[8..];
    assert_eq!(&moov[4..8], b"moov");
    let mut file = head.to_vec();
    file.extend_from_slice(&((mdat_len + 8) as u32).to_be_bytes());
    file.extend_from_slice(b"mdat");
    file.resize(file.len() + mdat_len, 0);
    let moov_len = moov.len() + if pad > 0 { pad + 8 } else { 0 };
    file.extend_from_slice(&(moov_len as u32).to_be_bytes());
    file.extend_from_slice(&moov[4..]);
    if pad > 0 {
        file.extend_from_slice(&((pad + 8) as u32).to_be_bytes());
        file.extend_from_slice(b"free");
        file.resize(file.len() + pad, 0);
    }
    (file, moov_len)
}

/// Opens `url` and extracts through the source, giving the source back for its counters.
fn extract(url: &str, http: &HttpOptions, ext: Option<&str>) -> (Metadata, u64, u64) {
    let options = Options::default();
    let source = HttpSource::open_with(url, &options, http).expect("open");
    let meta = metasift::extract_hinted(&source, &options, ext).expect("extract");
    (meta, source.inner().requests(), source.inner().retries())
}

fn same_tags(remote: &Metadata, local: &[u8]) {
    let local = metasift::extract_bytes(local).expect("local extraction");
    assert_eq!(remote.format, local.format);
    assert_eq!(remote.tags, local.tags);
    assert!(!remote.tags.is_empty());
}

#[test]
fn a_small_jpeg_costs_one_request() {
    let srv = serve(JPEG.to_vec(), Mode::Normal);
    let (meta, requests, _) = extract(&srv.url("photo.jpg"), &HttpOptions::default(), Some("jpg"));
    same_tags(&meta, JPEG);
    assert_eq!((meta.stats.source_reads, meta.stats.source_bytes), (1, JPEG.len() as u64));
    assert_eq!((requests, srv.requests()), (1, 1));
    assert_eq!(srv.seen()[0].range.as_deref(), Some("bytes=0-65535"));
}

#[test]
fn moov_at_end_costs_two_requests_and_the_moov() {
    let (file, moov_len) = moov_at_end(4 << 20, 0);
    for tail in [None, Some(64 << 10)] {
        let srv = serve(file.clone(), Mode::Normal);
        let (meta, requests, _) = extract(&srv.url("clip"), &HttpOptions::default().with_tail(tail), None);
        same_tags(&meta, &file);
        let bytes = srv.bytes_sent();
        eprintln!("moov-at-end 4 MiB, moov {moov_len} B, tail {tail:?}: {requests} GETs, {bytes} bytes");
        assert_eq!(requests, 2);
        assert_eq!(meta.stats.source_reads, 2);
        assert_eq!(meta.stats.source_bytes, bytes as u64);
        assert!(bytes <= moov_len + (128 << 10), "{bytes} bytes");
        // The tail goes out with the head, unpinned; reads after them are pinned to the
        // first response's ETag.
        if tail.is_none() {
            assert_eq!(srv.seen()[1].if_match.as_deref(), Some("\"v1\""));
        }
    }
}

#[test]
fn a_moov_longer_than_the_tail_costs_three_requests() {
    let (file, moov_len) = moov_at_end(4 << 20, 200 << 10);
    let srv = serve(file.clone(), Mode::Normal);
    let url = srv.url("clip.mp4");
    let meta = extract_url_with(&url, &Options::default(), &quick()).expect("extract");
    same_tags(&meta, &file);
    let bytes = srv.bytes_sent();
    eprintln!("moov-at-end, moov {moov_len} B, tail 64 KiB: {} GETs, {bytes} bytes", srv.requests());
    assert_eq!(srv.requests(), 3);
    assert!(bytes <= moov_len + (128 << 10), "{bytes} bytes");
}

#[test]
fn the_tail_saves_a_round_trip() {
    let (file, _) = moov_at_end(4 << 20, 0);
    let mut trips = Vec::new();
    for name in ["clip", "clip.mp4"] {
        let srv = Server::start(file.clone(), Mode::Normal, Duration::from_millis(20), 0);
        let t = Instant::now();
        let meta = extract_url_with(&srv.url(name), &Options::default(), &quick()).expect("extract");
        let wall = t.elapsed();
        same_tags(&meta, &file);
        let rt = wall.as_secs_f64() / 0.020;
        eprintln!("{name}: 20 ms per request: {wall:?} wall = {rt:.1} round trips; {} GETs", srv.requests());
        // Server-side, not by the clock: requests in flight together are one round trip.
        trips.push(srv.round_trips());
        assert!(wall < Duration::from_millis(4 * 20 + 400), "{wall:?}");
    }
    assert_eq!(trips, vec![2, 1], "head then moov, or head and tail together");
}

#[test]
fn read_ranges_sends_its_requests_concurrently() {
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let srv = Server::start(data.clone(), Mode::Normal, Duration::from_millis(100), 0);
    let source = HttpSource::open(&srv.url("blob"), &Options::default()).expect("open");
    let t = Instant::now();
    let got = source.inner().read_ranges(&[100_000..110_000, 190_000..250_000]).expect("ranges");
    let wall = t.elapsed();
    eprintln!("read_ranges of 2 ranges, 100 ms per request: {wall:?}");
    assert!(wall < Duration::from_millis(180), "{wall:?}");
    assert_eq!(got, vec![data[100_000..110_000].to_vec(), data[190_000..].to_vec()]);
}

#[test]
fn transient_failures_are_retried_and_counted() {
    let srv = Server::start(JPEG.to_vec(), Mode::Normal, Duration::ZERO, 2);
    let http = HttpOptions::default().with_retry(quick());
    let (meta, requests, retries) = extract(&srv.url("photo.jpg"), &http, None);
    same_tags(&meta, JPEG);
    assert_eq!((requests, retries, srv.requests()), (3, 2, 3));
    assert_eq!(meta.stats.source_reads, 1, "source reads count answers, not attempts");

    let srv = Server::start(JPEG.to_vec(), Mode::Normal, Duration::ZERO, 10);
    let err = HttpSource::open_with(&srv.url("photo.jpg"), &Options::default(), &http).err().expect("fails");
    let msg = err.to_string();
    assert!(
        msg.contains("HTTP 503") && msg.contains("after 4 attempts") && msg.contains("/photo.jpg"),
        "{msg}"
    );
    assert_eq!(srv.requests(), 4);
}

#[test]
fn final_answers_are_not_retried() {
    let srv = serve(JPEG.to_vec(), Mode::Normal);
    let url = srv.url("missing.jpg?X-Amz-Signature=secret");
    let err = extract_url_with(&url, &Options::default(), &quick()).expect_err("404");
    assert_eq!(srv.requests(), 1);
    let msg = err.to_string();
    assert!(msg.contains("HTTP 404 Not Found") && msg.contains(&srv.url("missing.jpg")), "{msg}");
    assert!(!msg.contains("secret"), "{msg}");
    let source = std::error::Error::source(&err).and_then(|e| e.downcast_ref::<std::io::Error>());
    assert_eq!(source.map(|e| e.kind()), Some(std::io::ErrorKind::NotFound));
}

#[test]
fn an_empty_object_costs_one_request() {
    let srv = serve(Vec::new(), Mode::Normal);
    let source = HttpSource::open(&srv.url("empty.jpg"), &Options::default()).expect("an empty object opens");
    assert_eq!((source.len(), srv.requests()), (0, 1));
    let err = metasift::extract_hinted(&source, &Options::default(), None).expect_err("nothing to read");
    assert_ne!(err.kind(), ErrorKind::Io, "{err}");
    assert_eq!(srv.requests(), 1);
}

#[test]
fn a_changed_object_is_read_again_once() {
    let (file, _) = moov_at_end(1 << 20, 0);
    // Changed after the head: the pinned moov read gets 412, the second extraction works.
    let srv = serve(file.clone(), Mode::ChangeAfter(1));
    let meta = extract_url_with(&srv.url("clip"), &Options::default(), &quick()).expect("second try works");
    same_tags(&meta, &file);
    assert_eq!(srv.requests(), 4, "head, 412, head, moov");

    // The same with a server that only gives Last-Modified (If-Unmodified-Since).
    let srv = serve(file.clone(), Mode::DateOnly);
    let options = Options::default();
    let source = HttpSource::open(&srv.url("clip"), &options).expect("open");
    assert!(metasift::extract_hinted(&source, &options, None).is_ok());
    let seen = srv.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        (seen[1].if_match.as_deref(), seen[1].if_unmodified.as_deref()),
        (None, Some("Mon, 01 Jan 2024 00:00:00 GMT"))
    );

    // Changing under every request: a clear error naming the URL.
    let srv = serve(file, Mode::ChangeAfter(usize::MAX));
    let url = srv.url("clip");
    let err = extract_url_with(&url, &Options::default(), &quick()).expect_err("keeps changing");
    assert!(is_object_changed(&err), "{err}");
    assert!(err.to_string().contains(&url) && err.to_string().contains("changed"), "{err}");
    assert_eq!(srv.requests(), 4);
}

#[test]
fn caller_headers_go_with_every_request_and_failed_reads_are_counted() {
    let (file, _) = moov_at_end(1 << 20, 0);
    let srv = serve(file, Mode::ChangeAfter(1));
    let http = HttpOptions::default().with_retry(quick()).with_header("Authorization", "Bearer t0ken");
    let options = Options::default();
    let source = HttpSource::open_with(&srv.url("clip"), &options, &http).expect("open");
    assert_eq!(source.inner().failed_reads(), 0);
    // The moov read gets 412: the parser may keep going, the source remembers.
    let _ = metasift::extract_hinted(&source, &options, None);
    assert!(source.inner().failed_reads() >= 1);
    let seen = srv.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|s| s.authorization.as_deref() == Some("Bearer t0ken")));

    let bad = HttpOptions::default().with_header("Authorization", "Bearer a\r\nX-Evil: 1");
    let err = HttpSource::open_with(&srv.url("clip"), &options, &bad).err().expect("a bad header value");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(!err.to_string().contains("Bearer"), "values stay out of messages: {err}");
    assert_eq!(srv.requests(), 2, "nothing sent");
}

#[test]
fn a_server_that_ignores_range_is_read_whole_within_the_limit() {
    let srv = serve(JPEG.to_vec(), Mode::IgnoreRange);
    let (meta, requests, _) = extract(&srv.url("photo.jpg"), &HttpOptions::default(), None);
    same_tags(&meta, JPEG);
    assert_eq!(requests, 1);

    let (file, _) = moov_at_end(2 << 20, 0);
    let srv = serve(file.clone(), Mode::IgnoreRange);
    let (meta, requests, _) = extract(&srv.url("clip"), &HttpOptions::default(), None);
    same_tags(&meta, &file);
    assert_eq!((requests, meta.stats.source_reads), (1, 1));

    let tight = Options::default().with_limits(metasift::Limits::default().with_max_bytes_read(1 << 20));
    let err = HttpSource::open(&srv.url("clip"), &tight).err().expect("over max_bytes_read");
    assert!(err.to_string().contains("ignores Range"), "{err}");
    assert_eq!(metasift::Error::io(0, err).kind(), ErrorKind::LimitExceeded);
}

#[test]
fn a_lying_server_is_not_believed() {
    let (file, _) = moov_at_end(1 << 20, 0);
    for mode in [Mode::WrongRange, Mode::LongBody] {
        let srv = serve(file.clone(), mode);
        let err = extract_url_with(&srv.url("clip"), &Options::default(), &quick()).expect_err("lies");
        assert_eq!(err.kind(), ErrorKind::Io, "{mode:?}: {err}");
        assert!(err.to_string().contains("the server answered"), "{mode:?}: {err}");
        assert_eq!(srv.requests(), 2, "{mode:?}: a lie is not retried");
    }
}

#[cfg(feature = "cli")]
#[test]
fn the_cli_reads_urls() {
    let srv = serve(JPEG.to_vec(), Mode::Normal);
    let url = srv.url("photo.jpg");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_metasift"))
        .args(["--exiftool", "--stats", &url])
        .output()
        .expect("run metasift");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json[0]["SourceFile"], url.as_str());
    assert_eq!(json[0]["File:FileType"], "JPEG");
    assert_eq!(json[0]["Stats:SourceReads"], 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("1 files, 1 source reads, {} bytes read", JPEG.len())), "{stderr}");
}

#[test]
fn a_small_object_with_a_tail_reports_both_requests() {
    // Head and tail are both sent for an `.mp4`; the object fits the head, and the
    // statistics still count the two requests that were made.
    let srv = serve(MOOV_END.to_vec(), Mode::Normal);
    let (meta, requests, _) =
        extract(&srv.url("small.mp4"), &HttpOptions::default().with_tail(Some(4096)), None);
    same_tags(&meta, MOOV_END);
    assert_eq!((requests, srv.requests()), (2, 2));
    assert_eq!(meta.stats.source_reads, 2);
}

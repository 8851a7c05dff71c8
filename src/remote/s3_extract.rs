//! One S3 object's metadata, start to finish: the client from the environment, the tail
//! worth fetching with the head, and the extraction that starts over once when the object
//! changes under it.

use super::s3::{S3Object, S3ObjectInfo, S3Source};
use super::{is_object_changed, tail_hint_for};
use crate::error::{Error, ErrorKind, Result};
use crate::extract::extract_hinted;
use crate::model::Metadata;
use crate::options::Options;
use crate::source::ReadStats;
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_s3::Client;
use std::io;
use std::time::Duration;
use tokio::runtime::Handle;

/// Attempts the SDK makes at one request (the first included). Retries follow the SDK's
/// standard mode (throttling, 5xx and connection errors, with jittered backoff): this
/// crate has no retry loop of its own for requests.
pub const MAX_ATTEMPTS: u32 = 4;

/// An S3 client from the standard AWS chains: credentials (environment, profile, web
/// identity, ECS and EC2 roles...) and region. `AWS_ENDPOINT_URL` (or
/// `AWS_ENDPOINT_URL_S3`) points it at another endpoint, a local stack say, and then turns
/// on path-style addressing (`http://host/bucket/key`), which local stacks need. Retries:
/// the SDK's standard mode with [`MAX_ATTEMPTS`] attempts; timeouts: 3 s to connect, 10 s
/// to the first byte of a response, 20 s per attempt, 60 s per request with its retries.
pub async fn s3_client_from_env() -> Client {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3))
        .read_timeout(Duration::from_secs(10))
        .operation_attempt_timeout(Duration::from_secs(20))
        .operation_timeout(Duration::from_secs(60))
        .build();
    let shared = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
        .timeout_config(timeouts)
        .load()
        .await;
    let custom_endpoint =
        shared.endpoint_url().is_some() || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
    let config = aws_sdk_s3::config::Builder::from(&shared).force_path_style(custom_endpoint).build();
    Client::from_conf(config)
}

/// The metadata of one S3 object and the facts of the version it was read from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct S3Extraction {
    /// The metadata. Its [`Metadata::stats`] count every request the extraction sent
    /// ([`S3Source::requests`]), those that failed and those of an attempt thrown away
    /// included, and the bytes received.
    pub metadata: Metadata,
    /// Size, ETag, version and date of the version read.
    pub object: S3ObjectInfo,
    /// 1, or 2 when the object changed during the first attempt.
    pub attempts: u32,
}

/// Extracts the metadata of one S3 object: [`S3Source::open_with_tail`] (with a tail when
/// `object.known_size` is set and [`tail_hint_for`] the key's extension gives one), then
/// [`extract_hinted`](crate::extract_hinted). When the object changes while it is read
/// (see [`ObjectChanged`](super::ObjectChanged)) the whole extraction starts again once,
/// from a fresh first GET. Errors name `s3://bucket/key`; a missing object or version is
/// an [`ErrorKind::Io`] error that [`is_not_found`] recognises.
///
/// Blocks on `handle` (see [`S3Source`] for the threads it may run on).
pub fn extract_s3(
    client: &Client,
    handle: &Handle,
    object: &S3Object,
    options: &Options,
) -> Result<S3Extraction> {
    let uri = object.uri();
    let ext = object.extension();
    let mut spent = ReadStats::default();
    let mut request = object.clone();
    for attempt in 1..=2 {
        let tail = request.known_size.and(ext.and_then(tail_hint_for));
        let cached = match S3Source::open_with_tail(client.clone(), handle.clone(), &request, tail, options) {
            Ok(c) => c,
            Err(e) if attempt == 1 && is_object_changed(&e) => {
                request.known_size = None;
                continue;
            }
            Err(e) => return Err(Error::io(0, e)),
        };
        let result = extract_hinted(&cached, options, ext);
        let source = cached.inner();
        // Requests as sent (failed ones included), bytes and waits as the cache saw them.
        spent.add(&ReadStats { source_reads: source.requests(), ..cached.stats() });
        if source.changed() {
            if attempt == 1 {
                // The size known beforehand described another version: drop it.
                request.known_size = None;
                continue;
            }
            let msg = format!("{uri}: object changed while it was read, twice");
            return Err(Error::new(ErrorKind::Io, msg));
        }
        return match result {
            Ok(mut metadata) => {
                metadata.stats = spent;
                Ok(S3Extraction { metadata, object: source.info().clone(), attempts: attempt })
            }
            Err(e) => Err(named(&uri, e)),
        };
    }
    Err(Error::new(ErrorKind::Io, format!("{uri}: object changed while it was read, twice")))
}

/// `err` with a message that names the object (the source's own I/O errors already do,
/// and keep their `io::Error` for [`is_not_found`]).
fn named(uri: &str, err: Error) -> Error {
    if err.message().starts_with(uri) {
        return err;
    }
    let named = Error::new(err.kind(), format!("{uri}: {}", err.message()));
    match err.offset() {
        Some(at) => named.at(at),
        None => named,
    }
}

/// Whether `err` says the object (or the version asked for, or its bucket) does not exist:
/// a pipeline skips such an event rather than retrying it.
pub fn is_not_found(err: &Error) -> bool {
    let source = std::error::Error::source(err).and_then(|s| s.downcast_ref::<io::Error>());
    source.is_some_and(|e| e.kind() == io::ErrorKind::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_object_once() {
        let e = named("s3://b/k", Error::malformed(7, "bad box"));
        assert_eq!(e.to_string(), "malformed input at 0x7: s3://b/k: bad box");
        let io = Error::io(0, io::Error::new(io::ErrorKind::NotFound, "s3://b/k: no such key"));
        let again = named("s3://b/k", io);
        assert!(is_not_found(&again));
        assert_eq!(again.message(), "s3://b/k: no such key");
    }
}

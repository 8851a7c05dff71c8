//! One ranged `GetObject`, checked: the `Content-Range` must say the bytes asked for were
//! sent, the body is read up to the length asked for and no further, and a pinned read
//! fails with [`ObjectChanged`] when the object is no longer the one first read.
//!
//! Retries: the SDK retries requests that fail before their body (throttling, 5xx,
//! connection errors) under the client's retry config (see
//! [`s3_client_from_env`](super::s3_client_from_env): standard mode, 4 attempts). A body
//! that breaks off mid-stream is outside the SDK's retry loop; it is asked for once more
//! here.

use super::ObjectChanged;
use aws_sdk_s3::Client;
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::operation::get_object::GetObjectOutput;
use aws_sdk_s3::primitives::{ByteStream, DateTimeFormat};
use std::io;
use std::time::Duration;

/// Longest wait for the body of one ranged GET once its headers came (the SDK's own
/// timeouts end at the headers): a stalled connection must not hang an extraction.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// Attempts at one ranged GET whose body broke off (the first one included).
const BODY_ATTEMPTS: u32 = 2;

/// The error of a read that found the object replaced since it was first read (HTTP 412
/// on `If-Match`, a different ETag or length): the bytes read so far belong to another
/// version, so the whole extraction must start again.
pub(super) fn changed(uri: String, detail: String) -> io::Error {
    ObjectChanged { object: uri, detail }.into_io()
}

/// The object every GET of one source asks for, shared with the tasks that run them.
pub(super) struct Target {
    pub client: Client,
    pub bucket: String,
    pub key: String,
    /// Sent with every GET when known: the version read first, or the one asked for.
    pub version_id: Option<String>,
    /// Sent as `If-Match` when set (every GET after the first).
    pub etag: Option<String>,
}

impl Target {
    /// `s3://bucket/key`, as errors name the object.
    pub fn uri(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.key)
    }
}

/// What one GET returned.
pub(super) struct Block {
    /// The body: exactly the bytes `Content-Range` says were sent.
    pub data: Vec<u8>,
    /// Where those bytes start.
    pub start: u64,
    /// The object's whole length, from `Content-Range`.
    pub total: u64,
    pub etag: Option<String>,
    pub version_id: Option<String>,
    /// RFC 3339.
    pub last_modified: Option<String>,
}

/// Why a GET gave no block.
pub(super) enum GetFail {
    /// 416: the range starts at or past the end (for `bytes=0-...`: the object is empty).
    InvalidRange,
    /// Anything else, as the error the reader gets.
    Io(io::Error),
}

impl GetFail {
    /// The error a reader gets: a range past the end of a pinned object means it shrank.
    pub fn into_io(self, target: &Target) -> io::Error {
        match self {
            GetFail::InvalidRange => {
                io::Error::new(io::ErrorKind::UnexpectedEof, format!("{}: range past the end", target.uri()))
            }
            GetFail::Io(e) => e,
        }
    }
}

/// Gets `len` bytes (at least 1) at `start`, clipped by S3 to the object's end.
pub(super) async fn get(target: &Target, start: u64, len: u64) -> Result<Block, GetFail> {
    let mut attempt = 1;
    loop {
        let resp = send(target, start, len).await?;
        match receive(target, resp, start, len).await {
            Err(Received::BodyBroke(_)) if attempt < BODY_ATTEMPTS => attempt += 1,
            Err(Received::BodyBroke(e) | Received::Bad(e)) => return Err(GetFail::Io(e)),
            Ok(block) => return Ok(block),
        }
    }
}

async fn send(target: &Target, start: u64, len: u64) -> Result<GetObjectOutput, GetFail> {
    let last = start.saturating_add(len.max(1) - 1);
    target
        .client
        .get_object()
        .bucket(&target.bucket)
        .key(&target.key)
        .range(format!("bytes={start}-{last}"))
        .set_version_id(target.version_id.clone())
        .set_if_match(target.etag.clone())
        .send()
        .await
        .map_err(|e| sdk_error(target, e))
}

/// A response that could not be turned into a block.
enum Received {
    /// The body stream failed or stalled: worth asking again.
    BodyBroke(io::Error),
    /// The response is not what was asked for: asking again would not help.
    Bad(io::Error),
}

async fn receive(target: &Target, resp: GetObjectOutput, start: u64, len: u64) -> Result<Block, Received> {
    let bad = |what: String| {
        Received::Bad(io::Error::new(io::ErrorKind::InvalidData, format!("{}: {what}", target.uri())))
    };
    let sent = match resp.content_range() {
        Some(header) => {
            parse_content_range(header).ok_or_else(|| bad(format!("unreadable Content-Range {header:?}")))?
        }
        // No Content-Range: the whole object came back (a server ignoring `Range`).
        // Taken only when it is no longer than what was asked for.
        None => {
            let n = resp.content_length().and_then(|n| u64::try_from(n).ok());
            match n.filter(|n| start == 0 && *n <= len) {
                Some(0) => return Err(bad("empty body without Content-Range".into())),
                Some(n) => ContentRange { first: 0, last: n - 1, total: n },
                None => return Err(bad("the response ignored the Range header".into())),
            }
        }
    };
    let asked_last = start.saturating_add(len - 1);
    if sent.first != start || sent.last > asked_last || sent.last < sent.first || sent.last >= sent.total {
        return Err(bad(format!(
            "asked for bytes {start}-{asked_last}, got {}-{}/{}",
            sent.first, sent.last, sent.total
        )));
    }
    if sent.last < asked_last && sent.last + 1 != sent.total {
        return Err(bad(format!(
            "short range {}-{}/{} for {start}-{asked_last}",
            sent.first, sent.last, sent.total
        )));
    }
    if let (Some(pinned), Some(got)) = (target.etag.as_deref(), resp.e_tag()) {
        if pinned != got {
            return Err(Received::Bad(changed(target.uri(), format!("ETag {pinned} became {got}"))));
        }
    }
    let expected = sent.last - sent.first + 1;
    let etag = resp.e_tag().map(str::to_owned);
    let version_id = resp.version_id().map(str::to_owned);
    let last_modified = resp.last_modified().and_then(|t| t.fmt(DateTimeFormat::DateTime).ok());
    let data = match tokio::time::timeout(BODY_TIMEOUT, read_body(resp.body, expected)).await {
        Ok(Ok(data)) => data,
        Ok(Err(BodyError::TooLong)) => {
            return Err(bad(format!("body longer than the {expected} bytes of its range")));
        }
        Ok(Err(BodyError::Stream(e))) => {
            return Err(Received::BodyBroke(io::Error::other(format!("{}: body: {e}", target.uri()))));
        }
        Err(_) => {
            let msg = format!("{}: body not received in {}s", target.uri(), BODY_TIMEOUT.as_secs());
            return Err(Received::BodyBroke(io::Error::new(io::ErrorKind::TimedOut, msg)));
        }
    };
    if data.len() as u64 != expected {
        let msg = format!("{}: body of {} bytes for a range of {expected}", target.uri(), data.len());
        return Err(Received::BodyBroke(io::Error::new(io::ErrorKind::UnexpectedEof, msg)));
    }
    Ok(Block { data, start, total: sent.total, etag, version_id, last_modified })
}

enum BodyError {
    TooLong,
    Stream(aws_sdk_s3::primitives::ByteStreamError),
}

/// Reads the body, failing as soon as it passes `expected` bytes (never trust a length:
/// not even the server's).
async fn read_body(mut body: ByteStream, expected: u64) -> Result<Vec<u8>, BodyError> {
    // `expected` is the length of a range this source asked for, which the cache in front
    // of it bounds (read-ahead, `max_alloc`, the fetch limit).
    #[allow(clippy::disallowed_methods)]
    let mut data = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(BodyError::Stream)?;
        if (data.len() + chunk.len()) as u64 > expected {
            return Err(BodyError::TooLong);
        }
        data.extend_from_slice(&chunk);
    }
    Ok(data)
}

/// `Content-Range: bytes FIRST-LAST/TOTAL`.
#[derive(Debug, PartialEq, Eq)]
struct ContentRange {
    first: u64,
    last: u64,
    total: u64,
}

fn parse_content_range(header: &str) -> Option<ContentRange> {
    let rest = header.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (first, last) = range.split_once('-')?;
    Some(ContentRange {
        first: first.trim().parse().ok()?,
        last: last.trim().parse().ok()?,
        total: total.trim().parse().ok()?,
    })
}

/// Maps a failed request to the error a reader gets, naming the object.
pub(super) fn sdk_error<E, R>(target: &Target, err: SdkError<E, R>) -> GetFail
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + HttpStatus,
{
    let uri = target.uri();
    let status = err.raw_response().map(HttpStatus::status_code);
    let code = err.code().map(str::to_owned);
    let kind = match (status, code.as_deref()) {
        (_, Some("InvalidRange")) | (Some(416), _) => return GetFail::InvalidRange,
        (_, Some("PreconditionFailed")) | (Some(412), _) => {
            return GetFail::Io(changed(uri, "If-Match failed".into()));
        }
        (_, Some("NoSuchKey" | "NoSuchVersion" | "NoSuchBucket" | "NotFound")) | (Some(404), _) => {
            io::ErrorKind::NotFound
        }
        (_, Some("AccessDenied")) | (Some(403), _) => io::ErrorKind::PermissionDenied,
        _ if matches!(err, SdkError::TimeoutError(_)) => io::ErrorKind::TimedOut,
        _ => io::ErrorKind::Other,
    };
    let what = match code.as_deref() {
        Some("NoSuchKey") | Some("NotFound") => "no such key".to_owned(),
        Some("NoSuchVersion") => format!("no such version {}", target.version_id.as_deref().unwrap_or("?")),
        Some("NoSuchBucket") => "no such bucket".to_owned(),
        _ => DisplayErrorContext(&err).to_string(),
    };
    GetFail::Io(io::Error::new(kind, format!("{uri}: {what}")))
}

/// The HTTP status of a raw response (a seam so tests need no SDK response type).
pub(super) trait HttpStatus {
    fn status_code(&self) -> u16;
}

impl HttpStatus for aws_sdk_s3::config::http::HttpResponse {
    fn status_code(&self) -> u16 {
        self.status().as_u16()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_parses_and_rejects_junk() {
        assert_eq!(
            parse_content_range("bytes 0-10/11"),
            Some(ContentRange { first: 0, last: 10, total: 11 })
        );
        assert_eq!(
            parse_content_range("bytes 100-199/5000000000"),
            Some(ContentRange { first: 100, last: 199, total: 5_000_000_000 })
        );
        for junk in ["bytes */11", "bytes 0-10/*", "0-10/11", "bytes 0-/11", "bytes -1-3/4", ""] {
            assert_eq!(parse_content_range(junk), None, "{junk}");
        }
    }
}

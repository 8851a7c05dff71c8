//! The HTTP exchanges of an [`HttpSource`](super::HttpSource): one GET (with retries),
//! the first request (head and length), the speculative tail, and what each answer must
//! hold to be believed.

use super::MAX_PARALLEL;
use crate::remote::range::{BodyError, ContentRange, read_body_up_to, read_exact_body};
use crate::remote::retry::{Attempt, RetryPolicy, retryable_status};
use crate::remote::url::shown_url;
use crate::remote::{ObjectChanged, status_error};
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};

/// The version of the object the first response saw, sent with every later request so
/// that a replaced object answers 412 instead of other bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Pin {
    /// A strong ETag, sent as `If-Match` (weak ones never match there).
    ETag(String),
    /// `Last-Modified`, sent as `If-Unmodified-Since`.
    Modified(String),
    /// The server gave neither: reads are checked by length only.
    Nothing,
}

/// One URL's client: the agent, the retry policy, and what requests were made.
pub(super) struct Client {
    agent: ureq::Agent,
    pub(super) url: String,
    /// The URL in messages: without user info, query or fragment, so that credentials and
    /// presigned signatures stay out of logs.
    pub(super) shown: String,
    retry: RetryPolicy,
    /// The caller's headers, checked once here so that a bad one fails the open, not
    /// every request.
    headers: Vec<(ureq::http::HeaderName, ureq::http::HeaderValue)>,
    pub(super) requests: AtomicU64,
    pub(super) retries: AtomicU64,
}

/// A response's status and the headers we read; the body is still to be read.
struct Answer {
    status: u16,
    reason: &'static str,
    range: Option<ContentRange>,
    /// A `Content-Range` header was sent, whether or not it parsed.
    has_range: bool,
    etag: Option<String>,
    modified: Option<String>,
    body: ureq::Body,
}

/// What the first request found.
pub(super) enum First {
    /// The head of a longer (or equal) object of `total` bytes.
    Part { total: u64, head: Vec<u8>, pin: Pin },
    /// The server ignored `Range` and sent the whole object.
    Whole(Vec<u8>),
    /// The object is empty (416 for its first byte).
    Empty,
}

/// The end of the object, fetched beside the head.
pub(super) struct Tail {
    pub(super) first: u64,
    pub(super) total: u64,
    pub(super) etag: Option<String>,
    pub(super) modified: Option<String>,
    pub(super) data: Vec<u8>,
}

impl Client {
    /// A client for `url` (http or https only), its timeouts from `retry`, sending
    /// `headers` with every request.
    pub(super) fn new(url: &str, retry: &RetryPolicy, headers: &[(String, String)]) -> io::Result<Client> {
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            let msg = format!("not an http(s) URL: {}", shown_url(url));
            return Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
        }
        let headers = headers
            .iter()
            .map(|(name, value)| {
                let bad = |what: &str| {
                    // The value is left out: it is often a credential.
                    let msg = format!("request header {name:?}: invalid {what}");
                    io::Error::new(io::ErrorKind::InvalidInput, msg)
                };
                let n = ureq::http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad("name"))?;
                let v = ureq::http::HeaderValue::from_str(value).map_err(|_| bad("value"))?;
                Ok((n, v))
            })
            .collect::<io::Result<Vec<_>>>()?;
        let config = super::agent_config(retry)
            .max_idle_connections_per_host(MAX_PARALLEL)
            // Range offsets count bytes of the stored object, never of a re-encoding.
            .accept_encoding("identity")
            .build();
        Ok(Client {
            agent: config.into(),
            url: url.to_owned(),
            shown: shown_url(url),
            retry: retry.clone(),
            headers,
            requests: AtomicU64::new(0),
            retries: AtomicU64::new(0),
        })
    }

    /// Sends `GET Range: {range}` (pinned to `pin`'s version, if any), retrying transient
    /// failures; `handle` turns each answer into an attempt's outcome.
    fn get<T>(&self, range: &str, pin: Option<&Pin>, handle: impl Fn(Answer) -> Attempt<T>) -> io::Result<T> {
        self.retry.run(|n| {
            self.requests.fetch_add(1, Ordering::Relaxed);
            if n > 0 {
                self.retries.fetch_add(1, Ordering::Relaxed);
            }
            let mut req = self.agent.get(&self.url).header("Range", range);
            for (name, value) in &self.headers {
                req = req.header(name, value);
            }
            match pin {
                Some(Pin::ETag(tag)) => req = req.header("If-Match", tag),
                Some(Pin::Modified(date)) => req = req.header("If-Unmodified-Since", date),
                _ => {}
            }
            let resp = match req.call() {
                Ok(resp) => resp,
                Err(e) => return self.transport_error(range, e),
            };
            let (parts, body) = resp.into_parts();
            let status = parts.status.as_u16();
            let reason = parts.status.canonical_reason().unwrap_or("");
            if retryable_status(status) {
                return Attempt::Retry(status_error(&self.what(range), status, reason));
            }
            let header =
                |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let content_range = header("content-range");
            handle(Answer {
                status,
                reason,
                range: content_range.as_deref().and_then(ContentRange::parse),
                has_range: content_range.is_some(),
                etag: header("etag"),
                modified: header("last-modified"),
                body,
            })
        })
    }

    /// GETs `start..end` (within an object of `len` bytes, not empty) pinned to `pin`,
    /// and checks that the answer is those bytes of that version.
    pub(super) fn range(&self, start: u64, end: u64, pin: &Pin, len: u64) -> io::Result<Vec<u8>> {
        let want = usize::try_from(end - start)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "range too large"))?;
        let range = format!("bytes={}-{}", start, end - 1);
        self.get(&range, Some(pin), |a| {
            let what = || self.what(&range);
            match a.status {
                206 => {}
                412 => return Attempt::Fail(self.changed("412 Precondition Failed")),
                416 => return Attempt::Fail(self.changed("416: it is shorter now")),
                200 => return Attempt::Fail(lie(what(), "the whole object, not the range")),
                s => return Attempt::Fail(status_error(&what(), s, a.reason)),
            }
            let Some(cr) = a.range else {
                return Attempt::Fail(lie(what(), "206 without a valid Content-Range"));
            };
            if let (Pin::ETag(was), Some(now)) = (pin, &a.etag) {
                if was != now {
                    return Attempt::Fail(self.changed(&format!("ETag {was} became {now}")));
                }
            }
            match cr.total {
                Some(t) if t == len => {}
                Some(t) => return Attempt::Fail(self.changed(&format!("{len} bytes became {t}"))),
                None => return Attempt::Fail(lie(what(), "a Content-Range without the object's length")),
            }
            if cr.bytes != Some((start, end - 1)) {
                return Attempt::Fail(lie(what(), &format!("bytes {} instead", shown_range(&cr))));
            }
            body_attempt(read_exact_body(a.body.into_reader(), want), &what())
        })
    }

    /// The first request: the head, the length and the version to pin.
    pub(super) fn first(&self, ask: u64, limit: u64) -> io::Result<First> {
        let range = format!("bytes=0-{}", ask - 1);
        self.get(&range, None, |a| {
            let what = || self.what(&range);
            match a.status {
                206 => {
                    let (Some((0, last)), Some(total)) =
                        (a.range.and_then(|r| r.bytes), a.range.and_then(|r| r.total))
                    else {
                        return Attempt::Fail(lie(what(), "a missing or unexpected Content-Range"));
                    };
                    if last >= ask {
                        return Attempt::Fail(lie(what(), &format!("bytes 0-{last}, more than asked")));
                    }
                    let len = usize::try_from(last + 1).unwrap_or(usize::MAX);
                    let pin = pin_of(&a);
                    let head = read_exact_body(a.body.into_reader(), len);
                    body_attempt(head, &what()).map(|head| First::Part { total, head, pin })
                }
                200 => {
                    if a.body.content_length().is_some_and(|n| n > limit) {
                        return Attempt::Fail(too_big(what(), limit));
                    }
                    match read_body_up_to(a.body.into_reader(), limit) {
                        Err(BodyError::OverLimit) => Attempt::Fail(too_big(what(), limit)),
                        body => body_attempt(body, &what()).map(First::Whole),
                    }
                }
                // Even byte 0 is past the end: the object is empty (`bytes */0`).
                416 if !a.has_range || a.range.is_some_and(|r| r.total == Some(0)) => {
                    Attempt::Done(First::Empty)
                }
                s => Attempt::Fail(status_error(&what(), s, a.reason)),
            }
        })
    }

    /// The speculative tail: `Ok(None)` when the server did not answer it with a range
    /// (it ignores `Range`, or the object is empty); the head's answer says why.
    pub(super) fn tail(&self, tail_len: u64) -> io::Result<Option<Tail>> {
        let range = format!("bytes=-{tail_len}");
        self.get(&range, None, |a| {
            if a.status != 206 {
                return Attempt::Done(None);
            }
            let what = || self.what(&range);
            let Some((first, last, total)) = a.range.and_then(|r| Some((r.bytes?.0, r.bytes?.1, r.total?)))
            else {
                return Attempt::Fail(lie(what(), "a missing or unexpected Content-Range"));
            };
            if last + 1 != total || last - first + 1 != tail_len.min(total) {
                return Attempt::Fail(lie(what(), &format!("bytes {first}-{last}/{total}")));
            }
            let len = usize::try_from(last - first + 1).unwrap_or(usize::MAX);
            let (etag, modified) = (a.etag, a.modified);
            let data = read_exact_body(a.body.into_reader(), len);
            body_attempt(data, &what()).map(|data| Some(Tail { first, total, etag, modified, data }))
        })
    }

    /// "GET url (bytes=a-b)", for messages.
    pub(super) fn what(&self, range: &str) -> String {
        format!("GET {} ({range})", self.shown)
    }

    pub(super) fn changed(&self, detail: &str) -> io::Error {
        ObjectChanged { object: self.shown.clone(), detail: detail.to_owned() }.into_io()
    }

    /// A request that got no answer: connection failures and timeouts are retried.
    fn transport_error<T>(&self, range: &str, e: ureq::Error) -> Attempt<T> {
        let (kind, retry) = match &e {
            ureq::Error::Timeout(_) => (io::ErrorKind::TimedOut, true),
            ureq::Error::Io(io) => (io.kind(), true),
            ureq::Error::ConnectionFailed => (io::ErrorKind::ConnectionRefused, true),
            ureq::Error::BodyStalled => (io::ErrorKind::TimedOut, true),
            ureq::Error::Protocol(_) => (io::ErrorKind::InvalidData, true),
            ureq::Error::HostNotFound => (io::ErrorKind::NotFound, false),
            ureq::Error::BadUri(_) => (io::ErrorKind::InvalidInput, false),
            _ => (io::ErrorKind::Other, false),
        };
        let err = io::Error::new(kind, format!("{}: {e}", self.what(range)));
        if retry { Attempt::Retry(err) } else { Attempt::Fail(err) }
    }
}

/// A body read's outcome as an attempt's: a broken transfer is worth retrying.
fn body_attempt(got: std::result::Result<Vec<u8>, BodyError>, what: &str) -> Attempt<Vec<u8>> {
    match got {
        Ok(body) => Attempt::Done(body),
        Err(BodyError::Transfer(e)) => Attempt::Retry(io::Error::new(e.kind(), format!("{what}: body: {e}"))),
        Err(BodyError::TooLong) => Attempt::Fail(lie(what.to_owned(), "a body longer than its range")),
        Err(BodyError::OverLimit) => Attempt::Fail(io::Error::other(format!("{what}: body over its limit"))),
    }
}

/// The version to pin later reads to.
fn pin_of(a: &Answer) -> Pin {
    match (&a.etag, &a.modified) {
        (Some(tag), _) if !tag.starts_with("W/") => Pin::ETag(tag.clone()),
        (_, Some(date)) => Pin::Modified(date.clone()),
        _ => Pin::Nothing,
    }
}

/// An answer that does not hold what was asked: not to be believed.
fn lie(what: String, detail: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("{what}: the server answered {detail}"))
}

fn too_big(what: String, limit: u64) -> io::Error {
    let msg = format!(
        "{what}: the server ignores Range requests and the object is larger than max_bytes_read ({limit} bytes)"
    );
    io::Error::new(io::ErrorKind::QuotaExceeded, msg)
}

fn shown_range(cr: &ContentRange) -> String {
    match (cr.bytes, cr.total) {
        (Some((a, b)), Some(t)) => format!("{a}-{b}/{t}"),
        (Some((a, b)), None) => format!("{a}-{b}/*"),
        (None, t) => format!("*/{}", t.unwrap_or(0)),
    }
}

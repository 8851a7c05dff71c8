//! Cloud Storage through its XML API: the URL of one generation of an object (read by
//! [`HttpSource`](crate::remote::HttpSource)), and the sidecar's HEAD and conditional PUT.
//!
//! URLs are path-style, `{endpoint}/{bucket}/{object}`. The XML API serves exactly the
//! generation named by `?generation=N`, or 404 once it is gone, so every ranged read of
//! that URL is pinned to the event's generation by construction. Writes are conditional on
//! the sidecar's own generation (`x-goog-if-generation-match`, 0 for "does not exist"),
//! so that of two deliveries racing, one writes and the other gets 412.

use crate::remote::{Attempt, RetryPolicy, retryable_status, status_error};
use std::io::{self, Read};

/// The custom metadata header that records which generation of the source object a
/// sidecar describes (`x-goog-meta-*` headers are an object's custom metadata).
pub(crate) const SOURCE_GENERATION: &str = "x-goog-meta-source-generation";

/// How much of an error answer's body is read, for the `<Code>` it names.
const ERROR_BODY_LIMIT: u64 = 4 << 10;

/// An object name or bucket as one URL path segment: every byte but the unreserved
/// characters of RFC 3986 percent-encoded. Cloud Storage asks for `/` to be encoded too
/// in object names; doing so also keeps `..` in a name from being read as a path step.
pub(crate) fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `{endpoint}/{bucket}/{name}`, the name encoded.
pub(crate) fn object_url(endpoint: &str, bucket: &str, name: &str) -> String {
    format!("{}/{}/{}", endpoint.trim_end_matches('/'), encode_segment(bucket), encode_segment(name))
}

/// The URL of one generation of an object: what every read of an event's object uses.
pub(crate) fn generation_url(endpoint: &str, bucket: &str, name: &str, generation: u64) -> String {
    format!("{}?generation={generation}", object_url(endpoint, bucket, name))
}

/// What a sidecar's HEAD answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SidecarState {
    /// The sidecar object's own generation; 0 when there is none.
    pub generation: u64,
    /// The source generation it describes, if it says.
    pub source_generation: Option<u64>,
}

/// What a conditional PUT came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Put {
    /// The sidecar was written.
    Written,
    /// 412: another writer changed the sidecar since the HEAD.
    Conflict,
}

/// A client for the sidecar requests, with the same retry policy as the reads.
pub(crate) struct Gcs {
    agent: ureq::Agent,
    endpoint: String,
    retry: RetryPolicy,
}

impl Gcs {
    pub(crate) fn new(endpoint: &str, retry: &RetryPolicy) -> Gcs {
        let config = crate::remote::agent_config(retry).build();
        Gcs { agent: config.into(), endpoint: endpoint.to_owned(), retry: retry.clone() }
    }

    /// The sidecar's generation and the source generation it records, from a HEAD.
    pub(crate) fn sidecar_state(
        &self,
        bucket: &str,
        name: &str,
        auth: Option<&str>,
    ) -> io::Result<SidecarState> {
        let url = object_url(&self.endpoint, bucket, name);
        let what = format!("HEAD gs://{bucket}/{name}");
        self.retry.run(|_| {
            let mut req = self.agent.head(&url);
            if let Some(a) = auth {
                req = req.header("Authorization", a);
            }
            let resp = match req.call() {
                Ok(resp) => resp,
                Err(e) => return transport_error(&what, e),
            };
            let status = resp.status().as_u16();
            let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::trim);
            match status {
                200 => {
                    let Some(generation) = header("x-goog-generation").and_then(digits) else {
                        let msg = format!("{what}: the answer has no x-goog-generation");
                        return Attempt::Fail(io::Error::new(io::ErrorKind::InvalidData, msg));
                    };
                    let source_generation = header(SOURCE_GENERATION).and_then(digits);
                    Attempt::Done(SidecarState { generation, source_generation })
                }
                404 => Attempt::Done(SidecarState { generation: 0, source_generation: None }),
                s => {
                    let reason = resp.status().canonical_reason().unwrap_or("");
                    let err = status_error(&what, s, reason);
                    if retryable_status(s) { Attempt::Retry(err) } else { Attempt::Fail(err) }
                }
            }
        })
    }

    /// Writes the sidecar if its generation is still `expect` (0: if it still does not
    /// exist), recording `source_generation` in its custom metadata.
    pub(crate) fn put_sidecar(
        &self,
        bucket: &str,
        name: &str,
        body: &[u8],
        expect: u64,
        source_generation: u64,
        auth: Option<&str>,
    ) -> io::Result<Put> {
        let url = object_url(&self.endpoint, bucket, name);
        let what = format!("PUT gs://{bucket}/{name}");
        self.retry.run(|_| {
            let mut req = self
                .agent
                .put(&url)
                .header("Content-Type", "application/json")
                .header("x-goog-if-generation-match", expect.to_string())
                .header(SOURCE_GENERATION, source_generation.to_string());
            if let Some(a) = auth {
                req = req.header("Authorization", a);
            }
            let resp = match req.send(body) {
                Ok(resp) => resp,
                Err(e) => return transport_error(&what, e),
            };
            let status = resp.status().as_u16();
            let reason = resp.status().canonical_reason().unwrap_or("");
            let detail = error_code(resp.into_body().into_reader());
            match status {
                200 | 201 => Attempt::Done(Put::Written),
                // A retried PUT whose first try did land also ends here: the sidecar is
                // written either way.
                412 => Attempt::Done(Put::Conflict),
                s => {
                    let err = status_error(&what, s, reason);
                    let err = io::Error::new(err.kind(), format!("{err}{detail}"));
                    if retryable_status(s) { Attempt::Retry(err) } else { Attempt::Fail(err) }
                }
            }
        })
    }
}

/// A request that got no answer: connection failures and timeouts are worth another try.
pub(crate) fn transport_error<T>(what: &str, e: ureq::Error) -> Attempt<T> {
    let (kind, retry) = match &e {
        ureq::Error::Timeout(_) | ureq::Error::BodyStalled => (io::ErrorKind::TimedOut, true),
        ureq::Error::Io(io) => (io.kind(), true),
        ureq::Error::ConnectionFailed => (io::ErrorKind::ConnectionRefused, true),
        ureq::Error::Protocol(_) => (io::ErrorKind::InvalidData, true),
        _ => (io::ErrorKind::Other, false),
    };
    let err = io::Error::new(kind, format!("{what}: {e}"));
    if retry { Attempt::Retry(err) } else { Attempt::Fail(err) }
}

/// ` (Code)` from an XML API error body (`<Error><Code>AccessDenied</Code>...`), read
/// up to a few KiB; empty when there is none.
fn error_code(body: impl Read) -> String {
    let mut text = Vec::new();
    if io::copy(&mut body.take(ERROR_BODY_LIMIT), &mut text).is_err() {
        return String::new();
    }
    let text = String::from_utf8_lossy(&text);
    let code = text.split_once("<Code>").and_then(|(_, rest)| rest.split_once("</Code>")).map(|(c, _)| c);
    match code {
        Some(c) if !c.is_empty() && c.len() <= 64 && c.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            format!(" ({c})")
        }
        _ => String::new(),
    }
}

/// A generation number: digits only.
pub(crate) fn digits(s: &str) -> Option<u64> {
    (!s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded_as_one_path_segment() {
        assert_eq!(encode_segment("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encode_segment("dir/a b+c?#%.jpg"), "dir%2Fa%20b%2Bc%3F%23%25.jpg");
        assert_eq!(encode_segment("../é"), "..%2F%C3%A9");
        assert_eq!(
            generation_url("https://storage.googleapis.com/", "photos", "2024/a b.jpg", 17),
            "https://storage.googleapis.com/photos/2024%2Fa%20b.jpg?generation=17"
        );
    }

    #[test]
    fn error_codes_and_digits() {
        let xml = "<?xml version='1.0'?><Error><Code>AccessDenied</Code><Message>no</Message></Error>";
        assert_eq!(error_code(xml.as_bytes()), " (AccessDenied)");
        assert_eq!(error_code(&b"<Code><script></Code>"[..]), "");
        assert_eq!(error_code(&b""[..]), "");
        assert_eq!(digits("0012"), Some(12));
        assert_eq!(
            (digits(""), digits("+1"), digits("1 "), digits("99999999999999999999999")),
            (None, None, None, None)
        );
    }
}

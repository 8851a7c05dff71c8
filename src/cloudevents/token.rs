//! The access token sent to Cloud Storage: a fixed one from the configuration, or the
//! service account's from the metadata server (what Cloud Run and Cloud Functions give
//! every instance), kept until shortly before it expires.

use super::gcs::transport_error;
use crate::remote::{Attempt, RetryPolicy, retryable_status, status_error};
use std::io::{self, Read};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The metadata server's path for the default service account's token.
const TOKEN_PATH: &str = "/computeMetadata/v1/instance/service-accounts/default/token";

/// The largest token answer read (they are about 1 KiB).
const TOKEN_BODY_LIMIT: u64 = 64 << 10;

/// A token is fetched again when it has less than this left: an extraction and its
/// sidecar write must finish before it expires.
const REFRESH_MARGIN: Duration = Duration::from_secs(120);

/// Where the `Authorization` header comes from.
pub(crate) enum Tokens {
    /// No header: a local endpoint (an emulator, a test server) that needs none.
    Anonymous,
    /// A token given in the configuration.
    Fixed(String),
    /// The metadata server at this URL, and the token it last gave.
    Metadata { url: String, agent: ureq::Agent, retry: RetryPolicy, cached: Mutex<Option<(String, Instant)>> },
}

impl Tokens {
    /// The token source for a configuration: a fixed token if one is given; else none for
    /// a plain-HTTP endpoint (the service account's token never travels unencrypted);
    /// else the metadata server at `metadata_host`.
    pub(crate) fn new(
        token: Option<&str>,
        endpoint: &str,
        metadata_host: &str,
        retry: &RetryPolicy,
    ) -> Tokens {
        if let Some(t) = token {
            return Tokens::Fixed(t.to_owned());
        }
        if !endpoint.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")) {
            return Tokens::Anonymous;
        }
        let config = crate::remote::agent_config(retry).build();
        Tokens::Metadata {
            url: format!("http://{}{TOKEN_PATH}", metadata_host.trim_end_matches('/')),
            agent: config.into(),
            retry: retry.clone(),
            cached: Mutex::new(None),
        }
    }

    /// The `Authorization` header's value (`Bearer ...`), if one is to be sent.
    pub(crate) fn authorization(&self) -> io::Result<Option<String>> {
        match self {
            Tokens::Anonymous => Ok(None),
            Tokens::Fixed(t) => Ok(Some(format!("Bearer {t}"))),
            Tokens::Metadata { url, agent, retry, cached } => {
                // One fetch at a time: requests that arrive together wait for it rather
                // than each asking the metadata server.
                let mut cached = cached.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let now = Instant::now();
                if let Some((token, until)) = cached.as_ref() {
                    if now + REFRESH_MARGIN < *until {
                        return Ok(Some(format!("Bearer {token}")));
                    }
                }
                let (token, lifetime) = fetch(agent, url, retry)?;
                let header = format!("Bearer {token}");
                *cached = Some((token, now + lifetime));
                Ok(Some(header))
            }
        }
    }
}

/// Asks the metadata server for a token: `(access_token, expires_in)`.
fn fetch(agent: &ureq::Agent, url: &str, retry: &RetryPolicy) -> io::Result<(String, Duration)> {
    let what = "GET the access token from the metadata server";
    retry.run(|_| {
        let resp = match agent.get(url).header("Metadata-Flavor", "Google").call() {
            Ok(resp) => resp,
            Err(e) => return transport_error(what, e),
        };
        let status = resp.status().as_u16();
        if status != 200 {
            let err = status_error(what, status, resp.status().canonical_reason().unwrap_or(""));
            return if retryable_status(status) { Attempt::Retry(err) } else { Attempt::Fail(err) };
        }
        let mut body = Vec::new();
        if let Err(e) = io::copy(&mut resp.into_body().into_reader().take(TOKEN_BODY_LIMIT), &mut body) {
            return Attempt::Retry(io::Error::new(e.kind(), format!("{what}: {e}")));
        }
        match parse_token(&body) {
            Some(t) => Attempt::Done(t),
            None => {
                Attempt::Fail(io::Error::new(io::ErrorKind::InvalidData, format!("{what}: no access_token")))
            }
        }
    })
}

/// `{"access_token": "...", "expires_in": 3599, "token_type": "Bearer"}`.
fn parse_token(body: &[u8]) -> Option<(String, Duration)> {
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    let token = json.get("access_token")?.as_str()?;
    // A token becomes a header value: visible ASCII only.
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let expires_in = json.get("expires_in").and_then(serde_json::Value::as_u64).unwrap_or(0);
    Some((token.to_owned(), Duration::from_secs(expires_in)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_answers() {
        let ok = br#"{"access_token":"ya29.c","expires_in":3599,"token_type":"Bearer"}"#;
        assert_eq!(parse_token(ok), Some(("ya29.c".to_owned(), Duration::from_secs(3599))));
        assert_eq!(parse_token(br#"{"access_token":"a\r\nb"}"#), None);
        assert_eq!(parse_token(br#"{"error":"x"}"#), None);
        assert_eq!(parse_token(b"<html>"), None);
    }

    #[test]
    fn metadata_tokens_are_fetched_once_and_kept() {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let server = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = conn.read(&mut buf).unwrap();
                assert!(n > 0);
                request.extend_from_slice(&buf[..n]);
            }
            let body = r#"{"access_token":"ya29.x","expires_in":3599,"token_type":"Bearer"}"#;
            write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            String::from_utf8(request).unwrap()
        });
        let retry = RetryPolicy::default().with_attempts(1).with_timeout(Duration::from_secs(2));
        let tokens = Tokens::new(None, "https://storage.googleapis.com", &host, &retry);
        assert_eq!(tokens.authorization().unwrap().as_deref(), Some("Bearer ya29.x"));
        let request = server.join().unwrap();
        assert!(request.starts_with(&format!("GET {TOKEN_PATH} HTTP/1.1")), "{request}");
        assert!(request.to_ascii_lowercase().contains("metadata-flavor: google"), "{request}");
        // Kept: the server is gone, and no second request is needed.
        assert_eq!(tokens.authorization().unwrap().as_deref(), Some("Bearer ya29.x"));
    }

    #[test]
    fn who_gets_a_token() {
        let retry = RetryPolicy::default();
        let fixed = Tokens::new(Some("t"), "http://127.0.0.1:9", "h", &retry);
        assert_eq!(fixed.authorization().ok().flatten().as_deref(), Some("Bearer t"));
        let local = Tokens::new(None, "http://127.0.0.1:9", "h", &retry);
        assert_eq!(local.authorization().ok().flatten(), None);
        let gcs = Tokens::new(None, "https://storage.googleapis.com", "metadata.example:8080", &retry);
        assert!(matches!(&gcs, Tokens::Metadata { url, .. }
            if url == "http://metadata.example:8080/computeMetadata/v1/instance/service-accounts/default/token"));
    }
}

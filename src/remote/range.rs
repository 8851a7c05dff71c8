//! What a ranged response says it holds (`Content-Range`), and reading its body without
//! trusting any length the server gave: the pieces every HTTP-speaking backend shares.

use std::io::{self, Read};

/// A `Content-Range` header (RFC 9110, section 14.4): `bytes first-last/total`, or
/// `bytes */total` on a 416 answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ContentRange {
    /// The bytes held, `first..=last`; `None` for `bytes */total`.
    pub bytes: Option<(u64, u64)>,
    /// The object's whole length; `None` when the server does not know it (`/*`).
    pub total: Option<u64>,
}

impl ContentRange {
    /// Parses the header's value; `None` if it is not a well-formed byte range.
    pub fn parse(value: &str) -> Option<ContentRange> {
        let rest = value.trim().strip_prefix("bytes")?.trim_start();
        let (range, total) = rest.split_once('/')?;
        let total = match total.trim() {
            "*" => None,
            t => Some(number(t)?),
        };
        let bytes = match range.trim() {
            "*" => None,
            r => {
                let (first, last) = r.split_once('-')?;
                let (first, last) = (number(first)?, number(last)?);
                if last < first || total.is_some_and(|t| last >= t) {
                    return None;
                }
                Some((first, last))
            }
        };
        if bytes.is_none() && total.is_none() {
            return None;
        }
        Some(ContentRange { bytes, total })
    }
}

/// Digits only: `u64::from_str` would also take a `+` sign.
fn number(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Why a body could not be read as asked.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The transfer broke off or stalled: worth another attempt.
    Transfer(io::Error),
    /// The server sent more bytes than it said: not to be believed.
    TooLong,
    /// The body holds more than the caller's limit.
    OverLimit,
}

/// Reads exactly `len` bytes of `body`, the length the caller asked for (never one the
/// server gave), and checks that nothing follows them.
pub(crate) fn read_exact_body(mut body: impl Read, len: usize) -> Result<Vec<u8>, BodyError> {
    let mut buf = vec![0u8; len];
    body.read_exact(&mut buf).map_err(BodyError::Transfer)?;
    let mut one = [0u8; 1];
    match body.read(&mut one) {
        Ok(0) => Ok(buf),
        Ok(_) => Err(BodyError::TooLong),
        Err(e) => Err(BodyError::Transfer(e)),
    }
}

/// Reads a whole body of unknown length, in steps, up to `limit` bytes; past it, fails
/// with [`BodyError::OverLimit`] without reading on.
pub(crate) fn read_body_up_to(body: impl Read, limit: u64) -> Result<Vec<u8>, BodyError> {
    let mut body = body.take(limit.saturating_add(1));
    let mut out = Vec::new();
    let mut chunk = [0u8; 16 << 10];
    loop {
        let n = match body.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(BodyError::Transfer(e)),
        };
        out.extend_from_slice(&chunk[..n]);
        if out.len() as u64 > limit {
            return Err(BodyError::OverLimit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges() {
        let cr = |s| ContentRange::parse(s);
        assert_eq!(cr("bytes 0-99/1000"), Some(ContentRange { bytes: Some((0, 99)), total: Some(1000) }));
        assert_eq!(cr("bytes 900-999/*"), Some(ContentRange { bytes: Some((900, 999)), total: None }));
        assert_eq!(cr("bytes */0"), Some(ContentRange { bytes: None, total: Some(0) }));
        for bad in
            ["bytes 5-4/10", "bytes 0-10/10", "bytes */*", "items 0-1/2", "bytes +0-1/2", "bytes 0-1", ""]
        {
            assert_eq!(cr(bad), None, "{bad}");
        }
    }

    #[test]
    fn bodies_are_read_to_the_length_asked() {
        assert_eq!(read_exact_body(&b"abcd"[..], 4).ok(), Some(b"abcd".to_vec()));
        assert!(matches!(read_exact_body(&b"abc"[..], 4), Err(BodyError::Transfer(_))));
        assert!(matches!(read_exact_body(&b"abcde"[..], 4), Err(BodyError::TooLong)));
        assert_eq!(read_body_up_to(&b"abcd"[..], 4).ok(), Some(b"abcd".to_vec()));
        assert!(matches!(read_body_up_to(&b"abcde"[..], 4), Err(BodyError::OverLimit)));
        let big = vec![7u8; 100_000];
        assert_eq!(read_body_up_to(&big[..], 1 << 20).ok().map(|v| v.len()), Some(100_000));
    }
}

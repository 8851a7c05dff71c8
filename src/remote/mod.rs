//! Byte sources over the network: ranged requests, retries, pinning to one version of the
//! object (features `http`, `s3`).
//!
//! - HTTP(S) (feature `http`): [`HttpSource`], [`extract_url`].
//! - S3, with the official AWS SDK (feature `s3`): `S3Source` (one object, pinned to the
//!   version first read), `extract_s3` (an object's metadata, start to finish),
//!   `S3Listing` (the objects under a prefix, for a backfill) and `s3_client_from_env`.
//!
//! A remote source answers [`ByteSource`] reads with ranged requests and sits behind a
//! [`CachedSource`] built from its first response (which also tells the object's size),
//! so an object that fits the first read costs one request, and the parsers' prefetch
//! hints (an MP4 `moov` at the end) become concurrent requests.
//!
//! Every read after the first is pinned to the version the first one saw (an ETag, or a
//! modification date). If the object is replaced while it is read, reads fail with an
//! [`ObjectChanged`] error rather than mixing bytes of two versions; the `extract_*`
//! functions here start over once when that happens.
//!
//! Nothing here knows a file format; [`tail_hint_for`] asks [`Format`] which formats keep
//! their metadata at the end.

#[cfg(feature = "http")]
mod http;
#[cfg_attr(not(feature = "http"), allow(dead_code))]
mod range;
mod retry;
#[cfg(feature = "s3")]
mod s3;
#[cfg(feature = "s3")]
mod s3_extract;
#[cfg(feature = "s3")]
mod s3_get;
#[cfg(feature = "s3")]
mod s3_list;
#[cfg_attr(not(feature = "http"), allow(dead_code))]
mod url;

#[cfg(feature = "http")]
pub(crate) use http::agent_config;
#[cfg(feature = "http")]
pub use http::{HttpOptions, HttpSource, extract_url, extract_url_with};
pub use retry::{Attempt, RetryPolicy, retryable_status};
#[cfg(feature = "s3")]
pub use s3::{S3Object, S3ObjectInfo, S3Source};
#[cfg(feature = "s3")]
pub use s3_extract::{MAX_ATTEMPTS, S3Extraction, extract_s3, is_not_found, s3_client_from_env};
#[cfg(feature = "s3")]
pub use s3_list::S3Listing;

use crate::error::{Error, Result};
use crate::model::Metadata;
use crate::options::Options;
use crate::sniff::Format;
use crate::source::{ByteSource, CachedSource};
use std::fmt;
use std::io;

/// The remote object changed between two reads of one extraction (its ETag or size
/// differs, or the server refused a pinned read with 412 Precondition Failed).
///
/// Remote sources report it as an [`io::Error`] of kind
/// [`io::ErrorKind::StaleNetworkFileHandle`] (ESTALE: what a network file system says when
/// the file behind a handle was replaced) whose inner error is this type. Test for it with
/// [`is_object_changed`]; the right answer is to extract again from the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectChanged {
    /// Which object (a URL without its query, a bucket and key).
    pub object: String,
    /// What showed the change.
    pub detail: String,
}

impl fmt::Display for ObjectChanged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} changed while it was read ({})", self.object, self.detail)
    }
}

impl std::error::Error for ObjectChanged {}

impl ObjectChanged {
    /// This condition as the `io::Error` remote sources return.
    pub fn into_io(self) -> io::Error {
        io::Error::new(io::ErrorKind::StaleNetworkFileHandle, self)
    }
}

/// Whether `err`, or an error it wraps (a [`crate::Error`] wrapping an [`io::Error`]...),
/// is an [`ObjectChanged`].
pub fn is_object_changed(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut at = Some(err);
    while let Some(e) = at {
        if e.is::<ObjectChanged>() {
            return true;
        }
        // `io::Error::source` skips the wrapped error itself: look inside by hand.
        let inner = e.downcast_ref::<io::Error>().and_then(|io| io.get_ref());
        if inner.is_some_and(|i| i.is::<ObjectChanged>()) {
            return true;
        }
        at = e.source();
    }
    false
}

/// How many bytes from the end of an object are worth requesting together with its head,
/// for a file with this extension: formats that keep their metadata at the end (an MP4 or
/// MOV `moov` after the media data, the PDF trailer and cross-reference table, a ZIP's
/// central directory, the ID3v1 and APE tags of an MP3). `None` when the head is enough.
///
/// A tail costs one more request, sent at the same time as the first: for those formats
/// it saves a round trip, for small objects it is bytes read twice.
///
/// ```
/// assert_eq!(metasift::remote::tail_hint_for("MP4"), Some(64 << 10));
/// assert_eq!(metasift::remote::tail_hint_for("jpg"), None);
/// ```
pub fn tail_hint_for(ext: &str) -> Option<u64> {
    use Format::*;
    match Format::from_extension(ext.trim_start_matches('.'))? {
        // A moov after the mdat: most moov boxes of phone videos fit 64 KiB; a longer
        // one costs one more request for the rest, made as soon as the mdat is seen.
        Mp4 | Mov | M4a | M4b | M4p | M4v | F4v | ThreeGp | ThreeG2 => Some(64 << 10),
        // The trailer and its cross-reference table; the end of central directory and
        // the directory itself.
        Pdf | Zip | Docx | Docm | Xlsx | Xlsm | Pptx | Pptm | Dotx | Dotm | Xltx | Xltm | Potx | Potm
        | Ppsx | Ppsm | Odt | Ods | Odp | Odg | Epub | Numbers | Pages | Key => Some(64 << 10),
        // The last pages, whose granule position gives the duration.
        Ogg | Opus => Some(16 << 10),
        // ID3v1 (128 bytes), Lyrics3 and an APE tag footer before it.
        Mp3 => Some(4 << 10),
        _ => None,
    }
}

/// Smallest read-ahead of a remote source (the first request included), 64 KiB: a round
/// trip costs more than 32 KiB more of a response, and 64 KiB holds the whole `moov` of
/// most faststart MP4s, so they cost one request instead of two.
pub const REMOTE_READ_AHEAD: usize = 64 << 10;

/// The read-ahead a remote source uses: [`Options::read_ahead`](crate::Options), at least
/// [`REMOTE_READ_AHEAD`], at most the cache's capacity.
pub fn remote_read_ahead(options: &crate::Options) -> usize {
    options.read_ahead.max(REMOTE_READ_AHEAD).min(options.cache_capacity.max(1))
}

/// Extracts through the source `open` gives, starting over once if the object changed
/// while it was read (seen by `changed` even where a parser turned the failed read into a
/// warning). The one loop both backends share.
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) fn extract_pinned<S: ByteSource>(
    object: &str,
    open: impl Fn() -> io::Result<CachedSource<S>>,
    changed: impl Fn(&S) -> bool,
    options: &Options,
    ext_hint: Option<&str>,
) -> Result<Metadata> {
    let mut tries = 0;
    loop {
        tries += 1;
        let outcome = match open() {
            Ok(source) => {
                let got = crate::extract_hinted(&source, options, ext_hint);
                let stale = changed(source.inner()) || got.as_ref().is_err_and(|e| is_object_changed(e));
                (got, stale)
            }
            Err(e) => {
                let stale = is_object_changed(&e);
                (Err(Error::io(0, e)), stale)
            }
        };
        match outcome {
            (got, false) => return got,
            (_, true) if tries < 2 => continue,
            (Ok(_), true) => return Err(Error::io(0, changed_twice(object))),
            (Err(e), true) => return Err(e),
        }
    }
}

/// The error when `object` changed under both attempts of one extraction.
fn changed_twice(object: &str) -> io::Error {
    let detail = "during two extractions in a row; giving up".to_owned();
    ObjectChanged { object: object.to_owned(), detail }.into_io()
}

/// An error for an HTTP status that is neither success nor retried, with a kind that
/// says what it means (404: `NotFound`, 401 and 403: `PermissionDenied`).
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) fn status_error(what: &str, status: u16, reason: &str) -> io::Error {
    let kind = match status {
        404 | 410 => io::ErrorKind::NotFound,
        401 | 403 => io::ErrorKind::PermissionDenied,
        400..=499 => io::ErrorKind::InvalidInput,
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, format!("{what}: HTTP {status} {reason}").trim_end().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_changed_is_found_through_wrappers() {
        let io = ObjectChanged { object: "https://h/a.mp4".into(), detail: "ETag".into() }.into_io();
        assert_eq!(io.kind(), io::ErrorKind::StaleNetworkFileHandle);
        assert!(is_object_changed(&io));
        let wrapped = Error::io(7, io);
        assert!(is_object_changed(&wrapped));
        assert!(wrapped.to_string().contains("https://h/a.mp4 changed while it was read (ETag)"));
        assert!(!is_object_changed(&io::Error::other("503")));
    }

    #[test]
    fn tail_hints_follow_the_format() {
        assert_eq!(tail_hint_for("mov"), Some(64 << 10));
        assert_eq!(tail_hint_for("DOCX"), Some(64 << 10));
        assert_eq!(tail_hint_for("mp3"), Some(4 << 10));
        assert_eq!(tail_hint_for("heic"), None);
        assert_eq!(tail_hint_for("nope"), None);
    }

    #[test]
    fn status_kinds() {
        assert_eq!(status_error("GET x", 404, "Not Found").kind(), io::ErrorKind::NotFound);
        assert_eq!(status_error("GET x", 403, "Forbidden").kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(status_error("GET x", 418, "").to_string(), "GET x: HTTP 418");
    }
}

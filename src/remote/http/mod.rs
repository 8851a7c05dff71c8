//! [`HttpSource`]: a [`ByteSource`] over HTTP(S) range requests (feature `http`).
//!
//! The first GET asks for the head of the object and learns its length from
//! `Content-Range` (no HEAD request); every later GET asks for exactly the bytes a read
//! needs, pinned to the version the first one saw. No answer is believed on its word: a
//! body must hold the range asked for, labelled as such, and is read up to the length we
//! asked for, never one the server gave.

mod client;

use super::retry::RetryPolicy;
use super::url::{shown_url, url_extension};
use super::{ObjectChanged, extract_pinned, tail_hint_for};
use crate::error::Result;
use crate::model::Metadata;
use crate::options::Options;
use crate::source::{ByteSource, CachedSource};
use client::{Client, First, Pin, Tail};
use std::io;

/// The settings every metasift HTTP agent shares (the range reads here, and the Cloud
/// Storage sidecar and token requests of `cloudevents`): statuses are answers, not
/// errors (the caller decides what to retry), every phase of a request is bounded by the
/// retry policy's timeout, and requests name metasift. Callers add their own settings.
pub(crate) fn agent_config(retry: &RetryPolicy) -> ureq::config::ConfigBuilder<ureq::typestate::AgentScope> {
    let t = Some(retry.timeout);
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(t)
        .timeout_recv_response(t)
        .timeout_per_read(t)
        .timeout_per_write(t)
        .user_agent(concat!("metasift/", env!("CARGO_PKG_VERSION")))
}
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Most requests [`HttpSource`] keeps in flight at once (and connections it keeps open).
const MAX_PARALLEL: usize = 8;

/// How [`HttpSource::open_with`] talks to the server.
///
/// ```
/// use metasift::remote::HttpOptions;
/// let http = HttpOptions::default().with_header("Authorization", "Bearer ya29.secret");
/// // Header values stay out of debug output: they are often credentials.
/// assert!(!format!("{http:?}").contains("ya29"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpOptions {
    /// Retries, backoff and per-request timeout.
    pub retry: RetryPolicy,
    /// Bytes from the end of the object to request at the same time as its head, for
    /// formats that keep their metadata there (see [`super::tail_hint_for`]); `None` asks
    /// for the head only.
    pub tail: Option<u64>,
    /// Headers sent with every GET, after metasift's own (`Range`, the pin): credentials
    /// such as `Authorization: Bearer ...` for an object store. A name or value that is
    /// not a valid HTTP header makes [`HttpSource::open_with`] fail with `InvalidInput`.
    pub headers: Vec<(String, String)>,
}

impl std::fmt::Debug for HttpOptions {
    /// Shows header names only: their values are often secrets, and options get logged.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("HttpOptions")
            .field("retry", &self.retry)
            .field("tail", &self.tail)
            .field("headers", &names)
            .finish()
    }
}

impl HttpOptions {
    /// Sets [`HttpOptions::retry`].
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets [`HttpOptions::tail`].
    pub fn with_tail(mut self, tail: Option<u64>) -> Self {
        self.tail = tail;
        self
    }

    /// Adds a header to [`HttpOptions::headers`].
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A [`ByteSource`] over an HTTP(S) URL: each read is a `Range` GET, retried on
/// transient failures and pinned to the object's first-seen version. `Send + Sync`;
/// [`ByteSource::read_ranges`] issues its requests concurrently.
///
/// Open it with [`HttpSource::open`], which returns it behind the read cache every
/// extraction reads through, built from the first response:
///
/// ```no_run
/// let options = metasift::Options::default();
/// let source = metasift::remote::HttpSource::open("https://example.com/clip.mp4", &options)?;
/// let meta = metasift::extract_hinted(&source, &options, Some("mp4"))?;
/// eprintln!("{} GETs, {} retried", meta.stats.source_reads, source.inner().retries());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct HttpSource {
    client: Client,
    len: u64,
    pin: Pin,
    /// The first failure that makes further requests pointless: later reads fail with it
    /// at once.
    broken: OnceLock<Broken>,
    /// Reads that failed (after their retries).
    failed: AtomicU64,
}

/// Why an [`HttpSource`] stopped sending requests.
enum Broken {
    /// The object changed since the first request.
    Changed(ObjectChanged),
    /// The server answered other bytes than asked: nothing more it says is believed.
    Lied(String),
}

impl Broken {
    fn error(&self) -> io::Error {
        match self {
            Broken::Changed(c) => c.clone().into_io(),
            Broken::Lied(msg) => io::Error::new(io::ErrorKind::InvalidData, msg.clone()),
        }
    }
}

impl HttpSource {
    /// Opens `url` with one GET for its first [`super::remote_read_ahead`] bytes, which also
    /// tells its length, and returns it behind the read cache (fetch limit:
    /// `options.limits.max_bytes_read`). An object that fits that read costs that one
    /// request; a server that ignores `Range` and sends the whole object is accepted if
    /// the object is no larger than `max_bytes_read`.
    pub fn open(url: &str, options: &Options) -> io::Result<CachedSource<HttpSource>> {
        HttpSource::open_with(url, options, &HttpOptions::default())
    }

    /// [`HttpSource::open`], also requesting the last `tail_len` bytes at the same time
    /// (a suffix range needs no length): for a format with its metadata at the end, the
    /// head and the tail cost one round trip.
    pub fn open_with_tail(
        url: &str,
        options: &Options,
        tail_len: u64,
    ) -> io::Result<CachedSource<HttpSource>> {
        HttpSource::open_with(url, options, &HttpOptions::default().with_tail(Some(tail_len)))
    }

    /// [`HttpSource::open`] with retry and tail settings.
    pub fn open_with(
        url: &str,
        options: &Options,
        http: &HttpOptions,
    ) -> io::Result<CachedSource<HttpSource>> {
        let client = Client::new(url, &http.retry, &http.headers)?;
        let limit = options.limits.max_bytes_read;
        let ra = super::remote_read_ahead(options);
        let ask = (ra as u64).min(limit).max(1);
        let room = (options.cache_capacity as u64 / 2).min(limit.saturating_sub(ask));
        let (first, tail) = match http.tail.map(|t| t.min(room)).filter(|t| *t > 0) {
            None => (client.first(ask, limit), None),
            Some(tail_len) => std::thread::scope(|s| {
                let tail = std::thread::Builder::new().spawn_scoped(s, || client.tail(tail_len));
                let first = client.first(ask, limit);
                // The tail is a guess: if it failed, later reads fetch what is needed.
                let tail = tail.ok().and_then(|t| t.join().ok()).and_then(|t| t.ok()).flatten();
                (first, tail)
            }),
        };
        let cap = options.cache_capacity;
        let shown = client.shown.clone();
        let source =
            |len, pin| HttpSource { client, len, pin, broken: OnceLock::new(), failed: AtomicU64::new(0) };
        let cached = match first? {
            First::Empty => CachedSource::with_head(source(0, Pin::Nothing), ra, cap, Vec::new()),
            // Held whole in the cache, whatever its capacity: a later request would bring
            // the whole object again. Its size already passed `max_bytes_read`.
            First::Whole(body) => {
                let len = body.len() as u64;
                CachedSource::with_head(source(len, Pin::Nothing), ra, cap.max(body.len()), body)
            }
            First::Part { total, head, pin } => {
                let head_len = head.len() as u64;
                if let Some(t) = tail.as_ref().filter(|_| head_len < total) {
                    check_tail(t, total, &pin, &shown)?;
                }
                let cached = CachedSource::with_head(source(total, pin), ra, cap, head);
                // A tail the head already covers was a request all the same: it counts.
                match tail {
                    Some(t) => cached.with_block(t.first, t.data),
                    None => cached,
                }
            }
        };
        Ok(cached.with_fetch_limit(limit))
    }

    /// The URL read.
    pub fn url(&self) -> &str {
        &self.client.url
    }

    /// HTTP requests sent so far, retries and the first request included.
    pub fn requests(&self) -> u64 {
        self.client.requests.load(Ordering::Relaxed)
    }

    /// How many of [`HttpSource::requests`] were retries.
    pub fn retries(&self) -> u64 {
        self.client.retries.load(Ordering::Relaxed)
    }

    /// Reads after the first that failed, after their retries. Parsers turn a failed read
    /// inside a recognised file into a warning and go on, so an extraction can succeed
    /// with part of the file unread: a caller that stores results (and will not try
    /// again) checks this first.
    pub fn failed_reads(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }

    /// Whether a read found the object changed since the first request (reads after that
    /// fail at once; see [`ObjectChanged`]).
    pub fn saw_change(&self) -> bool {
        matches!(self.broken.get(), Some(Broken::Changed(_)))
    }

    /// GETs `start..end` (within the object, not empty), pinned, and checks that the
    /// answer is those bytes of this version.
    fn fetch(&self, start: u64, end: u64) -> io::Result<Vec<u8>> {
        if let Some(broken) = self.broken.get() {
            self.failed.fetch_add(1, Ordering::Relaxed);
            return Err(broken.error());
        }
        let got = self.client.range(start, end, &self.pin, self.len);
        if let Err(e) = &got {
            self.failed.fetch_add(1, Ordering::Relaxed);
            let changed = e.get_ref().and_then(|i| i.downcast_ref::<ObjectChanged>());
            if let Some(c) = changed {
                let _ = self.broken.set(Broken::Changed(c.clone()));
            } else if e.kind() == io::ErrorKind::InvalidData {
                let _ = self.broken.set(Broken::Lied(e.to_string()));
            }
        }
        got
    }
}

impl ByteSource for HttpSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if offset >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let end = offset.saturating_add(buf.len() as u64).min(self.len);
        let data = self.fetch(offset, end)?;
        let n = data.len().min(buf.len());
        buf[..n].copy_from_slice(&data[..n]);
        Ok(n)
    }

    fn read_vec(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let end = offset.checked_add(len as u64).filter(|e| *e <= self.len);
        match end {
            None => Err(io::Error::new(io::ErrorKind::UnexpectedEof, "read past end of source")),
            Some(_) if len == 0 => Ok(Vec::new()),
            Some(end) => self.fetch(offset, end),
        }
    }

    /// One GET per range, up to 8 at once (the calling thread takes its
    /// share), so that a head and a tail cost one round trip of wall time.
    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Vec<u8>>> {
        let clipped: Vec<Range<u64>> = ranges.iter().map(|r| r.start..r.end.min(self.len)).collect();
        let one = |r: &Range<u64>| if r.start >= r.end { Ok(Vec::new()) } else { self.fetch(r.start, r.end) };
        if clipped.len() <= 1 {
            return clipped.iter().map(one).collect();
        }
        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(r) = clipped.get(i) else { return done };
                done.push((i, one(r)));
            }
        };
        let finished = std::thread::scope(|s| {
            let helpers: Vec<_> = (1..clipped.len().min(MAX_PARALLEL))
                .filter_map(|_| std::thread::Builder::new().spawn_scoped(s, work).ok())
                .collect();
            let mut finished = work();
            for h in helpers {
                finished.extend(h.join().map_err(|_| io::Error::other("a request thread panicked"))?);
            }
            Ok::<_, io::Error>(finished)
        })?;
        let mut slots: Vec<Option<io::Result<Vec<u8>>>> = clipped.iter().map(|_| None).collect();
        for (i, got) in finished {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(got);
            }
        }
        slots
            .into_iter()
            .map(|s| s.unwrap_or_else(|| Err(io::Error::other("a range was not fetched"))))
            .collect()
    }
}

/// Checks that the tail fetched beside the head is of the same version.
fn check_tail(t: &Tail, total: u64, pin: &Pin, shown: &str) -> io::Result<()> {
    let changed = |detail: String| Err(ObjectChanged { object: shown.to_owned(), detail }.into_io());
    if t.total != total {
        return changed(format!("its head says {total} bytes, its tail {}", t.total));
    }
    match pin {
        Pin::ETag(tag) if t.etag.as_ref() != Some(tag) => changed(format!("ETag {tag}, then {:?}", t.etag)),
        Pin::Modified(date) if t.modified.as_ref() != Some(date) => {
            changed(format!("Last-Modified {date}, then {:?}", t.modified))
        }
        _ => Ok(()),
    }
}

/// Extracts metadata from an HTTP(S) URL with ranged GETs: [`HttpSource::open_with`]
/// (with the tail [`tail_hint_for`] suggests for the URL's extension), then
/// [`crate::extract_hinted`]. If the object changes while it is read, the extraction
/// starts over once. I/O errors name the URL (without its query).
///
/// ```no_run
/// let meta = metasift::remote::extract_url("https://example.com/clip.mp4", &Default::default())?;
/// println!("{:?} after {} GETs", meta.summary.duration, meta.stats.source_reads);
/// # Ok::<(), metasift::Error>(())
/// ```
pub fn extract_url(url: &str, options: &Options) -> Result<Metadata> {
    extract_url_with(url, options, &RetryPolicy::default())
}

/// [`extract_url`] with a retry policy.
pub fn extract_url_with(url: &str, options: &Options, retry: &RetryPolicy) -> Result<Metadata> {
    let ext = url_extension(url);
    let http = HttpOptions::default().with_retry(retry.clone()).with_tail(ext.and_then(tail_hint_for));
    let open = || HttpSource::open_with(url, options, &http);
    extract_pinned(&shown_url(url), open, HttpSource::saw_change, options, ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_open() {
        let err = HttpSource::open("ftp://h/a.jpg", &Options::default()).err();
        assert_eq!(err.map(|e| e.kind()), Some(io::ErrorKind::InvalidInput));
    }

    #[test]
    fn is_send_and_sync() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<HttpSource>();
        send_sync::<CachedSource<HttpSource>>();
    }
}

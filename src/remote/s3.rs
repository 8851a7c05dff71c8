//! [`S3Source`]: a [`ByteSource`] over ranged `GetObject` requests, with the official AWS
//! SDK (feature `s3`).
//!
//! The first GET asks for the first read-ahead block and learns the object's length from
//! its `Content-Range` (no `HEAD`): an object that fits costs that one request. Every later
//! GET is pinned to the object first read (`If-Match` with its ETag, and its version id
//! when known), so that a file overwritten mid-read is never parsed half old, half new: it
//! fails with [`ObjectChanged`](super::ObjectChanged) instead, and [`extract_s3`](super::extract_s3) starts over.

use super::is_object_changed;
use super::s3_get::{self, Block, GetFail, Target};
use crate::options::Options;
use crate::source::{ByteSource, CachedSource};
use serde::Serialize;
use std::io;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use tokio::runtime::Handle;

/// An object to read, with what the caller already knows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Object {
    /// The bucket.
    pub bucket: String,
    /// The key, as stored (not URL-encoded).
    pub key: String,
    /// The version to read; `None` reads the current one (and pins it once read).
    pub version_id: Option<String>,
    /// The object's size when known beforehand (from an S3 event or a listing): it lets
    /// the first request fetch the tail of formats that keep their metadata at the end
    /// at the same time as the head (see [`tail_hint_for`](super::tail_hint_for)).
    pub known_size: Option<u64>,
}

impl S3Object {
    /// The current version of `bucket`/`key`, size unknown.
    pub fn new(bucket: impl Into<String>, key: impl Into<String>) -> Self {
        S3Object { bucket: bucket.into(), key: key.into(), version_id: None, known_size: None }
    }

    /// Reads this version.
    pub fn with_version_id(mut self, version_id: Option<String>) -> Self {
        self.version_id = version_id;
        self
    }

    /// Sets [`S3Object::known_size`].
    pub fn with_known_size(mut self, size: Option<u64>) -> Self {
        self.known_size = size;
        self
    }

    /// `s3://bucket/key`.
    pub fn uri(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.key)
    }

    /// The key's file extension, if it has one (a hint for formats without magic bytes).
    pub fn extension(&self) -> Option<&str> {
        let name = self.key.rsplit('/').next()?;
        name.rsplit_once('.').map(|(_, ext)| ext).filter(|e| !e.is_empty())
    }
}

/// What the first GET said about the object read (the facts a pipeline records beside the
/// metadata).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct S3ObjectInfo {
    /// The bucket.
    pub bucket: String,
    /// The key.
    pub key: String,
    /// Length in bytes.
    pub size: u64,
    /// The ETag, quoted as S3 sends it; `None` only for an empty object whose `HEAD` gave
    /// none.
    pub etag: Option<String>,
    /// The version read, in a versioned bucket.
    pub version_id: Option<String>,
    /// `Last-Modified`, as RFC 3339.
    pub last_modified: Option<String>,
}

/// A [`ByteSource`] over one S3 object, read with ranged GETs pinned to the version first
/// read. Build it with [`S3Source::open`], which puts the bounded read cache in front.
///
/// Reads are synchronous: each one runs its request on the runtime behind `handle` with
/// `Handle::block_on`, so the source must be used from a thread that is not running
/// async code (a plain thread, or `tokio::task::spawn_blocking`); called from inside an
/// async task, tokio panics. The runtime must be a multi-thread one (a current-thread
/// runtime's I/O is driven only by its own `block_on`). [`ByteSource::read_ranges`] sends
/// its requests concurrently, so a prefetched head and tail cost one round trip.
pub struct S3Source {
    target: Arc<Target>,
    handle: Handle,
    info: S3ObjectInfo,
    changed: AtomicBool,
    requests: AtomicU64,
}

impl S3Source {
    /// Opens `s3://bucket/key` (the given version, or the current one) with one ranged
    /// GET of the first [`remote_read_ahead`](super::remote_read_ahead) bytes, which tells the length. The result
    /// caches that block and caps fetches at [`Limits::max_bytes_read`](crate::Limits);
    /// pass it to [`extract_hinted`](crate::extract_hinted). An empty object gives an
    /// empty source (and a `HEAD` for its ETag).
    pub fn open(
        client: aws_sdk_s3::Client,
        handle: Handle,
        bucket: impl Into<String>,
        key: impl Into<String>,
        version_id: Option<String>,
        options: &Options,
    ) -> io::Result<CachedSource<S3Source>> {
        let object = S3Object::new(bucket, key).with_version_id(version_id);
        Self::open_with_tail(client, handle, &object, None, options)
    }

    /// [`S3Source::open`], and when `object.known_size` and `tail_len` are both set, a
    /// second GET for the last `tail_len` bytes sent at the same time as the first (for
    /// formats that keep their metadata at the end: see
    /// [`tail_hint_for`](super::tail_hint_for)). An object no longer than the head and the
    /// tail together is fetched whole by the first GET. The tail is speculation: if its
    /// response does not match the head's object (another ETag or length), it is dropped.
    pub fn open_with_tail(
        client: aws_sdk_s3::Client,
        handle: Handle,
        object: &S3Object,
        tail_len: Option<u64>,
        options: &Options,
    ) -> io::Result<CachedSource<S3Source>> {
        let target = Arc::new(Target {
            client,
            bucket: object.bucket.clone(),
            key: object.key.clone(),
            version_id: object.version_id.clone(),
            etag: None,
        });
        let plan = Plan::new(options, object.known_size, tail_len);
        let mut requests = 1 + u64::from(plan.tail.is_some());
        let (head, tail) = handle.block_on(first_gets(&handle, &target, &plan));
        let (target, info, head) = match head {
            Ok(head) => {
                let info = info_of(&target, &head);
                (pin(&target, &info), info, head.data)
            }
            Err(GetFail::InvalidRange) => {
                requests += 1;
                let info = handle.block_on(head_of_empty(&target))?;
                (pin(&target, &info), info, Vec::new())
            }
            Err(GetFail::Io(e)) => return Err(e),
        };
        let tail = tail.filter(|t| t.total == info.size && t.etag == info.etag && info.etag.is_some());
        let requests = AtomicU64::new(requests);
        let source = S3Source { target, handle, info, changed: AtomicBool::new(false), requests };
        let mut cached =
            CachedSource::with_head(source, super::remote_read_ahead(options), options.cache_capacity, head)
                .with_fetch_limit(options.limits.max_bytes_read);
        if let Some(tail) = tail {
            cached = cached.with_block(tail.start, tail.data);
        }
        Ok(cached)
    }

    /// What the first GET said about the object.
    pub fn info(&self) -> &S3ObjectInfo {
        &self.info
    }

    /// Requests sent for this object so far (GETs, and the `HEAD` of an empty object),
    /// failed ones included: unlike the cache's count of reads, this is what S3 bills.
    /// The SDK's own retries of a request are not seen here.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Whether a read found the object changed (see [`ObjectChanged`](super::ObjectChanged)). Parsers may turn a
    /// failed read into a warning and go on; this flag still tells that the result mixes
    /// versions and must be thrown away.
    pub fn changed(&self) -> bool {
        self.changed.load(Ordering::Relaxed)
    }

    /// Checks a block read for this source: from the same object, of the same length.
    fn check(&self, got: Result<Block, GetFail>) -> io::Result<Vec<u8>> {
        let result = got.map_err(|f| f.into_io(&self.target)).and_then(|b| {
            if b.total == self.info.size {
                Ok(b.data)
            } else {
                let detail = format!("length {} became {}", self.info.size, b.total);
                Err(s3_get::changed(self.target.uri(), detail))
            }
        });
        if let Err(e) = &result {
            if is_object_changed(e) {
                self.changed.store(true, Ordering::Relaxed);
            }
        }
        result
    }

    /// One GET, counted.
    fn get(&self, start: u64, len: u64) -> io::Result<Vec<u8>> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.check(self.handle.block_on(s3_get::get(&self.target, start, len)))
    }

    /// `range` clipped to the object, as (start, length); `None` when nothing is left.
    fn clip(&self, start: u64, len: u64) -> Option<(u64, u64)> {
        let end = start.saturating_add(len).min(self.info.size);
        (end > start).then(|| (start, end - start))
    }
}

impl ByteSource for S3Source {
    fn len(&self) -> u64 {
        self.info.size
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let Some((start, len)) = self.clip(offset, buf.len() as u64) else { return Ok(0) };
        let data = self.get(start, len)?;
        let n = data.len().min(buf.len());
        buf[..n].copy_from_slice(&data[..n]);
        Ok(n)
    }

    /// One GET for exactly these bytes.
    fn read_vec(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        if len == 0 {
            return Ok(Vec::new());
        }
        let eof = || io::Error::new(io::ErrorKind::UnexpectedEof, "read past end of source");
        let (start, n) = self.clip(offset, len as u64).filter(|(_, n)| *n == len as u64).ok_or_else(eof)?;
        self.get(start, n)
    }

    /// One GET per range, all in flight at once: the wall time of the slowest.
    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Vec<u8>>> {
        let tasks: Vec<_> = ranges
            .iter()
            .map(|r| {
                let clipped = self.clip(r.start, r.end.saturating_sub(r.start));
                clipped.map(|(start, len)| {
                    self.requests.fetch_add(1, Ordering::Relaxed);
                    let target = Arc::clone(&self.target);
                    self.handle.spawn(async move { s3_get::get(&target, start, len).await })
                })
            })
            .collect();
        let results = self.handle.block_on(async {
            let mut out = Vec::new();
            for task in tasks {
                out.push(match task {
                    None => None,
                    Some(t) => Some(t.await.unwrap_or_else(|e| Err(GetFail::Io(io::Error::other(e))))),
                });
            }
            out
        });
        // Check every answer (each may flag a change) before giving the first error.
        let checked: Vec<io::Result<Vec<u8>>> =
            results.into_iter().map(|r| r.map_or(Ok(Vec::new()), |r| self.check(r))).collect();
        checked.into_iter().collect()
    }
}

/// What the first requests ask for.
struct Plan {
    /// Length of the first GET (from offset 0).
    head: u64,
    /// The speculative tail, when the size is known and the tail lies past the head.
    tail: Option<(u64, u64)>,
}

impl Plan {
    fn new(options: &Options, known_size: Option<u64>, tail_len: Option<u64>) -> Plan {
        // Never more than the cache can keep or the fetch limit allows: the head is cached.
        let cap = (options.cache_capacity as u64).min(options.limits.max_bytes_read);
        let head = (super::remote_read_ahead(options) as u64).min(cap).max(1);
        let tail_len = tail_len.unwrap_or(0);
        match known_size {
            // Whole in one request when the head and the tail would cover it anyway.
            Some(size) if size > head && size <= head.saturating_add(tail_len) && size <= cap => {
                Plan { head: size, tail: None }
            }
            Some(size) if size > head && tail_len > 0 => {
                let len = tail_len.min(size - head).min(cap.saturating_sub(head));
                Plan { head, tail: (len > 0).then(|| (size - len, len)) }
            }
            _ => Plan { head, tail: None },
        }
    }
}

/// Sends the head GET and the tail GET (if planned) at once; a failed tail is dropped.
async fn first_gets(
    handle: &Handle,
    target: &Arc<Target>,
    plan: &Plan,
) -> (Result<Block, GetFail>, Option<Block>) {
    let tail = plan.tail.map(|(start, len)| {
        let target = Arc::clone(target);
        handle.spawn(async move { s3_get::get(&target, start, len).await })
    });
    let head = s3_get::get(target, 0, plan.head).await;
    let tail = match tail {
        Some(t) => t.await.ok().and_then(Result::ok),
        None => None,
    };
    (head, tail)
}

fn info_of(target: &Target, head: &Block) -> S3ObjectInfo {
    S3ObjectInfo {
        bucket: target.bucket.clone(),
        key: target.key.clone(),
        size: head.total,
        etag: head.etag.clone(),
        version_id: head.version_id.clone().or_else(|| target.version_id.clone()),
        last_modified: head.last_modified.clone(),
    }
}

/// The target every later GET asks for: the version and ETag first read.
fn pin(target: &Target, info: &S3ObjectInfo) -> Arc<Target> {
    Arc::new(Target {
        client: target.client.clone(),
        bucket: target.bucket.clone(),
        key: target.key.clone(),
        version_id: info.version_id.clone(),
        etag: info.etag.clone(),
    })
}

/// The facts of an object whose first range was unsatisfiable, which for `bytes=0-...`
/// means it is empty; a `HEAD` tells its ETag (and that it is still empty).
async fn head_of_empty(target: &Target) -> io::Result<S3ObjectInfo> {
    let resp = target
        .client
        .head_object()
        .bucket(&target.bucket)
        .key(&target.key)
        .set_version_id(target.version_id.clone())
        .send()
        .await
        .map_err(|e| s3_get::sdk_error(target, e).into_io(target))?;
    let size = resp.content_length().and_then(|n| u64::try_from(n).ok()).unwrap_or(0);
    if size != 0 {
        return Err(s3_get::changed(target.uri(), format!("empty object became {size} bytes")));
    }
    Ok(S3ObjectInfo {
        bucket: target.bucket.clone(),
        key: target.key.clone(),
        size: 0,
        etag: resp.e_tag().map(str::to_owned),
        version_id: resp.version_id().map(str::to_owned).or_else(|| target.version_id.clone()),
        last_modified: resp
            .last_modified()
            .and_then(|t| t.fmt(aws_sdk_s3::primitives::DateTimeFormat::DateTime).ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_fetches_small_objects_whole_and_tails_past_the_head() {
        let o = Options::default(); // a remote head of 64 KiB, a 4 MiB cache
        let p = Plan::new(&o, None, Some(65536));
        assert_eq!((p.head, p.tail), (65536, None));
        let p = Plan::new(&o, Some(1000), Some(65536));
        assert_eq!((p.head, p.tail), (65536, None), "fits the head");
        let p = Plan::new(&o, Some(120_000), Some(65536));
        assert_eq!((p.head, p.tail), (120_000, None), "head and tail cover it: one GET");
        let p = Plan::new(&o, Some(10_000_000), Some(65536));
        assert_eq!((p.head, p.tail), (65536, Some((10_000_000 - 65536, 65536))));
        let p = Plan::new(&o, Some(10_000_000), None);
        assert_eq!((p.head, p.tail), (65536, None));
    }

    #[test]
    fn extension_of_a_key() {
        assert_eq!(S3Object::new("b", "a/b.c/clip.MP4").extension(), Some("MP4"));
        assert_eq!(S3Object::new("b", "a.d/noext").extension(), None);
        assert_eq!(S3Object::new("b", "x.").extension(), None);
        assert_eq!(S3Object::new("b", "k").uri(), "s3://b/k");
    }
}

//! A bounded read cache with read-ahead and prefetching, and the read counters every
//! extraction reports.

use super::ByteSource;
use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

/// What an extraction cost the underlying source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[non_exhaustive]
pub struct ReadStats {
    /// Read calls that reached the underlying source (ranged GETs, for an object store).
    pub source_reads: u64,
    /// Bytes those calls returned.
    pub source_bytes: u64,
    /// Wall time spent waiting on the underlying source, in microseconds (requests made
    /// concurrently count once). Zero for input read whole in one call.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "is_zero"))]
    pub io_wait_us: u64,
}

#[cfg(feature = "serde")]
fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl ReadStats {
    /// Adds `other`'s counts to these (a batch's totals).
    pub fn add(&mut self, other: &ReadStats) {
        self.source_reads += other.source_reads;
        self.source_bytes += other.source_bytes;
        self.io_wait_us += other.io_wait_us;
    }
}

/// Most extents kept at once, whatever their size.
const MAX_EXTENTS: usize = 512;

struct Extent {
    start: u64,
    data: Vec<u8>,
    last_used: u64,
}

impl Extent {
    fn end(&self) -> u64 {
        self.start + self.data.len() as u64
    }
}

#[derive(Default)]
struct State {
    extents: Vec<Extent>,
    used: usize,
    tick: u64,
}

impl State {
    /// The extent holding `offset`, marked as just used.
    fn find(&mut self, offset: u64) -> Option<&Extent> {
        self.tick += 1;
        let tick = self.tick;
        let ext = self.extents.iter_mut().find(|e| e.start <= offset && offset < e.end())?;
        ext.last_used = tick;
        Some(ext)
    }

    /// Where the first cached extent after `offset` starts (`limit` if none does).
    fn next_start(&self, offset: u64, limit: u64) -> u64 {
        self.extents.iter().map(|e| e.start).filter(|s| *s > offset).fold(limit, u64::min)
    }
}

/// Caches reads from a slow source: a small request fetches `read_ahead` bytes, a large
/// one fetches exactly what it asks for, and cached bytes are never fetched twice while
/// they stay in the cache. Memory is bounded by `capacity` (least recently used extents
/// are dropped). Counts the reads that reach the inner source, the bytes they return and
/// the time spent waiting for them.
///
/// A reader that knows what it will need next says so with
/// [`ByteSource::prefetch`]: the missing ranges are fetched together through
/// [`ByteSource::read_ranges`], which a remote source answers with concurrent requests.
///
/// The cache is `Send + Sync` when its source is, so one extraction can run on a worker
/// thread beside an async runtime.
pub struct CachedSource<S> {
    inner: S,
    read_ahead: usize,
    capacity: usize,
    /// Most bytes fetched from `inner` in total: read-ahead is clipped to it, and a read
    /// needing more fails (see [`CachedSource::with_fetch_limit`]).
    fetch_limit: u64,
    state: Mutex<State>,
    reads: AtomicU64,
    bytes: AtomicU64,
    wait_us: AtomicU64,
}

impl<S: ByteSource> CachedSource<S> {
    /// Wraps `inner` with the given read-ahead and capacity in bytes.
    pub fn new(inner: S, read_ahead: usize, capacity: usize) -> Self {
        CachedSource {
            inner,
            read_ahead,
            capacity,
            fetch_limit: u64::MAX,
            state: Mutex::new(State::default()),
            reads: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            wait_us: AtomicU64::new(0),
        }
    }

    /// [`CachedSource::new`] with the source's first bytes already fetched (by the request
    /// that also told the source's length, for an object store): they are cached and
    /// counted in [`CachedSource::stats`] as the one read they were, so an object that fits
    /// them costs no further request.
    pub fn with_head(inner: S, read_ahead: usize, capacity: usize, head: Vec<u8>) -> Self {
        let cache = CachedSource::new(inner, read_ahead, capacity);
        cache.count(1, head.len(), None);
        cache.insert(0, head);
        cache
    }

    /// Caches `data`, the source's bytes at `offset` that the caller fetched in one read of
    /// its own (the end of an object, requested together with its head), counted in
    /// [`CachedSource::stats`] as that read.
    pub fn with_block(self, offset: u64, data: Vec<u8>) -> Self {
        self.count(1, data.len(), None);
        self.insert(offset, data);
        self
    }

    /// Caps the bytes fetched from the source in total (read-ahead included): reads that
    /// would pass it fail. [`crate::Limits::max_bytes_read`] is applied this way.
    pub fn with_fetch_limit(mut self, bytes: u64) -> Self {
        self.fetch_limit = bytes;
        self
    }

    /// Reads and bytes that reached the inner source so far, and the time spent on them.
    pub fn stats(&self) -> ReadStats {
        ReadStats {
            source_reads: self.reads.load(Ordering::Relaxed),
            source_bytes: self.bytes.load(Ordering::Relaxed),
            io_wait_us: self.wait_us.load(Ordering::Relaxed),
        }
    }

    /// The wrapped source.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    fn count(&self, reads: u64, bytes: usize, since: Option<Instant>) {
        self.reads.fetch_add(reads, Ordering::Relaxed);
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
        if let Some(t) = since {
            let us = u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX);
            self.wait_us.fetch_add(us, Ordering::Relaxed);
        }
    }

    /// Bytes that may still be fetched under the fetch limit.
    fn fetch_left(&self) -> u64 {
        self.fetch_limit.saturating_sub(self.bytes.load(Ordering::Relaxed))
    }

    /// Reported as [`crate::ErrorKind::LimitExceeded`] by the extraction (the only
    /// `QuotaExceeded` I/O error a source gives).
    fn over_limit(&self) -> io::Error {
        let msg = format!("source reads exceed max_bytes_read ({})", self.fetch_limit);
        io::Error::new(io::ErrorKind::QuotaExceeded, msg)
    }

    /// One logical read (one ranged GET on an object store), however the inner source
    /// splits it. Callers clip `len` to the source's length.
    fn fetch(&self, start: u64, len: usize) -> io::Result<Vec<u8>> {
        if len as u64 > self.fetch_left() {
            return Err(self.over_limit());
        }
        let t = Instant::now();
        let data = self.inner.read_vec(start, len)?;
        self.count(1, data.len(), Some(t));
        Ok(data)
    }

    /// The cache state. A poisoned lock (a panic elsewhere while it was held) still holds
    /// consistent extents: every update is a single push or remove.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The bytes at `[offset, offset + len)` if one cached extent holds them all.
    fn cached(&self, offset: u64, len: usize) -> Option<Vec<u8>> {
        let mut st = self.state();
        let ext = st.find(offset)?;
        let from = usize::try_from(offset - ext.start).ok()?;
        Some(ext.data.get(from..from.checked_add(len)?)?.to_vec())
    }

    /// Caches `data` read at `offset`, dropping least recently used extents to stay within
    /// the capacity (a block larger than the whole capacity is not cached).
    fn insert(&self, offset: u64, data: Vec<u8>) {
        if data.is_empty() || data.len() > self.capacity {
            return;
        }
        let mut st = self.state();
        while (st.used + data.len() > self.capacity || st.extents.len() >= MAX_EXTENTS)
            && !st.extents.is_empty()
        {
            let oldest = st.extents.iter().enumerate().min_by_key(|(_, e)| e.last_used).map(|(i, _)| i);
            let Some(i) = oldest else { break };
            let gone = st.extents.swap_remove(i);
            st.used -= gone.data.len();
        }
        st.tick += 1;
        let last_used = st.tick;
        st.used += data.len();
        st.extents.push(Extent { start: offset, data, last_used });
    }

    /// Whether any cached extent overlaps `[offset, offset + len)`.
    fn overlaps(&self, offset: u64, len: usize) -> bool {
        let end = offset.saturating_add(len as u64);
        self.state().extents.iter().any(|e| e.start < end && offset < e.end())
    }

    /// The parts of `range` no cached extent holds, clipped to the source.
    fn missing(&self, range: &Range<u64>) -> Vec<Range<u64>> {
        let end = range.end.min(self.inner.len());
        let mut gaps = Vec::new();
        let mut at = range.start;
        let st = self.state();
        while at < end {
            if let Some(e) = st.extents.iter().find(|e| e.start <= at && at < e.end()) {
                at = e.end();
                continue;
            }
            let stop = st.next_start(at, end);
            gaps.push(at..stop);
            at = stop;
        }
        gaps
    }
}

impl<S: ByteSource> ByteSource for CachedSource<S> {
    fn len(&self) -> u64 {
        self.inner.len()
    }

    /// A block held by one cached extent is copied once; a large block the cache knows
    /// nothing of is fetched straight into the returned buffer (and a copy cached);
    /// anything else goes through `read_at`.
    fn read_vec(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        if let Some(bytes) = self.cached(offset, len) {
            return Ok(bytes);
        }
        let end = offset.checked_add(len as u64).filter(|e| *e <= self.inner.len());
        if end.is_none() {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "read past end of source"));
        }
        if len >= self.read_ahead && !self.overlaps(offset, len) {
            let data = self.fetch(offset, len)?;
            if data.len() < len {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "source shorter than its length"));
            }
            self.insert(offset, data.clone());
            return Ok(data);
        }
        let mut buf = vec![0u8; len];
        self.read_exact_at(offset, &mut buf)?;
        Ok(buf)
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let total = self.inner.len();
        if offset >= total || buf.is_empty() {
            return Ok(0);
        }
        let want = usize::try_from(total - offset).unwrap_or(usize::MAX).min(buf.len());
        let next_start = {
            let mut st = self.state();
            if let Some(ext) = st.find(offset) {
                let from = (offset - ext.start) as usize;
                let n = (ext.data.len() - from).min(want);
                buf[..n].copy_from_slice(&ext.data[from..from + n]);
                return Ok(n);
            }
            st.next_start(offset, total)
        };
        // Read ahead, but never into bytes already cached nor past the fetch limit.
        let ahead = (self.read_ahead as u64).min(self.fetch_left()).max(want as u64);
        let end = offset.saturating_add(ahead).min(next_start).min(total);
        let data = self.fetch(offset, (end - offset) as usize)?;
        let n = data.len().min(want);
        buf[..n].copy_from_slice(&data[..n]);
        self.insert(offset, data);
        Ok(n)
    }

    /// Fetches the parts of `ranges` not cached yet, all in one call to the inner
    /// source's [`ByteSource::read_ranges`] (concurrent requests on a remote source), and
    /// caches them. Ranges past the fetch limit or the capacity are left to later reads.
    fn prefetch(&self, ranges: &[Range<u64>]) -> io::Result<()> {
        let mut gaps: Vec<Range<u64>> = ranges.iter().flat_map(|r| self.missing(r)).collect();
        let mut budget = self.fetch_left().min(self.capacity as u64);
        gaps.retain(|g| {
            let n = g.end - g.start;
            let keep = n <= budget;
            budget -= if keep { n } else { 0 };
            keep
        });
        if gaps.is_empty() {
            return Ok(());
        }
        let t = Instant::now();
        let blocks = self.inner.read_ranges(&gaps)?;
        let bytes = blocks.iter().map(Vec::len).sum();
        self.count(blocks.len() as u64, bytes, Some(t));
        for (gap, data) in gaps.iter().zip(blocks) {
            self.insert(gap.start, data);
        }
        Ok(())
    }

    fn stats(&self) -> Option<ReadStats> {
        Some(CachedSource::stats(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts<S: ByteSource>(c: &CachedSource<S>) -> (u64, u64) {
        let s = c.stats();
        (s.source_reads, s.source_bytes)
    }

    fn source() -> Vec<u8> {
        (0..200_000u32).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn small_reads_share_one_read_ahead() {
        let data = source();
        let c = CachedSource::new(&data, 4096, 1 << 20);
        let mut b = [0u8; 16];
        for off in [0u64, 16, 100, 4000] {
            assert!(c.read_exact_at(off, &mut b).is_ok());
            assert_eq!(b[0], data[off as usize]);
        }
        assert_eq!(counts(&c), (1, 4096));
    }

    #[test]
    fn large_read_is_exact_and_stitches_cached_prefix() {
        let data = source();
        let c = CachedSource::new(&data, 4096, 1 << 20);
        let mut head = [0u8; 8];
        assert!(c.read_exact_at(150_000, &mut head).is_ok());
        let mut big = vec![0u8; 50_000];
        assert!(c.read_exact_at(150_000, &mut big).is_ok());
        assert_eq!(&big[..], &data[150_000..]);
        assert_eq!(counts(&c), (2, 50_000));
    }

    #[test]
    fn read_vec_copies_cached_blocks_and_fetches_big_ones_exactly() {
        let data = source();
        let c = CachedSource::new(&data, 4096, 1 << 20);
        assert_eq!(c.read_vec(10, 100).ok().as_deref(), Some(&data[10..110]));
        assert_eq!(c.read_vec(200, 3000).ok().as_deref(), Some(&data[200..3200]));
        assert_eq!(counts(&c), (1, 4096));
        assert_eq!(c.read_vec(100_000, 20_000).ok().as_deref(), Some(&data[100_000..120_000]));
        assert_eq!(counts(&c), (2, 24_096));
        // Straddling a cached extent and the rest still works.
        assert_eq!(c.read_vec(4000, 10_000).ok().as_deref(), Some(&data[4000..14_000]));
        assert!(c.read_vec(199_990, 20).is_err());
    }

    #[test]
    fn capacity_is_bounded() {
        let data = source();
        let c = CachedSource::new(&data, 1000, 3000);
        let mut b = [0u8; 10];
        for i in 0..50u64 {
            assert!(c.read_exact_at(i * 2000, &mut b).is_ok());
        }
        assert!(c.state().used <= 3000);
        // The most recent extent is still cached.
        let before = c.stats().source_reads;
        assert!(c.read_exact_at(49 * 2000, &mut b).is_ok());
        assert_eq!(c.stats().source_reads, before);
    }

    /// Counts the calls of `read_ranges`, and the ranges each got.
    struct Recording {
        data: Vec<u8>,
        calls: Mutex<Vec<Vec<Range<u64>>>>,
    }

    impl ByteSource for Recording {
        fn len(&self) -> u64 {
            self.data.len() as u64
        }

        fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
            self.data.read_at(offset, buf)
        }

        fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Vec<u8>>> {
            self.calls.lock().map_err(|_| io::Error::other("poisoned"))?.push(ranges.to_vec());
            ranges.iter().map(|r| self.data.read_vec(r.start, (r.end - r.start) as usize)).collect()
        }
    }

    #[test]
    fn prefetch_fetches_only_the_gaps_in_one_call_then_serves_reads() {
        let src = Recording { data: source(), calls: Mutex::new(Vec::new()) };
        let c = CachedSource::with_head(&src, 4096, 1 << 20, src.data[..4096].to_vec());
        // The head is cached: only the tail and the gap after the head are fetched.
        assert!(c.prefetch(&[0..8192, 190_000..200_000]).is_ok());
        let calls = src.calls.lock().map(|c| c.clone()).unwrap_or_default();
        assert_eq!(calls, vec![vec![4096..8192, 190_000..200_000]]);
        assert_eq!(counts(&c), (3, 4096 + 4096 + 10_000));
        let mut b = [0u8; 100];
        assert!(c.read_exact_at(199_900, &mut b).is_ok());
        assert_eq!(&b[..], &src.data[199_900..]);
        assert!(c.read_exact_at(5000, &mut b).is_ok());
        assert_eq!(counts(&c).0, 3, "prefetched bytes are read from the cache");
        // Prefetching what is cached costs nothing.
        let tail = 190_000..200_000;
        assert!(c.prefetch(&[tail]).is_ok());
        assert_eq!(src.calls.lock().map(|c| c.len()).unwrap_or(0), 1);
    }

    #[test]
    fn a_block_fetched_beside_the_head_serves_reads() {
        let data = source();
        let c = CachedSource::with_head(&data, 4096, 1 << 20, data[..4096].to_vec())
            .with_block(190_000, data[190_000..].to_vec());
        assert_eq!(counts(&c), (2, 4096 + 10_000));
        assert_eq!(c.read_vec(199_000, 1000).ok().as_deref(), Some(&data[199_000..]));
        assert_eq!(counts(&c), (2, 14_096));
    }

    #[test]
    fn fetch_limit_clips_read_ahead_and_stops_reads() {
        let data = source();
        let c = CachedSource::new(&data, 4096, 1 << 20).with_fetch_limit(6000);
        let mut b = [0u8; 16];
        assert!(c.read_exact_at(0, &mut b).is_ok());
        assert!(c.read_exact_at(100_000, &mut b).is_ok());
        assert_eq!(counts(&c), (2, 6000), "the second read-ahead is clipped to the limit");
        let err = c.read_exact_at(150_000, &mut b).err();
        assert_eq!(err.map(|e| e.kind()), Some(io::ErrorKind::QuotaExceeded));
        // Prefetch never passes the limit either.
        let later = 150_000..160_000;
        assert!(c.prefetch(&[later]).is_ok());
        assert_eq!(counts(&c), (2, 6000));
    }

    #[test]
    fn cache_is_shared_across_threads() {
        fn send_sync<T: Send + Sync>(_: &T) {}
        let data = source();
        let c = CachedSource::new(&data, 4096, 1 << 20);
        send_sync(&c);
        std::thread::scope(|s| {
            for t in 0..4u64 {
                let c = &c;
                let data = &data;
                s.spawn(move || {
                    let mut b = [0u8; 64];
                    for i in 0..50u64 {
                        let off = (t * 50 + i) * 997;
                        assert!(c.read_exact_at(off, &mut b).is_ok());
                        assert_eq!(&b[..], &data[off as usize..off as usize + 64]);
                    }
                });
            }
        });
    }
}

//! A bounded read cache with read-ahead, and the read counters every extraction reports.

use super::ByteSource;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::io;

/// What an extraction cost the underlying source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReadStats {
    /// Read calls that reached the underlying source (ranged GETs, for an object store).
    pub source_reads: u64,
    /// Bytes those calls returned.
    pub source_bytes: u64,
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

/// Caches reads from a slow source: a small request fetches `read_ahead` bytes, a large
/// one fetches exactly what it asks for, and cached bytes are never fetched twice while
/// they stay in the cache. Memory is bounded by `capacity` (least recently used extents
/// are dropped). Counts the reads that reach the inner source.
pub struct CachedSource<S> {
    inner: S,
    read_ahead: usize,
    capacity: usize,
    state: RefCell<State>,
    reads: Cell<u64>,
    bytes: Cell<u64>,
}

impl<S: ByteSource> CachedSource<S> {
    /// Wraps `inner` with the given read-ahead and capacity in bytes.
    pub fn new(inner: S, read_ahead: usize, capacity: usize) -> Self {
        CachedSource {
            inner,
            read_ahead,
            capacity,
            state: RefCell::new(State::default()),
            reads: Cell::new(0),
            bytes: Cell::new(0),
        }
    }

    /// [`CachedSource::new`] with the source's first bytes already read: they are cached as
    /// the read they were and counted in [`CachedSource::stats`].
    pub(crate) fn with_head(inner: S, read_ahead: usize, capacity: usize, head: Vec<u8>) -> Self {
        let cache = CachedSource::new(inner, read_ahead, capacity);
        cache.reads.set(1);
        cache.bytes.set(head.len() as u64);
        cache.insert(0, head);
        cache
    }

    /// Reads and bytes that reached the inner source so far.
    pub fn stats(&self) -> ReadStats {
        ReadStats { source_reads: self.reads.get(), source_bytes: self.bytes.get() }
    }

    /// The wrapped source.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    fn fetch(&self, start: u64, len: usize) -> io::Result<Vec<u8>> {
        // One logical read (one ranged GET on an object store), however the inner source
        // splits it. Callers clip `len` to the source's length.
        let data = self.inner.read_vec(start, len)?;
        self.reads.set(self.reads.get() + 1);
        self.bytes.set(self.bytes.get() + data.len() as u64);
        Ok(data)
    }
}

impl<S: ByteSource> CachedSource<S> {
    /// The bytes at `[offset, offset + len)` if one cached extent holds them all.
    fn cached(&self, offset: u64, len: usize) -> Option<Vec<u8>> {
        let mut st = self.state.try_borrow_mut().ok()?;
        st.tick += 1;
        let tick = st.tick;
        let ext = st.extents.iter_mut().find(|e| e.start <= offset && offset < e.end())?;
        let from = usize::try_from(offset - ext.start).ok()?;
        let bytes = ext.data.get(from..from.checked_add(len)?)?.to_vec();
        ext.last_used = tick;
        Some(bytes)
    }

    /// Caches `data` read at `offset`, dropping least recently used extents to stay within
    /// the capacity (a block larger than the whole capacity is not cached).
    fn insert(&self, offset: u64, data: Vec<u8>) {
        let Ok(mut st) = self.state.try_borrow_mut() else { return };
        if data.is_empty() || data.len() > self.capacity {
            return;
        }
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
        self.state.try_borrow().is_ok_and(|st| st.extents.iter().any(|e| e.start < end && offset < e.end()))
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
        let mut st = self.state.try_borrow_mut().map_err(|_| io::Error::other("re-entrant cache read"))?;
        st.tick += 1;
        let tick = st.tick;
        let mut next_start = total;
        for ext in st.extents.iter_mut() {
            if ext.start <= offset && offset < ext.end() {
                ext.last_used = tick;
                let from = (offset - ext.start) as usize;
                let n = (ext.data.len() - from).min(want);
                buf[..n].copy_from_slice(&ext.data[from..from + n]);
                return Ok(n);
            }
            if ext.start > offset {
                next_start = next_start.min(ext.start);
            }
        }
        let span = want.max(self.read_ahead) as u64;
        let end = offset.saturating_add(span).min(next_start).min(total);
        let data = self.fetch(offset, (end - offset) as usize)?;
        let n = data.len().min(want);
        buf[..n].copy_from_slice(&data[..n]);
        drop(st);
        self.insert(offset, data);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(c.stats(), ReadStats { source_reads: 1, source_bytes: 4096 });
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
        assert_eq!(c.stats(), ReadStats { source_reads: 2, source_bytes: 50_000 });
    }

    #[test]
    fn read_vec_copies_cached_blocks_and_fetches_big_ones_exactly() {
        let data = source();
        let c = CachedSource::new(&data, 4096, 1 << 20);
        assert_eq!(c.read_vec(10, 100).ok().as_deref(), Some(&data[10..110]));
        assert_eq!(c.read_vec(200, 3000).ok().as_deref(), Some(&data[200..3200]));
        assert_eq!(c.stats(), ReadStats { source_reads: 1, source_bytes: 4096 });
        assert_eq!(c.read_vec(100_000, 20_000).ok().as_deref(), Some(&data[100_000..120_000]));
        assert_eq!(c.stats(), ReadStats { source_reads: 2, source_bytes: 24_096 });
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
        assert!(c.state.borrow().used <= 3000);
        // The most recent extent is still cached.
        let before = c.stats().source_reads;
        assert!(c.read_exact_at(49 * 2000, &mut b).is_ok());
        assert_eq!(c.stats().source_reads, before);
    }
}

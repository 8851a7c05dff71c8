//! Offset-addressed byte sources: the I/O core every parser reads through.
//!
//! Parsers never stream: they read by offset, because the metadata that matters often sits
//! at the end of a file (MP4 `moov`, the PDF trailer, the ZIP central directory). A source
//! that answers `read_at` cheaply for any offset lets a 1 GiB video cost kilobytes of reads,
//! locally or over ranged HTTP GETs.

mod cache;
mod file;
mod view;

use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;
use std::sync::Mutex;

pub use cache::{CachedSource, ReadStats};
pub use file::FileSource;
pub(crate) use file::read_head;
pub use view::SourceReader;

/// Random-access, read-only bytes of known length.
///
/// Implement this for a new storage backend (an object store, a memory map, ...). Reads
/// take `&self`; a source needing mutable state (a seekable reader) keeps it behind a
/// lock, so that sources can be shared with worker threads. A remote source answers
/// [`ByteSource::read_ranges`] with concurrent requests; put a [`CachedSource`] in front
/// of it (it is what [`crate::extract_source`] does) and readers' prefetch hints become
/// one round trip.
///
/// A backend needs only `len` and `read_at`. Here, bytes held in pieces (chunks of an
/// upload, say), read without joining them first:
///
/// ```
/// use metasift::ByteSource;
///
/// struct Chunks(Vec<Vec<u8>>);
///
/// impl ByteSource for Chunks {
///     fn len(&self) -> u64 {
///         self.0.iter().map(|c| c.len() as u64).sum()
///     }
///
///     fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
///         let mut start = 0u64;
///         for chunk in &self.0 {
///             let end = start + chunk.len() as u64;
///             if offset < end {
///                 let from = (offset - start) as usize;
///                 let n = buf.len().min(chunk.len() - from);
///                 buf[..n].copy_from_slice(&chunk[from..from + n]);
///                 return Ok(n); // a short read is allowed: callers ask again
///             }
///             start = end;
///         }
///         Ok(0)
///     }
/// }
///
/// let png = std::fs::read("tests/fixtures/rgba_plain.png")?;
/// let (a, b) = png.split_at(20);
/// let source = Chunks(vec![a.to_vec(), b.to_vec()]);
/// let meta = metasift::extract_source(&source)?;
/// assert_eq!(meta.format, metasift::Format::Png);
/// assert_eq!(meta.file_size, png.len() as u64);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait ByteSource {
    /// Total length in bytes.
    fn len(&self) -> u64;

    /// Whether the source is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads up to `buf.len()` bytes at `offset`, returning how many were read. Returns 0
    /// only at or past the end. May return fewer bytes than asked (like `pread`).
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize>;

    /// The whole content when it is already in memory (lets callers skip the cache).
    fn as_slice(&self) -> Option<&[u8]> {
        None
    }

    /// Reads exactly `len` bytes at `offset` into a new buffer, or fails with
    /// `UnexpectedEof`. Sources that hold the bytes already (in memory, in a cache) override
    /// this to copy once instead of zero-filling a buffer and copying into it.
    fn read_vec(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; len];
        self.read_exact_at(offset, &mut buf)?;
        Ok(buf)
    }

    /// Reads several ranges, each exactly (clipped to the source's end), returning one
    /// buffer per range in order. The default reads them one after the other; a remote
    /// source overrides it to issue the requests concurrently (one round trip of wall time
    /// for a head and a tail).
    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Vec<u8>>> {
        ranges
            .iter()
            .map(|r| {
                let end = r.end.min(self.len());
                let len = usize::try_from(end.saturating_sub(r.start))
                    .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "range too large"))?;
                self.read_vec(r.start, len)
            })
            .collect()
    }

    /// A hint that the reader will soon need `ranges` (an MP4 `moov` at the end, a PDF
    /// trailer, a ZIP central directory). A caching source fetches what it lacks at once,
    /// concurrently; the default ignores the hint. Errors here are not final: the reads
    /// that follow fail or succeed on their own.
    fn prefetch(&self, ranges: &[Range<u64>]) -> io::Result<()> {
        let _ = ranges;
        Ok(())
    }

    /// What reading has cost so far, for a source that counts it (a [`CachedSource`]).
    /// [`crate::extract_source`] reads through such a source as it is, instead of putting
    /// another cache in front of it.
    fn stats(&self) -> Option<ReadStats> {
        None
    }

    /// Fills `buf` completely from `offset`, or fails with `UnexpectedEof`.
    fn read_exact_at(&self, mut offset: u64, mut buf: &mut [u8]) -> io::Result<()> {
        while !buf.is_empty() {
            match self.read_at(offset, buf) {
                Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "read past end of source")),
                Ok(n) => {
                    let rest = buf;
                    buf = &mut rest[n..];
                    offset += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

impl ByteSource for [u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let Ok(start) = usize::try_from(offset) else { return Ok(0) };
        let Some(avail) = self.get(start..) else { return Ok(0) };
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        Ok(n)
    }

    fn as_slice(&self) -> Option<&[u8]> {
        Some(self)
    }

    fn read_vec(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        usize::try_from(offset)
            .ok()
            .and_then(|start| self.get(start..start.checked_add(len)?))
            .map(<[u8]>::to_vec)
            .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "read past end of source"))
    }
}

impl ByteSource for Vec<u8> {
    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        self.as_slice().read_at(offset, buf)
    }

    fn as_slice(&self) -> Option<&[u8]> {
        Some(self)
    }

    fn read_vec(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        self.as_slice().read_vec(offset, len)
    }
}

impl<T: ByteSource + ?Sized> ByteSource for &T {
    fn len(&self) -> u64 {
        (**self).len()
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        (**self).read_at(offset, buf)
    }

    fn as_slice(&self) -> Option<&[u8]> {
        (**self).as_slice()
    }

    fn read_vec(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        (**self).read_vec(offset, len)
    }

    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Vec<u8>>> {
        (**self).read_ranges(ranges)
    }

    fn prefetch(&self, ranges: &[Range<u64>]) -> io::Result<()> {
        (**self).prefetch(ranges)
    }

    fn stats(&self) -> Option<ReadStats> {
        (**self).stats()
    }
}

/// A [`ByteSource`] over any `Read + Seek` (a `File`, a `Cursor`, an HTTP body with seek).
///
/// Each `read_at` seeks then reads, under a lock (the reader has one cursor); put a
/// [`CachedSource`] in front of slow readers.
pub struct ReadSeekSource<R> {
    inner: Mutex<R>,
    len: u64,
}

impl<R: Read + Seek> ReadSeekSource<R> {
    /// Wraps `reader`, measuring its length by seeking to the end.
    pub fn new(mut reader: R) -> io::Result<Self> {
        let len = reader.seek(SeekFrom::End(0))?;
        Ok(ReadSeekSource { inner: Mutex::new(reader), len })
    }

    /// Gives the reader back.
    pub fn into_inner(self) -> R {
        self.inner.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<R: Read + Seek> ByteSource for ReadSeekSource<R> {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if offset >= self.len {
            return Ok(0);
        }
        // A panic in another reader while it held the lock leaves the cursor anywhere, and
        // every read seeks first: the reader is still usable.
        let mut r = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        r.seek(SeekFrom::Start(offset))?;
        r.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_reads_clip_at_end() {
        let data = b"hello world".to_vec();
        let mut buf = [0u8; 8];
        assert_eq!(data.read_at(6, &mut buf).ok(), Some(5));
        assert_eq!(&buf[..5], b"world");
        assert_eq!(data.read_at(99, &mut buf).ok(), Some(0));
        assert!(data.read_exact_at(6, &mut buf).is_err());
    }

    #[test]
    fn read_seek_source_matches_slice() {
        let data: Vec<u8> = (0..=255u8).collect();
        let src = ReadSeekSource::new(std::io::Cursor::new(data.clone())).expect("cursor has a length");
        let mut a = [0u8; 16];
        let mut b = [0u8; 16];
        assert!(src.read_exact_at(100, &mut a).is_ok());
        assert!(data.read_exact_at(100, &mut b).is_ok());
        assert_eq!(a, b);
        assert_eq!(ByteSource::len(&src), 256);
    }
}

//! A `Read + Seek` view of a [`ByteSource`], for third-party crates that want a stream.

use super::ByteSource;
use std::io::{self, Read, Seek, SeekFrom};

/// Streams a [`ByteSource`] (or a window of it) through `Read + Seek`.
pub struct SourceReader<'a> {
    source: &'a dyn ByteSource,
    start: u64,
    end: u64,
    pos: u64,
}

impl<'a> SourceReader<'a> {
    /// A view of the whole source.
    pub fn new(source: &'a dyn ByteSource) -> Self {
        let end = source.len();
        SourceReader { source, start: 0, end, pos: 0 }
    }

    /// A view of `len` bytes from `start` (clipped to the source).
    pub fn window(source: &'a dyn ByteSource, start: u64, len: u64) -> Self {
        let end = start.saturating_add(len).min(source.len());
        let start = start.min(end);
        SourceReader { source, start, end, pos: start }
    }
}

impl Read for SourceReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.end.saturating_sub(self.pos);
        let want = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        if want == 0 {
            return Ok(0);
        }
        let n = self.source.read_at(self.pos, &mut buf[..want])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SourceReader<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let rel = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => (self.end - self.start).checked_add_signed(d),
            SeekFrom::Current(d) => (self.pos - self.start).checked_add_signed(d),
        };
        let rel = rel.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before start"))?;
        self.pos = self.start.saturating_add(rel);
        Ok(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::disallowed_methods)] // a test reading a 20-byte source
    #[test]
    fn window_reads_and_seeks() {
        let data: Vec<u8> = (0..100u8).collect();
        let mut r = SourceReader::window(&data, 10, 20);
        let mut out = Vec::new();
        assert_eq!(r.read_to_end(&mut out).ok(), Some(20));
        assert_eq!(out[0], 10);
        assert_eq!(r.seek(SeekFrom::End(-5)).ok(), Some(15));
        let mut b = [0u8; 1];
        assert!(r.read_exact(&mut b).is_ok());
        assert_eq!(b[0], 25);
    }
}

//! A [`ByteSource`] over a file with positional reads (no shared cursor).

use super::ByteSource;
use std::fs::File;
use std::io;
use std::path::Path;

/// A file read with `pread` on Unix and `seek_read` on Windows.
#[derive(Debug)]
pub struct FileSource {
    file: File,
    len: u64,
}

impl FileSource {
    /// Opens `path` for reading.
    pub fn open(path: impl AsRef<Path>) -> io::Result<Self> {
        Self::new(File::open(path)?)
    }

    /// Wraps an open file.
    pub fn new(file: File) -> io::Result<Self> {
        let len = file.metadata()?.len();
        Ok(FileSource { file, len })
    }
}

/// Reads the start of `file` into `buf` with one positional read (retried only when a
/// signal interrupts it) and returns how many bytes it got. A regular file returns fewer
/// bytes than asked only where it ends, so a short read tells the file's whole length
/// without asking the file system for it; devices, pipes and directories fail here or
/// fill the buffer, and callers then ask.
pub(crate) fn read_head(file: &File, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match positional_read(file, buf, 0) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// One positional read: `pread` on Unix, `seek_read` on Windows.
fn positional_read(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_at(file, buf, offset);
    #[cfg(windows)]
    return std::os::windows::fs::FileExt::seek_read(file, buf, offset);
}

impl ByteSource for FileSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        positional_read(&self.file, buf, offset)
    }

    /// Reads with one positional read into a zeroed buffer: zeroing costs less than the
    /// seek and the several growing reads of `read_to_end`. Fails at the end of the file.
    fn read_vec(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut out = vec![0u8; len];
        self.read_exact_at(offset, &mut out)?;
        Ok(out)
    }
}

//! The crate's error type: small (one pointer), with a kind, the byte offset where the
//! problem was found, the path of the file when the caller gave one, and a message that
//! says what was wrong.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, broadly. Match on this rather than on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The underlying source failed to read.
    Io,
    /// The input is not a format metasift recognises.
    Unrecognized,
    /// The input claims to be a known format but its structure is broken beyond recovery.
    Malformed,
    /// A [`Limits`](crate::Limits) budget (bytes read, allocation, depth, tags) was hit.
    LimitExceeded,
    /// The format is recognised but reading it needs a feature not compiled in.
    Unsupported,
}

impl ErrorKind {
    /// A short lowercase name for the kind, as used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Io => "i/o error",
            ErrorKind::Unrecognized => "unrecognized input",
            ErrorKind::Malformed => "malformed input",
            ErrorKind::LimitExceeded => "limit exceeded",
            ErrorKind::Unsupported => "unsupported",
        }
    }
}

/// An error from metasift. Boxed so that `Result<T>` stays one word wider than `T`.
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    offset: Option<u64>,
    path: Option<PathBuf>,
    message: String,
    source: Option<std::io::Error>,
}

/// The message of the [`ErrorKind::Unrecognized`] error for an empty input (ExifTool's
/// "File is empty").
pub(crate) const EMPTY_FILE: &str = "file is empty";

/// `Result` with metasift's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Makes an error of `kind` with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner { kind, offset: None, path: None, message: message.into(), source: None }))
    }

    /// Makes a [`ErrorKind::Malformed`] error at a byte offset.
    pub fn malformed(offset: u64, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Malformed, message).at(offset)
    }

    /// Makes a [`ErrorKind::LimitExceeded`] error at a byte offset.
    pub fn limit(offset: u64, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::LimitExceeded, message).at(offset)
    }

    /// Wraps an I/O error that happened while reading at `offset`.
    pub fn io(offset: u64, err: std::io::Error) -> Self {
        // A caching source's fetch limit (`max_bytes_read`) is a limit, not a failure.
        let over_limit = err.kind() == std::io::ErrorKind::QuotaExceeded;
        let kind = if over_limit { ErrorKind::LimitExceeded } else { ErrorKind::Io };
        let mut e = Self::new(kind, err.to_string()).at(offset);
        e.0.source = Some(err);
        e
    }

    /// Sets the path of the file the error is about (the `*_path` entry points set it).
    pub fn with_path(mut self, path: impl AsRef<Path>) -> Self {
        self.0.path = Some(path.as_ref().to_path_buf());
        self
    }

    /// Sets the byte offset the error refers to.
    pub fn at(mut self, offset: u64) -> Self {
        self.0.offset = Some(offset);
        self
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The byte offset in the input where the problem was found, when known.
    pub fn offset(&self) -> Option<u64> {
        self.0.offset
    }

    /// The path of the file, when the error came from an entry point given one
    /// ([`extract_path`](crate::extract_path)).
    ///
    /// ```
    /// let err = metasift::extract_path("no/such/file.jpg").unwrap_err();
    /// assert_eq!(err.path(), Some(std::path::Path::new("no/such/file.jpg")));
    /// assert_eq!(err.offset(), None);
    /// assert_eq!(err.kind(), metasift::ErrorKind::Io);
    /// ```
    pub fn path(&self) -> Option<&Path> {
        self.0.path.as_deref()
    }

    /// The message, without kind, offset or path.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.kind.as_str())?;
        if let Some(off) = self.0.offset {
            write!(f, " at {off:#x}")?;
        }
        if let Some(path) = &self.0.path {
            write!(f, ": {}", path.display())?;
        }
        write!(f, ": {}", self.0.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("offset", &self.0.offset)
            .field("path", &self.0.path)
            .field("message", &self.0.message)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_ref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// An I/O error that is not about a place in the input (opening a file, asking its
/// length): it has no [`offset`](Error::offset).
impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        let mut e = Self::new(ErrorKind::Io, err.to_string());
        e.0.source = Some(err);
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_one_pointer_and_displays_offset() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        let e = Error::malformed(0x1f2, "APP1 length < 2");
        assert_eq!(e.to_string(), "malformed input at 0x1f2: APP1 length < 2");
        assert_eq!(e.kind(), ErrorKind::Malformed);
        assert_eq!(e.offset(), Some(0x1f2));
    }

    #[test]
    fn path_shows_after_kind_and_offset() {
        let e = Error::malformed(0x10, "bad box").with_path("a/b.mp4");
        assert_eq!(e.to_string(), "malformed input at 0x10: a/b.mp4: bad box");
        let open = Error::from(std::io::Error::from(std::io::ErrorKind::NotFound)).with_path("x.jpg");
        assert_eq!(open.offset(), None);
        assert!(open.to_string().starts_with("i/o error: x.jpg: "), "{open}");
    }
}

//! Extraction options and resource limits.

/// Hard budgets for one extraction. The defaults suit a Lambda with 128 MiB of memory:
/// hostile input hits a limit and gets an [`ErrorKind::LimitExceeded`](crate::ErrorKind)
/// error or a warning instead of exhausting memory or reads.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Most bytes the parsers may request from the source in total.
    pub max_bytes_read: u64,
    /// Largest single buffer a parser may allocate for a value or block read from input.
    pub max_alloc: usize,
    /// Deepest nesting of containers (boxes, IFDs, EBML elements, XML elements).
    pub max_depth: u32,
    /// Most tags kept; further tags are dropped with one warning.
    pub max_tags: usize,
    /// Longest text value kept, in bytes; longer ones are truncated with a warning.
    pub max_value_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes_read: 256 << 20,
            max_alloc: 64 << 20,
            max_depth: 32,
            max_tags: 50_000,
            max_value_len: 1 << 20,
        }
    }
}

/// Options for one extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Resource limits.
    pub limits: Limits,
    /// Smallest read issued to the underlying source: a small request reads this many
    /// bytes ahead, so neighbouring headers cost one read (one ranged GET on S3). A source
    /// no longer than this is read whole at once and parsed from memory.
    pub read_ahead: usize,
    /// Most bytes the read cache keeps (least recently used extents are dropped).
    pub cache_capacity: usize,
    /// Compute ExifTool's `Composite:` tags (GPSPosition, ImageSize, ...).
    pub composite: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { limits: Limits::default(), read_ahead: 32 << 10, cache_capacity: 4 << 20, composite: true }
    }
}

impl Options {
    /// Default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the read-ahead size (see [`Options::read_ahead`]).
    pub fn with_read_ahead(mut self, bytes: usize) -> Self {
        self.read_ahead = bytes;
        self
    }
}

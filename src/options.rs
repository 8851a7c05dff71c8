//! Extraction options and resource limits.

use crate::select::Selection;

/// Hard budgets for one extraction, counted in one place (the parsing context) and
/// checked before each allocation. The defaults suit a Lambda with 128 MiB of memory:
/// hostile input hits a limit and gets an [`ErrorKind::LimitExceeded`](crate::ErrorKind)
/// error, or a warning and a truncated value, instead of exhausting memory or reads.
///
/// ```
/// let limits = metasift::Limits::default().with_max_alloc(256 << 10).with_max_bytes_read(1 << 20);
/// let options = metasift::Options::default().with_limits(limits);
/// // Whatever the input, reading stays within the budget.
/// let meta = metasift::extract_bytes_with(&[0xFF, 0xD8, 0xFF, 0xD9], &options)?;
/// assert!(meta.stats.source_bytes <= 1 << 20);
/// # Ok::<(), metasift::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Most bytes the parsers may request from the source in total.
    pub max_bytes_read: u64,
    /// Largest single buffer a parser may allocate for a value or block read from input,
    /// or inflate a compressed block into.
    pub max_alloc: usize,
    /// Most bytes inflated from compressed blocks (PNG text, ZIP parts, PDF streams...) in
    /// total; past it, compressed values are truncated with a warning.
    pub max_decompressed: u64,
    /// Most bytes of text values kept in total; past it, further text values are dropped
    /// with one warning.
    pub max_kept: u64,
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
            max_alloc: 16 << 20,
            max_decompressed: 32 << 20,
            max_kept: 16 << 20,
            max_depth: 32,
            max_tags: 50_000,
            max_value_len: 1 << 20,
        }
    }
}

impl Limits {
    /// The default limits (see the field docs for each).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`Limits::max_bytes_read`].
    pub fn with_max_bytes_read(mut self, bytes: u64) -> Self {
        self.max_bytes_read = bytes;
        self
    }

    /// Sets [`Limits::max_alloc`].
    pub fn with_max_alloc(mut self, bytes: usize) -> Self {
        self.max_alloc = bytes;
        self
    }

    /// Sets [`Limits::max_decompressed`].
    pub fn with_max_decompressed(mut self, bytes: u64) -> Self {
        self.max_decompressed = bytes;
        self
    }

    /// Sets [`Limits::max_kept`].
    pub fn with_max_kept(mut self, bytes: u64) -> Self {
        self.max_kept = bytes;
        self
    }

    /// Sets [`Limits::max_depth`].
    pub fn with_max_depth(mut self, depth: u32) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets [`Limits::max_tags`].
    pub fn with_max_tags(mut self, tags: usize) -> Self {
        self.max_tags = tags;
        self
    }

    /// Sets [`Limits::max_value_len`].
    pub fn with_max_value_len(mut self, bytes: usize) -> Self {
        self.max_value_len = bytes;
        self
    }
}

/// Options for one extraction. Build them from the defaults with the `with_*` methods
/// (the struct is `#[non_exhaustive]`: options will be added).
///
/// ```
/// use metasift::{Limits, Options};
/// let options = Options::new()
///     .with_limits(Limits::new().with_max_bytes_read(8 << 20))
///     .with_read_ahead(64 << 10)
///     .with_composite(false);
/// let meta = metasift::extract_bytes_with(&[0xFF, 0xD8, 0xFF, 0xD9], &options)?;
/// assert_eq!(meta.format, metasift::Format::Jpeg);
/// # Ok::<(), metasift::Error>(())
/// ```
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
    /// The tags kept in [`Metadata::tags`](crate::Metadata) (default: all), as ExifTool's
    /// `-TAG` and `--TAG` arguments choose them.
    pub selection: Selection,
    /// Read the camera makers' private EXIF data (`MakerNotes:` tags). Off, a note is
    /// skipped unread: for callers that only want the standard tags.
    pub maker_notes: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limits: Limits::default(),
            read_ahead: 32 << 10,
            cache_capacity: 4 << 20,
            composite: true,
            selection: Selection::default(),
            maker_notes: true,
        }
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

    /// Keeps only the tags `selection` selects (see [`Selection`]).
    pub fn with_selection(mut self, selection: Selection) -> Self {
        self.selection = selection;
        self
    }

    /// Turns maker-note reading on or off (see [`Options::maker_notes`]).
    pub fn with_maker_notes(mut self, on: bool) -> Self {
        self.maker_notes = on;
        self
    }

    /// Sets the read-ahead size (see [`Options::read_ahead`]).
    pub fn with_read_ahead(mut self, bytes: usize) -> Self {
        self.read_ahead = bytes;
        self
    }

    /// Sets the read cache's capacity (see [`Options::cache_capacity`]).
    pub fn with_cache_capacity(mut self, bytes: usize) -> Self {
        self.cache_capacity = bytes;
        self
    }

    /// Computes ExifTool's `Composite:` tags, or not (see [`Options::composite`]).
    pub fn with_composite(mut self, composite: bool) -> Self {
        self.composite = composite;
        self
    }
}

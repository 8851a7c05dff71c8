//! The front door: sniff, dispatch to one container parser, derive composites and the
//! summary.

use crate::context::Ctx;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Metadata, Tag, Text};
use crate::options::Options;
use crate::sniff::{Format, sniff};
use crate::source::{ByteSource, CachedSource, FileSource, ReadSeekSource, ReadStats, read_head};
use crate::tag_index::TagIndex;
use std::cell::RefCell;
use std::fs::File;
use std::io::{Read, Seek};
use std::path::Path;

/// Extracts metadata from any `Read + Seek` (a `File`, a `Cursor<Vec<u8>>`...), reading
/// only the parts of it that hold metadata.
///
/// ```
/// let jpeg: &[u8] = &[0xFF, 0xD8, 0xFF, 0xD9];
/// let meta = metasift::extract(std::io::Cursor::new(jpeg))?;
/// assert_eq!(meta.format, metasift::Format::Jpeg);
/// # Ok::<(), metasift::Error>(())
/// ```
pub fn extract<R: Read + Seek>(reader: R) -> Result<Metadata> {
    extract_with(reader, &Options::default())
}

/// [`extract`] with options.
///
/// ```
/// let file = std::fs::File::open("tests/fixtures/canon_full.jpg")?;
/// let options = metasift::Options::default().with_read_ahead(8 << 10);
/// let meta = metasift::extract_with(file, &options)?;
/// assert_eq!(meta.summary.model.as_deref(), Some("Canon EOS 5D Mark IV"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn extract_with<R: Read + Seek>(reader: R, options: &Options) -> Result<Metadata> {
    // Sizing the reader (a seek to its end) is not a read at any offset.
    let source = ReadSeekSource::new(reader).map_err(Error::from)?;
    extract_source_with(&source, options)
}

/// Extracts metadata from a file by path, with positional reads. An error names the path
/// ([`Error::path`]); failing to open the file is an [`ErrorKind::Io`] error without an
/// offset.
///
/// ```
/// let meta = metasift::extract_path("tests/fixtures/canon_full.jpg")?;
/// assert_eq!(meta.summary.make.as_deref(), Some("Canon"));
/// # Ok::<(), metasift::Error>(())
/// ```
pub fn extract_path(path: impl AsRef<Path>) -> Result<Metadata> {
    extract_path_with(path, &Options::default())
}

/// [`extract_path`] with options. The extension helps only for formats without magic
/// bytes (plain text, CSV...).
///
/// ```
/// let options = metasift::Options::default().with_composite(false);
/// let meta = metasift::extract_path_with("tests/fixtures/canon_full.jpg", &options)?;
/// assert!(meta.tags.iter().all(|t| t.group != "Composite"));
/// # Ok::<(), metasift::Error>(())
/// ```
pub fn extract_path_with(path: impl AsRef<Path>, options: &Options) -> Result<Metadata> {
    let path = path.as_ref();
    extract_file(path, options).map_err(|e| e.with_path(path))
}

fn extract_file(path: &Path, options: &Options) -> Result<Metadata> {
    let file = File::open(path)?;
    let ext = path.extension().and_then(|e| e.to_str());
    let head = options.read_ahead;
    if head == 0 || head > KEEP_WHOLE || head > options.cache_capacity {
        let source = FileSource::new(file)?;
        return extract_hinted(&source, options, ext);
    }
    with_whole_buffer(head, |buf| extract_file_from_head(file, buf, options, ext))
}

/// Reads the first `buf.len()` bytes of `file` (the read a cached source makes first) and
/// goes on from them: a file they hold whole is parsed from memory without asking the file
/// system for its length (one system call fewer per small file); a longer one reuses them
/// as its cache's first read. Whatever cannot be read that way (a device, a directory)
/// takes the ordinary route.
fn extract_file_from_head(
    file: File,
    buf: &mut [u8],
    options: &Options,
    ext: Option<&str>,
) -> Result<Metadata> {
    let got = read_head(&file, buf).ok().filter(|n| *n > 0);
    if let Some(head) = got.filter(|n| *n < buf.len()).and_then(|n| buf.get(..n)) {
        return run_read_once(head, options, ext);
    }
    let source = FileSource::new(file)?;
    match got {
        Some(n) if source.len() == n as u64 => run_read_once(buf, options, ext),
        Some(n) if source.len() > n as u64 => {
            let cached =
                CachedSource::with_head(&source, options.read_ahead, options.cache_capacity, buf.to_vec())
                    .with_fetch_limit(options.limits.max_bytes_read);
            run(&cached, options, ext, || cached.stats())
        }
        _ => extract_hinted(&source, options, ext),
    }
}

/// Extracts metadata from bytes in memory.
///
/// ```
/// let png = std::fs::read("tests/fixtures/rgba_plain.png")?;
/// let meta = metasift::extract_bytes(&png)?;
/// assert_eq!((meta.summary.width, meta.summary.height), (Some(64), Some(48)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn extract_bytes(bytes: &[u8]) -> Result<Metadata> {
    extract_source_with(&bytes, &Options::default())
}

/// [`extract_bytes`] with options (limits, composites).
///
/// ```
/// let tight = metasift::Limits::default().with_max_alloc(256 << 10);
/// let options = metasift::Options::default().with_limits(tight);
/// let err = metasift::extract_bytes_with(&[0x00, 0xff, 0x13, 0x37], &options).unwrap_err();
/// assert_eq!(err.kind(), metasift::ErrorKind::Unrecognized);
/// ```
pub fn extract_bytes_with(bytes: &[u8], options: &Options) -> Result<Metadata> {
    extract_source_with(&bytes, options)
}

/// Extracts metadata from any [`ByteSource`] (a file, memory, an object store...) with
/// default options.
///
/// ```
/// use metasift::source::FileSource;
/// let source = FileSource::open("tests/fixtures/rgba_plain.png")?;
/// let meta = metasift::extract_source(&source)?;
/// assert_eq!(meta.format, metasift::Format::Png);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn extract_source(source: &dyn ByteSource) -> Result<Metadata> {
    extract_source_with(source, &Options::default())
}

/// [`extract_source`] with options. Slow sources get a bounded read cache with
/// read-ahead (see [`Options::read_ahead`]) and a fetch limit of
/// [`Limits::max_bytes_read`](crate::Limits); a source that is already a
/// [`CachedSource`] (one built with [`CachedSource::with_head`] from an object store's
/// first response, say) is read as it is. [`Metadata::stats`] says what reading cost.
///
/// ```
/// use metasift::source::FileSource;
/// let source = FileSource::open("tests/fixtures/canon_full.jpg")?;
/// let options = metasift::Options::default().with_read_ahead(4 << 10).with_cache_capacity(64 << 10);
/// let meta = metasift::extract_source_with(&source, &options)?;
/// assert!(meta.stats.source_reads > 1, "read in pieces of 4 KiB");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn extract_source_with(source: &dyn ByteSource, options: &Options) -> Result<Metadata> {
    extract_hinted(source, options, None)
}

/// [`extract_source_with`] with a file-extension hint for formats without magic bytes
/// (plain text, CSV...).
///
/// ```
/// let text: &[u8] = b"just some words\n";
/// let meta = metasift::extract_hinted(&text, &metasift::Options::default(), Some("txt"))?;
/// assert_eq!(meta.format, metasift::Format::Txt);
/// # Ok::<(), metasift::Error>(())
/// ```
pub fn extract_hinted(
    source: &dyn ByteSource,
    options: &Options,
    ext_hint: Option<&str>,
) -> Result<Metadata> {
    if let Some(bytes) = source.as_slice() {
        return run_read_once(bytes, options, ext_hint);
    }
    if source.stats().is_some() {
        // The caller's own cache (a remote object's first response): its counters are
        // the true cost, whatever was fetched before the extraction started.
        return run(source, options, ext_hint, || source.stats().unwrap_or_default());
    }
    if let Some(len) = whole_read_len(source, options) {
        return with_whole_buffer(len, |buf| {
            source.read_exact_at(0, buf).map_err(|e| Error::io(0, e))?;
            run_read_once(buf, options, ext_hint)
        });
    }
    let cached = CachedSource::new(source, options.read_ahead, options.cache_capacity)
        .with_fetch_limit(options.limits.max_bytes_read);
    run(&cached, options, ext_hint, || cached.stats())
}

/// Parses `bytes`, the whole input got in one read, from memory.
fn run_read_once(bytes: &[u8], options: &Options, ext_hint: Option<&str>) -> Result<Metadata> {
    let stats = ReadStats { source_reads: 1, source_bytes: bytes.len() as u64, io_wait_us: 0 };
    run(&bytes, options, ext_hint, || stats)
}

/// The length of a non-empty source no longer than one read-ahead: such a source is read
/// whole, in the one read the cache would make first anyway, and parsed from memory (same
/// reads, no cache overhead).
fn whole_read_len(source: &dyn ByteSource, options: &Options) -> Option<usize> {
    let fits = |n: &usize| *n > 0 && *n <= options.read_ahead && *n <= options.cache_capacity;
    usize::try_from(source.len()).ok().filter(fits)
}

/// Most bytes the per-thread buffer of [`with_whole_buffer`] keeps between extractions.
const KEEP_WHOLE: usize = 256 << 10;

thread_local! {
    /// The buffer sources read whole go into, reused from one extraction to the next: it
    /// grows to the largest such source (up to [`KEEP_WHOLE`]) and is zero-filled only
    /// when it grows, so a small file costs no allocation and no clearing.
    static WHOLE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` on a buffer of exactly `len` bytes: this thread's reusable one when it is free
/// and `len` is small enough to keep, else a fresh one.
fn with_whole_buffer<R>(len: usize, f: impl FnOnce(&mut [u8]) -> R) -> R {
    WHOLE.with(|cell| {
        let mut kept = if len <= KEEP_WHOLE { cell.try_borrow_mut().ok() } else { None };
        match kept.as_deref_mut() {
            Some(buf) => {
                if buf.len() < len {
                    buf.resize(len, 0);
                }
                f(buf.get_mut(..len).unwrap_or_default())
            }
            None => f(&mut vec![0u8; len]),
        }
    })
}

fn run(
    source: &dyn ByteSource,
    options: &Options,
    ext_hint: Option<&str>,
    stats: impl Fn() -> ReadStats,
) -> Result<Metadata> {
    if source.is_empty() {
        return Err(Error::new(ErrorKind::Unrecognized, crate::error::EMPTY_FILE).at(0));
    }
    let format = sniff(source, ext_hint).map_err(|e| Error::io(0, e))?;
    if format == Format::Unknown {
        return Err(Error::new(ErrorKind::Unrecognized, "unknown file type").at(0));
    }
    let mut cx = Ctx::new(source, options);
    let file_size = cx.len();
    cx.add("File", "FileSize", file_size);
    cx.add("File", "FileType", Text::from_static(format.name()));
    cx.add("File", "FileTypeExtension", type_extension(format));
    cx.add("File", "MIMEType", Text::from_static(format.mime()));
    if let Err(e) = crate::formats::parse(format, &mut cx) {
        match e.kind() {
            ErrorKind::Malformed | ErrorKind::Unsupported => cx.warn_error(&e),
            _ => return Err(e),
        }
    }
    if options.composite {
        cx.name_facts();
    }
    let Ctx { tags, streams, warnings, .. } = cx;
    let mut tags: Vec<Tag> = tags;
    // One pass finds the tags both the composites and the summary read.
    let mut index = TagIndex::empty();
    index.update(&tags, 0);
    if options.composite {
        index.add_composites(&mut tags);
    }
    let summary = index.summary(&tags, &streams);
    // After the composites and the summary, which read tags the selection may drop.
    options.selection.apply(&mut tags);
    let mime = tags
        .iter()
        .find(|t| t.group == "File" && t.name == "MIMEType")
        .and_then(|t| t.value.as_str())
        .map(|m| if m == format.mime() { format.mime() } else { mime_static(m, format) })
        .unwrap_or(format.mime());
    Ok(Metadata { format, mime, file_size, summary, streams, tags, warnings, stats: stats() })
}

/// [`Format::type_extension`], uppercased on the stack (no temporary `String`).
fn type_extension(format: Format) -> Text {
    let ext = format.extensions().first().copied().unwrap_or_default();
    let mut buf = [0u8; 16];
    let Some(upper) = buf.get_mut(..ext.len()) else { return Text::from(ext.to_ascii_uppercase()) };
    upper.copy_from_slice(ext.as_bytes());
    upper.make_ascii_uppercase();
    // ASCII case changes keep UTF-8 valid: the check always passes.
    Text::new(std::str::from_utf8(upper).unwrap_or_default())
}

/// MIME types parsers may refine to (kept static so `Metadata::mime` stays `&'static`).
fn mime_static(m: &str, format: Format) -> &'static str {
    Format::ALL.iter().map(|f| f.mime()).find(|x| *x == m).unwrap_or(format.mime())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A source that is not in memory and counts the reads that reach it.
    struct Counted {
        data: Vec<u8>,
        reads: Cell<u32>,
    }

    impl ByteSource for Counted {
        fn len(&self) -> u64 {
            self.data.len() as u64
        }

        fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
            self.reads.set(self.reads.get() + 1);
            self.data.as_slice().read_at(offset, buf)
        }
    }

    fn fixture() -> Vec<u8> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/canon_full.jpg"))
            .unwrap_or_default()
    }

    /// Reads and bytes: what must agree between two routes (wait times never do).
    fn counts(m: &Metadata) -> (u64, u64) {
        (m.stats.source_reads, m.stats.source_bytes)
    }

    #[test]
    fn type_extension_is_the_formats() {
        for format in Format::ALL {
            assert_eq!(type_extension(*format).as_str(), format.type_extension());
        }
    }

    #[test]
    fn small_source_is_read_once_and_parsed_like_memory() {
        let data = fixture();
        assert!(data.len() > 10_000, "fixture missing");
        let from_memory = extract_bytes(&data).map(|m| m.tags);
        let source = Counted { data: data.clone(), reads: Cell::new(0) };
        let m = extract_source_with(&source, &Options::default());
        assert_eq!(source.reads.get(), 1);
        assert_eq!(
            m.as_ref().map(|m| m.stats).ok(),
            Some(ReadStats { source_reads: 1, source_bytes: data.len() as u64, io_wait_us: 0 })
        );
        assert_eq!(m.map(|m| m.tags).ok(), from_memory.ok());
    }

    #[test]
    fn reused_buffer_gives_each_source_its_own_bytes() {
        let big = fixture();
        let small = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rgba_plain.png"))
            .unwrap_or_default();
        assert!(!small.is_empty() && small.len() < big.len());
        for data in [&big, &small, &big] {
            let source = Counted { data: data.clone(), reads: Cell::new(0) };
            let tags = extract_source_with(&source, &Options::default()).map(|m| m.tags).ok();
            assert_eq!(tags, extract_bytes(data).map(|m| m.tags).ok());
        }
        // A nested extraction (the buffer is taken) gets a buffer of its own.
        let outer = with_whole_buffer(big.len(), |_| {
            let source = Counted { data: small.clone(), reads: Cell::new(0) };
            extract_source_with(&source, &Options::default()).map(|m| m.tags).ok()
        });
        assert_eq!(outer, extract_bytes(&small).map(|m| m.tags).ok());
    }

    #[test]
    fn source_larger_than_read_ahead_goes_through_the_cache_with_the_same_tags() {
        let data = fixture();
        let from_memory = extract_bytes(&data).map(|m| m.tags);
        let source = Counted { data, reads: Cell::new(0) };
        let options = Options::default().with_read_ahead(4096);
        let m = extract_source_with(&source, &options);
        assert!(m.as_ref().is_ok_and(|m| m.stats.source_reads > 1), "{:?}", m.as_ref().map(|m| m.stats));
        assert_eq!(m.map(|m| m.tags).ok(), from_memory.ok());
    }

    /// Writes `data` to a fresh temporary file and extracts it by path.
    fn extract_as_file(name: &str, data: &[u8], options: &Options) -> Result<Metadata> {
        let path = std::env::temp_dir().join(format!("metasift-{}-{name}", std::process::id()));
        assert!(std::fs::write(&path, data).is_ok());
        let m = extract_path_with(&path, options);
        let _ = std::fs::remove_file(&path);
        m
    }

    #[test]
    fn path_reads_match_the_byte_source_route_for_short_exact_and_long_files() {
        let jpeg = fixture();
        let read_ahead = Options::default().read_ahead;
        assert!(jpeg.len() < read_ahead);
        // Shorter than one read-ahead, exactly one, and longer (a JPEG with a trailer of
        // padding after its end of image).
        let mut exact = jpeg.clone();
        exact.resize(read_ahead, 0);
        let mut long = jpeg.clone();
        long.resize(3 * read_ahead + 5, 0);
        for (name, data) in [("short.jpg", &jpeg), ("exact.jpg", &exact), ("long.jpg", &long)] {
            let source = Counted { data: data.clone(), reads: Cell::new(0) };
            let expected = extract_source_with(&source, &Options::default());
            let got = extract_as_file(name, data, &Options::default());
            let facts =
                |m: &Result<Metadata>| m.as_ref().ok().map(|m| (m.file_size, counts(m), m.tags.clone()));
            assert!(facts(&expected).is_some(), "{name}");
            assert_eq!(facts(&got), facts(&expected), "{name}");
        }
    }

    #[test]
    fn path_with_a_small_read_ahead_or_an_empty_file_takes_the_ordinary_route() {
        let jpeg = fixture();
        let options = Options::default().with_read_ahead(4096);
        let source = Counted { data: jpeg.clone(), reads: Cell::new(0) };
        let expected = extract_source_with(&source, &options).map(|m| (counts(&m), m.tags));
        let got = extract_as_file("small-read-ahead.jpg", &jpeg, &options).map(|m| (counts(&m), m.tags));
        assert_eq!(got.ok(), expected.ok());
        assert!(extract_as_file("empty.jpg", &[], &Options::default()).is_err());
    }
}

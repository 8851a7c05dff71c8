//! The parsing context every container and payload parser works through: budgeted reads
//! by offset, and the sinks for tags, streams and warnings.

use crate::base::inflate::{End, Inflated, Wrapper, inflate};
use crate::composite::facts::Fact;
use crate::error::{Error, Result};
use crate::model::{IntoName, Stream, Tag, Value, Warning};
use crate::options::Options;
use crate::source::ByteSource;
use std::borrow::Cow;

/// Reads and results for one extraction.
pub(crate) struct Ctx<'a> {
    src: &'a dyn ByteSource,
    /// The whole input when it is in memory (`src.as_slice()`, asked once).
    mem: Option<&'a [u8]>,
    len: u64,
    pub opts: &'a Options,
    requested: u64,
    /// `opts.limits.max_tags`, `max_value_len` and `max_kept`, kept here for [`Ctx::push`], which every
    /// tag passes through.
    max_tags: usize,
    max_value_len: usize,
    max_kept: u64,
    /// `opts.limits.max_alloc` and `max_bytes_read`, kept here for [`Ctx::charge`], which
    /// every read passes through.
    max_alloc: u64,
    max_bytes_read: u64,
    pub tags: Vec<Tag>,
    pub streams: Vec<Stream>,
    pub warnings: Vec<Warning>,
    /// What only composites print, named by `crate::composite` after parsing.
    pub facts: Vec<Fact>,
    tags_capped: bool,
    /// Bytes inflated so far, against `max_decompressed`.
    decompressed: u64,
    /// Whether `max_decompressed` was reported: it is warned once, not once per block
    /// (a file of thousands of compressed chunks would otherwise give thousands).
    decompressed_capped: bool,
    /// Bytes of text values kept so far, against `max_kept`.
    kept: u64,
    kept_capped: bool,
    /// How deep the payload being parsed sits in other payloads (see
    /// `crate::meta::nested`).
    pub nested: u32,
}

impl<'a> Ctx<'a> {
    #[allow(clippy::disallowed_methods)] // a constant capacity
    pub fn new(src: &'a dyn ByteSource, opts: &'a Options) -> Self {
        Ctx {
            src,
            mem: src.as_slice(),
            len: src.len(),
            opts,
            requested: 0,
            max_tags: opts.limits.max_tags,
            max_value_len: opts.limits.max_value_len,
            max_kept: opts.limits.max_kept,
            max_alloc: opts.limits.max_alloc as u64,
            max_bytes_read: opts.limits.max_bytes_read,
            // Most files with metadata carry dozens of tags: skip the first few regrowths.
            tags: Vec::with_capacity(256),
            streams: Vec::new(),
            warnings: Vec::new(),
            facts: Vec::new(),
            tags_capped: false,
            decompressed: 0,
            decompressed_capped: false,
            kept: 0,
            kept_capped: false,
            nested: 0,
        }
    }

    /// Length of the input.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// The source, for adapters (e.g. a `Read + Seek` view for a third-party crate).
    /// Reads made through it bypass the read budget: prefer [`Ctx::read`].
    pub fn source(&self) -> &'a dyn ByteSource {
        self.src
    }

    /// Says that the parser will soon read `range` (an MP4 `moov` after the media data, a
    /// trailer): a remote source fetches it now, together with anything else hinted at
    /// once. Input in memory needs nothing; a failed prefetch shows up again on the read.
    pub fn prefetch(&self, ranges: &[std::ops::Range<u64>]) {
        if self.mem.is_none() {
            let _ = self.src.prefetch(ranges);
        }
    }

    /// Bytes requested by parsers so far.
    #[cfg(test)]
    pub fn requested(&self) -> u64 {
        self.requested
    }

    /// Counts a read of `len` bytes against the limits. Inlined (every read passes here);
    /// the errors are built out of line.
    #[inline]
    fn charge(&mut self, offset: u64, len: u64) -> Result<()> {
        if len > self.max_alloc {
            return Err(self.too_large(offset, len));
        }
        self.requested = self.requested.saturating_add(len);
        if self.requested > self.max_bytes_read {
            return Err(self.read_too_much(offset));
        }
        Ok(())
    }

    /// The error of a block running past the end of the input.
    #[cold]
    #[inline(never)]
    fn truncated(&self, offset: u64, len: u64) -> Error {
        Error::malformed(offset, format!("truncated: {len} bytes wanted, file is {} bytes", self.len))
    }

    /// The error of a block over `max_alloc`.
    #[cold]
    #[inline(never)]
    fn too_large(&self, offset: u64, len: u64) -> Error {
        Error::limit(
            offset,
            format!("block of {len} bytes exceeds max_alloc ({})", self.opts.limits.max_alloc),
        )
    }

    /// The error of reads past `max_bytes_read`.
    #[cold]
    #[inline(never)]
    fn read_too_much(&self, offset: u64) -> Error {
        Error::limit(offset, format!("reads exceed max_bytes_read ({})", self.opts.limits.max_bytes_read))
    }

    /// Reads exactly `len` bytes at `offset`; a block running past the end of the input
    /// is a `Malformed` error ("truncated").
    pub fn read(&mut self, offset: u64, len: u64) -> Result<Vec<u8>> {
        let Some(end) = offset.checked_add(len).filter(|e| *e <= self.len) else {
            return Err(self.truncated(offset, len));
        };
        self.charge(offset, len)?;
        debug_assert!(end <= self.len);
        let len = usize::try_from(len).map_err(|_| Error::limit(offset, "block too large"))?;
        self.src.read_vec(offset, len).map_err(|e| Error::io(offset, e))
    }

    /// Like [`Ctx::read`], but borrows the bytes instead of copying them when the whole
    /// input is in memory.
    pub fn read_cow(&mut self, offset: u64, len: u64) -> Result<Cow<'a, [u8]>> {
        if let Some(bytes) = self.mem {
            let block = usize::try_from(offset)
                .ok()
                .zip(usize::try_from(len).ok())
                .and_then(|(s, l)| bytes.get(s..s.checked_add(l)?))
                .filter(|_| offset.checked_add(len).is_some_and(|e| e <= self.len));
            if let Some(block) = block {
                self.charge(offset, len)?;
                return Ok(Cow::Borrowed(block));
            }
        }
        self.read(offset, len).map(Cow::Owned)
    }

    /// Reads up to `max` bytes at `offset`, fewer at the end of the input.
    pub fn read_up_to(&mut self, offset: u64, max: u64) -> Result<Vec<u8>> {
        let len = self.len.saturating_sub(offset).min(max);
        self.read(offset.min(self.len), len)
    }

    /// Reads `N` bytes at `offset`. Inlined: parsers read small fixed headers often, and
    /// from memory this is a bounds check and a copy (no temporary `Vec`).
    #[inline]
    pub fn read_array<const N: usize>(&mut self, offset: u64) -> Result<[u8; N]> {
        let block = self
            .mem
            .and_then(|bytes| usize::try_from(offset).ok().and_then(|s| bytes.get(s..s.checked_add(N)?)))
            .filter(|_| offset.saturating_add(N as u64) <= self.len);
        match block.and_then(|b| <[u8; N]>::try_from(b).ok()) {
            Some(out) => {
                self.charge(offset, N as u64)?;
                Ok(out)
            }
            None => self.read_array_copied(offset),
        }
    }

    /// [`Ctx::read_array`] through [`Ctx::read`]: the input is not in memory, or the
    /// block is not all in it.
    #[inline(never)]
    fn read_array_copied<const N: usize>(&mut self, offset: u64) -> Result<[u8; N]> {
        let v = self.read(offset, N as u64)?;
        let mut out = [0u8; N];
        out.copy_from_slice(&v);
        Ok(out)
    }

    /// Fails when `depth` is past the nesting limit.
    pub fn check_depth(&self, depth: u32, offset: u64) -> Result<()> {
        if depth > self.opts.limits.max_depth {
            return Err(Error::limit(offset, format!("nesting deeper than {}", self.opts.limits.max_depth)));
        }
        Ok(())
    }

    /// Records a tag (subject to the tag-count and value-length limits). Inlined: every
    /// parser pushes through it, and the usual tag (under both limits) is just moved in.
    #[inline]
    pub fn push(&mut self, tag: Tag) {
        let text = text_len(&tag.value);
        if self.tags.len() >= self.max_tags
            || text > self.max_value_len
            || self.kept + text as u64 > self.max_kept
        {
            self.push_limited(tag);
        } else {
            self.kept += text as u64;
            self.tags.push(tag);
        }
    }

    /// [`Ctx::push`] for a tag past a limit: drops it past the tag count (with one
    /// warning), or cuts its text to the value-length limit (with a warning).
    #[cold]
    #[inline(never)]
    fn push_limited(&mut self, mut tag: Tag) {
        if self.tags.len() >= self.opts.limits.max_tags {
            if !self.tags_capped {
                self.tags_capped = true;
                self.warn(
                    None,
                    format!("more than {} tags; the rest are dropped", self.opts.limits.max_tags),
                );
            }
            return;
        }
        let max = self.opts.limits.max_value_len;
        if let Value::Text(s) = &mut tag.value {
            if s.len() > max {
                let mut cut = max;
                while !s.is_char_boundary(cut) {
                    cut -= 1;
                }
                s.truncate(cut);
                let msg = format!("{} truncated to {max} bytes", tag.key());
                self.warn(None, msg);
            }
        }
        let text = text_len(&tag.value) as u64;
        if self.kept + text > self.opts.limits.max_kept {
            if !self.kept_capped {
                self.kept_capped = true;
                let msg = format!("text values past max_kept ({} bytes) dropped", self.opts.limits.max_kept);
                self.warn(None, msg);
            }
            return;
        }
        self.kept += text;
        self.tags.push(tag);
    }

    /// Inflates `input`, found at `offset`, into at most `want` bytes and within the
    /// budgets: no buffer over `max_alloc`, no more than `max_decompressed` in total. When
    /// a budget (not `want`) cuts the output, a warning names the limit and the block
    /// (`what`); the caller keeps the truncated bytes.
    pub fn inflate(
        &mut self,
        input: &[u8],
        wrapper: Wrapper,
        offset: u64,
        want: usize,
        what: &str,
    ) -> Inflated {
        self.inflate_with(input, offset, want, what, |input, cap| (inflate(input, wrapper, cap), ())).0
    }

    /// Runs `run` (an inflater given its input and its output cap) within the budgets,
    /// counts what it inflated and warns when a budget, not `want`, cut it.
    fn inflate_with<T>(
        &mut self,
        input: &[u8],
        offset: u64,
        want: usize,
        what: &str,
        run: impl FnOnce(&[u8], usize) -> (Inflated, T),
    ) -> (Inflated, T) {
        let limits = &self.opts.limits;
        let left = limits.max_decompressed.saturating_sub(self.decompressed);
        let left = usize::try_from(left).unwrap_or(usize::MAX);
        let cap = want.min(left).min(limits.max_alloc);
        let (out, extra) = run(input, cap);
        self.decompressed = self.decompressed.saturating_add(out.data.len() as u64);
        if out.end == End::Capped && cap < want {
            if left <= limits.max_alloc {
                if !self.decompressed_capped {
                    let max = limits.max_decompressed;
                    let msg = format!(
                        "{what} inflates past max_decompressed ({max} bytes); it and later compressed blocks are truncated"
                    );
                    self.warn(offset, msg);
                }
                self.decompressed_capped = true;
            } else {
                let max = limits.max_alloc;
                self.warn(offset, format!("{what} inflates past max_alloc ({max} bytes); truncated"));
            }
        }
        (out, extra)
    }

    /// Applies the limits of [`Ctx::push`] to the tags from `first` on, pushed without
    /// them (a parser that edits its tags after pushing, as IPTC lists repeats), exactly
    /// as pushing them through it one by one now would: nothing to do in the usual case
    /// of no limit reached.
    pub fn limit_from(&mut self, first: usize) {
        let limits = &self.opts.limits;
        let long_text = |t: &Tag| matches!(&t.value, Value::Text(s) if s.len() > limits.max_value_len);
        let added = self.tags.get(first..).unwrap_or_default();
        let text: u64 = added.iter().map(|t| text_len(&t.value) as u64).sum();
        if self.tags.len() <= limits.max_tags
            && !added.iter().any(long_text)
            && self.kept + text <= limits.max_kept
        {
            self.kept += text;
            return;
        }
        let added = self.tags.split_off(first.min(self.tags.len()));
        for tag in added {
            self.push(tag);
        }
    }

    /// Records a tag with default priority and no subgroup.
    #[inline]
    pub fn add(&mut self, group: &'static str, name: impl IntoName, value: impl Into<Value>) {
        self.push(Tag::new(group, name, value));
    }

    /// Records a fact that only a `Composite:` tag prints.
    pub fn fact(&mut self, fact: Fact) {
        self.facts.push(fact);
    }

    /// Records that the date tags found so far may make `Composite:DateTimeOriginal`
    /// (`make` builds the fact from the number of tags).
    pub fn date_fact(&mut self, make: fn(usize) -> Fact) {
        let n = self.tags.len();
        self.facts.push(make(n));
    }

    /// Adds the `Composite:` tags of the facts recorded (after parsing).
    pub fn name_facts(&mut self) {
        if self.facts.is_empty() {
            return;
        }
        let facts = std::mem::take(&mut self.facts);
        for tag in crate::composite::facts::tags(&facts, &self.tags) {
            self.push(tag);
        }
    }

    /// Records a recoverable problem.
    pub fn warn(&mut self, offset: impl Into<Option<u64>>, message: impl Into<String>) {
        if self.warnings.len() < 1000 {
            self.warnings.push(Warning { offset: offset.into(), message: message.into() });
        }
    }

    /// Turns a parser's error into a warning (recognised-but-broken input).
    pub fn warn_error(&mut self, err: &Error) {
        self.warn(err.offset(), err.message().to_owned());
    }
}

/// Bytes of text a value keeps (all items of a list).
#[inline]
fn text_len(value: &Value) -> usize {
    match value {
        Value::Text(s) => s.len(),
        Value::List(items) => items.iter().map(text_len).sum(),
        _ => 0,
    }
}

impl Ctx<'_> {
    /// Bytes reads may still request before [`Limits::max_bytes_read`](crate::Limits): a
    /// parser that walks a large input in windows (the PDF xref rebuild) stops before a
    /// read fails, leaving the rest of the budget for what it found.
    pub fn read_budget_left(&self) -> u64 {
        self.max_bytes_read.saturating_sub(self.requested)
    }

    /// [`Ctx::inflate`] through [`crate::base::inflate::inflate_whole`]: the same budgets
    /// and warning, corrupt back-references found, and whether a broken stream broke
    /// because its input ended. For parsers that told data that does not inflate from
    /// data cut short with `miniz_oxide::inflate::decompress_to_vec*` (ZIP parts, PDF
    /// streams), and must go on telling them apart.
    pub fn inflate_whole(
        &mut self,
        input: &[u8],
        wrapper: Wrapper,
        offset: u64,
        want: usize,
        what: &str,
    ) -> (Inflated, bool) {
        self.inflate_with(input, offset, want, what, |input, cap| {
            crate::base::inflate::inflate_whole(input, wrapper, cap)
        })
    }

    /// A read's result with a limit error turned into a warning (`None`: stop reading
    /// that block); other errors are kept.
    pub fn limit_as_warning<T>(&mut self, r: Result<T>) -> Result<Option<T>> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.kind() == crate::error::ErrorKind::LimitExceeded => {
                self.warn_error(&e);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// The first bytes of `raw`, the raw bytes of one text value, that decode to at least
    /// the first `max_value_len` bytes of its text in any encoding (UTF-8, Latin-1 or
    /// UTF-16: at most two raw bytes per byte of text, and a character cut at the end).
    /// Decoding only these builds no more of a long value than is kept; cut the text with
    /// [`Ctx::cut_value`].
    pub fn value_prefix<'b>(&self, raw: &'b [u8]) -> &'b [u8] {
        raw.get(..self.value_read_len()).unwrap_or(raw)
    }

    /// How many raw bytes [`Ctx::value_prefix`] keeps.
    pub fn value_read_len(&self) -> usize {
        self.max_value_len.saturating_mul(2).saturating_add(8)
    }

    /// Cuts `text`, the value of `what` found at `offset`, to `max_value_len` bytes (at a
    /// character boundary, giving back the memory cut) with a warning naming the limit.
    /// Returns whether it was cut. `what` is only formatted when the text is cut (most
    /// values are short: no name is built for them).
    #[inline]
    pub fn cut_value(&mut self, text: &mut String, offset: u64, what: impl std::fmt::Display) -> bool {
        let max = self.max_value_len;
        if text.len() <= max {
            return false;
        }
        let mut cut = max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.shrink_to_fit();
        self.warn(offset, format!("{what} cut to max_value_len ({max} bytes)"));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tags and warnings of pushing `tags` after `before`, through `push` or raw then
    /// limited by `limit_from`.
    fn both(opts: &Options, before: usize, tags: &[Tag]) -> [(Vec<Tag>, Vec<Warning>); 2] {
        let data: &[u8] = &[];
        let run = |raw: bool| {
            let mut cx = Ctx::new(&data, opts);
            (0..before).for_each(|i| cx.add("File", "N", i));
            let first = cx.tags.len();
            for t in tags {
                if raw { cx.tags.push(t.clone()) } else { cx.push(t.clone()) }
            }
            if raw {
                cx.limit_from(first);
            }
            (cx.tags, cx.warnings)
        };
        [run(false), run(true)]
    }

    #[test]
    fn limit_from_is_push_one_by_one() {
        let mut opts = Options::default();
        opts.limits.max_tags = 5;
        opts.limits.max_value_len = 4;
        let tags = [
            Tag::new("IPTC", "A", "short"),
            Tag::new("IPTC", "B", "ok"),
            Tag::new("IPTC", "C", Value::List(vec!["longer".into()])),
            Tag::new("IPTC", "D", "more text"),
        ];
        for before in 0..7 {
            for n in 0..=tags.len() {
                let [pushed, limited] = both(&opts, before, &tags[..n]);
                assert_eq!(pushed, limited, "{before} {n}");
            }
        }
    }

    #[test]
    fn kept_text_is_budgeted() {
        let opts = Options::default().with_limits(crate::options::Limits::default().with_max_kept(10));
        let data: &[u8] = &[];
        let mut cx = Ctx::new(&data, &opts);
        cx.add("PNG", "A", "123456");
        cx.add("PNG", "N", 7);
        cx.add("PNG", "B", "12345");
        cx.add("PNG", "C", "1234");
        let names: Vec<&str> = cx.tags.iter().map(|t| &*t.name).collect();
        assert_eq!(names, ["A", "N", "C"]);
        assert_eq!(cx.warnings.len(), 1);
        assert!(cx.warnings[0].message.contains("max_kept"));
    }

    #[test]
    fn inflation_is_budgeted() {
        use miniz_oxide::deflate::compress_to_vec_zlib;
        let z = compress_to_vec_zlib(&[b'x'; 100_000], 9);
        let limits = crate::options::Limits::default().with_max_alloc(40_000).with_max_decompressed(50_000);
        let opts = Options::default().with_limits(limits);
        let data: &[u8] = &[];
        let mut cx = Ctx::new(&data, &opts);
        let a = cx.inflate(&z, Wrapper::Zlib, 0, usize::MAX, "zTXt chunk");
        assert_eq!((a.end, a.data.len()), (End::Capped, 40_000));
        assert!(cx.warnings[0].message.contains("max_alloc"));
        let b = cx.inflate(&z, Wrapper::Zlib, 9, usize::MAX, "zTXt chunk");
        assert_eq!(b.data.len(), 10_000);
        assert!(cx.warnings[1].message.contains("max_decompressed (50000 bytes)"));
        let c = cx.inflate(&z, Wrapper::Zlib, 9, 10, "zTXt chunk");
        assert_eq!(c.data.len(), 0);
        // The spent budget is reported once, not once per block.
        let e = cx.inflate(&z, Wrapper::Zlib, 99, usize::MAX, "zTXt chunk");
        assert_eq!((e.data.len(), cx.warnings.len()), (0, 2));
        // Cut by the caller's own cap: no warning of a limit.
        let mut cx = Ctx::new(&data, &opts);
        let d = cx.inflate(&z, Wrapper::Zlib, 0, 10, "zTXt chunk");
        assert_eq!((d.end, d.data.len(), cx.warnings.len()), (End::Capped, 10, 0));
    }
}

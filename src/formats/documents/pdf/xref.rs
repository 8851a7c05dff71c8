//! Cross-reference sections (tables and streams), the trailer chain, and object lookup
//! (direct and inside object streams). Reads only the entries and objects asked for.

use super::crypt::Decryptor;
use super::filter;
use super::lexer::{Caps, LexError, Lexer, Obj};
use crate::context::Ctx;
use crate::error::{Error, ErrorKind, Result};
use std::borrow::Cow;
use std::collections::HashMap;

/// Most xref sections followed through `/Prev`.
const MAX_SECTIONS: usize = 64;
/// Most subsections in one xref table.
const MAX_SUBSECTIONS: usize = 10_000;
/// Most entries kept from one xref stream or rebuild scan; fewer under a small
/// `max_alloc` (see [`max_entries`]).
const MAX_STREAM_ENTRIES: usize = 1_000_000;
/// Largest buffer an indirect object is parsed from (and never more than `max_alloc`).
pub(super) const MAX_OBJECT: u64 = 16 << 20;
/// Most object streams kept decoded (and never more than `max_alloc` bytes of them).
const MAX_OBJSTM_CACHE: usize = 8;

/// Where an object lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loc {
    /// Deleted.
    Free,
    /// Byte offset of `n g obj`.
    At(u64),
    /// In object stream `.0`, at index `.1`.
    InStream(u32, u32),
}

/// One subsection of an xref table: entries `start..start+count` at `pos`.
#[derive(Debug)]
struct Sub {
    start: u64,
    count: u64,
    pos: u64,
    entry_len: u64,
}

/// One cross-reference section.
#[derive(Debug)]
enum Section {
    /// A classic table, looked up entry by entry.
    Table(Vec<Sub>),
    /// Decoded entries of an xref stream (or of a scan of a broken file).
    Map(HashMap<u32, Loc>),
}

/// A decoded object stream.
struct ObjStm {
    /// Its object number.
    num: u32,
    /// `/First`: where the objects start in `data`, after the number-offset pairs.
    first: usize,
    /// `/N`: how many objects it holds.
    n: u64,
    data: Vec<u8>,
}

/// A PDF document being read.
pub(crate) struct Doc {
    sections: Vec<Section>,
    /// Trailer dictionaries, newest first.
    pub trailers: Vec<Obj>,
    /// Object streams decoded, oldest first.
    objstm: Vec<ObjStm>,
    /// The key for documents encrypted with an empty user password.
    pub crypt: Option<Decryptor>,
    /// Whether the file was scanned for objects (done once, when an xref offset is wrong).
    rescanned: bool,
}

/// Where a stream's data starts, and the object it belongs to (for decryption).
#[derive(Debug, Clone, Copy)]
pub(crate) struct StreamAt {
    /// Absolute offset of the data.
    pub at: u64,
    /// Object number.
    pub num: u32,
    /// Generation.
    pub generation: u16,
}

/// How [`parse_at`] failed.
pub(super) enum ParseAt {
    /// A read failed.
    Read(Error),
    /// Not valid PDF syntax, or cut by the end of the file.
    Bad,
    /// Still cut after reading the most bytes allowed.
    TooLong,
}

/// Parses with `parse` the bytes at `off`: the first 4 KiB, then 16 times more each time
/// they end inside what is parsed, up to `most` bytes. Borrows the bytes when the input
/// is in memory.
pub(super) fn parse_at<T>(
    cx: &mut Ctx,
    off: u64,
    most: u64,
    parse: impl Fn(&[u8]) -> std::result::Result<T, LexError>,
) -> std::result::Result<T, ParseAt> {
    let mut size = most.min(4096);
    loop {
        let len = cx.len().saturating_sub(off).min(size);
        let buf = cx.read_cow(off.min(cx.len()), len).map_err(ParseAt::Read)?;
        match parse(&buf) {
            Ok(t) => return Ok(t),
            Err(LexError::Eof) if len == size && size < most => size = size.saturating_mul(16).min(most),
            Err(LexError::Eof) if len == size => return Err(ParseAt::TooLong),
            Err(_) => return Err(ParseAt::Bad),
        }
    }
}

/// What is kept of the objects parsed: see [`Caps::new`].
pub(super) fn caps(cx: &Ctx) -> Caps {
    Caps::new(cx.opts.limits.max_value_len, cx.opts.limits.max_alloc)
}

/// Most entries kept in one cross-reference map: a hash map of `n` entries takes about
/// 50 bytes each at its largest, so that `max_alloc / 64` of them stay within it.
pub(super) fn max_entries(cx: &Ctx) -> usize {
    (cx.opts.limits.max_alloc / 64).clamp(1024, MAX_STREAM_ENTRIES)
}

/// Warns that object `num` (at `off`, `None` in an object stream) had items dropped.
pub(super) fn warn_dropped(cx: &mut Ctx, off: Option<u64>, num: u32, caps: Caps) {
    let max = caps.max_items;
    let what = "array items and dictionary entries (max_alloc / 128); the rest ignored";
    cx.warn(off, format!("pdf: object {num} has more than {max} {what}"));
}

/// Reads an indirect object at `off`, growing the buffer when it is cut, up to
/// `max_alloc` (an object still cut there is a limit error).
pub(super) fn read_indirect(cx: &mut Ctx, off: u64) -> Result<(u32, u16, Obj, Option<StreamAt>)> {
    let max_alloc = cx.opts.limits.max_alloc as u64;
    let most = MAX_OBJECT.min(max_alloc);
    let caps = caps(cx);
    let parse = |buf: &[u8]| {
        let mut lx = Lexer::capped(buf, 0, caps);
        lx.indirect().map(|o| (o, lx.dropped_items()))
    };
    match parse_at(cx, off, most, parse) {
        Ok(((num, generation, o, s), dropped)) => {
            if dropped {
                warn_dropped(cx, Some(off), num, caps);
            }
            Ok((num, generation, o, s.map(|s| StreamAt { at: off + s as u64, num, generation })))
        }
        Err(ParseAt::Read(e)) => Err(e),
        Err(ParseAt::TooLong) if most == max_alloc => {
            Err(Error::limit(off, format!("pdf: object larger than max_alloc ({max_alloc} bytes)")))
        }
        Err(_) => Err(Error::malformed(off, "pdf: bad indirect object")),
    }
}

/// Finds the offset after the last `startxref` in the file's tail.
pub(crate) fn startxref(cx: &mut Ctx) -> Result<u64> {
    let len = cx.len();
    // The trailer, and often the whole last xref section, sit in the last 64 KiB: one
    // request for them on a remote source, instead of 2 KiB here and the xref after.
    let hint = len.saturating_sub(64 << 10)..len;
    cx.prefetch(&[hint]);
    let start = len.saturating_sub(2048);
    let tail = cx.read(start, len - start)?;
    let at = tail
        .windows(9)
        .rposition(|w| w == b"startxref")
        .ok_or_else(|| Error::malformed(start, "pdf: no startxref"))?;
    let mut lx = Lexer::new(&tail, at + 9);
    let off = lx.uint().ok_or_else(|| Error::malformed(start + at as u64, "pdf: bad startxref"))?;
    if off >= len {
        return Err(Error::malformed(start + at as u64, format!("pdf: startxref {off} beyond end of file")));
    }
    Ok(off)
}

impl Doc {
    /// Follows the xref chain from `start`, newest section first.
    pub fn open(cx: &mut Ctx, start: u64) -> Result<Doc> {
        let mut doc = Doc {
            sections: Vec::new(),
            trailers: Vec::new(),
            objstm: Vec::new(),
            crypt: None,
            rescanned: false,
        };
        let mut next = Some(start);
        let mut seen = Vec::new();
        while let Some(off) = next.take() {
            if seen.contains(&off) {
                cx.warn(off, "pdf: /Prev loop in the xref chain");
                break;
            }
            if seen.len() >= MAX_SECTIONS {
                cx.warn(off, "pdf: too many xref sections");
                break;
            }
            seen.push(off);
            let trailer = match doc.read_section(cx, off) {
                Ok(t) => t,
                Err(e) if doc.sections.is_empty() => return Err(e),
                Err(e) => {
                    cx.warn_error(&e);
                    break;
                }
            };
            // Hybrid files: the table's trailer points to an xref stream too.
            if let Some(x) = trailer.get("XRefStm").and_then(Obj::as_int) {
                if let Ok(x) = u64::try_from(x) {
                    if let Err(e) = doc.read_section(cx, x) {
                        cx.warn_error(&e);
                    }
                }
            }
            next = trailer.get("Prev").and_then(Obj::as_int).and_then(|p| u64::try_from(p).ok());
            doc.trailers.push(trailer);
        }
        Ok(doc)
    }

    /// Reads the section at `off` and returns its trailer (also pushed for streams).
    fn read_section(&mut self, cx: &mut Ctx, off: u64) -> Result<Obj> {
        let head = cx.read_up_to(off, 4096)?;
        let mut lx = Lexer::new(&head, 0);
        if lx.keyword(b"xref") {
            self.read_table(cx, off + lx.pos as u64)
        } else {
            let (_, _, dict, data) = read_indirect(cx, off)?;
            let data =
                data.ok_or_else(|| Error::malformed(off, "pdf: xref is neither a table nor a stream"))?;
            let bytes = self.stream_data(cx, &dict, data, 0)?;
            let max = max_entries(cx);
            let (map, full) = parse_xref_stream(&dict, &bytes, max)
                .ok_or_else(|| Error::malformed(off, "pdf: bad xref stream"))?;
            if full {
                cx.warn(
                    off,
                    format!("pdf: xref stream of more than {max} entries (max_alloc); the rest ignored"),
                );
            }
            self.sections.push(Section::Map(map));
            Ok(dict)
        }
    }

    fn read_table(&mut self, cx: &mut Ctx, mut pos: u64) -> Result<Obj> {
        let mut subs = Vec::new();
        loop {
            let buf = cx.read_up_to(pos, 4096)?;
            let caps = caps(cx);
            let mut lx = Lexer::capped(&buf, 0, caps);
            if lx.keyword(b"trailer") {
                let t = lx.object(0).ok();
                let t = match t {
                    Some(t @ Obj::Dict(_)) => t,
                    _ => {
                        let most = (cx.opts.limits.max_alloc as u64).min(1 << 20);
                        let big = cx.read_up_to(pos, most)?;
                        let mut lx = Lexer::capped(&big, 0, caps);
                        lx.keyword(b"trailer");
                        lx.object(0).map_err(|_| Error::malformed(pos, "pdf: bad trailer"))?
                    }
                };
                self.sections.push(Section::Table(subs));
                return Ok(t);
            }
            let (Some(start), Some(count)) = (lx.uint(), lx.uint()) else {
                return Err(Error::malformed(pos, "pdf: bad xref subsection header"));
            };
            lx.skip_ws();
            let first = buf.get(lx.pos..).unwrap_or_default();
            // An entry is 18 characters and a 1- or 2-byte end of line.
            let eol = first.iter().skip(18).take(2).take_while(|c| matches!(c, b' ' | b'\r' | b'\n')).count();
            let entry_len = if count == 0 { 20 } else { 18 + eol.max(1) as u64 };
            let entries = pos + lx.pos as u64;
            let size = count
                .checked_mul(entry_len)
                .filter(|s| entries.checked_add(*s).is_some_and(|e| e <= cx.len()));
            let Some(size) = size else {
                return Err(Error::malformed(pos, "pdf: xref subsection runs past the end of the file"));
            };
            subs.push(Sub { start, count, pos: entries, entry_len });
            if subs.len() > MAX_SUBSECTIONS {
                return Err(Error::malformed(pos, "pdf: too many xref subsections"));
            }
            pos = entries + size;
        }
    }

    /// Where object `num` lives, newest section first. A free entry does not hide an older
    /// one (hybrid files mark compressed objects free in their table).
    pub fn locate(&mut self, cx: &mut Ctx, num: u32) -> Option<Loc> {
        let n = u64::from(num);
        for s in &self.sections {
            match s {
                Section::Map(m) => match m.get(&num) {
                    Some(Loc::Free) | None => {}
                    Some(l) => return Some(*l),
                },
                Section::Table(subs) => {
                    for sub in subs {
                        if n >= sub.start && n - sub.start < sub.count {
                            let at = sub.pos + (n - sub.start) * sub.entry_len;
                            let e = cx.read(at, 18).ok()?;
                            let mut lx = Lexer::new(&e, 0);
                            let off = lx.uint()?;
                            lx.uint()?;
                            if lx.token() == b"n" {
                                return Some(Loc::At(off));
                            }
                        }
                    }
                }
            }
        }
        None
    }

    /// Reads object `num`; for a stream, also where its data is.
    pub fn object(&mut self, cx: &mut Ctx, num: u32, depth: u32) -> Option<(Obj, Option<StreamAt>)> {
        cx.check_depth(depth, 0).ok()?;
        match self.locate(cx, num)? {
            Loc::Free => None,
            Loc::At(off) => match read_indirect(cx, off) {
                Ok((n, generation, mut o, s)) if n == num => {
                    if let Some(c) = &self.crypt {
                        c.decrypt_strings(num, generation, &mut o, 0);
                    }
                    Some((o, s))
                }
                // The object is there but over a limit: a rescan would find the same.
                Err(e) if e.kind() == ErrorKind::LimitExceeded => {
                    cx.warn_error(&e);
                    None
                }
                Ok(_) | Err(_) => {
                    cx.warn(off, format!("pdf: object {num} not found at its xref offset"));
                    if self.rescanned {
                        return None;
                    }
                    self.rescanned = true;
                    let (map, _, _) = super::rebuild::scan_map(cx).ok()?;
                    self.sections.insert(0, Section::Map(map));
                    self.object(cx, num, depth + 1)
                }
            },
            Loc::InStream(stm, idx) => self.in_objstm(cx, stm, idx, num, depth).map(|o| (o, None)),
        }
    }

    fn in_objstm(&mut self, cx: &mut Ctx, stm: u32, idx: u32, num: u32, depth: u32) -> Option<Obj> {
        if !self.objstm.iter().any(|o| o.num == stm) {
            let (dict, data) = self.object(cx, stm, depth + 1)?;
            let first = dict.get("First").and_then(Obj::as_int).and_then(|f| usize::try_from(f).ok())?;
            let n = dict.get("N").and_then(Obj::as_int).and_then(|n| u64::try_from(n).ok())?;
            let data = self.stream_data(cx, &dict, data?, depth + 1).ok()?.into_owned();
            self.objstm.push(ObjStm { num: stm, first, n, data });
            // The newest stays; older ones go past the count or `max_alloc` bytes in all.
            let max_alloc = cx.opts.limits.max_alloc;
            while self.objstm.len() > 1
                && (self.objstm.len() > MAX_OBJSTM_CACHE
                    || self.objstm.iter().map(|o| o.data.len()).sum::<usize>() > max_alloc)
            {
                self.objstm.remove(0);
            }
        }
        let caps = caps(cx);
        let o = self.objstm.iter().find(|o| o.num == stm)?;
        let mut lx = Lexer::capped(&o.data, 0, caps);
        let mut found = None;
        for i in 0..o.n.min(1_000_000) {
            let (Some(onum), Some(off)) = (lx.uint(), lx.uint()) else { break };
            if onum == u64::from(num) && (i == u64::from(idx) || found.is_none()) {
                found = Some(off);
                if i == u64::from(idx) {
                    break;
                }
            }
        }
        let at = o.first.checked_add(usize::try_from(found?).ok()?)?;
        let mut lx = Lexer::capped(&o.data, at, caps);
        let obj = lx.object(0).ok()?;
        if lx.dropped_items() {
            warn_dropped(cx, None, num, caps);
        }
        Some(obj)
    }

    /// Reads, decrypts and decodes a stream's data (Length may be an indirect reference).
    /// Borrows the data when the input is in memory and the stream is neither encrypted
    /// nor filtered. Inflation stops at `max_alloc` (and `max_decompressed`), with a
    /// warning naming the limit.
    pub fn stream_data<'a>(
        &mut self,
        cx: &mut Ctx<'a>,
        dict: &Obj,
        s: StreamAt,
        depth: u32,
    ) -> Result<Cow<'a, [u8]>> {
        let at = s.at;
        let len = match dict.get("Length") {
            Some(Obj::Ref(n, _)) => {
                let n = *n;
                self.object(cx, n, depth + 1).and_then(|(o, _)| o.as_int())
            }
            Some(o) => o.as_int(),
            None => None,
        };
        let len = len
            .and_then(|l| u64::try_from(l).ok())
            .ok_or_else(|| Error::malformed(at, "pdf: stream without a usable /Length"))?;
        let len = len.min(cx.len().saturating_sub(at));
        let mut raw = cx.read_cow(at.min(cx.len()), len)?;
        if let Some(c) = &self.crypt {
            if !dict.get("Type").is_some_and(|t| t.is_name("XRef")) {
                raw = Cow::Owned(c.decrypt(s.num, s.generation, &raw));
            }
        }
        let what = format!("pdf: stream of object {}", s.num);
        filter::decode(cx, dict, raw, at, usize::MAX, &what)
            .ok_or_else(|| Error::malformed(at, "pdf: undecodable stream"))
    }

    /// Where object `num` (or the object stream holding it) starts in the file.
    pub fn file_offset(&mut self, cx: &mut Ctx, num: u32) -> Option<u64> {
        match self.locate(cx, num)? {
            Loc::At(off) => Some(off),
            Loc::InStream(stm, _) => match self.locate(cx, stm)? {
                Loc::At(off) => Some(off),
                _ => None,
            },
            Loc::Free => None,
        }
    }

    /// Resolves references (bounded).
    pub fn resolve(&mut self, cx: &mut Ctx, o: &Obj) -> Option<Obj> {
        let mut cur = o.clone();
        for depth in 0..8 {
            match cur {
                Obj::Ref(n, _) => cur = self.object(cx, n, depth)?.0,
                other => return Some(other),
            }
        }
        None
    }

    /// Rebuilds an xref by scanning a broken file for `n g obj`, with the last `trailer`
    /// dictionary, or a synthesized one pointing at the catalog.
    pub fn scan(cx: &mut Ctx) -> Result<Doc> {
        let (map, trailer, objstms) = super::rebuild::scan_map(cx)?;
        let mut doc = Doc {
            sections: vec![Section::Map(map)],
            trailers: Vec::new(),
            objstm: Vec::new(),
            crypt: None,
            rescanned: true,
        };
        let mut catalog = None;
        for stm in objstms {
            doc.index_objstm(cx, stm, trailer.is_none() && catalog.is_none(), &mut catalog);
        }
        let trailer = trailer
            .or_else(|| catalog.map(|r| Obj::Dict(vec![(b"Root".to_vec(), Obj::Ref(r, 0))])))
            .ok_or_else(|| Error::malformed(0, "pdf: no xref, trailer or catalog found"))?;
        doc.trailers.push(trailer);
        Ok(doc)
    }

    /// Enters the objects of object stream `stm` in the rebuilt map (objects found at the
    /// top level keep their place); when `find_catalog`, notes the catalog among them.
    fn index_objstm(&mut self, cx: &mut Ctx, stm: u32, find_catalog: bool, catalog: &mut Option<u32>) {
        let Some((dict, Some(at))) = self.object(cx, stm, 0) else { return };
        let first = dict.get("First").and_then(Obj::as_int).and_then(|f| usize::try_from(f).ok());
        let n = dict.get("N").and_then(Obj::as_int).and_then(|n| u64::try_from(n).ok());
        let (Some(first), Some(n)) = (first, n) else { return };
        let data = match self.stream_data(cx, &dict, at, 1) {
            Ok(d) => d.into_owned(),
            Err(e) => {
                cx.warn_error(&e);
                return;
            }
        };
        let caps = caps(cx);
        let max = max_entries(cx);
        let mut lx = Lexer::capped(&data, 0, caps);
        let mut found = Vec::new();
        for i in 0..n.min(max as u64) {
            let (Some(onum), Some(off)) = (lx.uint(), lx.uint()) else { break };
            let (Ok(onum), Ok(i)) = (u32::try_from(onum), u32::try_from(i)) else { break };
            found.push((onum, i, off));
        }
        let Some(Section::Map(map)) = self.sections.first_mut() else { return };
        for (onum, i, off) in found {
            if map.len() >= max {
                break;
            }
            map.entry(onum).or_insert(Loc::InStream(stm, i));
            if find_catalog && catalog.is_none() {
                let at = usize::try_from(off).ok().and_then(|o| first.checked_add(o));
                let obj = at.and_then(|at| Lexer::capped(&data, at, caps).object(0).ok());
                if obj.is_some_and(|o| o.get("Type").is_some_and(|t| t.is_name("Catalog"))) {
                    *catalog = Some(onum);
                }
            }
        }
    }
}

/// Decodes the entries of an xref stream (`/W`, `/Index`, `/Size`), at most `max` of
/// them; with whether the stream had more.
fn parse_xref_stream(dict: &Obj, data: &[u8], max: usize) -> Option<(HashMap<u32, Loc>, bool)> {
    let w: Vec<usize> = match dict.get("W")? {
        Obj::Array(a) => a
            .iter()
            .map(|x| x.as_int().and_then(|v| usize::try_from(v).ok()).filter(|v| *v <= 8))
            .collect::<Option<_>>()?,
        _ => return None,
    };
    let [w0, w1, w2] = w[..] else { return None };
    let row = w0 + w1 + w2;
    if row == 0 {
        return None;
    }
    let index: Vec<u64> = match dict.get("Index") {
        Some(Obj::Array(a)) => {
            a.iter().filter_map(|x| x.as_int().and_then(|v| u64::try_from(v).ok())).collect()
        }
        _ => vec![0, dict.get("Size").and_then(Obj::as_int).and_then(|v| u64::try_from(v).ok())?],
    };
    let field = |b: &[u8]| b.iter().fold(0u64, |acc, &x| acc << 8 | u64::from(x));
    let mut map = HashMap::new();
    let mut rows = data.chunks_exact(row);
    for pair in index.chunks_exact(2) {
        let &[start, count] = pair else { continue };
        for k in 0..count {
            let Some(r) = rows.next() else { return Some((map, false)) };
            if map.len() >= max {
                return Some((map, true));
            }
            // A row is exactly the three fields: the splits cannot fail.
            let (type_field, rest) = r.split_at_checked(w0)?;
            let (a, b) = rest.split_at_checked(w1)?;
            let t = if w0 == 0 { 1 } else { field(type_field) };
            let (a, b) = (field(a), field(b));
            let Ok(num) = u32::try_from(start + k) else { return Some((map, false)) };
            let loc = match t {
                0 => Loc::Free,
                1 => Loc::At(a),
                2 => Loc::InStream(u32::try_from(a).ok()?, u32::try_from(b).unwrap_or(0)),
                _ => continue,
            };
            map.entry(num).or_insert(loc);
        }
    }
    Some((map, false))
}

#[cfg(test)]
#[path = "xref_tests.rs"]
mod tests;

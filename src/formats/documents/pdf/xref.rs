//! Cross-reference sections (tables and streams), the trailer chain, and object lookup
//! (direct and inside object streams). Reads only the entries and objects asked for.

use super::crypt::Decryptor;
use super::filter;
use super::lexer::{LexError, Lexer, Obj, indirect};
use crate::context::Ctx;
use crate::error::{Error, Result};
use std::collections::HashMap;

/// Most xref sections followed through `/Prev`.
const MAX_SECTIONS: usize = 64;
/// Most subsections in one xref table.
const MAX_SUBSECTIONS: usize = 10_000;
/// Most entries kept from one xref stream.
const MAX_STREAM_ENTRIES: usize = 1_000_000;
/// Largest decoded stream (xref streams, object streams, XMP).
pub(crate) const MAX_STREAM: usize = 16 << 20;
/// Largest buffer an indirect object is parsed from.
const MAX_OBJECT: u64 = 16 << 20;
/// Most object streams kept decoded.
const MAX_OBJSTM_CACHE: usize = 8;
/// Largest file scanned for `obj` keywords when the xref is broken.
const MAX_SCAN: u64 = 32 << 20;

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

/// A PDF document being read.
pub(crate) struct Doc {
    sections: Vec<Section>,
    /// Trailer dictionaries, newest first.
    pub trailers: Vec<Obj>,
    objstm: Vec<(u32, Vec<u8>)>,
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

/// Reads an indirect object at `off`, growing the buffer when it is cut.
fn read_indirect(cx: &mut Ctx, off: u64) -> Result<(u32, u16, Obj, Option<StreamAt>)> {
    let mut size = 4096u64;
    loop {
        let buf = cx.read_up_to(off, size)?;
        match indirect(&buf, 0) {
            Ok((num, generation, o, s)) => {
                return Ok((num, generation, o, s.map(|s| StreamAt { at: off + s as u64, num, generation })));
            }
            Err(LexError::Eof) if (buf.len() as u64) == size && size < MAX_OBJECT => size *= 16,
            Err(_) => return Err(Error::malformed(off, "pdf: bad indirect object")),
        }
    }
}

/// Finds the offset after the last `startxref` in the file's tail.
pub(crate) fn startxref(cx: &mut Ctx) -> Result<u64> {
    let len = cx.len();
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
            let map = parse_xref_stream(&dict, &bytes)
                .ok_or_else(|| Error::malformed(off, "pdf: bad xref stream"))?;
            self.sections.push(Section::Map(map));
            Ok(dict)
        }
    }

    fn read_table(&mut self, cx: &mut Ctx, mut pos: u64) -> Result<Obj> {
        let mut subs = Vec::new();
        loop {
            let buf = cx.read_up_to(pos, 4096)?;
            let mut lx = Lexer::new(&buf, 0);
            if lx.keyword(b"trailer") {
                let t = lx.object(0).ok();
                let t = match t {
                    Some(t @ Obj::Dict(_)) => t,
                    _ => {
                        let big = cx.read_up_to(pos, 1 << 20)?;
                        let mut lx = Lexer::new(&big, 0);
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
                Ok(_) | Err(_) => {
                    cx.warn(off, format!("pdf: object {num} not found at its xref offset"));
                    if self.rescanned {
                        return None;
                    }
                    self.rescanned = true;
                    let (map, _) = scan_map(cx).ok()?;
                    self.sections.insert(0, Section::Map(map));
                    self.object(cx, num, depth + 1)
                }
            },
            Loc::InStream(stm, idx) => self.in_objstm(cx, stm, idx, num, depth).map(|o| (o, None)),
        }
    }

    fn in_objstm(&mut self, cx: &mut Ctx, stm: u32, idx: u32, num: u32, depth: u32) -> Option<Obj> {
        if !self.objstm.iter().any(|(n, _)| *n == stm) {
            let (dict, data) = self.object(cx, stm, depth + 1)?;
            let bytes = self.stream_data(cx, &dict, data?, depth + 1).ok()?;
            if self.objstm.len() >= MAX_OBJSTM_CACHE {
                self.objstm.remove(0);
            }
            self.objstm.push((stm, bytes));
            let first = dict.get("First").and_then(Obj::as_int)?;
            let n = dict.get("N").and_then(Obj::as_int)?;
            // Keep the header values with the data: prefix them.
            let (_, b) = self.objstm.last_mut()?;
            let mut head = format!("{first} {n} ").into_bytes();
            head.append(b);
            *b = head;
        }
        let (_, bytes) = self.objstm.iter().find(|(n, _)| *n == stm)?;
        let mut lx = Lexer::new(bytes, 0);
        let first = usize::try_from(lx.uint()?).ok()?;
        let n = lx.uint()?;
        let base = lx.pos;
        let mut found = None;
        for i in 0..n.min(1_000_000) {
            let (Some(onum), Some(off)) = (lx.uint(), lx.uint()) else { break };
            if onum == u64::from(num) && (i == u64::from(idx) || found.is_none()) {
                found = Some(off);
                if i == u64::from(idx) {
                    break;
                }
            }
        }
        let at = base.checked_add(first)?.checked_add(usize::try_from(found?).ok()?)?;
        Lexer::new(bytes, at).object(0).ok()
    }

    /// Reads, decrypts and decodes a stream's data (Length may be an indirect reference).
    pub fn stream_data(&mut self, cx: &mut Ctx, dict: &Obj, s: StreamAt, depth: u32) -> Result<Vec<u8>> {
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
            .filter(|l| *l <= MAX_STREAM as u64)
            .ok_or_else(|| Error::malformed(at, "pdf: stream without a usable /Length"))?;
        let len = len.min(cx.len().saturating_sub(at));
        let mut raw = cx.read(at, len)?;
        if let Some(c) = &self.crypt {
            if !dict.get("Type").is_some_and(|t| t.is_name("XRef")) {
                raw = c.decrypt(s.num, s.generation, &raw);
            }
        }
        filter::decode(dict, raw, MAX_STREAM).ok_or_else(|| Error::malformed(at, "pdf: undecodable stream"))
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

    /// Rebuilds an xref by scanning a (bounded) broken file for `n g obj`, with the last
    /// `trailer` dictionary, or a synthesized one pointing at the catalog.
    pub fn scan(cx: &mut Ctx) -> Result<Doc> {
        let (map, trailer) = scan_map(cx)?;
        let trailer = trailer.ok_or_else(|| Error::malformed(0, "pdf: no xref, trailer or catalog found"))?;
        Ok(Doc {
            sections: vec![Section::Map(map)],
            trailers: vec![trailer],
            objstm: Vec::new(),
            crypt: None,
            rescanned: true,
        })
    }
}

/// Finds every `n g obj` of a (bounded) file; returns their offsets and the last `trailer`
/// dictionary, or one synthesized from the catalog.
fn scan_map(cx: &mut Ctx) -> Result<(HashMap<u32, Loc>, Option<Obj>)> {
    if cx.len() > MAX_SCAN {
        return Err(Error::malformed(0, "pdf: broken xref and file too large to scan"));
    }
    let all = cx.read(0, cx.len())?;
    let mut map = HashMap::new();
    let mut root = None;
    let mut trailer = None;
    let mut i = 0usize;
    while let Some(p) = all.get(i..).and_then(|s| s.windows(3).position(|w| w == b"obj")) {
        let kw = i + p;
        i = kw + 3;
        // Walk back over "n g ".
        let mut s = kw;
        let mut fields = 0;
        while fields < 2 {
            while s > 0 && all.get(s - 1).is_some_and(|c| *c == b' ' || *c == b'\r' || *c == b'\n') {
                s -= 1;
            }
            let end = s;
            while s > 0 && all.get(s - 1).is_some_and(u8::is_ascii_digit) {
                s -= 1;
            }
            if s == end {
                break;
            }
            fields += 1;
        }
        if fields < 2 {
            continue;
        }
        if let Ok((n, _, o, _)) = indirect(&all, s) {
            map.insert(n, Loc::At(s as u64));
            if o.get("Type").is_some_and(|t| t.is_name("Catalog")) {
                root = Some(n);
            }
        }
    }
    if let Some(t) = all.windows(7).rposition(|w| w == b"trailer") {
        let mut lx = Lexer::new(&all, t + 7);
        trailer = lx.object(0).ok().filter(|o| matches!(o, Obj::Dict(_)));
    }
    let trailer = trailer.or_else(|| root.map(|r| Obj::Dict(vec![(b"Root".to_vec(), Obj::Ref(r, 0))])));
    Ok((map, trailer))
}

/// Decodes the entries of an xref stream (`/W`, `/Index`, `/Size`).
fn parse_xref_stream(dict: &Obj, data: &[u8]) -> Option<HashMap<u32, Loc>> {
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
            let Some(r) = rows.next() else { return Some(map) };
            if map.len() >= MAX_STREAM_ENTRIES {
                return Some(map);
            }
            // A row is exactly the three fields: the splits cannot fail.
            let (type_field, rest) = r.split_at_checked(w0)?;
            let (a, b) = rest.split_at_checked(w1)?;
            let t = if w0 == 0 { 1 } else { field(type_field) };
            let (a, b) = (field(a), field(b));
            let Ok(num) = u32::try_from(start + k) else { return Some(map) };
            let loc = match t {
                0 => Loc::Free,
                1 => Loc::At(a),
                2 => Loc::InStream(u32::try_from(a).ok()?, u32::try_from(b).unwrap_or(0)),
                _ => continue,
            };
            map.entry(num).or_insert(loc);
        }
    }
    Some(map)
}

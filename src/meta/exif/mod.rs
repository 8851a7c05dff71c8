//! EXIF: TIFF-structured IFDs (IFD0, ExifIFD, GPS, InteropIFD, IFD1, SubIFDs).
//!
//! One IFD walker serves both EXIF blocks held in memory (JPEG APP1, PNG `eXIf`, WebP
//! `EXIF`, HEIF `Exif` items) and TIFF files and TIFF-based raws read by offset through
//! [`Ctx::read`]: a raw costs its IFDs and values, never its image data.

mod convert;
mod makernotes;
mod tags;
mod values;

use crate::base::bytes::Endian;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::meta::nested::{self, Payload};
use crate::model::{BinaryRef, IntoName, Tag, Text, Value};
use convert::convert;
use std::borrow::Cow;
use tags::Conv;
use values::{Field, Num, type_size, u16_at, u32_at, u64_at};

/// Most IFDs visited in one TIFF structure (all kinds together).
const MAX_IFDS: usize = 64;
/// Most entries one IFD may declare.
const MAX_ENTRIES: u64 = 4096;
/// Longest IFD0/IFD1/... chain followed.
const MAX_CHAIN: u8 = 16;
/// Values larger than this are kept as binary references rather than decoded.
const MAX_DECODED: u64 = 1 << 20;

/// What kind of file holds the TIFF structure; a few tags are named after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// EXIF block embedded in another container (JPEG, PNG, WebP, HEIF).
    Embedded,
    /// A TIFF image.
    Tiff,
    /// A TIFF-based camera raw (CR2, NEF, DNG, ARW, ...).
    Raw,
    /// A Panasonic RW2 (`IIU` header, Panasonic tags in IFD0).
    Panasonic,
}

/// What a TIFF-structured file told its container, beyond the tags it emitted.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Embedded JPEG images worth reading for their own metadata (file offset, length).
    pub jpegs: Vec<(u64, u64)>,
}

/// Parses an EXIF/TIFF block held in memory (JPEG APP1 after `Exif\0\0`, PNG `eXIf`,
/// WebP `EXIF`, HEIF `Exif` item). `file_offset` is where `data` starts in the file, so
/// binary values are referenced by file position.
pub(crate) fn parse_block(cx: &mut Ctx, data: &[u8], file_offset: u64) -> Result<()> {
    let head = Header::parse(data).ok_or_else(|| Error::malformed(file_offset, "EXIF: no TIFF header"))?;
    let mut w = Walker::new(Src::Mem(data), file_offset, data.len() as u64, head, Flavor::Embedded);
    w.run(cx)
}

/// Parses a TIFF structure stored in the file at `base` (a TIFF or raw file, or a TIFF
/// block inside another container), reading IFDs and values by offset.
pub(crate) fn parse_file(cx: &mut Ctx, base: u64, flavor: Flavor) -> Result<Found> {
    let head = cx.read_up_to(base, 16)?;
    let head = Header::parse(&head).ok_or_else(|| Error::malformed(base, "no TIFF header"))?;
    let len = cx.len().saturating_sub(base);
    let mut w = Walker::new(Src::File, base, len, head, flavor);
    w.run(cx)?;
    Ok(w.found)
}

/// The 8- or 16-byte TIFF header.
#[derive(Debug, Clone, Copy)]
struct Header {
    le: bool,
    big: bool,
    first: u64,
}

impl Header {
    fn parse(d: &[u8]) -> Option<Header> {
        let le = match d.get(..2)? {
            b"II" => true,
            b"MM" => false,
            _ => return None,
        };
        match u16_at(d, 2, le) {
            43 if d.len() >= 16 && u16_at(d, 4, le) == 8 => {
                Some(Header { le, big: true, first: u64_at(d, 8, le) })
            }
            42 | 0x55 | 0x4F52 | 0x5352 if d.len() >= 8 => {
                Some(Header { le, big: false, first: u64::from(u32_at(d, 4, le)) })
            }
            _ => None,
        }
    }
}

/// Where the bytes of the TIFF structure come from.
#[derive(Debug, Clone, Copy)]
enum Src<'d> {
    /// The whole block is in memory.
    Mem(&'d [u8]),
    /// Read by offset through the context (cached).
    File,
}

/// The kind of an IFD; it picks the tag table and the family-1 group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ifd(u8),
    Exif,
    Gps,
    Interop,
    Sub(u8),
}

impl Kind {
    fn name(self) -> Cow<'static, str> {
        const IFD: [&str; 8] = ["IFD0", "IFD1", "IFD2", "IFD3", "IFD4", "IFD5", "IFD6", "IFD7"];
        const SUB: [&str; 8] =
            ["SubIFD", "SubIFD1", "SubIFD2", "SubIFD3", "SubIFD4", "SubIFD5", "SubIFD6", "SubIFD7"];
        match self {
            Kind::Ifd(n) => {
                IFD.get(n as usize).map_or_else(|| Cow::Owned(format!("IFD{n}")), |s| Cow::Borrowed(*s))
            }
            Kind::Sub(n) => {
                SUB.get(n as usize).map_or_else(|| Cow::Owned(format!("SubIFD{n}")), |s| Cow::Borrowed(*s))
            }
            Kind::Exif => Cow::Borrowed("ExifIFD"),
            Kind::Gps => Cow::Borrowed("GPS"),
            Kind::Interop => Cow::Borrowed("InteropIFD"),
        }
    }
}

/// An image referenced by an offset tag and a length tag in one IFD.
#[derive(Debug, Default, Clone, Copy)]
struct ImageRef {
    start: Option<u64>,
    length: Option<u64>,
    name: &'static str,
}

/// One IFD entry, decoded from its 12 (TIFF) or 20 (BigTIFF) bytes.
#[derive(Debug, Clone, Copy)]
struct Entry {
    tag: u16,
    typ: u16,
    count: u64,
    /// The value field read as an offset (meaningful when the value does not fit in it).
    pointer: u64,
    /// The value field's leading SHORT (SHORT entries) or LONG (others), for the pre-scan
    /// of SubfileType and Compression.
    small: u64,
}

impl Entry {
    /// Decodes a 12-byte (TIFF) or 20-byte (BigTIFF) entry.
    #[inline]
    fn parse(raw: &[u8], le: bool) -> Option<Entry> {
        if let Ok(raw) = <&[u8; 12]>::try_from(raw) {
            return Some(Entry::tiff(raw, le));
        }
        if raw.len() != 20 {
            return None;
        }
        let tag = u16_at(raw, 0, le);
        let typ = u16_at(raw, 2, le);
        let (count, pointer) = (u64_at(raw, 4, le), u64_at(raw, 12, le));
        let small = if typ == 3 { u64::from(u16_at(raw, 12, le)) } else { u64::from(u32_at(raw, 12, le)) };
        Some(Entry { tag, typ, count, pointer, small })
    }

    /// Decodes a 12-byte (TIFF) entry: its fields at fixed places of one array.
    #[inline(always)]
    fn tiff(raw: &[u8; 12], le: bool) -> Entry {
        let order = Endian::little_if(le);
        let [t0, t1, y0, y1, c0, c1, c2, c3, v0, v1, v2, v3] = *raw;
        let typ = order.u16_from([y0, y1]);
        let pointer = order.u32_from([v0, v1, v2, v3]);
        Entry {
            tag: order.u16_from([t0, t1]),
            typ,
            count: u64::from(order.u32_from([c0, c1, c2, c3])),
            pointer: u64::from(pointer),
            small: if typ == 3 { u64::from(order.u16_from([v0, v1])) } else { u64::from(pointer) },
        }
    }
}

/// What the entries of one IFD share, and what they gather.
struct Ifd {
    kind: Kind,
    /// Offset of the IFD from the TIFF header, and in the file.
    off: u64,
    at: u64,
    depth: u32,
    /// Family-1 group of its tags.
    group: Cow<'static, str>,
    priority: i8,
    /// SubfileType and Compression, when the IFD has them (read only in SubIFDs and a
    /// raw's IFD0, where they matter).
    subfile: Option<u64>,
    compression: Option<u64>,
    /// Tag names: the GPS table in GPS IFDs, else the main one.
    names: tags::Finder,
    /// The embedded image its offset and length tags describe.
    image: ImageRef,
    /// Whether its ordinary entries may take [`Walker::plain_entry`]: tags named by
    /// `names` alone (not InteropIFD, nor a Panasonic IFD0).
    plain: bool,
}

impl Ifd {
    /// The family-1 group for one more tag: nearly always a static name, shared without
    /// a call to `clone` (`Cow::clone` here is not inlined: 1.5k more instructions on
    /// canon_full.jpg).
    #[inline(always)]
    fn subgroup(&self) -> Cow<'static, str> {
        match &self.group {
            Cow::Borrowed(s) => Cow::Borrowed(s),
            Cow::Owned(s) => Cow::Owned(s.clone()),
        }
    }
}

struct Walker<'d> {
    src: Src<'d>,
    base: u64,
    len: u64,
    le: bool,
    big: bool,
    first: u64,
    flavor: Flavor,
    /// Offsets of the IFDs read so far (the first `seen_len` entries).
    seen: [u64; MAX_IFDS],
    seen_len: usize,
    found: Found,
    /// Whether ordinary entries take [`Walker::plain_entry`] (tests turn it off to compare
    /// with the general route).
    fast: bool,
}

impl<'d> Walker<'d> {
    fn new(src: Src<'d>, base: u64, len: u64, h: Header, flavor: Flavor) -> Self {
        Walker {
            src,
            base,
            len,
            le: h.le,
            big: h.big,
            first: h.first,
            flavor,
            seen: [0; MAX_IFDS],
            seen_len: 0,
            found: Found::default(),
            fast: true,
        }
    }

    /// `len` bytes at `off` (relative to the TIFF header).
    fn get(&self, cx: &mut Ctx, off: u64, len: u64) -> Result<Cow<'d, [u8]>> {
        let end = off.checked_add(len).filter(|e| *e <= self.len);
        let Some(end) = end else {
            return Err(Error::malformed(self.base.saturating_add(off), "EXIF: offset out of range"));
        };
        match self.src {
            Src::Mem(d) => {
                let s =
                    usize::try_from(off).ok().zip(usize::try_from(end).ok()).and_then(|(a, b)| d.get(a..b));
                s.map(Cow::Borrowed).ok_or_else(|| Error::malformed(self.base, "EXIF: offset out of range"))
            }
            Src::File => cx.read(self.base.saturating_add(off), len).map(Cow::Owned),
        }
    }

    fn run(&mut self, cx: &mut Ctx) -> Result<()> {
        cx.add("File", "ExifByteOrder", if self.le { "II" } else { "MM" });
        let mut off = self.first;
        let mut n = 0u8;
        while off != 0 {
            if n >= MAX_CHAIN {
                cx.warn(self.base.saturating_add(off), "EXIF: IFD chain too long; rest ignored");
                break;
            }
            match self.ifd(cx, Kind::Ifd(n), off, 0) {
                Ok(next) => off = next,
                Err(e) if n == 0 => return Err(e),
                Err(e) => {
                    cx.warn_error(&e);
                    break;
                }
            }
            n += 1;
        }
        Ok(())
    }

    /// Reads one IFD and its sub-IFDs; returns the offset of the next IFD in the chain.
    fn ifd(&mut self, cx: &mut Ctx, kind: Kind, off: u64, depth: u32) -> Result<u64> {
        let at = self.base.saturating_add(off);
        cx.check_depth(depth, at)?;
        if self.seen.get(..self.seen_len).unwrap_or_default().contains(&off) {
            cx.warn(at, format!("EXIF: {} loops back to an IFD already read", kind.name()));
            return Ok(0);
        }
        let Some(slot) = self.seen.get_mut(self.seen_len) else {
            cx.warn(at, "EXIF: too many IFDs; rest ignored");
            return Ok(0);
        };
        *slot = off;
        self.seen_len += 1;
        let (cnt_size, esize, ptr) = if self.big { (8u64, 20u64, 8u64) } else { (2, 12, 4) };
        let head = self.get(cx, off, cnt_size)?;
        let declared =
            if self.big { u64_at(&head, 0, self.le) } else { u64::from(u16_at(&head, 0, self.le)) };
        if declared > MAX_ENTRIES {
            return Err(Error::malformed(at, format!("EXIF: {} declares {declared} entries", kind.name())));
        }
        let room = self.len.saturating_sub(off + cnt_size) / esize;
        let count = if declared > room {
            cx.warn(
                at,
                format!("EXIF: {} truncated ({declared} entries declared, {room} present)", kind.name()),
            );
            room
        } else {
            declared
        };
        let table_len = cnt_size + count * esize;
        let with_next = off + table_len + ptr <= self.len && count == declared;
        let buf = self.get(cx, off, table_len + if with_next { ptr } else { 0 })?;
        let next = if with_next {
            let p = (table_len) as usize;
            if self.big { u64_at(&buf, p, self.le) } else { u64::from(u32_at(&buf, p, self.le)) }
        } else {
            0
        };

        let table = buf.get(cnt_size as usize..table_len as usize).unwrap_or_default();
        let entries = table.chunks_exact(esize as usize);

        // Pre-scan: SubfileType and Compression decide priorities and a few names, in
        // SubIFDs and a raw's IFD0 (elsewhere nothing reads them).
        let mut subfile = None;
        let mut compression = None;
        let prescan = matches!(kind, Kind::Sub(_)) || (kind == Kind::Ifd(0) && self.flavor == Flavor::Raw);
        if prescan {
            for raw in entries.clone() {
                let Some(e) = Entry::parse(raw, self.le) else { continue };
                match e.tag {
                    0x00FE => subfile = Some(e.small),
                    0x0103 => compression = Some(e.small),
                    _ => {}
                }
            }
        }
        let priority: i8 = match kind {
            Kind::Ifd(0) | Kind::Exif | Kind::Gps | Kind::Interop => 0,
            Kind::Ifd(n) => -10 + n.min(9) as i8,
            Kind::Sub(_) if subfile == Some(0) => 1,
            Kind::Sub(_) => -20,
        };
        let mut ifd = Ifd {
            kind,
            off,
            at,
            depth,
            group: kind.name(),
            priority,
            subfile,
            compression,
            names: if kind == Kind::Gps { tags::Finder::gps() } else { tags::Finder::main() },
            image: ImageRef::default(),
            plain: kind != Kind::Interop && !(self.flavor == Flavor::Panasonic && kind == Kind::Ifd(0)),
        };
        for (i, raw) in entries.enumerate() {
            let Some(e) = Entry::parse(raw, self.le) else { continue };
            // Where the value field sits in `buf`.
            let vpos = (cnt_size + i as u64 * esize + esize - ptr) as usize;
            if !self.plain_entry(cx, &mut ifd, &buf, e, vpos) {
                self.entry_value(cx, &mut ifd, &buf, e, vpos);
            }
        }
        if let ImageRef { start: Some(s), length: Some(l), name } = ifd.image {
            if l > 0 && s.checked_add(l).is_some_and(|e| e <= self.len) {
                let image = Value::Binary(BinaryRef { offset: self.base + s, length: l });
                self.push(cx, ifd.subgroup(), name, image, priority);
            } else if l > 0 {
                cx.warn(at, format!("EXIF: {name} runs past the end of the data"));
            }
        }
        Ok(next)
    }

    /// An ordinary entry, without the general route's checks: ASCII text or one number
    /// of a known tag with the plain conversion, that is no pointer, payload, PrintIM
    /// block or image part, its bytes inline or in memory and in range. Pushes exactly
    /// the tag [`Walker::entry_value`] would and returns true; returns false, having done
    /// nothing, for any other entry.
    #[inline(always)]
    fn plain_entry(&self, cx: &mut Ctx, ifd: &mut Ifd, buf: &[u8], e: Entry, vpos: usize) -> bool {
        let (tag, typ, n) = (e.tag, e.typ, e.count);
        let field = Field { typ, count: n, data: &[], le: self.le };
        if !(self.fast && ifd.plain && (typ == 2 || (n == 1 && field.is_numeric())) && !special(tag)) {
            return false;
        }
        let Some((name, Conv::Plain)) = ifd.names.find_text(tag) else { return false };
        let value = if matches!(typ, 3 | 4) && n == 1 {
            // A single SHORT or LONG is the value field itself.
            Value::Int(e.small as i64)
        } else {
            let data = match self.plain_bytes(cx, buf, e, vpos) {
                None => return false,
                Some(Ok(data)) => data,
                Some(Err(err)) => {
                    // As `decode` does when the read fails: warned, no tag.
                    cx.warn_error(&err);
                    return true;
                }
            };
            match (Field { data: &data, ..field }).generic_common() {
                Some(value) => value,
                None => return false,
            }
        };
        self.push(cx, ifd.subgroup(), name, value, ifd.priority);
        true
    }

    /// The value bytes of an entry for [`Walker::plain_entry`]: inline in `buf` at `vpos`,
    /// else read as `decode` reads them; `None` when out of range or too large to decode
    /// (the general route handles those).
    #[inline(always)]
    fn plain_bytes<'b>(
        &self,
        cx: &mut Ctx,
        buf: &'b [u8],
        e: Entry,
        vpos: usize,
    ) -> Option<Result<Cow<'b, [u8]>>>
    where
        'd: 'b,
    {
        let size = type_size(e.typ)?.checked_mul(e.count).filter(|s| *s <= MAX_DECODED)?;
        if size <= if self.big { 8 } else { 4 } {
            let len = usize::try_from(size).ok()?;
            return buf.get(vpos..vpos.checked_add(len)?).map(|d| Ok(Cow::Borrowed(d)));
        }
        let end = e.pointer.checked_add(size).filter(|end| *end <= self.len)?;
        match self.src {
            Src::Mem(block) => {
                let (start, end) = (usize::try_from(e.pointer).ok()?, usize::try_from(end).ok()?);
                block.get(start..end).map(|d| Ok(Cow::Borrowed(d)))
            }
            Src::File => Some(self.get(cx, e.pointer, size)),
        }
    }

    /// Handles one entry of `ifd`: a sub-IFD pointer, an embedded payload or a tag.
    /// `vpos` is where its value field sits in `buf`, the IFD's bytes.
    fn entry_value(&mut self, cx: &mut Ctx, ifd: &mut Ifd, buf: &[u8], e: Entry, vpos: usize) {
        let (tag, typ, n, kind) = (e.tag, e.typ, e.count, ifd.kind);
        let ptr = if self.big { 8 } else { 4 };
        let Some(size) = type_size(typ).and_then(|s| s.checked_mul(n)) else {
            cx.warn(ifd.at, format!("EXIF: tag 0x{tag:04x} has unknown type {typ}"));
            return;
        };
        let inline = size <= ptr;
        let voff = if inline { ifd.off + vpos as u64 } else { e.pointer };
        if voff.checked_add(size).is_none_or(|e| e > self.len) {
            cx.warn(ifd.at, format!("EXIF: tag 0x{tag:04x} value out of range"));
            return;
        }
        let inline_bytes = || buf.get(vpos..vpos + size as usize).unwrap_or_default();
        // Sub-IFD pointers.
        let sub = match (tag, kind) {
            (0x8769, Kind::Ifd(_) | Kind::Sub(_)) => Some(Kind::Exif),
            (0x8825, Kind::Ifd(_) | Kind::Sub(_) | Kind::Exif) => Some(Kind::Gps),
            (0xA005, Kind::Exif | Kind::Ifd(_)) => Some(Kind::Interop),
            (0x014A, Kind::Ifd(_)) => Some(Kind::Sub(0)),
            _ => None,
        };
        if let Some(sub) = sub {
            let data =
                if inline { Ok(Cow::Borrowed(inline_bytes())) } else { self.get(cx, voff, size.min(8 * 64)) };
            match data {
                Ok(data) => self.sub_ifds(
                    cx,
                    sub,
                    Field { typ, count: n.min(64), data: &data, le: self.le },
                    ifd.depth,
                ),
                Err(e) => cx.warn_error(&e),
            }
            return;
        }
        // PrintIM block: only its version is reported.
        if tag == 0xC4A5 {
            if let Ok(d) = self.get(cx, voff, size.min(16)) {
                if d.starts_with(b"PrintIM\0") && d.len() >= 12 {
                    let v = Text::from_utf8_lossy(d.get(8..12).unwrap_or_default());
                    cx.add("PrintIM", "PrintIMVersion", v);
                }
            }
            return;
        }
        // Embedded payloads.
        if matches!(tag, 0x02BC | 0x83BB | 0x8649 | 0x8773)
            && matches!(kind, Kind::Ifd(_) | Kind::Sub(_) | Kind::Exif)
        {
            self.payload(cx, ifd, tag, voff, size);
            return;
        }
        let panasonic_ifd0 = self.flavor == Flavor::Panasonic && kind == Kind::Ifd(0);
        // Name and conversion.
        let static_text = |(name, conv): (&'static str, Conv)| (Text::from_static(name), conv);
        let entry = match kind {
            Kind::Interop => {
                tags::find(tags::INTEROP, tag).or_else(|| tags::find(tags::MAIN, tag)).map(static_text)
            }
            // RW2 IFD0 reuses only a few standard TIFF codes.
            Kind::Ifd(0) if panasonic_ifd0 => tags::find(tags::PANASONIC, tag)
                .or_else(|| {
                    matches!(tag, 0x010F..=0x0112 | 0x0116 | 0x0117)
                        .then(|| tags::find(tags::MAIN, tag))
                        .flatten()
                })
                .map(static_text),
            _ => ifd.names.find_text(tag),
        };
        // RW2 binary blocks (white balance table, lens distortion).
        if panasonic_ifd0 && matches!(tag, 0x0027 | 0x0119) {
            if let Ok(d) = self.get(cx, voff, size.min(4096)) {
                makernotes::panasonic::raw_block(cx, tag, &d);
            }
            return;
        }
        if panasonic_ifd0 && tag == 0x002E {
            self.found.jpegs.push((self.base + voff, size));
            let jpeg = Value::Binary(BinaryRef { offset: self.base + voff, length: size });
            self.push(cx, ifd.subgroup(), "JpgFromRaw", jpeg, ifd.priority);
            return;
        }
        let (mut name, conv) = match entry {
            Some(entry) => entry,
            None => (Text::from_fmt(format_args!("Exif_0x{tag:04x}")), Conv::Plain),
        };
        if conv == Conv::Skip {
            return;
        }
        let img = self.image_names(ifd, tag);
        let mut value = if conv == Conv::Plain && n == 1 && matches!(typ, 3 | 4) {
            // A single SHORT or LONG is the value field itself (as `convert` would read it).
            Value::Int(e.small as i64)
        } else {
            match self.decode(cx, e, conv, inline.then(inline_bytes), voff, size) {
                Some(value) => value,
                None => return,
            }
        };
        if let Some((bin, start, length)) = img {
            let v = value.as_i64().and_then(|v| u64::try_from(v).ok());
            ifd.image.name = bin;
            if matches!(tag, 0x0201 | 0x0111) {
                ifd.image.start = v;
                name = Text::from_static(start);
                if let Some(v) = v {
                    // ExifTool reports these as file offsets.
                    value = Value::from(v.saturating_add(self.base));
                }
            } else {
                ifd.image.length = v;
                name = Text::from_static(length);
            }
        }
        self.push(cx, ifd.subgroup(), name, value, ifd.priority);
    }

    /// The value of a tag with conversion `conv`: `inline` holds its `size` bytes when they
    /// fit in the value field, else they are read at `voff`. `None` when they cannot be
    /// read (warned).
    fn decode(
        &self,
        cx: &mut Ctx,
        e: Entry,
        conv: Conv,
        inline: Option<&[u8]>,
        voff: u64,
        size: u64,
    ) -> Option<Value> {
        let (typ, n) = (e.typ, e.count);
        let data = if let Some(bytes) = inline {
            Cow::Borrowed(bytes)
        } else if conv == Conv::Binary || size > MAX_DECODED || (typ == 7 && n > 1 && conv == Conv::Plain) {
            Cow::Borrowed(&[][..])
        } else {
            match self.get(cx, voff, size) {
                Ok(d) => d,
                Err(e) => {
                    cx.warn_error(&e);
                    return None;
                }
            }
        };
        let field = Field { typ, count: n, data: &data, le: self.le };
        let value = if data.len() as u64 == size { convert(&field, conv) } else { None };
        Some(value.unwrap_or_else(|| Value::Binary(BinaryRef { offset: self.base + voff, length: size })))
    }

    /// Reads the IFDs a pointer tag lists (integer offsets only; SubIFDs are numbered
    /// among those).
    fn sub_ifds(&mut self, cx: &mut Ctx, sub: Kind, f: Field, depth: u32) {
        let offsets = (0..f.count).filter_map(|i| match f.num(i) {
            Some(Num::Int(o)) => u64::try_from(o).ok(),
            _ => None,
        });
        for (k, o) in offsets.enumerate() {
            if o == 0 {
                continue;
            }
            let kind = if sub == Kind::Sub(0) { Kind::Sub(k.min(255) as u8) } else { sub };
            if let Err(e) = self.ifd(cx, kind, o, depth + 1) {
                cx.warn_error(&e);
            }
        }
    }

    /// Parses an XMP, IPTC, Photoshop or ICC payload held in a tag.
    fn payload(&mut self, cx: &mut Ctx, ifd: &Ifd, tag: u16, voff: u64, size: u64) {
        if size > cx.opts.limits.max_alloc as u64 {
            cx.warn(ifd.at, format!("EXIF: payload of tag 0x{tag:04x} too large"));
            return;
        }
        let data = match self.get(cx, voff, size) {
            Ok(d) => d,
            Err(e) => {
                cx.warn_error(&e);
                return;
            }
        };
        let payload = match tag {
            0x02BC => Payload::Xmp,
            0x83BB => Payload::Iptc,
            0x8649 => Payload::Photoshop,
            _ => Payload::Icc,
        };
        if let Err(e) = nested::parse(cx, payload, &data, self.base + voff) {
            cx.warn_error(&e);
        }
    }

    /// For the offset and length tags of an embedded image: the image's name and the
    /// names its start and length get, after where the IFD sits.
    #[inline(always)]
    fn image_names(&self, ifd: &Ifd, tag: u16) -> Option<(&'static str, &'static str, &'static str)> {
        const PREVIEW: (&str, &str, &str) = ("PreviewImage", "PreviewImageStart", "PreviewImageLength");
        const JPG_FROM_RAW: (&str, &str, &str) = ("JpgFromRaw", "JpgFromRawStart", "JpgFromRawLength");
        const THUMBNAIL: (&str, &str, &str) = ("ThumbnailImage", "ThumbnailOffset", "ThumbnailLength");
        match (tag, ifd.kind) {
            (0x0201 | 0x0202, Kind::Ifd(0) | Kind::Sub(1)) => Some(PREVIEW),
            (0x0201 | 0x0202, Kind::Sub(_)) => Some(JPG_FROM_RAW),
            (0x0201 | 0x0202, _) => Some(THUMBNAIL),
            (0x0111 | 0x0117, Kind::Ifd(0)) if self.flavor == Flavor::Raw && ifd.compression == Some(6) => {
                Some(PREVIEW)
            }
            // JPEG-compressed reduced images in raw SubIFDs (DNG previews).
            (0x0111 | 0x0117, Kind::Sub(k))
                if ifd.subfile.is_some_and(|s| s != 0) && matches!(ifd.compression, Some(6 | 7)) =>
            {
                Some(if k == 1 { PREVIEW } else { JPG_FROM_RAW })
            }
            _ => None,
        }
    }

    /// Adds a tag of the IFD whose family-1 group is `group`.
    #[inline(always)]
    fn push(&self, cx: &mut Ctx, group: Cow<'static, str>, name: impl IntoName, value: Value, priority: i8) {
        cx.push(Tag { group: "EXIF", subgroup: Some(group), name: name.into_name(), value, priority });
    }
}

/// Tags the general route treats specially in some IFD: sub-IFD pointers, payloads,
/// PrintIM, and the offset and length tags of embedded images.
#[inline(always)]
fn special(tag: u16) -> bool {
    matches!(
        tag,
        0x0111
            | 0x0117
            | 0x014A
            | 0x0201
            | 0x0202
            | 0x02BC
            | 0x83BB
            | 0x8649
            | 0x8769
            | 0x8773
            | 0x8825
            | 0xA005
            | 0xC4A5
    )
}

#[cfg(test)]
mod tests;

//! EXIF: TIFF-structured IFDs (IFD0, ExifIFD, GPS, InteropIFD, IFD1, SubIFDs).
//!
//! One IFD walker serves both EXIF blocks held in memory (JPEG APP1, PNG `eXIf`, WebP
//! `EXIF`, HEIF `Exif` items) and TIFF files and TIFF-based raws read by offset through
//! [`Ctx::read`]: a raw costs its IFDs and values, never its image data.

mod convert;
mod tags;
mod values;

pub(crate) use values::{fmt_g, g, round_sig};

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{BinaryRef, Tag, Text, Value};
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

struct Walker<'d> {
    src: Src<'d>,
    base: u64,
    len: u64,
    le: bool,
    big: bool,
    first: u64,
    flavor: Flavor,
    seen: Vec<u64>,
    found: Found,
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
            seen: Vec::new(),
            found: Found::default(),
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
        if self.seen.contains(&off) {
            cx.warn(at, format!("EXIF: {} loops back to an IFD already read", kind.name()));
            return Ok(0);
        }
        if self.seen.len() >= MAX_IFDS {
            cx.warn(at, "EXIF: too many IFDs; rest ignored");
            return Ok(0);
        }
        self.seen.push(off);
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

        // Pre-scan: SubfileType and Compression decide priorities and a few names.
        let mut subfile = None;
        let mut compression = None;
        for i in 0..count as usize {
            let p = cnt_size as usize + i * esize as usize;
            let tag = u16_at(&buf, p, self.le);
            let typ = u16_at(&buf, p + 2, self.le);
            let v = if typ == 3 {
                u64::from(u16_at(&buf, p + esize as usize - ptr as usize, self.le))
            } else {
                u64::from(u32_at(&buf, p + esize as usize - ptr as usize, self.le))
            };
            match tag {
                0x00FE => subfile = Some(v),
                0x0103 => compression = Some(v),
                _ => {}
            }
        }
        let priority: i8 = match kind {
            Kind::Ifd(0) | Kind::Exif | Kind::Gps | Kind::Interop => 0,
            Kind::Ifd(n) => -10 + n.min(9) as i8,
            Kind::Sub(_) if subfile == Some(0) => 1,
            Kind::Sub(_) => -20,
        };
        let group = kind.name();
        let mut image = ImageRef::default();

        for i in 0..count as usize {
            let p = cnt_size as usize + i * esize as usize;
            let tag = u16_at(&buf, p, self.le);
            let typ = u16_at(&buf, p + 2, self.le);
            let n =
                if self.big { u64_at(&buf, p + 4, self.le) } else { u64::from(u32_at(&buf, p + 4, self.le)) };
            let vpos = p + esize as usize - ptr as usize;
            let Some(size) = type_size(typ).and_then(|s| s.checked_mul(n)) else {
                cx.warn(at, format!("EXIF: tag 0x{tag:04x} has unknown type {typ}"));
                continue;
            };
            let voff = if size <= ptr {
                off + vpos as u64
            } else if self.big {
                u64_at(&buf, vpos, self.le)
            } else {
                u64::from(u32_at(&buf, vpos, self.le))
            };
            if voff.checked_add(size).is_none_or(|e| e > self.len) {
                cx.warn(at, format!("EXIF: tag 0x{tag:04x} value out of range"));
                continue;
            }
            let inline = size <= ptr;
            // Sub-IFD pointers.
            let sub = match (tag, kind) {
                (0x8769, Kind::Ifd(_) | Kind::Sub(_)) => Some(Kind::Exif),
                (0x8825, Kind::Ifd(_) | Kind::Sub(_) | Kind::Exif) => Some(Kind::Gps),
                (0xA005, Kind::Exif | Kind::Ifd(_)) => Some(Kind::Interop),
                (0x014A, Kind::Ifd(_)) => Some(Kind::Sub(0)),
                _ => None,
            };
            if let Some(sub) = sub {
                let data = if inline {
                    Cow::Borrowed(buf.get(vpos..vpos + size as usize).unwrap_or_default())
                } else {
                    match self.get(cx, voff, size.min(8 * 64)) {
                        Ok(d) => d,
                        Err(e) => {
                            cx.warn_error(&e);
                            continue;
                        }
                    }
                };
                let f = Field { typ, count: n.min(64), data: &data, le: self.le };
                let offsets: Vec<u64> = (0..f.count)
                    .filter_map(|i| f.num(i))
                    .filter_map(|v| match v {
                        Num::Int(o) => u64::try_from(o).ok(),
                        _ => None,
                    })
                    .collect();
                for (k, o) in offsets.into_iter().enumerate() {
                    if o == 0 {
                        continue;
                    }
                    let kind = if sub == Kind::Sub(0) { Kind::Sub(k.min(255) as u8) } else { sub };
                    if let Err(e) = self.ifd(cx, kind, o, depth + 1) {
                        cx.warn_error(&e);
                    }
                }
                continue;
            }
            // PrintIM block: only its version is reported.
            if tag == 0xC4A5 {
                if let Ok(d) = self.get(cx, voff, size.min(16)) {
                    if d.starts_with(b"PrintIM\0") && d.len() >= 12 {
                        let v = String::from_utf8_lossy(d.get(8..12).unwrap_or_default()).into_owned();
                        cx.add("PrintIM", "PrintIMVersion", v);
                    }
                }
                continue;
            }
            // Embedded payloads.
            if matches!(tag, 0x02BC | 0x83BB | 0x8649 | 0x8773)
                && matches!(kind, Kind::Ifd(_) | Kind::Sub(_) | Kind::Exif)
            {
                if size > cx.opts.limits.max_alloc as u64 {
                    cx.warn(at, format!("EXIF: payload of tag 0x{tag:04x} too large"));
                    continue;
                }
                let data = match self.get(cx, voff, size) {
                    Ok(d) => d,
                    Err(e) => {
                        cx.warn_error(&e);
                        continue;
                    }
                };
                let foff = self.base + voff;
                let r = match tag {
                    0x02BC => crate::meta::xmp::parse_packet(cx, &data),
                    0x83BB => crate::meta::iptc::parse_iim(cx, &data, foff),
                    0x8649 => crate::meta::photoshop::parse_irb(cx, &data, foff),
                    _ => crate::meta::icc::parse_profile(cx, &data),
                };
                if let Err(e) = r {
                    cx.warn_error(&e);
                }
                continue;
            }
            // Name and conversion.
            let entry = match kind {
                Kind::Gps => tags::find(tags::GPS, tag),
                Kind::Interop => tags::find(tags::INTEROP, tag).or_else(|| tags::find(tags::MAIN, tag)),
                // RW2 IFD0 reuses only a few standard TIFF codes.
                Kind::Ifd(0) if self.flavor == Flavor::Panasonic => {
                    tags::find(tags::PANASONIC, tag).or_else(|| {
                        matches!(tag, 0x010F..=0x0112 | 0x0116 | 0x0117)
                            .then(|| tags::find(tags::MAIN, tag))
                            .flatten()
                    })
                }
                _ => tags::find(tags::MAIN, tag),
            };
            // RW2 binary blocks (white balance table, lens distortion).
            if self.flavor == Flavor::Panasonic && kind == Kind::Ifd(0) && matches!(tag, 0x0027 | 0x0119) {
                if let Ok(d) = self.get(cx, voff, size.min(4096)) {
                    crate::formats::tiff::panasonic_block(cx, tag, &d);
                }
                continue;
            }
            if self.flavor == Flavor::Panasonic && kind == Kind::Ifd(0) && tag == 0x002E {
                self.found.jpegs.push((self.base + voff, size));
                self.push(
                    cx,
                    group.clone(),
                    "JpgFromRaw",
                    Value::Binary(BinaryRef { offset: self.base + voff, length: size }),
                    priority,
                );
                continue;
            }
            let (mut name, conv): (Cow<'static, str>, Conv) = match entry {
                Some((name, conv)) => (Cow::Borrowed(name), conv),
                None => (Cow::Owned(format!("Exif_0x{tag:04x}")), Conv::Plain),
            };
            if conv == Conv::Skip {
                continue;
            }
            // Offsets and lengths of embedded images, named after where they sit.
            let img = match (tag, kind) {
                (0x0201 | 0x0202, Kind::Ifd(0)) => {
                    Some(("PreviewImage", "PreviewImageStart", "PreviewImageLength"))
                }
                (0x0201 | 0x0202, Kind::Sub(1)) => {
                    Some(("PreviewImage", "PreviewImageStart", "PreviewImageLength"))
                }
                (0x0201 | 0x0202, Kind::Sub(_)) => {
                    Some(("JpgFromRaw", "JpgFromRawStart", "JpgFromRawLength"))
                }
                (0x0201 | 0x0202, _) => Some(("ThumbnailImage", "ThumbnailOffset", "ThumbnailLength")),
                (0x0111 | 0x0117, Kind::Ifd(0)) if self.flavor == Flavor::Raw && compression == Some(6) => {
                    Some(("PreviewImage", "PreviewImageStart", "PreviewImageLength"))
                }
                // JPEG-compressed reduced images in raw SubIFDs (DNG previews).
                (0x0111 | 0x0117, Kind::Sub(k))
                    if subfile.is_some_and(|s| s != 0) && matches!(compression, Some(6 | 7)) =>
                {
                    if k == 1 {
                        Some(("PreviewImage", "PreviewImageStart", "PreviewImageLength"))
                    } else {
                        Some(("JpgFromRaw", "JpgFromRawStart", "JpgFromRawLength"))
                    }
                }
                _ => None,
            };
            let data = if inline {
                Cow::Borrowed(buf.get(vpos..vpos + size as usize).unwrap_or_default())
            } else if conv == Conv::Binary || size > MAX_DECODED || (typ == 7 && n > 1 && conv == Conv::Plain)
            {
                Cow::Borrowed(&[][..])
            } else {
                match self.get(cx, voff, size) {
                    Ok(d) => d,
                    Err(e) => {
                        cx.warn_error(&e);
                        continue;
                    }
                }
            };
            let field = Field { typ, count: n, data: &data, le: self.le };
            let value = if data.len() as u64 == size { convert(&field, conv) } else { None };
            let mut value =
                value.unwrap_or(Value::Binary(BinaryRef { offset: self.base + voff, length: size }));
            if let Some((bin, start, length)) = img {
                let v = value.as_i64().and_then(|v| u64::try_from(v).ok());
                image.name = bin;
                if matches!(tag, 0x0201 | 0x0111) {
                    image.start = v;
                    name = Cow::Borrowed(start);
                    if let Some(v) = v {
                        // ExifTool reports these as file offsets.
                        value = Value::from(v.saturating_add(self.base));
                    }
                } else {
                    image.length = v;
                    name = Cow::Borrowed(length);
                }
            }
            self.push(cx, group.clone(), name, value, priority);
        }
        if let ImageRef { start: Some(s), length: Some(l), name } = image {
            if l > 0 && s.checked_add(l).is_some_and(|e| e <= self.len) {
                self.push(
                    cx,
                    group.clone(),
                    name,
                    Value::Binary(BinaryRef { offset: self.base + s, length: l }),
                    priority,
                );
            } else if l > 0 {
                cx.warn(at, format!("EXIF: {name} runs past the end of the data"));
            }
        }
        Ok(next)
    }

    fn push(
        &self,
        cx: &mut Ctx,
        group: Cow<'static, str>,
        name: impl Into<Text>,
        value: Value,
        priority: i8,
    ) {
        cx.push(Tag { group: "EXIF", subgroup: Some(group), name: name.into(), value, priority });
    }
}

#[cfg(test)]
mod tests;

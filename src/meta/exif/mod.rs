//! EXIF: TIFF-structured IFDs (IFD0, ExifIFD, GPS, InteropIFD, IFD1, SubIFDs).
//!
//! One IFD walker serves both EXIF blocks held in memory (JPEG APP1, PNG `eXIf`, WebP
//! `EXIF`, HEIF `Exif` items) and TIFF files and TIFF-based raws read by offset through
//! [`Ctx::read`]: a raw costs its IFDs and values, never its image data.
//!
//! This file holds the entry points and the walker's types; `walk` reads the IFD chain
//! and each IFD's entries, `entry` dispatches each entry to what it becomes, `sub` follows
//! sub-IFD pointers and hands embedded payloads on; `values` decodes field values,
//! `convert` applies the per-tag conversions of the tables in `tags`; `note` hands the
//! `MakerNote` tag to `makernotes`, which reads the camera makers' own blocks.

mod convert;
mod entry;
mod makernotes;
mod note;
mod sub;
mod tags;
mod values;
mod walk;

use crate::context::Ctx;
use crate::error::{Error, Result};
pub(crate) use makernotes::pentax::movie::read as pentax_movie_tags;
pub(crate) use makernotes::read_canon_ctmd as canon_cr3_ctmd;
pub(crate) use makernotes::{read_bytes as read_maker_note, read_canon_ciff};
pub(crate) use makernotes::{read_canon_cmp1 as canon_cr3_cmp1, read_canon_cncv as canon_cr3_cncv};
pub(crate) use note::{parse_maker_block, parse_maker_tiff};
use std::borrow::Cow;
use values::{u16_at, u32_at, u64_at};

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
    /// A Phase One IIQ: ExifTool gives its IFD chain no preferred IFD, so a tag repeated
    /// in IFD1 (`SubfileType`, `StripOffsets` of the thumbnail) replaces IFD0's.
    PhaseOne,
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
    /// a call to `clone` (`Cow::clone` is not inlined here, and this runs for every tag).
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

#[cfg(test)]
mod tests;

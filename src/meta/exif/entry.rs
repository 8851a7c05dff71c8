//! Tag dispatch: what each IFD entry becomes. Ordinary entries take a short route (a
//! known tag, text or one number, in range); the general route handles sub-IFD
//! pointers, embedded payloads, PrintIM, maker blocks, embedded images and every
//! conversion of the tag tables.

use super::convert::convert;
use super::tags::{self, Conv};
use super::values::{Field, type_size};
use super::{Entry, Flavor, Ifd, Kind, MAX_DECODED, Src, Walker, makernotes};
use crate::context::Ctx;
use crate::error::Result;
use crate::model::{BinaryRef, Text, Value};
use std::borrow::Cow;

impl<'d> Walker<'d> {
    /// An ordinary entry, without the general route's checks: ASCII text or one number
    /// of a known tag with the plain conversion, that is no pointer, payload, PrintIM
    /// block or image part, its bytes inline or in memory and in range. Pushes exactly
    /// the tag [`Walker::entry_value`] would and returns true; returns false, having done
    /// nothing, for any other entry.
    #[inline(always)]
    pub(super) fn plain_entry(&self, cx: &mut Ctx, ifd: &mut Ifd, buf: &[u8], e: Entry, vpos: usize) -> bool {
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
    pub(super) fn entry_value(&mut self, cx: &mut Ctx, ifd: &mut Ifd, buf: &[u8], e: Entry, vpos: usize) {
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
        // Maker notes, and the copy of one a DNG converter keeps.
        if tag == 0x927C && matches!(kind, Kind::Exif | Kind::Ifd(_) | Kind::Sub(_)) {
            self.maker_note(cx, voff, size);
            return;
        }
        if tag == 0xC634 && kind == Kind::Ifd(0) {
            self.dng_private(cx, voff, size);
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

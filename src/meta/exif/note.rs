//! The walker's side of maker notes: the `MakerNote` tag (and the copy of it a DNG
//! converter keeps in `DNGPrivateData`) becomes a [`Note`] for `makernotes`.

use super::makernotes::{self, MAX_NOTE, Note};
use super::values::{u16_at, u32_at};
use super::{Header, Walker};
use crate::context::Ctx;
use crate::error::{Error, Result};

impl<'d> Walker<'d> {
    /// Reads the maker note of `size` bytes at `voff` (from the TIFF header).
    pub(super) fn maker_note(&self, cx: &mut Ctx, voff: u64, size: u64) {
        if !cx.opts.maker_notes {
            return;
        }
        let Some(data) = self.note_bytes(cx, voff, size) else { return };
        let (make, model) = make_model(cx);
        let note = Note {
            data: &data,
            at: self.base + voff,
            tiff_pos: voff,
            le: self.le,
            make: &make,
            model: &model,
        };
        makernotes::read(cx, &note);
    }

    /// Reads the original maker note a DNG converter kept in `DNGPrivateData`: `Adobe\0`,
    /// `MakN`, a big-endian length, the note's byte order (`II`/`MM`) and its offset in
    /// the original file, then the note. Offsets inside it count from the original
    /// file's TIFF header, so the note is read as if it still sat at that offset.
    pub(super) fn dng_private(&self, cx: &mut Ctx, voff: u64, size: u64) {
        if !cx.opts.maker_notes || size < 20 {
            return;
        }
        let Some(data) = self.note_bytes(cx, voff, size) else { return };
        if !data.starts_with(b"Adobe\0MakN") {
            return;
        }
        let len = u64::from(u32_at(&data, 10, false));
        let le = match data.get(14..16) {
            Some(b"II") => true,
            Some(b"MM") => false,
            _ => return,
        };
        let original = u64::from(u32_at(&data, 16, false));
        let end = usize::try_from(len.saturating_add(14)).unwrap_or(usize::MAX).min(data.len());
        let body = data.get(20..end).unwrap_or_default();
        let (make, model) = make_model(cx);
        let note = Note {
            data: body,
            at: self.base + voff + 20,
            tiff_pos: original,
            le,
            make: &make,
            model: &model,
        };
        makernotes::read(cx, &note);
    }

    /// The note's bytes, at most [`MAX_NOTE`] of them (a longer note is cut, warned).
    fn note_bytes(&self, cx: &mut Ctx, voff: u64, size: u64) -> Option<std::borrow::Cow<'d, [u8]>> {
        let cap = (MAX_NOTE as u64).min(cx.opts.limits.max_alloc as u64);
        if size > cap {
            cx.warn(self.base + voff, format!("maker note of {size} bytes read only in its first {cap}"));
        }
        match self.get(cx, voff, size.min(cap)) {
            Ok(d) => Some(d),
            Err(e) => {
                cx.warn_error(&e);
                None
            }
        }
    }
}

/// IFD0's `Make` and `Model` found so far.
fn make_model(cx: &Ctx) -> (String, String) {
    (makernotes::found_text(cx, "EXIF", "Make"), makernotes::found_text(cx, "EXIF", "Model"))
}

/// Reads a TIFF block whose first IFD is a maker note (Canon CR3's `CMT3`): the IFD's
/// offsets count from the block's own header. `file_offset` is where `data` starts.
pub(crate) fn parse_maker_tiff(cx: &mut Ctx, data: &[u8], file_offset: u64) -> Result<()> {
    let head =
        Header::parse(data).ok_or_else(|| Error::malformed(file_offset, "maker note: no TIFF header"))?;
    if !cx.opts.maker_notes {
        return Ok(());
    }
    let first = usize::try_from(head.first).unwrap_or(usize::MAX);
    let Some(body) = data.get(first..) else {
        return Err(Error::malformed(file_offset, "maker note: IFD offset out of range"));
    };
    // A note whose IFD declares no entries is no note.
    if u16_at(body, 0, head.le) == 0 {
        return Ok(());
    }
    let (make, model) = make_model(cx);
    let note = Note {
        data: body,
        at: file_offset + head.first,
        tiff_pos: head.first,
        le: head.le,
        make: &make,
        model: &model,
    };
    makernotes::read(cx, &note);
    Ok(())
}

/// Reads a maker note found outside any TIFF structure (Pentax's `hymn` chunk in AVI
/// files): only notes whose own header names their maker and fixes their offsets are
/// read. `file_offset` is where `data` starts.
pub(crate) fn parse_maker_block(cx: &mut Ctx, data: &[u8], file_offset: u64) {
    if !cx.opts.maker_notes || !data.starts_with(b"PENTAX \0") {
        return;
    }
    let note = Note { data, at: file_offset, tiff_pos: 0, le: false, make: "", model: "" };
    makernotes::read(cx, &note);
}

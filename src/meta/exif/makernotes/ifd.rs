//! A maker IFD inside a note's bytes: its entries, each with its value bytes when they lie
//! inside the note, and the push of tags named by a maker's table.
//!
//! Makers count value offsets from different places (the parent TIFF header, the note's
//! start, a TIFF header embedded in the note); [`MakerIfd::origin`] says where offset 0
//! falls in the note's bytes. Values outside the note are not followed: every maker
//! writes its values inside the note it declares.

use super::{Note, binary};
use crate::context::Ctx;
use crate::meta::exif::values::{Field, lossy, type_size, u16_at, u32_at};
use crate::model::{BinaryRef, IntoName, Tag, Text, Value};

/// Most entries a maker IFD may declare.
const MAX_ENTRIES: usize = 1024;

/// How to read one IFD of a note.
#[derive(Debug, Clone, Copy)]
pub(super) struct MakerIfd<'n> {
    /// The note's bytes.
    pub data: &'n [u8],
    /// Where `data[0]` sits in the file.
    pub at: u64,
    /// Byte order of the IFD and its values.
    pub le: bool,
    /// Where value offset 0 falls in `data` (negative when before the note's start, as
    /// for offsets counted from the parent TIFF header).
    pub origin: i64,
}

/// One entry of a maker IFD.
#[derive(Debug, Clone, Copy)]
pub(super) struct MakerEntry<'n> {
    pub tag: u16,
    pub typ: u16,
    pub count: u32,
    /// The value's bytes (inline or at its offset), `None` when out of the note or of an
    /// unknown type.
    pub bytes: Option<&'n [u8]>,
    /// Where the value sits in the file (for binary references).
    pub file_pos: u64,
    pub le: bool,
    /// Where value offset 0 falls in the file (for offsets reported as file offsets).
    pub origin_at: i64,
}

impl<'n> MakerIfd<'n> {
    /// The IFD of a note whose offsets count from the parent TIFF header (Canon,
    /// Panasonic, headerless Pentax/Sony...).
    pub(super) fn tiff_relative(note: &Note<'n>, le: bool) -> Self {
        MakerIfd { data: note.data, at: note.at, le, origin: -(note.tiff_pos.min(i64::MAX as u64) as i64) }
    }

    /// The IFD of a note whose offsets count from `start` bytes into the note.
    pub(super) fn note_relative(note: &Note<'n>, le: bool, start: usize) -> Self {
        MakerIfd { data: note.data, at: note.at, le, origin: start as i64 }
    }

    /// `len` bytes at value offset `off`, when they lie inside the note.
    pub(super) fn bytes_at(&self, off: u64, len: u64) -> Option<&'n [u8]> {
        let start = self.origin.checked_add(i64::try_from(off).ok()?)?;
        let start = usize::try_from(start).ok()?;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        self.data.get(start..end)
    }

    /// Where value offset `off` falls in `data` (for an IFD pointer), when inside it.
    pub(super) fn pos_of_offset(&self, off: u64) -> Option<usize> {
        let pos = self.origin.checked_add(i64::try_from(off).ok()?)?;
        usize::try_from(pos).ok().filter(|p| *p < self.data.len())
    }

    /// Where an entry points to a sub-IFD: an `IFD`/`LONG` value is its offset, a blob
    /// (`UNDEFINED`) is the sub-IFD itself.
    pub(super) fn sub_ifd_pos(&self, e: &MakerEntry) -> Option<usize> {
        match (e.typ, e.count) {
            (4 | 13, 1) => self.pos_of_offset(u64::from(u32_at(e.bytes?, 0, e.le))),
            (7, _) => {
                e.bytes?;
                usize::try_from(e.file_pos.checked_sub(self.at)?).ok()
            }
            _ => None,
        }
    }

    /// The entries of the IFD at `pos` bytes into the note (not an offset: where the
    /// entry count sits in `data`). Empty when the IFD does not fit; entries past the
    /// note's end are dropped, with a warning.
    pub(super) fn entries(&self, cx: &mut Ctx, pos: usize) -> Vec<MakerEntry<'n>> {
        let le = self.le;
        let Some(head) = self.data.get(pos..pos.saturating_add(2)) else { return Vec::new() };
        let declared = usize::from(u16_at(head, 0, le));
        let room = self.data.len().saturating_sub(pos + 2) / 12;
        if declared > MAX_ENTRIES || declared == 0 {
            return Vec::new();
        }
        if declared > room {
            cx.warn(self.at + pos as u64, "maker note IFD truncated");
        }
        // Sized by the entries the note's bytes hold (at most MAX_ENTRIES).
        #[allow(clippy::disallowed_methods)]
        let mut out = Vec::with_capacity(declared.min(room));
        for i in 0..declared.min(room) {
            let p = pos + 2 + 12 * i;
            let Some(raw) = self.data.get(p..p + 12) else { break };
            let (tag, typ, count) = (u16_at(raw, 0, le), u16_at(raw, 2, le), u32_at(raw, 4, le));
            let size = type_size(typ).and_then(|s| s.checked_mul(u64::from(count)));
            let (bytes, file_pos) = match size {
                Some(size) if size <= 4 => (raw.get(8..8 + size as usize), self.at + p as u64 + 8),
                Some(size) => {
                    let off = u64::from(u32_at(raw, 8, le));
                    let bytes = self.bytes_at(off, size);
                    let pos = self.origin.saturating_add(off as i64).max(0) as u64;
                    (bytes, self.at.saturating_add(pos))
                }
                None => (None, self.at + p as u64 + 8),
            };
            let origin_at = (self.at as i64).saturating_add(self.origin);
            out.push(MakerEntry { tag, typ, count, bytes, file_pos, le, origin_at });
        }
        out
    }
}

impl<'n> MakerEntry<'n> {
    /// The value as a TIFF field, when its bytes are at hand.
    pub(super) fn field(&self) -> Option<Field<'n>> {
        Some(Field { typ: self.typ, count: u64::from(self.count), data: self.bytes?, le: self.le })
    }

    /// The value as ExifTool prints it with `-n` when the tag has no conversion of its
    /// own: text, a number, a space-separated list, or a binary reference.
    /// ASCII text keeps its trailing blanks here (ExifTool trims them in standard EXIF
    /// tags only).
    pub(super) fn value(&self) -> Value {
        if let (2, Some(d)) = (self.typ, self.bytes) {
            let end = d.iter().position(|b| *b == 0).unwrap_or(d.len());
            return Value::Text(lossy(d.get(..end).unwrap_or_default()));
        }
        self.field().and_then(|f| f.generic()).unwrap_or_else(|| self.binary())
    }

    /// The value as a binary reference into the file.
    pub(super) fn binary(&self) -> Value {
        let len = type_size(self.typ).unwrap_or(1).saturating_mul(u64::from(self.count));
        Value::Binary(BinaryRef { offset: self.file_pos, length: len })
    }

    /// The value read as 16-bit words (for binary blocks stored as SHORT arrays or as
    /// undefined bytes).
    pub(super) fn words(&self) -> Vec<u16> {
        let d = self.bytes.unwrap_or_default();
        (0..d.len() / 2).map(|i| u16_at(d, 2 * i, self.le)).collect()
    }

    /// The value read as signed 16-bit words joined with spaces (for SHORT arrays
    /// that hold signed numbers).
    pub(super) fn signed16(&self) -> Value {
        match self.words().as_slice() {
            [one] => Value::Int(i64::from(*one as i16)),
            w => Value::from(w.iter().map(|v| (*v as i16).to_string()).collect::<Vec<_>>().join(" ")),
        }
    }

    /// The first number of the value (an integer or rational read as a float).
    pub(super) fn first_f64(&self) -> Option<f64> {
        self.field()?.num(0)?.f64()
    }

    /// The value as text (ASCII, cut at the first NUL), when it is text.
    pub(super) fn text(&self) -> Option<Text> {
        match self.value() {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// What a maker module's table says of one tag code.
#[derive(Debug, Clone, Copy)]
pub(super) enum Named {
    /// Emitted under this name, with the generic `-n` value.
    Plain(&'static str),
    /// Emitted under this name, always as a binary reference.
    Binary(&'static str),
    /// Emitted under this name, converted (see [`binary::Conv`]).
    Conv(&'static str, binary::Conv),
    /// An offset from the IFD's value origin, emitted as a file offset (as ExifTool
    /// reports the start of a preview image).
    Offset(&'static str),
}

impl Named {
    /// The tag's name and value for entry `e`; `None` when a conversion drops it.
    pub(super) fn value_of(self, e: &MakerEntry) -> Option<(&'static str, Value)> {
        match self {
            Named::Plain(name) => Some((name, e.value())),
            Named::Binary(name) => Some((name, e.binary())),
            Named::Conv(name, conv) => Some((name, conv(e.value())?)),
            Named::Offset(name) => {
                let at = e.value().as_i64().and_then(|v| e.origin_at.checked_add(v))?;
                Some((name, Value::Int(at)))
            }
        }
    }
}

/// A maker's main-IFD table: code and what it becomes, sorted by code.
pub(super) type Table = &'static [(u16, Named)];

/// Looks `tag` up in a table sorted by code.
pub(super) fn lookup(table: Table, tag: u16) -> Option<Named> {
    table.binary_search_by_key(&tag, |(c, _)| *c).ok().and_then(|i| table.get(i)).map(|(_, n)| *n)
}

/// Pushes a `MakerNotes:` tag with family-1 group `group`.
pub(super) fn push(cx: &mut Ctx, group: &'static str, name: impl IntoName, value: Value) {
    cx.push(Tag::new("MakerNotes", name, value).in_subgroup(group));
}

/// Pushes every entry of `entries` that `table` names (the others are left to the
/// caller, which sees them through `special` first: return true when it handled one).
pub(super) fn push_named<'n>(
    cx: &mut Ctx,
    group: &'static str,
    table: Table,
    entries: &[MakerEntry<'n>],
    mut special: impl FnMut(&mut Ctx, &MakerEntry<'n>) -> bool,
) {
    for e in entries {
        if special(cx, e) {
            continue;
        }
        if let Some((name, v)) = lookup(table, e.tag).and_then(|n| n.value_of(e)) {
            push(cx, group, name, v);
        }
    }
}

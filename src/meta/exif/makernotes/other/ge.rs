//! General Imaging maker notes: `GE\0\0` and six bytes, then a TIFF header of its own
//! whose offsets the IFD's values count from.

use super::super::Note;
use super::super::ifd::{MakerIfd, Named, Table, push_named};
use crate::context::Ctx;
use crate::meta::exif::values::u32_at;

const GROUP: &str = "GE";

const MAIN: Table =
    &[(0x0202, Named::Plain("Macro")), (0x0207, Named::Plain("GEModel")), (0x0300, Named::Plain("GEMake"))];

/// Where the embedded TIFF header sits.
const TIFF_AT: usize = 10;
/// Where value offset 0 falls: two bytes before the note, in the files seen (ExifTool
/// reads them from there too, with a warning for the values that then overlap the header).
const ORIGIN: i64 = -2;

/// Reads a GE maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let le = match note.data.get(TIFF_AT..TIFF_AT + 2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return,
    };
    let first = usize::try_from(u32_at(note.data, TIFF_AT + 4, le)).unwrap_or(usize::MAX);
    let ifd = MakerIfd { data: note.data, at: note.at, le, origin: ORIGIN };
    let entries = ifd.entries(cx, TIFF_AT.saturating_add(first));
    push_named(cx, GROUP, MAIN, &entries, |_, _| false);
}

//! Motorola maker notes: `MOT\0` and four bytes, then a big-endian IFD whose offsets
//! count from the note's start.

use super::super::Note;
use super::super::ifd::{MakerIfd, Named, Table, push_named};
use crate::context::Ctx;

const GROUP: &str = "Motorola";

const MAIN: Table = &[
    (0x5500, Named::Plain("BuildNumber")),
    (0x5501, Named::Plain("SerialNumber")),
    (0x665E, Named::Plain("Sensor")),
    (0x6705, Named::Plain("ManufactureDate")),
];

/// Reads a Motorola maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let ifd = MakerIfd::note_relative(note, false, 0);
    let entries = ifd.entries(cx, 8);
    push_named(cx, GROUP, MAIN, &entries, |_, _| false);
}

//! FLIR maker notes: a bare IFD (offsets from the parent TIFF header) of measurement
//! settings.

use super::super::Note;
use super::super::ifd::{MakerIfd, Named, Table, push_named};
use crate::context::Ctx;

const GROUP: &str = "FLIR";

const MAIN: Table = &[
    (0x0001, Named::Plain("ImageTemperatureMax")),
    (0x0002, Named::Plain("ImageTemperatureMin")),
    (0x0003, Named::Plain("Emissivity")),
];

/// Reads a FLIR maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let ifd = MakerIfd::tiff_relative(note, note.le);
    let entries = ifd.entries(cx, 0);
    push_named(cx, GROUP, MAIN, &entries, |_, _| false);
}

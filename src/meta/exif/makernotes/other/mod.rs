//! The smaller makers' notes, each short: the maker is told by the note's header or,
//! for headerless notes, by `Make` (DJI, FLIR).

mod dji;
mod flir;
mod ge;
mod jvc;
mod motorola;
mod phase_one;
mod ricoh;

use super::Note;
use crate::context::Ctx;

/// Reads the note of a maker without a module of its own; unknown ones are left unread.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let d = note.data;
    let make = note.make.trim().to_ascii_uppercase();
    if d.starts_with(b"RICOH\0")
        || d.starts_with(b"Ricoh")
        || (make.starts_with("RICOH") && d.starts_with(b"Rv"))
    {
        ricoh::read(cx, note);
    } else if d.starts_with(b"JVC ") || d.starts_with(b"VER:") {
        jvc::read(cx, note);
    } else if d.starts_with(b"MOT\0") {
        motorola::read(cx, note);
    } else if d.starts_with(b"GE\0\0") || d.starts_with(b"GENIC\x0c\0") {
        ge::read(cx, note);
    } else if d.starts_with(b"IIII") {
        phase_one::read(cx, note);
    } else if make.starts_with("DJI") {
        dji::read(cx, note);
    } else if make.starts_with("FLIR") {
        flir::read(cx, note);
    }
}

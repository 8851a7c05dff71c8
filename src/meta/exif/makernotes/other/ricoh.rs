//! Ricoh maker notes (`RICOH\0` or `Ricoh` headers): an IFD after eight bytes, offsets from
//! the parent TIFF header, always big-endian; ImageInfo is a binary block and the
//! `[Ricoh Camera Info]` sub-directory another IFD.

use super::super::Note;
use super::super::binary::{Fmt, read_at};
use super::super::conv::hex;
use super::super::ifd::{MakerIfd, Named, Table, push, push_named};
use crate::context::Ctx;
use crate::model::{Text, Value};

const GROUP: &str = "Ricoh";

const MAIN: Table = &[
    (0x0001, Named::Plain("MakerNoteType")),
    (0x0002, Named::Plain("FirmwareVersion")),
    (0x1003, Named::Plain("Sharpness")),
];

const CAMERA_INFO: Table =
    &[(0x0004, Named::Plain("ManufactureDate1")), (0x0005, Named::Plain("ManufactureDate2"))];

/// The header of the Camera Info sub-directory, before its IFD.
const CAMERA_INFO_HEAD: &[u8] = b"[Ricoh Camera Info]";

/// Reads a Ricoh maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let ifd = MakerIfd::tiff_relative(note, false);
    let entries = ifd.entries(cx, 8);
    push_named(cx, GROUP, MAIN, &entries, |cx, e| {
        let Some(d) = e.bytes else { return false };
        match e.tag {
            0x0005 => push(cx, GROUP, "InternalSerialNumber", hex(d)),
            0x1001 => image_info(cx, d),
            0x2001 if d.starts_with(CAMERA_INFO_HEAD) => {
                // The sub-IFD follows the header and a pad byte. Its offsets are the
                // note's in most files, and count from the header in older ones (RR1):
                // whichever puts the values inside the note.
                let at = e.file_pos.saturating_sub(note.at) as usize;
                let start = at + CAMERA_INFO_HEAD.len() + 1;
                let mut sub = ifd.entries(cx, start);
                if sub.iter().any(|s| s.bytes.is_none()) {
                    let own = MakerIfd { origin: at as i64, ..ifd };
                    sub = own.entries(cx, start);
                }
                push_named(cx, GROUP, CAMERA_INFO, &sub, |_, _| false);
            }
            _ => return false,
        }
        true
    });
}

/// ImageInfo: width, height, and the date in BCD when the block holds one.
fn image_info(cx: &mut Ctx, d: &[u8]) {
    for (at, name) in [(0, "RicohImageWidth"), (2, "RicohImageHeight")] {
        if let Some(v) = read_at(d, at, Fmt::U16, false) {
            push(cx, GROUP, name, v);
        }
    }
    let Some(b) = d.get(6..13) else { return };
    let bcd = |x: u8| (x >> 4 < 10 && x & 15 < 10).then_some(u32::from(x >> 4) * 10 + u32::from(x & 15));
    let digits: Option<Vec<u32>> = b.iter().map(|x| bcd(*x)).collect();
    if let Some(v) = digits.filter(|v| v.iter().any(|d| *d != 0)) {
        let s = format!("{:02}{:02}:{:02}:{:02} {:02}:{:02}:{:02}", v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
        push(cx, GROUP, "RicohDate", Value::Text(Text::from(s)));
    }
}

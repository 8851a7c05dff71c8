//! Nikon maker notes. Three layouts:
//! - `Nikon\0` + `\x02` + version + 2 bytes, then a whole TIFF header at byte 10 (its own
//!   byte order) whose offsets count from that header: the D-SLRs and later Coolpix;
//! - `Nikon\0\x01\0`: an IFD at byte 8, offsets from the parent TIFF header (old Coolpix);
//! - no header: a bare IFD, offsets from the parent TIFF header (D1, Coolpix 9xx/5700).
//!
//! Several tags are binary blocks; on newer bodies LensData, ColorBalance and ShotInfo
//! are enciphered with a key from the serial number and the shutter count
//! (`cipher.rs`), both found in the same IFD.

mod capture;
mod cipher;
mod conv;
mod tables;
mod xlat;

use super::Note;
use super::binary::{Fmt, emit, read_at};
use super::ifd::{MakerEntry, MakerIfd, Table, push, push_named};
use crate::context::Ctx;
use crate::meta::exif::values::{u16_at, u32_at};
use crate::model::Value;

/// Family-1 group of the main IFD's tags.
const GROUP: &str = "Nikon";

/// Reads a Nikon maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let d = note.data;
    let (ifd, pos) = if d.starts_with(b"Nikon\0\x02") {
        let le = match d.get(10..12) {
            Some(b"II") => true,
            Some(b"MM") => false,
            _ => return,
        };
        let first = usize::try_from(u32_at(d, 14, le)).unwrap_or(usize::MAX);
        (MakerIfd::note_relative(note, le, 10), first.saturating_add(10))
    } else if d.starts_with(b"Nikon\0\x01") {
        (MakerIfd::tiff_relative(note, note.le), 8)
    } else {
        (MakerIfd::tiff_relative(note, note.le), 0)
    };
    let entries = ifd.entries(cx, pos);
    let key = cipher_key(&entries);
    push_named(cx, GROUP, tables::MAIN, &entries, |cx, e| special(cx, &ifd, e, key));
}

/// The serial number (tag 0x001D, digits) and shutter count (0x00A7) that key the
/// cipher, when both are there.
fn cipher_key(entries: &[MakerEntry]) -> Option<(u32, u32)> {
    let serial = entries.iter().find(|e| e.tag == 0x001D)?.text()?;
    let serial = serial.as_str().trim().parse::<u32>().ok()?;
    let count = entries.iter().find(|e| e.tag == 0x00A7 && e.typ == 4)?;
    Some((serial, u32_at(count.bytes?, 0, count.le)))
}

/// Tags that are blocks, sub-IFDs, or whose `-n` value is not the stored one.
fn special(cx: &mut Ctx, ifd: &MakerIfd, e: &MakerEntry, key: Option<(u32, u32)>) -> bool {
    let bytes = e.bytes.unwrap_or_default();
    if let Some((_, name)) = tables::FRACTIONS.iter().find(|(t, _)| *t == e.tag) {
        if let &[a, b, c, ..] = bytes {
            let v = if c == 0 { 0.0 } else { f64::from(a as i8) * f64::from(b) / f64::from(c) };
            push(cx, GROUP, *name, Value::Float(v));
        }
        return true;
    }
    match e.tag {
        0x0001 => push(cx, GROUP, "MakerNoteVersion", version(bytes)),
        0x0011 => sub_ifd(cx, ifd, e, "PreviewIFD", tables::PREVIEW),
        0x0E10 => sub_ifd(cx, ifd, e, "NikonScan", tables::SCAN),
        // Big-endian whatever the note's order.
        0x0088 => emit(cx, GROUP, &tables::AF_INFO, bytes, false),
        0x0E01 => capture::read(cx, bytes),
        // Only the version of ShotInfo is in the clear; its layout varies by body.
        0x0091 => {
            if let Some(v) = read_at(bytes, 0, Fmt::Ascii(4), e.le) {
                push(cx, GROUP, "ShotInfoVersion", v);
            }
        }
        0x0097 => color_balance(cx, bytes, e.le, key),
        0x0098 => lens_data(cx, bytes, e.le, key),
        0x00A8 => {
            if bytes.starts_with(b"0100") || bytes.starts_with(b"0101") {
                emit(cx, GROUP, &tables::FLASH_INFO, bytes, e.le);
            }
        }
        0x0E0E => capture_offsets(cx, bytes, e.le),
        _ => return false,
    }
    true
}

/// `0210` as text, or four small numbers (`00 01 00 00`) joined as digits.
fn version(bytes: &[u8]) -> Value {
    if bytes.first().is_some_and(|b| *b < 10) {
        Value::from(bytes.iter().map(u8::to_string).collect::<String>())
    } else {
        Value::from(String::from_utf8_lossy(bytes).trim_end_matches('\0'))
    }
}

/// A sub-IFD of the note (its offsets count like the main IFD's).
fn sub_ifd(cx: &mut Ctx, ifd: &MakerIfd, e: &MakerEntry, group: &'static str, table: Table) {
    let Some(at) = ifd.sub_ifd_pos(e) else { return };
    let entries = ifd.entries(cx, at);
    push_named(cx, group, table, &entries, |cx, s| {
        // The preview's offset, printed as a position in the file.
        if group == "PreviewIFD" && s.tag == 0x0201 {
            if let Some(v) = s.first_f64() {
                let base = (ifd.at as i64).saturating_add(ifd.origin);
                push(cx, group, "PreviewImageStart", Value::Int((v as i64).saturating_add(base)));
            }
            return true;
        }
        false
    });
}

/// LensData: version 0101 in the clear, 0201-0203 enciphered after the version.
fn lens_data(cx: &mut Ctx, bytes: &[u8], le: bool, key: Option<(u32, u32)>) {
    let Some(version) = bytes.get(..4) else { return };
    match version {
        b"0101" => emit(cx, GROUP, &tables::LENS_DATA, bytes, le),
        b"0201" | b"0202" | b"0203" => {
            let Some((serial, count)) = key else { return };
            let mut plain = bytes.to_vec();
            if let Some(body) = plain.get_mut(4..) {
                cipher::decipher(body, serial, count);
            }
            emit(cx, GROUP, &tables::LENS_DATA, &plain, le);
        }
        _ => {}
    }
}

/// ColorBalance: the white-balance levels, in the clear (0103) or enciphered past a
/// clear head (0206).
fn color_balance(cx: &mut Ctx, bytes: &[u8], le: bool, key: Option<(u32, u32)>) {
    let levels = |d: &[u8], at: usize| -> Option<String> {
        let w: Vec<String> = (0..4)
            .map(|i| d.get(at + 2 * i + 1).map(|_| u16_at(d, at + 2 * i, le).to_string()))
            .collect::<Option<_>>()?;
        Some(w.join(" "))
    };
    match bytes.get(..4) {
        Some(b"0103") => {
            if let Some(v) = levels(bytes, 20) {
                push(cx, GROUP, "WB_RGBGLevels", Value::from(v));
            }
        }
        Some(b"0206") => {
            let Some((serial, count)) = key else { return };
            let Some(tail) = bytes.get(284..) else { return };
            let mut plain = tail.to_vec();
            cipher::decipher(&mut plain, serial, count);
            if let Some(v) = levels(&plain, 6) {
                push(cx, GROUP, "WB_RGGBLevels", Value::from(v));
            }
        }
        _ => {}
    }
}

/// NikonCaptureOffsets (0x0E0E): `0100`, a count, then 12-byte records of an id, an
/// offset and a word.
fn capture_offsets(cx: &mut Ctx, bytes: &[u8], le: bool) {
    if !bytes.starts_with(b"0100") {
        return;
    }
    let count = usize::from(u16_at(bytes, 4, le)).min(16);
    for i in 0..count {
        let at = 6 + 12 * i;
        if bytes.len() < at + 8 {
            break;
        }
        let name = match u32_at(bytes, at, le) {
            1 => "IFD0_Offset",
            2 => "PreviewIFD_Offset",
            3 => "SubIFD_Offset",
            _ => continue,
        };
        push(cx, GROUP, name, Value::Int(i64::from(u32_at(bytes, at + 4, le))));
    }
}

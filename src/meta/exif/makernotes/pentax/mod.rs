//! Pentax (and Asahi, Ricoh-made Pentax) maker notes: `AOC\0` + a byte-order mark (or
//! two spaces meaning the parent's order) then an IFD at byte 6 whose offsets count from
//! the parent TIFF header; `PENTAX \0` + mark (newer bodies, offsets from the note's
//! start) with the IFD at byte 10; or a bare IFD. Several tags are binary blocks of
//! named bytes (`tables.rs`).

mod conv;
pub(crate) mod movie;
mod tables;

use super::Note;
use super::binary::{Block, emit};
use super::ifd::{MakerEntry, MakerIfd, push, push_named};
use crate::base::bytes::{be16, be24};
use crate::context::Ctx;
use crate::meta::exif::values::u32_at;
use crate::model::Value;

/// Family-1 group of every Pentax tag.
const GROUP: &str = "Pentax";

/// Binary blocks of the main IFD: tag, layout, where the block starts in the value.
const BLOCKS: &[(u16, &Block, usize)] = &[
    (0x003F, &tables::LENS_REC, 0),
    (0x005C, &tables::SHAKE_REDUCTION, 0),
    (0x0205, &tables::CAMERA_SETTINGS, 0),
    (0x0207, &tables::LENS_DATA, 4),
    (0x0208, &tables::FLASH_INFO, 0),
    (0x0215, &tables::CAMERA_INFO, 0),
    (0x0216, &tables::BATTERY_INFO, 0),
    (0x021F, &tables::AF_INFO, 0),
    (0x0222, &tables::COLOR_INFO, 0),
];

/// Reads a Pentax maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let d = note.data;
    let order = |at: usize| match d.get(at..at + 2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => note.le,
    };
    let (ifd, pos) = if d.starts_with(b"AOC\0") {
        (MakerIfd::tiff_relative(note, order(4)), 6)
    } else if d.starts_with(b"PENTAX \0") {
        (MakerIfd::note_relative(note, order(8), 0), 10)
    } else {
        (MakerIfd::tiff_relative(note, note.le), 0)
    };
    let entries = ifd.entries(cx, pos);
    // Date and time also key the shutter count's cipher.
    let bytes_of = |tag: u16| entries.iter().find(|e| e.tag == tag).and_then(|e| e.bytes);
    let (date, time) = (bytes_of(0x0006), bytes_of(0x0007));
    push_named(cx, GROUP, tables::MAIN, &entries, |cx, e| special(cx, &ifd, e, date, time));
}

/// Tags that are blocks or whose `-n` value is not the stored one.
fn special(cx: &mut Ctx, ifd: &MakerIfd, e: &MakerEntry, date: Option<&[u8]>, time: Option<&[u8]>) -> bool {
    if e.tag == 0x0206 {
        let d = e.bytes.unwrap_or_default();
        let block = if d.len() > 16 { &tables::AE_INFO_LONG } else { &tables::AE_INFO };
        emit(cx, GROUP, block, d, e.le);
        return true;
    }
    if let Some((_, block, skip)) = BLOCKS.iter().find(|(t, _, _)| *t == e.tag) {
        if let Some(d) = e.bytes.and_then(|b| b.get(*skip..)) {
            emit(cx, GROUP, block, d, e.le);
        }
        return true;
    }
    let bytes = e.bytes.unwrap_or_default();
    let first = e.first_f64();
    let scaled = |cx: &mut Ctx, name: &'static str, f: fn(f64) -> f64| {
        if let Some(v) = first {
            push(cx, GROUP, name, Value::Float(f(v)));
        }
    };
    match e.tag {
        0x0004 => {
            // Counted from the parent TIFF header; printed as a position in the file.
            let base = (ifd.at as i64).saturating_add(ifd.origin);
            if let Some(v) = first {
                push(cx, GROUP, "PreviewImageStart", Value::Int((v as i64).saturating_add(base)));
            }
        }
        0x0006 => {
            if let (Some(y), &[_, _, m, d, ..]) = (be16(bytes, 0), bytes) {
                push(cx, GROUP, "Date", Value::from(format!("{y:04}:{m:02}:{d:02}")));
            }
        }
        0x0007 => {
            if let &[h, m, s, ..] = bytes {
                push(cx, GROUP, "Time", Value::from(format!("{h:02}:{m:02}:{s:02}")));
            }
        }
        0x0012 => scaled(cx, "ExposureTime", |v| v * 1e-5),
        0x0013 => scaled(cx, "FNumber", |v| v / 10.0),
        0x0016 => scaled(cx, "ExposureCompensation", |v| (v - 50.0) / 10.0),
        0x001D => scaled(cx, "FocalLength", |v| v / 100.0),
        0x0040 => scaled(cx, "SensitivityAdjust", |v| (v - 50.0) / 10.0),
        0x004D => scaled(cx, "FlashExposureComp", |v| v / 256.0),
        0x002D => {
            if let Some(&w) = e.words().first() {
                push(cx, GROUP, "EffectiveLV", Value::Float(f64::from(w as i16) / 1024.0));
            }
        }
        // Firmware versions are stored with every bit inverted.
        0x0027 | 0x0028 => {
            if let &[a, b, c, d, ..] = bytes {
                let name = if e.tag == 0x0027 { "DSPFirmwareVersion" } else { "CPUFirmwareVersion" };
                let v = format!("{} {:02} {:02} {:02}", !a, !b, !c, !d);
                push(cx, GROUP, name, Value::from(v));
            }
        }
        // Byte lists stored as UNDEFINED.
        0x0032 | 0x0209..=0x020B => {
            let name = match e.tag {
                0x0032 => "ImageEditing",
                0x0209 => "AEMeteringSegments",
                0x020A => "FlashMeteringSegments",
                _ => "SlaveFlashMeteringSegments",
            };
            let list: Vec<String> = bytes.iter().map(u8::to_string).collect();
            push(cx, GROUP, name, Value::from(list.join(" ")));
        }
        // The count is XORed with the date and the inverted time.
        0x005D => {
            let (Some(date), Some(time)) = (date, time) else { return true };
            if bytes.len() < 4 || date.len() < 4 || time.len() < 3 {
                return true;
            }
            let key = u32_at(date, 0, false) ^ !(be24(time, 0).unwrap_or(0) << 8);
            push(cx, GROUP, "ShutterCount", Value::Int(i64::from(u32_at(bytes, 0, false) ^ key)));
        }
        _ => return false,
    }
    true
}

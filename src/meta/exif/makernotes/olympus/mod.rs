//! Olympus (and OM System, Epson) maker notes. Three layouts:
//! - `OLYMP\0` + version (or `EPSON\0`): an IFD at byte 8 whose offsets count from the
//!   parent TIFF header, in its byte order;
//! - `OLYMPUS\0` + `II`/`MM` + version: an IFD at byte 12, offsets from the note's start;
//! - `OM SYSTEM\0` + 2 bytes + `II`/`MM` + version: the same at byte 16.
//!
//! The newer cameras keep most tags in sub-IFDs (Equipment, CameraSettings,
//! RawDevelopment, ImageProcessing, FocusInfo) that the main IFD points to, either as an
//! IFD offset or as a blob holding the sub-IFD itself; their offsets count like the main
//! IFD's.

mod tables;

use super::Note;
use super::ifd::{MakerEntry, MakerIfd, Table, push, push_named};
use crate::context::Ctx;
use crate::meta::exif::values::u32_at;
use crate::model::Value;

/// Family-1 group of every Olympus tag.
const GROUP: &str = "Olympus";

/// The sub-IFDs of the main IFD: tag, table.
const SUB_IFDS: &[(u16, Table)] = &[
    (0x2010, tables::EQUIPMENT),
    (0x2020, tables::CAMERA_SETTINGS),
    (0x2030, tables::RAW_DEVELOPMENT),
    (0x2040, tables::IMAGE_PROCESSING),
    (0x2050, tables::FOCUS_INFO),
];

/// Reads an Olympus maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let d = note.data;
    let order = |at: usize| match d.get(at..at + 2) {
        Some(b"II") => Some(true),
        Some(b"MM") => Some(false),
        _ => None,
    };
    let (ifd, pos) = if d.starts_with(b"OLYMPUS\0") {
        let Some(le) = order(8) else { return };
        (MakerIfd::note_relative(note, le, 0), 12)
    } else if d.starts_with(b"OM SYSTEM\0") {
        let Some(le) = order(12) else { return };
        (MakerIfd::note_relative(note, le, 0), 16)
    } else if d.starts_with(b"OLYMP\0") || d.starts_with(b"EPSON\0") {
        (MakerIfd::tiff_relative(note, note.le), 8)
    } else {
        (MakerIfd::tiff_relative(note, note.le), 0)
    };
    let entries = ifd.entries(cx, pos);
    push_named(cx, GROUP, tables::MAIN, &entries, |cx, e| {
        let Some((_, table)) = SUB_IFDS.iter().find(|(t, _)| *t == e.tag) else {
            return main_special(cx, e);
        };
        if let Some(at) = ifd.sub_ifd_pos(e) {
            let sub = ifd.entries(cx, at);
            let sub_tag = e.tag;
            push_named(cx, GROUP, table, &sub, |cx, s| sub_special(cx, &ifd, sub_tag, s));
        }
        true
    });
}

/// Main-IFD tags whose `-n` value is not the stored one.
fn main_special(cx: &mut Ctx, e: &MakerEntry) -> bool {
    match e.tag {
        // Signed numbers stored as SHORTs.
        0x1011 => push(cx, GROUP, "ColorMatrix", e.signed16()),
        // Red and blue gains in 1/256 (the second number is a constant scale).
        0x1017 | 0x1018 => {
            let name = if e.tag == 0x1017 { "RedBalance" } else { "BlueBalance" };
            let Some(&v) = e.words().first() else { return true };
            push(cx, GROUP, name, Value::Float(f64::from(v) / 256.0));
        }
        // "[pictureInfo] Resolution=1 [Camera Info] Type=SR951": only Resolution is new.
        0x0208 => {
            let text = String::from_utf8_lossy(e.bytes.unwrap_or_default());
            let value = text.split_whitespace().find_map(|w| w.strip_prefix("Resolution="));
            if let Some(v) = value.and_then(|v| v.parse::<i64>().ok()) {
                push(cx, GROUP, "Resolution", Value::Int(v));
            }
        }
        _ => return false,
    }
    true
}

/// Sub-IFD tags whose `-n` value is not the stored one (`dir` is the sub-IFD's tag).
fn sub_special(cx: &mut Ctx, ifd: &MakerIfd, dir: u16, e: &MakerEntry) -> bool {
    let bytes = e.bytes.unwrap_or_default();
    match (dir, e.tag) {
        // Lens and extender: maker, model and sub-model bytes, printed in hex.
        (0x2010, 0x0201) => {
            let &[a, _, b, c, ..] = bytes else { return true };
            push(cx, GROUP, "LensType", Value::from(format!("{a:x} {b:02x} {c:02x}")));
        }
        (0x2010, 0x0301) => {
            let (Some(a), Some(b)) = (bytes.first(), bytes.get(2)) else { return true };
            push(cx, GROUP, "Extender", Value::from(format!("{a:x} {b:02x}")));
        }
        // Apertures in APEX 1/256 steps.
        (0x2010, 0x0206 | 0x020A) => {
            let name = if e.tag == 0x0206 { "MaxApertureAtMaxFocal" } else { "MaxAperture" };
            let Some(&v) = e.words().first() else { return true };
            push(cx, GROUP, name, Value::Float(2f64.powf(f64::from(v) / 512.0)));
        }
        // The preview's offset, printed as a position in the file.
        (0x2020, 0x0101) => {
            let Some(v) = e.first_f64() else { return true };
            let base = (ifd.at as i64).saturating_add(ifd.origin);
            push(cx, GROUP, "PreviewImageStart", Value::Int((v as i64).saturating_add(base)));
        }
        (0x2040, 0x0200) => push(cx, GROUP, "ColorMatrix", e.signed16()),
        // Millimetres in the first word of a RATIONAL, printed in metres.
        (0x2050, 0x0305) => {
            let v = u32_at(bytes, 0, e.le);
            push(cx, GROUP, "FocusDistance", Value::Float(f64::from(v) / 1000.0));
        }
        // A binary record whose text form ExifTool prints; left out.
        (0x2050, 0x1600) => {}
        _ => return false,
    }
    true
}

//! Sony maker notes: an IFD whose value offsets count from the parent TIFF header,
//! after a 12-byte header (`SONY DSC \0\0\0`, `SONY CAM \0\0\0`, `SONY MOBILE`, or the
//! Hasselblad-badged `VHAB     \0` with two bytes of padding) or with none (Alpha raws).
//! Many tags mean something only on some bodies, and the 0x94xx blocks are enciphered
//! (`cipher`); what depends on the model is gated on the model's family here, and left
//! out for families where it was not checked.

mod cipher;
mod enciphered;
mod tables;

use super::Note;
use super::ifd::{MakerEntry, MakerIfd, lookup, push};
use crate::base::bytes::Endian;
use crate::context::Ctx;
use crate::model::Value;

const GROUP: &str = "Sony";

/// Headers before the IFD, each 12 bytes long with its padding.
const HEADERS: &[&[u8]] = &[b"SONY DSC \0\0\0", b"SONY CAM \0\0\0", b"SONY MOBILE", b"VHAB     \0"];

/// Notes a Sony `Make` may carry that are not this IFD (Ericsson phones, PIC and
/// Premier blocks): left unread.
const OTHER_LAYOUTS: &[&[u8]] = &[b"SEMC MS\0", b"SONY PI\0", b"PREMI\0", b"SONY PIC"];

/// Which line of bodies a model belongs to, from its name: tags whose meaning moves
/// between lines are read only for the lines they were checked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    /// NEX, ILCE and ILME bodies.
    EMount,
    /// SLT and ILCA bodies.
    AMount,
    /// DSLR-A bodies.
    Dslr,
    /// DSC compacts (Cyber-shot, RX).
    Compact,
    /// Anything else (phones, camcorders, unnamed).
    Other,
}

impl Family {
    fn of(model: &str) -> Family {
        let m = model.trim();
        if ["ILCE-", "ILME-", "NEX-"].iter().any(|p| m.starts_with(p)) {
            Family::EMount
        } else if m.starts_with("SLT-") || m.starts_with("ILCA-") {
            Family::AMount
        } else if m.starts_with("DSLR-") {
            Family::Dslr
        } else if m.starts_with("DSC-") {
            Family::Compact
        } else {
            Family::Other
        }
    }
}

/// Reads a Sony maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let data = note.data;
    if OTHER_LAYOUTS.iter().any(|h| data.starts_with(h)) {
        return;
    }
    let start = if HEADERS.iter().any(|h| data.starts_with(h)) { 12 } else { 0 };
    if start == 0 && !plausible_ifd(data, note.le) {
        return;
    }
    let ifd = MakerIfd::tiff_relative(note, note.le);
    let entries = ifd.entries(cx, start);
    let family = Family::of(note.model);
    // Names set by this note's main IFD, for the tags that never replace an earlier one.
    let mut seen: Vec<&'static str> = Vec::new();
    let doubly =
        entries.iter().any(|e| e.tag == 0x9400 && e.bytes.is_some_and(enciphered::doubly_enciphered));
    for e in &entries {
        if e.tag == 0x9050 {
            if let Some(raw) = e.bytes.filter(|_| !doubly) {
                enciphered::read_9050(cx, raw, e.le, note.model);
            }
            continue;
        }
        if e.tag & 0xFF00 == 0x9400 {
            if let Some(raw) = e.bytes.filter(|_| !doubly) {
                enciphered::read(cx, e.tag, raw, e.le, family, seen.contains(&"FocusMode"));
            }
            continue;
        }
        let found = match gated(e, family) {
            Gate::Read(name, v) => Some((name, v)),
            Gate::LeftOut => None,
            Gate::NotGated => lookup(tables::MAIN, e.tag).and_then(|t| t.value_of(e)),
        };
        let Some((name, v)) = found else { continue };
        if matches!(e.tag, 0xB04F | 0xB054) && seen.contains(&name) {
            continue;
        }
        seen.push(name);
        push(cx, GROUP, name, v);
    }
}

/// A 32-bit value ExifTool reads as signed, whatever type the entry says.
fn signed32(e: &MakerEntry) -> Option<Value> {
    Some(Value::Int(i64::from(Endian::little_if(e.le).u32(e.bytes?, 0)? as i32)))
}

/// A headerless note must open with a sensible entry count and a known first type.
fn plausible_ifd(data: &[u8], le: bool) -> bool {
    let order = Endian::little_if(le);
    matches!((order.u16(data, 0), order.u16(data, 4)), (Some(1..=512), Some(1..=13)))
}

/// What [`gated`] says of an entry.
enum Gate {
    /// Read, under this name and value.
    Read(&'static str, Value),
    /// Not shown for this body or value.
    LeftOut,
    /// Not a gated tag: the main table decides.
    NotGated,
}

/// Main-IFD tags that ExifTool reads only on some bodies, or only for some values.
fn gated(e: &MakerEntry, family: Family) -> Gate {
    match gate(e, family) {
        Some(Some((name, v))) => Gate::Read(name, v),
        Some(None) => Gate::LeftOut,
        None => Gate::NotGated,
    }
}

fn gate(e: &MakerEntry, family: Family) -> Option<Option<(&'static str, Value)>> {
    use Family::{AMount, Dslr, EMount};
    let v = e.value();
    let n = v.as_i64();
    let (name, ok) = match e.tag {
        0x200A => return Some(tables::halves(v).map(|v| ("HDR", v))),
        0x201B => ("FocusMode", matches!(family, EMount | AMount | Dslr)),
        0x201C => ("AFAreaModeSetting", matches!(family, EMount | AMount)),
        0x201D => ("FlexibleSpotPosition", family == EMount),
        0x201E => ("AFPointSelected", family == EMount),
        0x2021 => ("AFTracking", matches!(family, EMount | AMount | Dslr)),
        0x0112 => return Some(signed32(e).map(|v| ("WhiteBalanceFineTune", v))),
        0xB022 => return Some(signed32(e).map(|v| ("ColorCompensationFilter", v))),
        // 0 and 0xFFFF are what bodies without these settings write.
        0xB042 => ("FocusMode", !matches!(n, Some(0 | 0xFFFF) | None)),
        0xB050 => ("HighISONoiseReduction2", family == Family::Compact && n != Some(0xFFFF)),
        // The other 16-bit settings of this range: 0xFFFF means not set.
        0xB040..=0xB054 => match lookup(tables::MAIN, e.tag).and_then(|t| t.value_of(e)) {
            Some((name, _)) => (name, e.tag == 0xB052 || n != Some(0xFFFF)),
            None => match e.tag {
                0xB043 => ("AFAreaMode", n != Some(0xFFFF)),
                0xB04F => ("DynamicRangeOptimizer", true),
                0xB054 => ("WhiteBalance", true),
                _ => return None,
            },
        },
        _ => return None,
    };
    Some(ok.then_some((name, v)))
}

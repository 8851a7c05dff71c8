//! Apple maker notes (iPhone, iPad): `Apple iOS\0`, a 16-bit version, `MM`, then a
//! big-endian IFD at byte 14 whose offsets count from the note's start. RunTime (0x0003)
//! is a binary property list: a dictionary of the CMTime fields since the last boot.

use super::Note;
use super::ifd::{MakerEntry, MakerIfd, Named, Table, push, push_named};
use crate::context::Ctx;
use crate::model::Value;

/// Family-1 group of every Apple tag.
const GROUP: &str = "Apple";

/// The IFD's tags, printed as stored with `-n`.
const MAIN: Table = &[
    (0x0001, Named::Plain("MakerNoteVersion")),
    (0x0004, Named::Plain("AEStable")),
    (0x0005, Named::Plain("AETarget")),
    (0x0006, Named::Plain("AEAverage")),
    (0x0007, Named::Plain("AFStable")),
    (0x0008, Named::Plain("AccelerationVector")),
    (0x000A, Named::Plain("HDRImageType")),
    (0x000B, Named::Plain("BurstUUID")),
    (0x000C, Named::Plain("FocusDistanceRange")),
    (0x000F, Named::Plain("OISMode")),
    (0x0011, Named::Plain("ContentIdentifier")),
    (0x0014, Named::Plain("ImageCaptureType")),
    (0x0015, Named::Plain("ImageUniqueID")),
    (0x0017, Named::Plain("LivePhotoVideoIndex")),
    (0x001D, Named::Plain("LuminanceNoiseAmplitude")),
    (0x001F, Named::Plain("PhotosAppFeatureFlags")),
    (0x0021, Named::Plain("HDRHeadroom")),
    (0x0023, Named::Plain("AFPerformance")),
];

/// RunTime's dictionary keys and the tags they become.
const RUN_TIME: &[(&[u8], &str)] = &[
    (b"flags", "RunTimeFlags"),
    (b"value", "RunTimeValue"),
    (b"epoch", "RunTimeEpoch"),
    (b"timescale", "RunTimeScale"),
];

/// Reads an Apple maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    if !note.data.starts_with(b"Apple iOS\0") {
        return;
    }
    let le = note.data.get(12..14) == Some(b"II");
    let ifd = MakerIfd::note_relative(note, le, 0);
    let entries = ifd.entries(cx, 14);
    push_named(cx, GROUP, MAIN, &entries, run_time);
}

/// RunTime (0x0003): the integers of its property-list dictionary.
fn run_time(cx: &mut Ctx, e: &MakerEntry) -> bool {
    if e.tag != 0x0003 {
        return false;
    }
    for (key, value) in plist_int_dict(e.bytes.unwrap_or_default()) {
        if let Some((_, name)) = RUN_TIME.iter().find(|(k, _)| *k == key) {
            push(cx, GROUP, *name, Value::Int(value));
        }
    }
    true
}

/// The ASCII-keyed integer entries of a binary property list whose top object is a
/// dictionary (`bplist00`; other values are skipped). Empty when malformed.
fn plist_int_dict(d: &[u8]) -> Vec<(&[u8], i64)> {
    let mut out = Vec::new();
    let Some(trailer) = d.len().checked_sub(32).and_then(|t| d.get(t..)) else { return out };
    if !d.starts_with(b"bplist00") {
        return out;
    }
    let be = |b: &[u8]| b.iter().fold(0u64, |a, x| (a << 8) | u64::from(*x));
    let (Some(&off_size), Some(&ref_size)) = (trailer.get(6), trailer.get(7)) else { return out };
    let (off_size, ref_size) = (usize::from(off_size), usize::from(ref_size));
    let count = be(trailer.get(8..16).unwrap_or_default());
    let top = be(trailer.get(16..24).unwrap_or_default());
    let table = be(trailer.get(24..32).unwrap_or_default());
    if !(1..=8).contains(&off_size) || !(1..=8).contains(&ref_size) || top >= count {
        return out;
    }
    // Where object `i` starts.
    let object = |i: u64| -> Option<usize> {
        let at = usize::try_from(table.checked_add(i.checked_mul(off_size as u64)?)?).ok()?;
        usize::try_from(be(d.get(at..at.checked_add(off_size)?)?)).ok()
    };
    let Some(dict) = object(top) else { return out };
    let Some(&marker) = d.get(dict) else { return out };
    // Small dictionaries only: the length is in the marker's low nibble.
    if marker >> 4 != 0xD || marker & 0x0F == 0x0F {
        return out;
    }
    let n = usize::from(marker & 0x0F);
    let refs = |k: usize| -> Option<u64> {
        let at = dict.checked_add(1)?.checked_add(k.checked_mul(ref_size)?)?;
        Some(be(d.get(at..at.checked_add(ref_size)?)?))
    };
    for k in 0..n {
        let (Some(kr), Some(vr)) = (refs(k), refs(n + k)) else { break };
        let (Some(ko), Some(vo)) = (object(kr), object(vr)) else { continue };
        let (Some(&km), Some(&vm)) = (d.get(ko), d.get(vo)) else { continue };
        if km >> 4 != 0x5 || vm >> 4 != 0x1 {
            continue;
        }
        let key = d.get(ko + 1..ko + 1 + usize::from(km & 0x0F));
        let width = 1usize << (vm & 0x0F).min(3);
        let value = d.get(vo + 1..vo + 1 + width).map(be);
        if let (Some(key), Some(value)) = (key, value) {
            out.push((key, value as i64));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::plist_int_dict;

    #[test]
    fn reads_an_iphone_run_time_dictionary() {
        let mut d = b"bplist00\xd4\x01\x02\x03\x04\x05\x06\x07\x08UflagsUvalueUepochYtimescale\
\x10\x01\x13\x00\x00\x24\x2c\x29\x49\x8c\xae\x10\x00\x12\x3b\x9a\xca\x00"
            .to_vec();
        let table = d.len();
        d.extend_from_slice(&[0x08, 0x11, 0x17, 0x1d, 0x23, 0x2d, 0x2f, 0x38, 0x3a]);
        d.extend_from_slice(&[0, 0, 0, 0, 0, 0, 1, 1]);
        d.extend_from_slice(&9u64.to_be_bytes());
        d.extend_from_slice(&0u64.to_be_bytes());
        d.extend_from_slice(&(table as u64).to_be_bytes());
        let got = plist_int_dict(&d);
        assert_eq!(
            got,
            vec![
                (&b"flags"[..], 1),
                (&b"value"[..], 39_772_089_846_958),
                (&b"epoch"[..], 0),
                (&b"timescale"[..], 1_000_000_000)
            ]
        );
    }

    #[test]
    fn refuses_garbage() {
        assert!(plist_int_dict(b"bplist00").is_empty());
        assert!(plist_int_dict(&[0xff; 64]).is_empty());
    }
}

#[cfg(test)]
mod sorted {
    /// Look-ups search the tables by code, so each must be sorted.
    #[test]
    fn tables_are_sorted_by_code() {
        assert!(super::MAIN.windows(2).all(|w| w[0].0 < w[1].0));
    }
}

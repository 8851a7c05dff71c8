//! Maker notes of makers the shared corpus lacks (Samsung Type2 and STMN, DJI with its
//! XMP, GoPro's movie user data), in the byte-level fixtures of `tests/fixtures/makernotes/`:
//! every tag of ExifTool's golden must match, both ways, and the family-1 groups must be
//! ExifTool's.

#![allow(clippy::panic)] // tests report failures by panicking

mod common;

use common::{golden, values_equal};
use metasift::{ExifToolOptions, exiftool_json};
use serde_json::Value as Json;

const DIR: &str = "tests/fixtures/makernotes";

/// DJI's `drone-dji:GpsLatitude`, which ExifTool names `GPSLatitude`, keeps its own
/// name: under ExifTool's name our GPS composites would read it as an EXIF-style
/// coordinate (ExifTool joins its text as it is).
/// The movie header's matrix is not read (the tracks' is, which ExifTool shows when there
/// are tracks); the GoPro fixture has none.
const KNOWN: &[(&str, &str)] = &[
    ("dji_xmp.jpg", "XMP:GPSLatitude"),
    ("dji_xmp.jpg", "XMP:GpsLatitude"),
    ("gopro_udta.mp4", "QuickTime:MatrixStructure"),
];

#[test]
fn maker_note_fixtures_match_exiftool() {
    let n = golden::assert_fixtures_match(DIR, KNOWN);
    assert!(n >= 6, "{n} fixtures");
}

/// The makers' tags under their family-1 group (`Samsung:`, `DJI:`, `GoPro:`), as `-G1`
/// prints them.
#[test]
fn family1_groups_match_exiftool() {
    for path in golden::fixtures(DIR) {
        let g1 = format!("{}.exiftool-g1.json", path.display());
        let text = std::fs::read_to_string(&g1).unwrap_or_else(|e| panic!("{g1}: {e}"));
        let golden: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{g1}: {e}"));
        let golden = golden.get(0).and_then(Json::as_object).cloned().unwrap_or_default();
        let meta = metasift::extract_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ours = exiftool_json(&meta, "x", ExifToolOptions::default().with_groups(true).with_family1(true));
        let mut checked = 0;
        let maker = |k: &str| ["Samsung:", "DJI:", "GoPro:"].iter().any(|g| k.starts_with(g));
        for (k, g) in golden.iter().filter(|(k, _)| maker(k)) {
            let o = ours.get(k);
            assert!(o.is_some_and(|o| values_equal(g, o)), "{} {k}: golden {g} ours {o:?}", path.display());
            checked += 1;
        }
        assert!(checked >= 3, "{}: {checked} maker tags", path.display());
    }
}

/// Values worth naming: the deciphered colour levels and the note-relative offsets of a
/// phone's note.
#[test]
fn samsung_values() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
    let m = metasift::extract_path(dir.join("samsung_nx_type2.jpg")).unwrap_or_else(|e| panic!("{e}"));
    let text = |k: &str| m.get(k).map(metasift::Value::to_text).unwrap_or_default();
    assert_eq!(text("MakerNotes:WB_RGGBLevelsIlluminator1"), "2120 1120 1120 1830");
    assert_eq!(text("MakerNotes:ColorMatrix"), "610 -80 -170 -10 610 50 100 -220 790");
    assert_eq!(text("Composite:WB_RGGBLevels"), "1870 894 894 1470");
    assert_eq!(text("MakerNotes:PictureWizardSaturation"), "-3");
    let m = metasift::extract_path(dir.join("samsung_phone_type2.jpg")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        m.get("MakerNotes:SerialNumber").map(metasift::Value::to_text).as_deref(),
        Some("R58J41ABCDE")
    );
    // The summary's body fields come from the note when EXIF has none.
    assert_eq!(m.summary.serial_number.as_deref(), Some("R58J41ABCDE"));
    assert_eq!(m.summary.firmware.as_deref(), Some("G950FXXU1AQI7"));
}

/// Every prefix of each fixture, and each with one byte in three changed in turn, parses
/// without a panic (offsets, counts and keys come from the file).
#[test]
fn damaged_fixtures_do_not_panic() {
    for path in golden::fixtures(DIR) {
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for len in 0..data.len() {
            let _ = metasift::extract_bytes(data.get(..len).unwrap_or_default());
        }
        for at in (0..data.len()).step_by(3) {
            let mut bad = data.clone();
            if let Some(b) = bad.get_mut(at) {
                *b ^= 0xA5;
            }
            let _ = metasift::extract_bytes(&bad);
        }
    }
}

/// The `makernotes` fuzz target reaches the new readers: its first byte picks the maker
/// (`SAMSUNG` and `DJI` in `fuzzing.rs`, top bit little-endian), the second where the note
/// sits after its TIFF header. The notes are cut from the fixtures where their first
/// entry starts.
#[test]
fn fuzz_entry_reaches_samsung_and_dji() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
    let cases: [(&str, &[u8], usize, u8, usize); 3] = [
        ("samsung_phone_type2.jpg", b"\x01\x00\x07\x00\x04\x00\x00\x000100", 2, 0x88, 10),
        ("samsung_stmn.jpg", b"STMN", 0, 0x88, 4),
        ("dji_phantom.jpg", b"\x01\x00\x02\x00\x04\x00\x00\x00DJI\0", 2, 0x8F, 10),
    ];
    for (name, first_entry, back, selector, expected) in cases {
        let data = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let at = data
            .windows(first_entry.len())
            .position(|w| w == first_entry)
            .unwrap_or_else(|| panic!("{name}: note not found"));
        let mut input = vec![selector, 0];
        input.extend_from_slice(data.get(at - back..).unwrap_or_default());
        let found = metasift::fuzzing::parse_maker_note(&input);
        assert!(found >= expected, "{name}: {found} tags");
    }
}

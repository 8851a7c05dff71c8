//! Sony maker notes against ExifTool 12.57: the fixtures of
//! `tests/fixtures/makernotes/sony/` (built by `build.py`, values partly written by
//! ExifTool itself, see `make.sh`) match their `exiftool -json -n -G` goldens both ways,
//! and the shared corpus's old `SONY DSC` note, whose entries ExifTool leaves unknown,
//! stays without `MakerNotes` tags.

#![allow(clippy::panic, clippy::expect_used)] // tests report failures by panicking

mod common;

use common::golden;
use metasift::{Value, extract_path};

const DIR: &str = "tests/fixtures/makernotes/sony";

/// Fields that metasift leaves out: those of the 0x9400 block that ExifTool shows for
/// some bodies and block sizes and not for others, by a rule not known, and those of
/// 0x9050 besides the shutter count, whose places move from body to body.
const LEFT_OUT: &[(&str, &str)] = &[
    ("enciphered_cam.jpg", "MakerNotes:ModelReleaseYear"),
    ("enciphered_cam.jpg", "MakerNotes:SonyImageHeight"),
    ("enciphered_cam.jpg", "MakerNotes:Shutter"),
    ("enciphered_cam.jpg", "MakerNotes:FlashStatus"),
    ("enciphered_cam.jpg", "MakerNotes:SonyExposureTime"),
    ("enciphered_cam.jpg", "MakerNotes:SonyFNumber"),
    ("enciphered_headerless.jpg", "MakerNotes:ModelReleaseYear"),
    ("enciphered_headerless.jpg", "MakerNotes:SonyImageHeight"),
    ("enciphered_headerless.jpg", "MakerNotes:Shutter"),
    ("enciphered_headerless.jpg", "MakerNotes:FlashStatus"),
    ("enciphered_headerless.jpg", "MakerNotes:SonyExposureTime"),
    ("enciphered_headerless.jpg", "MakerNotes:SonyFNumber"),
    ("enciphered_headerless.jpg", "MakerNotes:ShutterCount2"),
];

#[test]
fn sony_fixtures_match_exiftool() {
    let n = golden::assert_fixtures_match(DIR, LEFT_OUT);
    assert_eq!(n, 5, "fixtures in {DIR}");
}

fn open(name: &str) -> metasift::Metadata {
    extract_path(format!("{}/{DIR}/{name}", env!("CARGO_MANIFEST_DIR"))).expect("parses")
}

fn get(m: &metasift::Metadata, key: &str) -> Value {
    m.get(key).cloned().unwrap_or_else(|| panic!("{key} missing"))
}

#[test]
fn main_ifd_values_written_by_exiftool() {
    let m = open("main.jpg");
    // ExifTool wrote these through its own conversions; read back through ours.
    assert_eq!(get(&m, "MakerNotes:SerialNumber").to_text(), "0012345");
    assert_eq!(get(&m, "MakerNotes:LensSpec").to_text(), "00 24 70 2.8 2.8 00");
    assert_eq!(get(&m, "MakerNotes:FullImageSize").to_text(), "6000 4000");
    assert_eq!(get(&m, "MakerNotes:WhiteBalanceFineTune").as_i64(), Some(-2));
    assert_eq!(get(&m, "MakerNotes:FocusMode").as_i64(), Some(2));
    assert_eq!(get(&m, "MakerNotes:SonyModelID").as_i64(), Some(306));
    // The summary takes the body's serial number from the maker note.
    assert_eq!(m.summary.serial_number.as_deref(), Some("0012345"));
}

#[test]
fn enciphered_blocks_deciphered() {
    // ExifTool enciphered the camera temperature (36) and the shutter count (23456)
    // into this note itself.
    let m = open("enciphered_headerless.jpg");
    assert_eq!(get(&m, "MakerNotes:CameraTemperature").as_i64(), Some(36));
    assert_eq!(get(&m, "MakerNotes:ShutterCount").as_i64(), Some(23456));
    assert_eq!(get(&m, "MakerNotes:SequenceImageNumber").as_i64(), Some(5));
    assert_eq!(get(&m, "MakerNotes:LensType3").as_i64(), Some(32790));
    // The focus mode's top bit is a flag of its own.
    assert_eq!(get(&m, "MakerNotes:FocusMode").as_i64(), Some(2));
    let m = open("enciphered_cam.jpg");
    assert_eq!(get(&m, "MakerNotes:ShotNumberSincePowerUp").as_i64(), Some(57));
    assert_eq!(get(&m, "MakerNotes:ShutterCount").as_i64(), Some(678));
    assert_eq!(get(&m, "MakerNotes:AmbientTemperature").as_i64(), Some(21));
}

#[test]
fn old_sony_note_stays_unread() {
    let Some(root) = common::corpus() else { return };
    let m = extract_path(root.join("real/exiftool/Sony.jpg")).expect("parses");
    let found: Vec<&str> =
        m.tags.iter().filter(|t| t.group == "MakerNotes").map(|t| t.name.as_str()).collect();
    assert!(found.is_empty(), "ExifTool shows none of these: {found:?}");
}

#[test]
fn damaged_notes_never_panic() {
    // Every cut and a byte smashed at every place of each fixture: the note's counts,
    // offsets and enciphered blocks all go wrong somewhere in the sweep.
    for path in golden::fixtures(DIR) {
        let data = std::fs::read(&path).expect("reads");
        for cut in 0..data.len() {
            let _ = metasift::extract_bytes(data.get(..cut).unwrap_or_default());
        }
        for at in 0..data.len() {
            let mut bad = data.clone();
            if let Some(b) = bad.get_mut(at) {
                *b ^= 0xA5;
            }
            let _ = metasift::extract_bytes(&bad);
        }
    }
}

/// The maker note of a fixture (little-endian TIFF in an APP1 block): its offset from
/// the TIFF header and its bytes.
fn note_of(jpeg: &[u8]) -> Option<(u32, &[u8])> {
    let tiff = jpeg.get(common::find(jpeg, b"Exif\0\0", 0)? + 6..)?;
    let u16_at = |o: usize| Some(u16::from_le_bytes(tiff.get(o..o + 2)?.try_into().ok()?));
    let u32_at = |o: usize| Some(u32::from_le_bytes(tiff.get(o..o + 4)?.try_into().ok()?));
    let entry = |ifd: usize, tag: u16| -> Option<(u32, u32)> {
        (0..usize::from(u16_at(ifd)?))
            .map(|i| ifd + 2 + 12 * i)
            .find(|e| u16_at(*e) == Some(tag))
            .and_then(|e| Some((u32_at(e + 4)?, u32_at(e + 8)?)))
    };
    let (_, exif) = entry(usize::try_from(u32_at(4)?).ok()?, 0x8769)?;
    let (len, at) = entry(usize::try_from(exif).ok()?, 0x927C)?;
    let start = usize::try_from(at).ok()?;
    Some((at, tiff.get(start..start + usize::try_from(len).ok()?)?))
}

#[test]
fn fuzz_entry_reaches_the_sony_reader() {
    // As fuzz/seed.sh seeds the makernotes target: Sony, little-endian, an E-mount body.
    for name in ["main.jpg", "enciphered_headerless.jpg", "enciphered_cam.jpg"] {
        let data = std::fs::read(format!("{}/{DIR}/{name}", env!("CARGO_MANIFEST_DIR"))).expect("reads");
        let (at, note) = note_of(&data).expect("a maker note");
        let mut input = vec![0xC2, u8::try_from(at).expect("note within 255 bytes")];
        input.extend_from_slice(note);
        let tags = metasift::fuzzing::parse_maker_note(&input);
        assert!(tags >= 10, "{name}: {tags} tags through the fuzz entry");
    }
}

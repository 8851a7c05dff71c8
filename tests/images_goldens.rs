//! Image fixtures made for ExifTool conformance (ICC v4 localized descriptions, GPS
//! composites with and without references, damaged JPEGs, XMP structures, 35 mm
//! equivalents), each with `exiftool -json -n -G` output committed beside it: every tag
//! must match, both ways.

#![allow(clippy::panic)] // tests report failures by panicking

mod common;

use common::golden;

/// Composites ExifTool derives from XMP's focal-plane resolution. On ExifTool's own
/// XMP sample its scale is half the one the sensor size those numbers give, so the rule
/// is not known: metasift leaves the 35 mm scale (and what follows from it) out rather
/// than print a value that may be wrong.
const XMP_FOCAL_PLANE: &[&str] = &[
    "Composite:ScaleFactor35efl",
    "Composite:CircleOfConfusion",
    "Composite:DOF",
    "Composite:FOV",
    "Composite:FocalLength35efl",
    "Composite:HyperfocalDistance",
];

#[test]
fn image_fixtures_match_exiftool() {
    let allowed: Vec<(&str, &str)> =
        XMP_FOCAL_PLANE.iter().map(|k| ("xmp_numbers_structs.xmp", *k)).collect();
    let n = golden::assert_fixtures_match("tests/fixtures/images/golden", &allowed);
    assert!(n >= 7, "{n} fixtures");
    // The allowed differences are omissions, never other values.
    let missing = golden::differences(
        &golden::fixtures("tests/fixtures/images/golden")
            .into_iter()
            .find(|p| p.ends_with("xmp_numbers_structs.xmp"))
            .unwrap_or_default(),
    );
    assert!(missing.iter().all(|(_, g, o)| g.is_some() && o.is_none()), "{missing:?}");
}

/// Junk between two segments: the walk finds the next marker (the frame header, then
/// the image size) and says what it skipped, in ExifTool's words.
#[test]
fn damaged_jpeg_resyncs_to_the_next_marker() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images/golden");
    let m = metasift::extract_path(dir.join("damaged_garbage.jpg")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.get("File:ImageWidth"), Some(&metasift::Value::Int(32)));
    assert!(
        m.warnings.iter().any(|w| w.message.contains("Skipped unknown 16 bytes after JPEG DQT segment")),
        "{:?}",
        m.warnings
    );
}

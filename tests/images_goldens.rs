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

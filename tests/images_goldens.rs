//! Image fixtures made for ExifTool conformance (ICC v4 localized descriptions, GPS
//! composites with and without references, damaged JPEGs, XMP structures, 35 mm
//! equivalents), each with `exiftool -json -n -G` output committed beside it: every tag
//! must match, both ways.

#![allow(clippy::panic)] // tests report failures by panicking

mod common;

use common::golden;

#[test]
fn image_fixtures_match_exiftool() {
    let n = golden::assert_fixtures_match("tests/fixtures/images/golden", &[]);
    assert!(n >= 6, "{n} fixtures");
}

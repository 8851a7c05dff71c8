//! JPEG container tests over small generated fixtures.

#![allow(clippy::expect_used)]
use metasift::{Value, extract_path};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/exif/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn canon_full_has_jfif_sof_and_exif() {
    let m = extract_path(fixture("canon_full.jpg")).expect("parses");
    assert_eq!(m.get("JFIF:JFIFVersion"), Some(&Value::Text("1 1".into())));
    assert_eq!(m.get("File:ImageWidth").and_then(Value::as_i64), Some(640));
    assert_eq!(m.get("File:ImageHeight").and_then(Value::as_i64), Some(480));
    assert_eq!(m.get("File:YCbCrSubSampling"), Some(&Value::Text("2 2".into())));
    assert_eq!(m.get("File:ExifByteOrder"), Some(&Value::Text("MM".into())));
    assert_eq!(m.get("EXIF:ThumbnailOffset").and_then(Value::as_i64), Some(1280));
    assert_eq!(m.get("Composite:ImageSize"), Some(&Value::Text("640 480".into())));
    // A JPEG's metadata costs one source read.
    assert!(m.stats.source_reads <= 2, "{:?}", m.stats);
}

#[test]
fn comment_segment() {
    let m = extract_path(fixture("progressive_comment.jpg")).expect("parses");
    let c = m.get("File:Comment").and_then(Value::as_str).unwrap_or("");
    assert!(!c.is_empty());
    assert_eq!(m.get("File:EncodingProcess").and_then(Value::as_i64), Some(2));
}

#[test]
fn truncated_jpegs_never_panic() {
    let data = std::fs::read(fixture("canon_full.jpg")).expect("fixture");
    for n in (0..data.len()).step_by(97) {
        let _ = metasift::extract_bytes(&data[..n]);
    }
    // Damaged bytes in the header.
    let mut bad = data.clone();
    for i in (20..2000).step_by(13) {
        bad[i] ^= 0x5a;
    }
    let _ = metasift::extract_bytes(&bad);
}

//! Unit tests with synthesized headers for each refine path.

use super::*;

fn sniff_bytes(data: &[u8]) -> Format {
    sniff(&data, None).unwrap_or(Format::Unknown)
}

#[test]
fn names_are_unique_per_variant() {
    for f in Format::ALL {
        assert!(!f.name().is_empty());
        assert!(f.mime().contains('/'));
    }
    assert_eq!(Format::Jpeg.type_extension(), "JPG");
    assert_eq!(Format::ElfExe.type_extension(), "");
}

#[test]
fn jpeg_magic() {
    let data = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
    assert_eq!(sniff(&data, None).ok(), Some(Format::Jpeg));
    let empty: Vec<u8> = Vec::new();
    assert_eq!(sniff(&empty, None).ok(), Some(Format::Unknown));
}

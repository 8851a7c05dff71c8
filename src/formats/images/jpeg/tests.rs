//! Unit tests of the JPEG container.

use super::*;
use crate::model::{Tag, Value};
use crate::source::{ByteSource, ReadSeekSource};
use crate::test_util::parse_source;

#[test]
fn number_pairs_print_as_fmt_does() {
    for (a, b) in [(0, 0), (1, 1), (2, 1), (0, 9), (9, 0), (9, 9), (9, 10), (10, 255), (99, 100)] {
        assert_eq!(number_pair(a, b), format!("{a} {b}"));
    }
}

/// An APP1 segment with `sig` then `data`.
fn app1(sig: &[u8], data: &[u8]) -> Vec<u8> {
    let mut v = vec![0xFF, 0xE1];
    v.extend_from_slice(&((2 + sig.len() + data.len()) as u16).to_be_bytes());
    v.extend_from_slice(sig);
    v.extend_from_slice(data);
    v
}

fn tags_of(src: &dyn ByteSource) -> Vec<Tag> {
    let t = parse_source(src, parse);
    assert!(t.ok);
    t.tags
}

#[test]
fn extended_xmp_is_assembled_from_memory_and_from_a_reader() {
    let guid = "0123456789ABCDEF0123456789ABCDEF";
    let main = format!(
        r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmpNote:HasExtendedXMP="{guid}"/></rdf:RDF></x:xmpmeta>"#
    );
    let ext = format!(
        r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:source>{}</dc:source></rdf:Description></rdf:RDF></x:xmpmeta>"#,
        "x".repeat(300)
    );
    // A JPEG with the main packet and these (offset, part) chunks of `ext`.
    let half = ext.len() / 2;
    let (first, second) = ((0, &ext.as_bytes()[..half]), (half, &ext.as_bytes()[half..]));
    let jpeg = |chunks: &[(usize, &[u8])]| {
        let mut v = vec![0xFF, 0xD8];
        v.extend(app1(XMP_SIG, main.as_bytes()));
        for (at, part) in chunks {
            let mut d = guid.as_bytes().to_vec();
            d.extend_from_slice(&(ext.len() as u32).to_be_bytes());
            d.extend_from_slice(&(*at as u32).to_be_bytes());
            d.extend_from_slice(part);
            v.extend(app1(XMP_EXT_SIG, &d));
        }
        v.extend_from_slice(&[0xFF, 0xD9]);
        v
    };
    // End to end (in any order), then with a chunk repeated (skipped): the same tags
    // from memory and from a reader, the packet complete.
    for data in [jpeg(&[second, first]), jpeg(&[first, second, first])] {
        let from_memory = tags_of(&data.as_slice());
        let reader = ReadSeekSource::new(std::io::Cursor::new(data.as_slice())).unwrap();
        assert_eq!(from_memory, tags_of(&reader));
        let source = from_memory.iter().find(|t| t.name == "Source").map(|t| &t.value);
        assert_eq!(source, Some(&Value::Text("x".repeat(300).into())));
    }
}

/// A JPEG of SOI, segments (marker, body), EOI.
fn jpeg_of(segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8];
    for (marker, body) in segments {
        v.extend_from_slice(&[0xFF, *marker]);
        v.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(body);
    }
    v.extend_from_slice(&[0xFF, 0xD9]);
    v
}

/// `data` parsed from memory and from a reader with `max_alloc`: both must agree.
fn parsed_both_ways(data: &[u8], max_alloc: usize) -> crate::test_util::Parsed {
    let opts = crate::options::Options::default()
        .with_limits(crate::options::Limits::default().with_max_alloc(max_alloc));
    let memory = crate::test_util::parse_with_options(data, &opts, parse);
    let reader = ReadSeekSource::new(std::io::Cursor::new(data)).unwrap();
    let mut cx = Ctx::new(&reader, &opts);
    let _ = parse(&mut cx);
    assert_eq!(memory.tags, cx.tags);
    assert_eq!(memory.warnings, cx.warnings);
    memory
}

#[test]
fn photoshop_segments_stop_collecting_at_max_alloc() {
    // Each APP13 segment: one IRB resource holding one IPTC caption.
    let app13 = |c: u8| {
        // 104 bytes: even, as resources are padded.
        let mut iptc = vec![0x1C, 2, 120, 0, 99];
        iptc.resize(iptc.len() + 99, c);
        let mut b = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
        b.extend_from_slice(&(iptc.len() as u32).to_be_bytes());
        b.extend_from_slice(&iptc);
        (0xED, b)
    };
    let data = jpeg_of(&[app13(b'a'), app13(b'b'), app13(b'c')]);
    // All three fit (3 x 116 bytes): the captions of all.
    let all = parsed_both_ways(&data, 1000);
    assert!(all.warnings.is_empty(), "{:?}", all.warnings);
    let captions =
        |t: &crate::test_util::Parsed| t.tags.iter().filter(|t| t.name == "Caption-Abstract").count();
    assert_eq!(captions(&all), 3);
    // Two fit: the third is not collected, with a warning at its segment.
    let two = parsed_both_ways(&data, 300);
    assert_eq!(two.warnings.len(), 1, "{:?}", two.warnings);
    let w = &two.warnings[0];
    assert!(w.message.contains("Photoshop APP13 data past max_alloc (300 bytes held)"), "{}", w.message);
    assert_eq!(w.offset, Some(2 + 2 * (4 + 130) + 4));
    assert_eq!(captions(&two), 2);
}

#[test]
fn multi_segment_payloads_share_one_budget() {
    let mut profile = [0u8; 200];
    profile[36..40].copy_from_slice(b"acsp");
    let icc = |seq: u8, part: &[u8]| (0xE2, [&b"ICC_PROFILE\0"[..], &[seq, 2], part].concat());
    let data = jpeg_of(&[icc(1, &profile[..100]), icc(2, &profile[100..])]);
    let whole = parsed_both_ways(&data, 1000);
    assert!(whole.warnings.is_empty(), "{:?}", whole.warnings);
    assert!(whole.tags.iter().any(|t| t.group == "ICC_Profile"));
    // FLIR data first takes most of the budget; the profile's second chunk is left
    // out and the first alone is too short to read.
    let mut flir = b"FLIR\0\x01\0\0".to_vec();
    flir.resize(850, 0);
    let mut segments = vec![(0xE1, flir)];
    segments.extend([icc(1, &profile[..100]), icc(2, &profile[100..])]);
    let cut = parsed_both_ways(&jpeg_of(&segments), 1000);
    let messages: Vec<&str> = cut.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("ICC profile past max_alloc (1000 bytes held)")),
        "{messages:?}"
    );
}

#[test]
fn extended_xmp_is_never_filled_to_its_declared_length() {
    let guid = "0123456789ABCDEF0123456789ABCDEF";
    let ext = |full: u32, at: u32, part: &[u8]| {
        let mut d = XMP_EXT_SIG.to_vec();
        d.extend_from_slice(guid.as_bytes());
        d.extend_from_slice(&full.to_be_bytes());
        d.extend_from_slice(&at.to_be_bytes());
        d.extend_from_slice(part);
        (0xE1, d)
    };
    // Declared 1,000,000 bytes, 10 present in two chunks with a gap between them.
    let data = jpeg_of(&[ext(1_000_000, 0, b"<x:a>"), ext(1_000_000, 500_000, b"</x:a>")]);
    let t = parsed_both_ways(&data, 1 << 20);
    let messages: Vec<&str> = t.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.contains(&"jpeg: Extended XMP incomplete"), "{messages:?}");
    let (buf, complete, outside) =
        assemble([(500_000, &b"</x:a>"[..]), (0, b"<x:a>"), (999_999, b"xy")].into_iter(), 1_000_000);
    assert_eq!((&buf[..], complete, outside), (&b"<x:a></x:a>"[..], false, vec![999_999]));
    assert!(buf.capacity() <= 11);
    // Over max_alloc: not assembled, with a warning that names the limit.
    let t = parsed_both_ways(&data, 4096);
    assert!(t.warnings[0].message.contains("exceeds max_alloc (4096)"), "{:?}", t.warnings);
}

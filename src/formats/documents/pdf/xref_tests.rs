//! Unit tests of the cross-reference reader.

use super::*;
use crate::formats::documents::pdf::lexer::indirect;
use crate::formats::documents::pdf::rebuild::scan_map;
use crate::options::{Limits, Options};

/// The rebuild scan as it was, over the whole file at once: what the windowed scan
/// must find.
fn whole_file_scan(all: &[u8]) -> (HashMap<u32, Loc>, Option<Obj>) {
    let mut map = HashMap::new();
    let mut root = None;
    let mut i = 0usize;
    while let Some(p) = all.get(i..).and_then(|s| s.windows(3).position(|w| w == b"obj")) {
        let kw = i + p;
        i = kw + 3;
        let mut s = kw;
        let mut fields = 0;
        while fields < 2 {
            while s > 0 && all.get(s - 1).is_some_and(|c| *c == b' ' || *c == b'\r' || *c == b'\n') {
                s -= 1;
            }
            let end = s;
            while s > 0 && all.get(s - 1).is_some_and(u8::is_ascii_digit) {
                s -= 1;
            }
            if s == end {
                break;
            }
            fields += 1;
        }
        if fields < 2 {
            continue;
        }
        if let Ok((n, _, o, _)) = indirect(all, s, Caps::NONE) {
            map.insert(n, Loc::At(s as u64));
            if o.get("Type").is_some_and(|t| t.is_name("Catalog")) {
                root = Some(n);
            }
        }
    }
    let trailer = all
        .windows(7)
        .rposition(|w| w == b"trailer")
        .and_then(|t| Lexer::new(all, t + 7).object(0).ok().filter(|o| matches!(o, Obj::Dict(_))));
    (map, trailer.or_else(|| root.map(|r| Obj::Dict(vec![(b"Root".to_vec(), Obj::Ref(r, 0))]))))
}

/// A broken PDF of about `size` bytes: objects of many lengths (some with dictionaries
/// longer than a window's margin, some repeated, `\r\n` between the numbers), streams,
/// `trailer` keywords, all after `shift` bytes of junk, so that keywords fall across
/// window edges.
fn broken_pdf(size: usize, shift: usize) -> Vec<u8> {
    let mut out = vec![b'%'; shift];
    out.extend_from_slice(b"\n%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n");
    let mut x: u32 = 12345;
    let mut n = 3u32;
    while out.len() < size {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let long = (x >> 8) as usize % 9000;
        let sep = if x & 1 == 0 { " " } else { "\r\n" };
        let num = if x % 7 == 0 { n / 2 } else { n };
        out.extend_from_slice(format!("{num}{sep}0 obj\n<</Title({})/N {n}>>", "t".repeat(long)).as_bytes());
        if x % 5 == 0 {
            out.extend_from_slice(b"\nstream\nxx obj 1 2 obj\nendstream");
        }
        out.extend_from_slice(b"\nendobj\n");
        if x % 11 == 0 {
            out.extend_from_slice(format!("trailer\n<</Root 1 0 R/Size {n}>>\n").as_bytes());
        }
        n += 1;
    }
    out.extend_from_slice(b"trailer\n<</Root 1 0 R/Info 3 0 R>>\nstartxref\n999999\n%%EOF\n");
    out
}

#[test]
fn the_windowed_scan_finds_what_a_whole_file_scan_finds() {
    let opts = Options::default();
    for shift in [0, 1, 2, 3, 5, 8, 13, 100, 1000, 1021, 4093] {
        let pdf = broken_pdf(400 << 10, shift);
        let mut cx = Ctx::new(&pdf, &opts);
        let (map, trailer, _) = scan_map(&mut cx).unwrap();
        let (want_map, want_trailer) = whole_file_scan(&pdf);
        assert!(map.len() > 50);
        assert_eq!(map, want_map, "shift {shift}");
        assert_eq!(trailer, want_trailer, "shift {shift}");
        assert!(cx.warnings.is_empty());
    }
}

#[test]
fn a_scan_past_the_read_budget_takes_the_start_and_the_end() {
    let pdf = broken_pdf(3 << 20, 0);
    let opts = Options::default().with_limits(Limits::default().with_max_bytes_read(1 << 20));
    let mut cx = Ctx::new(&pdf, &opts);
    let (map, trailer, _) = scan_map(&mut cx).unwrap();
    let (want_map, want_trailer) = whole_file_scan(&pdf);
    // The trailer at the end, the first objects, and budget left to read them.
    assert_eq!(trailer, want_trailer);
    assert_eq!(map.get(&1), Some(&Loc::At(10)));
    assert!(map.len() > 50 && map.len() < want_map.len());
    assert!(cx.read_budget_left() >= 200 << 10, "{}", cx.read_budget_left());
    assert_eq!(cx.warnings.len(), 1);
    assert!(cx.warnings[0].message.contains("max_bytes_read"), "{}", cx.warnings[0].message);
}

#[test]
fn a_large_object_stream_is_cut_at_max_alloc() {
    // Object 3 is a stream of 64 KiB of `( ` bytes, compressed; objects after.
    let body = b" ".repeat(64 << 10);
    let z = miniz_oxide::deflate::compress_to_vec_zlib(&body, 6);
    let mut pdf = format!("3 0 obj\n<</Filter/FlateDecode/Length {}>>\nstream\n", z.len()).into_bytes();
    let at = pdf.len() as u64;
    pdf.extend_from_slice(&z);
    pdf.extend_from_slice(b"\nendstream\nendobj\n");
    let opts = Options::default().with_limits(Limits::default().with_max_alloc(16 << 10));
    let mut cx = Ctx::new(&pdf, &opts);
    let mut doc = Doc { sections: vec![], trailers: vec![], objstm: vec![], crypt: None, rescanned: true };
    let (_, _, dict, s) = read_indirect(&mut cx, 0).unwrap();
    let data = doc.stream_data(&mut cx, &dict, s.unwrap(), 0).unwrap();
    assert_eq!(data.len(), 16 << 10);
    assert_eq!(cx.warnings.len(), 1);
    assert_eq!(cx.warnings[0].offset, Some(at));
    assert!(cx.warnings[0].message.contains("max_alloc (16384 bytes)"), "{}", cx.warnings[0].message);
    // An unfiltered stream in memory is borrowed.
    let plain: &[u8] = b"1 0 obj\n<</Length 5>>\nstream\nhello\nendstream\nendobj\n";
    let mut cx = Ctx::new(&plain, &opts);
    let (_, _, dict, s) = read_indirect(&mut cx, 0).unwrap();
    let data = doc.stream_data(&mut cx, &dict, s.unwrap(), 0).unwrap();
    assert!(matches!(data, Cow::Borrowed(b"hello")));
}

#[test]
fn an_object_over_max_alloc_is_a_limit() {
    let mut pdf = b"1 0 obj\n<</Title(".to_vec();
    pdf.extend_from_slice(&b"x".repeat(100 << 10));
    pdf.extend_from_slice(b")>>\nendobj\n");
    let opts = Options::default().with_limits(Limits::default().with_max_alloc(64 << 10));
    let mut cx = Ctx::new(&pdf, &opts);
    let e = read_indirect(&mut cx, 0).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded);
    assert!(e.message().contains("max_alloc"));
}

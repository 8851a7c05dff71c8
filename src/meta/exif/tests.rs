//! Unit tests over synthesized TIFF blocks.

use super::*;
use crate::model::{Tag, Value, Warning};
use crate::options::Options;
use crate::test_util::{find, parse, parse_with_options};

/// A value in a synthesized IFD: raw bytes, or a pointer to another IFD of the list.
enum V {
    Raw(u16, u32, Vec<u8>),
    Ptr(u16, usize),
}

/// Builds a TIFF block: IFD 0 is first; `next[i]` chains IFD i to another.
fn build(le: bool, ifds: &[Vec<(u16, V)>], next: &[(usize, usize)]) -> Vec<u8> {
    let w16 = |v: u16| if le { v.to_le_bytes() } else { v.to_be_bytes() };
    let w32 = |v: u32| if le { v.to_le_bytes() } else { v.to_be_bytes() };
    // Layout: each IFD table, then its out-of-line data.
    let mut starts = Vec::new();
    let mut pos = 8u32;
    for ifd in ifds {
        starts.push(pos);
        pos += 2 + 12 * ifd.len() as u32 + 4;
        for (_, v) in ifd {
            if let V::Raw(_, _, d) = v {
                if d.len() > 4 {
                    pos += d.len() as u32 + (d.len() as u32 & 1);
                }
            }
        }
    }
    let mut out = Vec::new();
    out.extend_from_slice(if le { b"II" } else { b"MM" });
    out.extend_from_slice(&w16(42));
    out.extend_from_slice(&w32(8));
    for (i, ifd) in ifds.iter().enumerate() {
        let mut data_pos = starts[i] + 2 + 12 * ifd.len() as u32 + 4;
        let mut data = Vec::new();
        out.extend_from_slice(&w16(ifd.len() as u16));
        for (tag, v) in ifd {
            out.extend_from_slice(&w16(*tag));
            match v {
                V::Ptr(typ, target) => {
                    out.extend_from_slice(&w16(*typ));
                    out.extend_from_slice(&w32(1));
                    out.extend_from_slice(&w32(starts[*target]));
                }
                V::Raw(typ, count, d) => {
                    out.extend_from_slice(&w16(*typ));
                    out.extend_from_slice(&w32(*count));
                    if d.len() <= 4 {
                        let mut b = d.clone();
                        b.resize(4, 0);
                        out.extend_from_slice(&b);
                    } else {
                        out.extend_from_slice(&w32(data_pos));
                        data.extend_from_slice(d);
                        if d.len() & 1 == 1 {
                            data.push(0);
                        }
                        data_pos += d.len() as u32 + (d.len() as u32 & 1);
                    }
                }
            }
        }
        let nx = next.iter().find(|(a, _)| *a == i).map_or(0, |(_, b)| starts[*b]);
        out.extend_from_slice(&w32(nx));
        out.extend_from_slice(&data);
    }
    out
}

fn ascii(s: &str) -> V {
    let mut d = s.as_bytes().to_vec();
    d.push(0);
    V::Raw(2, d.len() as u32, d)
}

fn rats(le: bool, v: &[(u32, u32)]) -> V {
    let mut d = Vec::new();
    for (n, q) in v {
        for x in [n, q] {
            d.extend_from_slice(&if le { x.to_le_bytes() } else { x.to_be_bytes() });
        }
    }
    V::Raw(5, v.len() as u32, d)
}

fn short(le: bool, v: u16) -> V {
    V::Raw(3, 1, if le { v.to_le_bytes() } else { v.to_be_bytes() }.to_vec())
}

fn sample(le: bool) -> Vec<u8> {
    build(
        le,
        &[
            vec![
                (0x010F, ascii("Canon")),
                (0x0112, short(le, 6)),
                (0x011A, rats(le, &[(300, 1)])),
                (0x8769, V::Ptr(4, 1)),
                (0x8825, V::Ptr(4, 2)),
            ],
            vec![
                (0x829A, rats(le, &[(1, 250)])),
                (0x9000, V::Raw(7, 4, b"0232".to_vec())),
                (0x9003, ascii("2021:06:15 14:30:45")),
                (0x9101, V::Raw(7, 4, vec![1, 2, 3, 0])),
                (0x9205, rats(le, &[(297, 100)])),
            ],
            vec![
                (0x0000, V::Raw(1, 4, vec![2, 3, 0, 0])),
                (0x0001, ascii("N")),
                (0x0002, rats(le, &[(48, 1), (51, 1), (301_323_601, 10_000_000)])),
                (0x0007, rats(le, &[(12, 1), (30, 1), (45, 1)])),
            ],
            vec![
                (0x0103, short(le, 6)),
                (0x0201, V::Raw(4, 1, vec![0, 0, 0, 0])),
                (0x011A, rats(le, &[(72, 1)])),
            ],
        ],
        &[(0, 3)],
    )
}

#[test]
fn both_byte_orders_decode_alike() {
    for le in [true, false] {
        let data = sample(le);
        let p = parse(&data, |cx| parse_block(cx, &data, 12));
        assert_eq!(p.get("EXIF:Make"), Some(&Value::Text("Canon".into())));
        assert_eq!(p.get("EXIF:Orientation"), Some(&Value::Int(6)));
        assert_eq!(p.get("EXIF:XResolution"), Some(&Value::Float(300.0)), "IFD0 wins over IFD1");
        assert_eq!(p.get("EXIF:ExposureTime"), Some(&Value::Float(0.004)));
        assert_eq!(p.get("EXIF:ExifVersion"), Some(&Value::Text("0232".into())));
        assert_eq!(p.get("EXIF:ComponentsConfiguration"), Some(&Value::Text("1 2 3 0".into())));
        assert_eq!(p.get("EXIF:DateTimeOriginal"), Some(&Value::Text("2021:06:15 14:30:45".into())));
        assert_eq!(p.get("EXIF:GPSVersionID"), Some(&Value::Text("2 3 0 0".into())));
        assert_eq!(p.get("EXIF:GPSTimeStamp"), Some(&Value::Text("12:30:45".into())));
        let lat = p.get("EXIF:GPSLatitude").and_then(Value::as_f64).unwrap_or(0.0);
        assert!((lat - 48.8583701).abs() < 1e-7, "{lat}");
        let ap = p.get("EXIF:MaxApertureValue").and_then(Value::as_f64).unwrap_or(0.0);
        assert!((ap - 2.8).abs() < 0.001, "{ap}");
        assert_eq!(p.get("EXIF:ThumbnailOffset"), Some(&Value::Int(12)), "file offset");
        let order = Value::Text(if le { "II" } else { "MM" }.into());
        assert_eq!(p.get("File:ExifByteOrder"), Some(&order));
        let exif = find(&p.tags, "EXIF:ExposureTime").and_then(|t| t.subgroup.clone());
        assert_eq!(exif.as_deref(), Some("ExifIFD"));
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }
}

#[test]
fn ifd_loops_warn_and_stop() {
    // IFD0 -> IFD1 -> IFD0 again, and an ExifIFD pointing at itself.
    let data = build(
        true,
        &[vec![(0x010F, ascii("Loop")), (0x8769, V::Ptr(4, 1))], vec![(0x8769, V::Ptr(4, 1))]],
        &[(0, 1), (1, 0)],
    );
    let p = parse(&data, |cx| parse_block(cx, &data, 12));
    assert_eq!(p.get("EXIF:Make"), Some(&Value::Text("Loop".into())));
    assert!(p.warnings.iter().any(|w| w.message.contains("loops")), "{:?}", p.warnings);
}

#[test]
fn bad_offsets_and_counts_warn() {
    let mut data = sample(true);
    // Point the ExposureTime value (first ExifIFD entry) far away.
    let exif = u32::from_le_bytes([
        data[8 + 2 + 12 * 3 + 8],
        data[8 + 2 + 12 * 3 + 9],
        data[8 + 2 + 12 * 3 + 10],
        data[8 + 2 + 12 * 3 + 11],
    ]) as usize;
    let entry = exif + 2;
    data[entry + 8..entry + 12].copy_from_slice(&0x7fff_fff0u32.to_le_bytes());
    let p = parse(&data, |cx| parse_block(cx, &data, 12));
    assert_eq!(p.get("EXIF:ExposureTime"), None);
    assert_eq!(p.get("EXIF:Make"), Some(&Value::Text("Canon".into())));
    assert!(!p.warnings.is_empty());

    // An absurd entry count in IFD0 is an error, not a hang.
    let mut data = sample(false);
    data[8..10].copy_from_slice(&0xffffu16.to_be_bytes());
    let p = parse(&data, |cx| parse_block(cx, &data, 12));
    assert!(p.tags.iter().all(|t| t.group == "File"));
    assert!(!p.ok);

    // Truncated blocks and garbage never panic.
    let full = sample(true);
    for n in 0..full.len() {
        let cut = &full[..n];
        let _ = parse(cut, |cx| parse_block(cx, cut, 12));
    }
}

/// Tags and warnings of walking `data` as an in-memory block or a file, with or without
/// the fast route for ordinary entries.
fn walk(data: &[u8], in_file: bool, fast: bool, opts: &Options) -> (Vec<Tag>, Vec<Warning>) {
    let p = parse_with_options(data, opts, |cx| {
        let r = Header::parse(data).ok_or_else(|| Error::malformed(0, "no header")).and_then(|head| {
            let from = if in_file { Src::File } else { Src::Mem(data) };
            let mut w = Walker::new(from, 0, data.len() as u64, head, Flavor::Tiff);
            w.fast = fast;
            w.run(cx)
        });
        if let Err(e) = r {
            cx.warn_error(&e);
        }
        Ok(())
    });
    (p.tags, p.warnings)
}

#[test]
fn plain_entries_take_the_general_route_s_result() {
    let le = true;
    let raw = |typ: u16, count: u32, d: &[u8]| V::Raw(typ, count, d.to_vec());
    let ifds = vec![
        vec![
            (0x00FE, raw(4, 1, &[1, 0, 0, 0])),
            (0x0100, raw(3, 1, &[0x80, 2])),
            (0x0101, raw(4, 1, &[0xe0, 1, 0, 0])),
            (0x0102, raw(3, 3, &[8, 0, 8, 0, 8, 0])),
            (0x010D, raw(2, 0, &[])),
            (0x010E, ascii("A description longer than the inline limit of 24 bytes")),
            (0x010F, ascii("abc")),
            (0x0110, raw(2, 6, b"Mod\xe9l\0")),
            (0x0111, raw(4, 1, &[8, 0, 0, 0])),
            (0x0117, raw(4, 1, &[4, 0, 0, 0])),
            (0x0201, raw(4, 1, &[8, 0, 0, 0])),
            (0x0202, raw(4, 1, &[4, 0, 0, 0])),
            (0x011A, rats(le, &[(300, 1)])),
            (0x011B, rats(le, &[(1, 0)])),
            (0x011E, raw(10, 1, &[0xff, 0xff, 0xff, 0xff, 3, 0, 0, 0])),
            (0x0128, raw(8, 1, &[0xfe, 0xff])),
            (0x0131, raw(2, 8, b"soft   \0")),
            (0x0132, raw(2, 20, b"2021:06:15 14:30:45\0")),
            (0x013B, raw(2, 40, &[0x41; 40])),
            (0x8769, V::Ptr(4, 1)),
            (0x8825, V::Ptr(4, 2)),
            (0xC4A5, raw(7, 12, b"PrintIM\x000300")),
            (0xFFF0, raw(3, 1, &[5, 0])),
        ],
        vec![
            (0x829A, rats(le, &[(1, 250)])),
            (0x829D, raw(11, 1, &0.3127f32.to_le_bytes())),
            (0x8827, raw(3, 1, &[0x90, 1])),
            (0x9000, raw(7, 4, b"0232")),
            (0x9204, raw(10, 1, &[0xfd, 0xff, 0xff, 0xff, 3, 0, 0, 0])),
            (0x9206, raw(12, 1, &(1.0f64 / 3.0).to_le_bytes())),
            (0x9209, raw(6, 1, &[0xff])),
            (0xA002, raw(1, 1, &[7])),
            (0xA005, V::Ptr(4, 3)),
            (0xA433, raw(2, 5, b"Cano\0")),
            (0xA434, raw(99, 1, &[0, 0, 0, 0])),
        ],
        vec![(0x0000, raw(1, 4, &[2, 3, 0, 0])), (0x0001, ascii("N")), (0x0006, rats(le, &[(355, 10)]))],
        vec![(0x0001, ascii("R98")), (0x0002, raw(7, 4, b"0100"))],
    ];
    let data = build(le, &ifds, &[]);
    let opts = Options::default();
    let mut small = Options::default();
    small.limits.max_tags = 9;
    small.limits.max_value_len = 4;
    let mut cases = vec![data.clone()];
    // Every value pointer aimed out of range in turn, and the block cut short anywhere.
    cases.extend((10..data.len()).step_by(12).map(|at| {
        let mut d = data.clone();
        d[at..at + 4].copy_from_slice(&0x7fff_fff0u32.to_le_bytes());
        d
    }));
    cases.extend((0..data.len()).map(|n| data[..n].to_vec()));
    for (i, case) in cases.iter().enumerate() {
        for opts in [&opts, &small] {
            for in_file in [false, true] {
                // Compared as text: a NaN value is not equal to itself.
                let general = format!("{:?}", walk(case, in_file, false, opts));
                let fast = format!("{:?}", walk(case, in_file, true, opts));
                assert_eq!(fast, general, "case {i}, in file: {in_file}");
            }
        }
    }
    let (tags, warnings) = walk(&data, false, true, &opts);
    // Only the entry of unknown type is warned about.
    assert!(tags.len() > 30 && warnings.len() == 1, "{tags:?} {warnings:?}");
}

//! What a CR3 keeps for Canon outside its `CMT` TIFF blocks, handed over by the ISO-BMFF
//! reader: the compressor version (`CNCV` box), each raw track's picture size (`CMP1`
//! box of a `CRAW` sample description) and the samples of the timed-metadata track
//! (`CTMD`).
//!
//! A CTMD sample is a run of records, each a 32-bit little-endian size (the whole record),
//! a 16-bit type and 6 more header bytes, then its payload: type 1 a time stamp, 4 the
//! focal length, 5 the exposure, and 7, 8 and 9 a list of TIFF blocks (a 32-bit size and
//! a 32-bit TIFF tag before each) of which the maker note (`0x927C`) holds more of
//! Canon's IFD, read with the same tables as CMT3's. ExifTool files these tags under the
//! track (`Track4`), and the main note's value of a name wins over the track's.

use crate::base::bytes::{be32, le16, le32};
use crate::context::Ctx;
use crate::meta::exif::makernotes::{self, Note, found_text};
use crate::model::{Tag, Text, Value};
use std::collections::HashSet;

/// Most records read in one sample, and TIFF blocks in one record.
const MAX_RECORDS: usize = 64;
/// Bytes before a record's payload.
const RECORD_HEADER: usize = 12;
/// Bytes before a TIFF block of a type 7-9 record.
const BLOCK_HEADER: usize = 8;
/// TIFF tag of a maker note.
const MAKER_NOTE: u32 = 0x927C;

/// `CNCV`: the compressor version text.
pub(crate) fn read_cncv(cx: &mut Ctx, data: &[u8]) {
    if !cx.opts.maker_notes {
        return;
    }
    let end = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let text = String::from_utf8_lossy(data.get(..end).unwrap_or_default()).trim().to_owned();
    if !text.is_empty() {
        makernotes::ifd::push(cx, super::GROUP, "CompressorVersion", Value::Text(Text::from(text)));
    }
}

/// `CMP1` of a raw track (family-1 group `track`): the coded picture's width and height,
/// big-endian 32-bit words at bytes 16 and 20.
pub(crate) fn read_cmp1(cx: &mut Ctx, data: &[u8], track: &str) {
    if !cx.opts.maker_notes {
        return;
    }
    let (Some(w), Some(h)) = (be32(data, 16), be32(data, 20)) else { return };
    push_in(cx, track, "ImageWidth", Value::Int(w.into()));
    push_in(cx, track, "ImageHeight", Value::Int(h.into()));
}

fn push_in(cx: &mut Ctx, track: &str, name: &'static str, value: Value) {
    cx.push(Tag::new("MakerNotes", name, value).in_subgroup(track.to_owned()));
}

/// One CTMD sample (`data`, at file offset `at`) of the track named `track`.
pub(crate) fn read_ctmd(cx: &mut Ctx, data: &[u8], at: u64, track: &str) {
    if !cx.opts.maker_notes {
        return;
    }
    let from = cx.tags.len();
    let mut pos = 0usize;
    for _ in 0..MAX_RECORDS {
        if pos >= data.len() {
            break;
        }
        let (Some(size), Some(kind)) = (le32(data, pos), le16(data, pos + 4)) else {
            cx.warn(at.saturating_add(pos as u64), "CTMD record header is truncated");
            break;
        };
        let end = usize::try_from(size).ok().and_then(|s| pos.checked_add(s));
        let body = end.and_then(|e| data.get(pos.checked_add(RECORD_HEADER)?..e));
        let (Some(end), Some(body)) = (end, body) else {
            cx.warn(
                at.saturating_add(pos as u64),
                format!("CTMD record of {size} bytes does not fit its sample"),
            );
            break;
        };
        let body_at = at.saturating_add((pos + RECORD_HEADER) as u64);
        match kind {
            1 => time_stamp(cx, body, track),
            4 => focal_info(cx, body, track),
            5 => exposure_info(cx, body, track),
            7..=9 => tiff_blocks(cx, body, body_at),
            _ => {}
        }
        pos = end;
    }
    file_under_track(cx, from, track);
}

/// Type 1: year (16 bits at byte 2), month, day, hour, minute, second, hundredths.
fn time_stamp(cx: &mut Ctx, b: &[u8], track: &str) {
    let (Some(year), Some(&[mo, d, h, mi, s, cs])) = (le16(b, 2), b.get(4..10)) else { return };
    let text = format!("{year:04}:{mo:02}:{d:02} {h:02}:{mi:02}:{s:02}.{cs:02}");
    push_in(cx, track, "TimeStamp", Value::Text(Text::from(text)));
}

/// A ratio of two 16-bit little-endian halves (none over zero).
fn ratio16(b: &[u8], at: usize) -> Option<Value> {
    let (num, den) = (le16(b, at)?, le16(b, at + 2)?);
    (den != 0).then(|| Value::Float(f64::from(num) / f64::from(den)))
}

/// Type 4: the focal length.
fn focal_info(cx: &mut Ctx, b: &[u8], track: &str) {
    if let Some(v) = ratio16(b, 0) {
        push_in(cx, track, "FocalLength", v);
    }
}

/// Type 5: f-number, exposure time and ISO.
fn exposure_info(cx: &mut Ctx, b: &[u8], track: &str) {
    if let Some(v) = ratio16(b, 0) {
        push_in(cx, track, "FNumber", v);
    }
    if let Some(v) = ratio16(b, 4) {
        push_in(cx, track, "ExposureTime", v);
    }
    if let Some(iso) = le32(b, 8) {
        push_in(cx, track, "ISO", Value::Int(iso.into()));
    }
}

/// Types 7 to 9: TIFF blocks, of which the maker note is read. (The ExifIFD block
/// repeats tags of CMT2, which ExifTool shows from there.)
fn tiff_blocks(cx: &mut Ctx, b: &[u8], at: u64) {
    let mut pos = 0usize;
    for _ in 0..MAX_RECORDS {
        let (Some(size), Some(tag)) = (le32(b, pos), le32(b, pos + 4)) else { break };
        let end = usize::try_from(size).ok().and_then(|s| pos.checked_add(s));
        let Some((end, tiff)) = end.and_then(|e| Some((e, b.get(pos.checked_add(BLOCK_HEADER)?..e)?))) else {
            cx.warn(at.saturating_add(pos as u64), "CTMD TIFF block does not fit its record");
            break;
        };
        if tag == MAKER_NOTE {
            maker_note(cx, tiff, at.saturating_add((pos + BLOCK_HEADER) as u64));
        }
        if end <= pos {
            break;
        }
        pos = end;
    }
}

/// A TIFF block whose first IFD is Canon's note (offsets from the block's header).
fn maker_note(cx: &mut Ctx, tiff: &[u8], at: u64) {
    let le = match tiff.get(..4) {
        Some(b"II*\0") => true,
        Some(b"MM\0*") => false,
        _ => {
            cx.warn(at, "CTMD maker note has no TIFF header");
            return;
        }
    };
    let first = if le { le32(tiff, 4) } else { be32(tiff, 4) };
    let Some((first, body)) = first.and_then(|f| Some((f, tiff.get(usize::try_from(f).ok()?..)?))) else {
        cx.warn(at, "CTMD maker note: IFD offset out of range");
        return;
    };
    let model = found_text(cx, "EXIF", "Model");
    let note = Note {
        data: body,
        at: at.saturating_add(u64::from(first)),
        tiff_pos: u64::from(first),
        le,
        make: "Canon",
        model: &model,
    };
    makernotes::read(cx, &note);
}

/// Files the tags found from `from` on under `track`, below an earlier `MakerNotes` tag
/// of the same name (the main note's).
fn file_under_track(cx: &mut Ctx, from: usize, track: &str) {
    let earlier: HashSet<Text> = cx
        .tags
        .get(..from)
        .unwrap_or_default()
        .iter()
        .filter(|t| t.group == "MakerNotes")
        .map(|t| t.name.clone())
        .collect();
    for t in cx.tags.get_mut(from..).unwrap_or_default() {
        if t.group != "MakerNotes" {
            continue;
        }
        t.subgroup = Some(track.to_owned().into());
        if earlier.contains(&t.name) {
            t.priority = i8::MIN;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    /// A CTMD record: size, type, 6 header bytes, payload.
    fn record(kind: u16, payload: &[u8]) -> Vec<u8> {
        let size = (RECORD_HEADER + payload.len()) as u32;
        [&size.to_le_bytes()[..], &kind.to_le_bytes(), &[0, 0, 0, 1, 0xff, 0xff], payload].concat()
    }

    /// A little-endian TIFF block whose IFD holds one ColorData (tag 0x4001) of `words`.
    fn color_note(words: &[u16]) -> Vec<u8> {
        let mut t = b"II*\0\x08\0\0\0\x01\0".to_vec();
        t.extend_from_slice(&0x4001u16.to_le_bytes());
        t.extend_from_slice(&3u16.to_le_bytes()); // SHORT
        t.extend_from_slice(&(words.len() as u32).to_le_bytes());
        t.extend_from_slice(&26u32.to_le_bytes()); // after the IFD and its next-IFD link
        t.extend_from_slice(&[0; 4]);
        t.extend(words.iter().flat_map(|w| w.to_le_bytes()));
        t
    }

    fn sample() -> Vec<u8> {
        let stamp = [0, 0, 0xe2, 0x07, 2, 21, 12, 8, 56, 21, 0, 0];
        let exposure = [35, 0, 10, 0, 1, 0, 80, 0, 0, 0x32, 0, 0];
        let mut words = vec![0u16; 1820];
        words[0] = 16;
        words[71..76].copy_from_slice(&[1104, 1024, 1024, 1789, 3284]);
        let note = color_note(&words);
        let block =
            [&((note.len() + BLOCK_HEADER) as u32).to_le_bytes()[..], &MAKER_NOTE.to_le_bytes(), &note]
                .concat();
        [record(1, &stamp), record(5, &exposure), record(8, &block)].concat()
    }

    fn read(data: &[u8]) -> test_util::Parsed {
        test_util::parse(data, |cx| {
            cx.push(Tag::new("MakerNotes", "FNumber", 3.56).in_subgroup("Canon"));
            read_ctmd(cx, data, 0, "Track4");
            Ok(())
        })
    }

    #[test]
    fn records_and_maker_note() {
        let found = read(&sample());
        assert!(found.warnings.is_empty(), "{:?}", found.warnings);
        assert_eq!(found.shown("MakerNotes:TimeStamp"), Some(&Value::from("2018:02:21 12:08:56.21")));
        assert_eq!(found.shown("MakerNotes:ISO"), Some(&Value::Int(12800)));
        assert_eq!(found.shown("MakerNotes:ExposureTime"), Some(&Value::Float(0.0125)));
        assert_eq!(found.shown("MakerNotes:ColorDataVersion"), Some(&Value::Int(16)));
        assert_eq!(found.shown("MakerNotes:WB_RGGBLevelsAsShot"), Some(&Value::from("1104 1024 1024 1789")));
        assert_eq!(found.shown("MakerNotes:ColorTempAsShot"), Some(&Value::Int(3284)));
        // The main note's FNumber stays the one shown; the track's is kept under Track4.
        assert_eq!(found.shown("MakerNotes:FNumber"), Some(&Value::Float(3.56)));
        let track =
            found.tags.iter().find(|t| t.name == "FNumber" && t.subgroup.as_deref() == Some("Track4"));
        assert_eq!(track.map(|t| &t.value), Some(&Value::Float(3.5)));
        assert!(found.tags.iter().skip(1).all(|t| t.subgroup.as_deref() == Some("Track4")));
    }

    #[test]
    fn lying_sizes_and_cuts_are_warnings() {
        let mut data = sample();
        data[3] = 0x7f; // the first record claims more than the sample holds
        let found = read(&data);
        assert_eq!(found.warnings.len(), 1);
        assert_eq!(found.tags.len(), 1);
        let whole = sample();
        for n in 0..whole.len() {
            read(&whole[..n]);
        }
        // A record of size 0 cannot loop.
        read(&[0u8; 64]);
    }

    #[test]
    fn cmp1_and_cncv() {
        let mut cmp1 = vec![0u8; 16];
        cmp1.extend_from_slice(&1624u32.to_be_bytes());
        cmp1.extend_from_slice(&1080u32.to_be_bytes());
        let found = test_util::parse(&[], |cx| {
            read_cmp1(cx, &cmp1, "Track2");
            read_cmp1(cx, &cmp1[..20], "Track3");
            read_cncv(cx, b"CanonCR3_001/00.09.00/00.00.00\0\0");
            Ok(())
        });
        assert_eq!(found.shown("MakerNotes:ImageHeight"), Some(&Value::Int(1080)));
        assert_eq!(found.tags.len(), 3);
        assert_eq!(
            found.shown("MakerNotes:CompressorVersion"),
            Some(&Value::from("CanonCR3_001/00.09.00/00.00.00"))
        );
    }
}

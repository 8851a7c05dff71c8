//! IPTC IIM datasets (records 1 and 2): `0x1C record dataset length value`, names from the
//! IPTC IIM 4.2 specification as ExifTool spells them.

use crate::base::bytes::{Endian, be_i32, be16};
use crate::base::short_text::{Out, ShortText};
use crate::context::Ctx;
use crate::error::Result;
use crate::model::{BinaryRef, Tag, Text, Value};
use std::borrow::Cow;

/// How a dataset's bytes are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Text in the record's character set.
    Text,
    /// A 2-byte big-endian binary number (text when the length is not 2).
    Int16,
    /// Text of digits, shown as a number.
    Digits,
    /// CCYYMMDD, shown as "CCYY:MM:DD".
    Date,
    /// HHMMSS±HHMM, shown as "HH:MM:SS±HH:MM".
    Time,
    /// Binary data, referenced.
    Binary,
}

use Kind::*;

/// Datasets of the envelope (1) and application (2) records.
const DATASETS: &[(u8, u8, Text, Kind)] = &[
    (1, 0, Text::from_static("EnvelopeRecordVersion"), Int16),
    (1, 5, Text::from_static("Destination"), Text),
    (1, 20, Text::from_static("FileFormat"), Int16),
    (1, 22, Text::from_static("FileVersion"), Int16),
    (1, 30, Text::from_static("ServiceIdentifier"), Text),
    (1, 40, Text::from_static("EnvelopeNumber"), Digits),
    (1, 50, Text::from_static("ProductID"), Text),
    (1, 60, Text::from_static("EnvelopePriority"), Digits),
    (1, 70, Text::from_static("DateSent"), Date),
    (1, 80, Text::from_static("TimeSent"), Time),
    (1, 90, Text::from_static("CodedCharacterSet"), Text),
    (1, 100, Text::from_static("UniqueObjectName"), Text),
    (1, 120, Text::from_static("ARMIdentifier"), Int16),
    (1, 122, Text::from_static("ARMVersion"), Int16),
    (2, 0, Text::from_static("ApplicationRecordVersion"), Int16),
    (2, 3, Text::from_static("ObjectTypeReference"), Text),
    (2, 4, Text::from_static("ObjectAttributeReference"), Text),
    (2, 5, Text::from_static("ObjectName"), Text),
    (2, 7, Text::from_static("EditStatus"), Text),
    (2, 8, Text::from_static("EditorialUpdate"), Text),
    (2, 10, Text::from_static("Urgency"), Digits),
    (2, 12, Text::from_static("SubjectReference"), Text),
    (2, 15, Text::from_static("Category"), Text),
    (2, 20, Text::from_static("SupplementalCategories"), Text),
    (2, 22, Text::from_static("FixtureIdentifier"), Text),
    (2, 25, Text::from_static("Keywords"), Text),
    (2, 26, Text::from_static("ContentLocationCode"), Text),
    (2, 27, Text::from_static("ContentLocationName"), Text),
    (2, 30, Text::from_static("ReleaseDate"), Date),
    (2, 35, Text::from_static("ReleaseTime"), Time),
    (2, 37, Text::from_static("ExpirationDate"), Date),
    (2, 38, Text::from_static("ExpirationTime"), Time),
    (2, 40, Text::from_static("SpecialInstructions"), Text),
    (2, 42, Text::from_static("ActionAdvised"), Text),
    (2, 45, Text::from_static("ReferenceService"), Text),
    (2, 47, Text::from_static("ReferenceDate"), Date),
    (2, 50, Text::from_static("ReferenceNumber"), Text),
    (2, 55, Text::from_static("DateCreated"), Date),
    (2, 60, Text::from_static("TimeCreated"), Time),
    (2, 62, Text::from_static("DigitalCreationDate"), Date),
    (2, 63, Text::from_static("DigitalCreationTime"), Time),
    (2, 65, Text::from_static("OriginatingProgram"), Text),
    (2, 70, Text::from_static("ProgramVersion"), Text),
    (2, 75, Text::from_static("ObjectCycle"), Text),
    (2, 80, Text::from_static("By-line"), Text),
    (2, 85, Text::from_static("By-lineTitle"), Text),
    (2, 90, Text::from_static("City"), Text),
    (2, 92, Text::from_static("Sub-location"), Text),
    (2, 95, Text::from_static("Province-State"), Text),
    (2, 100, Text::from_static("Country-PrimaryLocationCode"), Text),
    (2, 101, Text::from_static("Country-PrimaryLocationName"), Text),
    (2, 103, Text::from_static("OriginalTransmissionReference"), Text),
    (2, 105, Text::from_static("Headline"), Text),
    (2, 110, Text::from_static("Credit"), Text),
    (2, 115, Text::from_static("Source"), Text),
    (2, 116, Text::from_static("CopyrightNotice"), Text),
    (2, 118, Text::from_static("Contact"), Text),
    (2, 120, Text::from_static("Caption-Abstract"), Text),
    (2, 121, Text::from_static("LocalCaption"), Text),
    (2, 122, Text::from_static("Writer-Editor"), Text),
    (2, 125, Text::from_static("RasterizedCaption"), Binary),
    (2, 130, Text::from_static("ImageType"), Text),
    (2, 131, Text::from_static("ImageOrientation"), Text),
    (2, 135, Text::from_static("LanguageIdentifier"), Text),
    (2, 150, Text::from_static("AudioType"), Text),
    (2, 151, Text::from_static("AudioSamplingRate"), Digits),
    (2, 152, Text::from_static("AudioSamplingResolution"), Digits),
    (2, 153, Text::from_static("AudioDuration"), Text),
    (2, 154, Text::from_static("AudioOutcue"), Text),
    (2, 184, Text::from_static("JobID"), Text),
    (2, 185, Text::from_static("MasterDocumentID"), Text),
    (2, 186, Text::from_static("ShortDocumentID"), Text),
    (2, 187, Text::from_static("UniqueDocumentID"), Text),
    (2, 188, Text::from_static("OwnerID"), Text),
    (2, 200, Text::from_static("ObjectPreviewFileFormat"), Int16),
    (2, 201, Text::from_static("ObjectPreviewFileVersion"), Int16),
    (2, 202, Text::from_static("ObjectPreviewData"), Binary),
    (2, 221, Text::from_static("Prefs"), Text),
    (2, 225, Text::from_static("ClassifyState"), Text),
    (2, 228, Text::from_static("SimilarityIndex"), Text),
    (2, 230, Text::from_static("DocumentNotes"), Text),
    (2, 231, Text::from_static("DocumentHistory"), Text),
    (2, 232, Text::from_static("ExifCameraInfo"), Text),
    (2, 255, Text::from_static("CatalogSets"), Text),
];

/// For each (record 1|2, dataset): its index in [`DATASETS`] plus one, 0 when unlisted.
const DATASET_INDEX: [[u8; 256]; 2] = {
    let mut index = [[0u8; 256]; 2];
    let mut i = 0;
    while i < DATASETS.len() {
        let (record, dataset) = (DATASETS[i].0, DATASETS[i].1);
        index[record as usize - 1][dataset as usize] = i as u8 + 1;
        i += 1;
    }
    index
};

fn lookup(record: u8, dataset: u8) -> Option<(&'static Text, Kind)> {
    let slot = DATASET_INDEX.get(usize::from(record).wrapping_sub(1))?.get(usize::from(dataset))?;
    DATASETS.get(usize::from(*slot).checked_sub(1)?).map(|d| (&d.2, d.3))
}

/// Parses IIM datasets (`0x1C record dataset length value`...) held in memory, and
/// reports `File:CurrentIPTCDigest` (MD5 of `data`, as ExifTool computes it over the whole
/// block, padding included).
pub(crate) fn parse_iim(cx: &mut Ctx, data: &[u8], file_offset: u64) -> Result<()> {
    if data.first() == Some(&0x1C) {
        let digest = crate::base::hash::hex(&crate::base::hash::md5(data));
        cx.push(Tag::new("File", "CurrentIPTCDigest", digest));
    }
    let mut utf8 = false;
    // The block read as UTF-8 once (true of most blocks, whose lengths are small): each
    // value is then a slice of it, not validated again.
    let block_text = std::str::from_utf8(data).ok();
    // Datasets become tags in the order they first occur; each (record 1|2, dataset) has
    // the position of its tag here, so that a repeat joins it as a list item. They are
    // pushed past the tag limits, which apply once all are read (see `Ctx::limit_from`).
    let first = cx.tags.len();
    let mut index = [[u32::MAX; 256]; 2];
    let mut pos = 0usize;
    while pos < data.len() {
        let Some(&[marker, record, dataset, l0, l1]) = data.get(pos..pos + 5) else {
            if data[pos..].iter().any(|b| *b != 0) {
                cx.warn(file_offset + pos as u64, "iptc: truncated dataset header");
            }
            break;
        };
        if marker != 0x1C {
            if data[pos..].iter().any(|b| *b != 0) {
                cx.warn(file_offset + pos as u64, format!("iptc: bad dataset marker 0x{marker:02x}"));
            }
            break;
        }
        let mut start = pos + 5;
        let mut len = usize::from(Endian::Big.u16_from([l0, l1]));
        if len & 0x8000 != 0 {
            // Extended dataset: the next (len & 0x7fff) bytes hold the length.
            let n = len & 0x7fff;
            let Some(bytes) = data.get(start..start + n).filter(|_| n <= 8) else {
                cx.warn(file_offset + pos as u64, "iptc: bad extended dataset length");
                break;
            };
            len = bytes.iter().fold(0usize, |a, b| a.saturating_mul(256).saturating_add(usize::from(*b)));
            start += n;
        }
        let Some(value) = start.checked_add(len).and_then(|end| data.get(start..end)) else {
            cx.warn(
                file_offset + pos as u64,
                format!("iptc: dataset {record}:{dataset} runs past the block"),
            );
            break;
        };
        pos = start + len;
        if record == 1 && dataset == 90 {
            utf8 = value == b"\x1b%G";
        }
        if record != 1 && record != 2 {
            continue;
        }
        let (name, kind) = match lookup(record, dataset) {
            Some((n, k)) => (n.clone(), k),
            None => (Text::from_fmt(format_args!("IPTC_0x{record:02x}{dataset:02x}")), Kind::Text),
        };
        let text = block_text.and_then(|b| b.get(start..pos));
        let v = match text {
            // Plain text already read as UTF-8 (most datasets): as `decode` makes it.
            Some(t) if kind == Kind::Text && (utf8 || t.is_ascii()) => Value::text(t.trim_end_matches('\0')),
            _ => decode(kind, value, text, utf8, file_offset + start as u64),
        };
        let slot = &mut index[usize::from(record - 1)][usize::from(dataset)];
        match cx.tags.get_mut(*slot as usize) {
            Some(t) => add_repeat(&mut t.value, v, cx.opts.limits.max_tags),
            None => {
                *slot = u32::try_from(cx.tags.len()).unwrap_or(u32::MAX);
                let subgroup = Some(Cow::Borrowed("IPTC"));
                cx.tags.push(Tag { group: "IPTC", subgroup, name, value: v, priority: 0 });
            }
        }
    }
    cx.limit_from(first);
    Ok(())
}

/// Adds the value of a repeated dataset to its tag's `value`, which becomes a list; a
/// list holds at most `max_items` values.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
fn add_repeat(value: &mut Value, v: Value, max_items: usize) {
    match value {
        Value::List(items) if items.len() < max_items => items.push(v),
        Value::List(_) => {}
        single if max_items > 1 => {
            let mut items = Vec::with_capacity(4);
            items.push(std::mem::replace(single, Value::Bool(false)));
            items.push(v);
            *single = Value::List(items);
        }
        _ => {}
    }
}

/// Photo Mechanic "SoftEdit" datasets (record 2, 4-byte integers) held in its file
/// trailer (`...IPTC data, u32 size, "cbipcbbl"` at the end of a JPEG or PSD).
pub(crate) fn parse_photomechanic(cx: &mut Ctx, data: &[u8]) {
    let mut pos = 0usize;
    while let Some(&[0x1C, record, dataset, l0, l1]) = data.get(pos..pos + 5) {
        let len = usize::from(Endian::Big.u16_from([l0, l1]));
        let Some(v) = data.get(pos + 5..pos + 5 + len) else { break };
        pos += 5 + len;
        let name = match (record, dataset) {
            (2, 209) => "RawCropLeft",
            (2, 210) => "RawCropTop",
            (2, 211) => "RawCropRight",
            (2, 212) => "RawCropBottom",
            (2, 216) => "Rotation",
            (2, 217) => "CropLeft",
            (2, 218) => "CropTop",
            (2, 219) => "CropRight",
            (2, 220) => "CropBottom",
            (2, 221) => "Tagged",
            (2, 222) => "ColorClass",
            (2, 223) => "Rating",
            _ => continue,
        };
        if let (4, Some(n)) = (v.len(), be_i32(v, 0)) {
            cx.push(Tag::new("PhotoMechanic", name, n).in_subgroup("PhotoMechanic"));
        }
    }
}

/// Decodes one dataset value; `text` is `v` as a `str` when already known to be UTF-8.
fn decode(kind: Kind, v: &[u8], text: Option<&str>, utf8: bool, offset: u64) -> Value {
    match kind {
        Binary => return Value::Binary(BinaryRef { offset, length: v.len() as u64 }),
        Int16 if v.len() == 2 => return Value::Int(i64::from(be16(v, 0).unwrap_or_default())),
        _ => {}
    }
    if utf8 || v.is_ascii() {
        match text.map_or_else(|| std::str::from_utf8(v), Ok) {
            Ok(s) => decode_str(kind, s),
            Err(_) => decode_str(kind, &Text::from_utf8_lossy(v)),
        }
    } else {
        decode_str(kind, &Text::from_chars(v.iter().map(|&b| cp1252(b))))
    }
}

/// Decodes one dataset's text (trailing NULs dropped).
fn decode_str(kind: Kind, text: &str) -> Value {
    let t = text.trim_end_matches('\0');
    match kind {
        Digits => t.trim().parse::<i64>().map_or_else(|_| Value::text(t), Value::Int),
        Date if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) => Value::Text(with_colons(t, &[4, 6])),
        Time => time(t).map_or_else(|| Value::text(t), Value::Text),
        _ => Value::text(t),
    }
}

/// "HHMMSS[±HHMM]" -> "HH:MM:SS[±HH:MM]".
fn time(t: &str) -> Option<Text> {
    let b = t.as_bytes();
    if b.len() < 6 || !b[..6].iter().all(u8::is_ascii_digit) {
        return None;
    }
    if b.len() == 11 && matches!(b[6], b'+' | b'-') && b[7..].iter().all(u8::is_ascii_digit) {
        Some(with_colons(t, &[2, 4, 9]))
    } else if b.len() == 6 {
        Some(with_colons(t, &[2, 4]))
    } else {
        None
    }
}

/// `t` with a `:` inserted before each byte position of `at` (ascending, on character
/// boundaries), built on the stack (the results are short).
fn with_colons(t: &str, at: &[usize]) -> Text {
    let mut out = ShortText::new();
    let mut from = 0;
    for &i in at {
        out.push_str(t.get(from..i).unwrap_or_default());
        out.push(':');
        from = i;
    }
    out.push_str(t.get(from..).unwrap_or_default());
    out.finish()
}

/// Windows-1252 byte to char (Latin-1 outside 0x80..0x9F).
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
        '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use crate::meta::nested::Payload;
    use crate::model::Value;
    use crate::test_util::payload;

    fn ds(rec: u8, ds: u8, v: &[u8]) -> Vec<u8> {
        let mut out = vec![0x1C, rec, ds];
        out.extend_from_slice(&(v.len() as u16).to_be_bytes());
        out.extend_from_slice(v);
        out
    }

    #[test]
    fn datasets_are_sorted() {
        assert!(super::DATASETS.windows(2).all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
    }

    #[test]
    fn lookup_finds_every_dataset_and_nothing_else() {
        for record in 0..=255u8 {
            for dataset in 0..=255u8 {
                let listed = super::DATASETS.iter().find(|d| (d.0, d.1) == (record, dataset));
                assert_eq!(super::lookup(record, dataset).map(|l| l.0), listed.map(|d| &d.2));
            }
        }
    }

    #[test]
    fn utf8_and_lists() {
        let mut d = ds(1, 90, b"\x1b%G");
        d.extend(ds(2, 0, &[0, 4]));
        d.extend(ds(2, 25, "café".as_bytes()));
        d.extend(ds(2, 25, b"paris"));
        d.extend(ds(2, 55, b"20210615"));
        d.extend(ds(2, 60, b"143045+0200"));
        d.extend(ds(2, 10, b"5"));
        d.extend(ds(2, 99, b"x"));
        let p = payload(Payload::Iptc, &d);
        assert_eq!(p.get("IPTC:CodedCharacterSet"), Some(&Value::Text("\x1b%G".into())));
        assert_eq!(p.get("IPTC:ApplicationRecordVersion"), Some(&Value::Int(4)));
        assert_eq!(
            p.get("IPTC:Keywords"),
            Some(&Value::List(vec![Value::Text("café".into()), Value::Text("paris".into())]))
        );
        assert_eq!(p.get("IPTC:DateCreated"), Some(&Value::Text("2021:06:15".into())));
        assert_eq!(p.get("IPTC:TimeCreated"), Some(&Value::Text("14:30:45+02:00".into())));
        assert_eq!(p.get("IPTC:Urgency"), Some(&Value::Int(5)));
        assert_eq!(p.get("IPTC:IPTC_0x0263"), Some(&Value::Text("x".into())));
    }

    #[test]
    fn latin1_fallback() {
        // Without 1:90 = ESC % G the text is Windows-1252, as ExifTool reads it (even
        // when it happens to be valid UTF-8).
        let mut d = ds(2, 90, b"Z\xfcrich");
        d.extend(ds(2, 25, b"caf\xe9 \x80"));
        d.extend(ds(2, 7, "été".as_bytes()));
        let p = payload(Payload::Iptc, &d);
        assert_eq!(p.get("IPTC:City"), Some(&Value::Text("Zürich".into())));
        assert_eq!(p.get("IPTC:Keywords"), Some(&Value::Text("café €".into())));
        assert_eq!(p.get("IPTC:EditStatus"), Some(&Value::Text("Ã©tÃ©".into())));
    }

    #[test]
    fn numbers_dates_times() {
        let mut d = ds(2, 200, &[0, 1]);
        d.extend(ds(2, 60, b"143045"));
        d.extend(ds(1, 70, b"20210615"));
        d.extend(ds(1, 22, &[0, 2]));
        d.extend(ds(2, 202, b"\xff\xd8"));
        let p = payload(Payload::Iptc, &d);
        assert_eq!(p.get("IPTC:ObjectPreviewFileFormat"), Some(&Value::Int(1)));
        assert_eq!(p.get("IPTC:TimeCreated"), Some(&Value::Text("14:30:45".into())));
        assert_eq!(p.get("IPTC:DateSent"), Some(&Value::Text("2021:06:15".into())));
        assert_eq!(p.get("IPTC:FileVersion"), Some(&Value::Int(2)));
        assert!(matches!(p.get("IPTC:ObjectPreviewData"), Some(Value::Binary(b)) if b.length == 2));
    }

    #[test]
    fn repeats_make_lists_of_at_most_max_items() {
        for max in 0..5 {
            let mut v = Value::Int(0);
            for i in 1..6 {
                super::add_repeat(&mut v, Value::Int(i), max);
            }
            let kept: Vec<Value> = (0..max.clamp(1, 6) as i64).map(Value::Int).collect();
            let want = if kept.len() == 1 { Value::Int(0) } else { Value::List(kept) };
            assert_eq!(v, want, "{max}");
        }
    }

    #[test]
    fn text_after_non_utf8_bytes() {
        // The block is not UTF-8 as a whole (a binary dataset): values are checked alone.
        let mut d = ds(1, 90, b"\x1b%G");
        d.extend(ds(2, 202, b"\xff\xd8"));
        d.extend(ds(2, 25, "café".as_bytes()));
        d.extend(ds(2, 5, b"bad \xff"));
        let p = payload(Payload::Iptc, &d);
        assert_eq!(p.get("IPTC:Keywords"), Some(&Value::Text("café".into())));
        assert_eq!(p.get("IPTC:ObjectName"), Some(&Value::Text("bad \u{fffd}".into())));
    }

    #[test]
    fn hostile_lengths() {
        // Declared length past the end: nothing, no panic.
        let iptc = |d: &[u8]| payload(Payload::Iptc, d).tags.iter().filter(|t| t.group == "IPTC").count();
        let mut d = vec![0x1C, 2, 5, 0xFF, 0x00];
        assert_eq!(iptc(&d), 0);
        // Extended length with a huge size.
        d = vec![0x1C, 2, 5, 0x80, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, b'a'];
        assert_eq!(iptc(&d), 0);
        // Extended length that fits.
        d = vec![0x1C, 2, 5, 0x80, 0x02, 0x00, 0x03, b'a', b'b', b'c'];
        assert_eq!(payload(Payload::Iptc, &d).get("IPTC:ObjectName"), Some(&Value::Text("abc".into())));
        // Truncated header and garbage.
        for n in 0..d.len() {
            let _ = payload(Payload::Iptc, &d[..n]);
        }
    }
}

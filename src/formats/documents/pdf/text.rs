//! PDF text strings (PDFDocEncoding, UTF-16BE, UTF-8 with BOM) and dates.

use crate::base::decode;

/// PDFDocEncoding 0x18-0x1F (ISO 32000-1 Annex D).
const LOW: [char; 8] =
    ['\u{2D8}', '\u{2C7}', '\u{2C6}', '\u{2D9}', '\u{2DD}', '\u{2DB}', '\u{2DA}', '\u{2DC}'];
/// PDFDocEncoding 0x80-0xA0 (0x9F undefined).
const HIGH: [char; 33] = [
    '\u{2022}', '\u{2020}', '\u{2021}', '\u{2026}', '\u{2014}', '\u{2013}', '\u{192}', '\u{2044}',
    '\u{2039}', '\u{203A}', '\u{2212}', '\u{2030}', '\u{201E}', '\u{201C}', '\u{201D}', '\u{2018}',
    '\u{2019}', '\u{201A}', '\u{2122}', '\u{FB01}', '\u{FB02}', '\u{141}', '\u{152}', '\u{160}', '\u{178}',
    '\u{17D}', '\u{131}', '\u{142}', '\u{153}', '\u{161}', '\u{17E}', '\u{FFFD}', '\u{20AC}',
];

/// Decodes a PDF text string, stopping once the text is longer than `max` bytes: what
/// comes back then starts as the whole text would, and is still longer than `max`, so
/// that cutting it to `max` gives what cutting the whole text would have.
pub(crate) fn decode(b: &[u8], max: usize) -> String {
    if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
        return collect(decode::utf16_chars(decode::utf16_units(rest, false)), max);
    }
    if let Some(rest) = b.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        // Past `max + 4` bytes, the complete characters already make more than `max`.
        let rest = rest.get(..max.saturating_add(4)).unwrap_or(rest);
        return String::from_utf8_lossy(rest).into_owned();
    }
    let chars = b.iter().map(|&c| match c {
        0x18..=0x1F => LOW[usize::from(c - 0x18)],
        0x80..=0xA0 => HIGH[usize::from(c - 0x80)],
        _ => char::from(c),
    });
    collect(chars, max)
}

/// The characters of `chars` until the text is longer than `max` bytes.
fn collect(chars: impl Iterator<Item = char>, max: usize) -> String {
    let mut out = String::new();
    for c in chars {
        if out.len() > max {
            break;
        }
        out.push(c);
    }
    out
}

/// "D:20210615143045+02'00'" -> "2021:06:15 14:30:45+02:00"; `None` when not a date.
pub(crate) fn date(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    let part = |i: usize, default: &'static str| digits.get(i..i + 2).unwrap_or(default).to_owned();
    let year = digits.get(..4)?;
    let mut out = format!(
        "{}:{}:{} {}:{}:{}",
        year,
        part(4, "01"),
        part(6, "01"),
        part(8, "00"),
        part(10, "00"),
        part(12, "00")
    );
    let rest = s.get(digits.len()..).unwrap_or("");
    let mut tz = rest.chars();
    match tz.next() {
        Some('Z') => out.push('Z'),
        Some(sign @ ('+' | '-')) => {
            let nums: Vec<String> = tz
                .as_str()
                .split(['\'', ':'])
                .filter(|x| !x.is_empty())
                .take(2)
                .map(|x| x.chars().take(2).collect())
                .collect();
            let h = nums.first().cloned().unwrap_or_else(|| "00".into());
            let m = nums.get(1).cloned().unwrap_or_else(|| "00".into());
            out.push_str(&format!("{sign}{h:0>2}:{m:0>2}"));
        }
        _ => {}
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings() {
        assert_eq!(decode(b"R\xe9sum\xe9", 100), "Résumé");
        assert_eq!(decode(b"\xfe\xff\x00\xdc\x00n", 100), "Ün");
        assert_eq!(decode(b"a\x84b\xa0", 100), "a—b€");
    }

    #[test]
    fn long_strings_stop_past_the_limit() {
        let cases: [&[u8]; 3] = [
            b"R\xe9sum\xe9 R\xe9sum\xe9",
            b"\xfe\xff\x00\xdc\x00n\x00\xdc\x00n\x00n",
            b"\xef\xbb\xbf\xc3\x9cn\xc3\x9cnn",
        ];
        for b in cases {
            let whole = decode(b, usize::MAX);
            for max in 0..whole.len() {
                let cut = decode(b, max);
                let floor = |s: &str| (0..=max).rev().find(|i| s.is_char_boundary(*i)).unwrap_or(0);
                let same = cut.get(..floor(&cut)) == whole.get(..floor(&whole));
                assert!(cut.len() > max && same, "{cut:?} {max}");
            }
        }
    }

    #[test]
    fn dates() {
        assert_eq!(date("D:20210615143045+02'00'").as_deref(), Some("2021:06:15 14:30:45+02:00"));
        assert_eq!(date("D:20200101000000Z").as_deref(), Some("2020:01:01 00:00:00Z"));
        assert_eq!(date("D:20200102030405-05'00").as_deref(), Some("2020:01:02 03:04:05-05:00"));
        assert_eq!(date("D:2021").as_deref(), Some("2021:01:01 00:00:00"));
        assert_eq!(date("garbage"), None);
    }
}

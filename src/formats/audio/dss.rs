//! Olympus DSS dictation files: the recorder model and the recording's start and end
//! times and length, as text at fixed places of the header.

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{Tag, Text, Value};

/// Family-1 group of the header's tags (family 0 is `MakerNotes`, as ExifTool files them).
const GROUP: &str = "Olympus";

/// Reads the DSS header.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, 68)?;
    if !d.starts_with(b"\x02dss") {
        return Err(Error::malformed(0u64, "no DSS header"));
    }
    let mut add = |name: &'static str, v: Value| cx.push(Tag::new("MakerNotes", name, v).in_subgroup(GROUP));
    if let Some(m) = d.get(12..28) {
        add("Model", Value::Text(Text::from(String::from_utf8_lossy(m).into_owned())));
    }
    for (at, name) in [(38, "StartTime"), (50, "EndTime")] {
        if let Some(t) = d.get(at..at + 12).and_then(time) {
            add(name, Value::Text(Text::from(t)));
        }
    }
    if let Some(s) = d.get(62..68).and_then(digits) {
        let (h, m, sec) = (s / 10000, s / 100 % 100, s % 100);
        add("Duration", Value::Int((h * 3600 + m * 60 + sec) as i64));
    }
    Ok(())
}

/// Decimal digits as a number.
fn digits(b: &[u8]) -> Option<u64> {
    b.iter().try_fold(0u64, |n, c| c.is_ascii_digit().then(|| n * 10 + u64::from(c - b'0')))
}

/// `YYMMDDhhmmss` as an EXIF date (20th-century years are not written by these recorders).
fn time(b: &[u8]) -> Option<String> {
    digits(b)?;
    let s = std::str::from_utf8(b).ok()?;
    Some(format!("20{}:{}:{} {}:{}:{}", &s[0..2], &s[2..4], &s[4..6], &s[6..8], &s[8..10], &s[10..12]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    #[test]
    fn header_fields_and_truncations() {
        let mut f =
            b"\x02dss\x01\0\x01\0\x02\0\0\0DS2300          \x02\0\0\0\xfe\xff\xfe\xff\xf7\xff".to_vec();
        f.extend_from_slice(b"051116135242051116135253000010");
        let t = test_util::parse(&f, parse);
        assert_eq!(t.get("MakerNotes:StartTime"), Some(&Value::from("2005:11:16 13:52:42")));
        assert_eq!(t.get("MakerNotes:Duration"), Some(&Value::Int(10)));
        for n in 0..f.len() {
            let _ = test_util::parse(&f[..n], parse);
        }
    }
}

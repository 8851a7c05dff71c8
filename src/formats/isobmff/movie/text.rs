//! Text in QuickTime user data: Pascal-style records in Mac Roman or UTF-8, UTF-8/UTF-16
//! strings, ISO 8601 dates and ISO 6709 locations, as ExifTool prints them.

use super::num;
use crate::base::bytes::be16;
use crate::base::decode::utf16_until_nul;
use crate::model::Value;

/// QuickTime user-data text: one or more (length, language, text) records; the first is
/// kept. Macintosh language codes (< 0x400) mean Mac Roman text.
pub(super) fn qt_string(b: &[u8]) -> Option<String> {
    let len = usize::from(be16(b, 0)?);
    let lang = be16(b, 2)?;
    let raw = b.get(4..4 + len).or_else(|| b.get(4..))?;
    let text = if lang < 0x400 && raw.iter().any(|&c| c >= 0x80) && std::str::from_utf8(raw).is_err() {
        raw.iter().map(|&c| mac_roman(c)).collect()
    } else {
        decode_text(raw)
    };
    let text = text.trim_end_matches('\0').to_owned();
    (!text.is_empty()).then_some(text)
}

/// UTF-8, or UTF-16 when the text starts with a byte-order mark.
pub(super) fn decode_text(b: &[u8]) -> String {
    match b {
        [0xfe, 0xff, rest @ ..] => return utf16_until_nul(rest, false),
        [0xff, 0xfe, rest @ ..] => return utf16_until_nul(rest, true),
        _ => {}
    }
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// Mac Roman to Unicode (the upper half; the lower half is ASCII).
pub(super) fn mac_roman(c: u8) -> char {
    const HIGH: &str = "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u{A0}ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\u{F8FF}ÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ";
    if c < 0x80 { char::from(c) } else { HIGH.chars().nth(usize::from(c - 0x80)).unwrap_or('\u{FFFD}') }
}

/// `YYYY-MM-DDTHH:MM:SS[.s][Z|+hhmm|+hh:mm]` as `YYYY:MM:DD HH:MM:SS[.s][Z|+hh:mm]`; a bare
/// year becomes a number.
pub(super) fn date(s: &str) -> Value {
    let s = s.trim();
    if s.len() == 4 && s.bytes().all(|c| c.is_ascii_digit()) {
        return s.parse::<i64>().map(Value::Int).unwrap_or_else(|_| Value::from(s));
    }
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return Value::from(s);
    }
    let mut out = format!("{}:{}:{}", &s[0..4], &s[5..7], &s[8..10]);
    let Some(rest) = s.get(10..) else { return Value::from(out) };
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')).unwrap_or(rest);
    if rest.is_empty() {
        return Value::from(out);
    }
    let tz_at = rest.find(['Z', '+', '-']).unwrap_or(rest.len());
    let (time, tz) = rest.split_at(tz_at);
    out.push(' ');
    out.push_str(time);
    if tz.len() == 5 && tz[1..].bytes().all(|c| c.is_ascii_digit()) {
        out.push_str(&tz[..3]);
        out.push(':');
        out.push_str(&tz[3..]);
    } else {
        out.push_str(tz);
    }
    Value::from(out)
}

/// ISO 6709 (`+48.8584+002.2945+035.000/`) as ExifTool's `-n` GPSCoordinates
/// (`48.8584 2.2945 35`).
pub(super) fn iso6709(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('/');
    let mut parts = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c == '+' || c == '-' {
            if let Some(st) = start {
                parts.push(&s[st..i]);
            }
            start = Some(i);
        }
    }
    parts.push(s.get(start?..)?);
    if parts.len() < 2 {
        return None;
    }
    let mut out = Vec::new();
    for (i, p) in parts.iter().take(3).enumerate() {
        // Degrees (DD.D), degrees+minutes (DDMM.M) or +seconds (DDMMSS.S) by digit count.
        let (sign, digits) = p.split_at(1);
        let neg = sign == "-";
        let int_len = digits.find('.').unwrap_or(digits.len());
        let deg_len = if i == 1 { 3 } else { 2 };
        let v = if i < 2 && int_len >= deg_len + 2 {
            let d: f64 = digits.get(..deg_len)?.parse().ok()?;
            let mm: f64 = digits.get(deg_len..deg_len + 2)?.parse().ok()?;
            let rest = digits.get(deg_len + 2..)?;
            let extra = if int_len >= deg_len + 4 {
                let ss: f64 = rest.parse().ok()?;
                ss / 3600.0
            } else {
                format!("0{rest}").parse::<f64>().ok()? / 60.0
            };
            d + mm / 60.0 + extra
        } else {
            digits.parse().ok()?
        };
        out.push(num(if neg { -v } else { v }));
    }
    Some(out.join(" "))
}

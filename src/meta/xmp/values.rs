//! XMP value conversion to what `exiftool -n` prints: numbers, rationals, APEX values,
//! ISO 8601 dates in ExifTool form, GPS coordinates as signed degrees, booleans.

use crate::base::text::trim;
use crate::model::{BinaryRef, Value};

/// Namespaces whose rational-looking values are real rationals (EXIF/TIFF-derived).
fn rational_ns(prefix: &str) -> bool {
    matches!(prefix, "exif" | "tiff" | "exifEX" | "aux" | "xmpDM")
}

/// Converts the text of property `prefix:local`.
pub(super) fn convert(prefix: &str, local: &str, text: &str) -> Value {
    let t = trim(text);
    if is_plain(prefix, local, t) {
        return Value::from(text);
    }
    if prefix == "xmpGImg" && local == "image" {
        // A base64 JPEG thumbnail: reported as binary data of its decoded size.
        let chars = t.bytes().filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/').count();
        return Value::Binary(BinaryRef { offset: 0, length: (chars * 3 / 4) as u64 });
    }
    if prefix == "et" {
        // ExifTool's own RDF/XML: print-converted values; rationals become decimal text
        // with 15 significant digits, as ExifTool shows them.
        if let Some(v) = rational(t) {
            return match number(v) {
                Value::Float(f) => Value::from(significant15(f)),
                other => other,
            };
        }
    }
    if matches!(local, "GPSLatitude" | "GPSLongitude" | "GPSDestLatitude" | "GPSDestLongitude") {
        if let Some(v) = gps_coord(t) {
            return Value::Float(v);
        }
    }
    if rational_ns(prefix) {
        if let Some(v) = rational(t) {
            return match local {
                "ShutterSpeedValue" => apex(2f64.powf(-v)),
                "ApertureValue" | "MaxApertureValue" => apex(2f64.powf(v / 2.0)),
                _ => number(v),
            };
        }
        if t.contains('/') && t.split_ascii_whitespace().all(is_rational_syntax) {
            // Rationals, one ("0/0") or space-separated (aux:LensInfo "18/1 55/1 0/0 0/0"):
            // a zero denominator is ExifTool's "undef".
            let parts: Vec<String> = t
                .split_ascii_whitespace()
                .map(|p| rational(p).map_or_else(|| "undef".to_owned(), fmt_num))
                .collect();
            return Value::from(parts.join(" "));
        }
    }
    if prefix == "plus" {
        if let Some(rest) = t.strip_prefix("http://ns.useplus.org/ldf/vocab/") {
            return Value::from(rest);
        }
    }
    if prefix == "pdf" && local == "Trapped" {
        if let Some(rest) = t.strip_prefix('/') {
            return Value::from(rest);
        }
    }
    if prefix == "photomechanic" && local == "TimeCreated" {
        // "HHMMSS-hhmm" -> "HH:MM:SS-hh:mm"
        let b = t.as_bytes();
        let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
        if b.len() == 11 && digits(0..6) && matches!(b[6], b'+' | b'-') && digits(7..11) {
            return Value::from(format!("{}:{}:{}{}:{}", &t[0..2], &t[2..4], &t[4..6], &t[6..9], &t[9..11]));
        }
    }
    if let Some(d) = iso_date(t) {
        return Value::from(d);
    }
    if t.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if t.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if let Some(v) = plain_number(t) {
        return v;
    }
    Value::from(text)
}

/// Whether no conversion below can apply to text `t` of property `prefix:local`, told
/// cheaply from its first byte (the usual case: words). Every conversion but those of a
/// few namespaces and the GPS coordinates needs text that begins with a digit, a sign,
/// a point, a slash, "t"/"f" (booleans) or "h" (URLs).
fn is_plain(prefix: &str, local: &str, t: &str) -> bool {
    let b = t.as_bytes();
    let Some(&first) = b.first() else { return false };
    if first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.' | b'/' | b't' | b'T' | b'f' | b'F' | b'h')
    {
        return false;
    }
    if matches!(prefix, "xmpGImg" | "et") || local.starts_with("GPS") {
        return false;
    }
    // Space-separated rationals need a slash.
    !(rational_ns(prefix) && b.contains(&b'/'))
}

/// A float that is integral becomes an integer.
fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 { Value::Int(v as i64) } else { Value::Float(v) }
}

fn fmt_num(v: f64) -> String {
    match number(v) {
        Value::Int(i) => i.to_string(),
        _ => v.to_string(),
    }
}

/// `v` with 15 significant digits, trailing zeros dropped (C's `%.15g` for ordinary
/// magnitudes).
fn significant15(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return v.to_string();
    }
    let decimals = (14 - v.abs().log10().floor() as i32).clamp(0, 30) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_owned() } else { s }
}

/// Whether `t` is written `n/d` with integer parts (a rational, defined or not), not
/// words that hold a slash (`f/2.8`).
fn is_rational_syntax(t: &str) -> bool {
    t.split_once('/').is_some_and(|(n, d)| n.parse::<i64>().is_ok() && d.parse::<i64>().is_ok())
}

/// An APEX-derived value as ExifTool prints it: 15 significant digits, and text where
/// its JSON would not print that as a number (more than 16 decimals).
fn apex(v: f64) -> Value {
    let s = significant15(v);
    match s.split_once('.') {
        Some((_, frac)) if frac.len() > 16 => Value::from(s),
        _ => s.parse().map_or_else(|_| number(v), number),
    }
}

/// "n/d" with integer parts; d == 0 is not a number.
fn rational(t: &str) -> Option<f64> {
    let (n, d) = t.split_once('/')?;
    let n: f64 = n.trim().parse::<i64>().ok()? as f64;
    let d: f64 = d.trim().parse::<i64>().ok()? as f64;
    (d != 0.0).then(|| n / d)
}

/// Numbers as ExifTool's JSON prints them unquoted: integers without leading zeros and
/// plain decimals.
fn plain_number(t: &str) -> Option<Value> {
    let b = t.as_bytes();
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    if digits.is_empty() || digits.len() > 15 || !digits[0].is_ascii_digit() {
        return None;
    }
    let (int, frac) = match digits.iter().position(|c| *c == b'.') {
        Some(p) => (&digits[..p], Some(&digits[p + 1..])),
        None => (digits, None),
    };
    if int.is_empty() || !int.iter().all(u8::is_ascii_digit) || (int.len() > 1 && int[0] == b'0') {
        return None;
    }
    match frac {
        None => t.parse().ok().map(Value::Int),
        Some(f) if !f.is_empty() && f.iter().all(u8::is_ascii_digit) => t.parse().ok().map(Value::Float),
        _ => None,
    }
}

/// XMP GPS coordinate "DDD,MM.mmk" or "DDD,MM,SSk" (k = N/S/E/W) as signed degrees.
fn gps_coord(t: &str) -> Option<f64> {
    let last = t.chars().last()?;
    let sign = match last.to_ascii_uppercase() {
        'N' | 'E' => 1.0,
        'S' | 'W' => -1.0,
        _ => return t.parse().ok(),
    };
    let body = &t[..t.len() - last.len_utf8()];
    // The comma-separated parts (short: searched byte by byte), trimmed cheaply.
    let mut rest = Some(body);
    let mut parts = std::iter::from_fn(|| {
        let s = rest?;
        let (part, after) = match s.bytes().position(|c| c == b',') {
            Some(i) => (s.get(..i)?, s.get(i + 1..)),
            None => (s, None),
        };
        rest = after;
        Some(trim(part))
    });
    let deg: f64 = parts.next()?.parse().ok()?;
    let min: f64 = parts.next().map_or(Some(0.0), |m| m.parse().ok())?;
    let sec: f64 = parts.next().map_or(Some(0.0), |s| s.parse().ok())?;
    Some(sign * (deg + min / 60.0 + sec / 3600.0))
}

/// ISO 8601 `YYYY-MM-DD[THH:MM[:SS[.s]][zone]]` (or a prefix of it) in ExifTool form
/// `YYYY:MM:DD HH:MM:SS[.s][zone]`.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
pub(super) fn iso_date(t: &str) -> Option<String> {
    let b = t.as_bytes();
    let dig = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if b.len() < 7 || !dig(0..4) || b.get(4) != Some(&b'-') || !dig(5..7) {
        return None;
    }
    let mut out = String::with_capacity(t.len() + 3);
    out.push_str(&t[..4]);
    out.push(':');
    out.push_str(&t[5..7]);
    if b.len() == 7 {
        return Some(out);
    }
    if b.get(7) != Some(&b'-') || !dig(8..10) {
        return None;
    }
    out.push(':');
    out.push_str(&t[8..10]);
    if b.len() == 10 {
        return Some(out);
    }
    if b.get(10) != Some(&b'T') || !dig(11..13) || b.get(13) != Some(&b':') || !dig(14..16) {
        return None;
    }
    out.push(' ');
    out.push_str(&t[11..16]);
    let mut rest = &t[16..];
    if rest.starts_with(':') && rest.len() >= 3 && rest.as_bytes()[1..3].iter().all(u8::is_ascii_digit) {
        out.push_str(&rest[..3]);
        rest = &rest[3..];
        if let Some(frac) = rest.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            out.push_str(&rest[..n + 1]);
            rest = &rest[n + 1..];
        }
    }
    let zone_ok = rest.is_empty()
        || rest == "Z"
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':'
            && rest.as_bytes()[1..3].iter().all(u8::is_ascii_digit)
            && rest.as_bytes()[4..6].iter().all(u8::is_ascii_digit));
    if !zone_ok {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(convert("exif", "FNumber", "28/10"), Value::Float(2.8));
        assert_eq!(convert("exif", "ApertureValue", "6/1"), Value::Int(8));
        assert_eq!(convert("xmp", "Rating", "4"), Value::Int(4));
        assert_eq!(convert("et", "ExposureTime", "1/213"), Value::Text("0.00469483568075117".into()));
        assert_eq!(convert("et", "FNumber", "28/10"), Value::Text("2.8".into()));
        assert_eq!(convert("exif", "ExifVersion", "0220"), Value::Text("0220".into()));
        assert_eq!(convert("exif", "FlashFired", "False"), Value::Bool(false));
        assert_eq!(convert("aux", "LensInfo", "18/1 55/1 0/0 0/0"), Value::Text("18 55 undef undef".into()));
        let lat = convert("exif", "GPSLatitude", "48,51.502206N").as_f64().unwrap_or(0.0);
        assert!((lat - 48.8583701).abs() < 1e-6);
        let lon = convert("exif", "GPSLongitude", "43,12.63W").as_f64().unwrap_or(0.0);
        for (text, want) in [
            ("10,30,36S", -10.51),
            (" 10 , 30 ,36,99W", -10.51),
            ("10,\u{a0}30N", 10.5),
            ("10N", 10.0),
            (",30N", f64::NAN),
            ("10,,N", f64::NAN),
        ] {
            let got = convert("exif", "GPSLatitude", text).as_f64().unwrap_or(f64::NAN);
            assert!((got - want).abs() < 1e-9 || (got.is_nan() && want.is_nan()), "{text}: {got}");
        }
        assert!((lon + 43.2105).abs() < 1e-6);
        assert_eq!(
            convert("xmp", "CreateDate", "2021-06-15T14:30:45+02:00"),
            Value::Text("2021:06:15 14:30:45+02:00".into())
        );
        assert_eq!(convert("dc", "date", "2000-04-11"), Value::Text("2000:04:11".into()));
        assert_eq!(convert("x", "d", "2010-04-19T11:16:49.13"), Value::Text("2010:04:19 11:16:49.13".into()));
        assert_eq!(convert("x", "d", "2003-05-24T17:10Z"), Value::Text("2003:05:24 17:10Z".into()));
        assert_eq!(
            convert("plus", "Reuse", "http://ns.useplus.org/ldf/vocab/RE-NAP"),
            Value::Text("RE-NAP".into())
        );
        assert_eq!(convert("dc", "title", "2021-13-xx"), Value::Text("2021-13-xx".into()));
        assert_eq!(
            convert("photomechanic", "TimeCreated", "062751-0500"),
            Value::Text("06:27:51-05:00".into())
        );
        assert_eq!(convert("photomechanic", "TimeCreated", "ééé-0500"), Value::Text("ééé-0500".into()));
    }
}

//! Calendar arithmetic shared by the containers that store times as seconds from an
//! epoch (QuickTime and AIFF from 1904, Matroska from 2001, FLIR and FlashPix as Unix
//! times): one conversion to ExifTool's `YYYY:MM:DD HH:MM:SS`, no date library.

/// Seconds from 1904-01-01 (the Mac and QuickTime epoch) to 1970-01-01.
pub(crate) const MAC_EPOCH_OFFSET: i64 = 2_082_844_800;

/// Gregorian (year, month, day) of a day count from 1970-01-01 (the proleptic calendar,
/// by 400-year eras of 146,097 days, with years starting in March).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Calendar fields (UTC): (year, month, day, hour, minute, second) of seconds since
/// 1970-01-01.
pub(crate) fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    (y, m.into(), d.into(), rem / 3600, rem / 60 % 60, rem % 60)
}

/// `YYYY:MM:DD HH:MM:SS` (UTC) for seconds since 1970-01-01.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
pub(crate) fn exif_datetime(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let rem = unix.rem_euclid(86_400) as u64;
    let (y, mo, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return format!("{y:04}:{mo:02}:{d:02} {:02}:{:02}:{:02}", rem / 3600, rem / 60 % 60, rem % 60);
    }
    // Formatted by hand: dates are frequent (every QuickTime track has several).
    let mut out = String::with_capacity(19);
    let mut push = |v: u64, width: u32, sep: Option<char>| {
        for k in (0..width).rev() {
            out.push(char::from(b'0' + (v / 10u64.pow(k) % 10) as u8));
        }
        if let Some(c) = sep {
            out.push(c);
        }
    };
    push(y as u64, 4, Some(':'));
    push(u64::from(mo), 2, Some(':'));
    push(u64::from(d), 2, Some(' '));
    push(rem / 3600, 2, Some(':'));
    push(rem / 60 % 60, 2, Some(':'));
    push(rem % 60, 2, None);
    out
}

/// A date written `YYYY-MM-DD[THH:MM:SS]` (ISO 8601, as ID3v2.4 and RIFF INFO store them)
/// in ExifTool's `YYYY:MM:DD HH:MM:SS` form; the rest of the text is kept as it is.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
pub(crate) fn exif_from_iso(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            '-' if i < 10 => out.push(':'),
            'T' if i == 10 => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(exif_datetime(0), "1970:01:01 00:00:00");
        assert_eq!(exif_datetime(915_117_440), "1998:12:31 15:17:20");
        assert_eq!(exif_datetime(951_782_400), "2000:02:29 00:00:00");
        assert_eq!(exif_datetime(-MAC_EPOCH_OFFSET), "1904:01:01 00:00:00");
        assert_eq!(exif_datetime(-1), "1969:12:31 23:59:59");
        // Extremes do not overflow.
        assert!(exif_datetime(i64::MAX).starts_with("292277026596"));
        assert!(exif_datetime(i64::MIN).contains(':'));
    }

    #[test]
    fn iso_dates() {
        assert_eq!(exif_from_iso("2021-06-15"), "2021:06:15");
        assert_eq!(exif_from_iso("2021-06-15T12:30:45"), "2021:06:15 12:30:45");
        assert_eq!(exif_from_iso("2021-06-15 12:30"), "2021:06:15 12:30");
    }
}

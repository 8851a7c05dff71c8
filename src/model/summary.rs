//! The typed summary: what most users want from a file, in fields every format shares.
//! It is derived from the tag list and streams (by [`crate::summary`]), so that every
//! container gets the same merge rules.

/// A position in decimal degrees (WGS 84), altitude in metres (negative below sea level).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Gps {
    /// Latitude, north positive.
    pub latitude: f64,
    /// Longitude, east positive.
    pub longitude: f64,
    /// Altitude in metres.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub altitude: Option<f64>,
}

/// What most users want from a file, typed. Every field is optional: formats fill what
/// they carry. Dates are ISO 8601 (`2021-06-15T14:30:45.123+02:00`); the offset is present
/// only when the file records it (QuickTime/Matroska UTC dates end in `Z`). The codec,
/// rate and channel fields repeat those of the first video or audio
/// [`Stream`](crate::Stream), so that a reader of the summary alone need not look through
/// the streams.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[non_exhaustive]
pub struct Summary {
    /// Pixel width as stored.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub width: Option<u32>,
    /// Pixel height as stored.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub height: Option<u32>,
    /// Width as displayed, after EXIF orientation or track rotation.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub display_width: Option<u32>,
    /// Height as displayed, after EXIF orientation or track rotation.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub display_height: Option<u32>,
    /// EXIF orientation (1-8).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub orientation: Option<u8>,
    /// Video rotation in degrees clockwise.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub rotation: Option<i32>,
    /// Duration in seconds.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub duration: Option<f64>,
    /// When the content was captured or created.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub created: Option<String>,
    /// When the content was last modified.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub modified: Option<String>,
    /// Camera or device maker.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub make: Option<String>,
    /// Camera or device model.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub model: Option<String>,
    /// Lens model.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub lens: Option<String>,
    /// Software that wrote the file.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub software: Option<String>,
    /// Exposure time in seconds.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub exposure_time: Option<f64>,
    /// Aperture f-number.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub f_number: Option<f64>,
    /// ISO speed.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub iso: Option<f64>,
    /// Focal length in mm.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub focal_length: Option<f64>,
    /// Focal length in mm, 35 mm equivalent.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub focal_length_35mm: Option<f64>,
    /// Where it was captured.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub gps: Option<Gps>,
    /// Title.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub title: Option<String>,
    /// Description or caption.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub description: Option<String>,
    /// Creator, author or artist.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub creator: Option<String>,
    /// Copyright notice.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub copyright: Option<String>,
    /// Keywords or subjects.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub keywords: Vec<String>,
    /// Album (audio).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub album: Option<String>,
    /// The first video stream's [`codec_name`](crate::Stream::codec_name) (ffprobe spelling).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub video_codec: Option<String>,
    /// The first audio stream's [`codec_name`](crate::Stream::codec_name) (ffprobe spelling).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub audio_codec: Option<String>,
    /// [`Stream::frame_rate`](crate::Stream::frame_rate) of the first video stream.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub frame_rate: Option<f64>,
    /// [`Stream::sample_rate`](crate::Stream::sample_rate) of the first audio stream.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub sample_rate: Option<u32>,
    /// [`Stream::channels`](crate::Stream::channels) of the first audio stream.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub channels: Option<u32>,
    /// Overall bit rate in bits per second.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub bit_rate: Option<u64>,
    /// [`Stream::hdr`](crate::Stream::hdr) of the first video stream.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub hdr: Option<String>,
    /// Pages (documents).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub pages: Option<u32>,
    /// The camera body's serial number.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub serial_number: Option<String>,
    /// The camera's firmware version.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub firmware: Option<String>,
    /// Shutter actuations the body had counted when it took the picture (the maker
    /// note's `ShutterCount`).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub shutter_count: Option<u64>,
}

/// A date of the summary as a typed value (feature `jiff`): what the file recorded, no
/// more. A date with a UTC offset (or `Z`) is a [`jiff::Zoned`] in that fixed offset; one
/// without is a civil date-time (the device's local time, zone unknown), never guessed
/// into UTC.
#[cfg(feature = "jiff")]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SummaryDate {
    /// Date and time with the offset the file recorded.
    Zoned(jiff::Zoned),
    /// Date and time without an offset.
    Civil(jiff::civil::DateTime),
    /// A date alone.
    Date(jiff::civil::Date),
}

#[cfg(feature = "jiff")]
impl Summary {
    /// [`Summary::created`] as a typed value; `None` when it is absent or not a full date
    /// (a year alone, free text).
    ///
    /// ```
    /// # let meta = metasift::extract_path("tests/fixtures/canon_full.jpg")?;
    /// use metasift::model::SummaryDate;
    /// assert_eq!(meta.summary.created.as_deref(), Some("2021-06-15T14:30:45.123+02:00"));
    /// let Some(SummaryDate::Zoned(t)) = meta.summary.created_at() else { panic!("not zoned") };
    /// assert_eq!(t.offset().seconds(), 2 * 3600);
    /// assert_eq!(t.timestamp().to_string(), "2021-06-15T12:30:45.123Z");
    /// # Ok::<(), metasift::Error>(())
    /// ```
    pub fn created_at(&self) -> Option<SummaryDate> {
        self.created.as_deref().and_then(SummaryDate::parse)
    }

    /// [`Summary::modified`] as a typed value (see [`Summary::created_at`]).
    pub fn modified_at(&self) -> Option<SummaryDate> {
        self.modified.as_deref().and_then(SummaryDate::parse)
    }
}

#[cfg(feature = "jiff")]
impl SummaryDate {
    /// Reads the summary's ISO 8601 text: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS[.f]`
    /// followed by nothing, `Z` or `±HH:MM`.
    pub fn parse(iso: &str) -> Option<SummaryDate> {
        if iso.len() == 10 {
            return iso.parse().ok().map(SummaryDate::Date);
        }
        let (civil, offset) = match iso.strip_suffix('Z') {
            Some(civil) => (civil, Some(0)),
            None => split_offset(iso),
        };
        let civil: jiff::civil::DateTime = civil.parse().ok()?;
        match offset {
            None => Some(SummaryDate::Civil(civil)),
            Some(seconds) => {
                let offset = jiff::tz::Offset::from_seconds(seconds).ok()?;
                civil.to_zoned(jiff::tz::TimeZone::fixed(offset)).ok().map(SummaryDate::Zoned)
            }
        }
    }
}

/// Splits a trailing `±HH:MM` off a date-time: the civil part and the offset in seconds.
#[cfg(feature = "jiff")]
fn split_offset(iso: &str) -> (&str, Option<i32>) {
    let Some(at) = iso.len().checked_sub(6) else { return (iso, None) };
    let (Some(civil), Some(tail)) = (iso.get(..at), iso.get(at..)) else { return (iso, None) };
    let b = tail.as_bytes();
    let sign = match b.first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return (iso, None),
    };
    let num = |r: std::ops::Range<usize>| tail.get(r).and_then(|t| t.parse::<i32>().ok());
    match (num(1..3), b.get(3), num(4..6)) {
        (Some(h), Some(b':'), Some(m)) if civil.contains('T') => (civil, Some(sign * (h * 3600 + m * 60))),
        _ => (iso, None),
    }
}

#[cfg(all(test, feature = "jiff"))]
mod tests {
    use super::SummaryDate;

    #[test]
    fn iso_text_reads_as_the_kind_of_date_it_records() {
        let zoned = |s: &str| match SummaryDate::parse(s) {
            Some(SummaryDate::Zoned(z)) => Some((z.timestamp().to_string(), z.offset().seconds())),
            _ => None,
        };
        assert_eq!(zoned("2021-06-15T14:30:45-05:30"), Some(("2021-06-15T20:00:45Z".into(), -19800)));
        assert_eq!(zoned("2022-03-01T08:00:00Z"), Some(("2022-03-01T08:00:00Z".into(), 0)));
        assert!(matches!(SummaryDate::parse("2021-06-15T14:30:45"), Some(SummaryDate::Civil(_))));
        assert!(matches!(SummaryDate::parse("2021-06-15"), Some(SummaryDate::Date(_))));
        for bad in ["2021", "2021-13-01T00:00:00", "2021-06-15T14:30:45+99:00", "", "free text here"] {
            assert_eq!(SummaryDate::parse(bad), None, "{bad}");
        }
    }
}

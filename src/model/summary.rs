//! The typed summary, derived from the tag list so that every container gets the same
//! merge rules. Where several tags could answer, the first present in each field's list
//! wins; the lists are the documented priority (README, "Summary fields").

use super::fasthash::KeyTable;
use super::{Stream, StreamKind, Tag, Value};
use crate::base::text::trim;
use serde::Serialize;
use std::sync::OnceLock;

/// A position in decimal degrees (WGS 84), altitude in metres (negative below sea level).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Gps {
    /// Latitude, north positive.
    pub latitude: f64,
    /// Longitude, east positive.
    pub longitude: f64,
    /// Altitude in metres.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub altitude: Option<f64>,
}

/// What most users want from a file, typed. Every field is optional: formats fill what
/// they carry. Dates are ISO 8601 (`2021-06-15T14:30:45.123+02:00`); the offset is present
/// only when the file records it (QuickTime/Matroska UTC dates end in `Z`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Pixel width as stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Pixel height as stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Width as displayed, after EXIF orientation or track rotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_width: Option<u32>,
    /// Height as displayed, after EXIF orientation or track rotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_height: Option<u32>,
    /// EXIF orientation (1-8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orientation: Option<u8>,
    /// Video rotation in degrees clockwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation: Option<i32>,
    /// Duration in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// When the content was captured or created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// When the content was last modified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Camera or device maker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub make: Option<String>,
    /// Camera or device model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Lens model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lens: Option<String>,
    /// Software that wrote the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software: Option<String>,
    /// Exposure time in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure_time: Option<f64>,
    /// Aperture f-number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub f_number: Option<f64>,
    /// ISO speed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iso: Option<f64>,
    /// Focal length in mm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focal_length: Option<f64>,
    /// Focal length in mm, 35 mm equivalent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focal_length_35mm: Option<f64>,
    /// Where it was captured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gps: Option<Gps>,
    /// Title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description or caption.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Creator, author or artist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    /// Copyright notice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright: Option<String>,
    /// Keywords or subjects.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Album (audio).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub album: Option<String>,
    /// Codec of the first video stream (ffprobe spelling).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_codec: Option<String>,
    /// Codec of the first audio stream (ffprobe spelling).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_codec: Option<String>,
    /// Frames per second of the first video stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame_rate: Option<f64>,
    /// Sample rate of the first audio stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<u32>,
    /// Channels of the first audio stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<u32>,
    /// Overall bit rate in bits per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bit_rate: Option<u64>,
    /// HDR format of the first video stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hdr: Option<String>,
    /// Pages (documents).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
}

const WIDTH: Field = Field::after(
    None,
    &[
        "File:ImageWidth",
        "PNG:ImageWidth",
        "GIF:ImageWidth",
        "RIFF:ImageWidth",
        "QuickTime:ImageWidth",
        "Matroska:ImageWidth",
        "PSD:ImageWidth",
        "BMP:ImageWidth",
        "EXIF:ExifImageWidth",
        "EXIF:ImageWidth",
    ],
);
const HEIGHT: Field = Field::after(
    Some(WIDTH),
    &[
        "File:ImageHeight",
        "PNG:ImageHeight",
        "GIF:ImageHeight",
        "RIFF:ImageHeight",
        "QuickTime:ImageHeight",
        "Matroska:ImageHeight",
        "PSD:ImageHeight",
        "BMP:ImageHeight",
        "EXIF:ExifImageHeight",
        "EXIF:ImageHeight",
    ],
);
const CREATED: Field = Field::after(
    Some(HEIGHT),
    &[
        "Composite:SubSecDateTimeOriginal",
        "EXIF:DateTimeOriginal",
        "XMP:DateTimeOriginal",
        "Composite:DateTimeCreated",
        "XMP:DateCreated",
        "QuickTime:CreationDate",
        "Composite:SubSecCreateDate",
        "EXIF:CreateDate",
        "XMP:CreateDate",
        "QuickTime:CreateDate",
        "Matroska:DateTimeOriginal",
        "QuickTime:ContentCreateDate",
        "PDF:CreateDate",
        "XML:CreateDate",
        "ID3:Year",
        "Vorbis:Date",
    ],
);
const MODIFIED: Field = Field::after(
    Some(CREATED),
    &[
        "Composite:SubSecModifyDate",
        "EXIF:ModifyDate",
        "XMP:ModifyDate",
        "QuickTime:ModifyDate",
        "PDF:ModifyDate",
        "XML:ModifyDate",
    ],
);
const MAKE: Field =
    Field::after(Some(MODIFIED), &["EXIF:Make", "XMP:Make", "QuickTime:Make", "QuickTime:AndroidMake"]);
const MODEL: Field =
    Field::after(Some(MAKE), &["EXIF:Model", "XMP:Model", "QuickTime:Model", "QuickTime:AndroidModel"]);
const LENS: Field =
    Field::after(Some(MODEL), &["EXIF:LensModel", "XMP:LensModel", "XMP:Lens", "Composite:LensID"]);
const SOFTWARE: Field = Field::after(
    Some(LENS),
    &[
        "EXIF:Software",
        "XMP:CreatorTool",
        "QuickTime:Software",
        "QuickTime:Encoder",
        "Matroska:WritingApp",
        "PDF:Producer",
        "XML:Application",
    ],
);
const TITLE: Field = Field::after(
    Some(SOFTWARE),
    &[
        "XMP:Title",
        "IPTC:ObjectName",
        "QuickTime:Title",
        "Matroska:Title",
        "ID3:Title",
        "Vorbis:Title",
        "RIFF:Title",
        "PDF:Title",
        "PNG:Title",
        "EXIF:XPTitle",
    ],
);
const DESCRIPTION: Field = Field::after(
    Some(TITLE),
    &[
        "XMP:Description",
        "IPTC:Caption-Abstract",
        "EXIF:ImageDescription",
        "QuickTime:Description",
        "QuickTime:Comment",
        "PNG:Description",
        "PNG:Comment",
        "ID3:Comment",
        "Vorbis:Comment",
        "File:Comment",
        "PDF:Subject",
    ],
);
const CREATOR: Field = Field::after(
    Some(DESCRIPTION),
    &[
        "XMP:Creator",
        "IPTC:By-line",
        "EXIF:Artist",
        "QuickTime:Artist",
        "QuickTime:Author",
        "Matroska:Artist",
        "ID3:Artist",
        "Vorbis:Artist",
        "RIFF:Artist",
        "PDF:Author",
        "PNG:Author",
    ],
);
const COPYRIGHT: Field = Field::after(
    Some(CREATOR),
    &[
        "XMP:Rights",
        "IPTC:CopyrightNotice",
        "EXIF:Copyright",
        "QuickTime:Copyright",
        "ID3:Copyright",
        "Vorbis:Copyright",
        "PNG:Copyright",
    ],
);
const KEYWORDS: Field =
    Field::after(Some(COPYRIGHT), &["XMP:Subject", "IPTC:Keywords", "PDF:Keywords", "XMP:Keywords"]);
const DURATION: Field = Field::after(
    Some(KEYWORDS),
    &["QuickTime:Duration", "Matroska:Duration", "Composite:Duration", "ID3:Duration", "FLAC:Duration"],
);

const ORIENTATION: Field = Field::after(Some(DURATION), &["EXIF:Orientation", "XMP:Orientation"]);
const ROTATION: Field = Field::after(Some(ORIENTATION), &["Composite:Rotation", "QuickTime:Rotation"]);
const LATITUDE: Field = Field::after(Some(ROTATION), &["Composite:GPSLatitude", "XMP:GPSLatitude"]);
const LONGITUDE: Field = Field::after(Some(LATITUDE), &["Composite:GPSLongitude", "XMP:GPSLongitude"]);
const ALTITUDE: Field = Field::after(Some(LONGITUDE), &["Composite:GPSAltitude", "XMP:GPSAltitude"]);
const EXPOSURE: Field = Field::after(Some(ALTITUDE), &["EXIF:ExposureTime", "XMP:ExposureTime"]);
const F_NUMBER: Field = Field::after(Some(EXPOSURE), &["EXIF:FNumber", "XMP:FNumber"]);
const ISO: Field = Field::after(Some(F_NUMBER), &["EXIF:ISO", "XMP:ISO", "XMP:ISOSpeedRatings"]);
const FOCAL: Field = Field::after(Some(ISO), &["EXIF:FocalLength", "XMP:FocalLength"]);
const FOCAL_35: Field =
    Field::after(Some(FOCAL), &["EXIF:FocalLengthIn35mmFormat", "Composite:FocalLength35efl"]);
const ALBUM: Field =
    Field::after(Some(FOCAL_35), &["QuickTime:Album", "ID3:Album", "Vorbis:Album", "Matroska:Album"]);
const BIT_RATE: Field =
    Field::after(Some(ALBUM), &["Composite:AvgBitrate", "QuickTime:AvgBitrate", "MPEG:AudioBitrate"]);
const PAGES: Field = Field::after(Some(BIT_RATE), &["PDF:PageCount", "XML:Pages"]);

/// One summary field's candidate keys (`Group:Name`), first wins; the fields' keys are
/// numbered in one run, `first..first + keys.len()`, so that [`Index`] holds each in a slot.
#[derive(Clone, Copy)]
struct Field {
    keys: &'static [&'static str],
    first: usize,
}

impl Field {
    /// The field whose keys are numbered after `prev`'s.
    const fn after(prev: Option<Field>, keys: &'static [&'static str]) -> Field {
        let first = match prev {
            Some(p) => p.end(),
            None => 0,
        };
        Field { keys, first }
    }

    /// One past the last slot of the field.
    const fn end(self) -> usize {
        self.first + self.keys.len()
    }
}

/// Every field, in slot order (each one's `first` is the previous one's `end`).
const FIELDS: &[Field] = &[
    WIDTH,
    HEIGHT,
    CREATED,
    MODIFIED,
    MAKE,
    MODEL,
    LENS,
    SOFTWARE,
    TITLE,
    DESCRIPTION,
    CREATOR,
    COPYRIGHT,
    KEYWORDS,
    DURATION,
    ORIENTATION,
    ROTATION,
    LATITUDE,
    LONGITUDE,
    ALTITUDE,
    EXPOSURE,
    F_NUMBER,
    ISO,
    FOCAL,
    FOCAL_35,
    ALBUM,
    BIT_RATE,
    PAGES,
];

/// How many slots the fields use.
pub(crate) const SLOTS: usize = PAGES.end();

/// Every field's keys as `(group, name)`, in slot order.
pub(crate) fn slot_keys() -> impl Iterator<Item = (&'static str, &'static str)> {
    FIELDS.iter().flat_map(|f| f.keys).map(|k| k.split_once(':').unwrap_or(("", k)))
}

/// The key table of every field's keys, built once; key ids are slot numbers.
fn key_table() -> &'static KeyTable {
    static TABLE: OnceLock<KeyTable> = OnceLock::new();
    TABLE.get_or_init(|| KeyTable::new(slot_keys()))
}

/// The tag ExifTool would show for each key the summary reads (first of the highest
/// priority), indexed in one pass so that the summary's many look-ups stay cheap.
struct Index<'a> {
    tags: &'a [Tag],
    /// Tag positions, by key id.
    found: &'a [Option<u32>],
    /// The key id of each slot.
    ids: &'a [usize; SLOTS],
}

impl<'a> Index<'a> {
    /// The field's keys with the tag found for each, in priority order.
    fn field(&self, field: Field) -> impl Iterator<Item = (&'static str, &'a Tag)> + '_ {
        let ids = self.ids.get(field.first..field.end()).unwrap_or_default();
        field.keys.iter().zip(ids).filter_map(|(k, id)| {
            let pos = self.found.get(*id).copied().flatten()?;
            Some((*k, self.tags.get(pos as usize)?))
        })
    }
}

/// Slot numbers as key ids, for an index by [`key_table`].
const SLOT_IDS: [usize; SLOTS] = {
    let mut ids = [0; SLOTS];
    let mut i = 0;
    while i < SLOTS {
        ids[i] = i;
        i += 1;
    }
    ids
};

fn first<'a>(tags: &Index<'a>, field: Field) -> Option<&'a Value> {
    tags.field(field).next().map(|(_, t)| &t.value)
}

fn text(tags: &Index, field: Field) -> Option<String> {
    first(tags, field).map(owned_text).filter(|s| !trim(s).is_empty())
}

/// [`Value::to_text`], with a list's items joined straight into one string.
fn owned_text(v: &Value) -> String {
    let Value::List(items) = v else { return v.to_text() };
    let mut out = String::with_capacity(items.iter().map(|i| i.as_str().map_or(8, str::len) + 2).sum());
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        match item {
            Value::Text(s) => out.push_str(s),
            other => out.push_str(&other.to_text()),
        }
    }
    out
}

/// Keys whose dates are UTC by definition (ISO 14496-12 `mvhd`): the summary marks them `Z`.
const UTC_DATES: &[&str] = &["QuickTime:CreateDate", "QuickTime:ModifyDate"];

/// The first date among the field's keys that is set (all-zero dates, as some muxers
/// write, are skipped), in ISO 8601.
fn date(tags: &Index, field: Field) -> Option<String> {
    tags.field(field).find_map(|(k, t)| {
        let owned;
        let v = match &t.value {
            Value::Text(s) => s.as_str(),
            other => {
                owned = other.to_text();
                owned.as_str()
            }
        };
        let v = trim(v);
        if v.is_empty() || v.starts_with("0000") {
            return None;
        }
        let mut iso = iso_date(v);
        if UTC_DATES.contains(&k) && iso.len() == 19 {
            iso.push('Z');
        }
        Some(iso)
    })
}

fn number(tags: &Index, field: Field) -> Option<f64> {
    tags.field(field).find_map(|(_, t)| t.value.as_f64())
}

fn dimension(tags: &Index, field: Field) -> Option<u32> {
    number(tags, field).filter(|v| *v >= 1.0 && *v <= f64::from(u32::MAX)).map(|v| v as u32)
}

/// Turns ExifTool's `YYYY:MM:DD HH:MM:SS[.ss][+hh:mm|Z]` into ISO 8601; other text is kept.
pub(crate) fn iso_date(s: &str) -> String {
    let s = trim(s);
    let (Some(y), Some(m), Some(d), Some(rest)) = (s.get(..4), s.get(5..7), s.get(8..10), s.get(10..)) else {
        return s.to_owned();
    };
    let b = s.as_bytes();
    if b.get(4) != Some(&b':') || b.get(7) != Some(&b':') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    out.push_str(y);
    out.push('-');
    out.push_str(m);
    out.push('-');
    out.push_str(d);
    match rest.strip_prefix(' ') {
        Some(time) => {
            out.push('T');
            out.push_str(time);
        }
        None => out.push_str(rest),
    }
    out
}

/// Seconds from a clock-style duration (`H:MM:SS.fff`, `MM:SS`), as some containers store
/// (Matroska `DURATION` tags).
pub(crate) fn clock_seconds(s: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut parts = 0;
    for part in s.trim().split(':') {
        let v: f64 = part.parse().ok()?;
        if !(v.is_finite() && v >= 0.0) {
            return None;
        }
        total = total * 60.0 + v;
        parts += 1;
    }
    (2..=3).contains(&parts).then_some(total)
}

impl Summary {
    /// Builds the summary from the tags and streams an extraction found.
    pub fn from_tags(tags: &[Tag], streams: &[Stream]) -> Self {
        let mut found = [None; SLOTS];
        key_table().positions(tags, 0, &mut found);
        Summary::from_found(tags, &found, &SLOT_IDS, streams)
    }

    /// [`Summary::from_tags`] with the tags already indexed: `found[ids[slot]]` is the
    /// position in `tags` of the tag ExifTool would show for the slot's key (see
    /// [`slot_keys`]).
    pub(crate) fn from_found(
        tags: &[Tag],
        found: &[Option<u32>],
        ids: &[usize; SLOTS],
        streams: &[Stream],
    ) -> Self {
        let tags = &Index { tags, found, ids };
        let video = streams.iter().find(|s| s.kind == Some(StreamKind::Video) && !s.attached_picture);
        let audio = streams.iter().find(|s| s.kind == Some(StreamKind::Audio));
        let width = dimension(tags, WIDTH).or(video.and_then(|v| v.width));
        let height = dimension(tags, HEIGHT).or(video.and_then(|v| v.height));
        let orientation = number(tags, ORIENTATION).filter(|o| (1.0..=8.0).contains(o)).map(|o| o as u8);
        let rotation = number(tags, ROTATION).map(|r| r as i32).or(video.and_then(|v| v.rotation));
        let swapped =
            orientation.is_some_and(|o| o >= 5) || rotation.is_some_and(|r| r.rem_euclid(180) == 90);
        let (display_width, display_height) = if swapped { (height, width) } else { (width, height) };
        let gps = match (number(tags, LATITUDE), number(tags, LONGITUDE)) {
            (Some(latitude), Some(longitude)) => {
                Some(Gps { latitude, longitude, altitude: number(tags, ALTITUDE) })
            }
            _ => None,
        };
        let keywords = first(tags, KEYWORDS)
            .map(|v| v.items().iter().map(Value::to_text).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        Summary {
            width,
            height,
            display_width,
            display_height,
            orientation,
            rotation,
            duration: first(tags, DURATION)
                .and_then(|v| v.as_f64().or_else(|| v.as_str().and_then(clock_seconds)))
                .filter(|d| d.is_finite() && *d >= 0.0)
                .or_else(|| {
                    streams.iter().filter(|s| !s.attached_picture).filter_map(|s| s.duration).reduce(f64::max)
                }),
            created: date(tags, CREATED),
            modified: date(tags, MODIFIED),
            make: text(tags, MAKE),
            model: text(tags, MODEL),
            lens: text(tags, LENS),
            software: text(tags, SOFTWARE),
            exposure_time: number(tags, EXPOSURE),
            f_number: number(tags, F_NUMBER),
            iso: number(tags, ISO),
            focal_length: number(tags, FOCAL),
            focal_length_35mm: number(tags, FOCAL_35),
            gps,
            title: text(tags, TITLE),
            description: text(tags, DESCRIPTION),
            creator: text(tags, CREATOR),
            copyright: text(tags, COPYRIGHT),
            keywords,
            album: text(tags, ALBUM),
            video_codec: video.and_then(|v| v.codec_name.clone()),
            audio_codec: audio.and_then(|a| a.codec_name.clone()),
            frame_rate: video.and_then(|v| v.frame_rate),
            sample_rate: audio.and_then(|a| a.sample_rate),
            channels: audio.and_then(|a| a.channels),
            bit_rate: number(tags, BIT_RATE).filter(|b| *b >= 0.0).map(|b| b as u64),
            hdr: video.and_then(|v| v.hdr.clone()),
            pages: number(tags, PAGES).filter(|p| *p >= 0.0).map(|p| p as u32),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso_date("2021:06:15 14:30:45.123+02:00"), "2021-06-15T14:30:45.123+02:00");
        assert_eq!(iso_date("2021:06:15"), "2021-06-15");
        assert_eq!(iso_date("June"), "June");
        assert_eq!(iso_date("20\u{e9}1:06:15 x"), "20\u{e9}1:06:15 x");
        assert_eq!(iso_date("2021:0\u{e9}:15"), "2021:0\u{e9}:15");
        assert_eq!(iso_date(" 2021:06:15 14:30 "), "2021-06-15T14:30");
        assert_eq!(iso_date("2021:06:15\u{e9}"), "2021-06-15\u{e9}");
        assert_eq!(iso_date("2021:06:1\u{e9}"), "2021:06:1\u{e9}");
        assert_eq!(iso_date("2021:06:15T14"), "2021-06-15T14");
        assert_eq!(iso_date("2021:06:"), "2021:06:");
    }

    #[test]
    fn fields_number_their_keys_in_one_run_each_key_once() {
        let mut end = 0;
        for f in FIELDS {
            assert_eq!(f.first, end);
            end = f.end();
        }
        assert_eq!(end, SLOTS);
        let mut keys: Vec<&str> = FIELDS.iter().flat_map(|f| f.keys.iter().copied()).collect();
        assert!(keys.iter().all(|k| k.contains(':')));
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SLOTS);
    }

    #[test]
    fn list_text_is_joined() {
        let v = Value::List(vec!["a".into(), Value::Int(2), Value::List(vec!["b".into(), "c".into()])]);
        assert_eq!(owned_text(&v), v.to_text());
        assert_eq!(owned_text(&Value::Float(1.5)), "1.5");
    }

    #[test]
    fn clock_durations() {
        assert_eq!(clock_seconds("00:00:03.008000000"), Some(3.008));
        assert_eq!(clock_seconds("1:02"), Some(62.0));
        assert_eq!(clock_seconds("3.5"), None);
        assert_eq!(clock_seconds("a:b"), None);
    }

    #[test]
    fn summary_merges_by_priority_and_orientation_swaps() {
        let tags = vec![
            Tag::new("File", "ImageWidth", 640u32),
            Tag::new("File", "ImageHeight", 480u32),
            Tag::new("EXIF", "Orientation", 6u16),
            Tag::new("IPTC", "ObjectName", "iptc title"),
            Tag::new("XMP", "Title", "xmp title"),
            Tag::new("IPTC", "Keywords", Value::List(vec!["a".into(), "b".into()])),
        ];
        let s = Summary::from_tags(&tags, &[]);
        assert_eq!((s.width, s.height), (Some(640), Some(480)));
        assert_eq!((s.display_width, s.display_height), (Some(480), Some(640)));
        assert_eq!(s.title.as_deref(), Some("xmp title"));
        assert_eq!(s.keywords, vec!["a", "b"]);
    }

    #[test]
    fn utc_dates_get_z_and_zero_dates_are_skipped() {
        let tags = vec![
            Tag::new("QuickTime", "CreateDate", "0000:00:00 00:00:00"),
            Tag::new("QuickTime", "ModifyDate", "2022:03:01 08:00:00"),
            Tag::new("QuickTime", "ContentCreateDate", "2021"),
        ];
        let s = Summary::from_tags(&tags, &[]);
        assert_eq!(s.created.as_deref(), Some("2021"));
        assert_eq!(s.modified.as_deref(), Some("2022-03-01T08:00:00Z"));
    }
}

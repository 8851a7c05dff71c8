//! Building the [`Summary`] from the tags and streams an extraction found. Each field reads
//! the tags of its list in [`fields`] and takes the first present; streams fill what tags
//! leave open (codecs, frame rate, sample rate, channels). The tags are found through the
//! shared tag index ([`crate::tag_index`]), in the one pass over the tags that also serves
//! the composites.

mod fields;

use crate::base::text::trim;
use crate::model::{Gps, Stream, StreamKind, Summary, Tag, Value};
use fields::*;
pub(crate) use fields::{SLOTS, slot_keys};

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

fn first<'a>(tags: &Index<'a>, field: Field) -> Option<&'a Value> {
    tags.field(field).next().map(|(_, t)| &t.value)
}

fn text(tags: &Index, field: Field) -> Option<String> {
    first(tags, field).map(owned_text).filter(|s| !trim(s).is_empty())
}

/// [`Value::to_text`], with a list's items joined straight into one string.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
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
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
fn iso_date(s: &str) -> String {
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
fn clock_seconds(s: &str) -> Option<f64> {
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

/// The summary of `tags` and `streams`: `found[ids[slot]]` is the position in `tags` of
/// the tag ExifTool would show for the slot's key (see [`slot_keys`]), as the tag index
/// finds them.
pub(crate) fn build(
    tags: &[Tag],
    found: &[Option<u32>],
    ids: &[usize; SLOTS],
    streams: &[Stream],
) -> Summary {
    let tags = &Index { tags, found, ids };
    let video = streams.iter().find(|s| s.kind == Some(StreamKind::Video) && !s.attached_picture);
    let audio = streams.iter().find(|s| s.kind == Some(StreamKind::Audio));
    let width = dimension(tags, WIDTH).or(video.and_then(|v| v.width));
    let height = dimension(tags, HEIGHT).or(video.and_then(|v| v.height));
    let orientation = number(tags, ORIENTATION).filter(|o| (1.0..=8.0).contains(o)).map(|o| o as u8);
    let rotation = number(tags, ROTATION).map(|r| r as i32).or(video.and_then(|v| v.rotation));
    let swapped = orientation.is_some_and(|o| o >= 5) || rotation.is_some_and(|r| r.rem_euclid(180) == 90);
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
        // A zero in the header (fragmented movies write one) gives way to the streams'.
        duration: first(tags, DURATION)
            .and_then(|v| v.as_f64().or_else(|| v.as_str().and_then(clock_seconds)))
            .filter(|d| d.is_finite() && *d >= 0.0)
            .filter(|d| *d > 0.0 || !streams.iter().any(|s| s.duration.is_some_and(|d| d > 0.0)))
            .or_else(|| {
                streams.iter().filter(|s| !s.attached_picture).filter_map(|s| s.duration).reduce(f64::max)
            }),
        created: date(tags, CREATED),
        modified: date(tags, MODIFIED),
        make: text(tags, MAKE),
        model: text(tags, MODEL),
        // A lens type code (Canon's `Composite:LensID` with `-n`) names no lens.
        lens: first(tags, LENS)
            .filter(|v| !matches!(v, Value::Int(_) | Value::Float(_)))
            .map(owned_text)
            .filter(|s| !trim(s).is_empty()),
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
        serial_number: text(tags, SERIAL_NUMBER),
        firmware: text(tags, FIRMWARE),
        shutter_count: number(tags, SHUTTER_COUNT)
            .filter(|n| *n >= 0.0 && n.fract() == 0.0)
            .map(|n| n as u64),
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

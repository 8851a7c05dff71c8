//! Facts that containers know but ExifTool prints only as `Composite:` tags: a size from
//! a header, a duration from a byte count. Containers record them in the parsing context
//! ([`Fact`]); after parsing, [`tags`] names them, so that no container writes a
//! `Composite:` tag itself.

use crate::model::{Tag, Value, find_tag};

/// One fact, recorded where the container learns it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fact {
    /// Width and height in pixels: `ImageSize` and `Megapixels`.
    ImageSize(u64, u64),
    /// Seconds: `Duration`.
    Duration(f64),
    /// Bits per second: `AudioBitrate`.
    AudioBitrate(f64),
    /// `DateTimeOriginal` from the ID3 date frames among the first `tags` tags.
    Id3Date {
        /// How many tags there were when the container asked.
        tags: usize,
    },
    /// `DateTimeOriginal` from RIFF `DateCreated` and `TimeCreated` among the first
    /// `tags` tags.
    RiffDate {
        /// How many tags there were when the container asked.
        tags: usize,
    },
}

/// The `Composite:` tags of `facts`, in their order; `tags` are the tags found.
pub(crate) fn tags(facts: &[Fact], tags: &[Tag]) -> Vec<Tag> {
    let mut out = Vec::new();
    for fact in facts {
        match *fact {
            Fact::ImageSize(w, h) => {
                out.push(Tag::new("Composite", "ImageSize", format!("{w} {h}")));
                out.push(Tag::new("Composite", "Megapixels", (w as f64) * (h as f64) / 1e6));
            }
            Fact::Duration(d) => out.push(Tag::new("Composite", "Duration", d)),
            Fact::AudioBitrate(b) => out.push(Tag::new("Composite", "AudioBitrate", b)),
            Fact::Id3Date { tags: n } | Fact::RiffDate { tags: n } => {
                let seen = tags.get(..n).unwrap_or(tags);
                let have = find_tag(seen, "Composite", "DateTimeOriginal").is_some()
                    || out.iter().any(|t| t.name == "DateTimeOriginal");
                let date =
                    if matches!(fact, Fact::Id3Date { .. }) { id3_date(seen) } else { riff_date(seen) };
                if let Some(v) = date.filter(|_| !have) {
                    out.push(Tag::new("Composite", "DateTimeOriginal", v));
                }
            }
        }
    }
    out
}

/// `DateTimeOriginal` from the ID3 date frames, as ExifTool derives it: `RecordingTime`
/// (v2.4), else `Year` with `Date` (DDMM) and `Time` (HHMM) when they are well formed.
fn id3_date(tags: &[Tag]) -> Option<Value> {
    // An ID3v2 frame first; the ID3v1 field (lower priority) when the v2 tag has none.
    let get = |n: &str| {
        let v2 = tags.iter().find(|t| t.group == "ID3" && t.name == n && t.priority >= 0);
        v2.or_else(|| find_tag(tags, "ID3", n)).map(|t| t.value.to_text())
    };
    let v = if let Some(rt) = get("RecordingTime") {
        rt
    } else {
        let mut s = get("Year").filter(|y| !y.is_empty())?;
        if let Some(date) = get("Date").filter(|d| d.len() == 4 && d.is_ascii()) {
            s = format!("{s}:{}:{}", &date[..2], &date[2..]);
            if let Some(time) = get("Time").filter(|t| t.len() == 4 && t.is_ascii()) {
                s = format!("{s} {}:{}:00", &time[..2], &time[2..]);
            }
        }
        s
    };
    Some(match v.parse::<i64>() {
        Ok(n) => Value::Int(n),
        Err(_) => Value::from(v),
    })
}

/// `DateTimeOriginal` from RIFF `DateCreated` + `TimeCreated`.
fn riff_date(tags: &[Tag]) -> Option<Value> {
    let get = |n: &str| find_tag(tags, "RIFF", n).and_then(|t| t.value.as_str().map(str::to_owned));
    let (d, t) = (get("DateCreated")?, get("TimeCreated")?);
    Some(Value::from(format!("{d} {t}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_facts_in_order() {
        let found = [Tag::new("ID3", "Year", "1999"), Tag::new("RIFF", "DateCreated", "2001:02:03")];
        let facts = [
            Fact::ImageSize(640, 480),
            Fact::AudioBitrate(128_000.0),
            Fact::Duration(2.5),
            Fact::Id3Date { tags: 0 },
            Fact::Id3Date { tags: 1 },
            Fact::RiffDate { tags: 2 },
        ];
        let out = tags(&facts, &found);
        let names: Vec<&str> = out.iter().map(|t| &*t.name).collect();
        assert_eq!(names, ["ImageSize", "Megapixels", "AudioBitrate", "Duration", "DateTimeOriginal"]);
        assert_eq!(out[1].value, Value::Float(0.3072));
        assert_eq!(out[4].value, Value::Int(1999));
    }
}

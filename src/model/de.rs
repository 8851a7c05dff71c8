//! Reading the model back from its serialized form (feature `serde`): the pieces derive
//! cannot do. A tag's group and the MIME type are `&'static str` in the model (they come
//! from tables, and a file has hundreds of tags), so text read back is matched to the
//! static name it was written from.

use super::{BinaryRef, Metadata, Stream, Summary, Tag, Text, Value, Warning};
use crate::sniff::Format;
use crate::source::ReadStats;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::sync::Mutex;

/// The family-0 groups metasift writes (ExifTool's names). A group read back that is not
/// here is interned (see [`intern`]).
const GROUPS: &[&str] = &[
    "File",
    "EXIF",
    "IPTC",
    "XMP",
    "ICC_Profile",
    "Photoshop",
    "MakerNotes",
    "Composite",
    "QuickTime",
    "Matroska",
    "RIFF",
    "ID3",
    "FLAC",
    "Vorbis",
    "APE",
    "AIFF",
    "MPEG",
    "PNG",
    "GIF",
    "BMP",
    "JFIF",
    "JUMBF",
    "MPF",
    "PrintIM",
    "FlashPix",
    "Ducky",
    "PDF",
    "ZIP",
    "XML",
    "H264",
    "ExifTool",
    "PhotoMechanic",
    "FotoStation",
    "GeoTiff",
    "PanasonicRaw",
    "RAF",
    "Meta",
    "LEAF",
    "APP0",
    "APP1",
    "APP2",
    "APP3",
    "APP4",
    "APP5",
    "APP6",
    "APP7",
    "APP8",
    "APP9",
    "APP10",
    "APP11",
    "APP12",
    "APP13",
    "APP14",
    "APP15",
    "Trailer",
    "Jpeg2000",
    "WebP",
    "HEIF",
    "CanonVRD",
    "Opus",
    "M2TS",
    "ASF",
    "DjVu",
    "PostScript",
    "Font",
    "HTML",
];

/// Most group names interned beyond [`GROUPS`], and the longest: the memory a stream of
/// made-up names can pin for the life of the process stays small and bounded.
const MAX_INTERNED: usize = 256;
const MAX_GROUP_LEN: usize = 64;

static INTERNED: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// The `&'static str` for a group name: from [`GROUPS`], else from (or added to) a small
/// bounded set of leaked names (a group added after this release, say).
fn intern(name: &str) -> Result<&'static str, String> {
    if let Some(g) = GROUPS.iter().find(|g| **g == name) {
        return Ok(g);
    }
    let mut set = INTERNED.lock().map_err(|_| "group table poisoned".to_owned())?;
    if let Some(g) = set.iter().find(|g| **g == name) {
        return Ok(g);
    }
    if name.len() > MAX_GROUP_LEN || set.len() >= MAX_INTERNED {
        return Err(format!("too many or too long unknown group names ({name:.64})"));
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    set.push(leaked);
    Ok(leaked)
}

/// A [`Tag`] as written, its group as owned text (a derived `&'static str` field would
/// borrow from the input, which only a `'static` input could lend).
#[derive(serde::Deserialize)]
struct TagRepr {
    group: String,
    #[serde(default)]
    subgroup: Option<Cow<'static, str>>,
    name: Text,
    value: Value,
    #[serde(default)]
    priority: i8,
}

impl TryFrom<TagRepr> for Tag {
    type Error = String;

    fn try_from(t: TagRepr) -> Result<Tag, String> {
        let group = intern(&t.group)?;
        Ok(Tag { group, subgroup: t.subgroup, name: t.name, value: t.value, priority: t.priority })
    }
}

/// [`Metadata`] as written, its MIME type as owned text (see [`TagRepr`]). Other fields
/// (the native object's `SourceFile`) are ignored.
#[derive(serde::Deserialize)]
struct MetadataRepr {
    format: String,
    mime: String,
    file_size: u64,
    summary: Summary,
    #[serde(default)]
    streams: Vec<Stream>,
    tags: Vec<Tag>,
    #[serde(default)]
    warnings: Vec<Warning>,
    #[serde(default)]
    stats: ReadStats,
}

impl<'de> serde::Deserialize<'de> for Tag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <TagRepr as serde::Deserialize>::deserialize(d)?.try_into().map_err(de::Error::custom)
    }
}

impl<'de> serde::Deserialize<'de> for Metadata {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <MetadataRepr as serde::Deserialize>::deserialize(d)?.try_into().map_err(de::Error::custom)
    }
}

impl TryFrom<MetadataRepr> for Metadata {
    type Error = String;

    fn try_from(m: MetadataRepr) -> Result<Metadata, String> {
        // Two formats may share a name (`PLIST` in binary and in XML): the MIME type
        // written beside it tells them apart.
        let named = || Format::ALL.iter().copied().filter(|f| f.name() == m.format);
        let format = named()
            .find(|f| f.mime() == m.mime)
            .or_else(|| named().next())
            .ok_or_else(|| format!("unknown format {:?}", m.format))?;
        let mime = Format::ALL
            .iter()
            .map(|f| f.mime())
            .find(|x| *x == m.mime)
            .ok_or_else(|| format!("unknown MIME type {:?}", m.mime))?;
        Ok(Metadata {
            format,
            mime,
            file_size: m.file_size,
            summary: m.summary,
            streams: m.streams,
            tags: m.tags,
            warnings: m.warnings,
            stats: m.stats,
        })
    }
}

pub(super) fn is_zero_i8(n: &i8) -> bool {
    *n == 0
}

/// A value as [`Value`] serializes it: JSON's own types, a list, or `{offset, length}` for
/// binary data. An integer too large for `i64` becomes a float, as `Value::from(u64)` does.
impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a tag value: bool, number, string, list or {offset, length}")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Text(Text::new(v)))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Text(Text::from(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        // Not sized by the input's hint: grows with the items actually read.
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let (mut offset, mut length) = (None, None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match &*key {
                "offset" => offset = Some(map.next_value()?),
                "length" => length = Some(map.next_value()?),
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        match (offset, length) {
            (Some(offset), Some(length)) => Ok(Value::Binary(BinaryRef { offset, length })),
            _ => Err(de::Error::custom("a binary value needs offset and length")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_back_as_written() {
        let values = [
            Value::Bool(true),
            Value::Int(-7),
            Value::Int(i64::MAX),
            Value::Float(180.0),
            Value::Float(0.1),
            Value::text("2021:06:15 14:30:45"),
            Value::text("123"),
            Value::List(vec![Value::Int(1), Value::text("a"), Value::List(vec![])]),
            Value::Binary(BinaryRef { offset: 12, length: 34 }),
            Value::from(u64::MAX),
        ];
        for v in values {
            let json = serde_json::to_string(&v).unwrap_or_default();
            let back: Option<Value> = serde_json::from_str(&json).ok();
            assert_eq!(back.as_ref(), Some(&v), "{json}");
        }
    }

    #[test]
    fn unknown_groups_are_interned_once_and_bounded() {
        let a = intern("SomeFutureGroup");
        let b = intern("SomeFutureGroup");
        assert!(matches!((a, b), (Ok(x), Ok(y)) if std::ptr::eq(x, y)));
        assert!(intern(&"G".repeat(MAX_GROUP_LEN + 1)).is_err());
        assert!(matches!(intern("EXIF"), Ok(g) if std::ptr::eq(g, GROUPS[1])));
    }
}

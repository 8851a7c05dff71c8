//! The output model: [`Metadata`] with a typed [`Summary`], the lossless [`Tag`] list,
//! per-stream facts and warnings. With the `serde` feature (on by default) everything
//! serializes and deserializes with serde, so metasift's own JSON reads back into
//! [`Metadata`]; the projections of this model onto output formats are in `output`
//! (feature `json`).

#[cfg(feature = "serde")]
mod de;
pub(crate) mod last_wins;
mod stream;
mod summary;
mod value;

pub use crate::base::text::{IntoName, Text};
pub use stream::{Stream, StreamKind};
#[cfg(feature = "jiff")]
pub use summary::SummaryDate;
pub use summary::{Gps, Summary};
pub use value::{BinaryRef, Value};

use crate::sniff::Format;
use crate::source::ReadStats;
use std::borrow::Cow;

/// One piece of metadata, as found in the file.
#[derive(Debug, Clone, PartialEq)]
// Deserialize: by hand in `de.rs` (a `&'static str` field defeats the derive).
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Tag {
    /// ExifTool's family-0 group (`EXIF`, `IPTC`, `XMP`, `QuickTime`, `File`, `Composite`...).
    pub group: &'static str,
    /// ExifTool's family-1 group when it says more (`IFD0`, `ExifIFD`, `GPS`, `XMP-dc`,
    /// `Track1`...).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub subgroup: Option<Cow<'static, str>>,
    /// The tag name as ExifTool spells it (`Make`, `DateTimeOriginal`), or a name built from
    /// the numeric code for unknown tags (`Exif_0xc4a5`).
    pub name: Text,
    /// The value, with ExifTool's `-n` (numeric) meaning.
    pub value: Value,
    /// Precedence when the same `group:name` occurs twice (ExifTool shows one): a later
    /// tag replaces an earlier one only with a strictly higher priority. Serialized only
    /// when not 0, so that a tag read back keeps its precedence.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "de::is_zero_i8"))]
    pub priority: i8,
}

impl Tag {
    /// A tag with default priority and no subgroup.
    #[inline]
    pub fn new(group: &'static str, name: impl IntoName, value: impl Into<Value>) -> Self {
        Tag { group, subgroup: None, name: name.into_name(), value: value.into(), priority: 0 }
    }

    /// Sets the family-1 group.
    #[inline]
    pub fn in_subgroup(mut self, subgroup: impl Into<Cow<'static, str>>) -> Self {
        self.subgroup = Some(subgroup.into());
        self
    }

    /// Sets the priority (see [`Tag::priority`]).
    #[inline]
    pub fn with_priority(mut self, priority: i8) -> Self {
        self.priority = priority;
        self
    }

    /// `Group:Name`, as ExifTool's `-G` keys.
    pub fn key(&self) -> String {
        format!("{}:{}", self.group, self.name)
    }
}

/// Recoverable damage or oddities met while reading; parsing went on past them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Warning {
    /// Byte offset in the file, when known.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub offset: Option<u64>,
    /// What was wrong.
    pub message: String,
}

/// Everything extracted from one file. With the `serde` feature, metasift's own JSON (the
/// CLI's default output, a sidecar) reads back into it:
///
/// ```
/// # #[cfg(feature = "json")] {
/// let meta = metasift::extract_path("tests/fixtures/canon_full.jpg")?;
/// let obj = metasift::output::NativeObject::new(&meta, "canon_full.jpg").with_stats(true);
/// let json = serde_json::to_string(&obj).map_err(|e| e.to_string())?;
/// let back: metasift::Metadata = serde_json::from_str(&json).map_err(|e| e.to_string())?;
/// assert_eq!(back, meta);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
// Deserialize: by hand in `de.rs` (a `&'static str` field defeats the derive).
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Metadata {
    /// The detected format.
    pub format: Format,
    /// Its MIME type.
    pub mime: &'static str,
    /// File size in bytes.
    pub file_size: u64,
    /// The typed view most users want.
    pub summary: Summary,
    /// Audio, video and other streams (tracks), ffprobe-style.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub streams: Vec<Stream>,
    /// Every tag found, in file order, with ExifTool group and name.
    pub tags: Vec<Tag>,
    /// Recoverable problems met while reading.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub warnings: Vec<Warning>,
    /// What reading cost (zero when read back from JSON written without it).
    #[cfg_attr(feature = "serde", serde(default))]
    pub stats: ReadStats,
}

impl Metadata {
    /// The first tag with this group and name.
    pub fn tag(&self, group: &str, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.group == group && t.name == name)
    }

    /// The value ExifTool would print for `Group:Name` (highest priority, then first).
    pub fn get(&self, key: &str) -> Option<&Value> {
        let (group, name) = key.split_once(':')?;
        find_tag(&self.tags, group, name).map(|t| &t.value)
    }
}

/// The tag ExifTool would show for `group:name`: the first of the highest priority.
pub(crate) fn find_tag<'a>(tags: &'a [Tag], group: &str, name: &str) -> Option<&'a Tag> {
    let mut best: Option<&Tag> = None;
    for t in tags.iter().filter(|t| t.group == group && t.name == name) {
        if replaces(best, t) {
            best = Some(t);
        }
    }
    best
}

/// Whether `t` replaces `current` as the tag ExifTool shows for its key: the first of the
/// highest priority.
#[inline]
pub(crate) fn replaces(current: Option<&Tag>, t: &Tag) -> bool {
    current.is_none_or(|c| t.priority > c.priority)
}

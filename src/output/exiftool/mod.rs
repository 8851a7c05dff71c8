//! The ExifTool-compatible projection: the JSON object `exiftool -json -n -G` prints.

use crate::base::hash::{IdBuild, bytes_hash};
use crate::model::{Metadata, Tag, Value};
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

/// How to shape ExifTool-style output. Build it from the default (`-G`: grouped keys)
/// with the `with_*` methods: options will be added as the command line's are.
///
/// ```
/// # let meta = metasift::extract_bytes(&[0xFF, 0xD8, 0xFF, 0xD9])?;
/// let bare = metasift::ExifToolOptions::default().with_groups(false);
/// let obj = metasift::exiftool_json(&meta, "a.jpg", bare);
/// assert_eq!(obj["FileType"], "JPEG");
/// # Ok::<(), metasift::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExifToolOptions {
    /// Prefix keys with the family-0 group (`EXIF:Make`), as `-G`. Without it keys are bare
    /// tag names and the highest-priority group wins, as ExifTool does.
    pub groups: bool,
    /// With `groups`, prefix keys with the family-1 group instead (`IFD0:Make`,
    /// `XMP-dc:Title`, `Track1:...`), as `-G1`.
    pub family1: bool,
}

impl ExifToolOptions {
    /// Keys with their family-0 group (`EXIF:Make`, ExifTool's `-G`), or bare names.
    pub fn with_groups(mut self, groups: bool) -> Self {
        self.groups = groups;
        self
    }

    /// With groups, family-1 groups (`IFD0:Make`, ExifTool's `-G1`) instead of family 0.
    pub fn with_family1(mut self, family1: bool) -> Self {
        self.family1 = family1;
        self
    }
}

impl Default for ExifToolOptions {
    fn default() -> Self {
        ExifToolOptions { groups: true, family1: false }
    }
}

impl ExifToolOptions {
    /// Keys prefixed with family-1 groups (`-G1`).
    pub fn family1() -> Self {
        ExifToolOptions { groups: true, family1: true }
    }

    /// Bare tag names (`exiftool -json` without `-G`).
    pub fn bare() -> Self {
        ExifToolOptions { groups: false, family1: false }
    }

    /// The group a key of `tag` is prefixed with, if any.
    fn group_of<'t>(&self, tag: &'t Tag) -> Option<&'t str> {
        match (self.groups, self.family1) {
            (false, _) => None,
            (true, false) => Some(tag.group),
            (true, true) => Some(crate::select::family1(tag)),
        }
    }
}

/// The text ExifTool prints for a file it could not read (`File not found`, `File is
/// empty`, `Unknown file type`, `Error opening file`), or the error's own message for
/// failures ExifTool has no words for (limits, damage).
pub fn error_text(e: &crate::Error) -> std::borrow::Cow<'static, str> {
    use crate::ErrorKind;
    use std::error::Error as _;
    let io_kind = e.source().and_then(|s| s.downcast_ref::<std::io::Error>()).map(std::io::Error::kind);
    match (e.kind(), io_kind) {
        (ErrorKind::Io, Some(std::io::ErrorKind::NotFound)) => "File not found".into(),
        (ErrorKind::Io, Some(_)) if e.offset().is_none_or(|o| o == 0) => "Error opening file".into(),
        (ErrorKind::Unrecognized, _) if e.message() == crate::error::EMPTY_FILE => "File is empty".into(),
        (ErrorKind::Unrecognized, _) => "Unknown file type".into(),
        _ => e.to_string().into(),
    }
}

/// Projects `meta` onto ExifTool's JSON object for one file, as a `serde_json` map.
/// Where a `Group:Tag` occurs more than once, ExifTool's choice is kept: the first tag of
/// the highest priority. A map's key order is serde_json's (sorted, unless a crate in your
/// build turns on its `preserve_order`); for ExifTool's order (`SourceFile` first, then
/// the tags as found), serialize an [`ExifToolObject`] instead.
///
/// ```
/// let meta = metasift::extract_path("tests/fixtures/canon_full.jpg")?;
/// let obj = metasift::exiftool_json(&meta, "canon_full.jpg", Default::default());
/// assert_eq!(obj["EXIF:Make"], "Canon");
/// assert_eq!(obj["SourceFile"], "canon_full.jpg");
/// # Ok::<(), metasift::Error>(())
/// ```
pub fn exiftool_json(meta: &Metadata, source_file: &str, opts: ExifToolOptions) -> Map<String, Json> {
    ExifToolObject::new(meta, source_file, opts).to_map()
}

/// ExifTool's JSON object for one file, serialized straight from the tags: the keys,
/// values and order of [`exiftool_json`] without building a `serde_json` map first (no
/// owned copy of every key and value, which matters for batch output). Further keys can
/// be set as on a map.
///
/// ```
/// # let meta = metasift::extract_bytes(&[0xFF, 0xD8, 0xFF, 0xD9]).unwrap();
/// let mut obj = metasift::output::ExifToolObject::new(&meta, "a.jpg", Default::default());
/// obj.insert_text("ExifTool:Warning", "just an example");
/// let json = serde_json::to_string_pretty(&obj).unwrap();
/// // ExifTool's order: SourceFile first, the tags as found, keys set later last.
/// assert!(json.starts_with("{\n  \"SourceFile\": \"a.jpg\",\n  \"File:FileSize\": 4,"));
/// assert!(json.ends_with("\"ExifTool:Warning\": \"just an example\"\n}"));
/// // The same keys and values as the map:
/// let mut m = metasift::exiftool_json(&meta, "a.jpg", Default::default());
/// m.insert("ExifTool:Warning".into(), "just an example".into());
/// assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap(), serde_json::Value::Object(m));
/// ```
pub struct ExifToolObject<'a> {
    entries: Vec<Entry<'a>>,
    /// Entry positions by hash of their key. Keys come from input data, so the hash is
    /// seeded and crafted keys cannot be made to collide (see [`crate::base::hash`]).
    index: HashMap<u64, u32, IdBuild>,
    /// The seed of the keys' hashes, random for each object.
    seed: u64,
    /// The last group hashed (its address and length) and its hash: tags come in runs of
    /// one group.
    last_group: (usize, usize, u64),
}

struct Entry<'a> {
    key: Key<'a>,
    value: EntryValue<'a>,
    /// The family-0 group and priority of the tag that set the value; `None` for keys set
    /// otherwise.
    source: Option<(&'a str, i8)>,
}

/// A key: `group:name`, or `name` alone.
#[derive(Clone, Copy)]
struct Key<'a> {
    group: Option<&'a str>,
    name: &'a str,
}

#[derive(Clone, Copy)]
enum EntryValue<'a> {
    Tag(&'a Value),
    Text(&'a str),
    Count(u64),
}

impl<'a> ExifToolObject<'a> {
    /// The object for `meta` read from `source_file`.
    #[allow(clippy::disallowed_methods)] // one entry per tag already extracted
    pub fn new(meta: &'a Metadata, source_file: &'a str, opts: ExifToolOptions) -> Self {
        let mut obj = ExifToolObject {
            entries: Vec::with_capacity(meta.tags.len() + 4),
            index: HashMap::with_capacity_and_hasher(meta.tags.len() + 4, Default::default()),
            seed: RandomState::new().hash_one(0x5eed_u64),
            last_group: (0, 0, 0),
        };
        obj.set(Key { group: None, name: "SourceFile" }, EntryValue::Text(source_file), None);
        for tag in &meta.tags {
            obj.add_tag(tag, opts);
        }
        obj
    }

    /// Sets `key` to a text value: a new key goes last, a key already there keeps its place.
    pub fn insert_text(&mut self, key: &'a str, value: &'a str) {
        self.set(Key { group: None, name: key }, EntryValue::Text(value), None);
    }

    /// Sets `key` to a number, as [`ExifToolObject::insert_text`] does a text.
    pub fn insert_count(&mut self, key: &'a str, value: u64) {
        self.set(Key { group: None, name: key }, EntryValue::Count(value), None);
    }

    /// The same object as a `serde_json` map (built through its `Serialize` impl).
    pub fn to_map(&self) -> Map<String, Json> {
        match serde_json::to_value(self) {
            Ok(Json::Object(map)) => map,
            _ => Map::new(),
        }
    }

    fn add_tag(&mut self, tag: &'a Tag, opts: ExifToolOptions) {
        let key = Key { group: opts.group_of(tag), name: tag.name.as_str() };
        let hash = self.hash(key);
        match self.find(key, hash).and_then(|i| self.entries.get_mut(i)) {
            Some(e) => {
                if e.source.is_none_or(|(group, p)| replaces(group, p, tag)) {
                    e.value = EntryValue::Tag(&tag.value);
                    e.source = Some((tag.group, tag.priority));
                }
            }
            None => self.push(key, hash, EntryValue::Tag(&tag.value), Some((tag.group, tag.priority))),
        }
    }

    /// Sets `key` as `Map::insert` would, recording the source of the value.
    fn set(&mut self, key: Key<'a>, value: EntryValue<'a>, source: Option<(&'a str, i8)>) {
        let hash = self.hash(key);
        match self.find(key, hash).and_then(|i| self.entries.get_mut(i)) {
            Some(e) => {
                e.value = value;
                e.source = source;
            }
            None => self.push(key, hash, value, source),
        }
    }

    fn push(&mut self, key: Key<'a>, hash: u64, value: EntryValue<'a>, source: Option<(&'a str, i8)>) {
        let at = self.entries.len() as u32;
        self.index.entry(hash).or_insert(at);
        self.entries.push(Entry { key, value, source });
    }

    /// The position of the entry whose key reads the same as `key` (of hash `hash`).
    fn find(&self, key: Key<'_>, hash: u64) -> Option<usize> {
        let i = *self.index.get(&hash)? as usize;
        if self.entries.get(i).is_some_and(|e| e.key.same(key)) {
            return Some(i);
        }
        // Two keys with one hash: rare enough for a scan.
        self.entries.iter().position(|e| e.key.same(key))
    }

    /// The seeded hash of the key as printed, the same for `EXIF` + `Make` as for
    /// `EXIF:Make`: the printed key is hashed as its part before the first colon and the
    /// rest, each hashed once and without joining them (a group has no colon; one that
    /// had, or a group-less key, is split where its first colon is).
    fn hash(&mut self, key: Key<'_>) -> u64 {
        let Some(g) = key.group else { return self.hash_printed(key.name.as_bytes()) };
        let (at, len, seed) = self.last_group;
        if (at, len) == (g.as_ptr() as usize, g.len()) {
            return bytes_hash(seed, key.name.as_bytes());
        }
        if g.as_bytes().contains(&b':') {
            return self.hash_printed(key.to_string().as_bytes());
        }
        let seed = bytes_hash(self.seed, g.as_bytes());
        self.last_group = (g.as_ptr() as usize, g.len(), seed);
        bytes_hash(seed, key.name.as_bytes())
    }

    /// [`ExifToolObject::hash`] of a key's printed text.
    fn hash_printed(&self, printed: &[u8]) -> u64 {
        match printed.iter().position(|b| *b == b':') {
            Some(at) => self.hash_parts(printed.get(..at), printed.get(at + 1..).unwrap_or_default()),
            None => self.hash_parts(None, printed),
        }
    }

    /// The hash of a key printed as `head:tail`, or `tail` alone.
    fn hash_parts(&self, head: Option<&[u8]>, tail: &[u8]) -> u64 {
        let seed = match head {
            Some(h) => bytes_hash(self.seed, h),
            None => self.seed ^ NO_GROUP,
        };
        bytes_hash(seed, tail)
    }
}

/// Mixed into the seed of a key without a colon, so that it never hashes as one with a
/// group would by chance of the seed.
const NO_GROUP: u64 = 0x6b43_a9b5_d1f0_7e21;

/// Whether `tag` replaces the value a tag of `group` and `priority` set under the same key.
/// Within one group, the first tag of the highest priority stays (the parsers rank
/// repeats to that rule). Across groups (bare names), a later tag replaces an earlier one
/// unless its group ranks lower, as ExifTool's JSON shows: `Composite:GPSLatitude`
/// (signed) over `EXIF:GPSLatitude`, `EXIF:CreateDate` over the XMP one found after it,
/// XMP over IPTC, a later XMP over a PDF Info entry. (In a TIFF ExifTool shows IPTC's
/// `DateCreated` over XMP's; one rank cannot say both.)
fn replaces(group: &str, priority: i8, tag: &Tag) -> bool {
    if group == tag.group {
        return tag.priority > priority;
    }
    cross_rank(tag.group, tag.priority) >= cross_rank(group, priority)
}

/// How a group ranks against others under one bare name.
fn cross_rank(group: &str, priority: i8) -> i8 {
    match group {
        _ if priority < 0 => -1,
        "MakerNotes" => -1,
        "IPTC" => 0,
        "EXIF" => 2,
        "Composite" => 3,
        _ => 1,
    }
}

impl<'a> Key<'a> {
    /// The bytes of the key as printed (`group`, `:`, `name`).
    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let group = self.group.map(|g| g.as_bytes().iter().chain(b":")).into_iter().flatten();
        group.chain(self.name.as_bytes()).copied()
    }

    fn same(&self, other: Key<'_>) -> bool {
        self.len() == other.len() && self.bytes().eq(other.bytes())
    }

    fn len(&self) -> usize {
        self.group.map_or(0, |g| g.len() + 1) + self.name.len()
    }

    /// The key as printed, joined in `buf` (most keys fit it), or `None` when it does not fit.
    fn joined<'b>(&self, buf: &'b mut [u8; KEY_BUF]) -> Option<&'b [u8]>
    where
        'a: 'b,
    {
        let Some(group) = self.group else { return Some(self.name.as_bytes()) };
        let dst = buf.get_mut(..self.len())?;
        let (g, rest) = dst.split_at_mut(group.len());
        g.copy_from_slice(group.as_bytes());
        let (colon, name) = rest.split_first_mut()?;
        *colon = b':';
        name.copy_from_slice(self.name.as_bytes());
        Some(dst)
    }
}

/// Room for a joined key on the stack.
const KEY_BUF: usize = 96;

impl std::fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.group {
            Some(g) => write!(f, "{g}:{}", self.name),
            None => f.write_str(self.name),
        }
    }
}

mod text;
mod write;

#[cfg(test)]
mod tests;

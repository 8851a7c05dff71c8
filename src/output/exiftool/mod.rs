//! The ExifTool-compatible projection: the JSON object `exiftool -json -n -G` prints.

use crate::base::hash::IdBuild;
use crate::model::{Metadata, Tag, Value};
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher, RandomState};

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
}

impl ExifToolOptions {
    /// Keys with their family-0 group (`EXIF:Make`, ExifTool's `-G`), or bare names.
    pub fn with_groups(mut self, groups: bool) -> Self {
        self.groups = groups;
        self
    }
}

impl Default for ExifToolOptions {
    fn default() -> Self {
        ExifToolOptions { groups: true }
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
    seed: RandomState,
}

struct Entry<'a> {
    key: Key<'a>,
    value: EntryValue<'a>,
    /// The priority of the tag that set the value; `None` for keys set otherwise.
    priority: Option<i8>,
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
            seed: RandomState::new(),
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
        let key = Key { group: opts.groups.then_some(tag.group), name: tag.name.as_str() };
        let hash = self.hash(key);
        match self.find(key, hash).and_then(|i| self.entries.get_mut(i)) {
            Some(e) => {
                if e.priority.is_none_or(|p| tag.priority > p) {
                    e.value = EntryValue::Tag(&tag.value);
                    e.priority = Some(tag.priority);
                }
            }
            None => self.push(key, hash, EntryValue::Tag(&tag.value), Some(tag.priority)),
        }
    }

    /// Sets `key` as `Map::insert` would, recording `priority`.
    fn set(&mut self, key: Key<'a>, value: EntryValue<'a>, priority: Option<i8>) {
        let hash = self.hash(key);
        match self.find(key, hash).and_then(|i| self.entries.get_mut(i)) {
            Some(e) => {
                e.value = value;
                e.priority = priority;
            }
            None => self.push(key, hash, value, priority),
        }
    }

    fn push(&mut self, key: Key<'a>, hash: u64, value: EntryValue<'a>, priority: Option<i8>) {
        let at = self.entries.len() as u32;
        self.index.entry(hash).or_insert(at);
        self.entries.push(Entry { key, value, priority });
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

    /// The seeded hash of the key as printed: the same for `EXIF` + `Make` as for `EXIF:Make`
    /// (the hasher does not depend on how the bytes are split between writes).
    fn hash(&self, key: Key<'_>) -> u64 {
        let mut h = self.seed.build_hasher();
        let mut buf = [0u8; KEY_BUF];
        match key.joined(&mut buf) {
            // One write of the whole key costs less than three of its parts.
            Some(joined) => h.write(joined),
            None => {
                if let Some(g) = key.group {
                    h.write(g.as_bytes());
                    h.write(b":");
                }
                h.write(key.name.as_bytes());
            }
        }
        h.finish()
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

mod write;

#[cfg(test)]
mod tests;

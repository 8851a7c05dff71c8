//! The flat tag list an XMP packet makes, merged as ExifTool merges it: each value goes
//! under its flat name, as a new tag or as one more item of the list already made under
//! that name, found through a hash of (family-0 group, top-level prefix, name).

use super::names;
use crate::base::bytes::Endian;
use crate::base::hash::IdBuild;
use crate::model::{Tag, Text, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;

/// A fast hash of two byte strings (FxHash-style, a word at a time).
fn fnv(a: &[u8], b: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = 0;
    for part in [a, b] {
        let mut chunks = part.chunks_exact(8);
        for c in &mut chunks {
            let w = Endian::Little.u64_or_zero(c, 0);
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &c in chunks.remainder() {
            h = (h.rotate_left(5) ^ u64::from(c)).wrapping_mul(K);
        }
        h = (h.rotate_left(5) ^ 0xFF).wrapping_mul(K);
    }
    h
}

/// A hash of a tag name: its length and first and last eight bytes (the whole name up to
/// 16 bytes, the usual case), the rest through [`fnv`].
fn name_hash(name: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let (head, tail) = match (name.first_chunk::<8>(), name.last_chunk::<8>()) {
        (Some(a), Some(b)) => (Endian::Little.u64_from(*a), Endian::Little.u64_from(*b)),
        _ => {
            let mut w = [0u8; 8];
            if let Some(dst) = w.get_mut(..name.len()) {
                dst.copy_from_slice(name);
            }
            (Endian::Little.u64_from(w), 0)
        }
    };
    let h = mix(mix(mix(0, name.len() as u64), head), tail);
    match name.get(8..name.len().saturating_sub(8)) {
        Some(middle) if !middle.is_empty() => h ^ fnv(middle, b""),
        _ => h,
    }
}

/// What merging needs to know of a flattened tag already made (one per tag the packet
/// made).
struct Entry {
    /// The top-level property's prefix.
    top: Cow<'static, str>,
    /// Its values gather into a list.
    list: bool,
    /// Values gathered so far (a list shows as its item while it has one).
    items: u32,
}

/// At most this many top-level prefixes are remembered (others are worked out per tag).
const MAX_TOPS: usize = 64;

/// A top-level prefix in a family-0 group, with what its tags need.
struct Top {
    /// The prefix (the usual one's static string when it is well known).
    prefix: Cow<'static, str>,
    /// The family-1 group of its tags.
    group: Cow<'static, str>,
    /// The family-0 group.
    group0: &'static str,
    /// The hash of the prefix and family-0 group, part of its tags' keys.
    hash: u64,
}

impl Top {
    /// Works out the prefix and groups of top-level prefix `top` in family-0 group `group0`.
    fn new(group0: &'static str, top: &str) -> Top {
        let known = names::known_groups(top);
        let group = if group0 == "XMP" { names::subgroup(top, known) } else { Cow::Owned(top.to_owned()) };
        let prefix: Cow<'static, str> = match (known, top) {
            (Some((p, _)), _) => Cow::Borrowed(p),
            // The prefixes of the toolkit and `rdf:about` tags.
            (None, "x") => Cow::Borrowed("x"),
            (None, "rdf") => Cow::Borrowed("rdf"),
            (None, _) => Cow::Owned(top.to_owned()),
        };
        Top { prefix, group, group0, hash: fnv(top.as_bytes(), group0.as_bytes()) }
    }

    /// This is prefix `top` in family-0 group `group0`.
    fn is(&self, group0: &'static str, top: &str) -> bool {
        // The prefix is usually the very string the table holds: compare addresses first.
        let p = &self.prefix;
        ((std::ptr::eq(p.as_ptr(), top.as_ptr()) && p.len() == top.len()) || p == top)
            && self.group0 == group0
    }
}

/// The tags of one packet, made in the context's own vector (no second vector to move
/// them from), and what merging needs to know of them.
pub(super) struct Flat {
    /// The context's tags, this packet's from `first` on.
    tags: Vec<Tag>,
    first: usize,
    /// What merging needs to know of each tag of this packet (`entries[i]` is of
    /// `tags[first + i]`).
    entries: Vec<Entry>,
    /// This packet's tags (their `entries` index) by hash of (family-0 group, prefix,
    /// name).
    index: HashMap<u64, u32, IdBuild>,
    /// Tags whose key's hash another key had taken first (an unseeded hash can be made to
    /// collide), by the key itself.
    spill: HashMap<(&'static str, String, String), u32>,
    /// Top-level prefixes met so far (at most [`MAX_TOPS`]).
    tops: Vec<Top>,
    /// The entry of `tops` used last.
    last_top: usize,
}

impl Flat {
    /// A list that adds this packet's tags to `tags`.
    #[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
    pub(super) fn new(tags: Vec<Tag>) -> Self {
        Flat {
            first: tags.len(),
            tags,
            entries: Vec::with_capacity(32),
            index: HashMap::with_capacity_and_hasher(32, IdBuild::default()),
            spill: HashMap::new(),
            tops: Vec::with_capacity(8),
            last_top: 0,
        }
    }

    /// Adds a value under `group0`/`top`/`name`: a new tag, or one more item of the list
    /// already made under that name.
    pub(super) fn insert(&mut self, group0: &'static str, top: &str, name: &str, value: Value, list: bool) {
        let fresh;
        let t = match self.top_slot(group0, top).and_then(|i| self.tops.get(i)) {
            Some(t) => t,
            None => {
                fresh = Top::new(group0, top);
                &fresh
            }
        };
        let h = name_hash(name.as_bytes()) ^ t.hash;
        let next = self.entries.len() as u32;
        let taken = match self.index.entry(h) {
            Slot::Occupied(o) => Some(*o.get() as usize),
            Slot::Vacant(v) => {
                v.insert(next);
                None
            }
        };
        let is_key = |i: usize| {
            self.entries.get(i).is_some_and(|e| e.top == top)
                && self.tags.get(self.first + i).is_some_and(|tag| tag.group == group0 && tag.name == name)
        };
        let existing = match taken {
            None => None,
            Some(i) if is_key(i) => Some(i),
            Some(_) => match self.spill.entry((group0, top.to_owned(), name.to_owned())) {
                Slot::Occupied(o) => Some(*o.get() as usize),
                Slot::Vacant(v) => {
                    v.insert(next);
                    None
                }
            },
        };
        if let Some(i) = existing {
            if let (Some(tag), Some(e)) = (self.tags.get_mut(self.first + i), self.entries.get_mut(i)) {
                if list && e.list {
                    append_item(&mut tag.value, e.items, value);
                    e.items = e.items.saturating_add(1);
                }
            }
            return;
        }
        let tag =
            Tag { group: group0, subgroup: Some(t.group.clone()), name: Text::new(name), value, priority: 0 };
        self.entries.push(Entry { top: t.prefix.clone(), list, items: 1 });
        self.tags.push(tag);
    }

    /// The entry of `tops` for top-level prefix `top` in family-0 group `group0`, added
    /// when new (the one of the previous tag is tried first); None once the table is full.
    fn top_slot(&mut self, group0: &'static str, top: &str) -> Option<usize> {
        let found = match self.tops.get(self.last_top) {
            Some(t) if t.is(group0, top) => Some(self.last_top),
            _ => self.tops.iter().position(|t| t.is(group0, top)),
        };
        if let Some(i) = found {
            self.last_top = i;
            return Some(i);
        }
        if self.tops.len() >= MAX_TOPS {
            return None;
        }
        self.last_top = self.tops.len();
        self.tops.push(Top::new(group0, top));
        Some(self.last_top)
    }

    /// The tags, this packet's shaped as ExifTool shows them.
    pub(super) fn finish(mut self) -> Vec<Tag> {
        for (tag, e) in self.tags.iter_mut().skip(self.first).zip(&self.entries) {
            if e.items > 1 && tag.name == "LensInfo" {
                // exifEX:LensSpecification is shown like aux:LensInfo ("24 70 4 4").
                let joined = tag.value.items().iter().map(Value::to_text).collect::<Vec<_>>().join(" ");
                tag.value = Value::from(joined);
            }
        }
        self.tags
    }
}

/// Adds `value` to a list tag that holds `items` values so far (one value shows as itself).
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
fn append_item(tag_value: &mut Value, items: u32, value: Value) {
    match tag_value {
        Value::List(v) if items > 1 => v.push(value),
        single => {
            let first = std::mem::replace(single, Value::Bool(false));
            // Room for a few more items (lists of three or four are common: no regrowth).
            let mut items = Vec::with_capacity(4);
            items.push(first);
            items.push(value);
            *single = Value::List(items);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::from(s)
    }

    #[test]
    fn a_key_whose_hash_another_key_took_still_merges_its_values() {
        // The hash key "Subject" gets.
        let mut alone = Flat::new(Vec::new());
        alone.insert("XMP", "dc", "Subject", text("x"), true);
        let taken: Vec<u64> = alone.index.keys().copied().collect();
        // Another key took it first (as a crafted collision would).
        let mut p = Flat::new(Vec::new());
        p.insert("XMP", "dc", "Creator", text("c1"), true);
        for h in taken {
            p.index.insert(h, 0);
        }
        p.insert("XMP", "dc", "Subject", text("a"), true);
        p.insert("XMP", "dc", "Subject", text("b"), true);
        p.insert("XMP", "dc", "Creator", text("c2"), true);
        let out: Vec<(String, Value)> =
            p.tags.iter().map(|t| (t.name.to_string(), t.value.clone())).collect();
        assert_eq!(
            out,
            vec![
                ("Creator".to_owned(), Value::List(vec![text("c1"), text("c2")])),
                ("Subject".to_owned(), Value::List(vec![text("a"), text("b")])),
            ]
        );
    }
}

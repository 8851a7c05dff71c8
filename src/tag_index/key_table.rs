//! [`KeyTable`]: dense ids for a fixed set of `(group, name)` tag keys (static tables of the
//! crate), found by a fast unseeded hash. Input keys only probe the table; a table of keys
//! taken from input data would need a seeded hash (see [`crate::base::hash`]).

use crate::base::bytes::Endian;
use crate::base::hash::K;
use crate::model::{Tag, replaces};

/// Dense ids for a fixed set of `(group, name)` tag keys (a crate table, built once), so
/// that one pass over the extracted tags can index the few a caller reads. A look-up
/// hashes the name with one multiply and tests a 4096-bit filter, which turns most tags
/// away; the rest add the group with a second multiply to find the cell where the search
/// starts, and compare on a hit: the name as two precomputed words, the group by address
/// first (see [`GROUPS`]).
pub(crate) struct KeyTable {
    keys: Vec<Key>,
    /// Bit `name_hash >> 52` is set for every key's name.
    names: [u64; 64],
    /// Open addressing with linear probing: key id + 1, or 0 for an empty cell. At most a
    /// quarter full, so searches are short.
    cells: Box<[u16]>,
    /// `cells.len() - 1` (a power of two less one).
    mask: usize,
    /// `64 - log2(cells.len())`: the key hash's top bits pick the cell.
    shift: u32,
}

impl KeyTable {
    /// The table for `keys` (each `(group, name)` once; a repeat is never found); a key's
    /// id is its position.
    pub(crate) fn new(keys: impl IntoIterator<Item = (&'static str, &'static str)>) -> Self {
        let keys: Vec<Key> = keys.into_iter().map(|(group, name)| Key::new(interned(group), name)).collect();
        let size = (keys.len() * 4).next_power_of_two().max(16);
        let mut table = KeyTable {
            keys: Vec::new(),
            names: [0; 64],
            cells: vec![0u16; size].into_boxed_slice(),
            mask: size - 1,
            shift: 64 - size.trailing_zeros(),
        };
        for (id, key) in keys.iter().enumerate() {
            let Ok(cell) = u16::try_from(id + 1) else { break };
            let h = name_hash(key.name);
            if let Some(word) = table.names.get_mut((h >> 58) as usize) {
                *word |= 1 << ((h >> 52) & 63);
            }
            let mut i = (key_hash(h, key.group) >> table.shift) as usize;
            while let Some(c) = table.cells.get_mut(i) {
                if *c == 0 {
                    *c = cell;
                    break;
                }
                i = (i + 1) & table.mask;
            }
        }
        table.keys = keys;
        table
    }

    /// The id (position in the key list) of `group:name`, if it is one of the keys. Always
    /// inlined: it runs once per tag, and a call would cost as much as a miss.
    #[inline(always)]
    pub(crate) fn id(&self, group: &str, name: &str) -> Option<usize> {
        let n = name.as_bytes();
        let tail = tail_word(n);
        let h = name_hash_of(tail, n.len());
        if self.names.get((h >> 58) as usize)? & (1 << ((h >> 52) & 63)) == 0 {
            return None;
        }
        let head = head_word(n);
        let mut i = (key_hash(h, group) >> self.shift) as usize;
        loop {
            let id = usize::from(self.cells.get(i)?.checked_sub(1)?);
            let key = self.keys.get(id)?;
            if key.tail == tail && key.head == head && key.is(group, n) {
                return Some(id);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Fills `best[id]` with the position of the tag ExifTool would show for each key
    /// among `tags[from..]`, where `best` already holds the positions found before `from`
    /// (or nothing), with one entry per key; callers that append tags index the new ones.
    /// Positions are `u32` (half the size of `usize` in an `Option`); a tag past
    /// `u32::MAX` is never indexed.
    pub(crate) fn positions(&self, tags: &[Tag], from: usize, best: &mut [Option<u32>]) {
        let Some(new) = tags.get(from..) else { return };
        for (pos, t) in (from..).zip(new) {
            let Some(id) = self.id(t.group, &t.name) else { continue };
            let Ok(pos) = u32::try_from(pos) else { return };
            let current = |b: &&mut Option<u32>| b.and_then(|b| tags.get(b as usize));
            if let Some(b) = best.get_mut(id).filter(|b| replaces(current(b), t)) {
                *b = Some(pos);
            }
        }
    }
}

/// The hash of a name: its last eight bytes (where names differ most; shorter names
/// whole) and its length, spread by a multiply with `K` (the product's top bits are the
/// best mixed, and the ones used).
#[inline]
fn name_hash(name: &str) -> u64 {
    name_hash_of(tail_word(name.as_bytes()), name.len())
}

/// [`name_hash`] from the name's [`tail_word`] and length.
#[inline(always)]
fn name_hash_of(tail: u64, len: usize) -> u64 {
    (tail ^ len as u64).wrapping_mul(K)
}

/// A name's last eight bytes; for a shorter name its first and last four (overlapping),
/// or below four bytes the bytes themselves. With [`head_word`] and the length, it tells
/// names of up to 16 bytes apart: together the two words hold every byte.
#[inline(always)]
fn tail_word(n: &[u8]) -> u64 {
    match (n.last_chunk::<8>(), n.first_chunk::<4>(), n.last_chunk::<4>()) {
        (Some(w), _, _) => Endian::Little.u64_from(*w),
        (None, Some(head), Some(tail)) => {
            u64::from(Endian::Little.u32_from(*head)) << 32 | u64::from(Endian::Little.u32_from(*tail))
        }
        _ => n.iter().fold(0, |w, b| w << 8 | u64::from(*b)),
    }
}

/// A name's first eight bytes (0 for a name shorter than that, which [`tail_word`] holds
/// whole).
#[inline(always)]
fn head_word(n: &[u8]) -> u64 {
    n.first_chunk::<8>().map_or(0, |w| Endian::Little.u64_from(*w))
}

/// One key of a [`KeyTable`], with its name's words precomputed, so that a look-up
/// compares words instead of bytes.
struct Key {
    group: &'static str,
    name: &'static str,
    /// [`tail_word`] of the name.
    tail: u64,
    /// [`head_word`] of the name.
    head: u64,
}

impl Key {
    fn new(group: &'static str, name: &'static str) -> Self {
        let n = name.as_bytes();
        Key { group, name, tail: tail_word(n), head: head_word(n) }
    }

    /// Whether this is `group:name`, given that the name's words match this key's: equal
    /// lengths then prove names of up to 16 bytes equal; longer ones are compared.
    #[inline(always)]
    fn is(&self, group: &str, name: &[u8]) -> bool {
        self.name.len() == name.len()
            && (name.len() <= 16 || long_eq(self.name.as_bytes(), name))
            && (std::ptr::eq(self.group, group) || short_eq(self.group.as_bytes(), group.as_bytes()))
    }
}

/// Byte equality of long names, kept out of line (few names are over 16 bytes).
#[inline(never)]
fn long_eq(a: &[u8], b: &[u8]) -> bool {
    a == b
}

/// The groups tags are pushed with, as literals: a key's group is taken from here when it
/// is one of them, so that it is most likely the very string a parser's tag points to (the
/// compiler merges equal literals) and compares by address. Any other group compares by
/// bytes, as does a group at another address.
const GROUPS: &[&str] = &[
    "File",
    "EXIF",
    "XMP",
    "IPTC",
    "Photoshop",
    "Composite",
    "QuickTime",
    "PNG",
    "GIF",
    "RIFF",
    "BMP",
    "PSD",
    "RAF",
    "APP12",
    "Matroska",
    "PDF",
    "XML",
    "ID3",
    "Vorbis",
    "FLAC",
    "MPEG",
];

/// `group` as the literal of [`GROUPS`] with its spelling, if there is one.
fn interned(group: &'static str) -> &'static str {
    GROUPS.iter().copied().find(|g| *g == group).unwrap_or(group)
}

/// The hash of `group:name` from the name's: the group's length and first byte mixed in.
#[inline]
fn key_hash(name_hash: u64, group: &str) -> u64 {
    let g = group.as_bytes();
    let digest = g.len() as u64 | u64::from(g.first().copied().unwrap_or(0)) << 8;
    (name_hash ^ digest).wrapping_mul(K)
}

/// Byte equality for tag and group names, short as they are: from 2 to 16 bytes compare
/// as two (overlapping) words instead of through a `memcmp` call.
#[inline]
fn short_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() <= 16 {
        if let (Some(a0), Some(a1), Some(b0), Some(b1)) =
            (a.first_chunk::<8>(), a.last_chunk::<8>(), b.first_chunk::<8>(), b.last_chunk::<8>())
        {
            return a0 == b0 && a1 == b1;
        }
        if let (Some(a0), Some(a1), Some(b0), Some(b1)) =
            (a.first_chunk::<4>(), a.last_chunk::<4>(), b.first_chunk::<4>(), b.last_chunk::<4>())
        {
            return a0 == b0 && a1 == b1;
        }
        if let (Some(a0), Some(a1), Some(b0), Some(b1)) =
            (a.first_chunk::<2>(), a.last_chunk::<2>(), b.first_chunk::<2>(), b.last_chunk::<2>())
        {
            return a0 == b0 && a1 == b1;
        }
    }
    a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_table_finds_each_key_and_nothing_else() {
        static KEYS: &[(&str, &str)] =
            &[("EXIF", "Make"), ("XMP", "Make"), ("EXIF", "Model"), ("File", "ImageWidth"), ("", "")];
        let table = KeyTable::new(KEYS.iter().copied());
        for (i, (g, n)) in KEYS.iter().enumerate() {
            assert_eq!(table.id(g, n), Some(i));
        }
        assert_eq!(table.id("EXIF", "Mak"), None);
        assert_eq!(table.id("IPTC", "Make"), None);
        assert_eq!(table.id("EXIF", "Makf"), None);
        let tags = vec![
            Tag::new("XMP", "Make", "a"),
            Tag::new("XMP", "Make", "b").with_priority(1),
            Tag::new("XMP", "Make", "c").with_priority(1),
            Tag::new("EXIF", "Other", "d"),
        ];
        assert!(short_eq(b"GPSLatitudeRef", b"GPSLatitudeRef"));
        assert!(!short_eq(b"GPSLatitudeRef", b"GPSLatitudeReg"));
        assert!(!short_eq(b"XMP", b"XMQ") && !short_eq(b"XMP", b"YMP") && short_eq(b"XMP", b"XMP"));
        assert!(!short_eq(b"ABCDEFGHIJKLMNOPQ", b"ABCDEFGHIJKLMNOPR"));
        assert!(
            !short_eq(b"Model", b"Modem") && !short_eq(b"Model", b"Nodel") && short_eq(b"Model", b"Model")
        );
        assert!(!short_eq(b"a", b"b") && short_eq(b"", b""));
        let mut found: [Option<u32>; 5] = [None; 5];
        table.positions(&tags, 0, &mut found);
        assert_eq!(found, [None, Some(1), None, None, None]);
        let mut later: [Option<u32>; 5] = [None; 5];
        table.positions(&tags, 2, &mut later);
        assert_eq!(later, [None, Some(2), None, None, None]);
    }
}

//! A small, fast, non-cryptographic hasher for maps whose keys are fixed by the crate
//! (static tables of tag names), and [`KeyTable`], dense ids for a fixed set of tag keys.
//! Not for maps keyed by input data: without a secret seed, crafted keys could all collide.

use super::Tag;
use std::hash::{BuildHasherDefault, Hasher};

/// Odd 64-bit multiplier (from the golden ratio) spreading each word over the state.
const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// Multiply-rotate hashing over 8-byte words.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // Fold the well-mixed high bits into the low ones hash tables index by.
        let h = self.0;
        (h ^ (h >> 29)).wrapping_mul(K) ^ (h >> 32)
    }
}

/// `BuildHasher` for [`FastHasher`].
pub(crate) type FastBuild = BuildHasherDefault<FastHasher>;

/// Dense ids for a fixed set of `(group, name)` tag keys (a crate table, built once), so
/// that one pass over the extracted tags can index the few a caller reads. Most names are
/// turned away by a bit filter; the rest cost one multiply over a digest of the two names
/// and, on a hit, one comparison.
pub(crate) struct KeyTable {
    keys: &'static [(&'static str, &'static str)],
    /// Bit [`name_bit`] is set for every key's name.
    names: [u64; 16],
    /// Open addressing with linear probing: key id + 1, or 0 for an empty cell. At most a
    /// quarter full, so misses (most tags) usually stop at the first cell.
    cells: Box<[u16]>,
    /// `cells.len() - 1` (a power of two less one).
    mask: usize,
    /// `64 - log2(cells.len())`: the product's top bits pick the cell.
    shift: u32,
}

impl KeyTable {
    /// The table for `keys` (each `(group, name)` once; a repeat is never found).
    pub(crate) fn new(keys: &'static [(&'static str, &'static str)]) -> Self {
        let size = (keys.len() * 4).next_power_of_two().max(16);
        let mut cells = vec![0u16; size].into_boxed_slice();
        let shift = 64 - size.trailing_zeros();
        let mut names = [0u64; 16];
        for (id, (group, name)) in keys.iter().enumerate() {
            let Ok(cell) = u16::try_from(id + 1) else { break };
            let bit = name_bit(name.as_bytes());
            if let Some(word) = names.get_mut(bit / 64) {
                *word |= 1 << (bit % 64);
            }
            let mut i = home(group, name, shift);
            while let Some(c) = cells.get_mut(i) {
                if *c == 0 {
                    *c = cell;
                    break;
                }
                i = (i + 1) & (size - 1);
            }
        }
        KeyTable { keys, names, cells, mask: size - 1, shift }
    }

    /// The id (position in the key list) of `group:name`, if it is one of the keys.
    #[inline]
    pub(crate) fn id(&self, group: &str, name: &str) -> Option<usize> {
        let bit = name_bit(name.as_bytes());
        if self.names.get(bit / 64)? & (1 << (bit % 64)) == 0 {
            return None;
        }
        let mut i = home(group, name, self.shift);
        loop {
            let id = usize::from(self.cells.get(i)?.checked_sub(1)?);
            let (g, n) = self.keys.get(id)?;
            if short_eq(n.as_bytes(), name.as_bytes()) && short_eq(g.as_bytes(), group.as_bytes()) {
                return Some(id);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Fills `best[id]` with the tag ExifTool would show for each key among `tags` (the
    /// first of the highest priority); `best` starts empty and has one entry per key.
    pub(crate) fn index<'a>(&self, tags: &'a [Tag], best: &mut [Option<&'a Tag>]) {
        for t in tags {
            if let Some(b) = self.id(t.group, &t.name).and_then(|i| best.get_mut(i)) {
                if b.is_none_or(|b| t.priority > b.priority) {
                    *b = Some(t);
                }
            }
        }
    }
}

/// A 10-bit digest of a name (length, first and last bytes) for [`KeyTable::names`].
#[inline]
fn name_bit(n: &[u8]) -> usize {
    let (first, last) = (n.first().copied().unwrap_or(0), n.last().copied().unwrap_or(0));
    (n.len().wrapping_mul(97) ^ usize::from(first).wrapping_mul(13) ^ usize::from(last)) & 1023
}

/// The cell where the search for `group:name` starts, in a table of `2^(64 - shift)`
/// cells: a digest of both lengths, the group's first byte and the name's first, middle
/// and last bytes, spread by `K` (the product's top bits are the best mixed).
#[inline]
fn home(group: &str, name: &str, shift: u32) -> usize {
    let (g, n) = (group.as_bytes(), name.as_bytes());
    let first = |s: &[u8]| u64::from(s.first().copied().unwrap_or(0));
    let middle = u64::from(n.get(n.len() / 2).copied().unwrap_or(0));
    let last = u64::from(n.last().copied().unwrap_or(0));
    let digest =
        n.len() as u64 | first(n) << 8 | middle << 16 | last << 24 | (g.len() as u64) << 32 | first(g) << 40;
    (digest.wrapping_mul(K) >> shift) as usize
}

/// Byte equality for tag and group names, short as they are: up to 16 bytes compare as
/// two (overlapping) machine words instead of through a `memcmp` call.
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
            (a.first_chunk::<2>(), a.last_chunk::<2>(), b.first_chunk::<2>(), b.last_chunk::<2>())
        {
            if a.len() <= 4 {
                return a0 == b0 && a1 == b1;
            }
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
        let table = KeyTable::new(KEYS);
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
        let mut best = [None; 5];
        table.index(&tags, &mut best);
        assert_eq!(best[1].map(|t| &t.value), Some(&"b".into()));
        assert!(best.iter().enumerate().all(|(i, b)| i == 1 || b.is_none()));
    }
    use std::hash::BuildHasher;

    #[test]
    fn distinguishes_keys() {
        let b = FastBuild::default();
        let keys = [("EXIF", "Make"), ("EXIF", "Model"), ("XMP", "Make"), ("EXI", "FMake"), ("", "")];
        let hashes: Vec<u64> = keys.iter().map(|k| b.hash_one(k)).collect();
        for (i, a) in hashes.iter().enumerate() {
            for c in &hashes[i + 1..] {
                assert_ne!(a, c);
            }
        }
    }
}

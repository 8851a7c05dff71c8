//! Hashing for look-ups. Keys from the crate's own tables (tag keys, EXIF codes) are
//! hashed by one multiply with [`K`], unseeded: input only probes such a table, never adds
//! to it, so crafted input cannot lengthen its searches. Keys taken from input data that go
//! into a map (the ExifTool projection's keys) need a seeded hash instead (std's
//! `RandomState`), so that crafted keys cannot be made to collide. Maps keyed by a hash
//! computed either way use [`IdHasher`], which passes it through.

use std::hash::{BuildHasherDefault, Hasher};

/// Odd 64-bit multiplier (from the golden ratio) spreading a digest over the product.
pub(crate) const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// A hasher for map keys that are already hashes (`u64`): it passes them through.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

/// Builds [`IdHasher`]s.
pub(crate) type IdBuild = BuildHasherDefault<IdHasher>;

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    /// Other keys (not used by the maps that take this hasher) still hash, bytewise.
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

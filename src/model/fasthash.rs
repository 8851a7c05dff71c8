//! A small, fast, non-cryptographic hasher for maps whose keys are fixed by the crate
//! (static tables of tag names). Not for maps keyed by input data: without a secret seed,
//! crafted keys could all collide.

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

#[cfg(test)]
mod tests {
    use super::*;
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

//! Digests and their text: MD5 (IPTC's `CurrentIPTCDigest`, PDF keys) from the RustCrypto
//! `md-5` crate, and hex as ExifTool prints digests and IDs (lower case; a few IDs upper).
//!
//! And hashing for look-ups, which comes in two kinds by where the keys come from:
//!
//! - Keys from the crate's own tables (tag keys, EXIF tag codes) are hashed by one
//!   multiply with [`K`], unseeded: input only probes such a table, never adds to it, so
//!   crafted input cannot lengthen its searches.
//! - Keys taken from input data that go into a map (the ExifTool projection's
//!   `Group:Name` keys) need a seeded hash, so that crafted keys cannot be made to
//!   collide: [`bytes_hash`] with a seed drawn from std's `RandomState` (one draw per map,
//!   not std's SipHash per key, which cost more than the rest of the projection).
//! - Names of one maker note, gathered to find repeats, come from the crate's tables (and
//!   a few from counters): [`bytes_hash`] unseeded. A collision only costs a comparison.
//!
//! Maps keyed by a hash computed either way take [`IdHasher`], which passes it through
//! instead of hashing it a second time.

use crate::base::short_text::Out;
use md5::{Digest, Md5};
use std::hash::{BuildHasherDefault, Hasher};

/// The MD5 digest of `data`.
pub(crate) fn md5(data: &[u8]) -> [u8; 16] {
    Md5::digest(data).into()
}

/// Hex digit pairs of every byte value, lower case.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    t
};

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = vec![0; bytes.len() * 2];
    for (pair, &b) in s.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
    String::from_utf8(s).unwrap_or_default()
}

/// Odd 64-bit multiplier (from the golden ratio) spreading a digest over the product.
pub(crate) const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// Second odd multiplier of [`bytes_hash`].
const K2: u64 = 0xd6e8_feb8_6659_fd93;

/// The 128-bit product of `a` and `b` folded to 64 bits (high half xor low half): every
/// input bit reaches every output bit in one multiply.
#[inline(always)]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// A hash of `bytes`, started from `seed`: eight bytes per step, one folded multiply each
/// (a last part shorter than a word is read as the last eight bytes, overlapping; a text
/// of under eight bytes as two overlapping halves), the length mixed in first. Seeded
/// from a random value it serves keys from input data (see the module's notes).
#[inline]
pub(crate) fn bytes_hash(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = fold_mul(seed ^ bytes.len() as u64, K);
    let Some(last) = bytes.last_chunk::<8>() else {
        return fold_mul(fold_mul(h ^ short_word(bytes), K2), K);
    };
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let w: [u8; 8] = w.try_into().unwrap_or_default();
        h = fold_mul(h ^ u64::from_le_bytes(w), K2);
    }
    if !words.remainder().is_empty() {
        h = fold_mul(h ^ u64::from_le_bytes(*last), K2);
    }
    fold_mul(h, K)
}

/// The bytes of a text under eight bytes in one word: every byte is in it (with the
/// length, which the hash mixes in, this tells such texts apart).
#[inline(always)]
fn short_word(b: &[u8]) -> u64 {
    let byte = |i: usize| u64::from(b.get(i).copied().unwrap_or(0));
    match (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        (Some(head), Some(tail)) => {
            u64::from(u32::from_le_bytes(*head)) | u64::from(u32::from_le_bytes(*tail)) << 32
        }
        _ if b.is_empty() => 0,
        _ => byte(0) | byte(b.len() / 2) << 8 | byte(b.len() - 1) << 16,
    }
}

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

/// Appends the upper-case hex of `bytes` to `out` (ExifTool prints some IDs this way).
#[inline]
pub(crate) fn push_hex_upper(bytes: &[u8], out: &mut impl Out) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_vectors() {
        assert_eq!(hex(&md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(&md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
        let long = b"12345678901234567890123456789012345678901234567890123456789012345678901234567890";
        assert_eq!(hex(&md5(long)), "57edf4a22be3c955ac49da2e2107b67a");
        assert_eq!(hex(&[0, 0xab]), "00ab");
        let mut upper = String::new();
        push_hex_upper(&[0, 0xab, 0x7f], &mut upper);
        assert_eq!(upper, "00AB7F");
    }

    #[test]
    fn bytes_hash_tells_keys_apart() {
        let keys = ["", "a", "a\0", "Make", "EXIF:Make", "EXIF:Model", "MakerNotes:WB_RGGBLevelsAuto"];
        let mut seen = std::collections::HashSet::new();
        for seed in [0, 1, 0x1234_5678_9abc_def0] {
            for k in keys {
                assert!(seen.insert(bytes_hash(seed, k.as_bytes())), "{seed} {k}");
                assert_eq!(bytes_hash(seed, k.as_bytes()), bytes_hash(seed, k.to_owned().as_bytes()));
            }
        }
    }
}

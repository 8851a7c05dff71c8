//! Digests and their text: MD5 (IPTC's `CurrentIPTCDigest`, PDF keys) from the RustCrypto
//! `md-5` crate, and hex as ExifTool prints digests and IDs (lower case; a few IDs upper).
//!
//! And hashing for look-ups, which comes in two kinds by where the keys come from:
//!
//! - Keys from the crate's own tables (tag keys, EXIF tag codes) are hashed by one
//!   multiply with [`K`], unseeded: input only probes such a table, never adds to it, so
//!   crafted input cannot lengthen its searches.
//! - Keys taken from input data that go into a map (the ExifTool projection's
//!   `Group:Name` keys) need a seeded hash (std's `RandomState`), so that crafted keys
//!   cannot be made to collide.
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
}

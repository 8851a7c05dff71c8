//! Digests and their text: MD5 (IPTC's `CurrentIPTCDigest`, PDF keys) from the RustCrypto
//! `md-5` crate, and hex as ExifTool prints digests and IDs (lower case; a few IDs upper).

use crate::base::short_text::Out;
use md5::{Digest, Md5};

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

//! Nikon's block cipher (LensData 02xx, ColorBalance 02xx, ShotInfo on newer bodies): a
//! byte-wise XOR with a key stream seeded by the body's serial number and shutter count
//! through two substitution tables. Each step adds `seed * step` to the running key, the
//! step counting up from 0x60.

use super::xlat::{COUNT_KEY, SERIAL_KEY};

/// Deciphers `data` in place, the key stream starting at its first byte.
pub(super) fn decipher(data: &mut [u8], serial: u32, count: u32) {
    let seed = SERIAL_KEY.get((serial & 0xff) as usize).copied().unwrap_or(0);
    let folded = count.to_le_bytes().iter().fold(0u8, |a, b| a ^ b);
    let mut key = COUNT_KEY.get(usize::from(folded)).copied().unwrap_or(0);
    let mut step: u8 = 0x60;
    for b in data {
        key = key.wrapping_add(seed.wrapping_mul(step));
        step = step.wrapping_add(1);
        *b ^= key;
    }
}

#[cfg(test)]
mod tests {
    use super::decipher;

    #[test]
    fn deciphers_a_d2hs_lens_record() {
        // LensData 0201 of a D2Hs (serial 3001006, shutter count 2), after the version.
        let mut d = [0xcb, 0xca, 0xb0, 0x32, 0xb6, 0xac, 0xa8, 0xab, 0xcd, 0x70];
        decipher(&mut d, 3_001_006, 2);
        assert_eq!(d, [0x22, 0x16, 0x12, 0x09, 0x11, 0x4a, 0x50, 0x76, 0x58, 0x50]);
    }

    #[test]
    fn is_its_own_inverse() {
        let mut d = *b"some bytes";
        decipher(&mut d, 1234, 5678);
        decipher(&mut d, 1234, 5678);
        assert_eq!(&d, b"some bytes");
    }
}

//! The byte substitution that hides Sony's 0x94xx (and 0x9050, 0x2010) blocks: the camera
//! replaces each byte `b` below 249 by `b³ mod 249` and leaves 249..=255 as they are. As
//! 249 = 3 · 83 and 3 is prime to both φ(3) and φ(83), cubing permutes the residues, so
//! the table of cubes inverts into a table that undoes it.

/// `DECODE[c]` is the byte whose cube mod 249 is `c`.
const DECODE: [u8; 256] = decode_table();

const fn decode_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0usize;
    while b < 256 {
        let c = if b < 249 { (b * b % 249) * b % 249 } else { b };
        table[c] = b as u8;
        b += 1;
    }
    table
}

/// The plain bytes of an enciphered block.
pub(super) fn decipher(data: &[u8]) -> Vec<u8> {
    data.iter().map(|b| DECODE[usize::from(*b)]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encipher(b: u8) -> u8 {
        if b < 249 { ((u32::from(b).pow(3)) % 249) as u8 } else { b }
    }

    #[test]
    fn decoding_undoes_the_cube_for_every_byte() {
        for b in 0..=255u8 {
            assert_eq!(decipher(&[encipher(b)]), vec![b], "byte {b}");
        }
        // Published examples of the substitution: 2 → 8, 16 → 112, 100 → 16.
        assert_eq!(decipher(&[8, 112, 16]), vec![2, 16, 100]);
    }
}

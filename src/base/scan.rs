//! Byte searches eight bytes at a time in a register (SWAR), for the short runs that
//! parsers scan most: cheaper than setting up a vector search, and exact.

/// `0x01` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// `0x80` in every byte.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Flags (bit 7) the bytes of `w` below `n` (`n <= 0x80`): the result is zero exactly
/// when there are none, and its lowest flag is exact; flags above that one may not be
/// (through the borrow), so only the lowest is used.
#[inline(always)]
pub(crate) fn flags_below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH
}

/// Flags (bit 7) the bytes of `w` equal to `c`, as exact as [`flags_below`].
#[inline(always)]
pub(crate) fn flags_equal(w: u64, c: u8) -> u64 {
    flags_below(w ^ (ONES * u64::from(c)), 1)
}

/// The byte offset in a word of its lowest flag (`flags` not zero).
#[inline(always)]
pub(crate) fn lowest(flags: u64) -> usize {
    (flags.trailing_zeros() / 8) as usize
}

/// The offset of the first `x` or `y` in `b` (`x == y` for one byte): the first 32 bytes
/// (most names, values and white space between tags) are searched a word at a time, the
/// rest by `memchr`.
#[inline]
pub(crate) fn first_of(b: &[u8], x: u8, y: u8) -> Option<usize> {
    let mut i = 0;
    while i < 32 {
        let Some(chunk) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) else { break };
        let w = u64::from_le_bytes(*chunk);
        let found = flags_equal(w, x) | flags_equal(w, y);
        if found != 0 {
            return Some(i + lowest(found));
        }
        i += 8;
    }
    let rest = b.get(i..)?;
    if x == y { memchr::memchr(x, rest) } else { memchr::memchr2(x, y, rest) }.map(|p| p + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_of_agrees_with_memchr() {
        let mut doc = Vec::new();
        for n in 0..80u8 {
            doc.push(match n % 29 {
                3 => b'<',
                11 => b'&',
                17 => 0x3c ^ 0x80,
                19 => 0,
                _ => b'a' + n % 26,
            });
        }
        for start in 0..doc.len() {
            for end in start..doc.len() {
                let b = doc.get(start..end).unwrap_or_default();
                assert_eq!(first_of(b, b'<', b'&'), memchr::memchr2(b'<', b'&', b), "{start}..{end}");
                assert_eq!(first_of(b, b'&', b'&'), memchr::memchr(b'&', b), "{start}..{end}");
                assert_eq!(first_of(b, 0, 0), memchr::memchr(0, b), "{start}..{end}");
            }
        }
    }

    #[test]
    fn flags_are_exact_where_used() {
        for w in [0u64, u64::MAX, 0x0001_0203_4041_7f80, 0x3f40_0100_ff20_1f21, 0x0100_0000_0000_0001] {
            let bytes = w.to_le_bytes();
            for n in [1u8, 0x20, 0x40, 0x80] {
                let first = bytes.iter().position(|b| *b < n);
                let f = flags_below(w, n);
                assert_eq!((f != 0).then(|| lowest(f)), first, "{w:x} {n:x}");
            }
            for c in [0u8, 0x01, 0x40, 0xff] {
                let f = flags_equal(w, c);
                assert_eq!((f != 0).then(|| lowest(f)), bytes.iter().position(|b| *b == c), "{w:x} {c:x}");
            }
        }
    }
}

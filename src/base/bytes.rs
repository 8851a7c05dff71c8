//! Byte-order reads from untrusted bytes: free functions that read at an index and give
//! `None` past the end, [`Endian`] for formats whose order is set at run time (TIFF),
//! and [`Cursor`], a bounded reader that moves forward. Every parser reads integers
//! through these; none writes its own.

/// `N` bytes at `at`, or `None` when they run past the end of `b`.
#[inline]
pub(crate) fn array<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
    b.get(at..at.checked_add(N)?)?.try_into().ok()
}

/// Defines readers of one integer type in one byte order.
macro_rules! readers {
    ($($name:ident $conv:ident $t:ty;)*) => {$(
        #[doc = concat!("`", stringify!($t), "` at `at` (`", stringify!($conv), "`); `None` past the end.")]
        #[inline]
        pub(crate) fn $name(b: &[u8], at: usize) -> Option<$t> {
            array(b, at).map(<$t>::$conv)
        }
    )*};
}

readers! {
    be16 from_be_bytes u16;
    le16 from_le_bytes u16;
    be32 from_be_bytes u32;
    le32 from_le_bytes u32;
    be64 from_be_bytes u64;
    le64 from_le_bytes u64;
    be_i16 from_be_bytes i16;
    be_i32 from_be_bytes i32;
    le_i32 from_le_bytes i32;
    be_f32 from_be_bytes f32;
    le_f32 from_le_bytes f32;
    be_f64 from_be_bytes f64;
    le_f64 from_le_bytes f64;
}

/// Big-endian 24-bit unsigned integer at `at`.
#[inline]
pub(crate) fn be24(b: &[u8], at: usize) -> Option<u32> {
    let [x, y, z] = array(b, at)?;
    Some(u32::from_be_bytes([0, x, y, z]))
}

/// Little-endian 24-bit unsigned integer at `at`.
#[inline]
pub(crate) fn le24(b: &[u8], at: usize) -> Option<u32> {
    let [x, y, z] = array(b, at)?;
    Some(u32::from_le_bytes([x, y, z, 0]))
}

/// A byte order chosen at run time (TIFF's `II`/`MM`, a maker's marker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endian {
    /// Most significant byte first (`MM`).
    Big,
    /// Least significant byte first (`II`).
    Little,
}

impl Endian {
    /// `Little` when `little` is true.
    #[inline]
    pub(crate) fn little_if(little: bool) -> Self {
        if little { Endian::Little } else { Endian::Big }
    }

    /// `u16` at `at` in this order.
    #[inline]
    pub(crate) fn u16(self, b: &[u8], at: usize) -> Option<u16> {
        match self {
            Endian::Big => be16(b, at),
            Endian::Little => le16(b, at),
        }
    }

    /// `u32` at `at` in this order.
    #[inline]
    pub(crate) fn u32(self, b: &[u8], at: usize) -> Option<u32> {
        match self {
            Endian::Big => be32(b, at),
            Endian::Little => le32(b, at),
        }
    }
}

/// Defines, for each integer type, the reads of an array already taken and the reads
/// that give 0 past the end.
macro_rules! endian_readers {
    ($($from:ident $or_zero:ident $t:ty, $n:literal;)*) => {$(
        #[doc = concat!("The `", stringify!($t), "` these bytes hold in this order.")]
        #[inline]
        pub(crate) fn $from(self, b: [u8; $n]) -> $t {
            match self {
                Endian::Big => <$t>::from_be_bytes(b),
                Endian::Little => <$t>::from_le_bytes(b),
            }
        }

        #[doc = concat!("`", stringify!($t), "` at `at` in this order, 0 past the end: for tables whose")]
        /// missing values read as zero (TIFF IFDs). Written as one bounds check then one
        /// load and a conditional swap, which the `Option` reads do not compile to.
        #[inline]
        pub(crate) fn $or_zero(self, b: &[u8], at: usize) -> $t {
            match b.get(at..at.saturating_add($n)).and_then(|s| <[u8; $n]>::try_from(s).ok()) {
                Some(a) => self.$from(a),
                None => 0,
            }
        }
    )*};
}

impl Endian {
    endian_readers! {
        u16_from u16_or_zero u16, 2;
        u32_from u32_or_zero u32, 4;
        u64_from u64_or_zero u64, 8;
    }
}

/// A forward reader over untrusted bytes: every read checks the bounds and gives `None`
/// at the end, leaving the position where it was.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

/// Defines cursor methods that read one integer in a fixed order and move past it.
macro_rules! cursor_readers {
    ($($name:ident $read:ident $t:ty, $n:literal;)*) => {$(
        #[doc = concat!("Reads a `", stringify!($t), "` with [`", stringify!($read), "`] and moves past it.")]
        #[inline]
        pub(crate) fn $name(&mut self) -> Option<$t> {
            let v = $read(self.data, self.pos)?;
            self.pos += $n;
            Some(v)
        }
    )*};
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `data`.
    #[inline]
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Cursor { data, pos: 0 }
    }

    /// A cursor at `pos` in `data` (past the end reads nothing).
    #[inline]
    pub(crate) fn at(data: &'a [u8], pos: usize) -> Self {
        Cursor { data, pos }
    }

    /// The position, from the start of the data.
    #[inline]
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// The bytes after the position.
    #[inline]
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or_default()
    }

    /// The next `n` bytes, moving past them.
    #[inline]
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    /// Moves `n` bytes on; `None` (and no move) when fewer are left.
    #[inline]
    pub(crate) fn skip(&mut self, n: usize) -> Option<()> {
        self.take(n).map(|_| ())
    }

    /// The next byte, moving past it.
    #[inline]
    pub(crate) fn u8(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    cursor_readers! {
        be16 be16 u16, 2;
        le16 le16 u16, 2;
        be32 be32 u32, 4;
        be_f64 be_f64 f64, 8;
    }
}

/// A big-endian base-128 number at `*at` of at most `max_bytes` bytes: 7 bits a byte, the
/// high bit set on every byte but the last (BPG's `ue7`, FLIF's varints). `*at` moves past
/// every byte read, also when the number runs past the end or past `max_bytes` (`None`),
/// so a caller that reads on starts where the reading stopped.
#[inline]
pub(crate) fn be_base128(b: &[u8], at: &mut usize, max_bytes: usize) -> Option<u64> {
    let mut v = 0u64;
    for _ in 0..max_bytes {
        let byte = *b.get(*at)?;
        *at += 1;
        v = (v << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// Big-endian unsigned integer of `n` bytes (0 to 8) at `at`, for fields whose width the
/// file sets (ISO-BMFF `iloc`, EBML integers); `None` past the end or when `n` is over 8.
#[inline]
pub(crate) fn be_uint(b: &[u8], at: usize, n: usize) -> Option<u64> {
    if n > 8 {
        return None;
    }
    let s = b.get(at..at.checked_add(n)?)?;
    Some(s.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_orders_and_stops_at_the_end() {
        let b = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        assert_eq!(be16(&b, 0), Some(0x0102));
        assert_eq!(le16(&b, 0), Some(0x0201));
        assert_eq!(be24(&b, 1), Some(0x020304));
        assert_eq!(le24(&b, 1), Some(0x040302));
        assert_eq!(be32(&b, 5), Some(0x06070809));
        assert_eq!(be32(&b, 6), None);
        assert_eq!(le64(&b, 1), Some(0x0908070605040302));
        assert_eq!(be16(&b, usize::MAX), None);
        assert_eq!(Endian::Little.u32(&b, 0), le32(&b, 0));
        assert_eq!(Endian::Big.u16(&b, 7), Some(0x0809));
        assert_eq!(Endian::Big.u32_from([1, 2, 3, 4]), 0x01020304);
        assert_eq!(Endian::Little.u16_from([1, 2]), 0x0201);
        assert_eq!(Endian::Little.u64_or_zero(&b, 1), 0x0908070605040302);
        assert_eq!(Endian::Big.u32_or_zero(&b, 6), 0);
        assert_eq!(Endian::Big.u16_or_zero(&b, usize::MAX), 0);
    }

    #[test]
    fn cursor_moves_only_on_success() {
        let mut c = Cursor::new(&[0xff, 0, 1, 2, 3]);
        assert_eq!(c.u8(), Some(0xff));
        assert_eq!(c.be16(), Some(1));
        assert_eq!(c.be32(), None);
        assert_eq!(c.pos(), 3);
        assert_eq!(c.take(2), Some(&[2, 3][..]));
        assert_eq!(c.skip(1), None);
        assert_eq!(c.u8(), None);
        assert_eq!(c.rest(), &[] as &[u8]);
    }

    #[test]
    fn base128_moves_past_what_it_read() {
        let b = [0x81, 0x00, 0x7f, 0xff, 0xff];
        let mut at = 0;
        assert_eq!(be_base128(&b, &mut at, 5), Some(128));
        assert_eq!(be_base128(&b, &mut at, 5), Some(127));
        assert_eq!(at, 3);
        assert_eq!(be_base128(&b, &mut at, 5), None);
        assert_eq!(at, 5);
        let mut at = 0;
        assert_eq!(be_base128(&[0xff; 8], &mut at, 5), None);
        assert_eq!(at, 5);
    }

    #[test]
    fn widths_set_by_the_file() {
        let b = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        assert_eq!(be_uint(&b, 0, 0), Some(0));
        assert_eq!(be_uint(&b, 1, 3), Some(0x020304));
        assert_eq!(be_uint(&b, 1, 8), be64(&b, 1));
        assert_eq!(be_uint(&b, 0, 9), None);
        assert_eq!(be_uint(&b, 7, 4), None);
        assert_eq!(be_uint(&b, usize::MAX, 1), None);
    }
}

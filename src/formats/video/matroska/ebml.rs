//! The EBML reader: variable-length IDs and sizes, element headers and bounded iteration
//! over the children of a master element held in memory.
//!
//! Everything works on byte slices with explicit bounds; nothing here trusts a size read
//! from the file. Sizes running past their parent are clamped and reported, unknown sizes
//! (all ones, as live WebM writes them) end at the first ID that cannot be a descendant.

use crate::base::bytes::{be_f32, be_f64, be_uint};
use crate::base::hash::hex;

/// The largest header: a 4-byte ID and an 8-byte size.
pub(crate) const MAX_HEADER: usize = 12;

/// One element header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    /// The ID with its length marker kept (`0x1A45DFA3`), as the Matroska spec writes it.
    pub id: u32,
    /// The data size, `None` when unknown (all ones).
    pub size: Option<u64>,
    /// Bytes taken by the ID and the size.
    pub len: usize,
}

/// Reads an element ID (1 to 4 bytes, marker kept) at the start of `buf`.
pub(crate) fn read_id(buf: &[u8]) -> Option<(u32, usize)> {
    let first = *buf.first()?;
    let len = first.leading_zeros() as usize + 1;
    if len > 4 {
        return None;
    }
    let bytes = buf.get(..len)?;
    let id = bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
    // An ID whose value bits are all ones is reserved.
    let value_bits = 7 * len as u32;
    let mask = (1u32 << value_bits) - 1;
    if id & mask == mask {
        return None;
    }
    Some((id, len))
}

/// Reads an element data size (1 to 8 bytes) at the start of `buf`; `Some(None)` for the
/// reserved "unknown size" value.
pub(crate) fn read_size(buf: &[u8]) -> Option<(Option<u64>, usize)> {
    let first = *buf.first()?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let bytes = buf.get(..len)?;
    let marker_mask: u64 = if len == 8 { 0 } else { 0xFF >> len };
    let mut value = u64::from(first) & marker_mask;
    for b in bytes.get(1..).unwrap_or_default() {
        value = (value << 8) | u64::from(*b);
    }
    let all_ones = if len == 8 { (1u64 << 56) - 1 } else { (1u64 << (7 * len)) - 1 };
    Some((if value == all_ones { None } else { Some(value) }, len))
}

/// Reads an element header at the start of `buf`.
pub(crate) fn read_header(buf: &[u8]) -> Option<Header> {
    let (id, id_len) = read_id(buf)?;
    let (size, size_len) = read_size(buf.get(id_len..)?)?;
    Some(Header { id, size, len: id_len + size_len })
}

/// An element found inside a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Element<'a> {
    /// Its ID.
    pub id: u32,
    /// Its data (clamped to the parent when the size ran past it).
    pub data: &'a [u8],
    /// File offset of its data.
    pub offset: u64,
}

/// What went wrong while iterating, for a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Damage {
    /// File offset.
    pub offset: u64,
    /// What was wrong.
    pub what: &'static str,
}

/// Most children visited in one master element.
pub(crate) const MAX_CHILDREN: usize = 100_000;

/// The children of a master element held in memory.
pub(crate) struct Children<'a> {
    buf: &'a [u8],
    pos: usize,
    base: u64,
    count: usize,
    /// The first problem met; iteration stops at damage that leaves no way forward.
    pub damage: Option<Damage>,
}

impl<'a> Children<'a> {
    /// Iterates the elements in `buf`, whose first byte is at file offset `base`.
    pub fn new(buf: &'a [u8], base: u64) -> Self {
        Children { buf, pos: 0, base, count: 0, damage: None }
    }

    fn fail(&mut self, what: &'static str) -> Option<Element<'a>> {
        if self.damage.is_none() {
            self.damage = Some(Damage { offset: self.base.saturating_add(self.pos as u64), what });
        }
        self.pos = self.buf.len();
        None
    }
}

impl<'a> Iterator for Children<'a> {
    type Item = Element<'a>;

    fn next(&mut self) -> Option<Element<'a>> {
        let rest = self.buf.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        self.count += 1;
        if self.count > MAX_CHILDREN {
            return self.fail("too many child elements");
        }
        let Some(h) = read_header(rest) else {
            // Zero padding after the last child is common (and harmless).
            if rest.iter().all(|b| *b == 0) {
                self.pos = self.buf.len();
                return None;
            }
            return self.fail("invalid EBML element header");
        };
        let data_start = self.pos + h.len;
        let avail = self.buf.len().saturating_sub(data_start);
        let len = match h.size {
            Some(s) if s <= avail as u64 => s as usize,
            Some(_) => {
                if self.damage.is_none() {
                    self.damage = Some(Damage {
                        offset: self.base.saturating_add(self.pos as u64),
                        what: "element runs past its parent",
                    });
                }
                avail
            }
            None => match self.buf.get(data_start..) {
                Some(body) => unknown_extent(body, h.id),
                None => 0,
            },
        };
        let data = self.buf.get(data_start..data_start + len).unwrap_or_default();
        let offset = self.base.saturating_add(data_start as u64);
        self.pos = data_start + len;
        Some(Element { id: h.id, data, offset })
    }
}

/// Length of an unknown-sized element whose data starts `body`: up to the first child ID
/// that cannot belong to it (a top-level ID, or a sibling with the element's own ID), or
/// the end of `body`. Children with unknown sizes of their own end the scan there.
pub(crate) fn unknown_extent(body: &[u8], own_id: u32) -> usize {
    let mut pos = 0usize;
    for _ in 0..MAX_CHILDREN {
        let Some(rest) = body.get(pos..) else { break };
        let Some(h) = read_header(rest) else { break };
        if h.id == own_id || super::elements::is_top_level(h.id) {
            return pos;
        }
        match h.size {
            Some(s) => match usize::try_from(s).ok().and_then(|s| pos.checked_add(h.len)?.checked_add(s)) {
                Some(next) if next <= body.len() => pos = next,
                _ => return body.len(),
            },
            None => return body.len(),
        }
    }
    pos.min(body.len())
}

/// An unsigned integer element (0 to 8 bytes, big-endian).
pub(crate) fn uint(data: &[u8]) -> Option<u64> {
    be_uint(data, 0, data.len())
}

/// A signed integer element (0 to 8 bytes, big-endian two's complement).
pub(crate) fn int(data: &[u8]) -> Option<i64> {
    let n = data.len();
    if n == 0 {
        return Some(0);
    }
    let u = uint(data)?;
    let shift = 64 - 8 * n as u32;
    Some(((u << shift) as i64) >> shift)
}

/// A float element (0, 4 or 8 bytes).
pub(crate) fn float(data: &[u8]) -> Option<f64> {
    match data.len() {
        0 => Some(0.0),
        4 => be_f32(data, 0).map(f64::from),
        8 => be_f64(data, 0),
        _ => None,
    }
}

/// A string element: UTF-8 (ASCII is a subset), ending at the first NUL.
pub(crate) fn string(data: &[u8]) -> String {
    let end = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    String::from_utf8_lossy(data.get(..end).unwrap_or_default()).into_owned()
}

/// A UID as ExifTool shows it: the hex digits of its bytes up to the first zero byte.
pub(crate) fn uid_hex(data: &[u8]) -> String {
    let end = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    hex(data.get(..end).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_sizes() {
        assert_eq!(read_id(&[0x1A, 0x45, 0xDF, 0xA3]), Some((0x1A45_DFA3, 4)));
        assert_eq!(read_id(&[0x83]), Some((0x83, 1)));
        assert_eq!(read_id(&[0x00, 1, 2, 3, 4]), None);
        assert_eq!(read_id(&[0xFF]), None);
        assert_eq!(read_id(&[0x1A, 0x45]), None);
        assert_eq!(read_size(&[0x81]), Some((Some(1), 1)));
        assert_eq!(read_size(&[0x40, 0x02]), Some((Some(2), 2)));
        assert_eq!(read_size(&[0xFF]), Some((None, 1)));
        assert_eq!(read_size(&[0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]), Some((None, 8)));
        assert_eq!(read_size(&[0x01, 0, 0, 0, 0, 0, 0x12, 0x34]), Some((Some(0x1234), 8)));
        assert_eq!(read_size(&[0x00, 0x81]), None);
        assert_eq!(read_size(&[0x10, 0x00]), None);
    }

    #[test]
    fn values() {
        assert_eq!(uint(&[0x0F, 0x42, 0x40]), Some(1_000_000));
        assert_eq!(uint(&[]), Some(0));
        assert_eq!(uint(&[0; 9]), None);
        assert_eq!(int(&[0xFF]), Some(-1));
        assert_eq!(int(&[0x08, 0xF5, 0x1C, 0x1F, 0xEA, 0x6B, 0x52, 0x00]), Some(645_453_045_000_000_000));
        assert_eq!(float(&[0x40, 0xA7, 0x70, 0, 0, 0, 0, 0]), Some(3000.0));
        assert_eq!(float(&[0x47, 0x3B, 0x80, 0x00]), Some(48000.0));
        assert_eq!(float(&[1, 2, 3]), None);
        assert_eq!(string(b"und\0\0"), "und");
        assert_eq!(uid_hex(&[0xED, 0x39, 0x00, 0xBF]), "ed39");
        assert_eq!(uid_hex(&[0, 0, 1]), "");
    }

    #[test]
    fn children_clamp_and_stop() {
        // Two children, the second claiming more than is left.
        let buf = [0x83, 0x81, 0x01, 0x86, 0x85, b'A', b'_'];
        let mut it = Children::new(&buf, 100);
        let a = it.next();
        assert_eq!(a.map(|e| (e.id, e.data, e.offset)), Some((0x83, &[1u8][..], 102)));
        let b = it.next();
        assert_eq!(b.map(|e| (e.id, e.data)), Some((0x86, &b"A_"[..])));
        assert!(it.next().is_none());
        assert_eq!(it.damage.map(|d| d.offset), Some(103));
        // Garbage stops iteration with damage; zero padding does not.
        let mut it = Children::new(&[0x83, 0x81, 0x01, 0x00, 0x00], 0);
        assert_eq!(it.by_ref().count(), 1);
        assert!(it.damage.is_none());
        let mut it = Children::new(&[0x83, 0x81, 0x01, 0x00, 0x05], 0);
        assert_eq!(it.by_ref().count(), 1);
        assert!(it.damage.is_some());
    }

    #[test]
    fn unknown_size_ends_at_top_level_id() {
        // Unknown-sized TrackEntry (0xAE) followed by a Cluster ID.
        let buf = [0xAE, 0xFF, 0xD7, 0x81, 0x01, 0x1F, 0x43, 0xB6, 0x75, 0x80];
        let mut it = Children::new(&buf, 0);
        let e = it.next();
        assert_eq!(e.map(|e| (e.id, e.data.len())), Some((0xAE, 3)));
        assert_eq!(it.next().map(|e| e.id), Some(0x1F43_B675));
        // A sibling with the same ID ends it too.
        let buf = [0xAE, 0xFF, 0xD7, 0x81, 0x01, 0xAE, 0x80];
        assert_eq!(Children::new(&buf, 0).count(), 2);
    }
}

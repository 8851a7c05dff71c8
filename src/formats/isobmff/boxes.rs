//! The one ISO-BMFF box walker (ISO/IEC 14496-12 §4.2), shared by MP4/MOV/M4A/3GP,
//! HEIC/HEIF/AVIF and CR3. It reads box headers by offset and never touches payloads it
//! is not asked for, so `mdat` costs nothing.

use crate::base::bytes::{array, be32, be64};
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Most boxes listed at one level before the rest are ignored with a warning.
pub(crate) const MAX_BOXES_PER_LEVEL: usize = 10_000;

/// A box header: where the box is and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BoxHeader {
    /// The four-character type (`moov`, `ftyp`, `©nam`...).
    pub kind: [u8; 4],
    /// Offset of the box's first byte (its size field).
    pub offset: u64,
    /// Bytes of header: 8, 16 with a 64-bit size, plus 16 for `uuid` boxes.
    pub header_len: u64,
    /// Total size in bytes, header included.
    pub size: u64,
    /// For `uuid` boxes, the extended type.
    pub uuid: Option<[u8; 16]>,
}

impl BoxHeader {
    /// Offset of the payload.
    pub fn body_offset(&self) -> u64 {
        self.offset + self.header_len
    }

    /// Payload length.
    pub fn body_len(&self) -> u64 {
        self.size - self.header_len
    }

    /// Offset just past the box.
    pub fn end(&self) -> u64 {
        self.offset + self.size
    }

    /// The type as text (lossy), for messages and tag names.
    pub fn kind_str(&self) -> String {
        self.kind.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '?' }).collect()
    }
}

/// Parses the header of the box at `offset`, which must end by `end`. A size of 0 means
/// "to `end`"; a size of 1 means a 64-bit size follows.
pub(crate) fn read_header(cx: &mut Ctx, offset: u64, end: u64) -> Result<BoxHeader> {
    let avail = end.saturating_sub(offset);
    if avail < 8 {
        return Err(Error::malformed(offset, format!("box header needs 8 bytes, {avail} left")));
    }
    let head = cx.read(offset, avail.min(32))?;
    let (Some(size32), Some(kind)) = (be32(&head, 0), array::<4>(&head, 4)) else {
        return Err(Error::malformed(offset, format!("box header needs 8 bytes, {avail} left")));
    };
    let (mut header_len, size) = match size32 {
        0 => (8, avail),
        1 => {
            let Some(size) = be64(&head, 8) else {
                return Err(Error::malformed(offset, "box with 64-bit size is truncated"));
            };
            (16, size)
        }
        n => (8, u64::from(n)),
    };
    let mut uuid = None;
    if &kind == b"uuid" {
        let Some(u) = array::<16>(&head, header_len as usize) else {
            return Err(Error::malformed(offset, "uuid box is truncated"));
        };
        uuid = Some(u);
        header_len += 16;
    }
    if size < header_len {
        return Err(Error::malformed(
            offset,
            format!("box '{}' size {size} is smaller than its header", kind_text(&kind)),
        ));
    }
    if size > avail {
        return Err(Error::malformed(
            offset,
            format!("box '{}' size {size} runs past its parent ({avail} bytes left)", kind_text(&kind)),
        ));
    }
    Ok(BoxHeader { kind, offset, header_len, size, uuid })
}

fn kind_text(kind: &[u8; 4]) -> String {
    kind.iter().map(|&b| if b.is_ascii_graphic() { b as char } else { '?' }).collect()
}

/// Lists the boxes in `[start, end)`. A broken box ends the list with a warning (its
/// predecessors are kept); a box running past `end` is clipped to `end` with a warning
/// when `clip` is true (truncated files keep their last box).
pub(crate) fn list_boxes(cx: &mut Ctx, start: u64, end: u64, depth: u32) -> Result<Vec<BoxHeader>> {
    cx.check_depth(depth, start)?;
    let end = end.min(cx.len());
    let mut out = Vec::new();
    let mut pos = start;
    while pos < end {
        if end - pos < 8 {
            // Padding (some writers leave 4 zero bytes at the end of a container).
            break;
        }
        match read_header(cx, pos, end) {
            Ok(h) => {
                pos = h.end();
                out.push(h);
            }
            Err(e) => {
                cx.warn_error(&e);
                break;
            }
        }
        if out.len() >= MAX_BOXES_PER_LEVEL {
            cx.warn(pos, format!("more than {MAX_BOXES_PER_LEVEL} boxes at one level; the rest are skipped"));
            break;
        }
    }
    Ok(out)
}

/// A box held in memory (see [`SliceBoxes`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SliceBox<'a> {
    /// The four-character type.
    pub kind: [u8; 4],
    /// File offset of the box's first byte.
    pub offset: u64,
    /// File offset of the payload.
    pub body_offset: u64,
    /// The payload (clipped to the parent when the box claims more).
    pub body: &'a [u8],
    /// For `uuid` boxes, the extended type.
    pub uuid: Option<[u8; 16]>,
    /// True when the box claimed more bytes than its parent holds and was clipped.
    pub clipped: bool,
}

/// Iterates over the boxes in `data`, a parent's payload already in memory whose first
/// byte sits at file offset `base`. A size of 0 runs to the end of `data`; a box claiming
/// more than is left is clipped (and flagged); a size smaller than its header, or more than
/// [`MAX_BOXES_PER_LEVEL`] boxes, yields one error and ends the iteration.
pub(crate) struct SliceBoxes<'a> {
    data: &'a [u8],
    base: u64,
    pos: usize,
    count: usize,
    done: bool,
}

impl<'a> SliceBoxes<'a> {
    /// Boxes of `data`, which starts at file offset `base`.
    pub fn new(data: &'a [u8], base: u64) -> Self {
        SliceBoxes { data, base, pos: 0, count: 0, done: false }
    }
}

impl<'a> Iterator for SliceBoxes<'a> {
    type Item = Result<SliceBox<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.data.get(self.pos..).unwrap_or_default();
        let offset = self.base.saturating_add(self.pos as u64);
        if rest.len() < 8 {
            // End, or padding (some writers leave 4 zero bytes at the end of a container).
            self.done = true;
            return None;
        }
        self.count += 1;
        if self.count > MAX_BOXES_PER_LEVEL {
            self.done = true;
            return Some(Err(Error::malformed(
                offset,
                format!("more than {MAX_BOXES_PER_LEVEL} boxes at one level; the rest are skipped"),
            )));
        }
        let size32 = be32(rest, 0).unwrap_or(0);
        let kind: [u8; 4] = array(rest, 4).unwrap_or_default();
        let (mut header_len, size) = match size32 {
            0 => (8usize, rest.len() as u64),
            1 => (16, be64(rest, 8).unwrap_or(0)),
            n => (8, u64::from(n)),
        };
        let mut uuid = None;
        if &kind == b"uuid" {
            uuid = array::<16>(rest, header_len);
            header_len += 16;
        }
        if size < header_len as u64 || rest.len() < header_len {
            self.done = true;
            return Some(Err(Error::malformed(
                offset,
                format!("box '{}' size {size} is smaller than its header", kind_text(&kind)),
            )));
        }
        let clipped = size > rest.len() as u64;
        let size = if clipped { rest.len() } else { size as usize };
        let body = rest.get(header_len..size).unwrap_or_default();
        self.pos += size;
        if clipped {
            self.done = true;
        }
        Some(Ok(SliceBox {
            kind,
            offset,
            body_offset: offset.saturating_add(header_len as u64),
            body,
            uuid,
            clipped,
        }))
    }
}

/// A box of type `kind` around `body` (32-bit size), for the tests of the readers built
/// on this walker.
#[cfg(test)]
pub(crate) fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(body);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;

    #[test]
    fn lists_nested_and_64bit_boxes() {
        let mut data = bx(b"ftyp", b"isom\0\0\0\0");
        let mut big = vec![0, 0, 0, 1];
        big.extend_from_slice(b"free");
        big.extend_from_slice(&20u64.to_be_bytes());
        big.extend_from_slice(&[0; 4]);
        data.extend_from_slice(&big);
        data.extend_from_slice(&bx(b"moov", &bx(b"mvhd", &[0; 4])));
        let opts = Options::default();
        let mut cx = Ctx::new(&data, &opts);
        let top = list_boxes(&mut cx, 0, data.len() as u64, 0).unwrap_or_default();
        let kinds: Vec<_> = top.iter().map(|b| b.kind_str()).collect();
        assert_eq!(kinds, ["ftyp", "free", "moov"]);
        assert_eq!(top[1].header_len, 16);
        let moov = top[2];
        let inner = list_boxes(&mut cx, moov.body_offset(), moov.end(), 1).unwrap_or_default();
        assert_eq!(inner.len(), 1);
        assert_eq!(&inner[0].kind, b"mvhd");
    }

    #[test]
    fn slice_boxes_clip_and_stop() {
        let mut data = bx(b"ftyp", b"isom");
        data.extend_from_slice(&bx(b"free", b""));
        data.extend_from_slice(&[0, 0, 0, 99, b'm', b'o', b'o', b'v', 1, 2]);
        let v: Vec<_> = SliceBoxes::new(&data, 100).collect();
        assert_eq!(v.len(), 3);
        let last = v[2].as_ref().ok().copied();
        assert_eq!(last.map(|b| (b.clipped, b.body, b.offset)), Some((true, &[1u8, 2][..], 120)));
        let bad = [0u8, 0, 0, 3, b'x', b'x', b'x', b'x'];
        let v: Vec<_> = SliceBoxes::new(&bad, 0).collect();
        assert!(v.len() == 1 && v[0].is_err());
        let mut big = vec![0, 0, 0, 1];
        big.extend_from_slice(b"mdat");
        big.extend_from_slice(&u64::MAX.to_be_bytes());
        let v: Vec<_> = SliceBoxes::new(&big, 0).collect();
        assert!(v.len() == 1 && v[0].as_ref().is_ok_and(|b| b.clipped && b.body.is_empty()));
    }

    #[test]
    fn bad_sizes_become_warnings() {
        let mut data = bx(b"ftyp", b"isom");
        data.extend_from_slice(&[0, 0, 0, 4, b'b', b'a', b'd', b'!']);
        let opts = Options::default();
        let mut cx = Ctx::new(&data, &opts);
        let top = list_boxes(&mut cx, 0, data.len() as u64, 0).unwrap_or_default();
        assert_eq!(top.len(), 1);
        assert_eq!(cx.warnings.len(), 1);
        assert!(list_boxes(&mut cx, 0, 8, 99).is_err());
    }
}

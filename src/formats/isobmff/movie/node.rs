//! A box of a movie as the walk meets it: held in memory (a `moov` read whole) or left in
//! the file (a large `moov` walked box by box, each read only as far as its reader needs).

use super::*;

/// Where a box's payload is: in memory (a `moov` read whole), or still in the file
/// (`len` bytes; a large `moov` walked box by box).
#[derive(Debug, Clone, Copy)]
pub(super) enum Body<'a> {
    Mem(&'a [u8]),
    File(u64),
}

impl<'a> Body<'a> {
    /// Payload length.
    pub fn len(&self) -> u64 {
        match self {
            Body::Mem(d) => d.len() as u64,
            Body::File(n) => *n,
        }
    }

    /// The payload without its first `n` bytes.
    pub fn skip(self, n: u64) -> Body<'a> {
        match self {
            Body::Mem(d) => Body::Mem(d.get(usize::try_from(n).unwrap_or(usize::MAX)..).unwrap_or_default()),
            Body::File(len) => Body::File(len.saturating_sub(n)),
        }
    }
}

/// A payload made ready to walk (see [`Node::open`]).
pub(super) enum Opened<'a> {
    Mem(Cow<'a, [u8]>),
    File(u64),
}

impl Opened<'_> {
    /// The payload to walk.
    pub fn body(&self) -> Body<'_> {
        match self {
            Opened::Mem(d) => Body::Mem(d),
            Opened::File(n) => Body::File(*n),
        }
    }
}

/// A child box whose payload may still be in the file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Node<'a> {
    /// The four-character type.
    pub kind: [u8; 4],
    /// File offset of the box's first byte.
    pub offset: u64,
    /// File offset of the payload.
    pub body_offset: u64,
    /// The payload.
    pub body: Body<'a>,
    /// For `uuid` boxes, the extended type.
    pub uuid: Option<[u8; 16]>,
}

impl<'a> Node<'a> {
    /// Payload length.
    pub fn len(&self) -> u64 {
        self.body.len()
    }

    /// The payload in memory: borrowed, or read from the file (within `max_alloc`; a
    /// payload over the limits is skipped with a warning).
    pub fn bytes(&self, cx: &mut Ctx) -> Option<Cow<'a, [u8]>> {
        self.range(cx, 0, u64::MAX)
    }

    /// At most `max` bytes of the payload from byte `from` on, as [`Node::bytes`].
    pub fn range(&self, cx: &mut Ctx, from: u64, max: u64) -> Option<Cow<'a, [u8]>> {
        match self.body {
            Body::Mem(d) => {
                let start = usize::try_from(from).unwrap_or(usize::MAX).min(d.len());
                let n = usize::try_from(max).unwrap_or(usize::MAX).min(d.len() - start);
                d.get(start..start + n).map(Cow::Borrowed)
            }
            Body::File(len) => {
                let n = len.saturating_sub(from).min(max);
                match cx.read(self.body_offset.saturating_add(from), n) {
                    Ok(b) => Some(Cow::Owned(b)),
                    Err(e) => {
                        let kind = latin1(&self.kind);
                        cx.warn(self.offset, format!("'{kind}' box skipped: {}", e.message()));
                        None
                    }
                }
            }
        }
    }

    /// The payload made ready to walk as a container: as it is when in memory, read whole
    /// when in the file and at most `whole` bytes, else left in the file.
    pub fn open(&self, cx: &mut Ctx, whole: u64) -> Option<Opened<'a>> {
        match self.body {
            Body::Mem(d) => Some(Opened::Mem(Cow::Borrowed(d))),
            Body::File(len) if len > whole => Some(Opened::File(len)),
            Body::File(_) => self.bytes(cx).map(Opened::Mem),
        }
    }
}

/// The child boxes of a payload (in memory or in the file) that starts at file offset
/// `base`, with errors and truncation turned into warnings as [`children`] does.
pub(super) fn nodes<'a>(cx: &mut Ctx, body: Body<'a>, base: u64) -> Vec<Node<'a>> {
    match body {
        Body::Mem(d) => children(cx, d, base)
            .into_iter()
            .map(|b| Node {
                kind: b.kind,
                offset: b.offset,
                body_offset: b.body_offset,
                body: Body::Mem(b.body),
                uuid: b.uuid,
            })
            .collect(),
        Body::File(len) => file_nodes(cx, base, len),
    }
}

/// [`nodes`] of a payload in the file: one header read per box, the same rules as
/// [`SliceBoxes`] (a box claiming more than is left is clipped, and ends the list).
fn file_nodes<'a>(cx: &mut Ctx, base: u64, len: u64) -> Vec<Node<'a>> {
    let mut out = Vec::new();
    let mut pos = 0u64;
    while len - pos >= 8 {
        let offset = base.saturating_add(pos);
        if out.len() >= crate::formats::isobmff::boxes::MAX_BOXES_PER_LEVEL {
            let max = crate::formats::isobmff::boxes::MAX_BOXES_PER_LEVEL;
            cx.warn(offset, format!("more than {max} boxes at one level; the rest are skipped"));
            break;
        }
        let rest = len - pos;
        let head = match cx.read(offset, rest.min(32)) {
            Ok(h) => h,
            Err(e) => {
                cx.warn_error(&e);
                break;
            }
        };
        let kind: [u8; 4] = array(&head, 4).unwrap_or_default();
        let (mut header_len, size) = match be32(&head, 0).unwrap_or(0) {
            0 => (8u64, rest),
            1 => (16, be64(&head, 8).unwrap_or(0)),
            n => (8, u64::from(n)),
        };
        let mut uuid = None;
        if &kind == b"uuid" {
            uuid = array::<16>(&head, header_len as usize);
            header_len += 16;
        }
        if size < header_len || rest < header_len {
            let msg = format!("box '{}' size {size} is smaller than its header", latin1(&kind));
            cx.warn(offset, msg);
            break;
        }
        let clipped = size > rest;
        if clipped {
            cx.warn(offset, format!("'{}' box is truncated", latin1(&kind)));
        }
        let size = size.min(rest);
        out.push(Node {
            kind,
            offset,
            body_offset: offset.saturating_add(header_len),
            body: Body::File(size - header_len),
            uuid,
        });
        if clipped {
            break;
        }
        pos += size;
    }
    out
}

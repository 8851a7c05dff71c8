//! The tags of a visual sample description's extension atoms (`colr`, `pasp`, `btrt`,
//! `fiel`, `gama`, Dolby Vision's `dvcC`); `entry.rs` takes their stream facts.

use super::{Movie, fixed16};
use crate::base::bytes::{be16, be32};
use crate::context::Ctx;
use crate::formats::isobmff::codec;

/// Whether the boxes in `data` follow one another to its end exactly.
pub(super) fn fills_exactly(data: &[u8]) -> bool {
    let mut pos = 0usize;
    while pos < data.len() {
        match be32(data, pos).map(|n| n as usize) {
            Some(n) if n >= 8 && pos.checked_add(n).is_some_and(|end| end <= data.len()) => pos += n,
            _ => return false,
        }
    }
    true
}

/// The tags of one visual sample description extension atom.
pub(super) fn tags(cx: &mut Ctx, m: &mut Movie, sub: &str, kind: &[u8; 4], body: &[u8]) {
    match kind {
        b"colr" => codec::parse_colr(cx, body),
        b"pasp" => {
            if let (Some(hs), Some(vs)) = (be32(body, 0), be32(body, 4)) {
                m.put(cx, sub, "PixelAspectRatio", format!("{hs}:{vs}"));
            }
        }
        b"btrt" => {
            if let (Some(buf), Some(max), Some(avg)) = (be32(body, 0), be32(body, 4), be32(body, 8)) {
                m.put(cx, sub, "BufferSize", buf);
                m.put(cx, sub, "MaxBitrate", max);
                m.put(cx, sub, "AverageBitrate", avg);
            }
        }
        b"fiel" => {
            if let (Some(a), Some(d)) = (body.first(), body.get(1)) {
                m.put(cx, sub, "VideoFieldOrder", format!("{a} {d}"));
            }
        }
        b"gama" => {
            if let Some(g) = be32(body, 0) {
                m.put(cx, sub, "Gamma", fixed16(g));
            }
        }
        b"dvcC" | b"dvvC" | b"dvwC" => {
            if let Some(x) = be16(body, 2) {
                m.put(cx, sub, "DolbyVisionProfile", x >> 9);
                m.put(cx, sub, "DolbyVisionLevel", (x >> 3) & 0x3f);
            }
        }
        _ => {}
    }
}

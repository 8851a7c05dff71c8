//! FLIF (Free Lossless Image Format): the header (image type, bit depth, size, animation
//! frames) and the metadata chunks before the image data, zlib-deflated without a header:
//! `iCCP` (ICC profile), `eXif` (EXIF) and `eXmp` (XMP). A chunk inflates through the
//! context's budgets: up to `max_alloc`, within what is left of `max_decompressed`.

use super::payload::{Payload, hand_off, within_alloc};
use crate::base::bytes::be_base128;
use crate::base::inflate::{End, Wrapper};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Longest varint read (35 bits of value).
const VARINT_BYTES: usize = 5;
/// Most metadata chunks read.
const MAX_CHUNKS: usize = 16;

/// A FLIF varint at `*p` (see [`be_base128`]).
fn varint(d: &[u8], p: &mut usize) -> Option<u64> {
    be_base128(d, p, VARINT_BYTES)
}

/// Reads a FLIF file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    const G: &str = "File";
    let head = cx.read_up_to(0, 64)?;
    let (Some(&t), Some(&bpc)) = (head.get(4), head.get(5)) else {
        return Err(Error::malformed(4u64, "truncated FLIF header"));
    };
    cx.add(G, "ImageType", t & 0x0f);
    cx.add(G, "BitDepth", bpc.wrapping_sub(b'0'));
    let mut p = 6usize;
    let (Some(w), Some(h)) = (varint(&head, &mut p), varint(&head, &mut p)) else {
        return Err(Error::malformed(6u64, "truncated FLIF header"));
    };
    // Stored as size minus one.
    let (w, h) = (w + 1, h + 1);
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    // Animated types store the frame count minus two.
    if t >> 4 > 4 {
        if let Some(n) = varint(&head, &mut p) {
            cx.add(G, "AnimationFrames", n + 2);
        }
    }
    let mut pos = p as u64;
    for _ in 0..MAX_CHUNKS {
        let Ok(h8) = cx.read_up_to(pos, 10) else { break };
        let Some(&first) = h8.first() else { break };
        // A byte below 0x20 (not a chunk name) starts the image data.
        if first < 0x20 {
            cx.add(G, "Encoding", first);
            break;
        }
        let mut q = 4usize;
        let Some(n) = varint(&h8, &mut q) else { break };
        let body = pos + q as u64;
        if !within_alloc(cx, "FLIF metadata chunk", n, pos) {
            break;
        }
        let raw = cx.read_cow(body, n)?;
        let kind = match h8.get(..4) {
            Some(b"iCCP") => Some(Payload::Icc),
            Some(b"eXif") => Some(Payload::Exif),
            Some(b"eXmp") => Some(Payload::Xmp),
            _ => None,
        };
        if let Some(kind) = kind {
            // Cut by a budget, the chunk is handed on truncated (the context has warned).
            let out = cx.inflate(&raw, Wrapper::Raw, body, usize::MAX, "FLIF metadata chunk");
            match out.end {
                End::Broken => cx.warn(body, "FLIF metadata chunk does not inflate"),
                End::Capped if out.data.is_empty() => {}
                End::Capped | End::Complete => hand_off(cx, kind, &out.data, body),
            }
        }
        pos = body + n;
    }
    cx.fact(Fact::ImageSize(w, h));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    #[test]
    fn header_and_hostile_chunk() {
        let f = b"FLIF31\x0f\x07\0";
        let t = run(f, parse);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(16)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(8)));
        assert_eq!(get(&t, "File:Encoding"), Some(&Value::Int(0)));
        let _ = run(b"FLIF31\x0f\x07eXmp\x8f\xff\xff\xff\x7f", parse);
    }

    #[test]
    fn a_chunk_inflates_within_the_budgets() {
        let xmp = format!("<x:xmpmeta xmlns:x='adobe:ns:meta/'>{}", " ".repeat(1 << 20));
        let z = miniz_oxide::deflate::compress_to_vec(xmp.as_bytes(), 6);
        assert!(z.len() < 0x4000);
        // The length as a two-byte varint.
        let len = [0x80 | (z.len() >> 7) as u8, (z.len() & 0x7F) as u8];
        let f = [&b"FLIF31\0\0eXmp"[..], &len, &z, &[0]].concat();
        let limits = crate::options::Limits::default().with_max_alloc(4096);
        let opts = crate::options::Options::default().with_limits(limits);
        let t = crate::test_util::parse_with_options(&f, &opts, parse);
        assert!(t.ok);
        let w = &t.warnings[0];
        assert_eq!(w.offset, Some(14)); // the compressed data
        assert!(
            w.message.contains("FLIF metadata chunk inflates past max_alloc (4096 bytes)"),
            "{}",
            w.message
        );
        // A chunk longer than max_alloc is skipped with a warning naming it.
        let big = [&b"FLIF31\0\0eXmp\x81\x80\x01"[..], &[0; 16400]].concat();
        let limits = crate::options::Limits::default().with_max_alloc(4096);
        let opts = crate::options::Options::default().with_limits(limits);
        let t = crate::test_util::parse_with_options(&big, &opts, parse);
        assert!(t.warnings[0].message.contains("exceeds max_alloc (4096)"), "{}", t.warnings[0].message);
    }
}

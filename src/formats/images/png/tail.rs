//! Finding the chunks after a large file's image data without walking it. Walking every
//! `IDAT` header would touch the whole file (each header read pulls in a read-ahead
//! block). Instead, the chunks after the image data are found from the file's last
//! 64 KiB: the earliest chain of well-formed non-image chunks that ends with `IEND`
//! exactly at the end of the file. When there is no such chain (trailing garbage, or more
//! than 64 KiB of trailing metadata) the caller walks on chunk by chunk.
//!
//! The search first tries the few places where the kind code `IDAT` or `fdAT` occurs (a
//! SIMD substring search) and falls back to a pass over every byte only when none of them
//! leads to the end.

use crate::base::bytes::be32;
use crate::context::Ctx;

/// How much of the file's end is searched for the chunks after the image data.
const TAIL_WINDOW: u64 = 64 << 10;
/// Most image-data kind codes tried by [`after_last_image_chunk`] before the full pass.
const MAX_IMAGE_CANDIDATES: usize = 16;
/// An `IEND` chunk's length and kind (its body is empty).
const IEND_HEAD: &[u8; 8] = b"\0\0\0\0IEND";

/// The offset of the first chunk after the image data that starts at `idat`, found in the
/// file's tail (see the module docs), or `None` when the tail does not show it plainly.
pub(super) fn chunks_after_image(cx: &mut Ctx, idat: u64) -> Option<u64> {
    let len = cx.len();
    let start = len.saturating_sub(TAIL_WINDOW).max(idat.checked_add(8)?);
    let tail = cx.read(start, len.checked_sub(start)?).ok()?;
    let iend = tail.len().checked_sub(12)?;
    if tail.get(iend..iend + 8)? != IEND_HEAD {
        return None;
    }
    let after = after_last_image_chunk(&tail, iend).unwrap_or_else(|| chain_start_by_full_pass(&tail, iend));
    Some(start + after as u64)
}

/// The common case, cheaply: the successor of the last image-data chunk of `tail` from
/// which a chain reaches the `IEND` at `iend`. Candidates come from a search for the kind
/// codes `IDAT` and `fdAT`, tried from the last; `None` (decide by the full pass) when none
/// of the first few chains to the end. Gives what [`chain_start_by_full_pass`] gives
/// whenever it gives anything.
fn after_last_image_chunk(tail: &[u8], iend: usize) -> Option<usize> {
    let search = |kind: &'static [u8]| memchr::memmem::find_iter(tail, kind).filter_map(|k| k.checked_sub(4));
    let mut candidates: Vec<usize> = search(b"IDAT").chain(search(b"fdAT")).filter(|&q| q < iend).collect();
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    let mut chain_ends = candidates.into_iter().take(MAX_IMAGE_CANDIDATES).filter_map(|q| successor(tail, q));
    chain_ends.find(|&next| chains_to_end(tail, next, iend))
}

/// The offset just past the chunk whose header is at `q` (length, kind, body, CRC), when
/// the chunk ends inside `tail` before its last byte (so its 8-byte header is there too).
fn successor(tail: &[u8], q: usize) -> Option<usize> {
    let size = be32(tail, q)? as usize;
    q.checked_add(12)?.checked_add(size).filter(|&v| v < tail.len())
}

/// Whether the well-formed chunks from `p` on (letters for kind codes) lead exactly to
/// the `IEND` at `iend`.
fn chains_to_end(tail: &[u8], mut p: usize, iend: usize) -> bool {
    while p < iend {
        let letters = tail.get(p + 4..p + 8).is_some_and(|k| k.iter().all(u8::is_ascii_alphabetic));
        match successor(tail, p).filter(|_| letters) {
            Some(next) => p = next,
            None => return false,
        }
    }
    p == iend
}

/// One backward pass over `tail` marks the positions from which a chain of well-formed
/// chunks reaches the `IEND` at `iend`; it stops at the last image-data chunk whose
/// successor is such a position, or else takes the earliest position found.
fn chain_start_by_full_pass(tail: &[u8], iend: usize) -> usize {
    let mut reaches_end = vec![false; tail.len()];
    if let Some(end) = reaches_end.get_mut(iend) {
        *end = true;
    }
    let mut earliest = iend;
    for q in (0..iend).rev() {
        let Some(kind) = tail.get(q + 4..q + 8) else { continue };
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            continue;
        }
        let Some(next) = successor(tail, q) else { continue };
        if !reaches_end.get(next).is_some_and(|&r| r) {
            continue;
        }
        if kind == b"IDAT" || kind == b"fdAT" {
            return next;
        }
        if let Some(r) = reaches_end.get_mut(q) {
            *r = true;
        }
        earliest = q;
    }
    earliest
}

/// For fuzzing: whether the candidate search agrees with the full pass on `tail` with an
/// `IEND` chunk appended, whenever it answers.
pub(crate) fn tail_searches_agree(tail: &[u8]) -> bool {
    let mut t = tail.to_vec();
    t.extend_from_slice(b"\0\0\0\0IEND\xAE\x42\x60\x82");
    let iend = tail.len();
    after_last_image_chunk(&t, iend).is_none_or(|fast| fast == chain_start_by_full_pass(&t, iend))
}

#[cfg(test)]
mod tests {
    use super::super::tests::chunk;
    use super::*;

    #[test]
    fn candidate_search_agrees_with_the_full_pass() {
        let mut seed = 0x9E37_79B9u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let kinds: [&[u8; 4]; 5] = [b"IDAT", b"fdAT", b"tEXt", b"zTXt", b"I1AT"];
        let mut decided = 0;
        for _ in 0..3000 {
            let mut tail: Vec<u8> = (0..next() % 40).map(|_| next() as u8).collect();
            for _ in 0..next() % 6 {
                let mut body: Vec<u8> = (0..next() % 24).map(|_| b'A' + (next() % 26) as u8).collect();
                if next() % 4 == 0 {
                    body.extend_from_slice(b"\0\0\0\x08IDAT"); // a kind code inside a body
                }
                let kind = kinds[(next() % 5) as usize];
                tail.extend_from_slice(&chunk(kind, &body));
                if next() % 8 == 0 {
                    tail.push(next() as u8); // a broken link in the chain
                }
            }
            tail.extend_from_slice(&chunk(b"IEND", b""));
            let iend = tail.len() - 12;
            if let Some(fast) = after_last_image_chunk(&tail, iend) {
                decided += 1;
                assert_eq!(fast, chain_start_by_full_pass(&tail, iend), "{tail:?}");
            }
        }
        assert!(decided > 1000, "only {decided} cases decided by the candidate search");
    }
}

//! Fragmented movies (ISO/IEC 14496-12 `moof`, `mfra`): ExifTool reports the last
//! fragment's sequence number and the last `mdat`. A movie fragment random access box at
//! the end (found from the `mfro` box in the file's last 16 bytes) gives the offset of the
//! last listed fragment of each track, so the walk can jump there instead of visiting
//! every fragment; without one, the file's last [`TAIL`] bytes are searched for the last
//! fragments. (Stream times: `fragment_times.rs`.)

use super::super::boxes::SliceBoxes;
use crate::base::bytes::{be32, be64};
use crate::context::Ctx;
use crate::error::Result;

/// Largest `mfra` box read.
const MAX_MFRA: u64 = 1 << 20;
/// Most `tfra` entries looked at per track.
const MAX_ENTRIES: u32 = 1 << 16;

/// The sequence number in a `moof` payload (its `mfhd` child).
pub(super) fn sequence(moof: &[u8], offset: u64) -> Option<u32> {
    SliceBoxes::new(moof, offset).flatten().find(|b| &b.kind == b"mfhd").and_then(|b| be32(b.body, 4))
}

/// Bytes at the end of the file searched for the last fragments.
const TAIL: u64 = 256 << 10;

/// Where the last fragments start: with `every_track`, the earliest of each track's last
/// listed fragment (so that every track's last fragment is walked), else the last listed.
pub(super) fn last_listed(cx: &mut Ctx, every_track: bool) -> Result<Option<u64>> {
    let len = cx.len();
    if len < 16 {
        return Ok(None);
    }
    let tail = cx.read(len - 16, 16)?;
    if tail.get(4..8) != Some(b"mfro") {
        return Ok(None);
    }
    let size = u64::from(be32(&tail, 12).unwrap_or(0));
    if !(16..=MAX_MFRA.min(len)).contains(&size) {
        return Ok(None);
    }
    let start = len - size;
    let mfra = cx.read(start, size)?;
    if mfra.get(4..8) != Some(b"mfra") {
        return Ok(None);
    }
    let lasts = SliceBoxes::new(mfra.get(8..).unwrap_or_default(), start + 8)
        .flatten()
        .filter(|b| &b.kind == b"tfra")
        .filter_map(|b| tfra_last(b.body));
    let at = if every_track { lasts.min() } else { lasts.max() };
    Ok(at.filter(|&o| o < start))
}

/// Where the last fragments start, found in the file's tail: the latest `moof` boxes
/// there (each checked by the chain of box sizes that follows it, which must end exactly
/// at the end of the file) until each of `tracks` has been met. None when the tail does
/// not hold them all (a last media data box larger than the tail, say).
pub(super) fn last_in_tail(cx: &mut Ctx, after: u64, tracks: &[u32]) -> Result<Option<u64>> {
    let len = cx.len();
    let start = len.saturating_sub(TAIL).max(after);
    let tail = cx.read(start, len - start)?;
    let mut missing: Vec<u32> = tracks.to_vec();
    let mut i = tail.len();
    while i > 0 && !missing.is_empty() {
        i -= 1;
        // `moof` whose first child is `mfhd` (16 bytes): the start of a fragment.
        let found = tail.get(i + 4..i + 16).is_some_and(|w| w == b"moof\0\0\0\x10mfhd");
        if !found || !chains_to_end(&tail, i) {
            continue;
        }
        let size = be32(&tail, i).unwrap_or(0) as usize;
        let moof = tail.get(i + 8..i + size).unwrap_or_default();
        let ids = super::fragment_times::Times::track_ids(moof);
        missing.retain(|t| !ids.contains(t));
        if missing.is_empty() {
            return Ok(Some(start + i as u64));
        }
    }
    Ok(None)
}

/// Whether the boxes from `at` in `tail` follow one another to its end exactly.
fn chains_to_end(tail: &[u8], mut at: usize) -> bool {
    for _ in 0..10_000 {
        if at == tail.len() {
            return true;
        }
        let size = match be32(tail, at) {
            Some(1) => be64(tail, at + 8).and_then(|s| usize::try_from(s).ok()),
            Some(n) if n >= 8 => Some(n as usize),
            _ => None,
        };
        let kind_ok = tail.get(at + 4..at + 8).is_some_and(|k| k.iter().all(|c| c.is_ascii_graphic()));
        match size.and_then(|s| at.checked_add(s)) {
            Some(next) if kind_ok && next <= tail.len() && next > at => at = next,
            _ => return false,
        }
    }
    false
}

/// The largest `moof_offset` of a track fragment random access box.
fn tfra_last(b: &[u8]) -> Option<u64> {
    let long = *b.first()? == 1;
    let sizes = be32(b, 8)?;
    let count = be32(b, 12)?.min(MAX_ENTRIES);
    // traf, trun and sample numbers: 1 to 4 bytes each, by two-bit fields.
    let extra: usize = [4, 2, 0].iter().map(|s| ((sizes >> s) & 3) as usize + 1).sum();
    let stamp = if long { 8 } else { 4 };
    let entry = 2 * stamp + extra;
    let mut last = None;
    for i in 0..count as usize {
        let at = 16 + i * entry + stamp;
        let off = if long { be64(b, at) } else { be32(b, at).map(u64::from) };
        let Some(off) = off else { break };
        last = last.max(Some(off));
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tfra_entries() {
        // Version 0, track 1, one-byte numbers, two entries at 100 and 900.
        let mut b = vec![0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2];
        for off in [100u32, 900] {
            b.extend_from_slice(&0u32.to_be_bytes());
            b.extend_from_slice(&off.to_be_bytes());
            b.extend_from_slice(&[1, 1, 1]);
        }
        assert_eq!(tfra_last(&b), Some(900));
        for n in 0..b.len() {
            let _ = tfra_last(&b[..n]);
        }
    }

    #[test]
    fn box_chains() {
        let mut t = vec![0u8; 4];
        t.extend_from_slice(&[
            0, 0, 0, 8, b'f', b'r', b'e', b'e', 0, 0, 0, 12, b'm', b'd', b'a', b't', 1, 2, 3, 4,
        ]);
        assert!(chains_to_end(&t, 4));
        assert!(!chains_to_end(&t, 0));
        assert!(!chains_to_end(&t[..t.len() - 1], 4));
    }
}

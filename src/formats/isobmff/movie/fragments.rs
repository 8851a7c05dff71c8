//! Fragmented movies (ISO/IEC 14496-12 `moof`, `mfra`): ExifTool reports the last
//! fragment's sequence number and the last `mdat`. A movie fragment random access box at
//! the end (found from the `mfro` box in the file's last 16 bytes) gives the offset of the
//! last listed fragment, so the walk can jump there instead of visiting every fragment.

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

/// The largest fragment offset the `mfra` box lists, if the file ends with one.
pub(super) fn last_listed(cx: &mut Ctx) -> Result<Option<u64>> {
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
    let mut last = None;
    for b in SliceBoxes::new(mfra.get(8..).unwrap_or_default(), start + 8).flatten() {
        if &b.kind == b"tfra" {
            last = last.max(tfra_last(b.body));
        }
    }
    Ok(last.filter(|&o| o < start))
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
}

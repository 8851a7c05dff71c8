//! ASF data packets (ASF specification 1.2, section 5.2): the presentation times of the
//! first media objects of each stream. A file without Extended Stream Properties names no
//! frame rate; ffprobe measures one from these times, and so does this reader, over a
//! bounded run of packets at the start of the Data Object.

use super::timing::snap_frame_rate;
use crate::base::bytes::{le16, le32};
use crate::context::Ctx;
use crate::error::Result;

/// Bytes of packets read at most.
const MAX_READ: u64 = 512 << 10;
/// Bytes read at a time.
const CHUNK: u64 = 64 << 10;
/// Media objects per stream enough to measure a rate, at the end of a chunk.
const ENOUGH: usize = 24;
/// Media objects kept per stream; the walk stops at the packet where all streams have
/// this many.
const FULL: usize = 2 * ENOUGH;
/// Payloads read per packet at most (the count field has six bits).
const MAX_PAYLOADS: usize = 64;

/// Frame rates of the `wanted` stream numbers, measured from the packets at `data` (the
/// Data Object's offset), each `packet_size` bytes long.
pub(crate) fn frame_rates(
    cx: &mut Ctx,
    data: u64,
    packet_size: u32,
    wanted: &[u16],
) -> Result<Vec<(u16, f64)>> {
    let psize = u64::from(packet_size);
    if wanted.is_empty() || !(32..=CHUNK).contains(&psize) {
        return Ok(Vec::new());
    }
    // Packets follow the object header (24), the file ID (16), the packet count (8) and
    // two reserved bytes.
    let mut at = data.saturating_add(50);
    let mut times: Vec<(u16, Vec<u32>)> = wanted.iter().map(|n| (*n, Vec::new())).collect();
    let chunk = CHUNK / psize * psize;
    let mut read = 0;
    'chunks: while read < MAX_READ && at < cx.len() {
        // Whole packets only; borrowed, not copied, when the input is in memory.
        let len = (cx.len() - at).min(chunk) / psize * psize;
        if len == 0 {
            break;
        }
        let d = cx.read_cow(at, len)?;
        for p in d.chunks_exact(packet_size as usize) {
            packet(p, &mut |num, t| {
                if let Some((_, v)) = times.iter_mut().find(|(n, _)| *n == num) {
                    if v.len() < FULL {
                        v.push(t);
                    }
                }
            });
            // Stop at the packet that completes the last stream.
            if times.iter().all(|(_, v)| v.len() >= FULL) {
                break 'chunks;
            }
        }
        if len < chunk || times.iter().all(|(_, v)| v.len() >= ENOUGH) {
            break;
        }
        at += chunk;
        read += chunk;
    }
    Ok(times
        .into_iter()
        .filter_map(|(n, mut v)| {
            v.sort_unstable();
            v.dedup();
            let span = f64::from(v.last()? - v.first()?) / 1e3;
            (v.len() >= 3 && span > 0.0)
                .then(|| snap_frame_rate((v.len() - 1) as f64 / span).map(|r| (n, r)))?
        })
        .collect())
}

/// A field of 0, 1, 2 or 4 bytes by its two-bit length type; moves `p` past it.
fn field(d: &[u8], p: &mut usize, ty: u8) -> Option<u32> {
    let (v, n) = match ty & 3 {
        0 => (Some(0), 0),
        1 => (d.get(*p).map(|b| u32::from(*b)), 1),
        2 => (le16(d, *p).map(u32::from), 2),
        _ => (le32(d, *p), 4),
    };
    *p += n;
    v
}

/// One packet: calls `found(stream, presentation time in ms)` for each media object that
/// starts in it.
fn packet(d: &[u8], found: &mut dyn FnMut(u16, u32)) -> Option<()> {
    let mut p = 0usize;
    if d.first()? & 0x80 != 0 {
        // Error correction data: its length in the low four bits.
        p = 1 + usize::from(d[0] & 0x0f);
    }
    let flags = *d.get(p)?;
    let props = *d.get(p + 1)?;
    p += 2;
    let multiple = flags & 1 != 0;
    field(d, &mut p, flags >> 5)?; // packet length
    field(d, &mut p, flags >> 1)?; // sequence
    let padding = field(d, &mut p, flags >> 3)? as usize;
    p += 6; // send time, duration
    let (mut count, mut len_type) = (1usize, 0u8);
    if multiple {
        let b = *d.get(p)?;
        p += 1;
        count = usize::from(b & 0x3f);
        len_type = b >> 6;
    }
    for _ in 0..count.min(MAX_PAYLOADS) {
        let num = u16::from(d.get(p)? & 0x7f);
        p += 1;
        field(d, &mut p, props >> 4)?; // media object number
        let offset = field(d, &mut p, props >> 2)?;
        let rep = field(d, &mut p, props)? as usize;
        let compressed = rep == 1;
        let time = if compressed {
            // The offset field holds the presentation time; one delta byte follows.
            p += 1;
            Some(offset)
        } else {
            let t = le32(d, p + 4).filter(|_| rep >= 8 && offset == 0);
            p = p.checked_add(rep)?;
            t
        };
        let len = if multiple {
            field(d, &mut p, len_type)? as usize
        } else {
            d.len().checked_sub(p)?.checked_sub(padding)?
        };
        if let Some(t) = time {
            found(num, t);
        }
        p = p.checked_add(len)?;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A single-payload packet for stream 2 at `t` ms.
    fn one(t: u32) -> Vec<u8> {
        let mut d = vec![0x82, 0, 0, 0x00, 0x5d];
        d.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // send time, duration
        d.push(0x82); // stream 2, key frame
        d.push(0); // media object number
        d.extend_from_slice(&0u32.to_le_bytes()); // offset
        d.push(8); // replicated data length
        d.extend_from_slice(&100u32.to_le_bytes());
        d.extend_from_slice(&t.to_le_bytes());
        d.resize(64, 0);
        d
    }

    #[test]
    fn single_payload_times() {
        let mut seen = Vec::new();
        for t in [0u32, 40, 80] {
            packet(&one(t), &mut |n, t| seen.push((n, t)));
        }
        assert_eq!(seen, [(2, 0), (2, 40), (2, 80)]);
        let p = one(40);
        for n in 0..p.len() {
            packet(&p[..n], &mut |_, _| {});
        }
    }
}

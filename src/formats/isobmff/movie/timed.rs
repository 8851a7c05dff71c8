//! Timed-metadata tracks a caller asks for ([`super::parse_timed`], CR3's `CTMD`): their
//! sample tables are kept (bounded) while walking, and their first samples are located
//! for the caller, whose payload the movie reader does not interpret.

use super::Movie;
use crate::base::bytes::{be32, be64};

/// Most entries kept of one sample table.
const MAX_ENTRIES: usize = 1000;
/// Most samples of one timed-metadata track located for [`super::parse_timed`].
pub(super) const MAX_TIMED_SAMPLES: usize = 16;

/// One sample of a timed-metadata track, located for the caller to read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimedSample {
    /// The track's family-1 group (`Track4`).
    pub track: String,
    /// Where the sample's bytes are, and how many.
    pub offset: u64,
    pub size: u64,
    /// Start and duration, in seconds.
    pub time: f64,
    pub duration: f64,
}

/// The sample tables of a track, as far as [`MAX_ENTRIES`] goes.
#[derive(Debug, Default)]
pub(super) struct Tables {
    offsets: Vec<u64>,
    /// `stsc`: (first chunk, samples per chunk).
    per_chunk: Vec<(u32, u32)>,
    /// `stsz`: a size for all, or one each.
    uniform: u32,
    sizes: Vec<u32>,
    /// `stts`: (count, duration).
    durations: Vec<(u32, u32)>,
}

/// Whether a sample-table box of `kind` is one that locating samples needs.
pub(super) fn wanted(kind: &[u8; 4]) -> bool {
    matches!(kind, b"stco" | b"co64" | b"stsc" | b"stsz" | b"stts")
}

/// Keeps the entries of table `kind` (its full-box payload `b`).
pub(super) fn table(t: &mut Tables, kind: &[u8; 4], b: &[u8]) {
    let n = be32(b, 4).map_or(0, |n| (n as usize).min(MAX_ENTRIES));
    match kind {
        b"stco" => t.offsets = (0..n).map_while(|i| be32(b, 8 + 4 * i).map(u64::from)).collect(),
        b"co64" => t.offsets = (0..n).map_while(|i| be64(b, 8 + 8 * i)).collect(),
        b"stsc" => {
            t.per_chunk = (0..n).map_while(|i| Some((be32(b, 8 + 12 * i)?, be32(b, 12 + 12 * i)?))).collect()
        }
        b"stts" => {
            t.durations = (0..n).map_while(|i| Some((be32(b, 8 + 8 * i)?, be32(b, 12 + 8 * i)?))).collect()
        }
        b"stsz" => {
            t.uniform = be32(b, 4).unwrap_or(0);
            let n = be32(b, 8).map_or(0, |n| (n as usize).min(MAX_ENTRIES));
            if t.uniform == 0 {
                t.sizes = (0..n).map_while(|i| be32(b, 12 + 4 * i)).collect();
            }
        }
        _ => {}
    }
}

/// Each sample's (offset, size, start and duration in media units), in order, at most
/// `max`.
fn samples(t: &Tables, max: usize) -> Vec<(u64, u64, u64, u64)> {
    let mut out = Vec::new();
    let (mut index, mut time) = (0usize, 0u64);
    let mut deltas = t.durations.iter().flat_map(|&(c, d)| std::iter::repeat_n(d, c as usize));
    for (chunk, &offset) in t.offsets.iter().enumerate() {
        let number = chunk as u32 + 1;
        let per = t.per_chunk.iter().rev().find(|(first, _)| *first <= number).map_or(1, |p| p.1);
        let mut at = offset;
        for _ in 0..per {
            if out.len() >= max {
                return out;
            }
            let size = if t.uniform > 0 { t.uniform } else { *t.sizes.get(index).unwrap_or(&0) };
            let delta = u64::from(deltas.next().unwrap_or(0));
            out.push((at, u64::from(size), time, delta));
            at = at.saturating_add(u64::from(size));
            time = time.saturating_add(delta);
            index += 1;
        }
    }
    out
}

/// Whether track `t`'s samples are ones the caller asked for.
pub(super) fn is_timed(m: &Movie, t: &super::track::Track) -> bool {
    t.entry.as_ref().is_some_and(|e| m.timed.contains(&e.format))
}

/// The located samples of the tracks [`super::parse_timed`] asked for.
pub(super) fn located(m: &Movie) -> Vec<TimedSample> {
    let mut out = Vec::new();
    for (i, t) in m.tracks.iter().enumerate().filter(|(_, t)| is_timed(m, t)) {
        let scale = f64::from(t.media_timescale.max(1));
        for (offset, size, time, delta) in samples(&t.tables, MAX_TIMED_SAMPLES) {
            out.push(TimedSample {
                track: format!("Track{}", i + 1),
                offset,
                size,
                time: time as f64 / scale,
                duration: delta as f64 / scale,
            });
        }
    }
    out
}

//! Stream durations and frame rates of fragmented movies (ISO/IEC 14496-12 §8.8), as
//! ffprobe reports them: a track ends where its last fragment's last sample ends, that is
//! the fragment's decode time (`tfdt`) plus the durations its track runs (`trun`) list;
//! a fragment without `tfdt` continues where the track's previous one ended, so such
//! tracks need every fragment. Frame rates are samples over summed durations.
//!
//! The walk is bounded ([`MAX_WALKED`] fragments, [`MAX_BYTES`] of fragment headers).
//! When every track of the first fragment carries `tfdt`, the walk jumps ahead instead
//! (`fragments.rs`: to the last fragments the `mfra` box lists, or to those found in the
//! file's tail), since the last fragments alone give the end.

use crate::base::bytes::{be32, be64};

/// Most fragments whose track runs are read.
const MAX_WALKED: u32 = 4096;
/// Most bytes of fragment headers read for their track runs.
const MAX_BYTES: u64 = 16 << 20;
/// Largest `moof` read whole; a larger one has its runs cut where the read stops.
pub(super) const MAX_MOOF: u64 = 1 << 20;
/// Most tracks followed.
const MAX_TRACKS: usize = 64;

/// What the fragments told about one track (times in the track's media units).
#[derive(Debug, Default, Clone)]
pub(super) struct TrackTimes {
    pub id: u32,
    /// Where the last sample seen ends.
    pub end: u64,
    /// Samples seen and the sum of their durations (for the frame rate).
    pub samples: u64,
    pub ticks: u64,
    /// A fragment without `tfdt` came after fragments that were skipped: `end` is unknown.
    pub lost: bool,
}

/// The fragment walk's state.
#[derive(Debug, Default)]
pub(super) struct Times {
    /// `trex` default sample durations by track ID.
    defaults: Vec<(u32, u32)>,
    pub tracks: Vec<TrackTimes>,
    /// Fragments read and their bytes, against the bounds.
    walked: u32,
    bytes: u64,
    /// Some fragments were not read (a jump, or the bound).
    pub gap: bool,
    /// Every track fragment seen so far carried `tfdt`.
    pub all_tfdt: bool,
    /// Fragments were seen.
    pub any: bool,
}

impl Times {
    /// Keeps a `trex` box's default sample duration.
    pub fn trex(&mut self, b: &[u8]) {
        if let (Some(id), Some(duration)) = (be32(b, 4), be32(b, 12)) {
            if self.defaults.len() < MAX_TRACKS {
                self.defaults.push((id, duration));
            }
        }
    }

    /// Fragments are being skipped: every track's end is unknown until a fragment with
    /// `tfdt` gives it again.
    pub fn skip(&mut self) {
        self.gap = true;
        for t in &mut self.tracks {
            t.lost = true;
        }
    }

    /// Whether the walk has reached its bounds.
    pub fn exhausted(&self) -> bool {
        self.walked >= MAX_WALKED || self.bytes >= MAX_BYTES
    }

    /// How many bytes of a `moof` of `len` bytes to read.
    pub fn read_len(&self, len: u64) -> u64 {
        if self.exhausted() { len.min(256) } else { len.min(MAX_MOOF) }
    }

    /// Reads the track fragments of one `moof` payload. `start` gives the decode time of
    /// a track first met without `tfdt` (the samples the `moov` holds).
    pub fn moof(&mut self, moof: &[u8], start: impl Fn(u32) -> u64) {
        if !self.any {
            self.any = true;
            self.all_tfdt = true;
        }
        self.walked = self.walked.saturating_add(1);
        self.bytes = self.bytes.saturating_add(moof.len() as u64);
        for traf in Boxes(moof).filter(|b| &b.0 == b"traf") {
            self.traf(traf.1, &start);
        }
    }

    fn traf(&mut self, traf: &[u8], start: &impl Fn(u32) -> u64) {
        let (mut id, mut default, mut tfdt) = (None, None, None);
        for (kind, b) in Boxes(traf) {
            match &kind {
                b"tfhd" => {
                    id = be32(b, 4);
                    let flags = be32(b, 0).unwrap_or(0) & 0xff_ffff;
                    // Base data offset (8 bytes) and sample description index (4) first.
                    let at = 8 + if flags & 1 != 0 { 8 } else { 0 } + if flags & 2 != 0 { 4 } else { 0 };
                    default = (flags & 8 != 0).then(|| be32(b, at)).flatten();
                }
                b"tfdt" => {
                    tfdt = match b.first() {
                        Some(1) => be64(b, 4),
                        Some(_) => be32(b, 4).map(u64::from),
                        None => None,
                    }
                }
                _ => {}
            }
        }
        let Some(id) = id else { return };
        let default = default.or_else(|| self.defaults.iter().find(|d| d.0 == id).map(|d| d.1)).unwrap_or(0);
        let gap = self.gap;
        self.all_tfdt &= tfdt.is_some();
        let Some(t) = self.track(id) else { return };
        let mut dts = match tfdt {
            Some(d) => {
                if t.lost {
                    // What came before the gap says nothing of this end.
                    t.end = 0;
                    t.lost = false;
                }
                d
            }
            None if t.samples == 0 && !gap => start(id),
            None => {
                t.lost |= gap && t.samples == 0;
                t.end
            }
        };
        for (kind, b) in Boxes(traf) {
            if &kind == b"trun" {
                let (count, sum) = trun(b, default);
                t.samples = t.samples.saturating_add(count);
                t.ticks = t.ticks.saturating_add(sum);
                dts = dts.saturating_add(sum);
            }
        }
        t.end = t.end.max(dts);
    }

    fn track(&mut self, id: u32) -> Option<&mut TrackTimes> {
        let i = match self.tracks.iter().position(|t| t.id == id) {
            Some(i) => i,
            None if self.tracks.len() < MAX_TRACKS => {
                self.tracks.push(TrackTimes { id, ..TrackTimes::default() });
                self.tracks.len() - 1
            }
            None => return None,
        };
        self.tracks.get_mut(i)
    }

    /// The times of track `id`, when known.
    pub fn of(&self, id: u32) -> Option<&TrackTimes> {
        self.tracks.iter().find(|t| t.id == id && !t.lost && t.end > 0)
    }

    /// Track IDs of a `moof` payload.
    pub fn track_ids(moof: &[u8]) -> Vec<u32> {
        Boxes(moof)
            .filter(|b| &b.0 == b"traf")
            .filter_map(|traf| Boxes(traf.1).find(|b| &b.0 == b"tfhd").and_then(|b| be32(b.1, 4)))
            .take(MAX_TRACKS)
            .collect()
    }
}

/// (samples, summed durations) of a `trun` payload; durations absent from the run take
/// `default`. The count is trusted only as far as the payload holds its entries.
fn trun(b: &[u8], default: u32) -> (u64, u64) {
    let flags = be32(b, 0).unwrap_or(0) & 0xff_ffff;
    let Some(count) = be32(b, 4) else { return (0, 0) };
    let mut at = 8 + if flags & 1 != 0 { 4 } else { 0 } + if flags & 4 != 0 { 4 } else { 0 };
    let entry = [0x100, 0x200, 0x400, 0x800].iter().filter(|&&f| flags & f != 0).count() * 4;
    if entry == 0 || flags & 0x100 == 0 {
        // Every sample takes the default: no entries to walk (or none holding durations).
        let count = if entry == 0 { count as usize } else { count.min(len_entries(b, at, entry)) as usize };
        return (count as u64, count as u64 * u64::from(default));
    }
    let count = count.min(len_entries(b, at, entry));
    let mut sum = 0u64;
    for _ in 0..count {
        sum = sum.saturating_add(u64::from(be32(b, at).unwrap_or(0)));
        at += entry;
    }
    (u64::from(count), sum)
}

/// How many entries of `entry` bytes fit in `b` from `at`.
fn len_entries(b: &[u8], at: usize, entry: usize) -> u32 {
    u32::try_from(b.len().saturating_sub(at) / entry.max(1)).unwrap_or(u32::MAX)
}

/// Child boxes of an in-memory payload as (type, payload); stops at the first malformed
/// box (a fragment cut by [`MAX_MOOF`] keeps its complete children).
struct Boxes<'a>(&'a [u8]);

impl<'a> Iterator for Boxes<'a> {
    type Item = ([u8; 4], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let size = be32(self.0, 0)? as usize;
        let kind: [u8; 4] = self.0.get(4..8)?.try_into().ok()?;
        let (header, size) = match size {
            0 => (8, self.0.len()),
            1 => (16, usize::try_from(be64(self.0, 8)?).ok()?),
            n => (8, n),
        };
        let body = self.0.get(header..size)?;
        self.0 = self.0.get(size..).unwrap_or_default();
        Some((kind, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v
    }

    fn traf(id: u32, tfdt: Option<u64>, durations: &[u32]) -> Vec<u8> {
        let mut t = boxed(b"tfhd", &[&[0, 0, 0, 0][..], &id.to_be_bytes()].concat());
        if let Some(d) = tfdt {
            t.extend(boxed(b"tfdt", &[&[1, 0, 0, 0][..], &d.to_be_bytes()].concat()));
        }
        let mut run = vec![0, 0, 1, 0];
        run.extend_from_slice(&(durations.len() as u32).to_be_bytes());
        for d in durations {
            run.extend_from_slice(&d.to_be_bytes());
        }
        t.extend(boxed(b"trun", &run));
        boxed(b"traf", &t)
    }

    #[test]
    fn ends_from_tfdt_or_running_sums() {
        let mut t = Times::default();
        t.moof(&[traf(1, Some(0), &[10, 10]), traf(2, None, &[5])].concat(), |_| 100);
        t.moof(&[traf(1, Some(20), &[10]), traf(2, None, &[5, 5])].concat(), |_| 100);
        assert_eq!(t.of(1).map(|t| (t.end, t.samples, t.ticks)), Some((30, 3, 30)));
        assert_eq!(t.of(2).map(|t| (t.end, t.samples)), Some((115, 3)));
        assert!(!t.all_tfdt);
        // After a gap, a track without tfdt is lost; tfdt brings it back.
        t.skip();
        t.moof(&traf(2, None, &[5]), |_| 0);
        assert!(t.of(1).is_none() && t.of(2).is_none());
        t.moof(&traf(2, Some(50), &[5]), |_| 0);
        assert_eq!(t.of(2).map(|t| t.end), Some(55));
        let mut u = Times::default();
        u.skip();
        u.moof(&traf(3, None, &[5]), |_| 0);
        assert!(u.of(3).is_none());
    }

    #[test]
    fn truncated_runs_never_panic() {
        let m = [traf(1, Some(7), &[1, 2, 3]), traf(2, None, &[4])].concat();
        for n in 0..m.len() {
            let mut t = Times::default();
            t.moof(&m[..n], |_| 0);
        }
        // A count far larger than the payload is cut to the entries present.
        assert_eq!(trun(&[0, 0, 1, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 9], 0), (1, 9));
        assert_eq!(trun(&[0, 0, 0, 0, 0, 0, 0, 4], 3), (4, 12));
    }
}

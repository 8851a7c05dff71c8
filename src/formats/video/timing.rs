//! Time stamps shared by the stream readers: PES packet headers (ISO/IEC 13818-1, and the
//! MPEG-1 system layer of ISO/IEC 11172-1) and the "standard" frame rates to which ffprobe
//! rounds a rate it measured from time stamps.
//!
//! Stream durations follow ffprobe's estimate for files without a duration in their
//! header: the largest time stamp near the end of the file, plus one frame, minus the
//! stream's first time stamp.

/// Ticks per second of PES time stamps.
pub(crate) const PTS_HZ: f64 = 90_000.0;
/// PES time stamps wrap at 33 bits.
const PTS_WRAP: u64 = 1 << 33;

/// The presentation time stamp of a PES packet that starts at `d` (`00 00 01 id ...`).
pub(crate) fn pes_pts(d: &[u8]) -> Option<u64> {
    if d.get(..3)? != [0, 0, 1] {
        return None;
    }
    let id = *d.get(3)?;
    // Stream map, padding, private stream 2, ECM/EMM, DSM-CC, H.222.1 type E, directory.
    if matches!(id, 0xbc | 0xbe | 0xbf | 0xf0 | 0xf1 | 0xf2 | 0xf8 | 0xff) || id < 0xbc {
        return None;
    }
    let flags = *d.get(6)?;
    if flags & 0xc0 == 0x80 {
        // MPEG-2 header: PTS_DTS_flags '10' or '11' put the PTS first.
        return if d.get(7)? & 0x80 != 0 { stamp(d.get(9..14)?) } else { None };
    }
    // MPEG-1: stuffing, then an optional STD buffer field, then the time stamps.
    let mut p = 6usize;
    for _ in 0..16 {
        if *d.get(p)? != 0xff {
            break;
        }
        p += 1;
    }
    if d.get(p)? & 0xc0 == 0x40 {
        p += 2;
    }
    if matches!(d.get(p)? & 0xf0, 0x20 | 0x30) { stamp(d.get(p..p + 5)?) } else { None }
}

/// A 33-bit time stamp in its five bytes with marker bits.
fn stamp(b: &[u8]) -> Option<u64> {
    let b: &[u8; 5] = b.try_into().ok()?;
    if b[0] & 1 == 0 || b[2] & 1 == 0 || b[4] & 1 == 0 {
        return None;
    }
    Some(
        (u64::from((b[0] >> 1) & 7) << 30)
            | (u64::from(b[1]) << 22)
            | (u64::from(b[2] >> 1) << 15)
            | (u64::from(b[3]) << 7)
            | u64::from(b[4] >> 1),
    )
}

/// The time stamps seen for one stream: the first few (in file order) and the largest
/// near the end.
#[derive(Default, Clone)]
pub(crate) struct Span {
    /// Time stamps of the first packets, in file order (bounded).
    pub head: Vec<u64>,
    /// The largest time stamp of the tail.
    pub last: Option<u64>,
}

/// Time stamps kept per stream from the head.
const HEAD_STAMPS: usize = 64;

impl Span {
    /// A time stamp from the head of the file.
    pub fn push_head(&mut self, pts: u64) {
        if self.head.len() < HEAD_STAMPS {
            self.head.push(pts);
        }
    }

    /// A time stamp from the tail of the file.
    pub fn push_tail(&mut self, pts: u64) {
        let first = self.head.first().copied().unwrap_or(pts);
        let unwrapped = |v: u64| if v < first && first - v > PTS_WRAP / 2 { v + PTS_WRAP } else { v };
        let v = unwrapped(pts);
        if self.last.is_none_or(|l| v > l) {
            self.last = Some(v);
        }
    }

    /// Seconds from the first time stamp to the end of the last frame (`frame` seconds long).
    pub fn duration(&self, frame: f64) -> Option<f64> {
        let first = *self.head.first()?;
        let last = self.last?.max(self.head.iter().copied().max().unwrap_or(first));
        let d = last.checked_sub(first)? as f64 / PTS_HZ + frame;
        (d > 0.0).then_some(d)
    }

    /// The frame rate measured from the head's time stamps (sorted, as frames are
    /// presented), rounded as ffprobe rounds it.
    pub fn frame_rate(&self) -> Option<f64> {
        let mut t = self.head.clone();
        t.sort_unstable();
        t.dedup();
        if t.len() < 3 {
            return None;
        }
        let span = (*t.last()? - *t.first()?) as f64 / PTS_HZ;
        snap_frame_rate((t.len() - 1) as f64 / span)
    }
}

/// ffprobe's rounding of a measured frame rate: the nearest of its standard rates (twelfths
/// of a frame per second up to 30, 80, 120 and 240, and the NTSC rates) when one lies
/// within 1 %, else the rate itself.
pub(crate) fn snap_frame_rate(fps: f64) -> Option<f64> {
    if !fps.is_finite() || fps <= 0.0 {
        return None;
    }
    // Of the twelfths, only the two around `fps` can be nearest (relative error falls
    // towards `fps` from either side); they come first, smaller first, as ties go to
    // the earlier candidate.
    let k = (fps * 12.0).floor();
    let twelfths = [k, k + 1.0].into_iter().map(|i| i.clamp(1.0, 360.0) / 12.0);
    let whole = [80.0, 120.0, 240.0].into_iter();
    let ntsc = [24.0, 30.0, 60.0, 12.0, 15.0, 48.0].into_iter().map(|r| r * 1000.0 / 1001.0);
    let mut best = (0.01, fps);
    for std in twelfths.chain(whole).chain(ntsc) {
        let err = (fps / std - 1.0).abs();
        if err < best.0 {
            best = (err, std);
        }
    }
    Some(best.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapping_matches_a_search_of_every_standard_rate() {
        let slow = |fps: f64| {
            let all = (1..=360).map(|i| f64::from(i) / 12.0).chain([80.0, 120.0, 240.0]);
            let ntsc = [24.0, 30.0, 60.0, 12.0, 15.0, 48.0].map(|r| r * 1000.0 / 1001.0);
            let mut best = (0.01, fps);
            for std in all.chain(ntsc) {
                let err = (fps / std - 1.0).abs();
                if err < best.0 {
                    best = (err, std);
                }
            }
            best.1
        };
        for i in 1..20_000 {
            let fps = f64::from(i) * 0.0173;
            assert_eq!(snap_frame_rate(fps), Some(slow(fps)), "{fps}");
        }
        assert_eq!(snap_frame_rate(0.0), None);
        assert_eq!(snap_frame_rate(f64::NAN), None);
    }

    #[test]
    fn mpeg2_and_mpeg1_headers() {
        // MPEG-2 PES with PTS 90000 (1 s).
        let pes2 = [0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 5, 0x21, 0x00, 0x05, 0xbf, 0x21];
        assert_eq!(pes_pts(&pes2), Some(90_000));
        // MPEG-1 packet: two stuffing bytes, an STD buffer field, then the PTS.
        let pes1 = [0, 0, 1, 0xc0, 0, 0, 0xff, 0xff, 0x40, 0x20, 0x21, 0x00, 0x05, 0xbf, 0x21];
        assert_eq!(pes_pts(&pes1), Some(90_000));
        // Padding stream and a broken marker bit.
        assert_eq!(pes_pts(&[0, 0, 1, 0xbe, 0, 0, 0x80, 0x80, 5, 0x21, 0, 5, 0xbf, 0x21]), None);
        assert_eq!(pes_pts(&[0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 5, 0x20, 0, 5, 0xbf, 0x21]), None);
        for n in 0..pes2.len() {
            let _ = pes_pts(&pes2[..n]);
        }
    }

    #[test]
    fn spans_and_rates() {
        let mut s = Span::default();
        for i in [0u64, 3, 1, 2, 6, 4, 5] {
            s.push_head(1000 + i * 3600);
        }
        assert_eq!(s.frame_rate(), Some(25.0));
        s.push_tail(1000 + 24 * 3600);
        s.push_tail(1000 + 22 * 3600);
        assert_eq!(s.duration(0.04), Some(1.0));
        // Wrapped time stamps still count forward.
        let mut w = Span::default();
        w.push_head(PTS_WRAP - 45_000);
        w.push_tail(45_000);
        assert_eq!(w.duration(0.0), Some(1.0));
        assert!((snap_frame_rate(29.95).unwrap_or(0.0) - 30000.0 / 1001.0).abs() < 1e-9);
        assert_eq!(snap_frame_rate(1000.0), Some(1000.0));
        assert_eq!(snap_frame_rate(0.0), None);
    }
}

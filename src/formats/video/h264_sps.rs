//! The H.264 sequence parameter set (ITU-T H.264, 7.3.2.1.1 and annex E): picture size
//! after cropping, and the frame rate of the VUI timing information.

/// What the first H.264 sequence parameter set says.
pub(crate) struct Sps {
    pub width: u32,
    pub height: u32,
    /// From the VUI timing information: `time_scale / (2 * num_units_in_tick)`.
    pub fps: Option<f64>,
}

/// Finds an H.264 SPS NAL unit in `d` and decodes it.
pub(crate) fn find_sps(d: &[u8]) -> Option<Sps> {
    let mut i = 0usize;
    while i + 4 < d.len() {
        if d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1 && d[i + 3] & 0x1f == 7 {
            let end = d[i + 4..].windows(3).position(|w| w == [0, 0, 1]).map_or(d.len(), |e| i + 4 + e);
            return sps(&d[i + 4..end]);
        }
        i += 1;
    }
    None
}

/// Exp-Golomb bit reader over an RBSP (emulation-prevention bytes removed).
struct Rbsp {
    d: Vec<u8>,
    pos: usize,
}

impl Rbsp {
    fn bit(&mut self) -> Option<u32> {
        let b = *self.d.get(self.pos / 8)?;
        self.pos += 1;
        Some(u32::from((b >> (7 - (self.pos - 1) % 8)) & 1))
    }

    fn bits(&mut self, n: u32) -> Option<u32> {
        let mut v = 0;
        for _ in 0..n {
            v = (v << 1) | self.bit()?;
        }
        Some(v)
    }

    fn ue(&mut self) -> Option<u32> {
        let mut zeros = 0;
        while self.bit()? == 0 {
            zeros += 1;
            if zeros > 31 {
                return None;
            }
        }
        Some(((1u64 << zeros) - 1 + u64::from(self.bits(zeros)?)).min(u64::from(u32::MAX)) as u32)
    }

    fn se(&mut self) -> Option<i64> {
        let k = i64::from(self.ue()?);
        Some(if k % 2 == 1 { (k + 1) / 2 } else { -(k / 2) })
    }
}

/// Picture size and frame rate from an H.264 SPS payload (after the NAL header byte).
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
fn sps(nal: &[u8]) -> Option<Sps> {
    let mut d = Vec::with_capacity(nal.len());
    let mut zeros = 0;
    for &b in nal.iter().take(1024) {
        if zeros >= 2 && b == 3 {
            zeros = 0;
            continue;
        }
        zeros = if b == 0 { zeros + 1 } else { 0 };
        d.push(b);
    }
    let mut r = Rbsp { d, pos: 0 };
    let profile = r.bits(8)?;
    r.bits(16)?;
    r.ue()?;
    let mut chroma = 1;
    if matches!(profile, 100 | 110 | 122 | 244 | 44 | 83 | 86 | 118 | 128 | 138 | 139 | 134 | 135) {
        chroma = r.ue()?;
        if chroma == 3 {
            r.bit()?;
        }
        r.ue()?;
        r.ue()?;
        r.bit()?;
        if r.bit()? == 1 {
            for i in 0..if chroma == 3 { 12 } else { 8 } {
                if r.bit()? == 1 {
                    let n = if i < 6 { 16 } else { 64 };
                    let (mut last, mut next) = (8i64, 8i64);
                    for _ in 0..n {
                        if next != 0 {
                            next = (last + r.se()? + 256) % 256;
                        }
                        last = if next == 0 { last } else { next };
                    }
                }
            }
        }
    }
    r.ue()?;
    match r.ue()? {
        0 => {
            r.ue()?;
        }
        1 => {
            r.bit()?;
            r.se()?;
            r.se()?;
            for _ in 0..r.ue()?.min(256) {
                r.se()?;
            }
        }
        _ => {}
    }
    r.ue()?;
    r.bit()?;
    let w_mbs = r.ue()?.checked_add(1)?;
    let h_units = r.ue()?.checked_add(1)?;
    let frame_mbs_only = r.bit()?;
    if frame_mbs_only == 0 {
        r.bit()?;
    }
    r.bit()?;
    let (mut l, mut rt, mut t, mut b) = (0, 0, 0, 0);
    if r.bit()? == 1 {
        (l, rt, t, b) = (r.ue()?, r.ue()?, r.ue()?, r.ue()?);
    }
    let (sub_w, sub_h) = match chroma {
        1 => (2, 2),
        2 => (2, 1),
        _ => (1, 1),
    };
    let w = w_mbs.checked_mul(16)?.checked_sub(sub_w * (l.checked_add(rt)?))?;
    let h = (2 - frame_mbs_only)
        .checked_mul(h_units)?
        .checked_mul(16)?
        .checked_sub(sub_h * (2 - frame_mbs_only) * t.checked_add(b)?)?;
    Some(Sps { width: w, height: h, fps: vui_fps(&mut r) })
}

/// The frame rate of the VUI's timing information, read after the frame cropping fields.
fn vui_fps(r: &mut Rbsp) -> Option<f64> {
    if r.bit()? == 0 {
        return None;
    }
    if r.bit()? == 1 && r.bits(8)? == 255 {
        r.bits(32)?;
    }
    if r.bit()? == 1 {
        r.bit()?;
    }
    if r.bit()? == 1 {
        r.bits(4)?;
        if r.bit()? == 1 {
            r.bits(24)?;
        }
    }
    if r.bit()? == 1 {
        r.ue()?;
        r.ue()?;
    }
    if r.bit()? == 0 {
        return None;
    }
    let (units, scale) = (r.bits(32)?, r.bits(32)?);
    (units > 0 && scale > 0).then(|| f64::from(scale) / (2.0 * f64::from(units)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sps_fields() {
        // High profile 320x240 (from a generated corpus file).
        let nal = [
            0x64, 0x00, 0x0d, 0xac, 0xd9, 0x41, 0x41, 0xfb, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00, 0x10, 0x00,
            0x00, 0x03, 0x03, 0x20, 0xf1, 0x42, 0x99, 0x60, 0x00,
        ];
        let s = sps(&nal);
        assert_eq!(s.as_ref().map(|s| (s.width, s.height)), Some((320, 240)));
        assert_eq!(s.and_then(|s| s.fps), Some(25.0));
        assert!(sps(&[0x64]).is_none());
    }
}

//! MPEG transport streams (TS with 188-byte packets, M2TS/MTS with 192-byte ones): PAT and
//! PMT (stream types, the AC-3 descriptor), the H.264 sequence parameter set of the first
//! video PES (image size, frame rate), the first audio frame of each stream, the duration
//! from the first and last PCR, and each stream's duration from its first and last PES
//! time stamps. Only the first and last 256 KiB are read.

use super::h264_sps::find_sps;
use super::timing::{self, Span};
use crate::base::bytes::be16;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::meta::mpeg_audio::Header;
use crate::model::{Stream, StreamKind};

/// Group of the transport tags.
const G: &str = "M2TS";
/// Bytes read at each end.
const WINDOW: u64 = 256 << 10;

/// An audio stream's first frame: sample rate, channels, samples per frame.
#[derive(Clone, Copy)]
struct AudioFrame {
    rate: Option<u32>,
    channels: Option<u32>,
    samples: Option<u32>,
}

/// What the walk collects.
#[derive(Default)]
struct State {
    pmt_pids: Vec<u16>,
    /// (PID, stream type) from the PMT.
    streams: Vec<(u16, u8)>,
    pcr_pid: Option<u16>,
    pmt_done: bool,
    /// PES payload of the first video access units.
    video: Vec<u8>,
    video_done: bool,
    ac3_done: bool,
    /// The first audio frame seen per stream.
    audio: Vec<(u16, AudioFrame)>,
    size: Option<(u32, u32)>,
    /// Whether the size was named in tags (ExifTool's range).
    size_tags: bool,
    /// Frames per second from the sequence parameter set's timing information.
    fps: Option<f64>,
    first_pcr: Option<u64>,
    /// PES time stamps per PID.
    spans: Vec<(u16, Span)>,
}

impl State {
    fn span(&mut self, pid: u16) -> Option<&mut Span> {
        if !self.spans.iter().any(|(p, _)| *p == pid) {
            if !self.streams.iter().any(|(p, _)| *p == pid) {
                return None;
            }
            self.spans.push((pid, Span::default()));
        }
        self.spans.iter_mut().find(|(p, _)| *p == pid).map(|(_, s)| s)
    }
}

/// Reads a transport stream.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let head = cx.read_up_to(0, WINDOW)?;
    let (psize, lead) = if head.first() == Some(&0x47) && head.get(188) == Some(&0x47) {
        (188usize, 0usize)
    } else if head.get(4) == Some(&0x47) && head.get(196) == Some(&0x47) {
        (192, 4)
    } else if head.first() == Some(&0x47) {
        (188, 0)
    } else if head.get(4) == Some(&0x47) {
        (192, 4)
    } else {
        return Err(Error::malformed(0u64, "no transport stream sync byte"));
    };
    let mut st = State::default();
    for pkt in head.chunks_exact(psize) {
        let Some(p) = pkt.get(lead..lead + 188) else { break };
        packet(cx, p, &mut st);
    }
    // The tail: the last PCR and each stream's last time stamps.
    let len = cx.len();
    let start = len.saturating_sub(WINDOW);
    let tail = if start == 0 { head } else { cx.read_up_to(start, WINDOW)? };
    // Align on a sync byte.
    let align = (0..psize.min(tail.len())).find(|&o| {
        tail.get(o + lead) == Some(&0x47) && tail.get(o + lead + psize).is_none_or(|&b| b == 0x47)
    });
    let mut last = None;
    for pkt in align.and_then(|a| tail.get(a..)).unwrap_or_default().chunks_exact(psize) {
        let Some(p) = pkt.get(lead..lead + 188) else { break };
        if let Some(pcr) = pcr(p) {
            last = Some(pcr);
        }
        if let Some((pid, pes)) = pes_start(p) {
            if let (Some(pts), Some(span)) = (timing::pes_pts(pes), st.span(pid)) {
                span.push_tail(pts);
            }
        }
    }
    if let (Some(f), Some(l)) = (st.first_pcr, last.filter(|l| Some(*l) >= st.first_pcr)) {
        cx.add(G, "Duration", (l - f) as f64 / 27e6);
    }
    streams(cx, &st);
    if let Some((w, h)) = st.size.filter(|_| st.size_tags) {
        cx.fact(Fact::ImageSize(w.into(), h.into()));
    }
    Ok(())
}

/// One stream per PMT entry, with its duration from its time stamps.
fn streams(cx: &mut Ctx, st: &State) {
    for (i, (pid, ty)) in st.streams.iter().enumerate() {
        let (kind, codec) = stream_codec(*ty);
        let mut s =
            Stream { index: i as u32, kind, codec_name: codec.map(str::to_owned), ..Stream::default() };
        let span = st.spans.iter().find(|(p, _)| p == pid).map(|(_, s)| s);
        let mut frame = None;
        if let Some((_, a)) = st.audio.iter().find(|(p, _)| p == pid) {
            (s.sample_rate, s.channels) = (a.rate, a.channels);
            frame = a.rate.zip(a.samples).map(|(r, n)| f64::from(n) / f64::from(r));
        }
        if kind == Some(StreamKind::Video) {
            if let Some((w, h)) = st.size.filter(|_| *ty == 0x1b) {
                (s.width, s.height) = (Some(w), Some(h));
            }
            s.frame_rate = st.fps.filter(|_| *ty == 0x1b).or_else(|| span.and_then(Span::frame_rate));
            frame = s.frame_rate.map(|f| 1.0 / f);
        }
        if let (Some(span), Some(frame)) = (span, frame) {
            s.duration = span.duration(frame);
        }
        cx.streams.push(s);
    }
}

/// ffprobe's codec for a PMT stream type.
fn stream_codec(ty: u8) -> (Option<StreamKind>, Option<&'static str>) {
    let v = Some(StreamKind::Video);
    let a = Some(StreamKind::Audio);
    match ty {
        0x01 => (v, Some("mpeg1video")),
        0x02 => (v, Some("mpeg2video")),
        0x10 => (v, Some("mpeg4")),
        0x1b => (v, Some("h264")),
        0x24 => (v, Some("hevc")),
        0xea => (v, Some("vc1")),
        0x03 | 0x04 => (a, Some("mp2")),
        0x0f => (a, Some("aac")),
        0x11 => (a, Some("aac_latm")),
        0x80 => (a, Some("pcm_bluray")),
        0x81 | 0x83 => (a, Some("ac3")),
        0x82 | 0x85 | 0x86 => (a, Some("dts")),
        0x84 | 0x87 => (a, Some("eac3")),
        0x90 => (Some(StreamKind::Subtitle), Some("hdmv_pgs_subtitle")),
        _ => (Some(StreamKind::Data), None),
    }
}

fn is_video(ty: u8) -> bool {
    matches!(ty, 0x01 | 0x02 | 0x10 | 0x1b | 0x24 | 0xea)
}

/// Stream types whose PES carry AC-3 or E-AC-3 sync frames.
fn is_ac3(ty: u8) -> bool {
    matches!(ty, 0x81 | 0x83 | 0x84 | 0x87)
}

/// The PCR of a packet's adaptation field, in 27 MHz ticks.
fn pcr(p: &[u8]) -> Option<u64> {
    if p.first() != Some(&0x47) || p.get(3)? & 0x20 == 0 || *p.get(4)? < 7 || p.get(5)? & 0x10 == 0 {
        return None;
    }
    let b = p.get(6..12)?;
    let base = (u64::from(b[0]) << 25)
        | (u64::from(b[1]) << 17)
        | (u64::from(b[2]) << 9)
        | (u64::from(b[3]) << 1)
        | u64::from(b[4] >> 7);
    let ext = (u64::from(b[4] & 1) << 8) | u64::from(b[5]);
    Some(base * 300 + ext)
}

/// The PID and payload of a packet that starts a PES packet or section.
fn pes_start(p: &[u8]) -> Option<(u16, &[u8])> {
    if *p.first()? != 0x47 || p.get(1)? & 0x40 == 0 {
        return None;
    }
    let pid = (u16::from(p[1] & 0x1f) << 8) | u16::from(*p.get(2)?);
    let afc = (p.get(3)? >> 4) & 3;
    let off = if afc & 2 != 0 { 5 + usize::from(*p.get(4)?) } else { 4 };
    if afc & 1 == 0 {
        return None;
    }
    Some((pid, p.get(off..).filter(|d| !d.is_empty())?))
}

/// One 188-byte packet.
fn packet(cx: &mut Ctx, p: &[u8], st: &mut State) {
    if p[0] != 0x47 {
        return;
    }
    if st.first_pcr.is_none() {
        st.first_pcr = pcr(p);
    }
    let pusi = p[1] & 0x40 != 0;
    let pid = (u16::from(p[1] & 0x1f) << 8) | u16::from(p[2]);
    let afc = (p[3] >> 4) & 3;
    let mut off = 4usize;
    if afc & 2 != 0 {
        off += 1 + usize::from(p[4]);
    }
    if afc & 1 == 0 || off >= 188 {
        return;
    }
    let payload = &p[off..];
    if pid == 0 && pusi && st.pmt_pids.is_empty() {
        if let Some(sec) = section(payload) {
            // Program loop after the 8-byte header, before the CRC.
            for e in sec.get(8..sec.len().saturating_sub(4)).unwrap_or_default().chunks_exact(4) {
                let prog = be16(e, 0).unwrap_or(0);
                if prog != 0 {
                    st.pmt_pids.push((u16::from(e[2] & 0x1f) << 8) | u16::from(e[3]));
                }
            }
        }
    } else if pusi && !st.pmt_done && st.pmt_pids.contains(&pid) {
        if let Some(sec) = section(payload).filter(|s| s.first() == Some(&2)) {
            st.pmt_done = true;
            pmt(cx, sec, st);
        }
    } else if let Some(&(_, ty)) = st.streams.iter().find(|(sp, _)| *sp == pid) {
        if pusi {
            if let (Some(pts), Some(span)) = (timing::pes_pts(payload), st.span(pid)) {
                span.push_head(pts);
            }
        }
        if is_video(ty) && !st.video_done {
            let data = if pusi { pes_payload(payload) } else { Some(payload) };
            if let Some(d) = data {
                if st.video.len() < 64 << 10 {
                    st.video.extend_from_slice(d);
                }
                if ty == 0x1b {
                    if let Some(sps) = find_sps(&st.video) {
                        st.size = Some((sps.width, sps.height));
                        st.fps = sps.fps;
                        st.video_done = true;
                        // ExifTool names the size only within 160x120 to 4096x3072.
                        if (160..=4096).contains(&sps.width) && (120..=3072).contains(&sps.height) {
                            cx.add("H264", "ImageWidth", sps.width);
                            cx.add("H264", "ImageHeight", sps.height);
                            st.size_tags = true;
                        }
                    }
                }
            }
        } else if pusi && !st.audio.iter().any(|(p, _)| *p == pid) {
            let Some(d) = pes_payload(payload) else { return };
            let frame = if is_ac3(ty) {
                ac3(d)
                    .inspect(|(code, _)| {
                        if !st.ac3_done {
                            cx.add(G, "AudioSampleRate", *code);
                        }
                        st.ac3_done = true;
                    })
                    .map(|(_, f)| f)
            } else if ty == 0x0f {
                adts(d)
            } else if matches!(ty, 0x03 | 0x04) {
                mpeg_audio(d)
            } else {
                None
            };
            if let Some(f) = frame {
                st.audio.push((pid, f));
            }
        }
    }
}

/// A PSI section: after the pointer field, up to its length.
fn section(payload: &[u8]) -> Option<&[u8]> {
    let ptr = usize::from(*payload.first()?);
    let s = payload.get(1 + ptr..)?;
    let len = usize::from(be16(s, 1)? & 0x0fff);
    s.get(..(3 + len).min(s.len()))
}

/// The PMT: stream types, PIDs and the AC-3 descriptors.
fn pmt(cx: &mut Ctx, sec: &[u8], st: &mut State) {
    let Some(pil) = be16(sec, 10).map(|v| usize::from(v & 0x0fff)) else {
        return;
    };
    st.pcr_pid = be16(sec, 8).map(|v| v & 0x1fff);
    let end = sec.len().saturating_sub(4);
    let mut p = 12 + pil;
    while p + 5 <= end && st.streams.len() < 64 {
        let ty = sec[p];
        let pid = (u16::from(sec[p + 1] & 0x1f) << 8) | u16::from(sec[p + 2]);
        let es = usize::from(be16(sec, p + 3).unwrap_or(0) & 0x0fff);
        st.streams.push((pid, ty));
        // ExifTool names a stream's type only when its PID is not the clock's.
        if st.pcr_pid != Some(pid) {
            match stream_codec(ty).0 {
                Some(StreamKind::Video) => cx.add(G, "VideoStreamType", ty),
                Some(StreamKind::Audio) => cx.add(G, "AudioStreamType", ty),
                _ => {}
            }
        }
        let descriptors = sec.get(p + 5..(p + 5 + es).min(end)).unwrap_or_default();
        if is_ac3(ty) {
            ac3_descriptor(cx, descriptors);
        }
        p += 5 + es;
    }
}

/// The ATSC AC-3 audio descriptor (A/52 annex A, tag 0x81) among a stream's descriptors:
/// bit rate code, surround mode and channel code.
fn ac3_descriptor(cx: &mut Ctx, mut d: &[u8]) {
    const KBPS: [u32; 19] =
        [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 576, 640];
    for _ in 0..32 {
        let (Some(&tag), Some(&len)) = (d.first(), d.get(1)) else { return };
        let body = d.get(2..2 + usize::from(len)).unwrap_or_default();
        if tag == 0x81 && body.len() >= 3 {
            if let Some(k) = KBPS.get(usize::from((body[1] >> 2) & 0x1f)) {
                cx.add(G, "AudioBitrate", k * 1000);
            }
            cx.add(G, "SurroundMode", body[1] & 3);
            cx.add(G, "AudioChannels", (body[2] >> 1) & 0x0f);
            return;
        }
        d = d.get(2 + usize::from(len)..).unwrap_or_default();
    }
}

/// The payload of a PES packet starting in `d`.
fn pes_payload(d: &[u8]) -> Option<&[u8]> {
    if d.get(..3)? != [0, 0, 1] {
        return None;
    }
    let hl = usize::from(*d.get(8)?);
    d.get(9 + hl..)
}

/// Sample rate and channels of an ADTS (AAC) frame header at the start of `d`.
fn adts(d: &[u8]) -> Option<AudioFrame> {
    const RATES: [u32; 13] =
        [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
    let h = d.get(..4)?;
    if h[0] != 0xff || h[1] & 0xf0 != 0xf0 {
        return None;
    }
    let rate = *RATES.get(usize::from((h[2] >> 2) & 0x0f))?;
    let ch = (u32::from(h[2] & 1) << 2) | u32::from(h[3] >> 6);
    Some(AudioFrame { rate: Some(rate), channels: Some(ch), samples: Some(1024) })
}

/// An MPEG audio frame header near the start of `d`.
fn mpeg_audio(d: &[u8]) -> Option<AudioFrame> {
    let h = d.windows(4).take(64).find_map(|w| {
        if w[0] == 0xff && w[1] & 0xe0 == 0xe0 { Header::parse([w[0], w[1], w[2], w[3]]) } else { None }
    })?;
    Some(AudioFrame { rate: Some(h.sample_rate), channels: Some(h.channels()), samples: Some(h.samples()) })
}

/// The first AC-3 or E-AC-3 (ATSC A/52) sync frame: the byte ExifTool reads as the sample
/// rate code (the top two bits after the sync word and the next two bytes), and the frame.
fn ac3(d: &[u8]) -> Option<(u8, AudioFrame)> {
    let i = d.windows(2).take(4096).position(|w| w == [0x0b, 0x77])?;
    let h = d.get(i..i + 8)?;
    let code = h[4] >> 6;
    let bsid = h[5] >> 3;
    const CHANNELS: [u32; 8] = [2, 1, 2, 3, 3, 4, 4, 5];
    let frame = if bsid <= 10 {
        // AC-3: fscod, frmsizecod | bsid, bsmod | acmod, then optional mix levels, lfeon.
        let acmod = h[6] >> 5;
        let mut bit = 3u32;
        if acmod & 1 != 0 && acmod != 1 {
            bit += 2;
        }
        if acmod & 4 != 0 {
            bit += 2;
        }
        if acmod == 2 {
            bit += 2;
        }
        let lfe = (u32::from(be16(h, 6).unwrap_or(0)) >> (15 - bit)) & 1;
        let rate = [48000, 44100, 32000].get(usize::from(code)).copied();
        AudioFrame { rate, channels: Some(CHANNELS[usize::from(acmod)] + lfe), samples: Some(1536) }
    } else {
        // E-AC-3: fscod, numblkscod (or fscod2 when fscod is 3), acmod, lfeon.
        let fscod = usize::from(h[4] >> 6);
        let rate = if fscod == 3 {
            [24000, 22050, 16000].get(usize::from((h[4] >> 4) & 3)).copied()
        } else {
            [48000, 44100, 32000].get(fscod).copied()
        };
        let acmod = (h[4] >> 1) & 7;
        let lfe = u32::from(h[4] & 1);
        // ffprobe's time stamp estimate adds no frame for E-AC-3 (its frame size is known
        // only after decoding), so the frame counts no samples here.
        AudioFrame { rate, channels: Some(CHANNELS[usize::from(acmod)] + lfe), samples: Some(0) }
    };
    Some((code, frame))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    #[test]
    fn hostile_packets() {
        let mut f = Vec::new();
        for i in 0..8u8 {
            let mut p = vec![0x47, 0x40 | (i & 1), 0, 0x30, 183];
            p.resize(188, i.wrapping_mul(37));
            f.extend(p);
        }
        for n in 0..f.len() {
            test_util::parse(&f[..n], parse);
        }
    }
}

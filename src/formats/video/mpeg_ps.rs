//! MPEG program streams (and bare MPEG-1/2 video elementary streams): the first video
//! sequence header and the first MPEG audio frame header, found by scanning the first
//! 256 KiB for start codes, and each stream's duration from the PES time stamps of the
//! first and last 256 KiB.

use super::timing::{self, Span};
use crate::base::bytes::be16;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::Result;
use crate::meta::mpeg_audio::Header;
use crate::model::{Stream, StreamKind, Value};

/// Group of the MPEG tags.
const G: &str = "MPEG";
/// Bytes scanned for start codes (at each end).
const SCAN: u64 = 256 << 10;

/// MPEG-1 pel aspect ratios by `aspect_ratio_information` code (ISO/IEC 11172-2).
const ASPECT: [f64; 14] = [
    1.0, 0.6735, 0.7031, 0.7615, 0.8055, 0.8437, 0.8935, 0.9157, 0.9815, 1.0255, 1.0695, 1.095, 1.1575,
    1.2015,
];
/// Frame rates by `frame_rate_code`.
const RATES: [f64; 8] = [24000.0 / 1001.0, 24.0, 25.0, 30000.0 / 1001.0, 30.0, 50.0, 60000.0 / 1001.0, 60.0];

/// Reads an MPEG program stream.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, SCAN)?;
    let mut video: Option<Stream> = None;
    let mut audio: Option<(Stream, u32)> = None;
    // Time stamps of the first video PES stream and of the audio stream described.
    let (mut video_id, mut audio_id) = (None, None);
    let mut spans: Vec<(u8, Span)> = Vec::new();
    let mut mpeg2 = false;
    let mut i = 0usize;
    while i + 4 <= d.len() {
        if d[i] != 0 || d[i + 1] != 0 || d[i + 2] != 1 {
            i += 1;
            continue;
        }
        let code = d[i + 3];
        if let Some(pts) = pes_stamp(&d[i..]) {
            span(&mut spans, code).push_head(pts);
            if (0xe0..=0xef).contains(&code) && video_id.is_none() {
                video_id = Some(code);
            }
        }
        match code {
            0xb3 if video.is_none() => video = sequence(cx, d.get(i + 4..i + 12).unwrap_or_default()),
            0xb5 => mpeg2 = true,
            0xc0..=0xdf if audio.is_none() => {
                let len = be16(&d, i + 4).map_or(0, usize::from);
                let end = (i + 6 + len).min(d.len());
                audio = d.get(i + 6..end).and_then(|pes| audio_frame(cx, pes));
                if audio.is_some() {
                    audio_id = Some(code);
                }
            }
            _ => {}
        }
        if video.is_some() && audio.is_some() && mpeg2 && video_id.is_some() {
            break;
        }
        i += 4;
    }
    // The last time stamps: the packets of the file's end, walked by their lengths.
    let start = cx.len().saturating_sub(SCAN);
    let tail = if start == 0 { d } else { cx.read_up_to(start, SCAN)? };
    walk_packets(&tail, |code, pes| {
        if let Some(pts) = pes_stamp(pes) {
            span(&mut spans, code).push_tail(pts);
        }
    });
    let find = |id: Option<u8>| spans.iter().find(|(c, _)| Some(*c) == id).map(|(_, s)| s);
    let mut size = None;
    if let Some(v) = &mut video {
        v.codec_name = Some(if mpeg2 { "mpeg2video" } else { "mpeg1video" }.into());
        size = v.width.zip(v.height);
        if let (Some(span), Some(fps)) = (find(video_id), v.frame_rate) {
            v.duration = span.duration(1.0 / fps);
        }
    }
    if let Some((a, samples)) = &mut audio {
        if let (Some(span), Some(rate)) = (find(audio_id), a.sample_rate.filter(|r| *r > 0)) {
            a.duration = span.duration(f64::from(*samples) / f64::from(rate));
        }
    }
    for (n, s) in video.into_iter().chain(audio.map(|(a, _)| a)).enumerate() {
        let mut s = s;
        s.index = n as u32;
        cx.streams.push(s);
    }
    if let Some((w, h)) = size {
        cx.fact(Fact::ImageSize(w.into(), h.into()));
    }
    Ok(())
}

/// Calls `f(stream id, packet)` for each PES packet of a program stream held in `t`, from
/// the first pack header on, stepping by the packets' lengths (resynchronising on the next
/// pack header where the layout breaks).
fn walk_packets(t: &[u8], mut f: impl FnMut(u8, &[u8])) {
    let next_pack = |from: usize| {
        t.get(from..)?.windows(4).position(|w| w == [0, 0, 1, 0xba]).and_then(|p| p.checked_add(from))
    };
    let Some(mut i) = next_pack(0) else { return };
    // Each step moves forward by at least four bytes.
    for _ in 0..t.len() / 4 + 1 {
        let (Some(&[0, 0, 1]), Some(&code)) = (t.get(i..i + 3), t.get(i + 3)) else {
            match next_pack(i + 1) {
                Some(j) => {
                    i = j;
                    continue;
                }
                None => return,
            }
        };
        i = match code {
            // Pack header: MPEG-2 (with stuffing) or MPEG-1.
            0xba => match t.get(i + 4) {
                Some(b) if b & 0xc0 == 0x40 => i + 14 + usize::from(t.get(i + 13).map_or(0, |s| s & 7)),
                Some(_) => i + 12,
                None => return,
            },
            0xb9 => return,
            0xbb..=0xff => {
                let Some(len) = be16(t, i + 4) else { return };
                f(code, &t[i..]);
                i + 6 + usize::from(len)
            }
            _ => match next_pack(i + 1) {
                Some(j) => j,
                None => return,
            },
        };
    }
}

/// The time stamp of an audio or video PES packet (private stream 1 included).
fn pes_stamp(d: &[u8]) -> Option<u64> {
    if !matches!(d.get(3)?, 0xbd | 0xc0..=0xef) {
        return None;
    }
    timing::pes_pts(d)
}

/// The span of a stream id, made on first use (a program stream has at most 50 ids).
fn span(spans: &mut Vec<(u8, Span)>, id: u8) -> &mut Span {
    let i = match spans.iter().position(|(c, _)| *c == id) {
        Some(i) => i,
        None => {
            spans.push((id, Span::default()));
            spans.len() - 1
        }
    };
    &mut spans[i].1
}

/// A video sequence header (after the start code).
fn sequence(cx: &mut Ctx, b: &[u8]) -> Option<Stream> {
    if b.len() < 8 {
        return None;
    }
    let w = (u32::from(b[0]) << 4) | u32::from(b[1] >> 4);
    let h = (u32::from(b[1] & 0x0f) << 8) | u32::from(b[2]);
    let aspect = usize::from(b[3] >> 4);
    let rate = usize::from(b[3] & 0x0f);
    let bitrate = (u32::from(b[4]) << 10) | (u32::from(b[5]) << 2) | u32::from(b[6] >> 6);
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    if let Some(a) = aspect.checked_sub(1).and_then(|i| ASPECT.get(i)) {
        cx.add(G, "AspectRatio", *a);
    }
    let fps = rate.checked_sub(1).and_then(|i| RATES.get(i)).copied();
    if let Some(f) = fps {
        cx.add(G, "FrameRate", f);
    }
    if bitrate == 0x3ffff {
        cx.add(G, "VideoBitrate", "Variable");
    } else {
        cx.add(G, "VideoBitrate", u64::from(bitrate) * 400);
    }
    Some(Stream {
        kind: Some(StreamKind::Video),
        width: Some(w),
        height: Some(h),
        frame_rate: fps,
        ..Stream::default()
    })
}

/// The first MPEG audio frame header inside an audio PES packet's payload, and the samples
/// in one frame.
fn audio_frame(cx: &mut Ctx, pes: &[u8]) -> Option<(Stream, u32)> {
    let h = pes.windows(4).take(64).find_map(|w| {
        if w[0] == 0xff && w[1] & 0xe0 == 0xe0 { Header::parse([w[0], w[1], w[2], w[3]]) } else { None }
    })?;
    cx.add(G, "MPEGAudioVersion", h.version);
    cx.add(G, "AudioLayer", h.layer);
    cx.add(G, "AudioBitrate", h.bitrate);
    cx.add(G, "SampleRate", h.rate_index);
    cx.add(G, "ChannelMode", h.mode);
    cx.add(G, "ModeExtension", h.mode_ext);
    cx.add(G, "CopyrightFlag", Value::Int(h.copyright.into()));
    cx.add(G, "OriginalMedia", Value::Int(h.original.into()));
    cx.add(G, "Emphasis", h.emphasis);
    let codec = match h.layer {
        3 => "mp1",
        2 => "mp2",
        _ => "mp3",
    };
    let s = Stream {
        kind: Some(StreamKind::Audio),
        codec_name: Some(codec.into()),
        sample_rate: Some(h.sample_rate),
        channels: Some(h.channels()),
        ..Stream::default()
    };
    Some((s, h.samples()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    #[test]
    fn sequence_and_audio() {
        let mut f = vec![0, 0, 1, 0xba, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        f.extend_from_slice(&[0, 0, 1, 0xb3, 0x14, 0x00, 0xf0, 0x23, 0xff, 0xff, 0xe0, 0x00]);
        f.extend_from_slice(&[0, 0, 1, 0xc0, 0, 8, 0x81, 0x80, 0x00, 0xff, 0xfd, 0xe4, 0xc4, 0x00]);
        let found = test_util::parse(&f, parse);
        assert!(found.ok);
        assert_eq!(found.get("MPEG:ImageWidth"), Some(&Value::Int(320)));
        assert_eq!(found.get("MPEG:ImageHeight"), Some(&Value::Int(240)));
        assert_eq!(found.get("MPEG:FrameRate"), Some(&Value::Float(25.0)));
        assert_eq!(found.get("MPEG:VideoBitrate"), Some(&Value::Text("Variable".into())));
        assert_eq!(found.get("MPEG:AudioLayer"), Some(&Value::Int(2)));
        assert_eq!(found.streams.len(), 2);
        assert_eq!(found.streams[1].codec_name.as_deref(), Some("mp2"));
        for n in 0..f.len() {
            test_util::parse(&f[..n], parse);
        }
    }
}

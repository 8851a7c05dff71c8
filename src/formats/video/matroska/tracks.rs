//! Tracks: `Matroska:` tags per TrackEntry (subgroup `TrackN`) and one ffprobe-style
//! [`Stream`] per track.

use super::ebml::{self, Children};
use super::elements::*;
use super::{State, damage};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::model::{Stream, StreamKind};
use std::borrow::Cow;

/// Tracks: every TrackEntry.
pub(super) fn tracks(cx: &mut Ctx, st: &mut State, body: &[u8], base: u64) {
    let mut kids = Children::new(body, base);
    for e in kids.by_ref().filter(|e| e.id == TRACK_ENTRY) {
        track_entry(cx, st, e.data, e.offset);
    }
    damage(cx, &kids);
}

/// What the Stream needs beyond the tags.
#[derive(Default)]
struct Track {
    kind: Option<u64>,
    codec_id: Option<String>,
    uid: Option<u64>,
    language: Option<String>,
    default_duration: Option<u64>,
    frame_rate: Option<f64>,
    audio_bits: Option<u64>,
    dolby_vision: bool,
    /// The FourCC of a `V_MS/VFW/FOURCC` track's BITMAPINFOHEADER (its CodecPrivate).
    vfw_fourcc: Option<String>,
}

fn track_entry(cx: &mut Ctx, st: &mut State, body: &[u8], base: u64) {
    st.tracks_seen = st.tracks_seen.saturating_add(1);
    let sub = format!("Track{}", st.tracks_seen);
    let sub = Some(sub.as_str());
    let mut t = Track::default();
    let mut stream = Stream { index: cx.streams.len() as u32, ..Stream::default() };
    let mut kids = Children::new(body, base);
    for e in kids.by_ref() {
        match e.id {
            TRACK_TYPE => t.kind = ebml::uint(e.data),
            TRACK_UID => t.uid = ebml::uint(e.data),
            LANGUAGE => t.language = Some(ebml::string(e.data)),
            TRACK_NAME => stream.title = Some(ebml::string(e.data)).filter(|s| !s.is_empty()),
            _ => {}
        }
        match e.id {
            CODEC_ID | CODEC_NAME => {
                let s = ebml::string(e.data);
                let base_name = if e.id == CODEC_ID { "CodecID" } else { "CodecName" };
                let name = match t.kind {
                    Some(1) => format!("Video{base_name}"),
                    Some(2) => format!("Audio{base_name}"),
                    _ => base_name.to_owned(),
                };
                if e.id == CODEC_ID {
                    t.codec_id = Some(s.clone());
                }
                st.out.tag(cx, sub, Cow::Owned(name), s.into());
            }
            DEFAULT_DURATION => match ebml::uint(e.data) {
                Some(ns) if ns > 0 => {
                    t.default_duration = Some(ns);
                    if t.kind == Some(1) {
                        st.out.tag(cx, sub, "VideoFrameRate".into(), (1e9 / ns as f64).into());
                    } else {
                        st.out.tag(cx, sub, "DefaultDuration".into(), (ns as f64 / 1e9).into());
                    }
                }
                _ => {}
            },
            VIDEO | AUDIO => media(cx, st, sub, &mut t, &mut stream, e.data, e.offset, 2),
            BLOCK_ADDITION_MAPPING => {
                let dv = Children::new(e.data, e.offset).any(|m| {
                    m.id == BLOCK_ADD_ID_TYPE
                        && matches!(ebml::uint(m.data), Some(0x6476_6343 | 0x6476_7643 | 0x6476_7743))
                });
                t.dolby_vision |= dv;
            }
            _ => {
                if e.id == CODEC_PRIVATE {
                    t.vfw_fourcc = e.data.get(16..20).map(crate::base::decode::fourcc);
                }
                st.out.simple(cx, sub, e.id, e.data, e.offset);
            }
        }
    }
    damage(cx, &kids);

    stream.kind = Some(match t.kind {
        Some(1) => StreamKind::Video,
        Some(2) => StreamKind::Audio,
        Some(17) => StreamKind::Subtitle,
        _ => StreamKind::Data,
    });
    stream.codec_name = match (t.codec_id.as_deref(), &t.vfw_fourcc) {
        (Some("V_MS/VFW/FOURCC"), Some(cc)) => super::super::riff_avi::video_codec(cc),
        (c, _) => c.and_then(|c| ffprobe_codec(c, t.audio_bits)),
    };
    stream.codec_tag = t.codec_id;
    // The spec's default language is English.
    stream.language = Some(t.language.unwrap_or_else(|| "eng".to_owned())).filter(|l| !l.is_empty());
    if stream.kind == Some(StreamKind::Video) {
        stream.frame_rate = t.default_duration.map(|ns| snap_rate(1e9 / ns as f64)).or(t.frame_rate);
        if t.dolby_vision {
            stream.hdr = Some("Dolby Vision".to_owned());
        }
    }
    if stream.kind == Some(StreamKind::Audio) {
        stream.channels = stream.channels.or(Some(1));
        stream.sample_rate = stream.sample_rate.or(Some(8000));
    }
    if let Some(uid) = t.uid {
        st.track_uids.push((uid, cx.streams.len()));
    }
    if cx.streams.len() < 4096 {
        cx.streams.push(stream);
    }
}

/// Video or Audio settings (and Colour within Video).
#[allow(clippy::too_many_arguments)]
fn media(
    cx: &mut Ctx,
    st: &mut State,
    sub: Option<&str>,
    t: &mut Track,
    stream: &mut Stream,
    body: &[u8],
    base: u64,
    depth: u32,
) {
    if cx.check_depth(depth, base).is_err() {
        return;
    }
    let mut kids = Children::new(body, base);
    for e in kids.by_ref() {
        let u = || ebml::uint(e.data).and_then(|v| u32::try_from(v).ok());
        match e.id {
            PIXEL_WIDTH => stream.width = u(),
            PIXEL_HEIGHT => stream.height = u(),
            FRAME_RATE => t.frame_rate = ebml::float(e.data).filter(|f| f.is_finite() && *f > 0.0),
            SAMPLING_FREQUENCY => {
                stream.sample_rate =
                    ebml::float(e.data).filter(|f| *f >= 1.0 && *f < 1e9).map(|f| f.round() as u32)
            }
            CHANNELS => stream.channels = u(),
            BIT_DEPTH => {
                t.audio_bits = ebml::uint(e.data);
                stream.bit_depth = u();
            }
            BITS_PER_CHANNEL => stream.bit_depth = u().filter(|b| *b > 0),
            TRANSFER_CHARACTERISTICS => match ebml::uint(e.data) {
                Some(16) => stream.hdr = Some("HDR10".to_owned()),
                Some(18) => stream.hdr = Some("HLG".to_owned()),
                _ => {}
            },
            _ => {}
        }
        match e.id {
            COLOUR | MASTERING_METADATA => media(cx, st, sub, t, stream, e.data, e.offset, depth + 1),
            _ => {
                if e.id == CODEC_PRIVATE {
                    t.vfw_fourcc = e.data.get(16..20).map(crate::base::decode::fourcc);
                }
                st.out.simple(cx, sub, e.id, e.data, e.offset);
            }
        }
    }
    damage(cx, &kids);
}

/// A frame rate from a frame duration, snapped to the rational it rounds from
/// (15.00000015 -> 15, 29.97002997 -> 30000/1001).
fn snap_rate(rate: f64) -> f64 {
    for den in [1.0, 1.001] {
        let r = (rate * den).round() / den;
        if r > 0.0 && ((rate - r) / r).abs() < 1e-6 {
            return r;
        }
    }
    rate
}

/// Gives each stream the duration its `DURATION` tag states.
pub(super) fn finish(cx: &mut Ctx, st: &State) {
    // ExifTool's Composite:ImageSize comes from the ImageWidth/ImageHeight it shows: the
    // last video track's.
    let size = cx.streams.iter().rev().find_map(|s| {
        (s.kind == Some(StreamKind::Video) && !s.attached_picture).then_some(s.width.zip(s.height)).flatten()
    });
    if let Some((w, h)) = size {
        cx.fact(Fact::ImageSize(w.into(), h.into()));
    }
    for (uid, secs) in &st.track_durations {
        for (tuid, idx) in &st.track_uids {
            if tuid == uid {
                if let Some(s) = cx.streams.get_mut(*idx) {
                    s.duration = Some(*secs);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::snap_rate;

    #[test]
    fn frame_rates_snap() {
        assert_eq!(snap_rate(1e9 / 66_666_666.0), 15.0);
        assert!((snap_rate(1e9 / 33_366_667.0) - 30_000.0 / 1001.0).abs() < 1e-9);
        assert_eq!(snap_rate(1e9 / 40_000_000.0), 25.0);
    }
}

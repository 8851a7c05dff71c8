//! Tracks and cover pictures as ffprobe-style streams.

use super::Movie;
use crate::base::decode::latin1;
use crate::context::Ctx;
use crate::model::{Stream, StreamKind};

/// Pushes one stream per track, then one per cover picture (ffprobe's attached pictures).
pub(super) fn finish(cx: &mut Ctx, m: &mut Movie) {
    let mut index = cx.streams.len() as u32;
    for t in &m.tracks {
        let kind = match &t.handler {
            b"vide" => StreamKind::Video,
            b"soun" => StreamKind::Audio,
            b"sbtl" | b"subt" | b"text" | b"clcp" => StreamKind::Subtitle,
            _ => StreamKind::Data,
        };
        let mut e = t.entry.clone().unwrap_or_default();
        // A chapter track is data to ffprobe, whatever its sample description.
        let chapter = t.id > 0 && m.tracks.iter().any(|o| o.chapter_track == Some(t.id));
        let kind = if chapter { StreamKind::Data } else { kind };
        if chapter {
            e.codec = Some("bin_data");
        }
        let media = t.media_seconds().filter(|d| *d > 0.0);
        let edited = t
            .edit_duration
            .filter(|_| m.timescale > 0)
            .map(|d| d as f64 / f64::from(m.timescale))
            .filter(|d| media.is_none_or(|md| *d <= md * 1.5 + 1.0));
        // Fragments, where there are some, say where the track ends (ffprobe's figure).
        let frag = m.frag.of(t.id);
        let scale = f64::from(t.media_timescale);
        let fragmented = frag.filter(|_| t.media_timescale > 0).map(|f| f.end as f64 / scale);
        let duration = fragmented.or(edited).or(media).or(t.duration).filter(|d| *d > 0.0);
        let frame_rate = match (frag, t.stts) {
            (Some(f), stts) if t.media_timescale > 0 => {
                let (count, ticks) = stts.unwrap_or((0, 0));
                let (count, ticks) = (count.saturating_add(f.samples), ticks.saturating_add(f.ticks));
                (count > 0 && ticks > 0).then(|| count as f64 * scale / ticks as f64)
            }
            _ => t.frame_rate(),
        };
        let bit_rate = match (t.sample_bytes, media) {
            (Some(bytes), Some(secs)) if bytes > 0 => Some((bytes as f64 * 8.0 / secs).floor() as u64),
            _ => e.bit_rate,
        };
        let video = kind == StreamKind::Video;
        let audio = kind == StreamKind::Audio;
        cx.streams.push(Stream {
            index,
            kind: Some(kind),
            codec_name: e.codec.map(str::to_owned),
            codec_tag: t.entry.as_ref().map(|e| latin1(&e.format)),
            profile: e.profile.map(str::to_owned),
            width: e.width.filter(|_| video),
            height: e.height.filter(|_| video),
            frame_rate: if video { frame_rate } else { e.timecode_rate },
            sample_rate: e.sample_rate.filter(|_| audio).map(|r| r.round() as u32),
            channels: e.channels.filter(|_| audio),
            bit_depth: e.bit_depth,
            bit_rate,
            duration,
            rotation: t.rotation.filter(|r| video && *r != 0),
            language: t.language.clone(),
            title: t.handler_name.clone(),
            hdr: e.hdr.map(str::to_owned),
            attached_picture: false,
        });
        index += 1;
    }
    for c in &m.covers {
        cx.streams.push(Stream {
            index,
            kind: Some(StreamKind::Video),
            codec_name: Some(c.codec.to_owned()),
            width: c.size.map(|s| s.0),
            height: c.size.map(|s| s.1),
            duration: m.duration,
            title: Some("cover".to_owned()),
            attached_picture: true,
            ..Stream::default()
        });
        index += 1;
    }
}

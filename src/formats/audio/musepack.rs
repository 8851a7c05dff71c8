//! Musepack (`.mpc`): the SV7 stream header (`MP+`, a fixed 28-byte header) and the SV8
//! stream header packet (`MPCK`, then `SH`). Layouts from the Musepack stream format
//! descriptions; SV7 tag names and raw values as ExifTool prints them (`MPC` group).
//! ExifTool 12.57 does not read SV8 files at all; we report their stream (codec, rate,
//! channels, duration) and no `MPC:` tags. Stream facts follow ffprobe's `musepack7` and
//! `musepack8` decoders.

use super::tag_blocks;
use crate::base::bytes::{le16, le32};
use crate::context::Ctx;
use crate::error::Result;
use crate::model::{Stream, StreamKind, Tag, Value};

/// Group of the SV7 header tags.
const GROUP: &str = "MPC";
/// Samples per channel in one Musepack frame.
const FRAME_SAMPLES: u64 = 1152;
/// Sample rates by the header's 2-bit (SV7) or 3-bit (SV8) index.
const RATES: [u32; 4] = [44100, 48000, 37800, 32000];
/// Bytes of SV8 packets looked through for the stream header.
const SV8_SEARCH: u64 = 4096;
/// Most SV8 packets looked at before the stream header.
const MAX_PACKETS: usize = 16;

/// Reads a Musepack file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let span = tag_blocks::read(cx)?;
    let at = span.start;
    let d = cx.read_up_to(at, SV8_SEARCH)?;
    let stream = match d.get(..4) {
        Some([b'M', b'P', b'+', v]) if v & 0x0f == 7 => sv7(cx, &d),
        Some(b"MPCK") => sv8(&d),
        _ => None,
    };
    let Some((codec, rate, channels, samples)) = stream else {
        cx.warn(at, "no Musepack SV7 or SV8 stream header found");
        return Ok(());
    };
    let duration = (rate > 0).then(|| samples as f64 / f64::from(rate));
    let bytes = span.end.saturating_sub(at);
    cx.streams.push(Stream {
        index: 0,
        kind: Some(StreamKind::Audio),
        codec_name: Some(codec.into()),
        sample_rate: Some(rate),
        channels: Some(channels),
        bit_rate: duration.filter(|d| *d > 0.0).map(|d| (bytes as f64 * 8.0 / d).round() as u64),
        duration,
        ..Stream::default()
    });
    Ok(())
}

/// The SV7 header: records its tags; returns the stream's codec, rate, channels, samples.
fn sv7(cx: &mut Ctx, d: &[u8]) -> Option<(&'static str, u32, u32, u64)> {
    let (frames, flags, gapless) = (le32(d, 4)?, le32(d, 8)?, le32(d, 20)?);
    let rate_index = (flags >> 16) & 3;
    let add = |cx: &mut Ctx, n: &'static str, v: i64| cx.push(Tag::new(GROUP, n, Value::Int(v)));
    add(cx, "TotalFrames", frames.into());
    add(cx, "SampleRate", rate_index.into());
    add(cx, "Quality", ((flags >> 20) & 0x0f).into());
    add(cx, "MaxBand", ((flags >> 24) & 0x3f).into());
    // Replay gain: ExifTool prints all four raw, unsigned.
    add(cx, "ReplayGainTrackPeak", le16(d, 12)?.into());
    add(cx, "ReplayGainTrackGain", le16(d, 14)?.into());
    add(cx, "ReplayGainAlbumPeak", le16(d, 16)?.into());
    add(cx, "ReplayGainAlbumGain", le16(d, 18)?.into());
    add(cx, "FastSeek", ((gapless >> 19) & 1).into());
    add(cx, "Gapless", (gapless >> 31).into());
    add(cx, "EncoderVersion", (*d.get(27)?).into());
    let rate = *RATES.get(rate_index as usize)?;
    // ffprobe counts whole frames, the last one included.
    Some(("musepack7", rate, 2, u64::from(frames) * FRAME_SAMPLES))
}

/// A variable-length SV8 number (7 bits a byte, high bit set on all but the last).
fn varint(d: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for _ in 0..9 {
        let b = *d.get(*pos)?;
        *pos += 1;
        v = (v << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// The SV8 stream header packet (`SH`), found among the first packets.
fn sv8(d: &[u8]) -> Option<(&'static str, u32, u32, u64)> {
    let mut pos = 4usize;
    for _ in 0..MAX_PACKETS {
        let start = pos;
        let key = d.get(pos..pos + 2)?;
        pos += 2;
        let size = usize::try_from(varint(d, &mut pos)?).ok()?;
        if key == b"SH" {
            // CRC (4), version (1), sample count, leading silence, then two bytes.
            let mut p = pos + 5;
            let samples = varint(d, &mut p)?;
            let silence = varint(d, &mut p)?;
            let (a, b) = (*d.get(p)?, *d.get(p + 1)?);
            let rate = *RATES.get(usize::from(a >> 5))?;
            let channels = u32::from(b >> 4) + 1;
            return Some(("musepack8", rate, channels, samples.saturating_sub(silence)));
        }
        pos = start.checked_add(size).filter(|&n| n > start + 2)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sv8_stream_header_and_varints() {
        let mut d = b"MPCK".to_vec();
        d.extend_from_slice(b"SH\x0d\x5e\x34\x0a\xf0\x08\xe7\x2e\x00\x11\x1b\x52\x47");
        assert_eq!(sv8(&d), Some(("musepack8", 44100, 2, 13230)));
        let mut p = 0;
        assert_eq!(varint(&[0x81, 0x80, 0x01], &mut p), Some(16385));
        assert_eq!(varint(&[0x80; 12], &mut 0), None);
        // A packet size that does not move on ends the search.
        assert_eq!(sv8(b"MPCKXX\x01XX\x01"), None);
    }
}

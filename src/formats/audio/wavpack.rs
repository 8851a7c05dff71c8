//! WavPack (`.wv`): the first block header (`wvpk`) and its metadata sub-blocks. Layout
//! from the WavPack file format description. ExifTool 12.57 reports only the RIFF header a
//! WavPack encoder keeps in the first block (`RIFF:` tags from its `fmt ` and `LIST`
//! chunks): not the APEv2 or ID3v1 tags at the end, which we leave too, and not a file
//! without that header (ffmpeg writes none), which it does not read at all. The stream
//! (codec, rate, channels, duration) comes from the block header, as ffprobe's `wavpack`
//! decoder gives it.

use super::riff_wav;
use crate::base::bytes::{le16, le24, le32};
use crate::context::Ctx;
use crate::error::Result;
use crate::meta::riff_info;
use crate::model::{Stream, StreamKind};

/// Sample rates by the 4-bit index in the block flags (15: stated in a sub-block).
const RATES: [u32; 15] =
    [6000, 8000, 9600, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000, 192000];
/// Bytes of the first block read for its sub-blocks.
const FIRST_BLOCK: u64 = 4096;
/// Most sub-blocks looked at.
const MAX_SUB_BLOCKS: usize = 64;
/// Sub-block IDs (the low six bits).
const ID_CHANNEL_INFO: u8 = 0x0d;
const ID_RIFF_HEADER: u8 = 0x21;
const ID_SAMPLE_RATE: u8 = 0x27;

/// Reads a WavPack file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let at = 0;
    let d = cx.read_up_to(at, FIRST_BLOCK)?;
    let (Some(b"wvpk"), Some(block_size), Some(version)) = (d.get(..4), le32(&d, 4), le16(&d, 8)) else {
        cx.warn(at, "no WavPack block header found");
        return Ok(());
    };
    let (Some(total), Some(flags)) = (le32(&d, 12), le32(&d, 24)) else {
        cx.warn(at, "WavPack block header cut short");
        return Ok(());
    };
    let end = usize::try_from(block_size).map_or(d.len(), |s| s.saturating_add(8).min(d.len()));
    let mut rate = RATES.get(((flags >> 23) & 0x0f) as usize).copied();
    let mut channels = if flags & 4 != 0 { 1 } else { 2 };
    let mut pos = 32usize;
    for _ in 0..MAX_SUB_BLOCKS {
        let Some(&id) = d.get(pos) else { break };
        let (words, head) = if id & 0x80 != 0 {
            (le24(&d, pos + 1).map(|w| w as usize), 4)
        } else {
            (d.get(pos + 1).map(|&w| usize::from(w)), 2)
        };
        let Some(words) = words else { break };
        let body = pos + head;
        let len = (words * 2).saturating_sub(usize::from(id & 0x40 != 0));
        let Some(data) = d.get(body..(body + len).min(end)) else { break };
        match id & 0x3f {
            ID_RIFF_HEADER => riff_header(cx, data, (at + body as u64, len)),
            ID_CHANNEL_INFO => channels = data.first().map_or(channels, |&n| u32::from(n)),
            ID_SAMPLE_RATE => rate = le24(data, 0).or(rate),
            _ => {}
        }
        pos = body + words * 2;
        if pos >= end {
            break;
        }
    }
    // The total is unknown when all ones; version 4.10 adds an upper byte.
    let high = if version >= 0x410 { d.get(11).map_or(0, |&b| u64::from(b)) } else { 0 };
    let samples = (total != u32::MAX).then(|| (high << 32) | u64::from(total));
    let duration = match (samples, rate) {
        (Some(n), Some(r)) if r > 0 => Some(n as f64 / f64::from(r)),
        _ => None,
    };
    let bytes = cx.len();
    cx.streams.push(Stream {
        index: 0,
        kind: Some(StreamKind::Audio),
        codec_name: Some("wavpack".into()),
        sample_rate: rate,
        channels: Some(channels),
        bit_depth: Some((flags & 3) * 8 + 8),
        bit_rate: duration.filter(|d| *d > 0.0).map(|d| (bytes as f64 * 8.0 / d).round() as u64),
        duration,
        ..Stream::default()
    });
    Ok(())
}

/// The RIFF header a WavPack encoder kept: its `fmt ` and `LIST` chunks as ExifTool reads
/// them (`whole` is where the sub-block lies and its full length).
fn riff_header(cx: &mut Ctx, d: &[u8], whole: (u64, usize)) {
    if d.get(..4) != Some(b"RIFF") || d.get(8..12) != Some(b"WAVE") || d.len() < whole.1 {
        return;
    }
    let mut pos = 12usize;
    while let (Some(id), Some(size)) = (d.get(pos..pos + 4), le32(d, pos + 4)) {
        let body = pos + 8;
        let Some(chunk) = usize::try_from(size).ok().and_then(|s| d.get(body..body.checked_add(s)?)) else {
            break;
        };
        match id {
            b"fmt " => {
                let _ = riff_wav::format_chunk(cx, chunk);
            }
            b"LIST" => riff_info::list(cx, chunk, whole.0 + body as u64),
            _ => {}
        }
        pos = body + chunk.len() + (chunk.len() & 1);
    }
}

//! Monkey's Audio (`.ape`): the `MAC ` header, in its current form (a descriptor then a
//! header, version 3.98 and later) and its older single-header form. Layout from the
//! Monkey's Audio SDK's description of both headers; tag names and values as ExifTool
//! prints them (`APE` group). Stream facts follow ffprobe's `ape` decoder.

use super::tag_blocks;
use crate::base::bytes::{le16, le32};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::{Stream, StreamKind, Tag, Value};

/// Group of the header tags (shared with the APE tag).
const GROUP: &str = "APE";
/// First version with the descriptor + header layout (3.98).
const DESCRIPTOR_VERSION: u16 = 3980;
/// Largest descriptor skipped to reach the header.
const MAX_DESCRIPTOR: u64 = 1024;

/// The header facts both layouts give.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Header {
    version: u16,
    compression: u16,
    blocks_per_frame: u32,
    final_frame_blocks: u32,
    total_frames: u32,
    bits: u16,
    channels: u16,
    rate: u32,
}

impl Header {
    /// Samples per channel in the file.
    fn blocks(&self) -> u64 {
        let full = u64::from(self.total_frames.saturating_sub(1)) * u64::from(self.blocks_per_frame);
        if self.total_frames == 0 { 0 } else { full + u64::from(self.final_frame_blocks) }
    }

    fn duration(&self) -> Option<f64> {
        (self.rate > 0).then(|| self.blocks() as f64 / f64::from(self.rate))
    }
}

/// The older header (before 3.98): flags give the sample size, the version the frame size.
fn old_header(d: &[u8]) -> Option<Header> {
    let version = le16(d, 4)?;
    let compression = le16(d, 6)?;
    let flags = le16(d, 8)?;
    let bits = if flags & 1 != 0 {
        8
    } else if flags & 8 != 0 {
        24
    } else {
        16
    };
    let blocks_per_frame = if version >= 3950 {
        73728 * 4
    } else if version >= 3900 || (version >= 3800 && compression == 4000) {
        73728
    } else {
        9216
    };
    Some(Header {
        version,
        compression,
        blocks_per_frame,
        final_frame_blocks: le32(d, 28)?,
        total_frames: le32(d, 24)?,
        bits,
        channels: le16(d, 10)?,
        rate: le32(d, 12)?,
    })
}

/// The current header, `h` being its 24 bytes after the descriptor.
fn new_header(version: u16, h: &[u8]) -> Option<Header> {
    Some(Header {
        version,
        compression: le16(h, 0)?,
        blocks_per_frame: le32(h, 4)?,
        final_frame_blocks: le32(h, 8)?,
        total_frames: le32(h, 12)?,
        bits: le16(h, 16)?,
        channels: le16(h, 18)?,
        rate: le32(h, 20)?,
    })
}

/// Reads a Monkey's Audio file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let span = tag_blocks::read(cx)?;
    let at = span.start;
    let d = cx.read_up_to(at, 64)?;
    if d.get(..4) != Some(b"MAC ") {
        cx.warn(at, "no Monkey's Audio header after the ID3 tag");
        return Ok(());
    }
    let Some(version) = le16(&d, 4) else {
        cx.warn(at, "Monkey's Audio header cut short");
        return Ok(());
    };
    let add = |cx: &mut Ctx, n: &'static str, v: i64| cx.push(Tag::new(GROUP, n, Value::Int(v)));
    let header = if version >= DESCRIPTOR_VERSION {
        let desc_len = le32(&d, 8).map_or(0, u64::from);
        if !(8..=MAX_DESCRIPTOR).contains(&desc_len) {
            cx.warn(at, "Monkey's Audio descriptor size out of range");
            return Ok(());
        }
        let h = cx.read_up_to(at + desc_len, 24)?;
        let Some(h) = new_header(version, &h) else {
            cx.warn(at + desc_len, "Monkey's Audio header cut short");
            return Ok(());
        };
        add(cx, "CompressionLevel", h.compression.into());
        add(cx, "BlocksPerFrame", h.blocks_per_frame.into());
        add(cx, "FinalFrameBlocks", h.final_frame_blocks.into());
        add(cx, "TotalFrames", h.total_frames.into());
        add(cx, "BitsPerSample", h.bits.into());
        add(cx, "Channels", h.channels.into());
        add(cx, "SampleRate", h.rate.into());
        // ExifTool gives a duration only where the header states the frame size.
        if let Some(t) = h.duration() {
            cx.fact(Fact::Duration(t));
        }
        h
    } else {
        let Some(h) = old_header(&d) else {
            cx.warn(at, "Monkey's Audio header cut short");
            return Ok(());
        };
        cx.push(Tag::new(GROUP, "APEVersion", Value::Float(f64::from(h.version) / 1000.0)));
        add(cx, "CompressionLevel", h.compression.into());
        add(cx, "Channels", h.channels.into());
        add(cx, "SampleRate", h.rate.into());
        add(cx, "TotalFrames", h.total_frames.into());
        add(cx, "FinalFrameBlocks", h.final_frame_blocks.into());
        h
    };
    let duration = header.duration();
    let audio_bytes = span.end.saturating_sub(at);
    cx.streams.push(Stream {
        index: 0,
        kind: Some(StreamKind::Audio),
        codec_name: Some("ape".into()),
        sample_rate: Some(header.rate),
        channels: Some(header.channels.into()),
        bit_depth: Some(header.bits.into()),
        bit_rate: duration.filter(|d| *d > 0.0).map(|d| (audio_bytes as f64 * 8.0 / d).round() as u64),
        duration,
        ..Stream::default()
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_size_of_old_headers_follows_the_version() {
        let mut d = b"MAC ".to_vec();
        for v in [3970u16, 2000, 8, 1] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        for v in [22050u32, 44, 0, 3, 1000] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        let h = old_header(&d).unwrap_or_else(|| panic!("a header"));
        assert_eq!((h.bits, h.channels, h.blocks_per_frame, h.blocks()), (24, 1, 294912, 2 * 294912 + 1000));
        d[4..6].copy_from_slice(&3800u16.to_le_bytes());
        assert_eq!(old_header(&d).map(|h| h.blocks_per_frame), Some(9216));
        assert_eq!(old_header(&d[..20]), None);
    }
}

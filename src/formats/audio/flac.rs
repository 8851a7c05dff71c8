//! FLAC: the `fLaC` marker and the metadata blocks before the first audio frame
//! (STREAMINFO, VORBIS_COMMENT, PICTURE); an ID3v2 tag in front is read too.

use super::picture::{self, Picture};
use super::{id3, vorbis_comment};
use crate::base::bytes::{be16, be24, be64};
use crate::base::hash::hex;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{ErrorKind, Result};
use crate::model::{Stream, StreamKind, Tag, Value};

/// Group of the STREAMINFO tags.
const GROUP: &str = "FLAC";
/// Most metadata blocks looked at.
const MAX_BLOCKS: usize = 1024;
/// Largest comment block read whole (also at most `max_alloc`).
const MAX_COMMENT_BLOCK: u64 = 16 << 20;
/// Bytes of a PICTURE block read for its fields and image size.
const PICTURE_PREFIX: u64 = 8 << 10;

/// The facts of a STREAMINFO block.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct StreamInfo {
    /// Samples per second.
    pub sample_rate: u32,
    /// Channels.
    pub channels: u32,
    /// Bits per sample.
    pub bits: u32,
    /// Samples per channel (0 = unknown).
    pub total: u64,
}

impl StreamInfo {
    /// Duration in seconds, when the sample count is known.
    pub fn duration(&self) -> Option<f64> {
        (self.total > 0 && self.sample_rate > 0).then(|| self.total as f64 / f64::from(self.sample_rate))
    }

    /// The ffprobe-style stream.
    pub fn stream(&self, index: u32) -> Stream {
        Stream {
            index,
            kind: Some(StreamKind::Audio),
            codec_name: Some("flac".into()),
            sample_rate: Some(self.sample_rate),
            channels: Some(self.channels),
            bit_depth: Some(self.bits),
            duration: self.duration(),
            ..Stream::default()
        }
    }
}

/// Decodes a STREAMINFO block (34 bytes) and emits its tags; a short one gives what it
/// holds, as ExifTool reads it (the sample count needs 18 bytes, the MD5 all 34).
pub(crate) fn streaminfo(cx: &mut Ctx, d: &[u8]) -> Option<StreamInfo> {
    let d = d.get(..34).unwrap_or(d);
    let packed = be64(d, 10)?;
    let info = StreamInfo {
        sample_rate: (packed >> 44) as u32,
        channels: ((packed >> 41) & 7) as u32 + 1,
        bits: ((packed >> 36) & 31) as u32 + 1,
        total: packed & 0xf_ffff_ffff,
    };
    let add = |cx: &mut Ctx, n: &'static str, v: Value| cx.push(Tag::new(GROUP, n, v));
    let (min_block, max_block) = (be16(d, 0)?, be16(d, 2)?);
    let (min_frame, max_frame) = (be24(d, 4)?, be24(d, 7)?);
    add(cx, "BlockSizeMin", Value::Int(min_block.into()));
    add(cx, "BlockSizeMax", Value::Int(max_block.into()));
    add(cx, "FrameSizeMin", Value::Int(min_frame.into()));
    add(cx, "FrameSizeMax", Value::Int(max_frame.into()));
    add(cx, "SampleRate", Value::Int(info.sample_rate.into()));
    add(cx, "Channels", Value::Int(info.channels.into()));
    add(cx, "BitsPerSample", Value::Int(info.bits.into()));
    add(cx, "TotalSamples", Value::from(info.total));
    if let Some(md5) = d.get(18..34) {
        add(cx, "MD5Signature", Value::from(hex(md5)));
    }
    Some(info)
}

/// Handles one metadata block (type `kind`, `len` bytes of data at `at`, of which `d` holds
/// the start, or all unless `cut` at a limit) shared by native and Ogg FLAC. Returns the
/// STREAMINFO if this was one.
pub(crate) fn block(
    cx: &mut Ctx,
    kind: u8,
    d: &[u8],
    at: u64,
    (len, cut): (u64, bool),
    pics: &mut Vec<Picture>,
) -> Option<StreamInfo> {
    match kind {
        0 => streaminfo(cx, d),
        4 => {
            vorbis_comment::parse(cx, d, at, cut, pics);
            None
        }
        6 => {
            picture::flac_block(cx, d, at, len, pics);
            None
        }
        _ => None,
    }
}

/// Reads a native FLAC file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let lead = id3::leading_tags(cx)?;
    let (mut pos, mut pics) = (lead.end, lead.pictures);
    if lead.counted > 0 {
        cx.add("File", "ID3Size", lead.counted);
        cx.date_fact(|tags| Fact::Id3Date { tags });
    }
    if cx.read_array::<4>(pos)? != *b"fLaC" {
        cx.warn(pos, "no fLaC marker");
        return Ok(());
    }
    pos += 4;
    let mut info = None;
    let mut comment_blocks = 0i8;
    for _ in 0..MAX_BLOCKS {
        let Ok(h) = cx.read_array::<4>(pos) else {
            cx.warn(pos, "truncated FLAC metadata");
            break;
        };
        let (last, kind) = (h[0] & 0x80 != 0, h[0] & 0x7f);
        let len = u64::from(be24(&h, 1).unwrap_or(0));
        let data_at = pos + 4;
        if kind == 0x7f {
            cx.warn(pos, "invalid FLAC metadata block type");
            break;
        }
        let most = MAX_COMMENT_BLOCK.min(cx.opts.limits.max_alloc as u64);
        let want = match kind {
            0 | 4 => len.min(most),
            6 => len.min(PICTURE_PREFIX).min(most),
            _ => 0,
        };
        if want > 0 {
            let start = data_at.min(cx.len());
            let d = match cx.read_cow(start, want.min(cx.len() - start)) {
                Ok(d) => d,
                Err(e) if e.kind() == ErrorKind::LimitExceeded => {
                    cx.warn_error(&e);
                    break;
                }
                Err(e) => return Err(e),
            };
            if (d.len() as u64) < want {
                cx.warn(data_at, "FLAC metadata block runs past the end of the file");
            }
            let cut = kind == 4 && want < len && d.len() as u64 == want;
            if cut {
                let max = cx.opts.limits.max_alloc;
                let msg =
                    format!("FLAC comment block of {len} bytes read in part: past max_alloc ({max} bytes)");
                cx.warn(data_at, msg);
            }
            let first = cx.tags.len();
            if let Some(i) = block(cx, kind, &d, data_at, (len, cut), &mut pics) {
                info.get_or_insert(i);
            }
            if kind == 4 {
                // A later comment block's tags replace an earlier one's, as in ExifTool.
                for t in cx.tags.get_mut(first..).unwrap_or_default() {
                    t.priority = t.priority.saturating_add(comment_blocks);
                }
                comment_blocks = comment_blocks.saturating_add(1);
            }
        }
        pos = data_at.saturating_add(len);
        if last {
            break;
        }
    }
    if let Some(i) = info {
        if let Some(d) = i.duration() {
            cx.fact(Fact::Duration(d));
        }
        cx.streams.push(i.stream(0));
        picture::push_pictures(cx, &pics, i.duration());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    fn streaminfo_bytes() -> Vec<u8> {
        let mut d = vec![0x10, 0x00, 0x10, 0x00, 0, 0, 122, 0, 5, 0x12];
        // 44100 Hz, 2 channels, 16 bits, 176400 samples.
        let packed: u64 = (44100u64 << 44) | (1 << 41) | (15 << 36) | 176400;
        d.extend_from_slice(&packed.to_be_bytes());
        d.extend_from_slice(&[0xab; 16]);
        d
    }

    #[test]
    fn native_flac() {
        let mut f = b"fLaC".to_vec();
        f.extend_from_slice(&[0x00, 0, 0, 34]);
        f.extend_from_slice(&streaminfo_bytes());
        let vc = b"\x03\0\0\0abc\x01\0\0\0\x0b\0\0\0TITLE=Hello";
        f.extend_from_slice(&[0x84, 0, 0, vc.len() as u8]);
        f.extend_from_slice(vc);
        let found = test_util::parse(&f, parse);
        assert!(found.ok);
        assert_eq!(found.get("FLAC:SampleRate"), Some(&Value::Int(44100)));
        assert_eq!(found.get("FLAC:TotalSamples"), Some(&Value::Int(176400)));
        assert_eq!(found.get("FLAC:FrameSizeMax"), Some(&Value::Int(1298)));
        assert_eq!(found.get("Vorbis:Title"), Some(&Value::Text("Hello".into())));
        assert_eq!(found.get("Composite:Duration"), Some(&Value::Float(4.0)));
        assert_eq!(found.streams.len(), 1);
        assert_eq!(found.streams[0].bit_depth, Some(16));
    }

    #[test]
    fn huge_block_length_is_bounded() {
        let mut f = b"fLaC".to_vec();
        f.extend_from_slice(&[0x04, 0xff, 0xff, 0xff, 1, 2, 3]);
        let found = test_util::parse(&f, parse);
        assert!(found.ok);
        assert!(!found.warnings.is_empty());
    }

    #[test]
    fn a_comment_block_past_max_alloc_is_read_in_part() {
        let mut vc = b"\x03\0\0\0abc\x02\0\0\0".to_vec();
        vc.extend_from_slice(&300_006u32.to_le_bytes());
        vc.extend_from_slice(b"TITLE=");
        vc.resize(vc.len() + 300_000, b'x');
        vc.extend_from_slice(b"\x09\0\0\0ARTIST=me");
        let mut f = b"fLaC".to_vec();
        f.extend_from_slice(&[0x00, 0, 0, 34]);
        f.extend_from_slice(&streaminfo_bytes());
        f.push(0x84);
        f.extend_from_slice(&(vc.len() as u32).to_be_bytes()[1..]);
        f.extend_from_slice(&vc);
        let limits = crate::options::Limits::default().with_max_alloc(100_000).with_max_value_len(50);
        let found =
            test_util::parse_with_options(&f, &crate::options::Options::default().with_limits(limits), parse);
        assert!(found.ok);
        assert_eq!(found.get("Vorbis:Title"), Some(&Value::Text("x".repeat(50).into())));
        assert_eq!(found.get("Vorbis:Artist"), None);
        assert!(found.warnings[0].message.contains("max_alloc (100000 bytes)"));
        assert!(found.warnings[1].message.contains("Vorbis:Title cut to max_value_len (50 bytes)"));
        assert_eq!(found.streams.len(), 1);
    }
}

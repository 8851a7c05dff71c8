//! MP3 (MPEG-1/2/2.5 audio layers I-III): ID3v2 at the start, the first frame header,
//! a Xing/Info or VBRI header in the first frame, ID3v1 in the last 128 bytes and an APE
//! tag before it.

use super::{ape_tag, id3, picture};
use crate::base::bytes::{be16, be32};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::Result;
use crate::meta::mpeg_audio::Header;
use crate::model::{Stream, StreamKind, Tag, Value};

/// Group of the frame-header tags.
const GROUP: &str = "MPEG";
/// Bytes after the ID3v2 tag searched first for the first frame.
const FIRST_SYNC_SEARCH: u64 = 8 << 10;
/// Bytes after the ID3v2 tag searched for the first frame when the first look fails.
const SYNC_SEARCH: u64 = 64 << 10;

/// Frame count and byte count from a Xing/Info or VBRI header.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct Vbr {
    /// `Xing` (true VBR, which ExifTool reports) rather than `Info`/`VBRI`.
    pub xing: bool,
    /// Frames.
    pub frames: Option<u32>,
    /// Bytes.
    pub bytes: Option<u32>,
    /// Quality indicator.
    pub scale: Option<u32>,
}

/// Looks for a Xing/Info or VBRI header in the first `frame`.
pub(crate) fn vbr_header(h: &Header, frame: &[u8]) -> Option<Vbr> {
    let x = h.xing_offset();
    let tag = frame.get(x..x + 4)?;
    if tag == b"Xing" || tag == b"Info" {
        let flags = be32(frame, x + 4)?;
        let mut p = x + 8;
        let mut v = Vbr { xing: tag == b"Xing", ..Vbr::default() };
        if flags & 1 != 0 {
            v.frames = be32(frame, p);
            p += 4;
        }
        if flags & 2 != 0 {
            v.bytes = be32(frame, p);
            p += 4;
        }
        if flags & 4 != 0 {
            p += 100;
        }
        if flags & 8 != 0 {
            v.scale = be32(frame, p);
        }
        return Some(v);
    }
    if frame.get(36..40)? == b"VBRI" {
        let _version = be16(frame, 40)?;
        return Some(Vbr { xing: false, bytes: be32(frame, 46), frames: be32(frame, 50), scale: None });
    }
    None
}

/// Finds the first frame header at or after `start`, checking the next header when the
/// file has one. Looks in a small window first, then in a larger one. Returns its offset,
/// header and bytes.
fn find_frame(cx: &mut Ctx, start: u64) -> Result<Option<(u64, Header, Vec<u8>)>> {
    for window in [FIRST_SYNC_SEARCH, SYNC_SEARCH] {
        let buf = cx.read_up_to(start, window)?;
        let n = buf.len();
        let at_eof = (n as u64) < window;
        for i in 0..n.saturating_sub(3) {
            if buf[i] != 0xff || buf[i + 1] & 0xe0 != 0xe0 {
                continue;
            }
            let Some(h) = Header::parse([buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]) else { continue };
            let next = i + h.frame_len() as usize;
            let confirmed = match buf.get(next..next + 4) {
                Some(b) => Header::parse([b[0], b[1], b[2], b[3]])
                    .is_some_and(|g| g.version == h.version && g.layer == h.layer),
                None => at_eof || window == SYNC_SEARCH,
            };
            if confirmed || (i == 0 && buf.len() > next) {
                let frame = buf.get(i..next.min(n)).unwrap_or_default().to_vec();
                return Ok(Some((start + i as u64, h, frame)));
            }
        }
        if at_eof {
            break;
        }
    }
    Ok(None)
}

/// Reads an MP3 file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let lead = id3::leading_tags(cx)?;
    let (audio_start, pictures) = (lead.end, lead.pictures);
    let frame = find_frame(cx, audio_start)?;
    // One source read for the ID3v1 tag and the APE footer before it.
    let _ = cx.read_up_to(cx.len().saturating_sub(160), 160);
    let has_v1 = id3::parse_v1(cx);
    let v1_len = if has_v1 { 128 } else { 0 };
    ape_tag::parse(cx, cx.len().saturating_sub(v1_len));
    let id3_size = lead.counted + v1_len;
    if id3_size > 0 {
        cx.add("File", "ID3Size", id3_size);
    }
    let Some((at, h, first)) = frame else {
        cx.date_fact(|tags| Fact::Id3Date { tags });
        cx.warn(audio_start, "no MPEG audio frame found");
        return Ok(());
    };
    let add = |cx: &mut Ctx, n: &'static str, v: Value| cx.push(Tag::new(GROUP, n, v));
    add(cx, "MPEGAudioVersion", Value::Int(h.version.into()));
    add(cx, "AudioLayer", Value::Int(h.layer.into()));
    add(cx, "AudioBitrate", Value::Int(h.bitrate.into()));
    add(cx, "SampleRate", Value::Int(h.rate_index.into()));
    add(cx, "ChannelMode", Value::Int(h.mode.into()));
    if h.layer == 1 {
        add(cx, "MSStereo", Value::Int(i64::from(h.mode_ext >> 1 & 1)));
        add(cx, "IntensityStereo", Value::Int(i64::from(h.mode_ext & 1)));
    } else {
        add(cx, "ModeExtension", Value::Int(h.mode_ext.into()));
    }
    add(cx, "CopyrightFlag", Value::Int(h.copyright.into()));
    add(cx, "OriginalMedia", Value::Int(h.original.into()));
    add(cx, "Emphasis", Value::Int(h.emphasis.into()));
    let vbr = vbr_header(&h, &first);
    if let Some(v) = vbr.filter(|v| v.xing) {
        for (n, x) in [("VBRFrames", v.frames), ("VBRBytes", v.bytes), ("VBRScale", v.scale)] {
            if let Some(x) = x {
                add(cx, n, Value::Int(x.into()));
            }
        }
    }
    cx.date_fact(|tags| Fact::Id3Date { tags });
    let rate = f64::from(h.sample_rate.max(1));
    let spf = f64::from(h.samples());
    let file_len = cx.len();
    // ExifTool: Xing frame count, else the bytes after the ID3 tags at the first bit rate.
    let et_duration = match vbr.filter(|v| v.xing).and_then(|v| v.frames) {
        Some(f) if f > 0 => Some(f64::from(f) * spf / rate),
        _ => (h.bitrate > 0).then(|| file_len.saturating_sub(id3_size) as f64 * 8.0 / f64::from(h.bitrate)),
    };
    if let (Some(v), Some(d)) = (vbr.filter(|v| v.xing), et_duration) {
        if let Some(b) = v.bytes.filter(|_| d > 0.0) {
            cx.fact(Fact::AudioBitrate(f64::from(b) * 8.0 / d));
        }
    }
    if let Some(d) = et_duration {
        cx.fact(Fact::Duration(d));
    }
    // ffprobe: any Xing/Info/VBRI frame count, else the bytes from the first frame to the
    // end of the file (trailing APE and ID3v1 tags included) at the first bit rate.
    let (duration, bit_rate) = match vbr.and_then(|v| v.frames).filter(|f| *f > 0) {
        Some(f) => {
            let d = f64::from(f) * spf / rate;
            let br = match vbr.and_then(|v| v.bytes).filter(|_| vbr.is_some_and(|v| v.xing)) {
                Some(b) => (f64::from(b) * 8.0 / d).round() as u64,
                None => u64::from(h.bitrate),
            };
            (Some(d), br)
        }
        None => {
            let d = file_len.saturating_sub(at) as f64 * 8.0 / f64::from(h.bitrate.max(1));
            (Some(d), u64::from(h.bitrate))
        }
    };
    let codec = match h.layer {
        1 => "mp3",
        2 => "mp2",
        _ => "mp1",
    };
    cx.streams.push(Stream {
        index: 0,
        kind: Some(StreamKind::Audio),
        codec_name: Some(codec.into()),
        sample_rate: Some(h.sample_rate),
        channels: Some(h.channels()),
        bit_rate: Some(bit_rate),
        duration,
        ..Stream::default()
    });
    picture::push_pictures(cx, &pictures, duration);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_headers() {
        // MPEG-1 layer III, 128 kbit/s, 44.1 kHz, joint stereo.
        let h = Header::parse([0xff, 0xfb, 0x90, 0x64]).unwrap_or_else(|| panic!("valid header"));
        assert_eq!((h.version, h.layer, h.bitrate, h.sample_rate, h.mode), (3, 1, 128000, 44100, 1));
        assert_eq!(h.frame_len(), 417);
        assert_eq!(h.samples(), 1152);
        // MPEG-2 layer III, 32 kbit/s, 22.05 kHz mono.
        let h = Header::parse([0xff, 0xf3, 0x40, 0xc4]).unwrap_or_else(|| panic!("valid header"));
        assert_eq!(
            (h.version, h.bitrate, h.sample_rate, h.channels(), h.samples()),
            (2, 32000, 22050, 1, 576)
        );
        assert_eq!(Header::parse([0xff, 0xfb, 0xf0, 0x64]), None); // bad bit-rate index
        assert_eq!(Header::parse([0xff, 0xeb, 0x90, 0x64]), None); // reserved version
    }

    #[test]
    fn xing_header() {
        let h = Header::parse([0xff, 0xfb, 0x90, 0xc4]).unwrap_or_else(|| panic!("valid header"));
        let mut f = vec![0u8; 417];
        f[21..25].copy_from_slice(b"Xing");
        f[25..29].copy_from_slice(&[0, 0, 0, 0x0b]);
        f[29..33].copy_from_slice(&193u32.to_be_bytes());
        f[33..37].copy_from_slice(&20932u32.to_be_bytes());
        f[37..41].copy_from_slice(&7u32.to_be_bytes());
        let v = vbr_header(&h, &f);
        assert_eq!(v, Some(Vbr { xing: true, frames: Some(193), bytes: Some(20932), scale: Some(7) }));
        assert_eq!(vbr_header(&h, &f[..20]), None);
    }
}

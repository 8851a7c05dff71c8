//! Audio files: MP3 (ID3v1/ID3v2, MPEG frame header, Xing/Info/VBRI), FLAC, Ogg
//! (Vorbis, Opus, FLAC, Theora), WAV (RIFF, RF64) and AIFF/AIFC.
//!
//! Every reader is bounded: it reads the headers at the start of the file and, where the
//! facts live at the end (ID3v1, the last Ogg granule position), a short tail; a 200 MiB
//! MP3 or FLAC costs a few tens of KiB. Tag names and `-n` values follow what ExifTool
//! prints; streams follow ffprobe (codec names, durations).
//!
//! We do not use `symphonia` here: it is a decoding framework that streams packets through
//! `Read + Seek`, whereas metadata needs only a few header fields, the tag blocks and the
//! last Ogg page. A bounded in-house parser reads less (tail reads instead of a scan),
//! allocates less, and keeps ExifTool's tag names and raw values that symphonia normalises
//! away.

mod aiff;
mod ape_tag;
mod flac;
mod id3;
pub(crate) mod mpeg;
mod ogg;
pub(crate) mod riff_wav;
mod vorbis_comment;

use crate::base::bytes::{be16, be32, le16};
use crate::context::Ctx;
use crate::error::Result;
use crate::model::{Stream, StreamKind};
use crate::sniff::Format;

/// Runs the reader for an audio `format`.
pub(crate) fn parse(format: Format, cx: &mut Ctx) -> Result<()> {
    match format {
        Format::Mp3 => mpeg::parse(cx),
        Format::Flac => flac::parse(cx),
        Format::Ogg | Format::Opus | Format::Ogv => ogg::parse(cx),
        Format::Wav => riff_wav::parse(cx),
        Format::Aiff | Format::Aifc => aiff::parse(cx),
        _ => Ok(()),
    }
}

/// An embedded picture seen while reading tags: ffprobe shows it as an attached-picture
/// video stream after the audio.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Picture {
    /// MIME type (`image/jpeg`) or ID3v2.2 format (`JPG`).
    pub mime: String,
    /// Width and height, when known.
    pub dims: Option<(u32, u32)>,
}

impl Picture {
    /// The attached-picture stream for this picture.
    pub fn stream(&self, index: u32, duration: Option<f64>) -> Stream {
        let m = self.mime.to_ascii_lowercase();
        let codec = if m.contains("png") {
            "png"
        } else if m.contains("gif") {
            "gif"
        } else if m.contains("bmp") {
            "bmp"
        } else {
            "mjpeg"
        };
        Stream {
            index,
            kind: Some(StreamKind::Video),
            codec_name: Some(codec.into()),
            width: self.dims.map(|d| d.0),
            height: self.dims.map(|d| d.1),
            duration,
            attached_picture: true,
            ..Stream::default()
        }
    }
}

/// Pushes the attached-picture streams after the audio stream(s).
pub(crate) fn push_pictures(cx: &mut Ctx, pictures: &[Picture], duration: Option<f64>) {
    for p in pictures.iter().take(16) {
        let index = cx.streams.len() as u32;
        cx.streams.push(p.stream(index, duration));
    }
}

/// Width and height of a JPEG, PNG or GIF image from its first bytes.
pub(crate) fn image_dims(data: &[u8]) -> Option<(u32, u32)> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        let w = be32(data, 16)?;
        let h = be32(data, 20)?;
        return Some((w, h));
    }
    if data.starts_with(b"GIF8") {
        let w = le16(data, 6)?;
        let h = le16(data, 8)?;
        return Some((w.into(), h.into()));
    }
    if !data.starts_with(b"\xff\xd8") {
        return None;
    }
    let mut pos = 2usize;
    for _ in 0..256 {
        if *data.get(pos)? != 0xff {
            return None;
        }
        let marker = *data.get(pos + 1)?;
        if marker == 0xff {
            pos += 1;
            continue;
        }
        let len = usize::from(be16(data, pos + 2)?);
        if matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc) {
            let h = be16(data, pos + 5)?;
            let w = be16(data, pos + 7)?;
            return Some((w.into(), h.into()));
        }
        pos = pos.checked_add(2 + len)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_sizes() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&[0, 0, 0, 16, 0, 0, 0, 9]);
        assert_eq!(image_dims(&png), Some((16, 9)));
        let jpg = [0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 1, 44, 1, 45];
        assert_eq!(image_dims(&jpg), Some((301, 300)));
        assert_eq!(image_dims(&jpg[..12]), None);
        assert_eq!(image_dims(b"junk"), None);
    }
}

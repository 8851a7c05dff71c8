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
        let w = u16::from_le_bytes([*data.get(6)?, *data.get(7)?]);
        let h = u16::from_le_bytes([*data.get(8)?, *data.get(9)?]);
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

/// Big-endian u16 at `pos`.
pub(crate) fn be16(d: &[u8], pos: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(pos..pos.checked_add(2)?)?.try_into().ok()?))
}

/// Big-endian u32 at `pos`.
pub(crate) fn be32(d: &[u8], pos: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(pos..pos.checked_add(4)?)?.try_into().ok()?))
}

/// Little-endian u16 at `pos`.
pub(crate) fn le16(d: &[u8], pos: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(pos..pos.checked_add(2)?)?.try_into().ok()?))
}

/// Little-endian u32 at `pos`.
pub(crate) fn le32(d: &[u8], pos: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(pos..pos.checked_add(4)?)?.try_into().ok()?))
}

/// Little-endian u64 at `pos`.
pub(crate) fn le64(d: &[u8], pos: usize) -> Option<u64> {
    Some(u64::from_le_bytes(d.get(pos..pos.checked_add(8)?)?.try_into().ok()?))
}

/// Latin-1 bytes as text.
pub(crate) fn latin1(d: &[u8]) -> String {
    d.iter().map(|&b| char::from(b)).collect()
}

/// Fixed-width text field: cut at the first NUL, UTF-8 if valid else Latin-1.
pub(crate) fn fixed_text(d: &[u8]) -> String {
    let end = d.iter().position(|&b| b == 0).unwrap_or(d.len());
    let d = d.get(..end).unwrap_or_default();
    match std::str::from_utf8(d) {
        Ok(s) => s.to_owned(),
        Err(_) => latin1(d),
    }
}

/// A date written `YYYY-MM-DD[THH:MM:SS]` in ExifTool's `YYYY:MM:DD HH:MM:SS` form.
pub(crate) fn exif_date(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            '-' if i < 10 => out.push(':'),
            'T' if i == 10 => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Hex digits of `d`.
pub(crate) fn hex(d: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(d.len() * 2);
    for b in d {
        let _ = write!(s, "{b:02x}");
    }
    s
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

    #[test]
    fn dates_and_text() {
        assert_eq!(exif_date("2021-06-15"), "2021:06:15");
        assert_eq!(exif_date("2021-06-15T12:30:45"), "2021:06:15 12:30:45");
        assert_eq!(fixed_text(b"abc\0def"), "abc");
        assert_eq!(fixed_text(b"caf\xe9"), "caf\u{e9}");
        assert_eq!(hex(&[0, 0xab]), "00ab");
    }
}

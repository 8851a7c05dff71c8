//! Pictures embedded in audio tags: the [`Picture`] each tag format reports, the
//! attached-picture streams ffprobe shows for them, the size of the image they hold, and
//! the FLAC PICTURE block, which native FLAC, Ogg FLAC and Vorbis comments share.

use crate::base::bytes::{Cursor, be16, be32, le16};
use crate::context::Ctx;
use crate::model::{BinaryRef, Stream, StreamKind, Tag, Value};

/// Group of the FLAC PICTURE tags.
const FLAC_GROUP: &str = "FLAC";

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

/// Emits the tags of a FLAC PICTURE metadata block (native FLAC, Ogg FLAC, and Vorbis
/// comments' `METADATA_BLOCK_PICTURE`) ; `d` may be a prefix of it, `at` is the file
/// offset of the block data (0 when it was decoded from base64).
pub(crate) fn flac_block(cx: &mut Ctx, d: &[u8], at: u64, _total: u64, pics: &mut Vec<Picture>) {
    let mut c = Cursor::new(d);
    let parsed = (|| {
        let ptype = c.be32()?;
        let mlen = c.be32()? as usize;
        let mime = String::from_utf8_lossy(c.take(mlen)?).into_owned();
        let dlen = c.be32()? as usize;
        let desc = String::from_utf8_lossy(c.take(dlen)?).into_owned();
        let nums = [c.be32()?, c.be32()?, c.be32()?, c.be32()?, c.be32()?];
        Some((ptype, mime, desc, nums))
    })();
    let Some((ptype, mime, desc, [w, h, bpp, colors, len])) = parsed else {
        cx.warn(at, "truncated FLAC picture");
        return;
    };
    let add = |cx: &mut Ctx, n: &'static str, v: Value| cx.push(Tag::new(FLAC_GROUP, n, v));
    add(cx, "PictureType", Value::Int(ptype.into()));
    add(cx, "PictureMIMEType", Value::from(mime.clone()));
    add(cx, "PictureDescription", Value::from(desc));
    add(cx, "PictureWidth", Value::Int(w.into()));
    add(cx, "PictureHeight", Value::Int(h.into()));
    add(cx, "PictureBitsPerPixel", Value::Int(bpp.into()));
    add(cx, "PictureIndexedColors", Value::Int(colors.into()));
    add(cx, "PictureLength", Value::Int(len.into()));
    let p = c.pos();
    let offset = if at == 0 { 0 } else { at + p as u64 };
    add(cx, "Picture", Value::Binary(BinaryRef { offset, length: len.into() }));
    let dims = if w > 0 && h > 0 { Some((w, h)) } else { image_dims(d.get(p..).unwrap_or_default()) };
    pics.push(Picture { mime, dims });
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

//! GIF87a/GIF89a: the logical screen descriptor, then a walk over blocks that skips image
//! data sub-block by sub-block (never decoding it) while collecting comments, XMP, ICC
//! profiles, the NETSCAPE loop count, frame count and total delay.

use crate::base::bytes::{Cursor, le16};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Tag;

const GROUP: &str = "GIF";
/// Bytes fetched per window while walking blocks.
const WINDOW: u64 = 64 << 10;
/// Most blocks walked (a frame is 2-3 blocks).
const MAX_BLOCKS: usize = 1_000_000;

/// Sequential byte access over the file in bounded windows (one read per window).
struct Reader {
    start: u64,
    buf: Vec<u8>,
    len: u64,
}

impl Reader {
    fn byte(&mut self, cx: &mut Ctx, pos: u64) -> Result<u8> {
        if pos < self.start || pos >= self.start + self.buf.len() as u64 {
            if pos >= self.len {
                return Err(Error::malformed(pos, "GIF is truncated"));
            }
            self.buf = cx.read_up_to(pos, WINDOW)?;
            self.start = pos;
        }
        self.buf
            .get((pos - self.start) as usize)
            .copied()
            .ok_or_else(|| Error::malformed(pos, "GIF is truncated"))
    }

    /// Copies `n` bytes at `pos` into `out`.
    fn bytes(&mut self, cx: &mut Ctx, mut pos: u64, n: u64, out: &mut Vec<u8>) -> Result<()> {
        let end = pos.saturating_add(n);
        while pos < end {
            self.byte(cx, pos)?; // brings `pos` into the window
            let from = (pos - self.start) as usize;
            let take = ((end - pos) as usize).min(self.buf.len() - from);
            out.extend_from_slice(self.buf.get(from..from + take).unwrap_or_default());
            pos += take as u64;
        }
        Ok(())
    }

    /// Walks the sub-blocks starting at `pos`; returns the offset past the terminator. When
    /// `data` is given the sub-block payloads are appended to it (bounded by `max`).
    fn sub_blocks(
        &mut self,
        cx: &mut Ctx,
        mut pos: u64,
        mut data: Option<&mut Vec<u8>>,
        max: usize,
    ) -> Result<u64> {
        loop {
            let n = u64::from(self.byte(cx, pos)?);
            pos += 1;
            if n == 0 {
                return Ok(pos);
            }
            if let Some(d) = data.as_deref_mut() {
                if d.len() + n as usize > max {
                    let limit = if max == cx.opts.limits.max_alloc { "max_alloc " } else { "" };
                    return Err(Error::limit(
                        pos,
                        format!("GIF extension data exceeds {limit}({max} bytes)"),
                    ));
                }
                self.bytes(cx, pos, n, d)?;
            }
            pos += n;
        }
    }
}

/// Reads the metadata of a GIF file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let head = cx.read(0, 13.min(cx.len()))?;
    // The logical screen descriptor after the version.
    let mut screen = Cursor::at(&head, 6);
    let (Some(version), Some(width), Some(height), Some(flags), Some(background), Some(aspect)) =
        (head.get(3..6), screen.le16(), screen.le16(), screen.u8(), screen.u8(), screen.u8())
    else {
        return Err(Error::malformed(0, "GIF header is truncated"));
    };
    cx.push(Tag::new(GROUP, "GIFVersion", String::from_utf8_lossy(version).into_owned()));
    cx.push(Tag::new(GROUP, "ImageWidth", width));
    cx.push(Tag::new(GROUP, "ImageHeight", height));
    cx.push(Tag::new(GROUP, "HasColorMap", flags >> 7));
    cx.push(Tag::new(GROUP, "ColorResolutionDepth", ((flags >> 4) & 7) + 1));
    cx.push(Tag::new(GROUP, "BitsPerPixel", (flags & 7) + 1));
    cx.push(Tag::new(GROUP, "BackgroundColor", background));
    if aspect != 0 {
        cx.push(Tag::new(GROUP, "PixelAspectRatio", (f64::from(aspect) + 15.0) / 64.0));
    }
    let mut pos = 13u64;
    if flags & 0x80 != 0 {
        pos += 3 << ((flags & 7) + 1);
    }
    let mut r = Reader { start: 0, buf: Vec::new(), len: cx.len() };
    let mut walk = Walk::default();
    if let Err(e) = blocks(cx, &mut r, pos, &mut walk) {
        cx.warn_error(&e);
    }
    if walk.frames > 1 {
        cx.push(Tag::new(GROUP, "FrameCount", walk.frames));
    }
    if walk.delay > 0 {
        cx.push(Tag::new(GROUP, "Duration", walk.delay as f64 / 100.0));
    }
    Ok(())
}

/// What the block walk counted.
#[derive(Default)]
struct Walk {
    frames: u32,
    /// Sum of frame delays in 1/100 s.
    delay: u64,
}

fn blocks(cx: &mut Ctx, r: &mut Reader, mut pos: u64, walk: &mut Walk) -> Result<()> {
    let max = cx.opts.limits.max_alloc;
    for _ in 0..MAX_BLOCKS {
        match r.byte(cx, pos)? {
            0x3B => return Ok(()),
            0x2C => {
                walk.frames += 1;
                let packed = r.byte(cx, pos + 9)?;
                pos += 10;
                if packed & 0x80 != 0 {
                    pos += 3 << ((packed & 7) + 1);
                }
                pos = r.sub_blocks(cx, pos + 1, None, 0)?; // skip LZW code size, then data
            }
            0x21 => {
                let label = r.byte(cx, pos + 1)?;
                pos += 2;
                match label {
                    0xF9 => {
                        let mut d = Vec::new();
                        pos = r.sub_blocks(cx, pos, Some(&mut d), 256)?;
                        if let Some(delay) = le16(&d, 1) {
                            walk.delay += u64::from(delay);
                        }
                    }
                    0xFE => {
                        let mut d = Vec::new();
                        pos = r.sub_blocks(cx, pos, Some(&mut d), max)?;
                        cx.push(Tag::new("File", "Comment", String::from_utf8_lossy(&d).into_owned()));
                    }
                    0xFF => pos = application(cx, r, pos, max)?,
                    _ => pos = r.sub_blocks(cx, pos, None, 0)?,
                }
            }
            b => return Err(Error::malformed(pos, format!("unknown GIF block 0x{b:02x}"))),
        }
    }
    cx.warn(pos, format!("more than {MAX_BLOCKS} GIF blocks; the rest are skipped"));
    Ok(())
}

/// An application extension at `pos` (its first sub-block is the 11-byte identifier).
#[allow(clippy::disallowed_methods)] // length checked against max_alloc above
fn application(cx: &mut Ctx, r: &mut Reader, pos: u64, max: usize) -> Result<u64> {
    let n = u64::from(r.byte(cx, pos)?);
    let mut id = Vec::new();
    r.bytes(cx, pos + 1, n, &mut id)?;
    let data_at = pos + 1 + n;
    match id.as_slice() {
        b"XMP DataXMP" => {
            // The packet is stored raw; a 258-byte "magic trailer" makes the sub-block walk
            // land on the terminator.
            let end = r.sub_blocks(cx, data_at, None, 0)?;
            let len = (end - 1).saturating_sub(data_at);
            if len > max as u64 {
                return Err(Error::limit(
                    data_at,
                    format!("GIF XMP of {len} bytes exceeds max_alloc ({max})"),
                ));
            }
            // The length is that of data walked in the file, within `max_alloc`.
            let mut d = Vec::with_capacity(len as usize);
            r.bytes(cx, data_at, len, &mut d)?;
            let body = strip_magic_trailer(&d);
            if let Err(e) = crate::meta::xmp::parse_packet(cx, body) {
                cx.warn_error(&e);
            }
            Ok(end)
        }
        b"ICCRGBG1012" => {
            let mut d = Vec::new();
            let end = r.sub_blocks(cx, data_at, Some(&mut d), max)?;
            if let Err(e) = crate::meta::icc::parse_profile(cx, &d) {
                cx.warn_error(&e);
            }
            Ok(end)
        }
        b"NETSCAPE2.0" | b"ANIMEXTS1.0" => {
            let mut d = Vec::new();
            let end = r.sub_blocks(cx, data_at, Some(&mut d), 4096)?;
            if let (Some(1), Some(loops)) = (d.first(), le16(&d, 1)) {
                cx.push(Tag::new(GROUP, "AnimationIterations", loops));
            }
            Ok(end)
        }
        _ => r.sub_blocks(cx, data_at, None, 0),
    }
}

/// Drops the XMP magic trailer (0x01, 0xFF, 0xFE ... 0x01) from raw XMP data.
fn strip_magic_trailer(d: &[u8]) -> &[u8] {
    // The trailer is 0x01, 0xFF, 0xFE, ... 0x01 (the final 0x00 is the block terminator
    // the sub-block walk already consumed); cut at its start.
    let from = d.len().saturating_sub(300);
    let tail = d.get(from..).unwrap_or_default();
    match tail.windows(4).position(|w| w == [1, 0xFF, 0xFE, 0xFD]) {
        Some(i) => d.get(..from + i).unwrap_or(d),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util;

    fn gif() -> Vec<u8> {
        let mut v = b"GIF89a\x0a\x00\x05\x00\x80\x00\x31".to_vec();
        v.extend_from_slice(&[0; 6]); // 2-entry global colour table
        v.extend_from_slice(b"\x21\xFF\x0bNETSCAPE2.0\x03\x01\x05\x00\x00");
        v.extend_from_slice(b"\x21\xFE\x05hello\x00");
        for _ in 0..2 {
            v.extend_from_slice(b"\x21\xF9\x04\x00\x14\x00\x00\x00");
            v.extend_from_slice(b"\x2C\0\0\0\0\x0a\x00\x05\x00\x00\x02\x02\x4c\x01\x00");
        }
        v.extend_from_slice(b"\x21\xFF\x0bXMP DataXMP<x/>");
        v.push(1);
        v.extend((0..=255u8).rev());
        v.push(0);
        v.push(0x3B);
        v
    }

    #[test]
    fn screen_animation_and_comment() {
        let t = test_util::parse(&gif(), parse);
        assert_eq!(t.warnings.len(), 0);
        assert_eq!(t.get("GIFVersion"), Some(&Value::Text("89a".into())));
        assert_eq!(t.get("ImageWidth"), Some(&Value::Int(10)));
        assert_eq!(t.get("HasColorMap"), Some(&Value::Int(1)));
        assert_eq!(t.get("BitsPerPixel"), Some(&Value::Int(1)));
        assert_eq!(t.get("PixelAspectRatio"), Some(&Value::Float(1.0)));
        assert_eq!(t.get("AnimationIterations"), Some(&Value::Int(5)));
        assert_eq!(t.get("Comment"), Some(&Value::Text("hello".into())));
        assert_eq!(t.get("FrameCount"), Some(&Value::Int(2)));
        assert_eq!(t.get("Duration"), Some(&Value::Float(0.4)));
        let raw = b"<x/>\x01\xff\xfe";
        assert_eq!(strip_magic_trailer(raw), raw);
    }

    #[test]
    fn truncation_never_panics() {
        let g = gif();
        for n in 0..g.len() {
            let _ = test_util::parse(&g[..n], parse);
        }
        let t = test_util::parse(&g[..40], parse);
        assert_eq!(t.warnings.len(), 1);
        assert_eq!(t.get("ImageHeight"), Some(&Value::Int(5)));
    }
}

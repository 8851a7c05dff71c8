//! ID3 tags: ID3v1/v1.1 (the last 128 bytes) and ID3v2.2/2.3/2.4 (frames, unsynchronisation,
//! extended headers, text encodings, pictures by offset). Frame meanings come from the
//! ID3v2 specifications; names are those ExifTool prints (group `ID3`).

mod frames;
mod text;

use super::picture::Picture;
use crate::base::bytes::{array, be16, be24, be32};
use crate::base::decode::{fixed_text, latin1};
use crate::base::inflate::Wrapper;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::last_wins::LastWins;
use crate::model::{Tag, Value};
use frames::GROUP;
use std::borrow::Cow;

/// Tags this size or smaller are read in one go; larger ones frame by frame.
const WHOLE_TAG: u64 = 64 << 10;
/// Largest frame body read that is neither text nor a picture.
const MAX_FRAME: u64 = 1 << 20;
/// Bytes of a text frame read besides its value (encoding, language, description).
const TEXT_FRAME_HEAD: u64 = 1024;
/// Bytes of a picture frame read for its header fields and image size.
const PICTURE_PREFIX: u64 = 16 << 10;
/// Most frames looked at in one tag.
const MAX_FRAMES: usize = 4096;

/// What an ID3v2 tag told the caller.
#[derive(Debug, Default)]
pub(crate) struct V2 {
    /// Whole tag size (header, frames, padding, footer).
    pub size: u64,
    /// Size without the footer, as ExifTool's `ID3Size` counts it.
    pub counted: u64,
    /// Embedded pictures.
    pub pictures: Vec<Picture>,
}

/// Decodes a synchsafe integer (7 bits per byte); `None` if a high bit is set.
pub(crate) fn synchsafe(b: [u8; 4]) -> Option<u32> {
    if b.iter().any(|x| x & 0x80 != 0) {
        return None;
    }
    Some(b.iter().fold(0u32, |acc, &x| (acc << 7) | u32::from(x)))
}

/// Removes the unsynchronisation scheme (`FF 00` -> `FF`).
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
pub(crate) fn unsync(d: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(d.len());
    let mut prev_ff = false;
    for &b in d {
        if !(prev_ff && b == 0) {
            out.push(b);
        }
        prev_ff = b == 0xff;
    }
    out
}

/// Total size of an ID3v2 tag starting with `hdr` (10 bytes), or `None` if not a tag.
pub(crate) fn v2_size(hdr: &[u8]) -> Option<u64> {
    if hdr.get(..3)? != b"ID3" || *hdr.get(3)? == 0xff {
        return None;
    }
    let size = synchsafe(hdr.get(6..10)?.try_into().ok()?)?;
    let footer = if hdr.get(5)? & 0x10 != 0 { 10 } else { 0 };
    Some(10 + u64::from(size) + footer)
}

/// Where a tag's frames come from: memory (small or unsynchronised tags) or the file.
enum Body {
    Mem(Vec<u8>),
    File(u64),
}

impl Body {
    fn fetch<'b>(&'b self, cx: &mut Ctx, pos: u64, len: u64) -> Result<Cow<'b, [u8]>> {
        match self {
            Body::Mem(d) => {
                let s = usize::try_from(pos).unwrap_or(usize::MAX);
                let e = usize::try_from(pos.saturating_add(len)).unwrap_or(usize::MAX).min(d.len());
                Ok(Cow::Borrowed(d.get(s..e).unwrap_or_default()))
            }
            Body::File(base) => {
                let at = base.saturating_add(pos);
                cx.read_up_to(at, len).map(Cow::Owned)
            }
        }
    }
}

/// Reads the ID3v2 tag at `offset`. Returns `None` if there is none.
pub(crate) fn parse_v2(cx: &mut Ctx, offset: u64) -> Result<Option<V2>> {
    let Ok(hdr) = cx.read_array::<10>(offset) else { return Ok(None) };
    let Some(size) = v2_size(&hdr) else { return Ok(None) };
    let (major, flags) = (hdr[3], hdr[5]);
    let counted = size - if flags & 0x10 != 0 { 10 } else { 0 };
    let mut out = V2 { size, counted, pictures: Vec::new() };
    if !(2..=4).contains(&major) {
        cx.warn(offset, format!("ID3v2.{major} tag not understood"));
        return Ok(Some(out));
    }
    let body_len = size.saturating_sub(10 + if flags & 0x10 != 0 { 10 } else { 0 });
    let avail = cx.len().saturating_sub(offset + 10);
    if body_len > avail {
        cx.warn(offset, "ID3v2 tag runs past the end of the file");
    }
    let body_len = body_len.min(avail);
    let whole_unsync = flags & 0x80 != 0 && major < 4;
    let body = if body_len <= WHOLE_TAG || whole_unsync {
        let max = cx.opts.limits.max_alloc as u64;
        if body_len > max {
            let msg = format!(
                "unsynchronised ID3v2 tag of {body_len} bytes read in part: past max_alloc ({max} bytes)"
            );
            cx.warn(offset, msg);
        }
        let r = cx.read(offset + 10, body_len.min(max));
        let Some(d) = cx.limit_as_warning(r)? else { return Ok(Some(out)) };
        Body::Mem(if whole_unsync { unsync(&d) } else { d })
    } else {
        Body::File(offset + 10)
    };
    let body_len = match &body {
        Body::Mem(d) => d.len() as u64,
        Body::File(_) => body_len,
    };
    if whole_unsync {
        // ExifTool counts an unsynchronised tag at its size once decoded.
        out.counted = out.counted.min(10 + body_len);
    }
    let mut pos = 0u64;
    if flags & 0x40 != 0 && major >= 3 {
        let r = body.fetch(cx, 0, 4);
        let Some(ext) = cx.limit_as_warning(r)? else { return Ok(Some(out)) };
        pos = match (major, array::<4>(&ext, 0), be32(&ext, 0)) {
            (3, _, Some(plain)) => u64::from(plain) + 4,
            (_, Some(raw), Some(plain)) => u64::from(synchsafe(raw).unwrap_or(plain)),
            _ => body_len,
        };
    }
    let id_len: u64 = if major == 2 { 3 } else { 4 };
    let hdr_len: u64 = if major == 2 { 6 } else { 10 };
    let mut frames = Vec::new();
    let mut since = LastWins::default();
    for _ in 0..MAX_FRAMES {
        if pos + hdr_len > body_len {
            break;
        }
        let r = body.fetch(cx, pos, hdr_len);
        let Some(fh) = cx.limit_as_warning(r)? else { break };
        let fh = fh.into_owned();
        if fh.first().is_none_or(|&b| b == 0) {
            break; // padding
        }
        let id = fh.get(..id_len as usize).unwrap_or_default();
        if !id.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            cx.warn(offset + 10 + pos, "ID3v2 frame with a bad ID; rest of the tag skipped");
            break;
        }
        let sizes = if major == 2 {
            be24(&fh, 3).map(|s| (u64::from(s), 0u16))
        } else {
            (|| {
                let (raw, plain, flags) = (array::<4>(&fh, 4)?, u64::from(be32(&fh, 4)?), be16(&fh, 8)?);
                let s = if major == 4 { synchsafe(raw).map_or(plain, u64::from) } else { plain };
                Some((s, flags))
            })()
        };
        let Some((fsize, fflags)) = sizes else { break };
        let data_pos = pos + hdr_len;
        if data_pos + fsize > body_len {
            cx.warn(offset + 10 + pos, "ID3v2 frame runs past the end of the tag");
        }
        let fsize = fsize.min(body_len.saturating_sub(data_pos));
        frames.push((latin1(id), fflags, data_pos, fsize));
        pos = data_pos + fsize;
    }
    for (id, fflags, data_pos, fsize) in frames {
        let picture = matches!(id.as_str(), "APIC" | "PIC");
        // Text is read as far as max_value_len keeps it, pictures only for their fields.
        let most = if picture {
            PICTURE_PREFIX
        } else if frames::is_text(&id) {
            TEXT_FRAME_HEAD + cx.value_read_len() as u64
        } else {
            MAX_FRAME
        };
        if fsize > most && !picture && !frames::is_text(&id) {
            cx.warn(offset + 10 + data_pos, format!("ID3v2 frame {id} of {fsize} bytes skipped"));
            continue;
        }
        let max = cx.opts.limits.max_alloc as u64;
        if fsize.min(most) > max && !picture {
            let msg = format!("ID3v2 frame {id} of {fsize} bytes read in part: past max_alloc ({max} bytes)");
            cx.warn(offset + 10 + data_pos, msg);
        }
        let want = fsize.min(most).min(max);
        let r = body.fetch(cx, data_pos, want);
        let Some(raw) = cx.limit_as_warning(r)? else { break };
        let file_pos = offset + 10 + data_pos;
        let Some((data, skip)) = frame_payload(cx, major, fflags, &raw, file_pos) else { continue };
        let file_pos = file_pos + skip as u64;
        let full = fsize.saturating_sub(skip as u64);
        frames::frame(cx, &mut since, major, &id, &data, (file_pos, full), &mut out.pictures);
    }
    Ok(Some(out))
}

/// Strips per-frame extras (group byte, data length, unsynchronisation) and inflates
/// zlib-compressed frames; `None` for encrypted frames and for compressed ones whose
/// stated size is not what they inflate to (ExifTool skips those too), with a warning.
fn frame_payload<'d>(
    cx: &mut Ctx,
    major: u8,
    flags: u16,
    raw: &'d [u8],
    at: u64,
) -> Option<(Cow<'d, [u8]>, usize)> {
    let (compressed, encrypted, grouped, dli, uns) = match major {
        3 => (flags & 0x80 != 0, flags & 0x40 != 0, flags & 0x20 != 0, flags & 0x80 != 0, false),
        4 => (flags & 0x08 != 0, flags & 0x04 != 0, flags & 0x40 != 0, flags & 0x01 != 0, flags & 0x02 != 0),
        _ => (false, false, false, false, false),
    };
    if encrypted {
        cx.warn(at, "encrypted ID3v2 frame skipped");
        return None;
    }
    // The stated size: plain in v2.3 by the specification, but ExifTool reads it as a
    // synchsafe number, as v2.4's data length indicator is.
    let stated = if dli { Some(synchsafe(array::<4>(raw, usize::from(grouped))?)) } else { None };
    let skip = usize::from(grouped) + if dli { 4 } else { 0 };
    let d = raw.get(skip..)?;
    let d = if uns { Cow::Owned(unsync(d)) } else { Cow::Borrowed(d) };
    if !compressed {
        return Some((d, skip));
    }
    let Some(Some(size)) = stated else {
        cx.warn(at, "compressed ID3v2 frame without a valid size skipped");
        return None;
    };
    let want = usize::try_from(size).unwrap_or(usize::MAX).min(MAX_FRAME as usize);
    let out = cx.inflate(&d, Wrapper::Zlib, at, want, "compressed ID3v2 frame");
    if out.data.len() as u64 != u64::from(size) {
        cx.warn(at, "compressed ID3v2 frame of the wrong length skipped");
        return None;
    }
    Some((Cow::Owned(out.data), skip))
}

/// Reads the ID3v1 tag in the last 128 bytes, if any; returns true if found.
pub(crate) fn parse_v1(cx: &mut Ctx) -> bool {
    let len = cx.len();
    if len < 128 {
        return false;
    }
    let Ok(d) = cx.read(len - 128, 128) else { return false };
    if !d.starts_with(b"TAG") {
        return false;
    }
    let Some(&[zero, track, genre]) = d.get(125..128) else { return false };
    let field = |a: usize, b: usize| {
        let s = fixed_text(d.get(a..b).unwrap_or_default());
        s.trim_end().to_owned()
    };
    let low = |n: &'static str, v: Value| Tag::new(GROUP, n, v).in_subgroup("ID3v1").with_priority(-1);
    for (n, a, b) in [("Title", 3, 33), ("Artist", 33, 63), ("Album", 63, 93), ("Year", 93, 97)] {
        cx.push(low(n, Value::from(field(a, b))));
    }
    if zero == 0 && track != 0 {
        cx.push(low("Comment", Value::from(field(97, 125))));
        cx.push(low("Track", Value::Int(i64::from(track))));
    } else {
        cx.push(low("Comment", Value::from(field(97, 127))));
    }
    cx.push(low("Genre", Value::Int(i64::from(genre))));
    true
}

/// Tags at the start of a file (ID3v2, sometimes two in a row).
#[derive(Debug, Default)]
pub(crate) struct Leading {
    /// Where the data after the tags starts.
    pub end: u64,
    /// ExifTool's `ID3Size` share of these tags (footers not counted).
    pub counted: u64,
    /// Embedded pictures.
    pub pictures: Vec<Picture>,
}

/// Reads the ID3v2 tag at the start of the file. Some files carry a second tag right
/// after it: ExifTool reads only the first and counts the next as audio (its `ID3Size`
/// and duration); we skip the next ones' bytes to find the audio but leave their frames.
pub(crate) fn leading_tags(cx: &mut Ctx) -> Result<Leading> {
    let mut out = Leading::default();
    let Some(first) = parse_v2(cx, 0)? else { return Ok(out) };
    out.end = first.size;
    out.counted = first.counted;
    out.pictures = first.pictures;
    for _ in 0..3 {
        let Ok(hdr) = cx.read_array::<10>(out.end) else { break };
        let Some(size) = v2_size(&hdr) else { break };
        cx.warn(out.end, "second ID3v2 tag not read (ExifTool reads the first only)");
        out.end = out.end.saturating_add(size);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{Parsed, parse};

    #[test]
    fn synchsafe_and_unsync() {
        assert_eq!(synchsafe([0, 0, 0x02, 0x01]), Some(257));
        assert_eq!(synchsafe([0, 0, 0x80, 0]), None);
        assert_eq!(unsync(&[0xff, 0, 0xe0, 0xff, 0, 0]), vec![0xff, 0xe0, 0xff, 0]);
        assert_eq!(v2_size(b"ID3\x03\0\0\0\0\x02\x01"), Some(267));
        assert_eq!(v2_size(b"ID3\x04\0\x10\0\0\0\x01"), Some(21));
    }

    fn ss(n: usize) -> [u8; 4] {
        [(n >> 21) as u8 & 0x7f, (n >> 14) as u8 & 0x7f, (n >> 7) as u8 & 0x7f, n as u8 & 0x7f]
    }

    /// The ID3v2 tag at the start of `data`: what it emitted and what it told the caller.
    fn read_tag(data: &[u8]) -> (Parsed, Option<V2>) {
        let mut v2 = None;
        let found = parse(data, |cx| {
            v2 = parse_v2(cx, 0)?;
            Ok(())
        });
        (found, v2)
    }

    #[test]
    fn v23_unsynchronised_with_extended_header_and_picture() {
        let mut body = vec![0, 0, 0, 6, 0, 0, 0, 0, 0, 0]; // extended header
        body.extend_from_slice(b"TIT2\0\0\0\x05\0\0\0A\xff\xe0B");
        body.extend_from_slice(b"APIC\0\0\0\x14\0\0\0image/png\0\x03d\0\xff\xd8\xff\xd9");
        let unsynced = {
            let mut u = Vec::new();
            for (i, &b) in body.iter().enumerate() {
                u.push(b);
                if b == 0xff && body.get(i + 1).is_some_and(|&n| n & 0xe0 == 0xe0 || n == 0) {
                    u.push(0);
                }
            }
            u
        };
        let mut tag = b"ID3\x03\0\xc0".to_vec();
        tag.extend_from_slice(&ss(unsynced.len()));
        tag.extend_from_slice(&unsynced);
        let (found, v2) = read_tag(&tag);
        assert_eq!(found.shown("ID3:Title"), Some(&Value::Text("A\u{ff}\u{e0}B".into())));
        assert_eq!(found.shown("ID3:PictureMIMEType"), Some(&Value::Text("image/png".into())));
        assert_eq!(found.shown("ID3:PictureType"), Some(&Value::Int(3)));
        assert!(matches!(found.shown("ID3:Picture"), Some(Value::Binary(b)) if b.length == 4));
        assert_eq!(v2.map(|v| v.size), Some(tag.len() as u64));
    }

    #[test]
    fn v24_frame_flags_footer_and_lists() {
        let mut body = Vec::new();
        body.extend_from_slice(b"TPE1");
        body.extend_from_slice(&ss(8));
        body.extend_from_slice(b"\0\0\x03One\0Two");
        body.extend_from_slice(b"TDRC");
        body.extend_from_slice(&ss(17));
        body.extend_from_slice(b"\0\0\x032021-06-15T12:30");
        // Unsynchronised frame with a data length indicator.
        body.extend_from_slice(b"TXXX");
        body.extend_from_slice(&ss(10));
        body.extend_from_slice(b"\0\x03");
        body.extend_from_slice(&ss(6));
        body.extend_from_slice(b"\0d\0\xff\0z");
        // Compressed frame: skipped with a warning.
        body.extend_from_slice(b"TIT2");
        body.extend_from_slice(&ss(6));
        body.extend_from_slice(b"\0\x09\0\0\0\x01x\x9c");
        let mut tag = b"ID3\x04\0\x10".to_vec();
        tag.extend_from_slice(&ss(body.len()));
        tag.extend_from_slice(&body);
        tag.extend_from_slice(b"3DI\x04\0\x10");
        tag.extend_from_slice(&ss(body.len()));
        let (found, v2) = read_tag(&tag);
        assert_eq!(found.shown("ID3:Artist"), Some(&Value::Text("One/Two".into())));
        assert_eq!(found.shown("ID3:RecordingTime"), Some(&Value::Text("2021:06:15 12:30".into())));
        assert_eq!(found.shown("ID3:UserDefinedText"), Some(&Value::Text("(d) \u{ff}z".into())));
        assert_eq!(found.shown("ID3:Title"), None);
        let v2 = v2.unwrap_or_default();
        assert_eq!((v2.size, v2.counted), (tag.len() as u64, tag.len() as u64 - 10));
    }

    #[test]
    fn hostile_sizes() {
        // A frame claiming 256 MiB inside a 30-byte tag, and a tag past the end of the file.
        let mut tag = b"ID3\x03\0\0\0\0\0\x14TIT2\x0f\xff\xff\xff\0\0\0abc".to_vec();
        tag.resize(30, 0);
        let (found, _) = read_tag(&tag);
        assert_eq!(found.shown("ID3:Title"), Some(&Value::Text("abc".into())));
        let (found, v2) = read_tag(b"ID3\x04\0\0\x7f\x7f\x7f\x7fTIT2");
        assert!(found.tags.is_empty());
        assert!(v2.is_some());
        assert!(read_tag(b"ID3\x04\0\0\x80\0\0\0").1.is_none()); // not synchsafe
    }

    #[test]
    fn long_text_is_cut_as_it_is_read() {
        // A real 3 MB comment and a 3 MB private frame in an ID3v2.4 tag.
        let comment = [&b"\x03eng\0"[..], &vec![b'c'; 3_000_000]].concat();
        let private = [&b"owner\0"[..], &vec![0u8; 3_000_000]].concat();
        let mut body = Vec::new();
        for (id, data) in [(b"COMM", &comment), (b"PRIV", &private)] {
            body.extend_from_slice(id);
            body.extend_from_slice(&ss(data.len()));
            body.extend_from_slice(&[0, 0]);
            body.extend_from_slice(data);
        }
        body.extend_from_slice(b"TIT2\0\0\0\x06\0\0\x03title");
        let mut tag = b"ID3\x04\0\0".to_vec();
        tag.extend_from_slice(&ss(body.len()));
        tag.extend_from_slice(&body);
        let run = |limits: crate::options::Limits| {
            let opts = crate::options::Options::default().with_limits(limits);
            crate::test_util::parse_with_options(&tag, &opts, |cx| parse_v2(cx, 0).map(|_| ()))
        };
        let found = run(crate::options::Limits::default().with_max_value_len(1000));
        assert_eq!(found.shown("ID3:Comment"), Some(&Value::Text("c".repeat(1000).into())));
        assert_eq!(found.shown("ID3:Title"), Some(&Value::Text("title".into())));
        let w: Vec<&str> = found.warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            w,
            ["ID3:Comment cut to max_value_len (1000 bytes)", "ID3v2 frame PRIV of 3000006 bytes skipped"]
        );
        // Only what the value keeps was read: 2 KB of the comment, none of the private frame.
        assert!(found.requested < 20_000, "{}", found.requested);
        // Under a small max_alloc the comment is read in part, with a warning naming it.
        let found = run(crate::options::Limits::default().with_max_alloc(100_000));
        assert_eq!(found.shown("ID3:Comment").map(|v| v.to_text().len()), Some(99_995));
        assert!(found.warnings[0].message.contains("read in part: past max_alloc (100000 bytes)"));
        assert_eq!(found.shown("ID3:Title"), Some(&Value::Text("title".into())));
    }
}

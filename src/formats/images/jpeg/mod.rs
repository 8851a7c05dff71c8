//! JPEG: walks the marker segments from SOI to SOS (image data is never read) and hands
//! APP payloads to the shared parsers: EXIF (APP1), XMP and Extended XMP (APP1), ICC
//! profiles (APP2, reassembled), Photoshop IRB (APP13). JFIF (APP0), COM and SOFn give
//! their own tags.
//!
//! Payloads spread over several segments (Photoshop, ICC, Extended XMP, FLIR, JUMBF) are
//! held until the walk is done, all together within `max_alloc` (see [`Pending::hold`]):
//! past it, a kind stops collecting with a warning and what it collected is parsed. A
//! payload in one segment (EXIF, XMP) is parsed at once and dropped, so many of them keep
//! memory flat.

use crate::base::bytes::{array, be16, be32};
use crate::base::decode::utf16_until_nul;
use crate::base::number::push_u64;
use crate::base::short_text::{Out, ShortText};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::meta;
use crate::model::Text;
use std::borrow::Cow;

mod appn;
mod flashpix;
mod flir;
mod infiray;
mod jumbf;
mod qualcomm;
mod trailer;
mod vendor;

/// Most segments walked before giving up (a JPEG header has a few dozen).
const MAX_SEGMENTS: usize = 4096;

const XMP_SIG: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXT_SIG: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";

/// Reads the metadata of a JPEG file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let end = cx.len();
    let r = walk(cx, 0, end);
    trailer::parse(cx);
    r
}

/// Reads the metadata of a JPEG stored at `offset` (`len` bytes) inside another file
/// (RAF preview, RW2 JpgFromRaw).
pub(crate) fn parse_embedded(cx: &mut Ctx, offset: u64, len: u64) -> Result<()> {
    let end = offset.checked_add(len).filter(|e| *e <= cx.len()).unwrap_or(cx.len());
    walk(cx, offset, end)
}

/// Payloads spread over several segments, assembled once the walk is done.
#[derive(Default)]
struct Pending {
    /// The ICC_PROFILE chunks: sequence number and data.
    icc: Vec<(u8, Held)>,
    /// The data of the Photoshop APP13 segments, in file order.
    photoshop: Vec<Held>,
    /// File position and length of the main XMP packet (read again only when Extended
    /// XMP follows, to find its GUID).
    xmp_at: Option<(u64, u64)>,
    ext: Vec<ExtChunk>,
    comment: Option<String>,
    fpxr: flashpix::Fpxr,
    flir: flir::Flir,
    jumbf: jumbf::Jumbf,
    /// An InfiRay "IJPEG" APP2 was seen: APP2..APP9 follow its layouts.
    infiray: bool,
    /// Bytes of segment data held by the payloads above, against `max_alloc`.
    held: u64,
    /// The kinds of payload that stopped collecting at `max_alloc`.
    stopped: Vec<&'static str>,
}

impl Pending {
    /// Takes `len` more bytes of `what` (a segment at `off`) into the data held for after
    /// the walk, all payloads together within `max_alloc`: each holds at most that, and
    /// assembling one then takes at most as much again. Past it, that kind of payload
    /// stops collecting (false from then on) with one warning that names the limit.
    fn hold(&mut self, cx: &mut Ctx, what: &'static str, len: usize, off: u64) -> bool {
        if self.stopped.contains(&what) {
            return false;
        }
        let max = cx.opts.limits.max_alloc;
        let held = self.held.saturating_add(len as u64);
        if held <= max as u64 {
            self.held = held;
            return true;
        }
        self.stopped.push(what);
        cx.warn(off, format!("jpeg: {what} past max_alloc ({max} bytes held); the rest is not collected"));
        false
    }
}

/// Segment data kept for after the walk: where it sits in the file and how long it is,
/// and a copy only when it cannot be taken from the input held in memory.
struct Held {
    at: u64,
    len: usize,
    copy: Option<Vec<u8>>,
}

impl Held {
    /// The segment data `data`, found at `at` in the file: copied only when it is not a
    /// slice of the input held in `memory`.
    fn new(at: u64, data: &[u8], memory: Option<&[u8]>) -> Self {
        let mut held = Held { at, len: data.len(), copy: None };
        // In memory, the segment read is a slice of the input: the same bytes at `at`.
        if held.data(memory).as_ptr_range() != data.as_ptr_range() {
            held.copy = Some(data.to_vec());
        }
        held
    }

    /// The data, from the input held in memory or from the copy.
    fn data<'a>(&'a self, memory: Option<&'a [u8]>) -> &'a [u8] {
        match &self.copy {
            Some(copy) => copy,
            None => self.in_memory(memory),
        }
    }

    /// The data's place in the input held in `memory` (empty when it is not there).
    fn in_memory<'m>(&self, memory: Option<&'m [u8]>) -> &'m [u8] {
        let (Some(mem), Ok(at)) = (memory, usize::try_from(self.at)) else { return &[] };
        at.checked_add(self.len).and_then(|end| mem.get(at..end)).unwrap_or_default()
    }
}

/// The data of `parts` end to end, consumed: one part is its copy or borrowed from the
/// input held in `memory`; several are joined into one buffer of the exact length, each
/// part's copy dropped as soon as it is in (so the parts and the whole are not all held
/// at once).
#[allow(clippy::disallowed_methods)] // sizes of segments already read, within max_alloc
fn joined<'m>(mut parts: Vec<Held>, memory: Option<&'m [u8]>) -> Cow<'m, [u8]> {
    if parts.len() == 1 {
        if let Some(one) = parts.pop() {
            return match one.copy {
                Some(copy) => Cow::Owned(copy),
                None => Cow::Borrowed(one.in_memory(memory)),
            };
        }
    }
    let mut buf = Vec::with_capacity(parts.iter().map(|h| h.len).sum());
    for part in parts {
        match part.copy {
            Some(copy) => buf.extend_from_slice(&copy),
            None => buf.extend_from_slice(part.in_memory(memory)),
        }
    }
    Cow::Owned(buf)
}

/// One Extended XMP chunk; its data is copied only when the input is not in memory (in
/// memory, it is taken from the input itself when the packet is assembled).
struct ExtChunk {
    guid: [u8; 32],
    full: u32,
    offset: u32,
    data: Held,
}

fn walk(cx: &mut Ctx, start: u64, end: u64) -> Result<()> {
    let soi = cx.read_array::<2>(start)?;
    if soi != [0xFF, 0xD8] {
        return Err(Error::malformed(start, "jpeg: no SOI marker"));
    }
    let mut pos = start + 2;
    let mut pending = Pending::default();
    let mut result = Ok(());
    let mut prev = 0xD8;
    let mut resyncs = 0;
    for _ in 0..MAX_SEGMENTS {
        if pos + 2 > end {
            cx.warn(pos, "jpeg: ended before the image data (no SOS)");
            break;
        }
        let m = cx.read_array::<2>(pos)?;
        if m[0] != 0xFF {
            // Junk between segments: the next marker is looked for, as ExifTool does.
            resyncs += 1;
            let next = if resyncs <= MAX_RESYNCS { resync(cx, pos, end)? } else { None };
            match next {
                Some(next) => {
                    let name = marker_name(prev);
                    cx.warn(
                        pos,
                        format!("[minor] Skipped unknown {} bytes after JPEG {name} segment", next - pos),
                    );
                    pos = next;
                    continue;
                }
                None => {
                    cx.warn(pos, format!("jpeg: expected a marker, found 0x{:02x}", m[0]));
                    break;
                }
            }
        }
        let marker = m[1];
        prev = marker;
        if marker == 0xFF {
            pos += 1; // fill byte
            continue;
        }
        if matches!(marker, 0x01 | 0xD0..=0xD8) {
            pos += 2;
            continue;
        }
        if marker == 0xD9 || marker == 0xDA {
            break;
        }
        if pos + 4 > end {
            cx.warn(pos, "jpeg: truncated segment header");
            break;
        }
        let l = cx.read_array::<2>(pos + 2)?;
        let seg_len = u64::from(be16(&l, 0).unwrap_or_default());
        if seg_len < 2 {
            result = Err(Error::malformed(pos, format!("jpeg: segment 0x{marker:02x} length < 2")));
            break;
        }
        let body_off = pos + 4;
        let body_len = seg_len - 2;
        if body_off + body_len > end {
            cx.warn(pos, format!("jpeg: segment 0x{marker:02x} runs past the end"));
            let avail = end.saturating_sub(body_off);
            if matches!(marker, 0xE1 | 0xC0..=0xCF) && avail > 0 {
                let body = cx.read_cow(body_off, avail)?;
                segment(cx, marker, &body, body_off, &mut pending);
            }
            break;
        }
        if wants(marker) {
            let body = cx.read_cow(body_off, body_len)?;
            segment(cx, marker, &body, body_off, &mut pending);
        }
        pos = body_off + body_len;
    }
    finish(cx, pending);
    result
}

/// Most bytes of junk searched for the next marker, and most searches in one file.
const MAX_RESYNC: u64 = 64 << 10;
const MAX_RESYNCS: u32 = 16;

/// The position of the next segment marker (0xFF and a marker byte that starts a
/// segment) after junk at `pos`, searched within [`MAX_RESYNC`] bytes.
fn resync(cx: &mut Ctx, pos: u64, end: u64) -> Result<Option<u64>> {
    let len = end.saturating_sub(pos).min(MAX_RESYNC);
    let buf = cx.read_cow(pos, len)?;
    let found = buf.windows(2).position(|w| w[0] == 0xFF && matches!(w[1], 0xC0..=0xFE) && w[1] != 0xD8);
    Ok(found.map(|i| pos + i as u64))
}

/// A marker's name as ExifTool writes it in warnings (`DQT`, `APP5`, `SOF0`...).
fn marker_name(m: u8) -> String {
    match m {
        0xD8 => "SOI".into(),
        0xC4 => "DHT".into(),
        0xCC => "DAC".into(),
        0xDB => "DQT".into(),
        0xDD => "DRI".into(),
        0xFE => "COM".into(),
        0xC0..=0xCF => format!("SOF{}", m - 0xC0),
        0xE0..=0xEF => format!("APP{}", m - 0xE0),
        _ => format!("0x{m:02x}"),
    }
}

/// Whether the walker reads the body of segments with this marker.
fn wants(marker: u8) -> bool {
    appn::wants(marker)
        || matches!(marker, 0xE0 | 0xE1 | 0xE2 | 0xEA | 0xED | 0xFE | 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF)
}

fn segment(cx: &mut Ctx, marker: u8, body: &[u8], off: u64, p: &mut Pending) {
    match marker {
        0xE0 if body.starts_with(b"JFIF\0") && body.len() >= 12 => jfif(cx, body),
        0xE1 if body.starts_with(b"Exif\0") => {
            let data = body.get(6..).unwrap_or_default();
            if let Err(e) = meta::exif::parse_block(cx, data, off + 6) {
                cx.warn_error(&e);
            }
        }
        0xE1 if body.starts_with(XMP_SIG) => {
            let data = body.get(XMP_SIG.len()..).unwrap_or_default();
            p.xmp_at = Some((off + XMP_SIG.len() as u64, data.len() as u64));
            if let Err(e) = meta::xmp::parse_packet(cx, data) {
                cx.warn_error(&e);
            }
        }
        0xE1 if body.starts_with(XMP_EXT_SIG) => {
            let d = body.get(XMP_EXT_SIG.len()..).unwrap_or_default();
            // GUID (32 hex digits), full length, offset of this part, the part.
            let (Some(g), Some(full), Some(offset), Some(data)) =
                (array::<32>(d, 0), be32(d, 32), be32(d, 36), d.get(40..))
            else {
                cx.warn(off, "jpeg: short Extended XMP segment");
                return;
            };
            if p.ext.len() < 1024 && p.hold(cx, "Extended XMP", data.len(), off) {
                let at = off + (XMP_EXT_SIG.len() + 40) as u64;
                let data = Held::new(at, data, cx.source().as_slice());
                p.ext.push(ExtChunk { guid: g, full, offset, data });
            }
        }
        0xE2 if body.starts_with(b"ICC_PROFILE\0") && body.len() >= 14 && p.icc.len() < 256 => {
            // The chunk's sequence number (from 1), the chunk count, then the data.
            let seq = body.get(12).copied().unwrap_or_default();
            let data = body.get(14..).unwrap_or_default();
            if p.hold(cx, "ICC profile", data.len(), off) {
                p.icc.push((seq, Held::new(off + 14, data, cx.source().as_slice())));
            }
        }
        0xE1 if body.starts_with(b"FLIR\0") => {
            if p.hold(cx, "FLIR data", body.len(), off) {
                p.flir.segment(cx, body, off);
            }
        }
        0xE2 if body.starts_with(b"FPXR\0") => p.fpxr.segment(cx, body),
        0xEB if body.starts_with(b"JP") => {
            if p.hold(cx, "JUMBF data", body.len(), off) {
                p.jumbf.segment(cx, body);
            }
        }
        0xE2 if infiray::is_header(body) => {
            p.infiray = true;
            infiray::segment(cx, marker, body);
        }
        0xE3..=0xE9 if p.infiray => infiray::segment(cx, marker, body),
        0xED if body.starts_with(b"Photoshop 3.0\0") => {
            let data = body.get(14..).unwrap_or_default();
            if p.hold(cx, "Photoshop APP13 data", data.len(), off) {
                p.photoshop.push(Held::new(off + 14, data, cx.source().as_slice()));
            }
        }
        0xFE if p.comment.is_none() => {
            let end = body.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
            p.comment = Some(String::from_utf8_lossy(body.get(..end).unwrap_or_default()).into_owned());
        }
        // PhotoStudio's UTF-16 comment.
        0xEA if body.starts_with(b"UNICODE\0") && p.comment.is_none() => {
            let text = body.get(8..).unwrap_or_default();
            // Byte order is not stated: the zero half of ASCII-range units tells.
            let little = text.first() != Some(&0);
            p.comment = Some(utf16_until_nul(text, little));
        }
        0xC0..=0xCF => sof(cx, marker, body, off),
        _ => appn::segment(cx, marker, body, off),
    }
}

/// `"0 0"`, `"0 1"` ... `"9 9"`, three bytes each: the pairs of one-digit numbers.
const DIGIT_PAIRS: &str = {
    const BYTES: [u8; 300] = {
        let mut b = [0u8; 300];
        let mut i = 0;
        while i < 100 {
            b[3 * i] = b'0' + (i / 10) as u8;
            b[3 * i + 1] = b' ';
            b[3 * i + 2] = b'0' + (i % 10) as u8;
            i += 1;
        }
        b
    };
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => "",
    }
};

/// Two small numbers with a space between (`1 1`, `2 2`), as ExifTool prints such pairs:
/// built inline, without the formatting machinery.
fn number_pair(a: u8, b: u8) -> Text {
    if a < 10 && b < 10 {
        let at = usize::from(a) * 30 + usize::from(b) * 3;
        if let Some(pair) = DIGIT_PAIRS.get(at..at + 3) {
            return Text::new(pair);
        }
    }
    let mut t = ShortText::new();
    push_u64(u64::from(a), &mut t);
    t.push(' ');
    push_u64(u64::from(b), &mut t);
    t.finish()
}

/// The JFIF header (`body` at least 12 bytes): version, density unit and densities.
fn jfif(cx: &mut Ctx, body: &[u8]) {
    let (Some(&[major, minor, unit]), Some(x), Some(y)) = (body.get(5..8), be16(body, 8), be16(body, 10))
    else {
        return;
    };
    cx.add("JFIF", "JFIFVersion", number_pair(major, minor));
    cx.add("JFIF", "ResolutionUnit", unit);
    cx.add("JFIF", "XResolution", x);
    cx.add("JFIF", "YResolution", y);
}

/// Start-of-frame: dimensions, precision, components and chroma subsampling.
fn sof(cx: &mut Ctx, marker: u8, b: &[u8], off: u64) {
    let (Some(&bits), Some(height), Some(width), Some(&comps)) =
        (b.first(), be16(b, 1), be16(b, 3), b.get(5))
    else {
        cx.warn(off, "jpeg: short SOF segment");
        return;
    };
    cx.add("File", "ImageWidth", width);
    cx.add("File", "ImageHeight", height);
    cx.add("File", "EncodingProcess", marker - 0xC0);
    cx.add("File", "BitsPerSample", bits);
    cx.add("File", "ColorComponents", comps);
    if comps == 3 {
        // Sampling factors of each component: (id, h<<4|v, table).
        let f = [0, 1, 2].map(|i| b.get(7 + 3 * i).map(|s| (s >> 4, s & 15)));
        if let [Some((h0, v0)), Some((h1, v1)), Some((h2, v2))] = f {
            if h1 == h2 && v1 == v2 && h1 > 0 && v1 > 0 && h0 % h1 == 0 && v0 % v1 == 0 {
                cx.add("File", "YCbCrSubSampling", number_pair(h0 / h1, v0 / v1));
            }
        }
    }
}

/// The Extended XMP packet of declared length `full` from its chunks (offset, data), in
/// one buffer no larger than the data present (never zero-filled to the declared length):
/// the chunks in order of offset, each from where the ones before it ended (repeats and
/// overlaps skipped), gaps left out. Also whether the chunks covered the packet end to
/// end, and the offsets of chunks running past `full` (left out).
#[allow(clippy::disallowed_methods)] // sizes of segments already read, within max_alloc
fn assemble<'a>(chunks: impl Iterator<Item = (u32, &'a [u8])>, full: u64) -> (Vec<u8>, bool, Vec<u32>) {
    let mut parts: Vec<(u32, &[u8])> = chunks.collect();
    parts.sort_by_key(|p| p.0);
    let mut outside = Vec::new();
    parts.retain(|(offset, data)| {
        let inside = u64::from(*offset) + data.len() as u64 <= full;
        if !inside {
            outside.push(*offset);
        }
        inside
    });
    let present: usize = parts.iter().map(|(_, d)| d.len()).sum();
    let mut buf = Vec::with_capacity(present.min(usize::try_from(full).unwrap_or(usize::MAX)));
    let (mut next, mut gap) = (0u64, false);
    for (offset, data) in parts {
        let (start, end) = (u64::from(offset), u64::from(offset) + data.len() as u64);
        if end <= next {
            continue;
        }
        gap |= start > next;
        let skip = usize::try_from(next.saturating_sub(start)).unwrap_or(0);
        buf.extend_from_slice(data.get(skip..).unwrap_or_default());
        next = end;
    }
    (buf, !gap && next == full && full > 0, outside)
}

/// The GUID named by `xmpNote:HasExtendedXMP` in the main XMP packet, if any.
fn extended_guid(xmp: &[u8]) -> Option<String> {
    let key = b"HasExtendedXMP";
    let mut i = 0;
    loop {
        let at = xmp.get(i..)?.iter().position(|b| *b == b'H')? + i;
        if xmp.get(at..at + key.len()) == Some(&key[..]) {
            i = at + key.len();
            break;
        }
        i = at + 1;
    }
    let rest = xmp.get(i..i + 64)?;
    let start = rest.iter().position(|b| b.is_ascii_hexdigit())?;
    let guid = rest.get(start..start + 32)?;
    guid.iter().all(u8::is_ascii_hexdigit).then(|| String::from_utf8_lossy(guid).into_owned())
}

fn finish(cx: &mut Ctx, p: Pending) {
    p.fpxr.finish(cx);
    p.flir.finish(cx);
    p.jumbf.finish(cx);
    if let Some(c) = p.comment {
        cx.add("File", "Comment", c);
    }
    let memory = cx.source().as_slice();
    if let Some(at) = p.photoshop.first().map(|h| h.at) {
        let data = joined(p.photoshop, memory);
        if let Err(e) = meta::photoshop::parse_irb(cx, &data, at) {
            cx.warn_error(&e);
        }
    }
    if !p.icc.is_empty() {
        let mut chunks = p.icc;
        chunks.sort_by_key(|c| c.0);
        let data = joined(chunks.into_iter().map(|(_, h)| h).collect(), memory);
        if let Err(e) = meta::icc::parse_profile(cx, &data) {
            cx.warn_error(&e);
        }
    }
    if let Some(first) = p.ext.first() {
        let main = p.xmp_at.and_then(|(o, l)| cx.read_cow(o, l).ok());
        let known = main.as_deref().and_then(extended_guid);
        let guid = known.as_deref().map(str::as_bytes).unwrap_or(&first.guid);
        let full = u64::from(first.full);
        let max = cx.opts.limits.max_alloc;
        if full > max as u64 {
            cx.warn(first.data.at, format!("jpeg: Extended XMP of {full} bytes exceeds max_alloc ({max})"));
            return;
        }
        let matching = p.ext.iter().filter(|c| c.guid[..] == *guid && u64::from(c.full) == full);
        let (buf, complete, outside) = assemble(matching.map(|c| (c.offset, c.data.data(memory))), full);
        for _ in outside {
            cx.warn(None, "jpeg: Extended XMP chunk out of range");
        }
        if buf.is_empty() {
            cx.warn(None, "jpeg: Extended XMP does not match the main packet's GUID");
            return;
        }
        if !complete {
            cx.warn(None, "jpeg: Extended XMP incomplete");
        }
        if let Err(e) = meta::xmp::parse_packet(cx, &buf) {
            cx.warn_error(&e);
        }
    }
}

#[cfg(test)]
mod tests;

//! PNG and APNG (ISO/IEC 15948, W3C PNG 3rd edition): a walk over chunk headers by
//! offset. Image data (`IDAT`, `fdAT`) is skipped, never read; metadata chunks after the
//! image data are still read, as ExifTool does. CRCs are not checked.
//!
//! In a large file, walking every `IDAT` header would touch the whole file (each header
//! read pulls in a read-ahead block). Instead, the chunks after the image data are found
//! from the file's last 64 KiB: the earliest chain of well-formed non-image chunks that
//! ends with `IEND` exactly at the end of the file. When there is no such chain (trailing
//! garbage, or more than 64 KiB of trailing metadata) the walk goes on chunk by chunk.
//! The search first tries the few places where the kind code `IDAT` or `fdAT` occurs (a
//! SIMD substring search) and falls back to a pass over every byte only when none of them
//! leads to the end.
//! Input held in memory is always walked chunk by chunk: there, a header costs no read,
//! and walking them is far cheaper than searching 64 KiB.

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{BinaryRef, IntoName, Tag, Value};
use std::borrow::Cow;

const GROUP: &str = "PNG";
const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
/// Most chunks walked; a PNG of 2 GB with 32 KB IDATs has ~65,000.
const MAX_CHUNKS: usize = 200_000;
/// Image data longer than this is skipped by looking at the file's tail.
const TAIL_SKIP_MIN: u64 = 256 << 10;
/// How much of the file's end is searched for the chunks after the image data.
const TAIL_WINDOW: u64 = 64 << 10;

/// Reads the metadata of a PNG or APNG file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let sig = cx.read_array::<8>(0)?;
    if &sig != SIGNATURE {
        return Err(Error::malformed(0, "not a PNG signature"));
    }
    let len = cx.len();
    let mut pos = 8u64;
    let mut seen_idat = false;
    let mut warned_late = false;
    let mut color_type = 0u8;
    let in_memory = cx.source().as_slice().is_some();
    for _ in 0..MAX_CHUNKS {
        if pos >= len {
            cx.warn(pos, "PNG ends without IEND");
            return Ok(());
        }
        let head = match cx.read(pos, 8) {
            Ok(h) => h,
            Err(e) => {
                cx.warn_error(&e);
                return Ok(());
            }
        };
        let size = u64::from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]));
        let kind = [head[4], head[5], head[6], head[7]];
        let body_at = pos + 8;
        let next = body_at + size + 4;
        if body_at + size > len {
            cx.warn(pos, format!("PNG chunk '{}' runs past the end of the file", kind_text(&kind)));
            return Ok(());
        }
        match &kind {
            b"IEND" => return Ok(()),
            b"IDAT" | b"fdAT" => {
                if !seen_idat && !in_memory && len - pos > TAIL_SKIP_MIN {
                    if let Some(after) = chunks_after_image(cx, pos) {
                        seen_idat = true;
                        pos = after;
                        continue;
                    }
                }
                seen_idat = true;
            }
            _ => {
                let is_meta = matches!(&kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"zxIf");
                if seen_idat && is_meta && !warned_late {
                    warned_late = true;
                    cx.warn(pos, "[minor] Text/EXIF chunk(s) found after PNG IDAT");
                }
                if wants_body(&kind) {
                    match cx.read(body_at, size) {
                        Ok(body) => {
                            if let Err(e) = chunk(cx, &kind, &body, body_at, &mut color_type) {
                                cx.warn_error(&e);
                            }
                        }
                        Err(e) => cx.warn_error(&e),
                    }
                } else {
                    skipped_chunk(cx, &kind, body_at, size);
                }
            }
        }
        pos = next;
    }
    cx.warn(pos, format!("more than {MAX_CHUNKS} PNG chunks; the rest are skipped"));
    Ok(())
}

/// The offset of the first chunk after the image data that starts at `idat`, found in the
/// file's tail (see the module docs), or `None` when the tail does not show it plainly.
fn chunks_after_image(cx: &mut Ctx, idat: u64) -> Option<u64> {
    let len = cx.len();
    let start = len.saturating_sub(TAIL_WINDOW).max(idat + 8);
    let tail = cx.read(start, len - start).ok()?;
    let iend = tail.len().checked_sub(12)?;
    if tail.get(iend..iend + 8)? != b"\0\0\0\0IEND" {
        return None;
    }
    let after = after_last_image_chunk(&tail, iend).unwrap_or_else(|| chain_start_by_full_pass(&tail, iend));
    Some(start + after as u64)
}

/// Most image-data kind codes tried by [`after_last_image_chunk`] before the full pass.
const MAX_IMAGE_CANDIDATES: usize = 16;

/// The common case, cheaply: the successor of the last image-data chunk of `tail` from
/// which a chain reaches the `IEND` at `iend`. Candidates come from a search for the kind
/// codes `IDAT` and `fdAT`, tried from the last; `None` (decide by the full pass) when none
/// of the first few chains to the end. Gives what [`chain_start_by_full_pass`] gives
/// whenever it gives anything.
fn after_last_image_chunk(tail: &[u8], iend: usize) -> Option<usize> {
    let search = |kind: &'static [u8]| memchr::memmem::find_iter(tail, kind).filter_map(|k| k.checked_sub(4));
    let mut candidates: Vec<usize> = search(b"IDAT").chain(search(b"fdAT")).filter(|&q| q < iend).collect();
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    let mut chain_ends = candidates.into_iter().take(MAX_IMAGE_CANDIDATES).filter_map(|q| successor(tail, q));
    chain_ends.find(|&next| chains_to_end(tail, next, iend))
}

/// The offset just past the chunk whose header is at `q` (length, kind, body, CRC), when
/// the header is there and the chunk ends inside `tail` before its last byte.
fn successor(tail: &[u8], q: usize) -> Option<usize> {
    let h = tail.get(q..q + 8)?;
    let size = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as usize;
    q.checked_add(12)?.checked_add(size).filter(|&v| v < tail.len())
}

/// Whether the well-formed chunks from `p` on (letters for kind codes) lead exactly to
/// the `IEND` at `iend`.
fn chains_to_end(tail: &[u8], mut p: usize, iend: usize) -> bool {
    while p < iend {
        let letters = tail.get(p + 4..p + 8).is_some_and(|k| k.iter().all(u8::is_ascii_alphabetic));
        match successor(tail, p).filter(|_| letters) {
            Some(next) => p = next,
            None => return false,
        }
    }
    p == iend
}

/// One backward pass over `tail` marks the positions from which a chain of well-formed
/// chunks reaches the `IEND` at `iend`; it stops at the last image-data chunk whose
/// successor is such a position, or else takes the earliest position found.
fn chain_start_by_full_pass(tail: &[u8], iend: usize) -> usize {
    let mut reaches_end = vec![false; tail.len()];
    reaches_end[iend] = true;
    let mut earliest = iend;
    for q in (0..iend).rev() {
        let Some(kind) = tail.get(q + 4..q + 8) else { continue };
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            continue;
        }
        let Some(next) = successor(tail, q) else { continue };
        if !reaches_end[next] {
            continue;
        }
        if kind == b"IDAT" || kind == b"fdAT" {
            return next;
        }
        reaches_end[q] = true;
        earliest = q;
    }
    earliest
}

/// For fuzzing: whether the candidate search agrees with the full pass on `tail` with an
/// `IEND` chunk appended, whenever it answers.
pub(crate) fn tail_searches_agree(tail: &[u8]) -> bool {
    let mut t = tail.to_vec();
    t.extend_from_slice(b"\0\0\0\0IEND\xAE\x42\x60\x82");
    let iend = t.len() - 12;
    after_last_image_chunk(&t, iend).is_none_or(|fast| fast == chain_start_by_full_pass(&t, iend))
}

fn kind_text(kind: &[u8; 4]) -> String {
    kind.iter().map(|&b| if b.is_ascii_graphic() { b as char } else { '?' }).collect()
}

/// Chunks whose body we read (all small, metadata-only).
fn wants_body(kind: &[u8; 4]) -> bool {
    matches!(
        kind,
        b"IHDR"
            | b"tEXt"
            | b"zTXt"
            | b"iTXt"
            | b"eXIf"
            | b"iCCP"
            | b"tIME"
            | b"pHYs"
            | b"gAMA"
            | b"cHRM"
            | b"sRGB"
            | b"bKGD"
            | b"sBIT"
            | b"acTL"
            | b"oFFs"
            | b"cICP"
    )
}

/// Chunks reported by reference only.
fn skipped_chunk(cx: &mut Ctx, kind: &[u8; 4], at: u64, size: u64) {
    let name = match kind {
        b"PLTE" => "Palette",
        b"tRNS" => "Transparency",
        _ => return,
    };
    cx.push(Tag::new(GROUP, name, BinaryRef { offset: at, length: size }));
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    let b = d.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn be16(d: &[u8], at: usize) -> Option<u16> {
    let b = d.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

fn add(cx: &mut Ctx, name: impl IntoName, v: impl Into<Value>) {
    cx.push(Tag::new(GROUP, name, v));
}

fn short(at: u64, what: &str) -> Error {
    Error::malformed(at, format!("PNG {what} chunk is too short"))
}

/// Interprets one metadata chunk.
fn chunk(cx: &mut Ctx, kind: &[u8; 4], b: &[u8], at: u64, color_type: &mut u8) -> Result<()> {
    match kind {
        b"IHDR" => {
            let (Some(w), Some(h), Some(f)) = (be32(b, 0), be32(b, 4), b.get(8..13)) else {
                return Err(short(at, "IHDR"));
            };
            *color_type = f[1];
            add(cx, "ImageWidth", w);
            add(cx, "ImageHeight", h);
            for (name, v) in ["BitDepth", "ColorType", "Compression", "Filter", "Interlace"].iter().zip(f) {
                add(cx, *name, *v);
            }
        }
        b"tEXt" => {
            let (key, text) = split_nul(b).ok_or_else(|| short(at, "tEXt"))?;
            let text: String = text.iter().map(|&c| c as char).collect();
            text_chunk(cx, key, "", Cow::Owned(text), at);
        }
        b"zTXt" => {
            let (key, rest) = split_nul(b).ok_or_else(|| short(at, "zTXt"))?;
            let data = inflate(cx, rest.get(1..).unwrap_or_default(), at)?;
            let text: String = data.iter().map(|&c| c as char).collect();
            text_chunk(cx, key, "", Cow::Owned(text), at);
        }
        b"iTXt" => itxt(cx, b, at)?,
        b"eXIf" => {
            let body = b.strip_prefix(b"Exif\0\0").unwrap_or(b);
            let off = at + (b.len() - body.len()) as u64;
            crate::meta::exif::parse_block(cx, body, off)?;
        }
        b"iCCP" => {
            let (name, rest) = split_nul(b).ok_or_else(|| short(at, "iCCP"))?;
            add(cx, "ProfileName", latin1(name));
            let data = inflate(cx, rest.get(1..).unwrap_or_default(), at)?;
            crate::meta::icc::parse_profile(cx, &data)?;
        }
        b"tIME" => {
            let (Some(y), Some(t)) = (be16(b, 0), b.get(2..7)) else { return Err(short(at, "tIME")) };
            let date = format!("{y:04}:{:02}:{:02} {:02}:{:02}:{:02}", t[0], t[1], t[2], t[3], t[4]);
            add(cx, "ModifyDate", date);
        }
        b"pHYs" => {
            let (Some(x), Some(y), Some(u)) = (be32(b, 0), be32(b, 4), b.get(8)) else {
                return Err(short(at, "pHYs"));
            };
            add(cx, "PixelsPerUnitX", x);
            add(cx, "PixelsPerUnitY", y);
            add(cx, "PixelUnits", *u);
        }
        b"gAMA" => {
            let g = be32(b, 0).ok_or_else(|| short(at, "gAMA"))?;
            let gamma = if g == 0 { 0.0 } else { 100_000.0 / f64::from(g) };
            add(cx, "Gamma", round_sig(gamma, 4));
        }
        b"cHRM" => {
            let names = ["WhitePointX", "WhitePointY", "RedX", "RedY", "GreenX", "GreenY", "BlueX", "BlueY"];
            for (i, name) in names.iter().enumerate() {
                if let Some(v) = be32(b, 4 * i) {
                    add(cx, *name, f64::from(v) / 100_000.0);
                }
            }
        }
        b"sRGB" => add(cx, "SRGBRendering", *b.first().ok_or_else(|| short(at, "sRGB"))?),
        b"bKGD" => {
            let v: Value = match (*color_type, b.len()) {
                (3, _) => Value::from(*b.first().ok_or_else(|| short(at, "bKGD"))?),
                (_, n) if n >= 6 => Value::from(format!(
                    "{} {} {}",
                    be16(b, 0).unwrap_or(0),
                    be16(b, 2).unwrap_or(0),
                    be16(b, 4).unwrap_or(0)
                )),
                _ => Value::from(be16(b, 0).ok_or_else(|| short(at, "bKGD"))?),
            };
            add(cx, "BackgroundColor", v);
        }
        b"sBIT" => {
            let s: Vec<String> = b.iter().map(u8::to_string).collect();
            add(cx, "SignificantBits", s.join(" "));
        }
        b"acTL" => {
            let (Some(frames), Some(plays)) = (be32(b, 0), be32(b, 4)) else { return Err(short(at, "acTL")) };
            add(cx, "AnimationFrames", frames);
            add(cx, "AnimationPlays", plays);
            mark_apng(cx);
        }
        b"oFFs" => {
            let (Some(x), Some(y), Some(u)) = (be32(b, 0), be32(b, 4), b.get(8)) else {
                return Err(short(at, "oFFs"));
            };
            let unit = if *u == 1 { "microns" } else { "pixels" };
            add(cx, "ImageOffset", format!("{}, {} ({unit})", x as i32, y as i32));
        }
        b"cICP" => {
            let names =
                ["ColorPrimaries", "TransferCharacteristics", "MatrixCoefficients", "VideoFullRangeFlag"];
            for (name, v) in names.iter().zip(b) {
                add(cx, *name, *v);
            }
        }
        _ => {}
    }
    Ok(())
}

/// An `acTL` chunk makes the file an animated PNG: refine the file type ExifTool reports.
fn mark_apng(cx: &mut Ctx) {
    for t in cx.tags.iter_mut().filter(|t| t.group == "File") {
        match (&*t.name, &t.value) {
            ("FileType", Value::Text(s)) if s == "PNG" => t.value = Value::Text("APNG".into()),
            ("MIMEType", Value::Text(s)) if s == "image/png" => t.value = Value::Text("image/apng".into()),
            _ => {}
        }
    }
}

/// Rounds to `digits` significant digits (ExifTool prints PNG gamma that way).
fn round_sig(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(digits - 1 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}

fn split_nul(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = b.iter().position(|&c| c == 0)?;
    Some((b.get(..i)?, b.get(i + 1..)?))
}

fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

/// Inflates a zlib stream, bounded by the allocation limit.
fn inflate(cx: &Ctx, data: &[u8], at: u64) -> Result<Vec<u8>> {
    let max = cx.opts.limits.max_alloc;
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, max).map_err(|e| {
        if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
            Error::limit(at, format!("compressed PNG chunk inflates past max_alloc ({max})"))
        } else {
            Error::malformed(at, "compressed PNG chunk does not inflate")
        }
    })
}

fn itxt(cx: &mut Ctx, b: &[u8], at: u64) -> Result<()> {
    let (key, rest) = split_nul(b).ok_or_else(|| short(at, "iTXt"))?;
    let (Some(&flag), Some(rest)) = (rest.first(), rest.get(2..)) else { return Err(short(at, "iTXt")) };
    let (lang, rest) = split_nul(rest).ok_or_else(|| short(at, "iTXt"))?;
    let (_translated, text) = split_nul(rest).ok_or_else(|| short(at, "iTXt"))?;
    let lang = String::from_utf8_lossy(lang).into_owned();
    if flag != 0 {
        let data = inflate(cx, text, at)?;
        text_chunk(cx, key, &lang, String::from_utf8_lossy(&data), at);
    } else {
        text_chunk(cx, key, &lang, String::from_utf8_lossy(text), at);
    }
    Ok(())
}

/// A text chunk: embedded XMP/EXIF/IPTC/ICC payloads go to their parsers, the rest
/// becomes `PNG:<Keyword>`.
fn text_chunk(cx: &mut Ctx, key: &[u8], lang: &str, text: Cow<str>, at: u64) {
    let result = match key {
        b"XML:com.adobe.xmp" => crate::meta::xmp::parse_packet(cx, text.as_bytes()),
        _ if key.starts_with(b"Raw profile type ") || key == b"APP1" => raw_profile(cx, key, &text, at),
        _ => {
            let mut name = tag_name(key);
            if !lang.is_empty() {
                name.push('-');
                name.push_str(lang);
            }
            add(cx, name, text.into_owned());
            Ok(())
        }
    };
    if let Err(e) = result {
        cx.warn_error(&e);
    }
}

/// `Creation Time` -> `CreationTime`, `comment` -> `Comment`, `Warning` -> `PNGWarning`.
fn tag_name(key: &[u8]) -> String {
    if key == b"Warning" {
        return "PNGWarning".into();
    }
    let mut out = String::with_capacity(key.len());
    let mut up = true;
    for &c in key {
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' {
            out.push(if up { c.to_ascii_uppercase() as char } else { c as char });
            up = false;
        } else {
            up = true;
        }
    }
    if out.is_empty() { "Unknown".into() } else { out }
}

/// ImageMagick's hex-encoded profiles: `\n<type>\n<length>\n<hex...>`.
fn raw_profile(cx: &mut Ctx, key: &[u8], text: &str, at: u64) -> Result<()> {
    let kind = key.strip_prefix(b"Raw profile type ").unwrap_or(b"exif").to_ascii_lowercase();
    let mut lines = text.trim_start().splitn(3, '\n');
    let _name = lines.next();
    let declared: usize = lines.next().and_then(|l| l.trim().parse().ok()).unwrap_or(0);
    let hex = lines.next().unwrap_or_default();
    let max = cx.opts.limits.max_alloc;
    if declared > max {
        return Err(Error::limit(at, format!("raw profile of {declared} bytes exceeds max_alloc")));
    }
    let mut data = Vec::with_capacity(declared.min(hex.len() / 2));
    let mut hi: Option<u8> = None;
    for c in hex.bytes() {
        let Some(v) = (c as char).to_digit(16) else { continue };
        match hi.take() {
            Some(h) => data.push(h << 4 | v as u8),
            None => hi = Some(v as u8),
        }
    }
    match kind.as_slice() {
        b"exif" | b"app1" => {
            let body = data.strip_prefix(b"Exif\0\0").unwrap_or(&data);
            crate::meta::exif::parse_block(cx, body, 0)
        }
        b"xmp" => crate::meta::xmp::parse_packet(cx, &data),
        b"iptc" | b"8bim" => {
            if data.starts_with(b"8BIM") {
                crate::meta::photoshop::parse_irb(cx, &data, 0)
            } else {
                crate::meta::iptc::parse_iim(cx, &data, 0)
            }
        }
        b"icc" | b"icm" => crate::meta::icc::parse_profile(cx, &data),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;
    use crate::source::ReadSeekSource;

    fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = (body.len() as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v.extend_from_slice(&[0; 4]); // CRC, not checked
        v
    }

    fn png(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut v = SIGNATURE.to_vec();
        let mut ihdr = 3u32.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&2u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        v.extend_from_slice(&chunk(b"IHDR", &ihdr));
        for c in chunks {
            v.extend_from_slice(c);
        }
        v
    }

    fn run(data: &[u8]) -> (Vec<Tag>, usize) {
        let opts = Options::default();
        let mut cx = Ctx::new(&data, &opts);
        cx.add("File", "FileType", "PNG");
        let _ = parse(&mut cx);
        (cx.tags, cx.warnings.len())
    }

    /// The tags of `data` read through a `Read + Seek` source (not held in memory).
    fn run_reader(data: &[u8]) -> Vec<Tag> {
        let opts = Options::default();
        let reader = ReadSeekSource::new(std::io::Cursor::new(data)).unwrap();
        let mut cx = Ctx::new(&reader, &opts);
        let _ = parse(&mut cx);
        cx.tags
    }

    fn get<'a>(tags: &'a [Tag], name: &str) -> Option<&'a Value> {
        tags.iter().find(|t| t.name == name).map(|t| &t.value)
    }

    #[test]
    fn header_text_and_ancillary_chunks() {
        let z = miniz_oxide::deflate::compress_to_vec_zlib(b"zipped", 6);
        let mut ztxt = b"Title\0\0".to_vec();
        ztxt.extend_from_slice(&z);
        let data = png(&[
            chunk(b"tEXt", b"Creation Time\x002021:06:15 14:30:45"),
            chunk(b"zTXt", &ztxt),
            chunk(b"iTXt", "Title\0\0\0fr\0\0Titre é".as_bytes()),
            chunk(b"gAMA", &45455u32.to_be_bytes()),
            chunk(b"tIME", &[0x07, 0xE5, 6, 15, 14, 30, 45]),
            chunk(b"bKGD", &[0, 255, 0, 128, 0, 0]),
            chunk(b"acTL", &[0, 0, 0, 3, 0, 0, 0, 0]),
            chunk(b"IDAT", &[1, 2, 3]),
            chunk(b"tEXt", b"comment\0late"),
            chunk(b"IEND", b""),
        ]);
        let (tags, warnings) = run(&data);
        assert_eq!(get(&tags, "ImageWidth"), Some(&Value::Int(3)));
        assert_eq!(get(&tags, "ColorType"), Some(&Value::Int(2)));
        assert_eq!(get(&tags, "CreationTime"), Some(&Value::Text("2021:06:15 14:30:45".into())));
        assert_eq!(get(&tags, "Title"), Some(&Value::Text("zipped".into())));
        assert_eq!(get(&tags, "Title-fr"), Some(&Value::Text("Titre é".into())));
        assert_eq!(get(&tags, "Gamma"), Some(&Value::Float(2.2)));
        assert_eq!(get(&tags, "ModifyDate"), Some(&Value::Text("2021:06:15 14:30:45".into())));
        assert_eq!(get(&tags, "BackgroundColor"), Some(&Value::Text("255 128 0".into())));
        assert_eq!(get(&tags, "AnimationFrames"), Some(&Value::Int(3)));
        assert_eq!(get(&tags, "FileType"), Some(&Value::Text("APNG".into())));
        assert_eq!(get(&tags, "Comment"), Some(&Value::Text("late".into())));
        assert_eq!(warnings, 1);
    }

    #[test]
    fn hostile_chunks_become_warnings() {
        // A chunk claiming 4 GB, a zip bomb-ish zTXt with garbage, truncated IHDR.
        let data = png(&[chunk(b"zTXt", b"Title\0\0garbage"), chunk(b"tIME", &[1])]);
        let (_, warnings) = run(&data);
        assert_eq!(warnings, 3); // bad zTXt, short tIME, no IEND
        let mut big = png(&[]);
        big.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xF0, b't', b'E', b'X', b't']);
        let (tags, warnings) = run(&big);
        assert_eq!(warnings, 1);
        assert_eq!(get(&tags, "ImageHeight"), Some(&Value::Int(2)));
        for n in 0..data.len() {
            let _ = run(&data[..n]);
        }
    }

    #[test]
    fn large_image_data_is_skipped_from_the_tail() {
        let idat = vec![b'a'; 300 << 10]; // letters, to tempt the tail search
        let data = png(&[
            chunk(b"IDAT", &idat),
            chunk(b"IDAT", &idat),
            chunk(b"tEXt", b"Title\0late"),
            chunk(b"IEND", b""),
        ]);
        // From a reader (reads cost): the tail is searched, and little is read.
        let opts = Options::default();
        let reader = ReadSeekSource::new(std::io::Cursor::new(&data[..])).unwrap();
        let mut cx = Ctx::new(&reader, &opts);
        assert!(parse(&mut cx).is_ok());
        assert!(cx.requested() < 100 << 10, "read {} bytes", cx.requested());
        assert_eq!(get(&cx.tags, "Title"), Some(&Value::Text("late".into())));
        // From memory (reads are free): the walk goes chunk by chunk, to the same result.
        let (tags, _) = run(&data);
        assert_eq!(tags[1..], cx.tags[..]);
        // The last IDAT inside the window: the pass stops at it.
        let small = png(&[
            chunk(b"IDAT", &idat),
            chunk(b"IDAT", b"IDAT\0\0\0\0tEXt"),
            chunk(b"tEXt", b"Title\0late"),
            chunk(b"IEND", b""),
        ]);
        let tags = run_reader(&small);
        assert_eq!(get(&tags, "Title"), Some(&Value::Text("late".into())));
        assert_eq!(run(&small).0[1..], tags[..]);
        // Garbage after IEND: no tail chain, the walk goes chunk by chunk and still finds it.
        let mut junk = data.clone();
        junk.extend_from_slice(b"trailing junk");
        let tags = run_reader(&junk);
        assert_eq!(get(&tags, "Title"), Some(&Value::Text("late".into())));
        assert_eq!(run(&junk).0[1..], tags[..]);
    }

    #[test]
    fn candidate_search_agrees_with_the_full_pass() {
        let mut seed = 0x9E37_79B9u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let kinds: [&[u8; 4]; 5] = [b"IDAT", b"fdAT", b"tEXt", b"zTXt", b"I1AT"];
        let mut decided = 0;
        for _ in 0..3000 {
            let mut tail: Vec<u8> = (0..next() % 40).map(|_| next() as u8).collect();
            for _ in 0..next() % 6 {
                let mut body: Vec<u8> = (0..next() % 24).map(|_| b'A' + (next() % 26) as u8).collect();
                if next() % 4 == 0 {
                    body.extend_from_slice(b"\0\0\0\x08IDAT"); // a kind code inside a body
                }
                let kind = kinds[(next() % 5) as usize];
                tail.extend_from_slice(&chunk(kind, &body));
                if next() % 8 == 0 {
                    tail.push(next() as u8); // a broken link in the chain
                }
            }
            tail.extend_from_slice(&chunk(b"IEND", b""));
            let iend = tail.len() - 12;
            if let Some(fast) = after_last_image_chunk(&tail, iend) {
                decided += 1;
                assert_eq!(fast, chain_start_by_full_pass(&tail, iend), "{tail:?}");
            }
        }
        assert!(decided > 1000, "only {decided} cases decided by the candidate search");
    }

    #[test]
    fn keyword_names() {
        assert_eq!(tag_name(b"Creation Time"), "CreationTime");
        assert_eq!(tag_name(b"comment"), "Comment");
        assert_eq!(tag_name(b"Some key!"), "SomeKey");
        assert_eq!(tag_name(b"Warning"), "PNGWarning");
    }
}

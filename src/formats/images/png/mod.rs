//! PNG and APNG (ISO/IEC 15948, W3C PNG 3rd edition): a walk over chunk headers by
//! offset. Image data (`IDAT`, `fdAT`) is skipped, never read; metadata chunks after the
//! image data are still read, as ExifTool does. CRCs are not checked.
//!
//! In a large file read from a slow source, the chunks after the image data are found
//! from the file's tail instead of by walking every image-data header ([`tail`]). Input
//! held in memory is always walked chunk by chunk: there, a header costs no read, and
//! walking them is far cheaper than searching the tail. Text chunks are read in [`text`].

mod tail;
mod text;

pub(crate) use tail::tail_searches_agree;

use crate::base::bytes::{array, be16, be32};
use crate::base::decode::latin1;
use crate::base::inflate::{End, Wrapper};
use crate::base::number::round_sig;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{BinaryRef, IntoName, Tag, Value};

const GROUP: &str = "PNG";
const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
/// Most chunks walked; a PNG of 2 GB with 32 KB IDATs has ~65,000.
const MAX_CHUNKS: usize = 200_000;
/// Image data longer than this is skipped by looking at the file's tail.
const TAIL_SKIP_MIN: u64 = 256 << 10;

/// Reads the metadata of a PNG or APNG file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    parse_at(cx, 0)
}

/// Reads the metadata of a PNG stream that starts at `start` in the file (a PGF keeps
/// one after its header).
pub(crate) fn parse_at(cx: &mut Ctx, start: u64) -> Result<()> {
    let sig = cx.read_array::<8>(start)?;
    if &sig != SIGNATURE {
        return Err(Error::malformed(start, "not a PNG signature"));
    }
    let len = cx.len();
    let mut pos = start + 8;
    let mut seen_idat = false;
    let mut warned_late = false;
    let mut color_type = 0u8;
    let in_memory = cx.source().as_slice().is_some();
    for _ in 0..MAX_CHUNKS {
        if pos >= len {
            cx.warn(pos, "PNG ends without IEND");
            return Ok(());
        }
        let head = match cx.read_array::<8>(pos) {
            Ok(h) => h,
            Err(e) => {
                cx.warn_error(&e);
                return Ok(());
            }
        };
        let size = u64::from(be32(&head, 0).unwrap_or_default());
        let kind: [u8; 4] = array(&head, 4).unwrap_or_default();
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
                    if let Some(after) = tail::chunks_after_image(cx, pos) {
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
                    match cx.read_cow(body_at, size) {
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
            let (Some(w), Some(h), Some(f)) = (be32(b, 0), be32(b, 4), array::<5>(b, 8)) else {
                return Err(short(at, "IHDR"));
            };
            *color_type = f[1];
            add(cx, "ImageWidth", w);
            add(cx, "ImageHeight", h);
            for (name, v) in
                ["BitDepth", "ColorType", "Compression", "Filter", "Interlace"].into_iter().zip(f)
            {
                add(cx, name, v);
            }
        }
        b"tEXt" => text::text(cx, b, at)?,
        b"zTXt" => text::ztxt(cx, b, at)?,
        b"iTXt" => text::itxt(cx, b, at)?,
        b"eXIf" => {
            let body = b.strip_prefix(b"Exif\0\0").unwrap_or(b);
            let off = at + (b.len() - body.len()) as u64;
            crate::meta::exif::parse_block(cx, body, off)?;
        }
        b"iCCP" => {
            let (name, rest) = split_nul(b).ok_or_else(|| short(at, "iCCP"))?;
            add(cx, "ProfileName", latin1(name));
            // Up to `max_alloc`; a profile cut by a budget is parsed as far as it goes.
            let z = rest.get(1..).unwrap_or_default();
            if let Some(data) = inflate(cx, z, at, usize::MAX, "PNG iCCP chunk")? {
                crate::meta::icc::parse_profile(cx, &data)?;
            }
        }
        b"tIME" => {
            let (Some(y), Some([mo, d, h, mi, s])) = (be16(b, 0), array::<5>(b, 2)) else {
                return Err(short(at, "tIME"));
            };
            add(cx, "ModifyDate", format!("{y:04}:{mo:02}:{d:02} {h:02}:{mi:02}:{s:02}"));
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
            // The encoding gamma times 100,000 (45455 for 1/2.2); ExifTool shows its
            // inverse to 4 significant digits.
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
            // A palette index, a grey level, or red, green and blue levels.
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

/// The bytes before the first NUL of `b` and those after it.
fn split_nul(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = b.iter().position(|&c| c == 0)?;
    Some((b.get(..i)?, b.get(i + 1..)?))
}

/// Inflates the zlib stream of a compressed chunk (`what`, its body at `at`) through the
/// context's budgets, into at most `want` bytes (the context warns when a budget cuts it
/// shorter). `None` when the budget left nothing to inflate; a corrupt stream is an error.
fn inflate(cx: &mut Ctx, data: &[u8], at: u64, want: usize, what: &str) -> Result<Option<Vec<u8>>> {
    let out = cx.inflate(data, Wrapper::Zlib, at, want, what);
    match out.end {
        End::Broken => Err(Error::malformed(at, "compressed PNG chunk does not inflate")),
        End::Capped if out.data.is_empty() => Ok(None),
        End::Capped | End::Complete => Ok(Some(out.data)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::ReadSeekSource;
    use crate::test_util::{Parsed, parse_source};

    /// A chunk: length, kind, body and a CRC (not checked, so zero).
    pub(super) fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = (body.len() as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v.extend_from_slice(&[0; 4]);
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

    /// `data` parsed from memory, after the `File:FileType` tag extraction adds first.
    fn from_memory(data: &[u8]) -> Parsed {
        crate::test_util::parse(data, |cx| {
            cx.add("File", "FileType", "PNG");
            parse(cx)
        })
    }

    /// `data` parsed through a `Read + Seek` source (not held in memory).
    fn from_reader(data: &[u8]) -> Parsed {
        let reader = ReadSeekSource::new(std::io::Cursor::new(data)).unwrap();
        parse_source(&reader, parse)
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
        let t = from_memory(&data);
        assert_eq!(t.get("ImageWidth"), Some(&Value::Int(3)));
        assert_eq!(t.get("ColorType"), Some(&Value::Int(2)));
        assert_eq!(t.get("CreationTime"), Some(&Value::Text("2021:06:15 14:30:45".into())));
        assert_eq!(t.get("Title"), Some(&Value::Text("zipped".into())));
        assert_eq!(t.get("Title-fr"), Some(&Value::Text("Titre é".into())));
        assert_eq!(t.get("Gamma"), Some(&Value::Float(2.2)));
        assert_eq!(t.get("ModifyDate"), Some(&Value::Text("2021:06:15 14:30:45".into())));
        assert_eq!(t.get("BackgroundColor"), Some(&Value::Text("255 128 0".into())));
        assert_eq!(t.get("AnimationFrames"), Some(&Value::Int(3)));
        assert_eq!(t.get("FileType"), Some(&Value::Text("APNG".into())));
        assert_eq!(t.get("Comment"), Some(&Value::Text("late".into())));
        assert_eq!(t.warnings.len(), 1);
    }

    #[test]
    fn hostile_chunks_become_warnings() {
        // A chunk claiming 4 GB, a zip bomb-ish zTXt with garbage, truncated IHDR.
        let data = png(&[chunk(b"zTXt", b"Title\0\0garbage"), chunk(b"tIME", &[1])]);
        assert_eq!(from_memory(&data).warnings.len(), 3); // bad zTXt, short tIME, no IEND
        let mut big = png(&[]);
        big.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xF0, b't', b'E', b'X', b't']);
        let t = from_memory(&big);
        assert_eq!(t.warnings.len(), 1);
        assert_eq!(t.get("ImageHeight"), Some(&Value::Int(2)));
        for n in 0..data.len() {
            let _ = from_memory(&data[..n]);
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
        let read = from_reader(&data);
        assert!(read.ok);
        assert!(read.requested < 100 << 10, "read {} bytes", read.requested);
        assert_eq!(read.get("Title"), Some(&Value::Text("late".into())));
        // From memory (reads are free): the walk goes chunk by chunk, to the same result.
        assert_eq!(from_memory(&data).tags[1..], read.tags[..]);
        // The last IDAT inside the window: the pass stops at it.
        let small = png(&[
            chunk(b"IDAT", &idat),
            chunk(b"IDAT", b"IDAT\0\0\0\0tEXt"),
            chunk(b"tEXt", b"Title\0late"),
            chunk(b"IEND", b""),
        ]);
        let read = from_reader(&small);
        assert_eq!(read.get("Title"), Some(&Value::Text("late".into())));
        assert_eq!(from_memory(&small).tags[1..], read.tags[..]);
        // Garbage after IEND: no tail chain, the walk goes chunk by chunk and still finds it.
        let mut junk = data.clone();
        junk.extend_from_slice(b"trailing junk");
        let read = from_reader(&junk);
        assert_eq!(read.get("Title"), Some(&Value::Text("late".into())));
        assert_eq!(from_memory(&junk).tags[1..], read.tags[..]);
    }

    /// `data` parsed from memory with `limits`.
    fn limited(data: &[u8], limits: crate::options::Limits) -> Parsed {
        let opts = crate::options::Options::default().with_limits(limits);
        crate::test_util::parse_with_options(data, &opts, parse)
    }

    /// A compressed text chunk body: keyword, then (for `iTXt`) flags and empty language
    /// and translated keyword, then `text` deflated.
    fn compressed(kind: &[u8; 4], key: &str, text: &[u8]) -> Vec<u8> {
        let mut body = format!("{key}\0").into_bytes();
        body.extend_from_slice(if kind == b"iTXt" { b"\x01\0\0\0" } else { b"\0" });
        body.extend_from_slice(&miniz_oxide::deflate::compress_to_vec_zlib(text, 6));
        chunk(kind, &body)
    }

    #[test]
    fn compressed_text_is_cut_while_it_inflates() {
        let limits = crate::options::Limits::default().with_max_value_len(10);
        // Latin-1 (two bytes of UTF-8 each past ASCII) and UTF-8 cut on a character boundary.
        let data = png(&[
            compressed(b"zTXt", "Title", "abcdefgh\u{e9}\u{e9}".as_bytes()),
            compressed(b"zTXt", "Comment", &[b'x'; 1000]),
            compressed(b"iTXt", "Author", "abcdefgh\u{e9}\u{e9}".as_bytes()),
            chunk(b"tEXt", b"Source\0abcdefgh\xe9\xe9"),
            chunk(b"IEND", b""),
        ]);
        let t = limited(&data, limits.clone());
        // "abcdefgh" then Latin-1 0xC3 0xA9 as two characters of two bytes: one fits.
        assert_eq!(t.get("Title"), Some(&Value::Text("abcdefgh\u{c3}".into())));
        assert_eq!(t.get("Comment"), Some(&Value::Text("xxxxxxxxxx".into())));
        assert_eq!(t.get("Author"), Some(&Value::Text("abcdefgh\u{e9}".into())));
        assert_eq!(t.get("Source"), Some(&Value::Text("abcdefgh\u{e9}".into())));
        assert_eq!(t.warnings.len(), 4, "{:?}", t.warnings);
        for w in &t.warnings {
            assert!(w.message.contains("truncated to max_value_len (10 bytes)"), "{}", w.message);
            assert!(w.offset.is_some());
        }
        assert!(t.warnings[1].message.contains("zTXt chunk 'Comment'"));
        // Short values are untouched, with no warning.
        let t = limited(&png(&[compressed(b"iTXt", "Author", b"short")]), limits);
        assert_eq!(t.get("Author"), Some(&Value::Text("short".into())));
        assert_eq!(t.warnings.len(), 1); // no IEND
    }

    #[test]
    fn inflation_stops_at_max_decompressed_and_the_walk_goes_on() {
        let limits = crate::options::Limits::default().with_max_decompressed(1500);
        let text = [b'z'; 1000];
        let data = png(&[
            compressed(b"zTXt", "A", &text),
            compressed(b"zTXt", "B", &text),
            compressed(b"iTXt", "C", &text),
            compressed(b"iCCP", "icc", &[0; 1000]),
            chunk(b"tEXt", b"D\0plain"),
            chunk(b"IEND", b""),
        ]);
        let t = limited(&data, limits);
        assert_eq!(t.get("A"), Some(&Value::Text("z".repeat(1000).into())));
        assert_eq!(t.get("B"), Some(&Value::Text("z".repeat(500).into())));
        assert_eq!(t.get("C"), None);
        assert_eq!(t.get("D"), Some(&Value::Text("plain".into())));
        let messages: Vec<&str> = t.warnings.iter().map(|w| w.message.as_str()).collect();
        // One warning when the budget runs out, naming the first chunk it cut; the
        // iTXt and iCCP chunks after it are cut without another.
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("zTXt") && messages[0].contains("max_decompressed (1500 bytes)"));
        assert!(messages[0].contains("later compressed blocks are truncated"), "{}", messages[0]);
    }

    #[test]
    fn a_profile_bomb_stops_at_max_alloc() {
        let limits = crate::options::Limits::default().with_max_alloc(4096);
        let mut profile = vec![0u8; 1 << 20];
        profile[36..40].copy_from_slice(b"acsp");
        let mut body = b"icc\0\0".to_vec();
        body.extend_from_slice(&miniz_oxide::deflate::compress_to_vec_zlib(&profile, 6));
        let t = limited(&png(&[chunk(b"iCCP", &body), chunk(b"IEND", b"")]), limits);
        assert_eq!(t.get("ProfileName"), Some(&Value::Text("icc".into())));
        assert!(t.warnings[0].message.contains("iCCP chunk inflates past max_alloc (4096 bytes)"));
        // The profile's header, within the first 4096 bytes, is still read.
        assert!(t.tags.iter().any(|t| t.group == "ICC_Profile"));
    }
}

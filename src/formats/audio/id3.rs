//! ID3 tags: ID3v1/v1.1 (the last 128 bytes) and ID3v2.2/2.3/2.4 (frames, unsynchronisation,
//! extended headers, text encodings, pictures by offset). Frame meanings come from the
//! ID3v2 specifications; names are those ExifTool prints (group `ID3`).

use super::picture::{Picture, image_dims};
use crate::base::bytes::{array, be_uint, be16, be24, be32};
use crate::base::date::exif_from_iso;
use crate::base::decode::{fixed_text, latin1, utf16};
use crate::context::Ctx;
use crate::error::Result;
use crate::model::last_wins::LastWins;
use crate::model::{BinaryRef, IntoName, Tag, Value};
use std::borrow::Cow;

/// Group of every ID3 tag.
pub(crate) const GROUP: &str = "ID3";
/// Tags this size or smaller are read in one go; larger ones frame by frame.
const WHOLE_TAG: u64 = 64 << 10;
/// Largest non-picture frame body read.
const MAX_FRAME: u64 = 1 << 20;
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
        let d = cx.read(offset + 10, body_len)?;
        Body::Mem(if whole_unsync { unsync(&d) } else { d })
    } else {
        Body::File(offset + 10)
    };
    let body_len = match &body {
        Body::Mem(d) => d.len() as u64,
        Body::File(_) => body_len,
    };
    let mut pos = 0u64;
    if flags & 0x40 != 0 && major >= 3 {
        let ext = body.fetch(cx, 0, 4)?;
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
        let fh = body.fetch(cx, pos, hdr_len)?.into_owned();
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
        if fsize > MAX_FRAME && !picture {
            cx.warn(offset + 10 + data_pos, format!("ID3v2 frame {id} of {fsize} bytes skipped"));
            continue;
        }
        let want = if picture { fsize.min(PICTURE_PREFIX) } else { fsize };
        let raw = body.fetch(cx, data_pos, want)?;
        let file_pos = offset + 10 + data_pos;
        let Some((data, skip)) = frame_payload(cx, major, fflags, &raw, file_pos) else { continue };
        let file_pos = file_pos + skip as u64;
        let full = fsize.saturating_sub(skip as u64);
        frame(cx, &mut since, major, &id, &data, (file_pos, full), &mut out.pictures);
    }
    Ok(Some(out))
}

/// Strips per-frame extras (group byte, data length, unsynchronisation); `None` for
/// compressed or encrypted frames, which are skipped with a warning.
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
    if compressed || encrypted {
        cx.warn(at, "compressed or encrypted ID3v2 frame skipped");
        return None;
    }
    let skip = usize::from(grouped) + if dli { 4 } else { 0 };
    let d = raw.get(skip..)?;
    Some((if uns { Cow::Owned(unsync(d)) } else { Cow::Borrowed(d) }, skip))
}

/// ExifTool's name for a frame ID (v2.2 three-letter IDs included).
fn frame_name(id: &str) -> Option<&'static str> {
    Some(match id {
        "TIT2" | "TT2" => "Title",
        "TPE1" | "TP1" => "Artist",
        "TALB" | "TAL" => "Album",
        "TPE2" | "TP2" => "Band",
        "TPE3" | "TP3" => "Conductor",
        "TPE4" | "TP4" => "InterpretedBy",
        "TCOM" | "TCM" => "Composer",
        "TCON" | "TCO" => "Genre",
        "TYER" | "TYE" => "Year",
        "TDAT" | "TDA" => "Date",
        "TIME" | "TIM" => "Time",
        "TRCK" | "TRK" => "Track",
        "TPOS" | "TPA" => "PartOfSet",
        "TCOP" | "TCR" => "Copyright",
        "TSSE" | "TSS" => "EncoderSettings",
        "TENC" | "TEN" => "EncodedBy",
        "TEXT" | "TXT" => "Lyricist",
        "TIT1" | "TT1" => "Grouping",
        "TIT3" | "TT3" => "Subtitle",
        "TBPM" | "TBP" => "BeatsPerMinute",
        "TKEY" | "TKE" => "InitialKey",
        "TLAN" | "TLA" => "Language",
        "TLEN" | "TLE" => "Length",
        "TMED" | "TMT" => "Media",
        "TOAL" | "TOT" => "OriginalAlbum",
        "TOFN" | "TOF" => "OriginalFileName",
        "TOLY" | "TOL" => "OriginalLyricist",
        "TOPE" | "TOA" => "OriginalArtist",
        "TORY" | "TOR" => "OriginalReleaseYear",
        "TPUB" | "TPB" => "Publisher",
        "TRDA" | "TRD" => "RecordingDates",
        "TSRC" | "TRC" => "ISRC",
        "TSIZ" | "TSI" => "Size",
        "TFLT" | "TFT" => "FileType",
        "TDLY" | "TDY" => "PlaylistDelay",
        "TOWN" => "FileOwner",
        "TRSN" => "InternetRadioStationName",
        "TRSO" => "InternetRadioStationOwner",
        "TCMP" | "TCP" => "Compilation",
        "TDRC" => "RecordingTime",
        "TDOR" => "OriginalReleaseTime",
        "TDRL" => "ReleaseTime",
        "TDEN" => "EncodingTime",
        "TDTG" => "TaggingTime",
        "TMOO" => "Mood",
        "TPRO" => "ProducedNotice",
        "TSOA" => "AlbumSortOrder",
        "TSOP" => "PerformerSortOrder",
        "TSOT" => "TitleSortOrder",
        "TSO2" => "AlbumArtistSortOrder",
        "TSOC" => "ComposerSortOrder",
        "TSST" => "SetSubtitle",
        "TIPL" | "IPLS" | "IPL" => "InvolvedPeople",
        "TMCL" => "MusicianCredits",
        "TXXX" | "TXX" => "UserDefinedText",
        "WXXX" | "WXX" => "UserDefinedURL",
        "WCOM" | "WCM" => "CommercialURL",
        "WCOP" | "WCP" => "CopyrightURL",
        "WOAF" | "WAF" => "FileURL",
        "WOAR" | "WAR" => "ArtistURL",
        "WOAS" | "WAS" => "SourceURL",
        "WORS" => "InternetRadioStationURL",
        "WPAY" => "PaymentURL",
        "WPUB" | "WPB" => "PublisherURL",
        "COMM" | "COM" => "Comment",
        "USLT" | "ULT" => "Lyrics",
        "PCNT" | "CNT" => "PlayCounter",
        "POPM" | "POP" => "Popularimeter",
        "RVAD" | "RVA" => "RelativeVolumeAdjustment",
        "PRIV" => "Private",
        _ => return None,
    })
}

/// Text in ID3 encoding `enc` (0 Latin-1, 1 UTF-16 with BOM, 2 UTF-16BE, 3 UTF-8).
fn decode(enc: u8, d: &[u8]) -> String {
    match enc {
        1 | 2 => {
            let (be, body) = match d {
                [0xfe, 0xff, rest @ ..] => (true, rest),
                [0xff, 0xfe, rest @ ..] => (false, rest),
                _ => (enc == 2, d),
            };
            utf16(body, !be)
        }
        3 => String::from_utf8_lossy(d).into_owned(),
        _ => latin1(d),
    }
}

/// Splits `d` at the first string terminator of encoding `enc`: (string bytes, rest).
fn split_term(enc: u8, d: &[u8]) -> (&[u8], &[u8]) {
    if matches!(enc, 1 | 2) {
        let mut i = 0;
        while i + 1 < d.len() {
            if d[i] == 0 && d[i + 1] == 0 {
                return (&d[..i], &d[i + 2..]);
            }
            i += 2;
        }
        (d, &[])
    } else {
        match d.iter().position(|&b| b == 0) {
            Some(i) => (&d[..i], &d[i + 1..]),
            None => (d, &[]),
        }
    }
}

/// Text frame value: strings split at terminators, trailing empties dropped.
fn text_value(enc: u8, mut d: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..64 {
        if d.is_empty() {
            break;
        }
        let (s, rest) = split_term(enc, d);
        out.push(decode(enc, s));
        d = rest;
    }
    while out.len() > 1 && out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// The tags of the ID3v2 tag being read (for the last-one-wins rule).
type Since = LastWins;

fn add_at(cx: &mut Ctx, since: &mut Since, name: impl IntoName, value: impl Into<Value>) {
    cx.push(since.rank(Tag::new(GROUP, name, value)));
}

/// Emits the tags of one frame.
fn frame(
    cx: &mut Ctx,
    since: &mut Since,
    major: u8,
    id: &str,
    d: &[u8],
    span: (u64, u64),
    pics: &mut Vec<Picture>,
) {
    let (at, full) = span;
    if id == "APIC" || id == "PIC" {
        picture(cx, since, major, d, span, pics);
        return;
    }
    let Some(name) = frame_name(id) else { return };
    let enc = d.first().copied().unwrap_or(0);
    let body = d.get(1..).unwrap_or_default();
    match id.as_bytes().first() {
        _ if (id.starts_with('T') && id != "TXXX" && id != "TXX") || matches!(id, "IPLS" | "IPL") => {
            let vals = text_value(enc, body);
            let conv = |s: String| {
                if matches!(id, "TDRC" | "TDOR" | "TDRL" | "TDEN" | "TDTG") { exif_from_iso(&s) } else { s }
            };
            let v: Vec<String> =
                vals.into_iter().map(conv).filter(|s| !s.is_empty() || id.starts_with('T')).collect();
            let v = v.join("/");
            if matches!(id, "TLEN" | "TLE") {
                // Milliseconds, shown in seconds.
                if let Ok(ms) = v.trim().parse::<f64>() {
                    add_at(cx, since, name, ms / 1000.0);
                    return;
                }
            }
            add_at(cx, since, name, v);
            return;
        }
        Some(b'W') if id != "WXXX" && id != "WXX" => {
            add_at(cx, since, name, fixed_text(d));
            return;
        }
        _ => {}
    }
    match id {
        "TXXX" | "TXX" | "WXXX" | "WXX" => {
            let (desc, rest) = split_term(enc, body);
            let val = if id.starts_with('W') { fixed_text(rest) } else { text_value(enc, rest).join("/") };
            add_at(cx, since, name, format!("({}) {}", decode(enc, desc), val));
        }
        "COMM" | "COM" | "USLT" | "ULT" => {
            let (desc, rest) = split_term(enc, body.get(3..).unwrap_or_default());
            let text = text_value(enc, rest).join("/");
            let desc = decode(enc, desc);
            let v = if desc.is_empty() { text } else { format!("({desc}) {text}") };
            // Languages other than English get their own name (`Comment-fra`).
            let lang = latin1(body.get(..3).unwrap_or_default()).to_ascii_lowercase();
            if lang.is_empty() || lang == "eng" || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
                add_at(cx, since, name, v);
            } else {
                add_at(cx, since, format!("{name}-{lang}"), v);
            }
        }
        "PCNT" | "CNT" => {
            let n = be_uint(d, 0, d.len().min(8)).unwrap_or(0);
            add_at(cx, since, name, n);
        }
        "POPM" | "POP" => {
            let (email, rest) = split_term(0, d);
            let rating = rest.first().copied().unwrap_or(0);
            let count = be_uint(rest, 1, rest.len().saturating_sub(1).min(8)).unwrap_or(0);
            add_at(cx, since, name, format!("{} {rating} {count}", latin1(email)));
        }
        "RVAD" | "RVA" => {
            if let Some(s) = volume_adjustment(d) {
                add_at(cx, since, name, s);
            }
        }
        "PRIV" => {
            // Named after its owner identifier; an XMP owner holds an XMP packet.
            let (owner, rest) = split_term(0, d);
            if owner == b"XMP" {
                if let Err(e) = crate::meta::xmp::parse_packet(cx, rest) {
                    cx.warn_error(&e);
                }
                return;
            }
            let off = at + (d.len() - rest.len()) as u64;
            let len = full.saturating_sub((d.len() - rest.len()) as u64);
            let tag_name = owner_name(&latin1(owner));
            add_at(cx, since, tag_name, Value::Binary(BinaryRef { offset: off, length: len }));
        }
        _ => {}
    }
}

/// A tag name from a PRIV owner identifier: words capitalised, other characters dropped.
fn owner_name(owner: &str) -> String {
    let mut out = String::new();
    for word in owner.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = word.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Private");
    }
    out
}

/// RVAD/RVA: "+18.0% Right, +18.0% Left" from the first two channel changes.
fn volume_adjustment(d: &[u8]) -> Option<String> {
    let (flags, bits) = (*d.first()?, *d.get(1)?);
    let n = usize::from(bits).div_ceil(8);
    if n == 0 || n > 8 {
        return None;
    }
    let read = |i: usize| be_uint(d, 2 + i * n, n).map(|v| v as f64);
    let scale = 2f64.powi(i32::from(bits));
    let pct = |v: f64, inc: bool| format!("{}{:.1}%", if inc { "+" } else { "-" }, v / scale * 100.0);
    Some(format!("{} Right, {} Left", pct(read(0)?, flags & 1 != 0), pct(read(1)?, flags & 2 != 0)))
}

/// APIC (v2.3/2.4) and PIC (v2.2).
fn picture(cx: &mut Ctx, since: &mut Since, major: u8, d: &[u8], span: (u64, u64), pics: &mut Vec<Picture>) {
    let (at, full) = span;
    let Some(&enc) = d.first() else { return };
    let (mime, rest) = if major == 2 {
        (latin1(d.get(1..4).unwrap_or_default()), d.get(4..).unwrap_or_default())
    } else {
        let (m, r) = split_term(0, d.get(1..).unwrap_or_default());
        (latin1(m), r)
    };
    let ptype = rest.first().copied().unwrap_or(0);
    let (desc, data) = split_term(enc, rest.get(1..).unwrap_or_default());
    let head = (d.len() - data.len()) as u64;
    add_at(cx, since, if major == 2 { "PictureFormat" } else { "PictureMIMEType" }, mime.clone());
    add_at(cx, since, "PictureType", ptype);
    add_at(cx, since, "PictureDescription", decode(enc, desc));
    add_at(
        cx,
        since,
        "Picture",
        Value::Binary(BinaryRef { offset: at + head, length: full.saturating_sub(head) }),
    );
    pics.push(Picture { mime, dims: image_dims(data) });
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
    let field = |a: usize, b: usize| {
        let s = fixed_text(d.get(a..b).unwrap_or_default());
        s.trim_end().to_owned()
    };
    let low = |n: &'static str, v: Value| Tag::new(GROUP, n, v).in_subgroup("ID3v1").with_priority(-1);
    for (n, a, b) in [("Title", 3, 33), ("Artist", 33, 63), ("Album", 63, 93), ("Year", 93, 97)] {
        cx.push(low(n, Value::from(field(a, b))));
    }
    if d[125] == 0 && d[126] != 0 {
        cx.push(low("Comment", Value::from(field(97, 125))));
        cx.push(low("Track", Value::Int(i64::from(d[126]))));
    } else {
        cx.push(low("Comment", Value::from(field(97, 127))));
    }
    cx.push(low("Genre", Value::Int(i64::from(d[127]))));
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

/// Reads ID3v2 at the start of the file and again right after it (some files carry two).
pub(crate) fn leading_tags(cx: &mut Ctx) -> Result<Leading> {
    let mut out = Leading::default();
    for _ in 0..4 {
        match parse_v2(cx, out.end)? {
            Some(v2) => {
                out.end = out.end.saturating_add(v2.size);
                out.counted = out.counted.saturating_add(v2.counted);
                out.pictures.extend(v2.pictures);
            }
            None => break,
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synchsafe_and_unsync() {
        assert_eq!(synchsafe([0, 0, 0x02, 0x01]), Some(257));
        assert_eq!(synchsafe([0, 0, 0x80, 0]), None);
        assert_eq!(unsync(&[0xff, 0, 0xe0, 0xff, 0, 0]), vec![0xff, 0xe0, 0xff, 0]);
        assert_eq!(v2_size(b"ID3\x03\0\0\0\0\x02\x01"), Some(267));
        assert_eq!(v2_size(b"ID3\x04\0\x10\0\0\0\x01"), Some(21));
    }

    #[test]
    fn text_encodings() {
        assert_eq!(decode(0, b"caf\xe9"), "caf\u{e9}");
        assert_eq!(decode(1, b"\xff\xfeh\0i\0"), "hi");
        assert_eq!(decode(2, b"\0h\0i"), "hi");
        assert_eq!(text_value(3, b"a\0b\0"), vec!["a", "b"]);
        assert_eq!(split_term(1, b"a\0\0\0b\0"), (&b"a\0"[..], &b"b\0"[..]));
    }

    fn ss(n: usize) -> [u8; 4] {
        [(n >> 21) as u8 & 0x7f, (n >> 14) as u8 & 0x7f, (n >> 7) as u8 & 0x7f, n as u8 & 0x7f]
    }

    fn run(tag: &[u8]) -> (Vec<Tag>, Option<V2>) {
        let opts = crate::options::Options::default();
        let mut cx = Ctx::new(&tag, &opts);
        let v2 = parse_v2(&mut cx, 0).ok().flatten();
        (cx.tags, v2)
    }

    fn get<'t>(tags: &'t [Tag], name: &str) -> Option<&'t Value> {
        crate::model::find_tag(tags, GROUP, name).map(|t| &t.value)
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
        let (tags, v2) = run(&tag);
        assert_eq!(get(&tags, "Title"), Some(&Value::Text("A\u{ff}\u{e0}B".into())));
        assert_eq!(get(&tags, "PictureMIMEType"), Some(&Value::Text("image/png".into())));
        assert_eq!(get(&tags, "PictureType"), Some(&Value::Int(3)));
        assert!(matches!(get(&tags, "Picture"), Some(Value::Binary(b)) if b.length == 4));
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
        let (tags, v2) = run(&tag);
        assert_eq!(get(&tags, "Artist"), Some(&Value::Text("One/Two".into())));
        assert_eq!(get(&tags, "RecordingTime"), Some(&Value::Text("2021:06:15 12:30".into())));
        assert_eq!(get(&tags, "UserDefinedText"), Some(&Value::Text("(d) \u{ff}z".into())));
        assert_eq!(get(&tags, "Title"), None);
        let v2 = v2.unwrap_or_default();
        assert_eq!((v2.size, v2.counted), (tag.len() as u64, tag.len() as u64 - 10));
    }

    #[test]
    fn hostile_sizes() {
        // A frame claiming 256 MiB inside a 30-byte tag, and a tag past the end of the file.
        let mut tag = b"ID3\x03\0\0\0\0\0\x14TIT2\x0f\xff\xff\xff\0\0\0abc".to_vec();
        tag.resize(30, 0);
        let (tags, _) = run(&tag);
        assert_eq!(get(&tags, "Title"), Some(&Value::Text("abc".into())));
        let (tags, v2) = run(b"ID3\x04\0\0\x7f\x7f\x7f\x7fTIT2");
        assert!(tags.is_empty());
        assert!(v2.is_some());
        assert!(run(b"ID3\x04\0\0\x80\0\0\0").1.is_none()); // not synchsafe
    }

    #[test]
    fn rvad() {
        assert_eq!(
            volume_adjustment(&[3, 16, 0x2e, 0x2e, 0x2e, 0x2e]).as_deref(),
            Some("+18.0% Right, +18.0% Left")
        );
    }
}

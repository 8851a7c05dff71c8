//! Vorbis comments (FLAC VORBIS_COMMENT blocks, Ogg Vorbis/Opus/Theora comment headers):
//! a vendor string and `KEY=value` fields. Names follow ExifTool: a few known keys, the
//! rest spelled from the key (`ALBUMARTIST` -> `Albumartist`, `ENCODER_OPTIONS` ->
//! `EncoderOptions`).

use super::picture::{self, Picture};
use crate::base::bytes::le32;
use crate::context::Ctx;
use crate::model::last_wins::LastWins;
use crate::model::{BinaryRef, Tag, Value};
use std::borrow::Cow;

/// Group of every Vorbis comment tag.
const GROUP: &str = "Vorbis";
/// Most comments read from one block.
const MAX_COMMENTS: u32 = 10_000;

/// ExifTool's tag name for a comment key.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
fn key_name(key: &str) -> Cow<'static, str> {
    let upper = key.to_ascii_uppercase();
    let known: Option<&'static str> = match upper.as_str() {
        "TRACKNUMBER" => Some("TrackNumber"),
        "ISRC" => Some("ISRCNumber"),
        "REPLAYGAIN_TRACK_PEAK" => Some("ReplayGainTrackPeak"),
        "REPLAYGAIN_TRACK_GAIN" => Some("ReplayGainTrackGain"),
        "REPLAYGAIN_ALBUM_PEAK" => Some("ReplayGainAlbumPeak"),
        "REPLAYGAIN_ALBUM_GAIN" => Some("ReplayGainAlbumGain"),
        "COVERART" => Some("CoverArt"),
        "COVERARTMIME" => Some("CoverArtMIMEType"),
        _ => None,
    };
    if let Some(k) = known {
        return Cow::Borrowed(k);
    }
    let mut out = String::with_capacity(key.len());
    for word in key.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = word.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(cs.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Tag");
    }
    Cow::Owned(out)
}

/// Decodes standard base64 (padding and whitespace ignored); stops at `max` output bytes.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
pub(crate) fn base64(text: &[u8], max: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity((text.len() / 4 * 3).min(max));
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in text {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            if out.len() >= max {
                break;
            }
        }
    }
    out
}

/// Decoded length of a base64 text.
fn base64_len(text: &[u8]) -> u64 {
    let n =
        text.iter().filter(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'-' | b'_')).count();
    (n as u64 * 6) / 8
}

/// Parses a comment block `d` found at file offset `at`; `framed` packets (Vorbis,
/// Theora) end with a framing bit that is ignored. `cut` says that `d` is only the start of
/// the block (cut at a limit, with a warning already given): a comment running past its
/// end is then kept as far as it goes.
pub(crate) fn parse(cx: &mut Ctx, d: &[u8], at: u64, cut: bool, pics: &mut Vec<Picture>) {
    let Some(vlen) = le32(d, 0) else {
        cx.warn(at, "truncated Vorbis comment block");
        return;
    };
    let mut pos = 4usize;
    let Some(vendor) = field(d, pos, vlen, cut) else {
        cx.warn(at, "Vorbis vendor string runs past its block");
        return;
    };
    let mut last = LastWins::default();
    // Where this block's tag of each list name is, once pushed.
    let mut lists = [None; LIST_NAMES.len()];
    let vendor = text(cx, vendor, at + 4, "Vorbis:Vendor");
    cx.add(GROUP, "Vendor", vendor);
    pos = pos.saturating_add(vlen as usize);
    let Some(count) = le32(d, pos) else { return };
    pos += 4;
    for _ in 0..count.min(MAX_COMMENTS) {
        let Some(len) = le32(d, pos) else {
            if !cut {
                cx.warn(at + pos as u64, "truncated Vorbis comment");
            }
            return;
        };
        pos += 4;
        let Some(c) = field(d, pos, len, cut) else {
            cx.warn(at + pos as u64, "Vorbis comment runs past its block");
            return;
        };
        let c_at = at + pos as u64;
        pos = pos.saturating_add(len as usize);
        let Some(eq) = c.iter().position(|&b| b == b'=') else { continue };
        let (key, val) = (&c[..eq], &c[eq + 1..]);
        let key = String::from_utf8_lossy(key);
        let val_at = c_at + eq as u64 + 1;
        match key.to_ascii_uppercase().as_str() {
            "METADATA_BLOCK_PICTURE" => {
                let pic = base64(val, 64 << 10);
                let total = base64_len(val);
                picture::flac_block(cx, &pic, 0, total, pics);
            }
            "COVERART" => {
                let length = base64_len(val);
                cx.push(Tag::new(GROUP, "CoverArt", Value::Binary(BinaryRef { offset: val_at, length })));
            }
            _ => {
                let name = key_name(&key);
                let value = text(cx, val, val_at, format_args!("{GROUP}:{name}"));
                let slot = LIST_NAMES.iter().position(|n| *n == name).and_then(|i| lists.get_mut(i));
                match slot {
                    Some(Some(i)) => append(cx, *i, value),
                    Some(slot) => {
                        let at = cx.tags.len();
                        cx.push(Tag::new(GROUP, name, value));
                        *slot = (cx.tags.len() > at).then_some(at);
                    }
                    None => cx.push(last.rank(Tag::new(GROUP, name, value))),
                }
            }
        }
    }
}

/// Names whose repeats ExifTool gathers into one list; other repeated names show the last.
const LIST_NAMES: [&str; 3] = ["Artist", "Performer", "Contact"];

/// Adds `value` to the list tag at `index` of the context's tags.
fn append(cx: &mut Ctx, index: usize, value: String) {
    let Some(tag) = cx.tags.get_mut(index) else { return };
    match &mut tag.value {
        Value::List(items) => {
            if items.len() < MAX_COMMENTS as usize {
                items.push(Value::from(value));
            }
        }
        other => {
            let first = std::mem::replace(other, Value::Int(0));
            *other = Value::List(vec![first, Value::from(value)]);
        }
    }
}

/// The `len` bytes at `pos` in `d`; when `d` was `cut`, as many as there are.
fn field(d: &[u8], pos: usize, len: u32, cut: bool) -> Option<&[u8]> {
    match d.get(pos..pos.saturating_add(len as usize)) {
        Some(f) => Some(f),
        None if cut => d.get(pos..),
        None => None,
    }
}

/// A UTF-8 value (`what`, at `at`), decoded as far as `max_value_len` keeps it and cut there
/// with a warning.
fn text(cx: &mut Ctx, raw: &[u8], at: u64, what: impl std::fmt::Display) -> String {
    let mut s = String::from_utf8_lossy(cx.value_prefix(raw)).into_owned();
    cx.cut_value(&mut s, at, what);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(key_name("ALBUMARTIST"), "Albumartist");
        assert_eq!(key_name("encoder_options"), "EncoderOptions");
        assert_eq!(key_name("TRACKNUMBER"), "TrackNumber");
        assert_eq!(key_name("WAVEFORMATEXTENSIBLE_CHANNEL_MASK"), "WaveformatextensibleChannelMask");
        assert_eq!(key_name("MEDIAJUKEBOX:TOOL NAME"), "MediajukeboxToolName");
        assert_eq!(key_name("ISRC"), "ISRCNumber");
    }

    #[test]
    fn base64_decoding() {
        assert_eq!(base64(b"aGVsbG8=", 100), b"hello");
        assert_eq!(base64(b"aGVsbG8=", 2), b"he");
        assert_eq!(base64_len(b"aGVsbG8="), 5);
    }
}

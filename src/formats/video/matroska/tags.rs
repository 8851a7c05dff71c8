//! Tags (SimpleTag name/value pairs -> `Matroska:<Name>`), Chapters and Attachments.

use super::ebml::{self, Children};
use super::elements::*;
use super::{State, damage, header_at};
use crate::context::Ctx;
use crate::error::Result;
use crate::model::{BinaryRef, Stream, StreamKind, Value};
use std::borrow::Cow;

/// Deepest SimpleTag / ChapterAtom nesting followed.
const MAX_NEST: u32 = 8;

/// Tags: each Tag's Targets and SimpleTags.
pub(super) fn tags(cx: &mut Ctx, st: &mut State, body: &[u8], base: u64) {
    // GStreamer's matroskamux stores tag strings in GStreamer's own serialized form.
    let gst = cx.tags.iter().any(|t| {
        t.group == "Matroska"
            && t.name == "MuxingApp"
            && t.value.as_str().is_some_and(|v| v.starts_with("GStreamer"))
    });
    let mut kids = Children::new(body, base);
    for tag in kids.by_ref().filter(|e| e.id == TAG) {
        let mut track_uid = None;
        for e in Children::new(tag.data, tag.offset) {
            match e.id {
                TARGETS => {
                    for t in Children::new(e.data, e.offset) {
                        if t.id == 0x63C5 {
                            track_uid = ebml::uint(t.data);
                        }
                        st.out.simple(cx, None, t.id, t.data, t.offset);
                    }
                }
                SIMPLE_TAG => simple_tag(cx, st, e.data, e.offset, (track_uid, gst), 1),
                _ => {}
            }
        }
    }
    damage(cx, &kids);
}

/// One SimpleTag (and the SimpleTags nested in it).
/// `of` is the Tag's TagTrackUID and whether GStreamer wrote the file.
fn simple_tag(cx: &mut Ctx, st: &mut State, body: &[u8], base: u64, of: (Option<u64>, bool), depth: u32) {
    let (track_uid, gst) = of;
    if depth > MAX_NEST {
        cx.warn(base, "matroska: SimpleTags nested too deep");
        return;
    }
    let mut name = None;
    let mut value = None;
    let mut nested = Vec::new();
    for e in Children::new(body, base) {
        match e.id {
            TAG_NAME => name = Some(ebml::string(e.data)),
            TAG_STRING => {
                let text = super::text(cx, e.data, e.offset, "TagString");
                let text = if gst { gst_unwrap(&text).unwrap_or(text) } else { text };
                value = Some(Value::from(text));
            }
            TAG_BINARY => {
                value = Some(Value::Binary(BinaryRef { offset: e.offset, length: e.data.len() as u64 }))
            }
            SIMPLE_TAG if nested.len() < 256 => nested.push((e.data, e.offset)),
            _ => {}
        }
    }
    if let (Some(name), Some(value)) = (name, value) {
        if name.eq_ignore_ascii_case("DURATION") {
            if let (Some(uid), Some(secs)) = (track_uid, value.as_str().and_then(hms_seconds)) {
                st.track_durations.push((uid, secs));
            }
        }
        let tag_name = camel_name(&name);
        if !tag_name.is_empty() {
            st.out.tag(cx, None, Cow::Owned(tag_name), value);
        }
    }
    for (data, offset) in nested {
        simple_tag(cx, st, data, offset, of, depth + 1);
    }
}

/// The text of a string in GStreamer's serialized form (`"My\ title\,\ \303\234"`:
/// quoted, every character but letters, digits and `_-+/:.` escaped with a backslash,
/// bytes outside printable ASCII as three octal digits), or None when `s` is not in
/// that form (an unescaped space or quote inside).
fn gst_unwrap(s: &str) -> Option<String> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?.as_bytes();
    let plain = |c: u8| c.is_ascii_alphanumeric() || b"_-+/:.".contains(&c) || c >= 0x80;
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = inner.get(i) {
        if c != b'\\' {
            if !plain(c) {
                return None;
            }
            out.push(c);
            i += 1;
            continue;
        }
        let octal = inner.get(i + 1..i + 4).filter(|d| d.iter().all(|x| (b'0'..=b'7').contains(x)));
        match (octal, inner.get(i + 1)) {
            (Some(d), _) => {
                let v = d.iter().fold(0u32, |a, x| a * 8 + u32::from(x - b'0'));
                out.push(u8::try_from(v).ok()?);
                i += 4;
            }
            (None, Some(&e)) => {
                out.push(e);
                i += 2;
            }
            (None, None) => return None,
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// A tag name in ExifTool's style: `DATE_RELEASED` -> `DateReleased`,
/// `creation_time` -> `CreationTime`. Characters other than letters and digits separate
/// words; a name starting with a digit gets a `Tag` prefix.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
pub(super) fn camel_name(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for word in raw.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Tag");
    }
    out
}

/// `HH:MM:SS.nnnnnnnnn` (as ffmpeg and mkvmerge write `DURATION`) in seconds.
pub(super) fn hms_seconds(s: &str) -> Option<f64> {
    let mut parts = s.trim().split(':');
    let h: f64 = parts.next()?.parse().ok()?;
    let m: f64 = parts.next()?.parse().ok()?;
    let sec: f64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || h < 0.0 || m < 0.0 || sec < 0.0 {
        return None;
    }
    Some(h * 3600.0 + m * 60.0 + sec)
}

/// Chapters: every ChapterAtom of every edition, subgroup `ChapterN`.
pub(super) fn chapters(cx: &mut Ctx, st: &mut State, body: &[u8], base: u64) {
    let mut kids = Children::new(body, base);
    for ed in kids.by_ref().filter(|e| e.id == EDITION_ENTRY) {
        for atom in Children::new(ed.data, ed.offset).filter(|e| e.id == CHAPTER_ATOM) {
            chapter_atom(cx, st, atom.data, atom.offset, 1);
        }
    }
    damage(cx, &kids);
}

fn chapter_atom(cx: &mut Ctx, st: &mut State, body: &[u8], base: u64, depth: u32) {
    if depth > MAX_NEST {
        cx.warn(base, "matroska: chapters nested too deep");
        return;
    }
    st.chapters_seen = st.chapters_seen.saturating_add(1);
    let sub = format!("Chapter{}", st.chapters_seen);
    for e in Children::new(body, base) {
        match e.id {
            CHAPTER_DISPLAY => {
                for d in Children::new(e.data, e.offset) {
                    st.out.simple(cx, Some(&sub), d.id, d.data, d.offset);
                }
            }
            CHAPTER_ATOM => chapter_atom(cx, st, e.data, e.offset, depth + 1),
            _ => {
                st.out.simple(cx, Some(&sub), e.id, e.data, e.offset);
            }
        }
    }
}

/// Attachments, walked by header with small reads: file names, types and descriptions are
/// read, the file data is only referenced.
pub(super) fn attachments(cx: &mut Ctx, st: &mut State, start: u64, end: u64) -> Result<()> {
    let mut pos = start;
    for _ in 0..1024 {
        let Some(h) = header_at(cx, pos, end)? else { break };
        let data = pos.saturating_add(h.len as u64);
        let Some(size) = h.size else { break };
        let file_end = data.saturating_add(size).min(end);
        if h.id == ATTACHED_FILE {
            attached_file(cx, st, data, file_end)?;
        }
        pos = data.saturating_add(size);
    }
    Ok(())
}

fn attached_file(cx: &mut Ctx, st: &mut State, start: u64, end: u64) -> Result<()> {
    let mut pos = start;
    let (mut name, mut mime) = (None, None);
    for _ in 0..64 {
        let Some(h) = header_at(cx, pos, end)? else { break };
        let data = pos.saturating_add(h.len as u64);
        let Some(size) = h.size else { break };
        let size_in = size.min(end.saturating_sub(data));
        if h.id == FILE_DATA {
            let v = Value::Binary(BinaryRef { offset: data, length: size_in });
            st.out.tag(cx, None, "AttachedFileData".into(), v);
        } else if simple(h.id).is_some() && size_in <= 64 << 10 {
            let buf = cx.read(data, size_in)?;
            match h.id {
                0x466E => name = Some(ebml::string(&buf)),
                0x4660 => mime = Some(ebml::string(&buf)),
                _ => {}
            }
            st.out.simple(cx, None, h.id, &buf, data);
        }
        pos = data.saturating_add(size);
    }
    // ffprobe lists attachments as streams.
    if cx.streams.len() < 4096 {
        let codec = match mime.as_deref().unwrap_or_default() {
            "application/x-truetype-font" | "application/x-font" => Some("ttf"),
            "application/vnd.ms-opentype" => Some("otf"),
            "image/jpeg" => Some("mjpeg"),
            "image/png" => Some("png"),
            "image/gif" => Some("gif"),
            "image/webp" => Some("webp"),
            _ => None,
        };
        cx.streams.push(Stream {
            index: cx.streams.len() as u32,
            kind: Some(StreamKind::Data),
            codec_name: codec.map(str::to_owned),
            codec_tag: mime,
            title: name,
            ..Stream::default()
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_durations() {
        assert_eq!(camel_name("DATE_RELEASED"), "DateReleased");
        assert_eq!(camel_name("_STATISTICS_TAGS"), "StatisticsTags");
        assert_eq!(camel_name("creation_time"), "CreationTime");
        assert_eq!(camel_name("3D"), "Tag3d");
        assert_eq!(camel_name("__"), "");
        assert_eq!(hms_seconds("00:00:03.008000000"), Some(3.008));
        assert_eq!(hms_seconds("01:01:01"), Some(3661.0));
        assert_eq!(hms_seconds("x"), None);
    }

    #[test]
    fn gstreamer_serialized_strings() {
        assert_eq!(gst_unwrap(r#""My\ quoted\,\ title""#).as_deref(), Some("My quoted, title"));
        assert_eq!(gst_unwrap(r#""\303\234n\303\257\ \"q\"\,\ t""#).as_deref(), Some("Ünï \"q\", t"));
        assert_eq!(gst_unwrap("Someone"), None);
        assert_eq!(gst_unwrap(r#""two words""#), None);
        assert_eq!(gst_unwrap(r#""trailing\""#), None);
        assert_eq!(gst_unwrap(r#""\777""#), None);
    }
}

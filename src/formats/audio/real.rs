//! RealMedia (`.rm`, `.rmvb`): big-endian chunks of (id, size, version) after the
//! `.RMF` header. Read: the file properties (`PROP`: bitrates, packet sizes, duration),
//! the first media stream's properties (`MDPR`), the file-info properties of the
//! `logical-fileinfo` stream, the content description (`CONT`), and an ID3v1 tag at the
//! end of the file. Media data (`DATA`) and the index are skipped by size.

use crate::base::bytes::{be16, be32};
use crate::base::decode::latin1;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Value;

/// Group of the chunks' tags.
const G: &str = "Real";
/// Most chunks walked.
const MAX_CHUNKS: usize = 1024;
/// Largest header chunk read whole.
const MAX_CHUNK: u64 = 1 << 20;
/// Most file-info properties read.
const MAX_PROPERTIES: usize = 256;

/// Reads a RealMedia file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let head = cx.read_up_to(0, 8)?;
    if !head.starts_with(b".RMF") {
        return Err(Error::malformed(0u64, "not a RealMedia header"));
    }
    let mut pos = u64::from(be32(&head, 4).unwrap_or(0)).max(8);
    let mut streams = 0u32;
    for _ in 0..MAX_CHUNKS {
        let Ok(h) = cx.read_up_to(pos, 10) else { break };
        let (Some(id), Some(size)) = (h.get(..4), be32(&h, 4)) else { break };
        let size = u64::from(size);
        if size < 10 {
            break;
        }
        match id {
            b"PROP" | b"MDPR" | b"CONT" if size <= MAX_CHUNK => {
                let d = cx.read_up_to(pos + 10, size - 10)?;
                match id {
                    b"PROP" => prop(cx, &d),
                    b"MDPR" => {
                        mdpr(cx, &d, streams == 0);
                        streams += 1;
                    }
                    _ => cont(cx, &d),
                }
            }
            b"RMMD" if size <= MAX_CHUNK => {
                let d = cx.read_up_to(pos + 8, size - 8)?;
                metadata(cx, &d);
            }
            b"PROP" | b"MDPR" | b"CONT" | b"DATA" | b"INDX" | b"RMMD" | b"RJMD" => {}
            _ => break,
        }
        pos = pos.saturating_add(size);
        if pos >= cx.len() {
            break;
        }
    }
    if super::id3::parse_v1(cx) {
        cx.date_fact(|tags| Fact::Id3Date { tags });
    }
    Ok(())
}

/// Milliseconds as seconds.
fn ms(v: u32) -> Value {
    Value::Float(f64::from(v) / 1000.0)
}

/// File properties.
fn prop(cx: &mut Ctx, d: &[u8]) {
    let u = |i: usize| be32(d, i * 4);
    for (i, name) in
        ["MaxBitrate", "AvgBitrate", "MaxPacketSize", "AvgPacketSize", "NumPackets"].iter().enumerate()
    {
        if let Some(v) = u(i) {
            cx.add(G, *name, v);
        }
    }
    if let Some(v) = u(5) {
        cx.add(G, "Duration", ms(v));
    }
    if let Some(v) = u(6) {
        cx.add(G, "Preroll", ms(v));
    }
    if let Some(v) = be16(d, 36) {
        cx.add(G, "NumStreams", v);
    }
    if let Some(v) = be16(d, 38) {
        cx.add(G, "Flags", v);
    }
}

/// Media stream properties: the first stream's are reported; a `logical-fileinfo`
/// stream's type-specific data holds the file-info properties.
fn mdpr(cx: &mut Ctx, d: &[u8], first: bool) {
    let name_len = usize::from(d.get(30).copied().unwrap_or(0));
    let name = d.get(31..31 + name_len);
    let mime_at = 31 + name_len;
    let mime_len = usize::from(d.get(mime_at).copied().unwrap_or(0));
    let mime = d.get(mime_at + 1..mime_at + 1 + mime_len);
    if first {
        if let Some(v) = be16(d, 0) {
            cx.add(G, "StreamNumber", v);
        }
        let u = |at: usize| be32(d, at);
        for (at, n) in [
            (2, "StreamMaxBitrate"),
            (6, "StreamAvgBitrate"),
            (10, "StreamMaxPacketSize"),
            (14, "StreamAvgPacketSize"),
        ] {
            if let Some(v) = u(at) {
                cx.add(G, n, v);
            }
        }
        for (at, n) in [(18, "StreamStartTime"), (22, "StreamPreroll"), (26, "StreamDuration")] {
            if let Some(v) = u(at) {
                cx.add(G, n, ms(v));
            }
        }
        if let Some(n) = name {
            cx.add(G, "StreamName", latin1(n));
        }
        if let Some(m) = mime {
            cx.add(G, "StreamMimeType", latin1(m));
        }
    }
    if mime == Some(b"logical-fileinfo".as_slice()) {
        let info_at = mime_at + 1 + mime_len + 4;
        if let Some(info) = d.get(info_at..) {
            file_info(cx, info);
        }
    }
}

/// The `logical-fileinfo` data: length, version, the physical streams and rules, then
/// the properties (size, version, name, type, value).
fn file_info(cx: &mut Ctx, d: &[u8]) {
    let Some(version) = be16(d, 4) else { return };
    cx.add(G, "FileInfoVersion", version);
    let streams = usize::from(be16(d, 6).unwrap_or(0));
    let mut at = 8 + streams * 6;
    let rules = usize::from(be16(d, at).unwrap_or(0));
    at += 2 + rules * 2;
    let Some(count) = be16(d, at) else { return };
    at += 2;
    for _ in 0..usize::from(count).min(MAX_PROPERTIES) {
        let Some(size) = be32(d, at).map(|s| s as usize) else { return };
        let Some(p) = d.get(at..at.saturating_add(size)) else { return };
        property(cx, p);
        if size == 0 {
            return;
        }
        at += size;
    }
}

/// One file-info property: size (4), version (2), name length (1), name, type (4),
/// value length (2), value. Type 0 is a number, 2 a string.
fn property(cx: &mut Ctx, p: &[u8]) {
    let Some(&n) = p.get(6) else { return };
    let n = usize::from(n);
    let Some(key) = p.get(7..7 + n) else { return };
    let (Some(kind), Some(len)) = (be32(p, 7 + n), be16(p, 11 + n)) else { return };
    let Some(v) = p.get(13 + n..13 + n + usize::from(len)) else { return };
    let Some(name) = property_name(key) else { return };
    match kind {
        0 => {
            if let Some(x) = be32(v, 0) {
                cx.add(G, name, x);
            }
        }
        2 => {
            let text = latin1(v.split(|&b| b == 0).next().unwrap_or_default());
            if name.ends_with("Date") {
                cx.add(G, name, date(&text).unwrap_or(text));
            } else {
                cx.add(G, name, text);
            }
        }
        _ => {}
    }
}

/// The tag name of a file-info property.
fn property_name(key: &[u8]) -> Option<&'static str> {
    Some(match key {
        b"Content Rating" => "ContentRating",
        b"Audiences" => "Audiences",
        b"audioMode" => "AudioMode",
        b"Creation Date" => "CreateDate",
        b"Modification Date" => "ModifyDate",
        b"Generated By" => "Software",
        b"videoMode" => "VideoMode",
        b"Description" => "Description",
        b"Keywords" => "Keywords",
        b"Title" => "Title",
        b"Author" => "Author",
        b"Copyright" => "Copyright",
        b"Abstract" => "Abstract",
        _ => return None,
    })
}

/// `D/M/YYYY H:MM:SS` as `YYYY:MM:DD HH:MM:SS`.
fn date(s: &str) -> Option<String> {
    let (d, t) = s.trim().split_once(' ')?;
    let mut dp = d.split('/').map(|x| x.parse::<u32>().ok());
    let (Some(Some(day)), Some(Some(mon)), Some(Some(year))) = (dp.next(), dp.next(), dp.next()) else {
        return None;
    };
    let mut tp = t.split(':').map(|x| x.parse::<u32>().ok());
    let (Some(Some(h)), Some(Some(m)), Some(Some(sec))) = (tp.next(), tp.next(), tp.next()) else {
        return None;
    };
    Some(format!("{year:04}:{mon:02}:{day:02} {h:02}:{m:02}:{sec:02}"))
}

/// The metadata section (`RMMD`): `RJMD`, a version, then the root property. A
/// property is (size, type, flags, value offset, sub-property offset, sub-property
/// count, name length, name, value length, value), its sub-properties at the offsets
/// listed after it, relative to its start. Each text (type 1) or number (type 4) value
/// becomes a tag named by its path without separators (`Track/Comments/DataSize` is
/// `TrackCommentsDataSize`).
fn metadata(cx: &mut Ctx, d: &[u8]) {
    if !d.starts_with(b"RJMD") {
        return;
    }
    let mut budget = MAX_PROPERTIES;
    if let Some(root) = d.get(8..) {
        md_property(cx, root, "", 0, &mut budget);
    }
}

/// One metadata property at the start of `p` (a slice of its section), under `path`.
fn md_property(cx: &mut Ctx, p: &[u8], path: &str, depth: u32, budget: &mut usize) {
    if depth > 8 || *budget == 0 {
        return;
    }
    *budget -= 1;
    let u = |at: usize| be32(p, at).map(|v| v as usize);
    let (Some(size), Some(kind), Some(subs_at), Some(subs), Some(name_len)) =
        (u(0), u(4), u(16), u(20), u(24))
    else {
        return;
    };
    let Some(p) = p.get(..size) else { return };
    let Some(name) = p.get(28..28 + name_len) else { return };
    let name: String = latin1(name.split(|&b| b == 0).next().unwrap_or_default())
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let path = format!("{path}{name}");
    let value_at = 28 + name_len + 4;
    let value = u(28 + name_len).and_then(|n| p.get(value_at..value_at.checked_add(n)?));
    if let (Some(v), false) = (value, path.is_empty()) {
        match kind {
            1 => {
                let text = latin1(v.split(|&b| b == 0).next().unwrap_or_default());
                cx.add(G, path.clone(), text);
            }
            4 => {
                if let Some(x) = be32(v, 0) {
                    cx.add(G, path.clone(), x);
                }
            }
            _ => {}
        }
    }
    for i in 0..subs.min(MAX_PROPERTIES) {
        let Some(off) = u(subs_at + i * 8) else { return };
        if let Some(sub) = p.get(off..) {
            md_property(cx, sub, &path, depth + 1, budget);
        }
    }
}

/// Content description: title, author, copyright, comment, each a 16-bit length and text.
fn cont(cx: &mut Ctx, d: &[u8]) {
    let mut at = 0usize;
    for name in ["Title", "Author", "Copyright", "Comment"] {
        let Some(n) = be16(d, at).map(usize::from) else { return };
        let Some(v) = d.get(at + 2..at + 2 + n) else { return };
        cx.add(G, name, latin1(v));
        at += 2 + n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{get, run};

    fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut c = id.to_vec();
        c.extend_from_slice(&(body.len() as u32 + 10).to_be_bytes());
        c.extend_from_slice(&[0, 0]);
        c.extend_from_slice(body);
        c
    }

    #[test]
    fn chunks_and_id3v1() {
        let mut f = chunk(b".RMF", &[0, 0, 0, 0, 0, 0, 0, 5]);
        let mut prop = vec![0u8; 40];
        prop[20..24].copy_from_slice(&95u32.to_be_bytes());
        f.extend(chunk(b"PROP", &prop));
        f.extend(chunk(b"CONT", b"\0\x01T\0\x02Au\0\0\0\0"));
        let mut tag = b"TAG".to_vec();
        tag.resize(128, 0);
        tag[3..8].copy_from_slice(b"Title");
        f.extend(tag);
        let t = run(&f, parse);
        assert_eq!(get(&t, "Real:Duration"), Some(&Value::Float(0.095)));
        assert_eq!(get(&t, "Real:Author"), Some(&Value::from("Au")));
        assert_eq!(get(&t, "ID3:Title"), Some(&Value::from("Title")));
        for n in 0..f.len() {
            let _ = run(&f[..n], parse);
        }
    }

    /// The whole input read as a metadata section.
    fn whole_as_metadata(cx: &mut Ctx) -> Result<()> {
        let d = cx.read(0, cx.len())?;
        metadata(cx, &d);
        Ok(())
    }

    /// A metadata property: type, name, value, sub-properties.
    fn md(kind: u32, name: &[u8], value: &[u8], subs: &[Vec<u8>]) -> Vec<u8> {
        let head = 28 + name.len() + 4 + value.len();
        let list = 8 * subs.len();
        let mut offsets = Vec::new();
        let mut at = head + list;
        for s in subs {
            offsets.push(at as u32);
            at += s.len();
        }
        let mut p = Vec::new();
        for v in [
            at as u32,
            kind,
            0,
            (28 + name.len() + 4) as u32,
            head as u32,
            subs.len() as u32,
            name.len() as u32,
        ] {
            p.extend_from_slice(&v.to_be_bytes());
        }
        p.extend_from_slice(name);
        p.extend_from_slice(&(value.len() as u32).to_be_bytes());
        p.extend_from_slice(value);
        for o in offsets {
            p.extend_from_slice(&o.to_be_bytes());
            p.extend_from_slice(&1u32.to_be_bytes());
        }
        for s in subs {
            p.extend_from_slice(s);
        }
        p
    }

    #[test]
    fn metadata_section_paths() {
        let name = md(1, b"Name\0", b"Album name  \0", &[]);
        let size = md(4, b"DataSize\0", &7u32.to_be_bytes(), &[]);
        let album = md(9, b"Album\0", b"\0", &[name, size]);
        let root = md(0, b"\0", b"\0", &[album]);
        let mut d = b"RJMD\0\0\0\x01".to_vec();
        d.extend_from_slice(&root);
        let t = run(&d, whole_as_metadata);
        assert_eq!(get(&t, "Real:AlbumName"), Some(&Value::from("Album name  ")));
        assert_eq!(get(&t, "Real:AlbumDataSize"), Some(&Value::Int(7)));
        for n in 0..d.len() {
            let _ = run(&d[..n], whole_as_metadata);
        }
    }

    #[test]
    fn day_first_dates() {
        assert_eq!(date("5/12/2004 9:54:03").as_deref(), Some("2004:12:05 09:54:03"));
    }
}

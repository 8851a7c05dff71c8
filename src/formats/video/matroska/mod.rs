//! Matroska / WebM (MKV, MKA, MK3D, WEBM): reads the EBML header and the Segment's
//! metadata elements (Info, Tracks, Tags, Chapters, Attachments) by offset, never the
//! media in Clusters, so a multi-GB file costs a few KiB of reads.
//!
//! Level-1 elements are scanned by header from the start of the Segment up to the first
//! Cluster, as ExifTool does; elements the SeekHead points at beyond that (Tags and
//! Chapters after the media, as mkvmerge writes them) are read too, with a lower priority
//! so that the ExifTool projection still shows what ExifTool shows. Without a SeekHead the
//! scan goes on past the Clusters, skipping them by size, a bounded number of hops.
//!
//! Names and `-n` values follow ExifTool's output: the last occurrence of a name wins
//! (`Matroska:CodecID` of the last track), `CodecID` becomes `VideoCodecID`/`AudioCodecID`
//! when the track type came first, times are in seconds.
//!
//! The EBML reader is our own (see `ebml.rs`): the `matroska` crate reads through
//! `Read + Seek` and walks whole structures, which costs reads and offers no bounds we
//! control on hostile sizes.

mod ebml;
mod elements;
mod tags;
mod tracks;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{BinaryRef, Tag, Value};
use ebml::{Children, Header, MAX_HEADER};
use elements::*;
use std::borrow::Cow;
use std::collections::HashMap;

/// Group of every Matroska tag.
const GROUP: &str = "Matroska";
/// Most level-1 elements looked at before the first Cluster.
const MAX_LEVEL1: usize = 4096;
/// Most Clusters skipped by size looking for metadata when there is no SeekHead.
const MAX_BLIND_HOPS: usize = 64;
/// Most SeekHead targets followed.
const MAX_SEEKS: usize = 64;
/// Largest metadata element (Info, Tracks, Tags, Chapters) read whole (also at most
/// `max_alloc`); a larger one is read child by child (see [`by_children`]).
const MAX_ELEMENT: u64 = 16 << 20;
/// Largest read used to find the end of an unknown-sized element (also at most
/// `max_alloc`); past it, the element is read child by child.
const MAX_UNKNOWN: u64 = 1 << 20;

/// Emits tags with ExifTool's "last one wins" rule: each repeat of a name gets a higher
/// priority. Tags from elements after the media (`late`) only fill names not seen before.
#[derive(Default)]
struct Emit {
    counts: HashMap<Cow<'static, str>, i8>,
    late: bool,
}

impl Emit {
    fn tag(&mut self, cx: &mut Ctx, sub: Option<&str>, name: Cow<'static, str>, value: Value) {
        let priority = if self.late {
            -1
        } else {
            let n = self.counts.entry(name.clone()).or_insert(0);
            let p = *n;
            *n = n.saturating_add(1).min(100);
            p
        };
        let mut tag = Tag::new(GROUP, name, value).with_priority(priority);
        if let Some(s) = sub {
            tag = tag.in_subgroup(s.to_owned());
        }
        cx.push(tag);
    }

    /// Emits a simple element from the table, decoded by its kind.
    fn simple(&mut self, cx: &mut Ctx, sub: Option<&str>, id: u32, data: &[u8], offset: u64) -> bool {
        let Some((name, kind)) = simple(id) else { return false };
        if kind == Kind::Str {
            let v = text(cx, data, offset, name);
            self.tag(cx, sub, Cow::Borrowed(name), v.into());
        } else if let Some(v) = decode(kind, data, offset) {
            self.tag(cx, sub, Cow::Borrowed(name), v);
        } else {
            cx.warn(offset, format!("matroska: bad {name} element ({} bytes)", data.len()));
        }
        true
    }
}

/// A string element (tag `name`, data at `offset`) decoded as far as `max_value_len`
/// keeps it, and cut there with a warning naming the limit.
fn text(cx: &mut Ctx, data: &[u8], offset: u64, name: &str) -> String {
    let mut s = ebml::string(cx.value_prefix(data));
    cx.cut_value(&mut s, offset, format_args!("{GROUP}:{name}"));
    s
}

/// Decodes a simple element's data.
fn decode(kind: Kind, data: &[u8], offset: u64) -> Option<Value> {
    Some(match kind {
        Kind::Uint => ebml::uint(data)?.into(),
        Kind::Float => ebml::float(data)?.into(),
        Kind::Str => ebml::string(data).into(),
        Kind::Uid => ebml::uid_hex(data).into(),
        Kind::Nanos => (ebml::uint(data)? as f64 / 1e9).into(),
        Kind::Binary => Value::Binary(BinaryRef { offset, length: data.len() as u64 }),
    })
}

/// Facts gathered across elements.
struct State {
    out: Emit,
    /// File offset of the Segment's data (SeekPosition origin).
    seg_start: u64,
    /// End of the Segment's data, within the file.
    seg_end: u64,
    /// Element starts already read.
    visited: Vec<u64>,
    /// SeekHead targets: (ID, file offset).
    seeks: Vec<(u32, u64)>,
    /// Track ordinal, for the `TrackN` subgroups.
    tracks_seen: u32,
    /// Chapter ordinal, for the `ChapterN` subgroups.
    chapters_seen: u32,
    /// (TrackUID, stream index) of each track.
    track_uids: Vec<(u64, usize)>,
    /// (TagTrackUID, seconds) from `DURATION` tags.
    track_durations: Vec<(u64, f64)>,
}

/// Reads the metadata of a Matroska or WebM file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let len = cx.len();
    let h = header_at(cx, 0, len)?
        .filter(|h| h.id == EBML)
        .ok_or_else(|| Error::malformed(0, "no EBML header"))?;
    let size = h.size.ok_or_else(|| Error::malformed(0, "EBML header of unknown size"))?;
    let body = cx.read(h.len as u64, size.min(4096))?;
    let mut out = Emit::default();
    let mut kids = Children::new(&body, h.len as u64);
    for e in kids.by_ref() {
        out.simple(cx, None, e.id, e.data, e.offset);
    }
    damage(cx, &kids);

    // Find the Segment, skipping Void/CRC elements before it.
    let mut pos = (h.len as u64).saturating_add(size);
    let mut segment = None;
    for _ in 0..16 {
        let Some(h) = header_at(cx, pos, len)? else { break };
        let data = pos.saturating_add(h.len as u64);
        if h.id == SEGMENT {
            segment = Some((data, h.size));
            break;
        }
        match h.size.and_then(|s| data.checked_add(s)) {
            Some(next) => pos = next,
            None => break,
        }
    }
    let Some((seg_start, seg_size)) = segment else {
        return Err(Error::malformed(pos, "matroska: no Segment after the EBML header"));
    };
    let seg_end = match seg_size.and_then(|s| seg_start.checked_add(s)) {
        Some(end) if end <= len => end,
        Some(_) => {
            cx.warn(seg_start, "matroska: Segment runs past the end of the file (truncated)");
            len
        }
        None => len,
    };
    let mut st = State {
        out,
        seg_start,
        seg_end,
        visited: Vec::new(),
        seeks: Vec::new(),
        tracks_seen: 0,
        chapters_seen: 0,
        track_uids: Vec::new(),
        track_durations: Vec::new(),
    };
    let first_cluster = scan(cx, &mut st, seg_start, MAX_LEVEL1, false)?;
    st.out.late = true;
    if !st.seeks.is_empty() {
        follow_seeks(cx, &mut st, first_cluster)?;
    } else if let Some(c) = first_cluster {
        // No index: hop over the Clusters by size, looking for trailing metadata.
        scan(cx, &mut st, c, MAX_BLIND_HOPS, true)?;
    }
    tracks::finish(cx, &st);
    Ok(())
}

/// Reports iteration damage as a warning.
fn damage(cx: &mut Ctx, kids: &Children) {
    if let Some(d) = kids.damage {
        cx.warn(d.offset, format!("matroska: {}", d.what));
    }
}

/// Reads the header of the element at `pos` (which must end by `end`); `None` at the end
/// or on bytes that are no element header.
fn header_at(cx: &mut Ctx, pos: u64, end: u64) -> Result<Option<Header>> {
    if pos >= end {
        return Ok(None);
    }
    let buf = cx.read(pos, (end - pos).min(MAX_HEADER as u64))?;
    Ok(ebml::read_header(&buf))
}

/// Scans level-1 elements from `pos`, reading the metadata ones. Stops at the first
/// Cluster unless `past_clusters` (then Clusters are skipped by size); returns where that
/// first Cluster starts.
fn scan(cx: &mut Ctx, st: &mut State, mut pos: u64, max: usize, past_clusters: bool) -> Result<Option<u64>> {
    let mut first_cluster = None;
    for _ in 0..max {
        if pos >= st.seg_end {
            return Ok(first_cluster);
        }
        let Some(h) = header_at(cx, pos, st.seg_end)? else {
            cx.warn(pos, "matroska: invalid level-1 element header; scan stopped");
            return Ok(first_cluster);
        };
        match h.id {
            CLUSTER => {
                first_cluster.get_or_insert(pos);
                if !past_clusters {
                    return Ok(first_cluster);
                }
            }
            EBML | SEGMENT => return Ok(first_cluster), // a chained Segment: not ours
            _ => {}
        }
        let Some(size) = element(cx, st, pos, h)? else { return Ok(first_cluster) };
        pos = match pos.checked_add(h.len as u64).and_then(|d| d.checked_add(size)) {
            Some(next) => next,
            None => return Ok(first_cluster),
        };
    }
    if !past_clusters {
        cx.warn(pos, format!("matroska: more than {max} level-1 elements before the media; scan stopped"));
    }
    Ok(first_cluster)
}

/// Reads the SeekHead's targets not yet seen (bounded); those after the first Cluster are
/// emitted with a low priority.
fn follow_seeks(cx: &mut Ctx, st: &mut State, first_cluster: Option<u64>) -> Result<()> {
    let mut done = 0;
    let mut i = 0;
    while let Some(&(id, pos)) = st.seeks.get(i) {
        i += 1;
        if !matches!(id, SEEK_HEAD | INFO | TRACKS | TAGS | CHAPTERS | ATTACHMENTS)
            || st.visited.contains(&pos)
        {
            continue;
        }
        done += 1;
        if done > MAX_SEEKS {
            cx.warn(pos, "matroska: too many SeekHead entries; rest ignored");
            break;
        }
        st.out.late = first_cluster.is_some_and(|c| pos > c);
        match header_at(cx, pos, st.seg_end) {
            Ok(Some(h)) if h.id == id => {
                if let Err(e) = element(cx, st, pos, h) {
                    cx.warn_error(&e);
                }
            }
            Ok(_) => cx.warn(pos, format!("matroska: SeekHead entry {id:#x} points at something else")),
            Err(e) => cx.warn_error(&e),
        }
    }
    Ok(())
}

/// Handles one level-1 element at `pos`; returns its data size (`None`: unknown and
/// unskippable, stop scanning).
fn element(cx: &mut Ctx, st: &mut State, pos: u64, h: Header) -> Result<Option<u64>> {
    let data = pos.saturating_add(h.len as u64);
    let wanted = matches!(h.id, SEEK_HEAD | INFO | TRACKS | TAGS | CHAPTERS);
    if !wanted && h.id != ATTACHMENTS {
        return Ok(h.size);
    }
    if st.visited.contains(&pos) {
        return Ok(h.size);
    }
    st.visited.push(pos);
    if h.id == ATTACHMENTS {
        let end = h.size.and_then(|s| data.checked_add(s)).map_or(st.seg_end, |e| e.min(st.seg_end));
        tags::attachments(cx, st, data, end)?;
        return Ok(h.size);
    }
    let avail = st.seg_end.saturating_sub(data);
    let max_alloc = cx.opts.limits.max_alloc as u64;
    let (body, size) = match h.size {
        Some(s) if s.min(avail) > MAX_ELEMENT.min(max_alloc) => {
            if s > avail {
                cx.warn(pos, format!("matroska: element {:#x} runs past the end of its Segment", h.id));
            }
            cx.check_depth(1, pos)?;
            by_children(cx, st, h.id, data, Some(data.saturating_add(s.min(avail))))?;
            return Ok(Some(s));
        }
        Some(s) => {
            if s > avail {
                cx.warn(pos, format!("matroska: element {:#x} runs past the end of its Segment", h.id));
            }
            let r = cx.read(data, s.min(avail));
            let Some(body) = cx.limit_as_warning(r)? else { return Ok(None) };
            (body, s)
        }
        None => {
            let want = avail.min(MAX_UNKNOWN.min(max_alloc));
            let r = cx.read(data, want);
            let Some(chunk) = cx.limit_as_warning(r)? else { return Ok(None) };
            let n = ebml::unknown_extent(&chunk, h.id);
            if n == chunk.len() && want < avail {
                // Its end is not in the first bytes: walk it child by child.
                drop(chunk);
                cx.check_depth(1, pos)?;
                return by_children(cx, st, h.id, data, None);
            }
            let mut chunk = chunk;
            chunk.truncate(n);
            let n = n as u64;
            (chunk, n)
        }
    };
    cx.check_depth(1, pos)?;
    handle(cx, st, h.id, &body, data);
    Ok(Some(size))
}

/// Hands the data of a level-1 element (or a run of its children, when it is read child
/// by child) to its reader.
fn handle(cx: &mut Ctx, st: &mut State, id: u32, body: &[u8], base: u64) {
    match id {
        SEEK_HEAD => seek_head(cx, st, body, base),
        INFO => info(cx, st, body, base),
        TRACKS => tracks::tracks(cx, st, body, base),
        TAGS => tags::tags(cx, st, body, base),
        CHAPTERS => tags::chapters(cx, st, body, base),
        _ => {}
    }
}

/// Reads a level-1 element `id` too large to read whole (or whose unknown size hides its
/// end past the first bytes), whose data starts at `start` and ends at `end` (`None`:
/// unknown, at the first ID that cannot be its child). Its children are found by their
/// headers and read in runs of whole children within `max_alloc`, each run handed to the
/// element's reader; a child larger than that is skipped with a warning naming the limit.
/// Returns the data size, `None` when the end could not be found (scanning stops).
fn by_children(cx: &mut Ctx, st: &mut State, id: u32, start: u64, end: Option<u64>) -> Result<Option<u64>> {
    let max = MAX_ELEMENT.min(cx.opts.limits.max_alloc as u64);
    let limit = end.unwrap_or(st.seg_end).min(st.seg_end);
    let mut pos = start;
    let mut run = start;
    // Whether the end was found (always, for a known size).
    let mut found = true;
    let mut count = 0usize;
    while pos < limit {
        count += 1;
        if count > ebml::MAX_CHILDREN {
            cx.warn(pos, "matroska: too many child elements");
            found = false;
            break;
        }
        let r = header_at(cx, pos, limit);
        let Some(h) = cx.limit_as_warning(r)?.flatten() else {
            // The end of an unknown-sized element, or damage that leaves no way forward.
            if end.is_some() {
                cx.warn(pos, "matroska: invalid EBML element header");
            }
            break;
        };
        if end.is_none() && (h.id == id || is_top_level(h.id)) {
            found = true;
            break;
        }
        let size = match h.size {
            Some(s) => s,
            None => match unknown_child(cx, pos.saturating_add(h.len as u64), limit, h.id, max)? {
                Some(n) => n,
                None => {
                    let msg =
                        format!("matroska: end of child {:#x} of unknown size not found; rest skipped", h.id);
                    cx.warn(pos, msg);
                    found = false;
                    break;
                }
            },
        };
        let next = pos.saturating_add(h.len as u64).saturating_add(size).min(limit);
        if next - pos > max {
            flush(cx, st, id, run, pos)?;
            let msg = format!(
                "matroska: element {:#x} of {} bytes at {pos:#x} skipped: past max_alloc ({max} bytes)",
                h.id,
                next - pos
            );
            cx.warn(pos, msg);
            run = next;
        } else if next - run > max {
            flush(cx, st, id, run, pos)?;
            run = pos;
        }
        pos = next;
    }
    flush(cx, st, id, run, pos)?;
    Ok((found || end.is_some()).then_some(pos - start))
}

/// The data size of a child of unknown size whose data starts at `data` (its parent ends by
/// `limit`), when its end is within `max` bytes.
fn unknown_child(cx: &mut Ctx, data: u64, limit: u64, id: u32, max: u64) -> Result<Option<u64>> {
    let avail = limit.saturating_sub(data);
    let want = avail.min(max);
    let r = cx.read(data, want);
    let Some(chunk) = cx.limit_as_warning(r)? else { return Ok(None) };
    let n = ebml::unknown_extent(&chunk, id);
    Ok((n < chunk.len() || want == avail).then_some(n as u64))
}

/// Reads the children of element `id` in `[from, to)` and hands them to its reader.
fn flush(cx: &mut Ctx, st: &mut State, id: u32, from: u64, to: u64) -> Result<()> {
    if to > from {
        let r = cx.read(from, to - from);
        if let Some(body) = cx.limit_as_warning(r)? {
            handle(cx, st, id, &body, from);
        }
    }
    Ok(())
}

/// SeekHead: collects (ID, file offset) of the indexed level-1 elements.
fn seek_head(cx: &mut Ctx, st: &mut State, body: &[u8], base: u64) {
    let mut kids = Children::new(body, base);
    for seek in kids.by_ref().filter(|e| e.id == SEEK) {
        let (mut id, mut at) = (None, None);
        for e in Children::new(seek.data, seek.offset) {
            match e.id {
                SEEK_ID => id = ebml::uint(e.data).and_then(|v| u32::try_from(v).ok()),
                SEEK_POSITION => at = ebml::uint(e.data).and_then(|p| st.seg_start.checked_add(p)),
                _ => {}
            }
        }
        if let (Some(id), Some(at)) = (id, at) {
            if at < st.seg_end && st.seeks.len() < 1024 && !st.seeks.contains(&(id, at)) {
                st.seeks.push((id, at));
            }
        }
    }
    damage(cx, &kids);
}

/// Segment Info: scale, duration, date, title, apps, UIDs.
fn info(cx: &mut Ctx, st: &mut State, body: &[u8], base: u64) {
    let scale = Children::new(body, base)
        .find(|e| e.id == TIMECODE_SCALE)
        .and_then(|e| ebml::uint(e.data))
        .filter(|s| *s > 0)
        .unwrap_or(1_000_000) as f64;
    let mut kids = Children::new(body, base);
    for e in kids.by_ref() {
        match e.id {
            TIMECODE_SCALE => {
                let v = ebml::uint(e.data).unwrap_or(1_000_000) as f64 / 1e9;
                st.out.tag(cx, None, "TimecodeScale".into(), v.into());
            }
            DURATION => match ebml::float(e.data) {
                Some(d) if d.is_finite() => st.out.tag(cx, None, "Duration".into(), (d * scale / 1e9).into()),
                _ => cx.warn(e.offset, "matroska: bad Duration"),
            },
            DATE_UTC => match ebml::int(e.data).filter(|_| e.data.len() == 8) {
                Some(ns) => st.out.tag(cx, None, "DateTimeOriginal".into(), date_2001(ns).into()),
                None => cx.warn(e.offset, "matroska: bad DateUTC"),
            },
            _ => {
                st.out.simple(cx, None, e.id, e.data, e.offset);
            }
        }
    }
    damage(cx, &kids);
}

/// An EBML date (ns since 2001-01-01 00:00:00 UTC) in ExifTool form, `Z`-suffixed. The
/// fraction is that of the seconds as a double, to 15 significant digits, as ExifTool
/// prints it (`.123000025749207` for 123 ms).
fn date_2001(ns: i64) -> String {
    // Seconds from 1970 to 2001.
    const EPOCH_2001: i64 = 978_307_200;
    let secs_f = ns as f64 / 1e9;
    let whole = secs_f.floor();
    let frac = secs_f - whole;
    let secs = (whole as i64).saturating_add(EPOCH_2001);
    let (y, m, d, h, mi, sec) = crate::base::date::civil(secs);
    let mut s = format!("{y:04}:{m:02}:{d:02} {h:02}:{mi:02}:{sec:02}");
    if frac > 0.0 && frac < 1.0 {
        let decimals = (14 - frac.log10().floor() as i64).clamp(1, 30) as usize;
        let f = format!("{frac:.decimals$}");
        let f = f.trim_end_matches('0');
        if let Some(rest) = f.strip_prefix("0.").filter(|r| !r.is_empty()) {
            s.push('.');
            s.push_str(rest);
        }
    }
    s.push('Z');
    s
}

#[cfg(test)]
mod tests;

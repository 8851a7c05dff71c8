//! QuickTime movies and ISO-BMFF media (MP4, MOV, M4A, M4V, 3GP): walks the top-level box
//! headers (skipping `mdat` by offset), reads `moov` with one read, and reports ExifTool's
//! `QuickTime:` tags plus one ffprobe-style [`Stream`](crate::model::Stream) per track.
//!
//! A `moov` over [`WHOLE_BOX`] (sample tables of millions of entries, a large cover) is
//! walked box by box instead ([`Body::File`]): containers small enough are read whole,
//! other boxes are read alone (within `max_alloc`), sample tables are summed in windows of
//! [`TABLE_WINDOW`] bytes and pictures only referenced, so that memory stays bounded by
//! the limits whatever the size of the movie header.
//!
//! Layout: this file walks the file and the `moov` box and holds the readers the others
//! share (full-box times, `hdlr`, child boxes); `track.rs` reads `trak`, `entry.rs` the
//! sample descriptions (`stsd`, the tags of their extension atoms in `extensions.rs`),
//! `meta.rs` the user data (`udta`, `meta`/`keys`/`ilst`) with its tag names in
//! `names.rs`, its text forms in `text.rs` and Nero chapters in `chapters.rs`;
//! `fragments.rs` finds movie fragments and `fragment_times.rs` reads their track runs;
//! `timed.rs` locates the samples of timed-metadata tracks a caller asks for;
//! `streams.rs` turns tracks into streams.

mod audio_type;
mod chapters;
mod entry;
mod extensions;
mod fragment_times;
mod fragments;
mod meta;
mod names;
mod node;
mod streams;
mod text;
mod timed;
mod track;

pub(crate) use timed::TimedSample;

use super::boxes::SliceBoxes;
use super::codec;
use crate::base::bytes::{array, be16, be32, be64};
use crate::base::decode::latin1;
use crate::context::Ctx;
use crate::error::{ErrorKind, Result};
use crate::model::{Tag, Value};
use crate::sniff::Format;
use node::{Body, Node, Opened, nodes};
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Most top-level boxes walked.
const MAX_TOP_BOXES: usize = 100_000;
/// Largest box payload read whole and parsed from memory (also at most `max_alloc`);
/// larger ones are walked box by box.
const WHOLE_BOX: u64 = 4 << 20;
/// Bytes of a sample table read at a time when it is not in memory.
pub(super) const TABLE_WINDOW: u64 = 64 << 10;
/// Largest `ftyp` payload read.
const MAX_FTYP: u64 = 4096;
/// The extended type of XMP `uuid` boxes.
const XMP_UUID: [u8; 16] =
    [0xbe, 0x7a, 0xcf, 0xcb, 0x97, 0xa9, 0x42, 0xe8, 0x9c, 0x71, 0x99, 0x94, 0x91, 0xe3, 0xaf, 0xac];
/// Seconds from 1904-01-01 (QuickTime epoch) to 1970-01-01.
const QT_EPOCH_OFFSET: u64 = crate::base::date::MAC_EPOCH_OFFSET as u64;

/// What the walk has learnt so far.
#[derive(Default)]
pub(super) struct Movie {
    /// Index in `cx.tags` of the tag currently shown for each name (later ones win).
    shown: HashMap<Cow<'static, str>, usize>,
    /// `mvhd` time scale.
    timescale: u32,
    /// `mvhd` duration in seconds.
    duration: Option<f64>,
    /// Tracks in file order.
    tracks: Vec<track::Track>,
    /// Cover pictures (`covr` items), shown by ffprobe as attached-picture streams.
    covers: Vec<meta::Cover>,
    /// Largest payload read whole (see [`WHOLE_BOX`]).
    whole: u64,
    /// Track times from movie fragments.
    frag: fragment_times::Times,
    /// Sample formats whose samples the caller wants located ([`parse_timed`]).
    timed: &'static [[u8; 4]],
}

impl Movie {
    /// Records a `QuickTime:` tag that replaces an earlier one of the same name in the
    /// ExifTool view (ExifTool keeps the last of duplicate QuickTime tags).
    pub fn put(
        &mut self,
        cx: &mut Ctx,
        sub: &str,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Value>,
    ) {
        let before = cx.tags.len();
        // One hash per tag: the entry is looked up once.
        match self.shown.entry(name.into()) {
            Entry::Occupied(mut o) => {
                let prev = *o.get();
                if let Some(t) = cx.tags.get_mut(prev) {
                    t.priority = -1;
                }
                cx.push(Tag::new("QuickTime", o.key().clone(), value).in_subgroup(sub.to_owned()));
                if cx.tags.len() > before {
                    *o.get_mut() = before;
                } else if let Some(t) = cx.tags.get_mut(prev) {
                    // The tag was dropped (tag limit): keep showing the earlier one.
                    t.priority = 0;
                }
            }
            Entry::Vacant(v) => {
                cx.push(Tag::new("QuickTime", v.key().clone(), value).in_subgroup(sub.to_owned()));
                if cx.tags.len() > before {
                    v.insert(before);
                }
            }
        }
    }

    /// Records a `QuickTime:` tag that an earlier one of the same name hides (track
    /// headers: ExifTool shows the first track's).
    pub fn put_first(&mut self, cx: &mut Ctx, sub: &str, name: &'static str, value: impl Into<Value>) {
        if let Entry::Vacant(v) = self.shown.entry(Cow::Borrowed(name)) {
            v.insert(cx.tags.len());
            cx.push(Tag::new("QuickTime", name, value).in_subgroup(sub.to_owned()));
        } else {
            cx.push(Tag::new("QuickTime", name, value).in_subgroup(sub.to_owned()).with_priority(-1));
        }
    }
}

/// Reads the metadata of a movie file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    parse_reading_whole(cx, WHOLE_BOX.min(cx.opts.limits.max_alloc as u64), &[]).map(|_| ())
}

/// [`parse`], and the first samples (at most [`timed::MAX_TIMED_SAMPLES`] a track) of the tracks
/// whose sample description is one of `formats` (CR3's `CTMD`), for the caller to read:
/// their bytes are a payload the movie reader does not interpret.
pub(crate) fn parse_timed(cx: &mut Ctx, formats: &'static [[u8; 4]]) -> Result<Vec<TimedSample>> {
    parse_reading_whole(cx, WHOLE_BOX.min(cx.opts.limits.max_alloc as u64), formats)
}

/// [`parse_timed`], reading payloads of at most `whole` bytes whole.
fn parse_reading_whole(cx: &mut Ctx, whole: u64, timed: &'static [[u8; 4]]) -> Result<Vec<TimedSample>> {
    let mut m = Movie { shown: HashMap::with_capacity(64), whole, timed, ..Movie::default() };
    quicktime_mime(cx)?;
    let result = walk_top(cx, &mut m);
    streams::finish(cx, &mut m);
    audio_type::retype(cx, &m);
    result.map(|()| timed::located(&m))
}

/// ExifTool's MIME type for a QuickTime movie that its extension named a sub-type (a
/// `qt  ` movie saved as `.mp4`): `video/quicktime`, except for an MP4 without a usable
/// `ftyp` box, which takes MP4's own.
fn quicktime_mime(cx: &mut Ctx) -> Result<()> {
    // Within the allocation budget; the walk reports a file that cannot be read.
    let Ok(head) = cx.read_up_to(0, (8 + MAX_FTYP).min(cx.opts.limits.max_alloc as u64)) else {
        return Ok(());
    };
    let size = be32(&head, 0).unwrap_or(0) as usize;
    let ftyp = (head.get(4..8) == Some(b"ftyp") && size >= 12).then(|| head.get(8..size.min(head.len())));
    let (content_mov, keep_mp4) = match ftyp {
        Some(body) => (crate::sniff::ftyp_format(body.unwrap_or_default()) == Format::Mov, false),
        None => (true, true),
    };
    if !content_mov {
        return Ok(());
    }
    for t in cx.tags.iter_mut().filter(|t| t.group == "File" && t.name == "MIMEType") {
        let named = t.value.as_str().unwrap_or_default();
        if !(keep_mp4 && named == Format::Mp4.mime()) {
            t.value = Value::from(Format::Mov.mime());
        }
    }
    Ok(())
}

fn walk_top(cx: &mut Ctx, m: &mut Movie) -> Result<()> {
    let len = cx.len();
    let mut pos = 0u64;
    let mut count = 0usize;
    let mut fragments = false;
    // The last fragment's sequence number and media data: what ExifTool shows.
    let (mut last_seq, mut last_mdat) = (None, None);
    // The last `moof` (payload offset and length) and whether its runs were read; and
    // whether the one jump ahead was tried.
    let (mut last_moof, mut jump_tried) = (None, false);
    // The fragments' media data before the last (`Composite:AvgBitrate` counts it all).
    let mut between = 0u64;
    while len.saturating_sub(pos) >= 8 {
        count += 1;
        if count > MAX_TOP_BOXES {
            cx.warn(pos, format!("more than {MAX_TOP_BOXES} top-level boxes; the rest are skipped"));
            break;
        }
        let head = cx.read_up_to(pos, 32)?;
        let Some((kind, header_len, declared)) = top_header(&head, len - pos) else {
            cx.warn(pos, "top-level box header is malformed; the rest of the file is skipped");
            break;
        };
        let avail = len - pos;
        let truncated = declared > avail;
        let size = declared.min(avail);
        let body_offset = pos + header_len;
        let body_len = size - header_len;
        match &kind {
            b"ftyp" => {
                let body = cx.read(body_offset, body_len.min(MAX_FTYP))?;
                codec::parse_ftyp(cx, &body);
            }
            b"moov" => {
                if let Some(body) = open_box(cx, m.whole, body_offset, body_len)? {
                    moov(cx, m, body.body(), body_offset);
                }
            }
            b"mdat" if fragments => {
                if let Some((size, _)) = last_mdat.replace((declared - header_len, body_offset)) {
                    between = between.saturating_add(size);
                }
            }
            b"mdat" => {
                m.put(cx, "QuickTime", "MediaDataSize", declared - header_len);
                m.put(cx, "QuickTime", "MediaDataOffset", body_offset);
            }
            b"moof" => {
                let exhausted = m.frag.exhausted();
                let body = cx.read(body_offset, m.frag.read_len(body_len))?;
                last_seq = fragments::sequence(&body, body_offset).or(last_seq);
                last_moof = Some((body_offset, body_len, !exhausted));
                if !exhausted {
                    let tracks = &m.tracks;
                    m.frag.moof(&body, |id| moov_ticks(tracks, id));
                }
                let first = !fragments;
                fragments = true;
                // The last fragments alone give every end when each track fragment has
                // its decode time; otherwise only once the walk's bound is reached.
                // A movie header with a duration makes ExifTool's AvgBitrate, which counts
                // every fragment's media data: then the walk goes on to the bound.
                let no_rate = m.duration.is_none_or(|d| d == 0.0);
                if !jump_tried && ((first && m.frag.all_tfdt && no_rate) || exhausted) {
                    jump_tried = true;
                    let next = pos + size;
                    let mut target = fragments::last_listed(cx, !exhausted)?;
                    if target.is_none() && !exhausted {
                        let ids: Vec<u32> = m.frag.tracks.iter().map(|t| t.id).collect();
                        target = fragments::last_in_tail(cx, next, &ids)?;
                    }
                    if let Some(at) = target.filter(|&at| at > next) {
                        m.frag.skip();
                        pos = at;
                        continue;
                    }
                }
            }
            b"uuid" => {
                let is_xmp = head.get(8..24).is_some_and(|u| u == XMP_UUID);
                if is_xmp && body_len >= 16 {
                    if let Some(body) = read_box(cx, body_offset + 16, body_len - 16)? {
                        xmp(cx, &body);
                    }
                }
            }
            b"udta" | b"meta" => {
                if let Some(body) = open_box(cx, m.whole, body_offset, body_len)? {
                    if &kind == b"udta" {
                        meta::udta(cx, m, "UserData", body.body(), body_offset, 1);
                    } else {
                        meta::meta(cx, m, "Meta", body.body(), body_offset, 1);
                    }
                }
            }
            _ => {}
        }
        if truncated {
            let name = latin1(&kind);
            cx.warn(pos, format!("'{name}' box ({declared} bytes) runs past the end of the file"));
            break;
        }
        pos += size;
        if &kind == b"mdat" && !fragments && pos < cx.len() {
            // What follows the media data (typically `moov`) is what the walk needs
            // next: one request for all of it, instead of a header then a payload.
            let rest = pos..cx.len();
            cx.prefetch(&[rest]);
        }
    }
    if let Some((offset, len, false)) = last_moof {
        // Past the walk's bound: the last fragment still gives the ends of the tracks
        // whose fragments carry their decode times.
        m.frag.skip();
        let body = cx.read(offset, len.min(fragment_times::MAX_MOOF))?;
        let tracks = &m.tracks;
        m.frag.moof(&body, |id| moov_ticks(tracks, id));
    }
    if let Some(seq) = last_seq {
        m.put(cx, "QuickTime", "MovieFragmentSequence", seq);
    }
    if let Some((size, offset)) = last_mdat {
        if between > 0 {
            m.put(cx, "QuickTime", "MediaDataSize", between);
        }
        m.put(cx, "QuickTime", "MediaDataSize", size);
        m.put(cx, "QuickTime", "MediaDataOffset", offset);
    }
    Ok(())
}

/// The summed sample durations of track `id` in the movie header (where its fragments
/// without a decode time start).
fn moov_ticks(tracks: &[track::Track], id: u32) -> u64 {
    tracks.iter().find(|t| t.id == id).and_then(|t| t.stts).map_or(0, |s| s.1)
}

/// Reads a box payload; a payload over the read limits is skipped with a warning (the
/// rest of the file still counts), I/O errors end the extraction.
fn read_box(cx: &mut Ctx, offset: u64, len: u64) -> Result<Option<Vec<u8>>> {
    match cx.read(offset, len) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == ErrorKind::LimitExceeded => {
            cx.warn_error(&e);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// A payload to walk: read whole when at most `whole` bytes (borrowed when the input is in
/// memory), else left in the file. A read over the limits is skipped with a warning (the
/// rest of the file still counts), I/O errors end the extraction.
fn open_box<'a>(cx: &mut Ctx<'a>, whole: u64, offset: u64, len: u64) -> Result<Option<Opened<'a>>> {
    if len > whole {
        return Ok(Some(Opened::File(len)));
    }
    match cx.read_cow(offset, len) {
        Ok(b) => Ok(Some(Opened::Mem(b))),
        Err(e) if e.kind() == ErrorKind::LimitExceeded => {
            cx.warn_error(&e);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Parses a top-level box header: (type, header length, declared size). A size of 0 runs
/// to the end of the file (`avail`).
fn top_header(head: &[u8], avail: u64) -> Option<([u8; 4], u64, u64)> {
    let size32 = be32(head, 0)?;
    let kind: [u8; 4] = array(head, 4)?;
    let (mut header_len, size) = match size32 {
        0 => (8, avail),
        1 => (16, be64(head, 8)?),
        n => (8, u64::from(n)),
    };
    if &kind == b"uuid" {
        header_len += 16;
    }
    (size >= header_len && avail >= header_len).then_some((kind, header_len, size))
}

fn moov(cx: &mut Ctx, m: &mut Movie, data: Body<'_>, base: u64) {
    let boxes = nodes(cx, data, base);
    // The movie header's time scale is needed by the track headers: read it first.
    for b in boxes.iter().filter(|b| &b.kind == b"mvhd").take(1) {
        if let Some(body) = b.bytes(cx) {
            mvhd(cx, m, &body, b.offset);
        }
    }
    for b in &boxes {
        match &b.kind {
            b"trak" => {
                if let Some(o) = b.open(cx, m.whole) {
                    track::trak(cx, m, o.body(), b.body_offset);
                }
            }
            b"udta" => {
                if let Some(o) = b.open(cx, m.whole) {
                    meta::udta(cx, m, "UserData", o.body(), b.body_offset, 1);
                }
            }
            b"meta" => {
                if let Some(o) = b.open(cx, m.whole) {
                    meta::meta(cx, m, "Meta", o.body(), b.body_offset, 1);
                }
            }
            b"mvex" => {
                let Some(o) = b.open(cx, m.whole) else { continue };
                for e in nodes(cx, o.body(), b.body_offset) {
                    if &e.kind == b"trex" {
                        if let Some(body) = e.bytes(cx) {
                            m.frag.trex(&body);
                        }
                    }
                }
            }
            b"cmov" => cx.warn(b.offset, "compressed movie header (cmov) is not supported"),
            b"uuid" if b.uuid == Some(XMP_UUID) => {
                if let Some(body) = b.bytes(cx) {
                    xmp(cx, &body);
                }
            }
            _ => {}
        }
    }
}

/// Hands an XMP packet to the shared XMP parser.
pub(super) fn xmp(cx: &mut Ctx, data: &[u8]) {
    if let Err(e) = crate::meta::xmp::parse_packet(cx, data) {
        cx.warn_error(&e);
    }
}

/// Reads `(creation, modification, timescale, duration)` of a version 0/1 full box whose
/// payload starts at `b[4]`; returns them and the offset after.
/// `with_id` is for `tkhd`, whose middle field (track ID) is followed by 4 reserved bytes.
pub(super) fn times(b: &[u8], with_id: bool) -> Option<([u64; 2], u32, u64, usize)> {
    let gap = if with_id { 4 } else { 0 };
    if *b.first()? == 1 {
        let (c, md, mid) = (be64(b, 4)?, be64(b, 12)?, be32(b, 20)?);
        Some(([c, md], mid, be64(b, 24 + gap)?, 32 + gap))
    } else {
        let (c, md, mid) = (u64::from(be32(b, 4)?), u64::from(be32(b, 8)?), be32(b, 12)?);
        Some(([c, md], mid, u64::from(be32(b, 16 + gap)?), 20 + gap))
    }
}

fn mvhd(cx: &mut Ctx, m: &mut Movie, b: &[u8], offset: u64) {
    let Some(([created, modified], timescale, duration, at)) = times(b, false) else {
        cx.warn(offset, "mvhd box is truncated");
        return;
    };
    let sub = "QuickTime";
    m.put(cx, sub, "MovieHeaderVersion", b[0]);
    m.put(cx, sub, "CreateDate", qt_date(created));
    m.put(cx, sub, "ModifyDate", qt_date(modified));
    m.put(cx, sub, "TimeScale", timescale);
    m.timescale = timescale;
    let secs = |v: u64| (timescale > 0).then(|| v as f64 / f64::from(timescale));
    if let Some(d) = secs(duration) {
        m.duration = Some(d);
        m.put(cx, sub, "Duration", d);
    }
    let (Some(rate), Some(volume)) = (be32(b, at), be16(b, at + 4)) else {
        cx.warn(offset, "mvhd box is truncated");
        return;
    };
    m.put(cx, sub, "PreferredRate", fixed16(rate));
    m.put(cx, sub, "PreferredVolume", f64::from(volume) / 256.0);
    // 10 reserved bytes and the 36-byte matrix come next.
    let names =
        ["PreviewTime", "PreviewDuration", "PosterTime", "SelectionTime", "SelectionDuration", "CurrentTime"];
    let mut p = at + 6 + 10 + 36;
    for name in names {
        let Some(v) = be32(b, p) else { return };
        if let Some(s) = secs(u64::from(v)) {
            m.put(cx, sub, name, s);
        }
        p += 4;
    }
    if let Some(next) = be32(b, p) {
        m.put(cx, sub, "NextTrackID", next);
    }
}

/// `hdlr`: emits `HandlerClass`, `HandlerType`, `HandlerVendorID`, `HandlerDescription`;
/// returns the handler type and name.
pub(super) fn hdlr(cx: &mut Ctx, m: &mut Movie, sub: &str, b: &[u8]) -> Option<([u8; 4], Option<String>)> {
    let class: [u8; 4] = array(b, 4)?;
    let kind: [u8; 4] = array(b, 8)?;
    let vendor = b.get(12..16)?;
    if class != [0; 4] {
        m.put(cx, sub, "HandlerClass", latin1(&class));
    }
    m.put(cx, sub, "HandlerType", latin1(&kind));
    if vendor.iter().any(|&c| c != 0) {
        m.put(cx, sub, "HandlerVendorID", latin1(vendor));
    }
    let raw = b.get(24..).unwrap_or_default();
    // QuickTime writes a Pascal string, ISO files a C string.
    // A leading length byte that matches the rest (give or take a NUL) marks Pascal.
    let pascal =
        raw.first().map(|&n| usize::from(n)).filter(|&n| n > 0 && n < raw.len() && n + 2 >= raw.len());
    let text = match pascal {
        Some(n) => raw.get(1..1 + n).unwrap_or_default(),
        None => raw,
    };
    let text = text.split(|&c| c == 0).next().unwrap_or_default();
    let name = String::from_utf8_lossy(text).trim().to_owned();
    let name = (!name.is_empty()).then_some(name);
    if let Some(n) = &name {
        m.put(cx, sub, "HandlerDescription", n.clone());
    }
    Some((kind, name))
}

/// A QuickTime time stamp (seconds since 1904-01-01 UTC) as `YYYY:MM:DD HH:MM:SS`. Zero
/// means unset; values too small for the 1904 epoch are taken as Unix times (some writers
/// use that epoch by mistake).
pub(super) fn qt_date(secs: u64) -> String {
    if secs == 0 {
        return "0000:00:00 00:00:00".to_owned();
    }
    let unix = if secs >= QT_EPOCH_OFFSET { secs - QT_EPOCH_OFFSET } else { secs };
    crate::base::date::exif_datetime(i64::try_from(unix).unwrap_or(i64::MAX))
}

/// A signed 16.16 fixed-point number.
pub(super) fn fixed16(v: u32) -> f64 {
    f64::from(v as i32) / 65536.0
}

/// A number as ExifTool prints it in lists: integers bare, others with at most 15
/// significant digits (`1`, `0.5`, `151.2153`).
pub(super) fn num(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v == v.trunc() && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let magnitude = if v == 0.0 { 0 } else { v.abs().log10().floor() as i32 + 1 };
    let decimals = (15 - magnitude).clamp(0, 20) as usize;
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    s.to_owned()
}

/// Iterates over child boxes, turning errors and truncation into warnings.
pub(super) fn children<'a>(cx: &mut Ctx, data: &'a [u8], base: u64) -> Vec<super::boxes::SliceBox<'a>> {
    let mut out = Vec::new();
    for item in SliceBoxes::new(data, base) {
        match item {
            Ok(b) => {
                if b.clipped {
                    cx.warn(b.offset, format!("'{}' box is truncated", latin1(&b.kind)));
                }
                out.push(b);
            }
            Err(e) => {
                cx.warn_error(&e);
                break;
            }
        }
    }
    out
}

/// Fails with a depth error past the nesting limit (as a warning).
pub(super) fn deep(cx: &mut Ctx, depth: u32, offset: u64) -> bool {
    if let Err(e) = cx.check_depth(depth, offset) {
        cx.warn_error(&e);
        return true;
    }
    false
}

#[cfg(test)]
mod tests;

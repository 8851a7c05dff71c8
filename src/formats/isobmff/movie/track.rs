//! One `trak`: track header, edit list, media header, handler, media information and the
//! sample tables that give frame rate and bit rate (read from the in-memory `moov`).

use super::entry::{self, Entry};
use super::{Body, Movie, Node, TABLE_WINDOW, children, deep, fixed16, nodes, num, qt_date, times};
use crate::base::bytes::{be16, be32, be64};
use crate::base::decode::latin1;
use crate::context::Ctx;

/// Most `stts`/`stsz`/`elst` entries summed (more are ignored with a warning).
const MAX_TABLE_ENTRIES: u64 = 50_000_000;

/// What one track told us.
#[derive(Debug, Default)]
pub(super) struct Track {
    /// Handler type (`vide`, `soun`, `text`...).
    pub handler: [u8; 4],
    /// Handler name.
    pub handler_name: Option<String>,
    /// Display rotation in degrees clockwise, from the track matrix.
    pub rotation: Option<i32>,
    /// Track duration in seconds (`tkhd`, movie time scale).
    pub duration: Option<f64>,
    /// Media time scale (`mdhd`).
    pub media_timescale: u32,
    /// Media duration in media units (`mdhd`).
    pub media_duration: u64,
    /// Sum of the non-empty edits, in movie units.
    pub edit_duration: Option<u64>,
    /// ISO 639-2 language.
    pub language: Option<String>,
    /// The first sample description.
    pub entry: Option<Entry>,
    /// Samples counted by `stts`, and the sum of their durations (media units).
    pub stts: Option<(u64, u64)>,
    /// Total sample bytes (`stsz`/`stz2`).
    pub sample_bytes: Option<u64>,
    /// Track ID (`tkhd`).
    pub id: u32,
    /// The chapter track this one names (`tref/chap`).
    pub chapter_track: Option<u32>,
    /// The sample tables of a timed-metadata track whose samples the caller wants
    /// ([`super::parse_timed`]).
    pub tables: super::timed::Tables,
}

/// Reads one `trak` box.
pub(super) fn trak(cx: &mut Ctx, m: &mut Movie, data: Body<'_>, base: u64) {
    let number = m.tracks.len() as u32 + 1;
    let sub = format!("Track{number}");
    let mut t = Track::default();
    for b in nodes(cx, data, base) {
        match &b.kind {
            b"tkhd" => {
                if let Some(body) = b.bytes(cx) {
                    tkhd(cx, m, &mut t, &sub, &body, b.offset);
                }
            }
            b"edts" => {
                let Some(o) = b.open(cx, m.whole) else { continue };
                for e in nodes(cx, o.body(), b.body_offset) {
                    if &e.kind == b"elst" {
                        t.edit_duration = elst(cx, &e);
                    }
                }
            }
            b"mdia" => {
                if let Some(o) = b.open(cx, m.whole) {
                    mdia(cx, m, &mut t, &sub, o.body(), b.body_offset);
                }
            }
            b"tapt" => {
                if let Some(body) = b.bytes(cx) {
                    tapt(cx, m, &sub, &body, b.body_offset);
                }
            }
            b"tref" => {
                let Some(body) = b.bytes(cx) else { continue };
                for r in children(cx, &body, b.body_offset) {
                    if &r.kind == b"tmcd" {
                        if let Some(id) = be32(r.body, 0) {
                            m.put(cx, &sub, "TimeCode", id);
                        }
                    }
                    if &r.kind == b"chap" {
                        if let Some(id) = be32(r.body, 0) {
                            m.put(cx, &sub, "ChapterListTrackID", id);
                            t.chapter_track.get_or_insert(id);
                        }
                    }
                }
            }
            b"udta" => {
                if let Some(o) = b.open(cx, m.whole) {
                    super::meta::udta(cx, m, &sub, o.body(), b.body_offset, 2);
                }
            }
            b"meta" => {
                if let Some(o) = b.open(cx, m.whole) {
                    super::meta::meta(cx, m, &sub, o.body(), b.body_offset, 2);
                }
            }
            _ => {}
        }
    }
    if &t.handler == b"vide" {
        if let Some(rate) = t.frame_rate() {
            m.put(cx, &sub, "VideoFrameRate", rate);
        }
    }
    m.tracks.push(t);
}

impl Track {
    /// Average frames per second: samples x media time scale / summed sample durations.
    pub fn frame_rate(&self) -> Option<f64> {
        let (count, total) = self.stts?;
        (count > 0 && total > 0 && self.media_timescale > 0)
            .then(|| count as f64 * f64::from(self.media_timescale) / total as f64)
    }

    /// Media duration in seconds (none when the header says it is unknown).
    pub fn media_seconds(&self) -> Option<f64> {
        (self.media_timescale > 0 && !unknown(self.media_duration))
            .then(|| self.media_duration as f64 / f64::from(self.media_timescale))
    }
}

/// A duration of all ones: unknown (fragmented movies write it).
fn unknown(duration: u64) -> bool {
    duration == u64::MAX || duration == u64::from(u32::MAX)
}

fn tkhd(cx: &mut Ctx, m: &mut Movie, t: &mut Track, sub: &str, b: &[u8], offset: u64) {
    let Some(([created, modified], id, duration, at)) = times(b, true) else {
        cx.warn(offset, "tkhd box is truncated");
        return;
    };
    m.put_first(cx, sub, "TrackHeaderVersion", b[0]);
    m.put_first(cx, sub, "TrackCreateDate", qt_date(created));
    m.put_first(cx, sub, "TrackModifyDate", qt_date(modified));
    m.put_first(cx, sub, "TrackID", id);
    t.id = id;
    if m.timescale > 0 {
        let secs = duration as f64 / f64::from(m.timescale);
        t.duration = Some(secs).filter(|_| !unknown(duration));
        m.put_first(cx, sub, "TrackDuration", secs);
    }
    // 8 reserved bytes, then layer, alternate group, volume, 2 reserved, matrix, size.
    let p = at + 8;
    let (Some(layer), Some(volume)) = (be16(b, p), be16(b, p + 4)) else {
        cx.warn(offset, "tkhd box is truncated");
        return;
    };
    m.put_first(cx, sub, "TrackLayer", layer as i16);
    m.put_first(cx, sub, "TrackVolume", f64::from(volume) / 256.0);
    let mut matrix = [0f64; 9];
    for (i, v) in matrix.iter_mut().enumerate() {
        let Some(raw) = be32(b, p + 8 + 4 * i) else {
            cx.warn(offset, "tkhd box is truncated");
            return;
        };
        // u, v and w (the third column) are 2.30 fixed point; the rest 16.16.
        *v = if i % 3 == 2 { f64::from(raw as i32) / f64::from(1u32 << 30) } else { fixed16(raw) };
    }
    let text: Vec<String> = matrix.iter().map(|&v| num(v)).collect();
    m.put_first(cx, sub, "MatrixStructure", text.join(" "));
    let angle = matrix[1].atan2(matrix[0]).to_degrees().round() as i32;
    t.rotation = Some(angle.rem_euclid(360));
    let (Some(w), Some(h)) = (be32(b, p + 44), be32(b, p + 48)) else { return };
    let (w, h) = (w >> 16, h >> 16);
    if w > 0 && h > 0 {
        m.put_first(cx, sub, "ImageWidth", w);
        m.put_first(cx, sub, "ImageHeight", h);
    }
}

/// Sum of the durations of non-empty edits (media time -1 marks an empty edit).
fn elst(cx: &mut Ctx, b: &Node) -> Option<u64> {
    let head = b.range(cx, 0, 8)?;
    let v1 = *head.first()? == 1;
    let count = be32(&head, 4)?;
    let entry = if v1 { 20 } else { 12 };
    let fits = b.len().saturating_sub(8) / entry;
    if u64::from(count) > fits {
        cx.warn(b.offset, format!("elst claims {count} entries, room for {fits}"));
    }
    let mut total = 0u64;
    let mut any = false;
    let n = u64::from(count).min(fits);
    each_window(cx, b, 8, entry, n, |w| {
        for e in w.chunks_exact(entry as usize) {
            let (dur, media_time) = if v1 {
                (be64(e, 0).unwrap_or(0), be64(e, 8).unwrap_or(0) as i64)
            } else {
                (u64::from(be32(e, 0).unwrap_or(0)), i64::from(be32(e, 4).unwrap_or(0) as i32))
            };
            if media_time != -1 {
                total = total.saturating_add(dur);
                any = true;
            }
        }
    })?;
    (any && total > 0).then_some(total)
}

fn mdia(cx: &mut Ctx, m: &mut Movie, t: &mut Track, sub: &str, data: Body<'_>, base: u64) {
    for b in nodes(cx, data, base) {
        match &b.kind {
            b"mdhd" => {
                if let Some(body) = b.bytes(cx) {
                    mdhd(cx, m, t, sub, &body, b.offset);
                }
            }
            b"hdlr" => {
                let Some(body) = b.bytes(cx) else { continue };
                if let Some((kind, name)) = super::hdlr(cx, m, sub, &body) {
                    t.handler = kind;
                    t.handler_name = name;
                }
            }
            b"minf" => {
                if let Some(o) = b.open(cx, m.whole) {
                    minf(cx, m, t, sub, o.body(), b.body_offset);
                }
            }
            _ => {}
        }
    }
}

fn mdhd(cx: &mut Ctx, m: &mut Movie, t: &mut Track, sub: &str, b: &[u8], offset: u64) {
    let Some(([created, modified], timescale, duration, at)) = times(b, false) else {
        cx.warn(offset, "mdhd box is truncated");
        return;
    };
    // ExifTool reads the version with the flags, as one 32-bit number.
    m.put(cx, sub, "MediaHeaderVersion", be32(b, 0).unwrap_or(0));
    m.put(cx, sub, "MediaCreateDate", qt_date(created));
    m.put(cx, sub, "MediaModifyDate", qt_date(modified));
    m.put(cx, sub, "MediaTimeScale", timescale);
    t.media_timescale = timescale;
    t.media_duration = duration;
    if timescale > 0 {
        // Shown even when all ones (unknown), as ExifTool does.
        m.put(cx, sub, "MediaDuration", duration as f64 / f64::from(timescale));
    }
    let Some(code) = be16(b, at) else { return };
    let code = code & 0x7fff;
    match code {
        0 => t.language = Some("eng".to_owned()),
        1..0x400 => t.language = mac_language(code).map(str::to_owned),
        0x7fff => {}
        _ => {
            let l: String = [code >> 10, (code >> 5) & 31, code & 31]
                .iter()
                .map(|&c| char::from(0x60 + c as u8))
                .collect();
            if l.chars().all(|c| c.is_ascii_lowercase()) {
                t.language = Some(l);
            }
        }
    }
    if code != 0 {
        if code < 0x400 || code == 0x7fff {
            m.put(cx, sub, "MediaLanguageCode", code);
        } else if let Some(l) = &t.language {
            m.put(cx, sub, "MediaLanguageCode", l.clone());
        }
    }
}

/// ISO 639-2 codes of the first Macintosh language codes.
fn mac_language(code: u16) -> Option<&'static str> {
    const MAC: [&str; 33] = [
        "eng", "fra", "deu", "ita", "nld", "swe", "spa", "dan", "por", "nor", "heb", "jpn", "ara", "fin",
        "gre", "isl", "mlt", "tur", "hrv", "chi", "urd", "hin", "tha", "kor", "lit", "pol", "hun", "est",
        "lav", "sme", "fao", "fas", "rus",
    ];
    MAC.get(usize::from(code)).copied()
}

fn minf(cx: &mut Ctx, m: &mut Movie, t: &mut Track, sub: &str, data: Body<'_>, base: u64) {
    for b in nodes(cx, data, base) {
        match &b.kind {
            b"vmhd" => {
                let Some(b) = b.bytes(cx) else { continue };
                if let (Some(mode), Some(r), Some(g), Some(bl)) =
                    (be16(&b, 4), be16(&b, 6), be16(&b, 8), be16(&b, 10))
                {
                    m.put(cx, sub, "GraphicsMode", mode);
                    m.put(cx, sub, "OpColor", format!("{r} {g} {bl}"));
                }
            }
            b"smhd" => {
                let Some(b) = b.bytes(cx) else { continue };
                if let Some(bal) = be16(&b, 4) {
                    m.put(cx, sub, "Balance", f64::from(bal as i16) / 256.0);
                }
            }
            b"hdlr" => {
                if let Some(body) = b.bytes(cx) {
                    super::hdlr(cx, m, sub, &body);
                }
            }
            b"stbl" => {
                if let Some(o) = b.open(cx, m.whole) {
                    stbl(cx, m, t, sub, o.body(), b.body_offset);
                }
            }
            b"gmhd" => {
                if let Some(body) = b.bytes(cx) {
                    gmhd(cx, m, sub, &body, b.body_offset);
                }
            }
            _ => {}
        }
    }
}

/// `gmhd`: base media information (`gmin`) and the time code track's text style (`tcmi`).
fn gmhd(cx: &mut Ctx, m: &mut Movie, sub: &str, data: &[u8], base: u64) {
    for b in children(cx, data, base) {
        match &b.kind {
            b"gmin" => {
                let g = b.body;
                let (Some(&v), Some(flags)) = (g.first(), g.get(1..4)) else { continue };
                m.put(cx, sub, "GenMediaVersion", v);
                m.put(cx, sub, "GenFlags", format!("{} {} {}", flags[0], flags[1], flags[2]));
                if let (Some(mode), Some(r), Some(gr), Some(bl), Some(bal)) =
                    (be16(g, 4), be16(g, 6), be16(g, 8), be16(g, 10), be16(g, 12))
                {
                    m.put(cx, sub, "GenGraphicsMode", mode);
                    m.put(cx, sub, "GenOpColor", format!("{r} {gr} {bl}"));
                    m.put(cx, sub, "GenBalance", f64::from(bal as i16) / 256.0);
                }
            }
            b"tmcd" => {
                for t in children(cx, b.body, b.body_offset) {
                    if &t.kind != b"tcmi" {
                        continue;
                    }
                    let c = t.body;
                    let (Some(font), Some(face), Some(size)) = (be16(c, 4), be16(c, 6), be16(c, 8)) else {
                        continue;
                    };
                    m.put(cx, sub, "TextFont", font);
                    m.put(cx, sub, "TextFace", face);
                    m.put(cx, sub, "TextSize", size);
                    let rgb = |at: usize| {
                        Some(format!("{} {} {}", be16(c, at)?, be16(c, at + 2)?, be16(c, at + 4)?))
                    };
                    if let (Some(fg), Some(bg)) = (rgb(12), rgb(18)) {
                        m.put(cx, sub, "TextColor", fg);
                        m.put(cx, sub, "BackgroundColor", bg);
                    }
                    if let Some(&n) = c.get(24) {
                        let name = c.get(25..25 + usize::from(n)).unwrap_or_default();
                        let name = String::from_utf8_lossy(name).into_owned();
                        if !name.is_empty() {
                            m.put(cx, sub, "FontName", name);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn stbl(cx: &mut Ctx, m: &mut Movie, t: &mut Track, sub: &str, data: Body<'_>, base: u64) {
    if deep(cx, 5, base) {
        return;
    }
    for b in nodes(cx, data, base) {
        if super::timed::wanted(&b.kind) && super::timed::is_timed(m, t) {
            if let Some(body) = b.bytes(cx) {
                super::timed::table(&mut t.tables, &b.kind, &body);
            }
        }
        match &b.kind {
            b"stsd" if t.entry.is_none() => {
                if let Some(body) = b.bytes(cx) {
                    t.entry = entry::stsd(cx, m, sub, &t.handler, &body, b.body_offset);
                }
            }
            b"stts" => t.stts = stts(cx, &b),
            b"stsz" => t.sample_bytes = stsz(cx, &b),
            b"stz2" => t.sample_bytes = stz2(cx, &b),
            _ => {}
        }
    }
}

/// Number of entries a table can hold, warning when it claims more.
fn table_len(cx: &mut Ctx, b: &Node, header: u64, entry: u64, claimed: u64) -> u64 {
    let room = b.len().saturating_sub(header) / entry.max(1);
    if claimed > room {
        cx.warn(b.offset, format!("sample table claims {claimed} entries, room for {room}"));
    }
    claimed.min(room).min(MAX_TABLE_ENTRIES)
}

/// Calls `f` on the `n` entries of `size` bytes that start `start` bytes into the payload
/// of table `b`, in slices of whole entries: all at once when the table is in memory,
/// else [`TABLE_WINDOW`] bytes (at most `max_alloc`) at a time. Nothing
/// is read of a table the rest of the read budget cannot cover: `None` with a warning
/// then, or when a read fails.
fn each_window(
    cx: &mut Ctx,
    b: &Node,
    start: u64,
    size: u64,
    n: u64,
    mut f: impl FnMut(&[u8]),
) -> Option<()> {
    let total = n.saturating_mul(size);
    if let Body::Mem(d) = b.body {
        let s = usize::try_from(start).ok()?;
        let e = usize::try_from(start.saturating_add(total)).ok()?;
        f(d.get(s..e)?);
        return Some(());
    }
    if total > cx.read_budget_left() {
        let kind = latin1(&b.kind);
        let max = cx.opts.limits.max_bytes_read;
        cx.warn(b.offset, format!("'{kind}' table of {total} bytes not read: past max_bytes_read ({max})"));
        return None;
    }
    let window = TABLE_WINDOW.min(cx.opts.limits.max_alloc as u64);
    let window = (window / size.max(1)).max(1) * size;
    let mut done = 0u64;
    while done < total {
        let len = window.min(total - done);
        let w = b.range(cx, start + done, len)?;
        f(&w);
        done += len;
    }
    Some(())
}

/// `stts`: (sample count, summed durations).
fn stts(cx: &mut Ctx, b: &Node) -> Option<(u64, u64)> {
    let claimed = be32(&b.range(cx, 0, 8)?, 4)?;
    let n = table_len(cx, b, 8, 8, claimed.into());
    let (mut count, mut total) = (0u64, 0u64);
    each_window(cx, b, 8, 8, n, |w| {
        for e in w.chunks_exact(8) {
            let c = u64::from(be32(e, 0).unwrap_or(0));
            let d = u64::from(be32(e, 4).unwrap_or(0));
            count = count.saturating_add(c);
            total = total.saturating_add(c.saturating_mul(d));
        }
    })?;
    Some((count, total))
}

/// `stsz`: total sample bytes.
fn stsz(cx: &mut Ctx, b: &Node) -> Option<u64> {
    let head = b.range(cx, 0, 12)?;
    let size = be32(&head, 4)?;
    let count = be32(&head, 8)?;
    if size != 0 {
        return Some(u64::from(size).saturating_mul(u64::from(count)));
    }
    let n = table_len(cx, b, 12, 4, count.into());
    let mut total = 0u64;
    each_window(cx, b, 12, 4, n, |w| {
        total += w.chunks_exact(4).filter_map(|c| be32(c, 0)).map(u64::from).sum::<u64>();
    })?;
    Some(total)
}

/// `stz2`: total sample bytes (4, 8 or 16-bit sizes).
fn stz2(cx: &mut Ctx, b: &Node) -> Option<u64> {
    let head = b.range(cx, 0, 12)?;
    let field = *head.get(7)?;
    let count = u64::from(be32(&head, 8)?);
    let mut total = 0u64;
    match field {
        4 => {
            let n = table_len(cx, b, 12, 1, count.div_ceil(2));
            let mut i = 0u64;
            each_window(cx, b, 12, 1, n, |w| {
                for byte in w {
                    total += u64::from(byte >> 4);
                    if 2 * i + 1 != count {
                        total += u64::from(byte & 15);
                    }
                    i += 1;
                }
            })?;
        }
        8 => {
            let n = table_len(cx, b, 12, 1, count);
            each_window(cx, b, 12, 1, n, |w| total += w.iter().map(|&x| u64::from(x)).sum::<u64>())?;
        }
        16 => {
            let n = table_len(cx, b, 12, 2, count);
            each_window(cx, b, 12, 2, n, |w| {
                total += w.chunks_exact(2).filter_map(|c| be16(c, 0)).map(u64::from).sum::<u64>();
            })?;
        }
        _ => {
            cx.warn(b.offset, format!("stz2 field size {field} is not 4, 8 or 16"));
            return None;
        }
    }
    Some(total)
}

/// `tapt`: clean, production and encoded aperture dimensions.
fn tapt(cx: &mut Ctx, m: &mut Movie, sub: &str, data: &[u8], base: u64) {
    for b in children(cx, data, base) {
        let name = match &b.kind {
            b"clef" => "CleanApertureDimensions",
            b"prof" => "ProductionApertureDimensions",
            b"enof" => "EncodedPixelsDimensions",
            _ => continue,
        };
        if let (Some(w), Some(h)) = (be32(b.body, 4), be32(b.body, 8)) {
            m.put(cx, sub, name, format!("{} {}", num(fixed16(w)), num(fixed16(h))));
        }
    }
}

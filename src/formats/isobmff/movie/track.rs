//! One `trak`: track header, edit list, media header, handler, media information and the
//! sample tables that give frame rate and bit rate (read from the in-memory `moov`).

use super::entry::{self, Entry};
use super::{Movie, children, deep, fixed16, num, qt_date, times};
use crate::base::bytes::{be16, be32, be64};
use crate::context::Ctx;

/// Most `stts`/`stsz`/`elst` entries summed (more are ignored with a warning).
const MAX_TABLE_ENTRIES: usize = 50_000_000;

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
}

/// Reads one `trak` box held in memory.
pub(super) fn trak(cx: &mut Ctx, m: &mut Movie, data: &[u8], base: u64) {
    let number = m.tracks.len() as u32 + 1;
    let sub = format!("Track{number}");
    let mut t = Track::default();
    for b in children(cx, data, base) {
        match &b.kind {
            b"tkhd" => tkhd(cx, m, &mut t, &sub, b.body, b.offset),
            b"edts" => {
                for e in children(cx, b.body, b.body_offset) {
                    if &e.kind == b"elst" {
                        t.edit_duration = elst(cx, e.body, e.offset);
                    }
                }
            }
            b"mdia" => mdia(cx, m, &mut t, &sub, b.body, b.body_offset),
            b"tapt" => tapt(cx, m, &sub, b.body, b.body_offset),
            b"tref" => {
                for r in children(cx, b.body, b.body_offset) {
                    if &r.kind == b"tmcd" {
                        if let Some(id) = be32(r.body, 0) {
                            m.put(cx, &sub, "TimeCode", id);
                        }
                    }
                }
            }
            b"udta" => super::meta::udta(cx, m, &sub, b.body, b.body_offset, 2),
            b"meta" => super::meta::meta(cx, m, &sub, b.body, b.body_offset, 2),
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

    /// Media duration in seconds.
    pub fn media_seconds(&self) -> Option<f64> {
        (self.media_timescale > 0).then(|| self.media_duration as f64 / f64::from(self.media_timescale))
    }
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
    if m.timescale > 0 {
        let secs = duration as f64 / f64::from(m.timescale);
        t.duration = Some(secs);
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
fn elst(cx: &mut Ctx, b: &[u8], offset: u64) -> Option<u64> {
    let v1 = *b.first()? == 1;
    let count = be32(b, 4)? as usize;
    let entry = if v1 { 20 } else { 12 };
    let fits = b.len().saturating_sub(8) / entry;
    if count > fits {
        cx.warn(offset, format!("elst claims {count} entries, room for {fits}"));
    }
    let mut total = 0u64;
    let mut any = false;
    for i in 0..count.min(fits) {
        let p = 8 + i * entry;
        let (dur, media_time) = if v1 {
            (be64(b, p)?, be64(b, p + 8)? as i64)
        } else {
            (u64::from(be32(b, p)?), i64::from(be32(b, p + 4)? as i32))
        };
        if media_time != -1 {
            total = total.saturating_add(dur);
            any = true;
        }
    }
    (any && total > 0).then_some(total)
}

fn mdia(cx: &mut Ctx, m: &mut Movie, t: &mut Track, sub: &str, data: &[u8], base: u64) {
    for b in children(cx, data, base) {
        match &b.kind {
            b"mdhd" => mdhd(cx, m, t, sub, b.body, b.offset),
            b"hdlr" => {
                if let Some((kind, name)) = super::hdlr(cx, m, sub, b.body) {
                    t.handler = kind;
                    t.handler_name = name;
                }
            }
            b"minf" => minf(cx, m, t, sub, b.body, b.body_offset),
            _ => {}
        }
    }
}

fn mdhd(cx: &mut Ctx, m: &mut Movie, t: &mut Track, sub: &str, b: &[u8], offset: u64) {
    let Some(([created, modified], timescale, duration, at)) = times(b, false) else {
        cx.warn(offset, "mdhd box is truncated");
        return;
    };
    m.put(cx, sub, "MediaHeaderVersion", b[0]);
    m.put(cx, sub, "MediaCreateDate", qt_date(created));
    m.put(cx, sub, "MediaModifyDate", qt_date(modified));
    m.put(cx, sub, "MediaTimeScale", timescale);
    t.media_timescale = timescale;
    t.media_duration = duration;
    if let Some(secs) = t.media_seconds() {
        m.put(cx, sub, "MediaDuration", secs);
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

fn minf(cx: &mut Ctx, m: &mut Movie, t: &mut Track, sub: &str, data: &[u8], base: u64) {
    for b in children(cx, data, base) {
        match &b.kind {
            b"vmhd" => {
                let b = b.body;
                if let (Some(mode), Some(r), Some(g), Some(bl)) =
                    (be16(b, 4), be16(b, 6), be16(b, 8), be16(b, 10))
                {
                    m.put(cx, sub, "GraphicsMode", mode);
                    m.put(cx, sub, "OpColor", format!("{r} {g} {bl}"));
                }
            }
            b"smhd" => {
                if let Some(bal) = be16(b.body, 4) {
                    m.put(cx, sub, "Balance", f64::from(bal as i16) / 256.0);
                }
            }
            b"hdlr" => {
                super::hdlr(cx, m, sub, b.body);
            }
            b"stbl" => stbl(cx, m, t, sub, b.body, b.body_offset),
            b"gmhd" => gmhd(cx, m, sub, b.body, b.body_offset),
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

fn stbl(cx: &mut Ctx, m: &mut Movie, t: &mut Track, sub: &str, data: &[u8], base: u64) {
    if deep(cx, 5, base) {
        return;
    }
    for b in children(cx, data, base) {
        match &b.kind {
            b"stsd" if t.entry.is_none() => {
                t.entry = entry::stsd(cx, m, sub, &t.handler, b.body, b.body_offset);
            }
            b"stts" => t.stts = stts(cx, b.body, b.offset),
            b"stsz" => t.sample_bytes = stsz(cx, b.body, b.offset),
            b"stz2" => t.sample_bytes = stz2(cx, b.body, b.offset),
            _ => {}
        }
    }
}

/// Number of entries a table can hold, warning when it claims more.
fn table_len(cx: &mut Ctx, b: &[u8], header: usize, entry: usize, claimed: u64, offset: u64) -> usize {
    let room = b.len().saturating_sub(header) / entry.max(1);
    let n = usize::try_from(claimed).unwrap_or(usize::MAX);
    if n > room {
        cx.warn(offset, format!("sample table claims {claimed} entries, room for {room}"));
    }
    n.min(room).min(MAX_TABLE_ENTRIES)
}

/// `stts`: (sample count, summed durations).
fn stts(cx: &mut Ctx, b: &[u8], offset: u64) -> Option<(u64, u64)> {
    let claimed = be32(b, 4)?;
    let n = table_len(cx, b, 8, 8, claimed.into(), offset);
    let (mut count, mut total) = (0u64, 0u64);
    for i in 0..n {
        let c = u64::from(be32(b, 8 + 8 * i)?);
        let d = u64::from(be32(b, 12 + 8 * i)?);
        count = count.saturating_add(c);
        total = total.saturating_add(c.saturating_mul(d));
    }
    Some((count, total))
}

/// `stsz`: total sample bytes.
fn stsz(cx: &mut Ctx, b: &[u8], offset: u64) -> Option<u64> {
    let size = be32(b, 4)?;
    let count = be32(b, 8)?;
    if size != 0 {
        return Some(u64::from(size).saturating_mul(u64::from(count)));
    }
    let n = table_len(cx, b, 12, 4, count.into(), offset);
    let entries = b.get(12..12 + 4 * n)?;
    Some(entries.chunks_exact(4).filter_map(|c| be32(c, 0)).map(u64::from).sum())
}

/// `stz2`: total sample bytes (4, 8 or 16-bit sizes).
fn stz2(cx: &mut Ctx, b: &[u8], offset: u64) -> Option<u64> {
    let field = *b.get(7)?;
    let count = u64::from(be32(b, 8)?);
    let data = b.get(12..)?;
    match field {
        4 => {
            let n = table_len(cx, b, 12, 1, count.div_ceil(2), offset);
            let mut total = 0u64;
            for (i, byte) in data.iter().take(n).enumerate() {
                total += u64::from(byte >> 4);
                if (2 * i + 1) as u64 != count {
                    total += u64::from(byte & 15);
                }
            }
            Some(total)
        }
        8 => {
            let n = table_len(cx, b, 12, 1, count, offset);
            Some(data.iter().take(n).map(|&x| u64::from(x)).sum())
        }
        16 => {
            let n = table_len(cx, b, 12, 2, count, offset);
            Some(data.chunks_exact(2).take(n).filter_map(|c| be16(c, 0)).map(u64::from).sum())
        }
        _ => {
            cx.warn(offset, format!("stz2 field size {field} is not 4, 8 or 16"));
            None
        }
    }
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

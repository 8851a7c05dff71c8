//! QuickTime chapter tracks: a track's `tref/chap` names a text track whose samples are
//! the chapter titles. ExifTool prints `ChapterListTrackID` and `ChapterList`, each
//! chapter as its start in seconds and its title. The text track's sample tables are
//! kept (bounded) while walking; the titles are read from the media data at the end.
//! The same bounded tables locate the samples of timed-metadata tracks a caller asks for
//! ([`super::parse_timed`]).

use super::Movie;
use crate::base::bytes::{be16, be32, be64};
use crate::base::number::g;
use crate::context::Ctx;
use crate::model::{Tag, Value};

/// Most chapters (and table entries) kept.
const MAX_CHAPTERS: usize = 1000;
/// Longest chapter title read.
const MAX_TITLE: u64 = 1024;

/// The sample tables of a text track, as far as [`MAX_CHAPTERS`] goes.
#[derive(Debug, Default)]
pub(super) struct Tables {
    offsets: Vec<u64>,
    /// `stsc`: (first chunk, samples per chunk).
    per_chunk: Vec<(u32, u32)>,
    /// `stsz`: a size for all, or one each.
    uniform: u32,
    sizes: Vec<u32>,
    /// `stts`: (count, duration).
    durations: Vec<(u32, u32)>,
}

/// Whether a sample-table box of `kind` is one a chapter list needs.
pub(super) fn wanted(kind: &[u8; 4]) -> bool {
    matches!(kind, b"stco" | b"co64" | b"stsc" | b"stsz" | b"stts")
}

/// Keeps the entries of table `kind` (its full-box payload `b`).
pub(super) fn table(t: &mut Tables, kind: &[u8; 4], b: &[u8]) {
    let n = be32(b, 4).map_or(0, |n| (n as usize).min(MAX_CHAPTERS));
    match kind {
        b"stco" => t.offsets = (0..n).map_while(|i| be32(b, 8 + 4 * i).map(u64::from)).collect(),
        b"co64" => t.offsets = (0..n).map_while(|i| be64(b, 8 + 8 * i)).collect(),
        b"stsc" => {
            t.per_chunk = (0..n).map_while(|i| Some((be32(b, 8 + 12 * i)?, be32(b, 12 + 12 * i)?))).collect()
        }
        b"stts" => {
            t.durations = (0..n).map_while(|i| Some((be32(b, 8 + 8 * i)?, be32(b, 12 + 8 * i)?))).collect()
        }
        b"stsz" => {
            t.uniform = be32(b, 4).unwrap_or(0);
            let n = be32(b, 8).map_or(0, |n| (n as usize).min(MAX_CHAPTERS));
            if t.uniform == 0 {
                t.sizes = (0..n).map_while(|i| be32(b, 12 + 4 * i)).collect();
            }
        }
        _ => {}
    }
}

/// Each sample's (offset, size, start and duration in media units), in order.
pub(super) fn samples(t: &Tables) -> Vec<(u64, u64, u64, u64)> {
    let mut out = Vec::new();
    let (mut index, mut time) = (0usize, 0u64);
    let mut deltas = t.durations.iter().flat_map(|&(c, d)| std::iter::repeat_n(d, c as usize));
    for (chunk, &offset) in t.offsets.iter().enumerate() {
        let number = chunk as u32 + 1;
        let per = t.per_chunk.iter().rev().find(|(first, _)| *first <= number).map_or(1, |p| p.1);
        let mut at = offset;
        for _ in 0..per {
            if out.len() >= MAX_CHAPTERS {
                return out;
            }
            let size = if t.uniform > 0 { t.uniform } else { *t.sizes.get(index).unwrap_or(&0) };
            let delta = u64::from(deltas.next().unwrap_or(0));
            out.push((at, u64::from(size), time, delta));
            at = at.saturating_add(u64::from(size));
            time = time.saturating_add(delta);
            index += 1;
        }
    }
    out
}

/// Prints `ChapterList` for the first track that names a chapter track.
pub(super) fn finish(cx: &mut Ctx, m: &Movie) {
    let Some(id) = m.tracks.iter().find_map(|t| t.chapter_track) else { return };
    let Some(track) = m.tracks.iter().find(|t| t.id == id && &t.handler == b"text") else { return };
    let scale = f64::from(track.media_timescale.max(1));
    let mut list = Vec::new();
    for (at, size, time, _) in samples(&track.tables) {
        let Ok(d) = cx.read_up_to(at, size.min(MAX_TITLE + 2)) else { break };
        let len = be16(&d, 0).map_or(0, usize::from);
        let title = d.get(2..2 + len).or_else(|| d.get(2..)).unwrap_or_default();
        let title = String::from_utf8_lossy(title);
        list.push(Value::from(format!("{} {}", g(time as f64 / scale, 15), title.trim_end_matches('\0'))));
    }
    if !list.is_empty() {
        cx.push(Tag::new("QuickTime", "ChapterList", Value::List(list)));
    }
}

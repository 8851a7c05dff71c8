//! Chapters. ExifTool 12.57 prints `ChapterList` from Nero's chapter box (`udta/chpl`,
//! which ffmpeg writes beside a chapter track): each chapter as its start in seconds and
//! its title. A QuickTime chapter track (`tref/chap` naming a text track) gives only
//! `ChapterListTrackID` (`track.rs`); ExifTool reads its titles only as embedded `Text`
//! with `-ee`, so no list is made from it, and ffprobe shows it as a data stream.

use super::Movie;
use crate::base::bytes::be64;
use crate::base::number::g;
use crate::context::Ctx;
use crate::model::Value;

/// Most chapters listed.
const MAX_CHAPTERS: usize = 1000;
/// Units of a `chpl` start time per second (100 ns).
const CHPL_UNITS: f64 = 10_000_000.0;

/// `chpl`: version and flags, four more bytes in version 1, a one-byte count, then per
/// chapter a 64-bit start and a title of one length byte (UTF-8).
pub(super) fn chpl(cx: &mut Ctx, m: &mut Movie, sub: &str, b: &[u8]) {
    let Some(version) = b.first() else { return };
    let mut at = if *version == 0 { 4 } else { 8 };
    let Some(count) = b.get(at).copied() else { return };
    at += 1;
    let mut list = Vec::new();
    for _ in 0..usize::from(count).min(MAX_CHAPTERS) {
        let (Some(start), Some(len)) = (be64(b, at), b.get(at + 8).copied()) else { break };
        let Some(title) = b.get(at + 9..at + 9 + usize::from(len)) else { break };
        at += 9 + usize::from(len);
        let title = String::from_utf8_lossy(title);
        list.push(Value::from(format!(
            "{} {}",
            g(start as f64 / CHPL_UNITS, 15),
            title.trim_end_matches('\0')
        )));
    }
    if !list.is_empty() {
        m.put(cx, sub, "ChapterList", Value::List(list));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;

    #[test]
    fn nero_chapters_both_versions() {
        let mut v1 = vec![1, 0, 0, 0, 0, 0, 0, 0, 2];
        v1.extend_from_slice(&0u64.to_be_bytes());
        v1.extend_from_slice(b"\x05Intro");
        v1.extend_from_slice(&15_000_000u64.to_be_bytes());
        v1.extend_from_slice(b"\x04Next");
        let v0 = [&[0u8, 0, 0, 0][..], &v1[8..]].concat();
        for b in [&v1, &v0] {
            let opts = Options::default();
            let data: Vec<u8> = Vec::new();
            let mut cx = Ctx::new(&data, &opts);
            let mut m = Movie::default();
            chpl(&mut cx, &mut m, "UserData", b);
            let list = cx.tags.first().map(|t| t.value.to_text());
            assert_eq!(list.as_deref(), Some("0 Intro, 1.5 Next"));
            for n in 0..b.len() {
                chpl(&mut cx, &mut m, "UserData", &b[..n]);
            }
        }
    }
}

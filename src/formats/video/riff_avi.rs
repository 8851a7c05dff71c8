//! AVI (RIFF `AVI `): the `hdrl` list (`avih` main header, one `strl` list per stream with
//! `strh`/`strf`, the OpenDML `odml/dmlh` total frame count), `IDIT` date, `LIST/INFO` and
//! `_PMX` (XMP). The `movi` data list, `idx1` index and `AVIX` extension RIFFs are skipped
//! by size.

use crate::base::bytes::{le16, le32};
use crate::base::decode::{fixed_text, fourcc};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::Result;
use crate::meta::riff_info;
use crate::model::{Stream, StreamKind};

/// Group of the AVI tags.
const G: &str = "RIFF";
/// Most top-level chunks walked.
const MAX_CHUNKS: usize = 1024;
/// Largest header list read whole.
const MAX_LIST: u64 = 4 << 20;

/// What the walk collects for the composites.
#[derive(Default)]
struct State {
    us_per_frame: u32,
    frames: u32,
    total_frames: Option<u32>,
    size: Option<(u32, u32)>,
    streams: u32,
    /// Where the first RIFF says it ends, and the file's length: ffprobe scales the
    /// frame count of a truncated file by their ratio.
    riff_end: u64,
    len: u64,
}

/// Reads an AVI file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let len = cx.len();
    let declared = u64::from(le32(&cx.read_array::<8>(0)?, 4).unwrap_or(0)).saturating_add(8);
    let riff_end = declared.min(len);
    let mut st = State { riff_end: declared, len, ..State::default() };
    let mut pos = 12u64;
    for _ in 0..MAX_CHUNKS {
        if pos.saturating_add(8) > riff_end {
            break;
        }
        let got = cx.read_up_to(pos, 12)?;
        let mut h = [0u8; 12];
        if got.len() < 8 {
            break;
        }
        h[..got.len()].copy_from_slice(&got);
        let size = u64::from(le32(&h, 4).unwrap_or(0));
        let body = pos + 8;
        let max = cx.opts.limits.max_alloc as u64;
        let fits = size <= MAX_LIST.min(max) && body.saturating_add(size) <= len;
        match (&h[..4], &h[8..12]) {
            (b"LIST", b"hdrl") | (b"LIST", b"INFO") if fits => {
                let d = cx.read(body, size)?;
                if &h[8..12] == b"INFO" {
                    riff_info::list(cx, &d, body);
                } else {
                    walk(cx, d.get(4..).unwrap_or_default(), body + 4, 0, &mut st)?;
                }
            }
            // Pentax's LIST/hydt holds its maker note in a `hymn` chunk.
            (b"LIST", b"hydt") if fits => {
                let d = cx.read(body, size)?;
                if let Some((at, note)) = sub_chunk(&d, 4, b"hymn") {
                    crate::meta::exif::parse_maker_block(cx, note, body + at as u64);
                }
            }
            (b"IDIT", _) | (b"_PMX", _) if fits => {
                let d = cx.read(body, size)?;
                if &h[..4] == b"IDIT" {
                    idit(cx, &d);
                } else if let Err(e) = crate::meta::xmp::parse_packet(cx, &d) {
                    cx.warn_error(&e);
                }
            }
            (b"LIST", b"hdrl") | (b"LIST", b"INFO") | (b"IDIT", _) | (b"_PMX", _) => {
                if size > max && size <= MAX_LIST && body.saturating_add(size) <= len {
                    cx.warn(pos, format!("AVI chunk of {size} bytes skipped: past max_alloc ({max} bytes)"));
                } else {
                    cx.warn(pos, format!("AVI chunk of {size} bytes skipped"));
                }
            }
            _ => {}
        }
        pos = body.saturating_add(size).saturating_add(size & 1);
    }
    composites(cx, &st);
    Ok(())
}

/// The first chunk `id` among the chunks from `start` in `d`: its body's position and bytes.
fn sub_chunk<'a>(d: &'a [u8], start: usize, id: &[u8; 4]) -> Option<(usize, &'a [u8])> {
    let mut p = start;
    for _ in 0..64 {
        let size = le32(d, p.checked_add(4)?)? as usize;
        let body = p.checked_add(8)?;
        if d.get(p..p + 4)? == id {
            return Some((body, d.get(body..body.checked_add(size)?)?));
        }
        p = body.checked_add(size)?.checked_add(size & 1)?;
    }
    None
}

/// Walks the chunks of a list held in memory (`at` is the file offset of `d`).
fn walk(cx: &mut Ctx, d: &[u8], at: u64, depth: u32, st: &mut State) -> Result<()> {
    cx.check_depth(depth + 4, at)?;
    let mut p = 0usize;
    let mut kind = [0u8; 4];
    for _ in 0..1024 {
        let (Some(id), Some(size)) = (d.get(p..p + 4), le32(d, p + 4)) else { break };
        let size = size as usize;
        let Some(body) = d.get(p + 8..(p + 8).saturating_add(size)) else {
            cx.warn(at + p as u64, "AVI chunk runs past its list");
            break;
        };
        match id {
            b"avih" => avih(cx, body, st),
            b"strh" => {
                if let Some(k) = body.get(..4) {
                    kind.copy_from_slice(k);
                }
                strh(cx, body, st);
            }
            b"strf" => strf(cx, body, &kind, at + p as u64 + 8, st),
            b"dmlh" => {
                if let Some(n) = le32(body, 0) {
                    st.total_frames = Some(n);
                    cx.add(G, "TotalFrameCount", n);
                }
            }
            b"IDIT" => idit(cx, body),
            b"LIST" => {
                let sub = body.get(..4).unwrap_or_default();
                if sub == b"strl" || sub == b"odml" {
                    walk(cx, body.get(4..).unwrap_or_default(), at + p as u64 + 12, depth + 1, st)?;
                } else if sub == b"INFO" {
                    riff_info::list(cx, body, at + p as u64 + 8);
                }
            }
            _ => {}
        }
        p = p + 8 + size + (size & 1);
    }
    Ok(())
}

/// `avih`: the main AVI header.
fn avih(cx: &mut Ctx, d: &[u8], st: &mut State) {
    let (Some(us), Some(max_rate), Some(frames), Some(streams), Some(w), Some(h)) =
        (le32(d, 0), le32(d, 4), le32(d, 16), le32(d, 24), le32(d, 32), le32(d, 36))
    else {
        cx.warn(None, "short avih chunk");
        return;
    };
    if us > 0 {
        cx.add(G, "FrameRate", 1e6 / f64::from(us));
    }
    cx.add(G, "MaxDataRate", max_rate);
    cx.add(G, "FrameCount", frames);
    cx.add(G, "StreamCount", streams);
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    st.us_per_frame = us;
    st.frames = frames;
    st.size = Some((w, h));
}

/// `strh`: a stream header; opens a new stream.
fn strh(cx: &mut Ctx, d: &[u8], st: &mut State) {
    let (Some(kind), Some(handler), Some(scale), Some(rate), Some(length)) =
        (d.get(..4), d.get(4..8), le32(d, 20), le32(d, 24), le32(d, 32))
    else {
        cx.warn(None, "short strh chunk");
        return;
    };
    let ty = fourcc(kind);
    cx.add(G, "StreamType", ty.as_str());
    let per_sec = if scale > 0 { Some(f64::from(rate) / f64::from(scale)) } else { None };
    let (codec, rate_name, count_name, sk) = match kind {
        b"vids" => ("VideoCodec", "VideoFrameRate", "VideoFrameCount", Some(StreamKind::Video)),
        b"auds" => ("AudioCodec", "AudioSampleRate", "AudioSampleCount", Some(StreamKind::Audio)),
        b"txts" => ("TextCodec", "TextSampleRate", "TextSampleCount", Some(StreamKind::Subtitle)),
        _ => ("Codec", "SampleRate", "SampleCount", None),
    };
    if sk.is_some() {
        cx.add(G, codec, fourcc(handler));
        if let Some(r) = per_sec {
            cx.add(G, rate_name, r);
        }
        cx.add(G, count_name, length);
    }
    if let Some(q) = le32(d, 40) {
        cx.add(G, "Quality", q);
    }
    if let Some(s) = le32(d, 44) {
        cx.add(G, "SampleSize", s);
    }
    let mut s = Stream { index: st.streams, kind: sk, ..Stream::default() };
    st.streams += 1;
    if let Some(r) = per_sec.filter(|r| *r > 0.0) {
        let mut frames = f64::from(length);
        if le32(d, 44) == Some(0) && st.riff_end > st.len && st.len > 0 {
            // A truncated file: the frames its length holds, in proportion.
            frames = (frames * st.len as f64 / st.riff_end as f64).round();
        }
        s.duration = Some(frames / r);
        if sk == Some(StreamKind::Video) {
            s.frame_rate = Some(r);
        }
    }
    let tag = fourcc(handler);
    if sk == Some(StreamKind::Video) && !tag.is_empty() {
        s.codec_tag = Some(tag);
    }
    cx.streams.push(s);
}

/// `strf`: the stream format (BITMAPINFOHEADER for video, WAVEFORMATEX for audio).
fn strf(cx: &mut Ctx, d: &[u8], kind: &[u8; 4], at: u64, st: &mut State) {
    let idx = st.streams.checked_sub(1);
    match kind {
        b"vids" => {
            let dims = crate::meta::bitmap_info::parse(cx, d, at);
            let comp = d.get(16..20).map(fourcc).unwrap_or_default();
            if let Some(s) = cx.streams.last_mut().filter(|s| Some(s.index) == idx) {
                if let Some((w, h)) = dims {
                    s.width = u32::try_from(w).ok();
                    s.height = u32::try_from(h).ok();
                }
                if comp.len() == 4 {
                    s.codec_tag = Some(comp.clone());
                }
                let tag = s.codec_tag.clone().unwrap_or_default();
                s.codec_name = video_codec(&tag);
            }
        }
        b"auds" => {
            let (Some(tag), Some(ch), Some(rate), Some(bps)) =
                (le16(d, 0), le16(d, 2), le32(d, 4), le32(d, 8))
            else {
                cx.warn(at, "short audio strf chunk");
                return;
            };
            cx.add(G, "Encoding", tag);
            cx.add(G, "NumChannels", ch);
            cx.add(G, "SampleRate", rate);
            cx.add(G, "AvgBytesPerSec", bps);
            let bits = le16(d, 14);
            if let Some(b) = bits {
                cx.add(G, "BitsPerSample", b);
            }
            if let Some(s) = cx.streams.last_mut().filter(|s| Some(s.index) == idx) {
                s.sample_rate = Some(rate);
                s.channels = Some(ch.into());
                s.codec_name = riff_info::codec(tag, bits.unwrap_or(0));
                s.codec_tag = Some(format!("0x{tag:04x}"));
                if bits.is_some_and(|b| b > 0) {
                    s.bit_depth = bits.map(u32::from);
                }
            }
        }
        _ => {}
    }
}

/// ffprobe's name for a video FourCC.
pub(crate) fn video_codec(tag: &str) -> Option<String> {
    let t = tag.to_ascii_uppercase();
    Some(
        match t.as_str() {
            "FMP4" | "XVID" | "DIVX" | "DX50" | "MP4V" | "M4S2" => "mpeg4",
            "MJPG" | "AVRN" | "LJPG" => "mjpeg",
            "H264" | "X264" | "AVC1" | "DAVC" => "h264",
            "HEVC" | "H265" | "HVC1" => "hevc",
            "DIV3" | "MP43" | "DIV4" => "msmpeg4v3",
            "MP42" => "msmpeg4v2",
            "WMV1" => "wmv1",
            "WMV2" => "wmv2",
            "WMV3" => "wmv3",
            "WVC1" => "vc1",
            "HFYU" => "huffyuv",
            "CVID" => "cinepak",
            "MPG1" => "mpeg1video",
            "MPG2" | "MPEG" => "mpeg2video",
            "VP80" => "vp8",
            "VP90" => "vp9",
            "AV01" => "av1",
            "FFV1" => "ffv1",
            "DVSD" => "dvvideo",
            "" | "DIB " | "RAW " => "rawvideo",
            _ => return None,
        }
        .to_owned(),
    )
}

/// `IDIT`: the capture date, `Mon Mar 10 15:04:43 2003` or `2009/10/27 12:14:34`.
fn idit(cx: &mut Ctx, d: &[u8]) {
    let s = fixed_text(d);
    let s = s.trim();
    if let Some(v) = idit_date(s) {
        cx.add(G, "DateTimeOriginal", v);
    } else if !s.is_empty() {
        cx.add(G, "DateTimeOriginal", s);
    }
}

fn idit_date(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() == 5 {
        // ctime() form: weekday month day time year.
        let m = MONTHS.iter().position(|m| parts[1].get(..3).is_some_and(|p| p.eq_ignore_ascii_case(m)))? + 1;
        let day: u32 = parts[2].parse().ok()?;
        let year: u32 = parts[4].parse().ok()?;
        return Some(format!("{year:04}:{m:02}:{day:02} {}", parts[3]));
    }
    if parts.len() == 2 && parts[0].len() == 10 && parts[0].as_bytes().get(4) == Some(&b'/') {
        // `YYYY/MM/DD HH:MM[:SS]`: ExifTool keeps the minutes and zeroes the seconds.
        let hm = parts[1].get(..5)?;
        return Some(format!("{} {hm}:00", parts[0].replace('/', ":")));
    }
    None
}

/// `Composite:ImageSize`, `Megapixels` and `Duration`.
fn composites(cx: &mut Ctx, st: &State) {
    if let Some((w, h)) = st.size {
        cx.fact(Fact::ImageSize(w.into(), h.into()));
    }
    if st.us_per_frame > 0 {
        let frames = st.total_frames.unwrap_or(st.frames);
        cx.fact(Fact::Duration(f64::from(frames) * f64::from(st.us_per_frame) / 1e6));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util;

    use crate::test_util::riff_chunk as chunk;

    fn sample() -> Vec<u8> {
        let mut avih = vec![0u8; 56];
        avih[0..4].copy_from_slice(&40000u32.to_le_bytes());
        avih[16..20].copy_from_slice(&26u32.to_le_bytes());
        avih[24..28].copy_from_slice(&1u32.to_le_bytes());
        avih[32..36].copy_from_slice(&320u32.to_le_bytes());
        avih[36..40].copy_from_slice(&240u32.to_le_bytes());
        let mut strh = vec![0u8; 56];
        strh[..8].copy_from_slice(b"vidsFMP4");
        strh[20..24].copy_from_slice(&1u32.to_le_bytes());
        strh[24..28].copy_from_slice(&25u32.to_le_bytes());
        strh[32..36].copy_from_slice(&26u32.to_le_bytes());
        let mut strf = vec![0u8; 40];
        strf[0] = 40;
        strf[4..8].copy_from_slice(&320u32.to_le_bytes());
        strf[8..12].copy_from_slice(&240u32.to_le_bytes());
        strf[16..20].copy_from_slice(b"FMP4");
        let strl = [b"strl".to_vec(), chunk(b"strh", &strh), chunk(b"strf", &strf)].concat();
        let hdrl = [b"hdrl".to_vec(), chunk(b"avih", &avih), chunk(b"LIST", &strl)].concat();
        let info = [b"INFO".to_vec(), chunk(b"INAM", b"T\0")].concat();
        let body =
            [b"AVI ".to_vec(), chunk(b"LIST", &hdrl), chunk(b"LIST", &info), chunk(b"LIST", b"movi0000")]
                .concat();
        let mut f = b"RIFF".to_vec();
        f.extend_from_slice(&(body.len() as u32).to_le_bytes());
        f.extend(body);
        f
    }

    #[test]
    fn header_and_streams() {
        let f = sample();
        let found = test_util::parse(&f, parse);
        assert!(found.ok);
        assert_eq!(found.get("RIFF:FrameRate"), Some(&Value::Float(25.0)));
        assert_eq!(found.get("RIFF:VideoCodec"), Some(&Value::Text("FMP4".into())));
        assert_eq!(found.get("File:ImageWidth"), Some(&Value::Int(320)));
        assert_eq!(found.get("RIFF:Title"), Some(&Value::Text("T".into())));
        assert_eq!(found.get("Composite:Duration"), Some(&Value::Float(1.04)));
        assert_eq!(found.streams[0].codec_name.as_deref(), Some("mpeg4"));
        assert_eq!(found.streams[0].height, Some(240));
        for n in 0..f.len() {
            test_util::parse(&f[..n], parse);
        }
        let mut g = f.clone();
        g[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        g[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        test_util::parse(&g, parse);
    }

    #[test]
    fn dates() {
        assert_eq!(idit_date("Mon Mar 10 15:04:43 2003").as_deref(), Some("2003:03:10 15:04:43"));
        assert_eq!(idit_date("2009/10/27 12:14:34").as_deref(), Some("2009:10:27 12:14:00"));
        assert_eq!(idit_date("x"), None);
    }
}

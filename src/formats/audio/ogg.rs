//! Ogg (Vorbis, Opus, FLAC, Theora, Speex): the header packets of each logical stream from the
//! first pages, and the last granule position of each stream from a bounded tail read.

use super::picture::{self, Picture};
use super::{flac, vorbis_comment};
use crate::base::bytes::{be16, be24, be32, le16, le32, le64};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::{Stream, StreamKind, Tag, Value};

/// Most pages read looking for header packets.
const MAX_PAGES: usize = 4096;
/// Most bytes of header packets kept in total (also at most `max_alloc`).
const MAX_HEADER_BYTES: usize = 16 << 20;
/// Bytes at the end of the file searched first for the last pages.
const FIRST_TAIL: u64 = 16 << 10;
/// Bytes at the end of the file searched when the first look found too few streams.
const TAIL: u64 = 64 << 10;
/// Most logical streams followed.
const MAX_STREAMS: usize = 16;

/// The codec of a logical stream, from its first packet.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Codec {
    Vorbis,
    Opus,
    Flac,
    Theora,
    /// An OGM (Ogg Media) video stream header.
    OgmVideo,
    Speex,
    Other,
}

/// One logical stream's header packets.
struct Logical {
    serial: u32,
    codec: Codec,
    /// Complete packets with the file offset of their first byte, and whether the packet
    /// was cut at the budget.
    packets: Vec<(u64, Vec<u8>, bool)>,
    /// Packet being assembled across pages.
    partial: Option<(u64, Vec<u8>)>,
    /// The rest of a packet cut at the budget is being skipped (until its last segment).
    skipping: bool,
    /// Packets wanted.
    want: usize,
}

impl Logical {
    fn done(&self) -> bool {
        self.packets.len() >= self.want
    }
}

/// A parsed page header.
struct Page {
    flags: u8,
    serial: u32,
    /// Segment lacing values.
    lacing: Vec<u8>,
    /// Offset of the page body.
    body: u64,
}

fn read_page(cx: &mut Ctx, at: u64) -> Result<Option<Page>> {
    let Ok(h) = cx.read_array::<27>(at) else { return Ok(None) };
    if &h[..4] != b"OggS" {
        return Ok(None);
    }
    let lacing = cx.read(at + 27, u64::from(h[26]))?;
    Ok(Some(Page {
        flags: h[5],
        serial: le32(&h, 14).unwrap_or(0),
        body: at + 27 + u64::from(h[26]),
        lacing,
    }))
}

/// Reads an Ogg file.
#[allow(clippy::disallowed_methods)] // grows to at most the packet budget (max_alloc)
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let mut streams: Vec<Logical> = Vec::new();
    let mut at = 0u64;
    // Header packets are kept until all are read: together they get one buffer's budget.
    let budget = MAX_HEADER_BYTES.min(cx.opts.limits.max_alloc);
    let mut kept = 0usize;
    let mut truncated = false;
    for _ in 0..MAX_PAGES {
        let page = match read_page(cx, at) {
            Ok(p) => p,
            Err(e) => {
                cx.warn_error(&e);
                break;
            }
        };
        let Some(page) = page else {
            if at < cx.len() {
                cx.warn(at, "lost Ogg page sync");
            }
            break;
        };
        let body_len: u64 = page.lacing.iter().map(|&l| u64::from(l)).sum();
        let bos = page.flags & 2 != 0;
        if bos && streams.len() < MAX_STREAMS && !streams.iter().any(|s| s.serial == page.serial) {
            streams.push(Logical {
                serial: page.serial,
                codec: Codec::Other,
                packets: Vec::new(),
                partial: None,
                skipping: false,
                want: 1,
            });
        }
        if !bos && streams.iter().all(Logical::done) {
            break;
        }
        let s = streams.iter_mut().find(|s| s.serial == page.serial && !s.done());
        // A page that only carries on a packet being skipped is not read.
        if let Some(s) = s.filter(|s| !(s.skipping && page.lacing.iter().all(|&l| l == 255))) {
            let start = page.body.min(cx.len());
            let body = match cx.read_cow(start, body_len.min(cx.len() - start)) {
                Ok(b) => b,
                Err(e) => {
                    cx.warn_error(&e);
                    break;
                }
            };
            if (body.len() as u64) < body_len {
                cx.warn(page.body, "truncated Ogg page");
                truncated = true;
            }
            let mut off = 0usize;
            for (i, &l) in page.lacing.iter().enumerate() {
                let seg = body.get(off..off + usize::from(l)).unwrap_or_default();
                let seg_at = page.body + off as u64;
                off += usize::from(l);
                if s.partial.is_none() && i == 0 && page.flags & 1 != 0 {
                    continue; // continuation of a packet we did not start
                }
                if s.skipping {
                    s.skipping = l == 255;
                    continue;
                }
                let p = s.partial.get_or_insert_with(|| (seg_at, Vec::new()));
                let room = budget - kept;
                let take = seg.len().min(room);
                if take > p.1.capacity() - p.1.len() {
                    // Grow by doubling, but never past what the budget lets this packet
                    // hold: straight to that when the next doubling would pass it.
                    let most = p.1.len() + room;
                    let doubled = p.1.capacity().saturating_mul(2).max(p.1.len() + take);
                    let grown = if doubled.saturating_mul(2) > most { most } else { doubled };
                    p.1.reserve_exact(grown - p.1.len());
                }
                p.1.extend_from_slice(seg.get(..take).unwrap_or_default());
                kept += take;
                let cut = take < seg.len();
                if cut {
                    let (start, len) = (p.0, p.1.len());
                    cx.warn(
                        start,
                        format!(
                            "Ogg packet at {start:#x} cut at {len} bytes: header packets past max_alloc ({budget} bytes)"
                        ),
                    );
                    s.skipping = l == 255;
                }
                if l < 255 || cut {
                    if let Some(done) = s.partial.take() {
                        if s.packets.is_empty() {
                            (s.codec, s.want) = identify(&done.1);
                        }
                        s.packets.push((done.0, done.1, cut));
                        if s.done() {
                            break;
                        }
                    }
                }
            }
        }
        at = page.body + body_len;
        if truncated {
            break;
        }
    }
    // A header packet cut by the end of the file is still read as far as it goes.
    for s in streams.iter_mut().filter(|s| !s.done()) {
        if let Some(p) = s.partial.take().filter(|p| !p.1.is_empty()) {
            if s.packets.is_empty() {
                (s.codec, s.want) = identify(&p.1);
            }
            s.packets.push((p.0, p.1, false));
        }
    }
    let granules = last_granules(cx, &streams)?;
    let mut pics = Vec::new();
    let mut audio_duration = None;
    for s in &streams {
        let granule = granules.iter().find(|g| g.0 == s.serial).map(|g| g.1);
        if let Some(st) = stream(cx, s, granule, &mut pics) {
            if st.kind == Some(StreamKind::Audio) && audio_duration.is_none() {
                audio_duration = st.duration;
            }
            let index = cx.streams.len() as u32;
            cx.streams.push(Stream { index, ..st });
        }
    }
    let any_duration = audio_duration.or_else(|| cx.streams.iter().find_map(|s| s.duration));
    picture::push_pictures(cx, &pics, any_duration);
    Ok(())
}

/// Codec and number of header packets wanted, from the first packet.
fn identify(p: &[u8]) -> (Codec, usize) {
    if p.starts_with(b"\x01vorbis") {
        (Codec::Vorbis, 2)
    } else if p.starts_with(b"OpusHead") {
        (Codec::Opus, 2)
    } else if p.starts_with(b"\x80theora") {
        (Codec::Theora, 2)
    } else if p.starts_with(b"\x01video\0\0\0") {
        (Codec::OgmVideo, 1)
    } else if p.starts_with(b"Speex   ") {
        (Codec::Speex, 1)
    } else if p.starts_with(b"\x7fFLAC") {
        let n = be16(p, 7).unwrap_or(0);
        (Codec::Flac, if n == 0 { 2 } else { 1 + usize::from(n).min(64) })
    } else {
        (Codec::Other, 1)
    }
}

/// Last granule position of each stream, from the pages in the file's tail.
fn last_granules(cx: &mut Ctx, streams: &[Logical]) -> Result<Vec<(u32, u64)>> {
    let len = cx.len();
    let mut out: Vec<(u32, u64)> = Vec::new();
    for size in [FIRST_TAIL, TAIL] {
        let start = len.saturating_sub(size);
        let tail = cx.read(start, len - start)?;
        out.clear();
        let mut i = tail.len().saturating_sub(27);
        loop {
            if tail.get(i..i + 4) == Some(b"OggS") && tail.get(i + 4) == Some(&0) {
                let g = le64(&tail, i + 6).unwrap_or(u64::MAX);
                let serial = le32(&tail, i + 14).unwrap_or(0);
                if g != u64::MAX
                    && !out.iter().any(|o| o.0 == serial)
                    && streams.iter().any(|s| s.serial == serial)
                {
                    out.push((serial, g));
                    if out.len() == streams.len() {
                        break;
                    }
                }
            }
            if i == 0 {
                break;
            }
            i -= 1;
        }
        if out.len() == streams.len() || start == 0 {
            break;
        }
    }
    Ok(out)
}

fn tag(cx: &mut Ctx, group: &'static str, name: &'static str, v: Value) {
    cx.push(Tag::new(group, name, v));
}

/// Emits the tags of one logical stream and returns its ffprobe-style stream.
fn stream(cx: &mut Ctx, s: &Logical, granule: Option<u64>, pics: &mut Vec<Picture>) -> Option<Stream> {
    let (id_at, id, _) = s.packets.first()?;
    let comments = s.packets.get(1);
    let file_len = cx.len();
    match s.codec {
        Codec::Vorbis => {
            let channels = u32::from(*id.get(11)?);
            let rate = le32(id, 12)?;
            let nominal = le32(id, 20)? as i32;
            tag(cx, "Vorbis", "VorbisVersion", Value::Int(le32(id, 7)?.into()));
            tag(cx, "Vorbis", "AudioChannels", Value::Int(channels.into()));
            tag(cx, "Vorbis", "SampleRate", Value::Int(rate.into()));
            if nominal > 0 {
                tag(cx, "Vorbis", "NominalBitrate", Value::Int(nominal.into()));
            }
            if let Some((at, c, cut)) = comments.filter(|c| c.1.starts_with(b"\x03vorbis")) {
                vorbis_comment::parse(cx, c.get(7..).unwrap_or_default(), at + 7, *cut, pics);
            }
            if nominal > 0 {
                cx.fact(Fact::Duration(file_len as f64 * 8.0 / f64::from(nominal)));
            }
            let duration = granule.filter(|_| rate > 0).map(|g| g as f64 / f64::from(rate));
            Some(Stream {
                kind: Some(StreamKind::Audio),
                codec_name: Some("vorbis".into()),
                sample_rate: Some(rate),
                channels: Some(channels),
                bit_rate: (nominal > 0).then_some(nominal as u64),
                duration,
                ..Stream::default()
            })
        }
        Codec::Opus => {
            let channels = u32::from(*id.get(9)?);
            let pre_skip = le16(id, 10)?;
            // The gain is signed Q7.8 dB by RFC 7845, but ExifTool's -n value reads it
            // unsigned: a negative gain prints as a huge factor. We print ExifTool's.
            let gain = le16(id, 16)?;
            tag(cx, "Opus", "OpusVersion", Value::Int((*id.get(8)?).into()));
            tag(cx, "Opus", "AudioChannels", Value::Int(channels.into()));
            tag(cx, "Opus", "SampleRate", Value::Int(le32(id, 12)?.into()));
            tag(cx, "Opus", "OutputGain", Value::Float(10f64.powf(f64::from(gain) / 256.0 / 20.0)));
            if let Some((at, c, cut)) = comments.filter(|c| c.1.starts_with(b"OpusTags")) {
                vorbis_comment::parse(cx, c.get(8..).unwrap_or_default(), at + 8, *cut, pics);
            }
            // ffprobe: the last granule position over 48 kHz (pre-skip shows in start_time).
            let duration = granule.map(|g| g as f64 / 48000.0);
            let _ = pre_skip;
            Some(Stream {
                kind: Some(StreamKind::Audio),
                codec_name: Some("opus".into()),
                sample_rate: Some(48000),
                channels: Some(channels),
                duration,
                ..Stream::default()
            })
        }
        Codec::Flac => {
            // 0x7F "FLAC" major minor count(2) "fLaC" block-header(4) STREAMINFO
            let info = flac::streaminfo(cx, id.get(17..)?)?;
            for (at, p, cut) in s.packets.iter().skip(1) {
                let (kind, len) = (p.first()? & 0x7f, u64::from(be32(p, 0)? & 0xff_ffff));
                flac::block(cx, kind, p.get(4..).unwrap_or_default(), at + 4, (len, *cut), pics);
            }
            if let Some(d) = info.duration() {
                cx.fact(Fact::Duration(d));
            }
            let mut st = info.stream(0);
            if st.duration.is_none() {
                st.duration =
                    granule.filter(|_| info.sample_rate > 0).map(|g| g as f64 / f64::from(info.sample_rate));
            }
            Some(st)
        }
        Codec::Theora => theora(cx, id, comments, granule, pics, *id_at),
        Codec::OgmVideo => ogm_video(id, granule),
        Codec::Speex => {
            // Speex header: rate at 36, channels at 48, frame size at 56, frames per
            // packet at 64 (32-bit little-endian). ExifTool prints no tags for it; the
            // stream is ffprobe's, which times whole packets: the last granule rounded up.
            let rate = le32(id, 36)?;
            let channels = le32(id, 48)?;
            let packet = u64::from(le32(id, 56)?) * u64::from(le32(id, 64)?.max(1));
            let granule = granule.map(|g| if packet > 0 { g.div_ceil(packet) * packet } else { g });
            Some(Stream {
                kind: Some(StreamKind::Audio),
                codec_name: Some("speex".into()),
                sample_rate: Some(rate),
                channels: Some(channels),
                duration: granule.filter(|_| rate > 0).map(|g| g as f64 / f64::from(rate)),
                ..Stream::default()
            })
        }
        Codec::Other => None,
    }
}

/// An OGM video stream header: codec FourCC, time unit (100 ns) and samples per unit (the
/// frame rate), picture size. ExifTool reads no tag from it; ffprobe shows the stream,
/// with the last granule (a frame count) as its duration.
fn ogm_video(id: &[u8], granule: Option<u64>) -> Option<Stream> {
    let fourcc = id.get(9..13)?;
    let unit = le64(id, 17)?;
    let per_unit = le64(id, 25)?;
    let fps = (unit > 0 && per_unit > 0).then(|| per_unit as f64 * 1e7 / unit as f64);
    let codec = match &fourcc.to_ascii_uppercase()[..] {
        b"XVID" | b"DIVX" | b"DX50" | b"FMP4" | b"MP4V" => Some("mpeg4"),
        b"H264" | b"AVC1" | b"X264" => Some("h264"),
        b"DIV3" | b"MP43" => Some("msmpeg4v3"),
        _ => None,
    };
    Some(Stream {
        kind: Some(StreamKind::Video),
        codec_name: codec.map(str::to_owned),
        width: le32(id, 45),
        height: le32(id, 49),
        frame_rate: fps,
        duration: fps.zip(granule).map(|(f, g)| g as f64 / f),
        ..Stream::default()
    })
}

/// Theora identification and comment headers.
fn theora(
    cx: &mut Ctx,
    id: &[u8],
    comments: Option<&(u64, Vec<u8>, bool)>,
    granule: Option<u64>,
    pics: &mut Vec<Picture>,
    _at: u64,
) -> Option<Stream> {
    let (vmaj, vmin, vrev) = (*id.get(7)?, *id.get(8)?, *id.get(9)?);
    let (w, h) = (be24(id, 14)?, be24(id, 17)?);
    let (x, y) = (*id.get(20)?, *id.get(21)?);
    let (frn, frd) = (be32(id, 22)?, be32(id, 26)?);
    let (parn, pard) = (be24(id, 30)?, be24(id, 33)?);
    let cs = *id.get(36)?;
    let nombr = be24(id, 37)?;
    let bits = be16(id, 40)?;
    let quality = bits >> 10;
    let shift = (bits >> 5) & 31;
    let pf = (bits >> 3) & 3;
    let fps = if frd > 0 { f64::from(frn) / f64::from(frd) } else { 0.0 };
    tag(cx, "Theora", "TheoraVersion", Value::from(format!("{vmaj} {vmin} {vrev}")));
    tag(cx, "Theora", "ImageWidth", Value::Int(w.into()));
    tag(cx, "Theora", "ImageHeight", Value::Int(h.into()));
    tag(cx, "Theora", "XOffset", Value::Int(x.into()));
    tag(cx, "Theora", "YOffset", Value::Int(y.into()));
    tag(cx, "Theora", "FrameRate", Value::Float(fps));
    let par = if parn > 0 && pard > 0 { f64::from(parn) / f64::from(pard) } else { 1.0 };
    tag(cx, "Theora", "PixelAspectRatio", Value::Float(par));
    tag(cx, "Theora", "ColorSpace", Value::Int(cs.into()));
    tag(cx, "Theora", "NominalVideoBitrate", Value::Int(nombr.into()));
    tag(cx, "Theora", "Quality", Value::Int(quality.into()));
    tag(cx, "Theora", "PixelFormat", Value::Int(pf.into()));
    if let Some((at, c, cut)) = comments.filter(|c| c.1.starts_with(b"\x81theora")) {
        let before = cx.tags.len();
        vorbis_comment::parse(cx, c.get(7..).unwrap_or_default(), at + 7, *cut, pics);
        // The video's comments come first in the file; ExifTool shows the last stream's
        // (the audio's `Encoder` over the video's).
        for t in cx.tags.iter_mut().skip(before) {
            t.priority = t.priority.min(-1);
        }
    }
    cx.fact(Fact::ImageSize(w.into(), h.into()));
    let duration = granule.filter(|_| fps > 0.0 && shift < 64).map(|g| {
        let frames = (g >> shift) + (g & ((1u64 << shift) - 1));
        frames as f64 / fps
    });
    Some(Stream {
        kind: Some(StreamKind::Video),
        codec_name: Some("theora".into()),
        width: Some(w),
        height: Some(h),
        frame_rate: (fps > 0.0).then_some(fps),
        duration,
        ..Stream::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    /// One page holding `packets` (each < 255 bytes).
    fn page(flags: u8, granule: u64, serial: u32, packets: &[&[u8]]) -> Vec<u8> {
        let mut v = b"OggS\0".to_vec();
        v.push(flags);
        v.extend_from_slice(&granule.to_le_bytes());
        v.extend_from_slice(&serial.to_le_bytes());
        v.extend_from_slice(&[0; 8]);
        v.push(packets.len() as u8);
        v.extend(packets.iter().map(|p| p.len() as u8));
        for p in packets {
            v.extend_from_slice(p);
        }
        v
    }

    #[test]
    fn opus_stream() {
        let mut head = b"OpusHead\x01\x02".to_vec();
        head.extend_from_slice(&312u16.to_le_bytes());
        head.extend_from_slice(&44100u32.to_le_bytes());
        head.extend_from_slice(&[0, 0, 0]);
        let tags = b"OpusTags\x03\0\0\0lib\x01\0\0\0\x09\0\0\0TITLE=Hey";
        let mut f = page(2, 0, 7, &[&head]);
        f.extend(page(0, 0, 7, &[tags]));
        f.extend(page(4, 48000, 7, &[b"audio"]));
        let found = test_util::parse(&f, parse);
        assert!(found.ok);
        assert_eq!(found.get("Opus:AudioChannels"), Some(&Value::Int(2)));
        assert_eq!(found.get("Opus:SampleRate"), Some(&Value::Int(44100)));
        assert_eq!(found.get("Opus:OutputGain"), Some(&Value::Float(1.0)));
        assert_eq!(found.get("Vorbis:Title"), Some(&Value::Text("Hey".into())));
        assert_eq!(found.streams.len(), 1);
        assert_eq!(found.streams[0].duration, Some(1.0));
        assert_eq!(found.streams[0].sample_rate, Some(48000));
    }

    #[test]
    fn truncated_and_garbage() {
        for f in [b"OggS\0\x02".to_vec(), page(2, 0, 1, &[b"\x01vorbis"]), vec![0u8; 10]] {
            test_util::parse(&f, parse);
        }
    }

    /// A page of `lacing` segments (a hostile page's lacing need not end a packet).
    fn raw_page(flags: u8, seq: u32, lacing: &[u8], body: &[u8]) -> Vec<u8> {
        let mut v = b"OggS\0".to_vec();
        v.push(flags);
        v.extend_from_slice(&[0; 8]);
        v.extend_from_slice(&1u32.to_le_bytes());
        v.extend_from_slice(&seq.to_le_bytes());
        v.extend_from_slice(&[0; 4]);
        v.push(lacing.len() as u8);
        v.extend_from_slice(lacing);
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn a_packet_past_max_alloc_is_cut_and_its_rest_skipped() {
        let mut id = b"\x01vorbis\0\0\0\0\x02".to_vec();
        id.extend_from_slice(&44_100u32.to_le_bytes());
        id.extend_from_slice(&[0; 12]);
        id.extend_from_slice(&[0xB8, 0x01]);
        let mut f = raw_page(2, 0, &[30], &id);
        // A comment packet whose TITLE value never ends: 40 pages of 255 full segments.
        let mut body = b"\x03vorbis\x01\0\0\0v\x01\0\0\0".to_vec();
        body.extend_from_slice(&0x7fff_ffffu32.to_le_bytes());
        body.extend_from_slice(b"TITLE=");
        body.resize(255 * 255, b't');
        f.extend(raw_page(0, 1, &[255; 255], &body));
        for seq in 2..40 {
            f.extend(raw_page(1, seq, &[255; 255], &[b't'; 255 * 255]));
        }
        let limits = crate::options::Limits::default().with_max_alloc(100_000).with_max_value_len(1000);
        let opts = crate::options::Options::default().with_limits(limits);
        let found = test_util::parse_with_options(&f, &opts, parse);
        assert!(found.ok);
        assert_eq!(found.get("Vorbis:SampleRate"), Some(&Value::Int(44_100)));
        // The title is kept as far as the packet went, then cut to max_value_len.
        assert_eq!(found.get("Vorbis:Title"), Some(&Value::Text("t".repeat(1000).into())));
        let messages: Vec<&str> = found.warnings.iter().map(|w| w.message.as_str()).collect();
        assert!(
            messages[0].contains("cut at 99970 bytes") && messages[0].contains("max_alloc"),
            "{messages:?}"
        );
        assert!(messages[1].contains("max_value_len (1000 bytes)"), "{messages:?}");
        // Two pages of the packet read, and 80 KiB of tail: not the 2.5 MB of the rest.
        assert!(found.requested < 250_000, "{}", found.requested);
        assert_eq!(found.streams.len(), 1);
    }
}

//! AIFF and AIFF-C: `COMM`, the text chunks (`NAME`, `AUTH`, `(c) `, `ANNO`), `COMT`,
//! `FVER` and an `ID3 ` chunk; `SSND` is skipped by size.

use super::id3;
use crate::base::bytes::{be16, be32, be64};
use crate::base::date::{MAC_EPOCH_OFFSET, exif_datetime};
use crate::base::decode::{fixed_text, latin1};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::{Stream, StreamKind, Tag, Value};

/// Group of every AIFF tag.
const GROUP: &str = "AIFF";
/// Most chunks looked at.
const MAX_CHUNKS: usize = 4096;
/// Largest metadata chunk read whole.
const MAX_CHUNK: u64 = 4 << 20;

fn add(cx: &mut Ctx, name: &'static str, v: Value) {
    cx.push(Tag::new(GROUP, name, v));
}

/// An IEEE 754 80-bit extended number (big-endian) as f64.
pub(crate) fn extended(b: &[u8]) -> Option<f64> {
    let exp = i32::from(be16(b, 0)? & 0x7fff);
    let mant = be64(b, 2)?;
    if exp == 0 && mant == 0 {
        return Some(0.0);
    }
    let sign = if b.first()? & 0x80 != 0 { -1.0 } else { 1.0 };
    Some(sign * mant as f64 * 2f64.powi(exp - 16383 - 63))
}

/// The COMM facts.
#[derive(Debug, Clone, Default)]
struct Comm {
    channels: u32,
    frames: u32,
    bits: u32,
    rate: f64,
    compression: Option<[u8; 4]>,
}

/// A Mac timestamp (seconds since 1904) as `YYYY:MM:DD HH:MM:SS` (UTC).
fn mac_time(secs: u32) -> String {
    exif_datetime(i64::from(secs) - MAC_EPOCH_OFFSET)
}

/// ffprobe's codec name.
fn codec(c: &Comm) -> String {
    match c.compression.as_ref().map(|c| c.as_slice()) {
        None | Some(b"NONE") | Some(b"none") | Some(b"twos") => match c.bits {
            0..=8 => "pcm_s8".into(),
            b => format!("pcm_s{}be", b.div_ceil(8) * 8),
        },
        Some(b"sowt") => format!("pcm_s{}le", c.bits.div_ceil(8) * 8),
        Some(b"fl32") | Some(b"FL32") => "pcm_f32be".into(),
        Some(b"fl64") | Some(b"FL64") => "pcm_f64be".into(),
        Some(b"alaw") | Some(b"ALAW") => "pcm_alaw".into(),
        Some(b"ulaw") | Some(b"ULAW") => "pcm_mulaw".into(),
        Some(b"ima4") => "adpcm_ima_qt".into(),
        Some(other) => latin1(other).trim().to_ascii_lowercase(),
    }
}

/// Reads an AIFF or AIFF-C file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let h = cx.read_array::<12>(0)?;
    let aifc = &h[8..12] == b"AIFC";
    let len = cx.len();
    let mut pos = 12u64;
    let mut comm: Option<Comm> = None;
    for _ in 0..MAX_CHUNKS {
        let Ok(ch) = cx.read_array::<8>(pos) else { break };
        let id = [ch[0], ch[1], ch[2], ch[3]];
        let size = u64::from(be32(&ch, 4).unwrap_or(0));
        let body = pos + 8;
        let avail = len.saturating_sub(body);
        let wanted =
            matches!(&id, b"COMM" | b"FVER" | b"NAME" | b"AUTH" | b"(c) " | b"ANNO" | b"COMT" | b"ID3 ");
        if wanted {
            let max = cx.opts.limits.max_alloc as u64;
            if size > MAX_CHUNK || size > avail {
                cx.warn(pos, format!("AIFF chunk {} of {size} bytes skipped", latin1(&id)));
            } else if size > max && id != *b"ID3 " {
                let msg = format!(
                    "AIFF chunk {} of {size} bytes skipped: past max_alloc ({max} bytes)",
                    latin1(&id)
                );
                cx.warn(pos, msg);
            } else if id == *b"ID3 " {
                if let Some(v2) = id3::parse_v2(cx, body)? {
                    cx.add("File", "ID3Size", v2.counted);
                }
            } else {
                let d = cx.read(body, size)?;
                match &id {
                    b"COMM" => {
                        comm = comm_chunk(cx, &d, aifc);
                        if comm.is_none() {
                            cx.warn(pos, "COMM chunk too short");
                        }
                    }
                    b"COMT" => comments(cx, &d),
                    b"FVER" => {
                        if let Some(t) = be32(&d, 0) {
                            add(cx, "FormatVersionTime", Value::from(mac_time(t)));
                        }
                    }
                    _ => {
                        let name = match &id {
                            b"NAME" => "Name",
                            b"AUTH" => "Author",
                            b"(c) " => "Copyright",
                            _ => "Annotation",
                        };
                        add(cx, name, Value::from(fixed_text(&d)));
                    }
                }
            }
        }
        let next = body.saturating_add(size).saturating_add(size & 1);
        if next >= len || size == 0xffff_ffff {
            break;
        }
        pos = next;
    }
    cx.date_fact(|tags| Fact::Id3Date { tags });
    let Some(c) = comm else { return Ok(()) };
    let duration = (c.rate > 0.0).then(|| f64::from(c.frames) / c.rate);
    if let Some(d) = duration {
        cx.fact(Fact::Duration(d));
    }
    let rate = c.rate.round() as u32;
    cx.streams.push(Stream {
        index: 0,
        kind: Some(StreamKind::Audio),
        codec_name: Some(codec(&c)),
        sample_rate: Some(rate),
        channels: Some(c.channels),
        bit_depth: (c.bits > 0).then_some(c.bits),
        bit_rate: Some(u64::from(rate) * u64::from(c.channels) * u64::from(c.bits)),
        duration,
        ..Stream::default()
    });
    Ok(())
}

/// `COMM`: channels, frames, sample size, rate (and the AIFF-C compression).
fn comm_chunk(cx: &mut Ctx, d: &[u8], aifc: bool) -> Option<Comm> {
    let c = Comm {
        channels: u32::from(be16(d, 0)?),
        frames: be32(d, 2)?,
        bits: u32::from(be16(d, 6)?),
        rate: extended(d.get(8..18)?)?,
        compression: if aifc { d.get(18..22).and_then(|c| c.try_into().ok()) } else { None },
    };
    add(cx, "NumChannels", Value::Int(c.channels.into()));
    add(cx, "NumSampleFrames", Value::Int(c.frames.into()));
    add(cx, "SampleSize", Value::Int(c.bits.into()));
    add(cx, "SampleRate", Value::Float(c.rate));
    if let Some(ct) = c.compression {
        add(cx, "CompressionType", Value::from(latin1(&ct)));
        if let Some(&n) = d.get(22) {
            let name = d.get(23..23 + usize::from(n)).unwrap_or_default();
            add(cx, "CompressorName", Value::from(latin1(name)));
        }
    }
    Some(c)
}

/// `COMT`: timestamped comments.
fn comments(cx: &mut Ctx, d: &[u8]) {
    let n = be16(d, 0).unwrap_or(0);
    let mut p = 2usize;
    for _ in 0..n.min(256) {
        let (Some(t), Some(len)) = (be32(d, p), be16(d, p + 6)) else { break };
        let Some(text) = d.get(p + 8..p + 8 + usize::from(len)) else { break };
        add(cx, "CommentTime", Value::from(mac_time(t)));
        add(cx, "Comment", Value::from(fixed_text(text)));
        p += 8 + usize::from(len) + usize::from(len) % 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    #[test]
    fn extended_and_time() {
        assert_eq!(extended(&[0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0]), Some(44100.0));
        assert_eq!(extended(&[0; 10]), Some(0.0));
        assert_eq!(mac_time(0), "1904:01:01 00:00:00");
    }

    #[test]
    fn aiff_file() {
        let mut comm = vec![0, 2, 0, 2, 0xb1, 0x10, 0, 16];
        comm.extend_from_slice(&[0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0]);
        let mut body = b"AIFFCOMM\0\0\0\x12".to_vec();
        body.extend_from_slice(&comm);
        body.extend_from_slice(b"NAME\0\0\0\x05Title\0");
        let mut f = b"FORM".to_vec();
        f.extend_from_slice(&(body.len() as u32).to_be_bytes());
        f.extend(body);
        let found = test_util::parse(&f, parse);
        assert!(found.ok);
        assert_eq!(found.get("AIFF:Name"), Some(&Value::Text("Title".into())));
        assert_eq!(found.get("AIFF:NumSampleFrames"), Some(&Value::Int(176400)));
        assert_eq!(found.streams[0].codec_name.as_deref(), Some("pcm_s16be"));
        assert_eq!(found.streams[0].duration, Some(4.0));
    }
}

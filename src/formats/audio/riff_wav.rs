//! WAV (RIFF/WAVE, RF64/BW64): `fmt `, `fact`, `ds64`, `LIST/INFO`, `LIST/exif`, `bext`,
//! `_PMX` (XMP) and `id3 ` chunks, walked by header; the `data` chunk is skipped by size.

use super::id3;
use crate::base::bytes::{le16, le32, le64};
use crate::base::decode::{fixed_text, latin1};
use crate::base::hash::hex;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::Result;
use crate::meta::riff_info;
use crate::model::{Stream, StreamKind, Tag, Value};

/// Group of every RIFF tag.
const GROUP: &str = "RIFF";
/// Most chunks looked at.
const MAX_CHUNKS: usize = 4096;
/// Largest metadata chunk read whole.
const MAX_CHUNK: u64 = 4 << 20;

/// The `fmt ` facts.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Fmt {
    tag: u16,
    channels: u16,
    rate: u32,
    byte_rate: u32,
    bits: u16,
}

fn add(cx: &mut Ctx, name: &'static str, v: Value) {
    cx.push(Tag::new(GROUP, name, v));
}

/// Reads a WAV file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let h = cx.read_array::<12>(0)?;
    let rf64 = &h[..4] == b"RF64" || &h[..4] == b"BW64";
    if &h[..4] == b"RF64" {
        // ExifTool types RF64 apart (and BW64 not at all: we read it as RF64).
        for t in cx.tags.iter_mut().filter(|t| t.group == "File" && t.name == "FileType") {
            t.value = Value::from("WAV (RF64)");
        }
    }
    let mut pos = 12u64;
    let mut fmt: Option<Fmt> = None;
    let mut data_size: Option<u64> = None;
    let mut ds64_data: Option<u64> = None;
    let mut fact: Option<u32> = None;
    let len = cx.len();
    for _ in 0..MAX_CHUNKS {
        let Ok(ch) = cx.read_array::<8>(pos) else { break };
        let id = [ch[0], ch[1], ch[2], ch[3]];
        let size = u64::from(le32(&ch, 4).unwrap_or(0));
        let body = pos + 8;
        let avail = len.saturating_sub(body);
        match &id {
            b"data" => {
                let s = if size == 0xffff_ffff { ds64_data.unwrap_or(avail) } else { size };
                data_size = Some(s.min(avail));
            }
            b"fmt " | b"fact" | b"LIST" | b"bext" | b"id3 " | b"ID3 " | b"ds64" | b"_PMX" => {
                let max = cx.opts.limits.max_alloc as u64;
                let id3 = id == *b"id3 " || id == *b"ID3 ";
                if size > MAX_CHUNK || size > avail {
                    cx.warn(pos, format!("RIFF chunk {} of {size} bytes skipped", latin1(&id)));
                } else if size > max && !id3 {
                    let msg = format!(
                        "RIFF chunk {} of {size} bytes skipped: past max_alloc ({max} bytes)",
                        latin1(&id)
                    );
                    cx.warn(pos, msg);
                } else if id == *b"id3 " || id == *b"ID3 " {
                    if let Some(v2) = id3::parse_v2(cx, body)? {
                        cx.add("File", "ID3Size", v2.counted);
                    }
                } else {
                    let d = cx.read(body, size)?;
                    match &id {
                        b"fmt " => fmt = format_chunk(cx, &d),
                        b"fact" => {
                            if let Some(n) = le32(&d, 0) {
                                add(cx, "NumberOfSamples", Value::Int(n.into()));
                                fact = Some(n);
                            }
                        }
                        b"LIST" => riff_info::list(cx, &d, body),
                        b"bext" => bext(cx, &d),
                        b"_PMX" => {
                            if let Err(e) = crate::meta::xmp::parse_packet(cx, &d) {
                                cx.warn_error(&e);
                            }
                        }
                        _ => {
                            // ds64: 64-bit RIFF size, data size and sample count.
                            ds64_data = le64(&d, 8).filter(|_| rf64);
                            for (i, n) in [(0, "RIFFSize64"), (8, "DataSize64"), (16, "NumberOfSamples64")] {
                                if let Some(v) = le64(&d, i) {
                                    add(cx, n, Value::from(v));
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        if size == 0xffff_ffff && id != *b"data" {
            cx.warn(pos, "RIFF chunk with size 0xFFFFFFFF; rest skipped");
            break;
        }
        let next = body.saturating_add(size).saturating_add(size & 1);
        if next >= len {
            break;
        }
        pos = next;
    }
    cx.date_fact(|tags| Fact::Id3Date { tags });
    cx.date_fact(|tags| Fact::RiffDate { tags });
    let Some(f) = fmt else { return Ok(()) };
    if f.byte_rate > 0 {
        cx.fact(Fact::Duration(len as f64 / f64::from(f.byte_rate)));
    }
    let pcm = matches!(f.tag, 1 | 3 | 6 | 7);
    // A plain WAVEFORMAT (14-byte `fmt `) has no sample size: ffprobe takes 8 bits.
    let f = Fmt { bits: if f.bits == 0 && f.tag == 1 { 8 } else { f.bits }, ..f };
    // PCM lasts its data at the rate the sample format gives (ffprobe), whatever the
    // header's byte rate says.
    let pcm_rate = u64::from(f.rate) * u64::from(f.channels) * u64::from(f.bits) / 8;
    let byte_rate = if pcm && pcm_rate > 0 { pcm_rate } else { u64::from(f.byte_rate) };
    // Compressed data: the fact chunk's sample count is exact, the byte rate often is not.
    let duration = match fact.filter(|n| !pcm && *n > 0 && f.rate > 0) {
        Some(n) => Some(f64::from(n) / f64::from(f.rate)),
        None => data_size.filter(|_| byte_rate > 0).map(|d| d as f64 / byte_rate as f64),
    };
    cx.streams.push(Stream {
        index: 0,
        kind: Some(StreamKind::Audio),
        codec_name: riff_info::codec(f.tag, f.bits),
        sample_rate: Some(f.rate),
        channels: Some(f.channels.into()),
        bit_depth: (f.bits > 0).then_some(f.bits.into()),
        bit_rate: if pcm {
            Some(u64::from(f.rate) * u64::from(f.channels) * u64::from(f.bits))
        } else {
            (f.byte_rate > 0).then_some(u64::from(f.byte_rate) * 8)
        },
        duration,
        ..Stream::default()
    });
    Ok(())
}

/// `fmt `: WAVEFORMAT(EX/EXTENSIBLE).
pub(super) fn format_chunk(cx: &mut Ctx, d: &[u8]) -> Option<Fmt> {
    let mut f = Fmt {
        tag: le16(d, 0)?,
        channels: le16(d, 2)?,
        rate: le32(d, 4)?,
        byte_rate: le32(d, 8)?,
        bits: le16(d, 14).unwrap_or(0),
    };
    add(cx, "Encoding", Value::Int(f.tag.into()));
    add(cx, "NumChannels", Value::Int(f.channels.into()));
    add(cx, "SampleRate", Value::Int(f.rate.into()));
    add(cx, "AvgBytesPerSec", Value::Int(f.byte_rate.into()));
    if d.len() >= 16 {
        add(cx, "BitsPerSample", Value::Int(f.bits.into()));
    }
    if f.tag == 0xfffe {
        // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the real format tag.
        if let Some(sub) = le16(d, 24) {
            let _ = le16(d, 18);
            f.tag = sub;
        }
    }
    Some(f)
}

/// `bext`: the Broadcast Wave extension.
fn bext(cx: &mut Ctx, d: &[u8]) {
    if d.len() < 348 {
        cx.warn(None, "short bext chunk");
        return;
    }
    let text = |a: usize, b: usize| Value::from(fixed_text(&d[a..b]));
    add(cx, "Description", text(0, 256));
    add(cx, "Originator", text(256, 288));
    add(cx, "OriginatorReference", text(288, 320));
    let date = fixed_text(&d[320..330]).replace(['-', '/', '.'], ":");
    let time = fixed_text(&d[330..338]).replace(['-', '.'], ":");
    add(cx, "DateTimeOriginal", Value::from(format!("{date} {time}").trim()));
    add(cx, "TimeReference", Value::from(le64(d, 338).unwrap_or(0)));
    let version = le16(d, 346).unwrap_or(0);
    add(cx, "BWFVersion", Value::Int(version.into()));
    if let Some(umid) = d.get(348..412) {
        let umid = if umid[32..].iter().all(|&b| b == 0) { &umid[..32] } else { umid };
        add(cx, "BWF_UMID", Value::from(hex(umid)));
    }
    if version >= 2 {
        let loud = |i: usize, n: &'static str, cx: &mut Ctx| {
            if let Some(v) = le16(d, i) {
                add(cx, n, Value::Float(f64::from(v as i16) / 100.0));
            }
        };
        loud(412, "LoudnessValue", cx);
        loud(414, "LoudnessRange", cx);
        loud(416, "MaxTruePeakLevel", cx);
        loud(418, "MaxMomentaryLoudness", cx);
        loud(420, "MaxShortTermLoudness", cx);
    }
    if let Some(h) = d.get(602..) {
        let h = fixed_text(h);
        if !h.is_empty() {
            add(cx, "CodingHistory", Value::from(h));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    use crate::test_util::riff_chunk as chunk;

    fn wav(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut v = b"RIFF".to_vec();
        v.extend_from_slice(&(body.len() as u32 + 4).to_le_bytes());
        v.extend_from_slice(b"WAVE");
        v.extend(body);
        v
    }

    #[test]
    fn pcm_with_info() {
        let mut fmt = vec![1, 0, 2, 0];
        fmt.extend_from_slice(&44100u32.to_le_bytes());
        fmt.extend_from_slice(&176400u32.to_le_bytes());
        fmt.extend_from_slice(&[4, 0, 16, 0]);
        let info = [b"INFO".to_vec(), chunk(b"INAM", b"Song\0"), chunk(b"ICRD", b"2021-06-15\0")].concat();
        let f = wav(&[chunk(b"fmt ", &fmt), chunk(b"LIST", &info), chunk(b"data", &vec![0u8; 17640])]);
        let found = test_util::parse(&f, parse);
        assert!(found.ok);
        assert_eq!(found.get("RIFF:Title"), Some(&Value::Text("Song".into())));
        assert_eq!(found.get("RIFF:DateCreated"), Some(&Value::Text("2021:06:15".into())));
        assert_eq!(found.get("RIFF:BitsPerSample"), Some(&Value::Int(16)));
        assert_eq!(found.streams[0].codec_name.as_deref(), Some("pcm_s16le"));
        assert_eq!(found.streams[0].duration, Some(0.1));
        assert_eq!(found.streams[0].bit_rate, Some(1411200));
    }

    #[test]
    fn huge_sizes() {
        let mut f = wav(&[]);
        f.extend_from_slice(b"LIST\xff\xff\xff\xffINFO");
        let found = test_util::parse(&f, parse);
        assert!(found.ok);
        assert!(!found.warnings.is_empty());
    }

    #[test]
    fn a_chunk_past_max_alloc_is_skipped_with_a_warning() {
        let mut fmt = vec![1, 0, 2, 0];
        fmt.extend_from_slice(&44100u32.to_le_bytes());
        fmt.extend_from_slice(&176400u32.to_le_bytes());
        fmt.extend_from_slice(&[4, 0, 16, 0]);
        let info = [b"INFO".to_vec(), chunk(b"ICMT", &[b'c'; 3000])].concat();
        let f = wav(&[chunk(b"fmt ", &fmt), chunk(b"LIST", &info), chunk(b"data", &[0u8; 400])]);
        let limits = crate::options::Limits::default().with_max_alloc(1000);
        let found =
            test_util::parse_with_options(&f, &crate::options::Options::default().with_limits(limits), parse);
        assert!(found.ok);
        assert_eq!(found.get("RIFF:BitsPerSample"), Some(&Value::Int(16)));
        assert!(found.warnings[0].message.contains("past max_alloc (1000 bytes)"));
        assert_eq!(found.streams.len(), 1);
    }
}

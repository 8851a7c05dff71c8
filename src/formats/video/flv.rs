//! FLV (Flash Video): the file header, the `onMetaData` AMF0 script tag and the first
//! audio and video tag headers. Tags are walked by size from the start of the file and the
//! walk stops once each kind has been seen (or after a bounded number of tags).

use crate::base::bytes::{Cursor, be24, be32};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{Stream, StreamKind, Tag, Value};

/// Group of the FLV tags.
const G: &str = "Flash";
/// Most FLV tags walked.
const MAX_TAGS: usize = 64;
/// Largest script tag read.
const MAX_SCRIPT: u64 = 1 << 20;
/// Deepest AMF nesting followed.
const MAX_AMF_DEPTH: u32 = 8;

/// What the walk found.
#[derive(Default)]
struct State {
    audio: Option<usize>,
    video: Option<usize>,
    script: bool,
    data: bool,
    /// Dimensions decoded from a VP6 key frame header.
    vp6: Option<(u32, u32)>,
    size: (Option<f64>, Option<f64>),
    frame_rate: Option<f64>,
}

/// Reads an FLV file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let h = cx.read_array::<9>(0)?;
    if &h[..3] != b"FLV" {
        return Err(Error::malformed(0u64, "no FLV signature"));
    }
    let mut pos = u64::from(be32(&h, 5).unwrap_or(0)).saturating_add(4);
    let mut st = State::default();
    for _ in 0..MAX_TAGS {
        let Ok(t) = cx.read_array::<12>(pos) else { break };
        let size = u64::from(be24(&t, 1).unwrap_or(0));
        let body = pos + 11;
        match t[0] & 0x1f {
            8 if st.audio.is_none() => audio(cx, t[11], &mut st),
            9 if st.video.is_none() => {
                let head = cx.read_up_to(body, size.min(16))?;
                video(cx, &head, &mut st);
            }
            18 if st.script && !st.data => {
                // A second script tag (onCuePoint...): ffmpeg shows it as a data stream.
                st.data = true;
                cx.streams.push(Stream {
                    index: cx.streams.len() as u32,
                    kind: Some(StreamKind::Data),
                    codec_name: Some("text".into()),
                    ..Stream::default()
                });
            }
            18 if !st.script => {
                st.script = true;
                let max = cx.opts.limits.max_alloc as u64;
                if size <= MAX_SCRIPT && size > max {
                    cx.warn(
                        pos,
                        format!("FLV script tag of {size} bytes skipped: past max_alloc ({max} bytes)"),
                    );
                } else if size <= MAX_SCRIPT {
                    let d = cx.read(body, size)?;
                    script(cx, &d, &mut st);
                } else {
                    cx.warn(pos, "FLV script tag too large");
                }
            }
            _ => {}
        }
        if st.audio.is_some() && st.video.is_some() && st.script {
            break;
        }
        pos = body.saturating_add(size).saturating_add(4);
    }
    for idx in [st.video, st.audio].into_iter().flatten() {
        let Some(s) = cx.streams.get_mut(idx) else { continue };
        if s.kind == Some(StreamKind::Video) {
            s.frame_rate = st.frame_rate.filter(|r| *r > 0.0);
            s.width = st.size.0.filter(|w| *w > 0.0).map(|w| w as u32);
            s.height = st.size.1.filter(|h| *h > 0.0).map(|h| h as u32);
            if let Some((w, h)) = st.vp6 {
                (s.width, s.height) = (Some(w), Some(h));
            }
        }
    }
    if let (Some(w), Some(h)) = st.size {
        cx.fact(Fact::ImageSize(w as u64, h as u64));
    }
    Ok(())
}

/// The first audio tag's format byte.
fn audio(cx: &mut Ctx, b: u8, st: &mut State) {
    let fmt = b >> 4;
    let rate = [5512u32, 11025, 22050, 44100][usize::from((b >> 2) & 3)];
    let bits = if b & 2 != 0 { 16u32 } else { 8 };
    let ch = if b & 1 != 0 { 2u32 } else { 1 };
    cx.add(G, "AudioEncoding", fmt);
    // The tag header outranks onMetaData's `audiosamplerate`.
    cx.push(Tag::new(G, "AudioSampleRate", rate).with_priority(1));
    cx.add(G, "AudioBitsPerSample", bits);
    cx.add(G, "AudioChannels", ch);
    let codec = match fmt {
        0 | 3 if bits == 8 => Some("pcm_u8"),
        0 | 3 => Some("pcm_s16le"),
        1 => Some("adpcm_swf"),
        2 | 14 => Some("mp3"),
        4..=6 => Some("nellymoser"),
        7 => Some("pcm_alaw"),
        8 => Some("pcm_mulaw"),
        10 => Some("aac"),
        11 => Some("speex"),
        _ => None,
    };
    let rate = match fmt {
        4 => 16000,
        5 => 8000,
        11 => 16000,
        _ => rate,
    };
    st.audio = Some(cx.streams.len());
    cx.streams.push(Stream {
        index: cx.streams.len() as u32,
        kind: Some(StreamKind::Audio),
        codec_name: codec.map(str::to_owned),
        sample_rate: Some(rate),
        channels: Some(ch),
        ..Stream::default()
    });
}

/// The first video tag: codec byte, and the frame size of a VP6 key frame.
fn video(cx: &mut Ctx, d: &[u8], st: &mut State) {
    let Some(&b) = d.first() else { return };
    let id = b & 0x0f;
    if id == 4 || id == 5 {
        st.vp6 = vp6_size(d.get(1..).unwrap_or_default(), id == 5);
    }
    cx.add(G, "VideoEncoding", id);
    let codec = match id {
        2 => Some("flv1"),
        3 => Some("flashsv"),
        4 => Some("vp6f"),
        5 => Some("vp6a"),
        6 => Some("flashsv2"),
        7 => Some("h264"),
        12 => Some("hevc"),
        _ => None,
    };
    st.video = Some(cx.streams.len());
    cx.streams.push(Stream {
        index: cx.streams.len() as u32,
        kind: Some(StreamKind::Video),
        codec_name: codec.map(str::to_owned),
        ..Stream::default()
    });
}

/// Frame size from an FLV VP6 payload: the adjustment byte, (VP6A: a 3-byte alpha
/// offset), then the VP6 frame header, whose key frames carry the size in macroblocks.
fn vp6_size(d: &[u8], alpha: bool) -> Option<(u32, u32)> {
    let adj = *d.first()?;
    let f = d.get(if alpha { 4 } else { 1 }..)?;
    let (b0, b1) = (*f.first()?, *f.get(1)?);
    if b0 & 0x80 != 0 {
        return None; // not a key frame
    }
    let skip = if b0 & 1 != 0 || b1 & 6 == 0 { 2 } else { 0 };
    let rows = u32::from(*f.get(2 + skip)?);
    let cols = u32::from(*f.get(3 + skip)?);
    let w = (cols * 16).checked_sub(u32::from(adj >> 4))?;
    let h = (rows * 16).checked_sub(u32::from(adj & 0x0f))?;
    (w > 0 && h > 0).then_some((w, h))
}

/// An AMF0 value.
#[derive(Debug, Clone, PartialEq)]
enum Amf {
    Num(f64),
    Bool(bool),
    Str(String),
    Obj(Vec<(String, Amf)>),
    Arr(Vec<Amf>),
    Date(f64, i16),
    Null,
}

/// AMF0 reader over a script tag body (big-endian numbers).
struct Reader<'a> {
    c: Cursor<'a>,
}

impl<'a> Reader<'a> {
    fn new(d: &'a [u8]) -> Self {
        Reader { c: Cursor::new(d) }
    }

    fn string(&mut self, long: bool) -> Option<String> {
        let n = if long { self.c.be32()? as usize } else { usize::from(self.c.be16()?) };
        self.c.take(n).map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// Object properties up to the end marker (00 00 09).
    fn props(&mut self, depth: u32) -> Option<Vec<(String, Amf)>> {
        let mut out = Vec::new();
        for _ in 0..4096 {
            let key = self.string(false)?;
            if key.is_empty() && self.c.rest().first() == Some(&9) {
                self.c.skip(1)?;
                return Some(out);
            }
            let v = self.value(depth + 1)?;
            out.push((key, v));
        }
        Some(out)
    }

    fn value(&mut self, depth: u32) -> Option<Amf> {
        if depth > MAX_AMF_DEPTH {
            return None;
        }
        let t = self.c.u8()?;
        Some(match t {
            0 => Amf::Num(self.c.be_f64()?),
            1 => Amf::Bool(self.c.u8()? != 0),
            2 => Amf::Str(self.string(false)?),
            12 => Amf::Str(self.string(true)?),
            3 => Amf::Obj(self.props(depth)?),
            8 => {
                self.c.be32()?;
                Amf::Obj(self.props(depth)?)
            }
            10 => {
                let n = self.c.be32()?;
                let mut v = Vec::new();
                for _ in 0..n.min(65536) {
                    v.push(self.value(depth + 1)?);
                }
                Amf::Arr(v)
            }
            11 => {
                let ms = self.c.be_f64()?;
                let tz = self.c.be16()? as i16;
                Amf::Date(ms, tz)
            }
            5 | 6 => Amf::Null,
            _ => return None,
        })
    }
}

/// The script tag: `onMetaData` followed by an ECMA array.
fn script(cx: &mut Ctx, d: &[u8], st: &mut State) {
    let mut r = Reader::new(d);
    let Some(Amf::Str(name)) = r.value(0) else { return };
    if name != "onMetaData" {
        return;
    }
    let Some(Amf::Obj(props)) = r.value(0) else {
        cx.warn(None, "unreadable FLV onMetaData");
        return;
    };
    for (k, v) in &props {
        meta(cx, k, v, st);
    }
}

/// ExifTool's tag name for an `onMetaData` key.
fn meta_name(key: &str) -> String {
    let known = match key {
        "width" => "ImageWidth",
        "height" => "ImageHeight",
        "videodatarate" => "VideoBitrate",
        "audiodatarate" => "AudioBitrate",
        "framerate" => "FrameRate",
        "videocodecid" => "VideoCodecID",
        "audiocodecid" => "AudioCodecID",
        "audiosamplesize" => "AudioSampleSize",
        "audiosamplerate" => "AudioSampleRate",
        "filesize" => "FileSizeBytes",
        "hasKeyframes" => "HasKeyFrames",
        "datasize" => "DataSize",
        "lasttimestamp" => "LastTimeStamp",
        "lastkeyframetimestamp" => "LastKeyFrameTime",
        "audiosize" => "AudioSize",
        "audiodelay" => "AudioDelay",
        "videosize" => "VideoSize",
        "metadatadate" => "MetadataDate",
        "metadatacreator" => "MetadataCreator",
        "cuePoints" => "CuePoint",
        "keyframes" => "KeyFrames",
        "filepositions" => "Positions",
        "times" => "Times",
        "parameters" => "Parameter",
        "duration" => "Duration",
        "stereo" => "Stereo",
        "creationdate" => "CreateDate",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    let clean: String = key.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let mut c = clean.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

/// An AMF value as a tag value (`None` for objects).
fn amf_value(v: &Amf) -> Option<Value> {
    Some(match v {
        Amf::Num(n) if n.fract() == 0.0 && n.abs() < 9e15 => Value::Int(*n as i64),
        Amf::Num(n) => Value::Float(*n),
        Amf::Bool(b) => Value::Text(if *b { "Yes" } else { "No" }.into()),
        Amf::Str(s) => Value::from(s.clone()),
        Amf::Date(ms, tz) => Value::from(amf_date(*ms, *tz)),
        Amf::Arr(a) => Value::List(a.iter().filter_map(amf_value).collect()),
        Amf::Obj(_) | Amf::Null => return None,
    })
}

/// An AMF date: UTC clock fields followed by the writer's zone offset.
fn amf_date(ms: f64, tz: i16) -> String {
    if !ms.is_finite() || ms.abs() > 1e16 {
        return String::new();
    }
    let secs = (ms / 1000.0).floor();
    let frac = ms / 1000.0 - secs;
    let (y, mo, d, h, mi, s) = crate::base::date::civil(secs as i64);
    let mut out = format!("{y:04}:{mo:02}:{d:02} {h:02}:{mi:02}:{s:02}");
    let f = format!("{frac:.6}");
    let f = f.trim_end_matches('0');
    if f.len() > 2 {
        out.push_str(f.get(1..).unwrap_or_default());
    }
    let tz = i32::from(tz);
    let sign = if tz < 0 { '-' } else { '+' };
    out.push_str(&format!("{sign}{:02}:{:02}", tz.abs() / 60, tz.abs() % 60));
    out
}

/// One `onMetaData` property.
fn meta(cx: &mut Ctx, key: &str, v: &Amf, st: &mut State) {
    let name = meta_name(key);
    if name.is_empty() {
        return;
    }
    match v {
        Amf::Obj(props) if name == "KeyFrames" => {
            for (k, sub) in props {
                if let Some(val) = amf_value(sub) {
                    let n = if k == "filepositions" {
                        "KeyFramePositions".to_owned()
                    } else {
                        format!("KeyFrames{}", meta_name(k))
                    };
                    cx.add(G, n, val);
                }
            }
        }
        Amf::Arr(items) if name == "CuePoint" => {
            for (i, item) in items.iter().enumerate().take(256) {
                let Amf::Obj(props) = item else { continue };
                for (k, sub) in props {
                    let base = format!("CuePoint{i}{}", meta_name(k));
                    if let Amf::Obj(params) = sub {
                        for (pk, pv) in params {
                            if let Some(val) = amf_value(pv) {
                                cx.add(G, format!("{base}{}", meta_name(pk)), val);
                            }
                        }
                    } else if let Some(val) = amf_value(sub) {
                        cx.add(G, base, val);
                    }
                }
            }
        }
        _ => {
            let Some(mut val) = amf_value(v) else { return };
            if let (Amf::Num(n), "VideoBitrate" | "AudioBitrate") = (v, name.as_str()) {
                val = Value::Float(n * 1000.0);
            }
            if let Amf::Num(n) = v {
                match name.as_str() {
                    "ImageWidth" => st.size.0 = Some(*n),
                    "ImageHeight" => st.size.1 = Some(*n),
                    "FrameRate" => st.frame_rate = Some(*n),
                    _ => {}
                }
            }
            cx.add(G, name, val);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    fn num(k: &str, v: f64) -> Vec<u8> {
        let mut o = (k.len() as u16).to_be_bytes().to_vec();
        o.extend_from_slice(k.as_bytes());
        o.push(0);
        o.extend_from_slice(&v.to_be_bytes());
        o
    }

    #[test]
    fn header_and_metadata() {
        let mut s = vec![2, 0, 10];
        s.extend_from_slice(b"onMetaData");
        s.extend_from_slice(&[8, 0, 0, 0, 3]);
        s.extend(num("width", 320.0));
        s.extend(num("height", 240.0));
        s.extend(num("videodatarate", 195.3125));
        s.extend_from_slice(&[0, 0, 9]);
        let mut f = b"FLV\x01\x05\0\0\0\x09\0\0\0\0".to_vec();
        let n = s.len() as u32;
        f.extend_from_slice(&[18, (n >> 16) as u8, (n >> 8) as u8, n as u8, 0, 0, 0, 0, 0, 0, 0]);
        f.extend(s);
        f.extend_from_slice(&(n + 11).to_be_bytes());
        f.extend_from_slice(&[8, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x2e, 0, 0, 0, 12]);
        f.extend_from_slice(&[9, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x22, 0, 0, 0, 0]);
        let found = test_util::parse(&f, parse);
        assert!(found.ok);
        assert_eq!(found.get("Flash:ImageWidth"), Some(&Value::Int(320)));
        assert_eq!(found.get("Flash:VideoBitrate"), Some(&Value::Float(195312.5)));
        assert_eq!(found.get("Flash:AudioSampleRate"), Some(&Value::Int(44100)));
        assert_eq!(found.get("Flash:VideoEncoding"), Some(&Value::Int(2)));
        assert_eq!(found.streams.len(), 2);
        assert_eq!(found.streams[1].codec_name.as_deref(), Some("flv1"));
        assert_eq!(found.streams[1].width, Some(320));
        for n in 0..f.len() {
            test_util::parse(&f[..n], parse);
        }
    }

    #[test]
    fn dates_and_depth() {
        assert_eq!(amf_date(1_181_660_591_528.553, -240), "2007:06:12 15:03:11.528553-04:00");
        assert_eq!(vp6_size(&[0x06, 0x78, 0x46, 0x0a, 0x0c], false), Some((192, 154)));
        let deep = [10u8, 0, 0, 0, 1].repeat(100);
        assert!(Reader::new(&deep).value(0).is_none());
    }
}

//! ASF (WMV/WMA/ASF): the Header Object and its children — File Properties, Stream
//! Properties, Content Description, Extended Content Description, Codec List and the
//! Header Extension (Metadata, Metadata Library, Extended Stream Properties). The Data
//! Object and the indexes after it are never read.
//!
//! ExifTool keeps the last of repeated ASF tags (e.g. the last stream's `StreamType`).

use crate::base::bytes::{le16, le32, le64};
use crate::base::decode::{fourcc, utf16_until_nul};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::last_wins::LastWins;
use crate::model::{BinaryRef, Stream, StreamKind, Tag, Value};

/// Group of the ASF tags.
const G: &str = "ASF";
/// Largest header object read whole.
const MAX_HEADER: u64 = 8 << 20;
/// Most objects walked per list.
const MAX_OBJECTS: usize = 1024;

const DATA: [u8; 16] = guid(0x75B2_2636, 0x668E, 0x11CF, [0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C]);
const HEADER: [u8; 16] = guid(0x75B2_2630, 0x668E, 0x11CF, [0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C]);
const FILE_PROPS: [u8; 16] =
    guid(0x8CAB_DCA1, 0xA947, 0x11CF, [0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65]);
const STREAM_PROPS: [u8; 16] =
    guid(0xB7DC_0791, 0xA9B7, 0x11CF, [0x8E, 0xE6, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65]);
const CONTENT: [u8; 16] = guid(0x75B2_2633, 0x668E, 0x11CF, [0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C]);
const EXT_CONTENT: [u8; 16] =
    guid(0xD2D0_A440, 0xE307, 0x11D2, [0x97, 0xF0, 0x00, 0xA0, 0xC9, 0x5E, 0xA8, 0x50]);
const CODEC_LIST: [u8; 16] =
    guid(0x86D1_5240, 0x311D, 0x11D0, [0xA3, 0xA4, 0x00, 0xA0, 0xC9, 0x03, 0x48, 0xF6]);
const HEADER_EXT: [u8; 16] =
    guid(0x5FBF_03B5, 0xA92E, 0x11CF, [0x8E, 0xE3, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65]);
const METADATA: [u8; 16] =
    guid(0xC5F8_CBEA, 0x5BAF, 0x4877, [0x84, 0x67, 0xAA, 0x8C, 0x44, 0xFA, 0x4C, 0xCA]);
const METADATA_LIB: [u8; 16] =
    guid(0x4423_1C94, 0x9498, 0x49D1, [0xA1, 0x41, 0x1D, 0x13, 0x4E, 0x45, 0x70, 0x54]);
const EXT_STREAM: [u8; 16] =
    guid(0x14E6_A5CB, 0xC672, 0x4332, [0x83, 0x99, 0xA9, 0x69, 0x52, 0x06, 0x5B, 0x5A]);
const AUDIO_MEDIA: [u8; 16] =
    guid(0xF869_9E40, 0x5B4D, 0x11CF, [0xA8, 0xFD, 0x00, 0x80, 0x5F, 0x5C, 0x44, 0x2B]);
const VIDEO_MEDIA: [u8; 16] =
    guid(0xBC19_EFC0, 0x5B4D, 0x11CF, [0xA8, 0xFD, 0x00, 0x80, 0x5F, 0x5C, 0x44, 0x2B]);

/// A GUID in its on-disk byte order (first three fields little-endian).
const fn guid(a: u32, b: u16, c: u16, d: [u8; 8]) -> [u8; 16] {
    let a = a.to_le_bytes();
    let b = b.to_le_bytes();
    let c = c.to_le_bytes();
    [a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]
}

/// A GUID as ExifTool prints it: `8CABDCA1-A947-11CF-8EE4-00C00C205365`.
fn guid_text(g: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let (Some(a), Some(b), Some(c), Some(d)) = (le32(g, 0), le16(g, 4), le16(g, 6), g.get(8..16)) else {
        return String::new();
    };
    // Written into a fixed buffer: ASF headers hold several GUIDs and this runs for each.
    let mut out = [b'-'; 36];
    let mut at = 0;
    let mut put = |v: u64, digits: usize, dash: bool| {
        for i in (0..digits).rev() {
            if let Some(o) = out.get_mut(at) {
                *o = DIGITS[((v >> (4 * i)) & 15) as usize];
            }
            at += 1;
        }
        at += usize::from(dash);
    };
    put(u64::from(a), 8, true);
    put(u64::from(b), 4, true);
    put(u64::from(c), 4, true);
    let (d1, d2) = d.split_at(2);
    put(d1.iter().fold(0, |v, x| v << 8 | u64::from(*x)), 4, true);
    put(d2.iter().fold(0, |v, x| v << 8 | u64::from(*x)), 12, false);
    String::from_utf8_lossy(&out).into_owned()
}

/// A FILETIME (100 ns since 1601) as `YYYY:MM:DD HH:MM:SSZ`.
fn filetime(t: u64) -> String {
    if t <= 11_644_473_600 * 10_000_000 {
        // Zero, or the Unix epoch itself: ExifTool shows an all-zero date.
        return "0000:00:00 00:00:00Z".into();
    }
    let secs = (t / 10_000_000) as i64 - 11_644_473_600;
    let (y, mo, d, h, mi, s) = crate::base::date::civil(secs);
    format!("{y:04}:{mo:02}:{d:02} {h:02}:{mi:02}:{s:02}Z")
}

/// Walk state.
struct State {
    lw: LastWins,
    size: Option<(u64, u64)>,
    preroll_ms: u64,
    play: u64,
    /// Stream number -> index in `cx.streams`.
    numbers: Vec<(u16, usize)>,
    /// Stream number -> average time per frame (100 ns).
    frame_times: Vec<(u16, u64)>,
    /// Data packet size (the File Properties' minimum, equal to the maximum).
    packet_size: u32,
}

impl State {
    fn add(&mut self, cx: &mut Ctx, name: &'static str, v: impl Into<Value>) {
        cx.push(self.lw.rank(Tag::new(G, name, v)));
    }
}

/// Reads an ASF file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let h = cx.read_array::<30>(0)?;
    if h[..16] != HEADER {
        return Err(Error::malformed(0u64, "no ASF header object"));
    }
    let size = le64(&h, 16).unwrap_or(0);
    if !(30..=MAX_HEADER).contains(&size) {
        return Err(Error::malformed(16u64, format!("ASF header object of {size} bytes")));
    }
    let size = size.min(cx.len());
    let max = cx.opts.limits.max_alloc as u64;
    if size - 30 > max {
        // The objects that fit are read; the one the cut falls in and those after are not.
        cx.warn(30, format!("ASF header object of {size} bytes read in part: past max_alloc ({max} bytes)"));
    }
    let d = cx.read(30, (size - 30).min(max))?;
    let mut st = State {
        lw: LastWins::default(),
        size: None,
        preroll_ms: 0,
        play: 0,
        numbers: Vec::new(),
        frame_times: Vec::new(),
        packet_size: 0,
    };
    objects(cx, &d, 30, 0, &mut st)?;
    packet_rates(cx, size, &mut st)?;
    // Frame rates from the Extended Stream Properties, durations from the file's.
    let dur = (st.play as f64 / 1e7 - st.preroll_ms as f64 / 1e3).max(0.0);
    for (num, idx) in &st.numbers {
        let Some(s) = cx.streams.get_mut(*idx) else { continue };
        if st.play > 0 {
            s.duration = Some(dur);
        }
        if s.kind == Some(StreamKind::Video) {
            if let Some((_, t)) = st.frame_times.iter().find(|(n, t)| n == num && *t > 0) {
                s.frame_rate = Some(1e7 / *t as f64);
            }
        }
    }
    if let Some((w, h)) = st.size {
        cx.fact(Fact::ImageSize(w, h));
    }
    Ok(())
}

/// Frame rates measured from the data packets, for video streams that the Extended
/// Stream Properties do not describe (as ffprobe does).
fn packet_rates(cx: &mut Ctx, data: u64, st: &mut State) -> Result<()> {
    let wanted: Vec<u16> = st
        .numbers
        .iter()
        .filter(|(n, i)| {
            cx.streams.get(*i).is_some_and(|s| s.kind == Some(StreamKind::Video))
                && !st.frame_times.iter().any(|(m, t)| m == n && *t > 0)
        })
        .map(|(n, _)| *n)
        .collect();
    if wanted.is_empty() || cx.read_up_to(data, 16)? != DATA {
        return Ok(());
    }
    for (n, fps) in super::asf_packets::frame_rates(cx, data, st.packet_size, &wanted)? {
        let idx = st.numbers.iter().find(|(m, _)| *m == n).map(|(_, i)| *i);
        if let Some(s) = idx.and_then(|i| cx.streams.get_mut(i)) {
            s.frame_rate = Some(fps);
        }
    }
    Ok(())
}

/// Walks a list of objects held in memory (`at` is the file offset of `d`).
fn objects(cx: &mut Ctx, d: &[u8], at: u64, depth: u32, st: &mut State) -> Result<()> {
    cx.check_depth(depth + 2, at)?;
    let mut p = 0usize;
    for _ in 0..MAX_OBJECTS {
        let (Some(id), Some(size)) = (d.get(p..p + 16), le64(d, p + 16)) else { break };
        let end =
            usize::try_from(size).ok().and_then(|s| p.checked_add(s)).filter(|&e| size >= 24 && e <= d.len());
        let Some(end) = end else {
            cx.warn(at + p as u64, "ASF object runs past its parent");
            break;
        };
        let body = &d[p + 24..end];
        let off = at + p as u64 + 24;
        match <[u8; 16]>::try_from(id).unwrap_or_default() {
            FILE_PROPS => file_props(cx, body, st),
            STREAM_PROPS => stream_props(cx, body, st),
            CONTENT => content(cx, body, st),
            EXT_CONTENT => ext_content(cx, body, off, st),
            CODEC_LIST => codec_list(cx, body, st),
            HEADER_EXT => {
                if let Some(inner) = body.get(22..) {
                    objects(cx, inner, off + 22, depth + 1, st)?;
                }
            }
            METADATA | METADATA_LIB => metadata(cx, body, off, st),
            EXT_STREAM => {
                if let (Some(n), Some(t)) = (le16(body, 48), le64(body, 52)) {
                    st.frame_times.push((n & 0x7f, t));
                }
            }
            _ => {}
        }
        p = end;
    }
    Ok(())
}

/// File Properties Object.
fn file_props(cx: &mut Ctx, d: &[u8], st: &mut State) {
    if d.len() < 80 {
        cx.warn(None, "short ASF file properties object");
        return;
    }
    let q = |p: usize| le64(d, p).unwrap_or(0);
    let l = |p: usize| le32(d, p).unwrap_or(0);
    st.add(cx, "FileID", guid_text(&d[..16]));
    st.add(cx, "FileLength", q(16));
    st.add(cx, "CreationDate", filetime(q(24)));
    st.add(cx, "DataPackets", q(32));
    st.add(cx, "Duration", q(40) as f64 / 1e7);
    st.add(cx, "SendDuration", q(48) as f64 / 1e7);
    st.add(cx, "Preroll", q(56));
    st.add(cx, "Flags", l(64));
    st.add(cx, "MinPacketSize", l(68));
    st.add(cx, "MaxPacketSize", l(72));
    st.add(cx, "MaxBitrate", l(76));
    st.play = q(40);
    if l(68) == l(72) {
        st.packet_size = l(68);
    }
    st.preroll_ms = q(56);
}

/// Stream Properties Object: one stream.
fn stream_props(cx: &mut Ctx, d: &[u8], st: &mut State) {
    let (Some(ty), Some(ec), Some(offset), Some(ts_len), Some(flags)) =
        (d.get(..16), d.get(16..32), le64(d, 32), le32(d, 40), le16(d, 48))
    else {
        cx.warn(None, "short ASF stream properties object");
        return;
    };
    let num = flags & 0x7f;
    st.add(cx, "StreamType", guid_text(ty));
    st.add(cx, "ErrorCorrectionType", guid_text(ec));
    st.add(cx, "TimeOffset", offset);
    st.add(cx, "StreamNumber", num);
    let spec = d.get(54..54usize.saturating_add(ts_len as usize)).unwrap_or_default();
    let mut s = Stream { index: cx.streams.len() as u32, ..Stream::default() };
    if ty == AUDIO_MEDIA {
        s.kind = Some(StreamKind::Audio);
        if let (Some(tag), Some(ch), Some(rate)) = (le16(spec, 0), le16(spec, 2), le32(spec, 4)) {
            st.add(cx, "AudioCodecID", tag);
            st.add(cx, "AudioChannels", ch);
            st.add(cx, "AudioSampleRate", rate);
            s.codec_name = audio_codec(tag).map(str::to_owned);
            s.codec_tag = Some(format!("0x{tag:04x}"));
            s.sample_rate = Some(rate);
            s.channels = Some(ch.into());
            if let Some(b) = le16(spec, 14).filter(|b| *b > 0) {
                s.bit_depth = Some(b.into());
            }
        }
    } else if ty == VIDEO_MEDIA {
        s.kind = Some(StreamKind::Video);
        if let (Some(w), Some(h)) = (le32(spec, 0), le32(spec, 4)) {
            st.add(cx, "ImageWidth", w);
            st.add(cx, "ImageHeight", h);
            st.size = Some((w.into(), h.into()));
            s.width = Some(w);
            s.height = Some(h);
        }
        if let Some(cc) = spec.get(27..31) {
            let tag = fourcc(cc);
            s.codec_name = video_codec(&tag).map(str::to_owned);
            s.codec_tag = Some(tag);
        }
    } else {
        s.kind = Some(StreamKind::Data);
    }
    st.numbers.push((num, cx.streams.len()));
    cx.streams.push(s);
}

/// Content Description Object: five UTF-16 strings.
fn content(cx: &mut Ctx, d: &[u8], st: &mut State) {
    let names = ["Title", "Author", "Copyright", "Description", "Rating"];
    let mut p = 10usize;
    for (i, name) in names.iter().enumerate() {
        let n = le16(d, i * 2).unwrap_or(0) as usize;
        let Some(s) = d.get(p..p + n) else { break };
        p += n;
        if n > 0 {
            st.add(cx, name, utf16_until_nul(s, true));
        }
    }
}

/// A tag name from an ASF attribute name: `WM/ToolName` -> `ToolName`.
fn attr_name(raw: &str) -> Option<String> {
    // Encoder bookkeeping ExifTool does not show, and lower-case duplicates of the content
    // description (`title`, `author`).
    const HIDDEN: [&str; 5] =
        ["WMFSDKVersion", "WMFSDKNeeded", "VBR Peak", "Buffer Average", "DeviceConformanceTemplate"];
    if HIDDEN.contains(&raw) || raw.starts_with(|c: char| c.is_ascii_lowercase()) {
        return None;
    }
    let n = raw.strip_prefix("WM/").unwrap_or(raw);
    let n: String = n.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
    let n = n.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
    (!n.is_empty()).then(|| n.to_owned())
}

/// One attribute value (types shared by the extended content description and metadata objects).
fn attr(cx: &mut Ctx, name: &str, ty: u16, v: &[u8], off: u64, st: &mut State) {
    let Some(tag) = attr_name(name) else { return };
    if tag == "Picture" && ty == 1 {
        picture(cx, v, off, st);
        return;
    }
    let value: Value = match ty {
        0 => Value::from(utf16_until_nul(v, true)),
        1 => Value::Binary(BinaryRef { offset: off, length: v.len() as u64 }),
        2 => Value::Bool(le32(v, 0).or(le16(v, 0).map(u32::from)).unwrap_or(0) != 0),
        3 => le32(v, 0).map_or(Value::Int(0), Value::from),
        4 => le64(v, 0).map_or(Value::Int(0), Value::from),
        5 => le16(v, 0).map_or(Value::Int(0), Value::from),
        6 => Value::from(guid_text(v)),
        _ => return,
    };
    cx.push(st.lw.rank(Tag::new(G, tag, value)));
}

/// `WM/Picture`: type, MIME type, description, image data.
fn picture(cx: &mut Ctx, v: &[u8], off: u64, st: &mut State) {
    let (Some(&ty), Some(len)) = (v.first(), le32(v, 1)) else { return };
    st.add(cx, "PictureType", ty);
    let mut p = 5usize;
    let mut strings = Vec::new();
    for _ in 0..2 {
        let rest = v.get(p..).unwrap_or_default();
        let n = rest.chunks_exact(2).position(|c| c == [0, 0]).map_or(rest.len(), |i| i * 2);
        strings.push(utf16_until_nul(&rest[..n], true));
        p = p.saturating_add(n + 2);
    }
    st.add(cx, "PictureMIMEType", strings[0].clone());
    if !strings[1].is_empty() {
        st.add(cx, "PictureDescription", strings[1].clone());
    }
    let avail = v.len().saturating_sub(p) as u64;
    st.add(cx, "Picture", BinaryRef { offset: off + p as u64, length: u64::from(len).min(avail) });
}

/// Extended Content Description Object.
fn ext_content(cx: &mut Ctx, d: &[u8], off: u64, st: &mut State) {
    let count = le16(d, 0).unwrap_or(0);
    let mut p = 2usize;
    for _ in 0..count {
        let Some(nl) = le16(d, p) else { break };
        let nl = nl as usize;
        let (Some(name), Some(ty), Some(vl)) =
            (d.get(p + 2..p + 2 + nl), le16(d, p + 2 + nl), le16(d, p + 4 + nl))
        else {
            break;
        };
        let vp = p + 6 + nl;
        let Some(v) = d.get(vp..vp + vl as usize) else { break };
        attr(cx, &utf16_until_nul(name, true), ty, v, off + vp as u64, st);
        p = vp + vl as usize;
    }
}

/// Metadata / Metadata Library Object.
fn metadata(cx: &mut Ctx, d: &[u8], off: u64, st: &mut State) {
    let count = le16(d, 0).unwrap_or(0);
    let mut p = 2usize;
    for _ in 0..count {
        let (Some(nl), Some(ty), Some(vl)) = (le16(d, p + 4), le16(d, p + 6), le32(d, p + 8)) else { break };
        let np = p + 12;
        let vp = np + nl as usize;
        let Some(ve) = vp.checked_add(vl as usize).filter(|&e| e <= d.len()) else { break };
        let name = utf16_until_nul(&d[np..vp], true);
        let v = &d[vp..ve];
        attr(cx, &name, ty, v, off + vp as u64, st);
        p = ve;
    }
}

/// Codec List Object.
fn codec_list(cx: &mut Ctx, d: &[u8], st: &mut State) {
    let count = le32(d, 16).unwrap_or(0);
    let mut p = 20usize;
    for _ in 0..count.min(64) {
        let Some(ty) = le16(d, p) else { break };
        let Some(nl) = le16(d, p + 2) else { break };
        let np = p + 4;
        let Some(name) = d.get(np..np + nl as usize * 2) else { break };
        let dp = np + nl as usize * 2;
        let Some(dl) = le16(d, dp) else { break };
        let Some(desc) = d.get(dp + 2..dp + 2 + dl as usize * 2) else { break };
        let ip = dp + 2 + dl as usize * 2;
        let Some(il) = le16(d, ip) else { break };
        let (n, ds) = match ty {
            1 => ("VideoCodecName", "VideoCodecDescription"),
            2 => ("AudioCodecName", "AudioCodecDescription"),
            _ => ("OtherCodecName", "OtherCodecDescription"),
        };
        st.add(cx, n, utf16_until_nul(name, true));
        st.add(cx, ds, utf16_until_nul(desc, true));
        p = ip + 2 + il as usize;
    }
}

/// ffprobe's name for a WAVE format tag in ASF.
fn audio_codec(tag: u16) -> Option<&'static str> {
    Some(match tag {
        1 => "pcm_s16le",
        0x0a => "wmavoice",
        0x55 => "mp3",
        0x160 => "wmav1",
        0x161 => "wmav2",
        0x162 => "wmapro",
        0x163 => "wmalossless",
        0xff | 0x1610 => "aac",
        0x2000 => "ac3",
        _ => return None,
    })
}

/// ffprobe's name for a video FourCC in ASF.
fn video_codec(tag: &str) -> Option<&'static str> {
    Some(match tag.to_ascii_uppercase().as_str() {
        "WMV1" => "wmv1",
        "WMV2" => "wmv2",
        "WMV3" => "wmv3",
        "WVC1" | "WMVA" => "vc1",
        "WVP2" => "vc1image",
        "WMVP" => "wmv3image",
        "MSS1" | "MSS2" => "mss2",
        "MP4S" | "M4S2" | "XVID" | "DIVX" => "mpeg4",
        "MP43" | "DIV3" => "msmpeg4v3",
        "MP42" => "msmpeg4v2",
        "MPG4" => "msmpeg4v1",
        "H264" | "AVC1" => "h264",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    fn obj(id: [u8; 16], body: &[u8]) -> Vec<u8> {
        let mut v = id.to_vec();
        v.extend_from_slice(&(body.len() as u64 + 24).to_le_bytes());
        v.extend_from_slice(body);
        v
    }

    fn u16s(s: &str) -> Vec<u8> {
        s.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn header() {
        let mut fp = vec![0u8; 80];
        fp[40..48].copy_from_slice(&41_430_000u64.to_le_bytes());
        fp[56..64].copy_from_slice(&3100u64.to_le_bytes());
        let title = u16s("T");
        let mut cd = vec![title.len() as u8, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        cd.extend_from_slice(&title);
        let mut sp = VIDEO_MEDIA.to_vec();
        sp.extend_from_slice(&[0u8; 16]);
        sp.extend_from_slice(&[0u8; 8]);
        sp.extend_from_slice(&51u32.to_le_bytes());
        sp.extend_from_slice(&0u32.to_le_bytes());
        sp.extend_from_slice(&1u16.to_le_bytes());
        sp.extend_from_slice(&[0u8; 4]);
        let mut spec = vec![0u8; 51];
        spec[0..4].copy_from_slice(&320u32.to_le_bytes());
        spec[4..8].copy_from_slice(&240u32.to_le_bytes());
        spec[27..31].copy_from_slice(b"WMV2");
        sp.extend_from_slice(&spec);
        let children = [obj(FILE_PROPS, &fp), obj(CONTENT, &cd), obj(STREAM_PROPS, &sp)].concat();
        let mut body = 3u32.to_le_bytes().to_vec();
        body.extend_from_slice(&[1, 2]);
        body.extend(children);
        let f = obj(HEADER, &body);
        let found = test_util::parse(&f, parse);
        assert!(found.ok);
        assert_eq!(found.get("ASF:Title"), Some(&Value::Text("T".into())));
        assert_eq!(found.get("ASF:Duration"), Some(&Value::Float(4.143)));
        assert_eq!(found.get("ASF:CreationDate"), Some(&Value::Text("0000:00:00 00:00:00Z".into())));
        assert_eq!(found.get("ASF:ImageWidth"), Some(&Value::Int(320)));
        assert_eq!(found.streams[0].codec_name.as_deref(), Some("wmv2"));
        assert!((found.streams[0].duration.unwrap_or(0.0) - 1.043).abs() < 1e-9);
        for n in 0..f.len() {
            test_util::parse(&f[..n], parse);
        }
    }

    #[test]
    fn dates() {
        assert_eq!(filetime(127_434_578_140_000_000), "2004:10:28 17:23:34Z");
    }
}

//! Sample descriptions (`stsd`): the codec of a track, its picture size or its audio
//! format, and the configuration boxes that follow (`avcC`, `hvcC`, `av1C`, `esds`,
//! `colr`, `pasp`, `btrt`, `fiel`, `dvcC`, `chan`, `wave`...).

use super::{Movie, children, fixed16};
use crate::base::bytes::{be16, be32, be64};
use crate::base::decode::latin1;
use crate::context::Ctx;
use crate::formats::isobmff::codec;

/// Stream facts from the first sample description of a track.
#[derive(Debug, Default, Clone)]
pub(super) struct Entry {
    /// Sample entry type (`avc1`, `mp4a`...), or the original format of encrypted entries.
    pub format: [u8; 4],
    /// Codec under ffprobe's name.
    pub codec: Option<&'static str>,
    /// Profile under ffprobe's name.
    pub profile: Option<&'static str>,
    /// Picture size.
    pub width: Option<u32>,
    /// Picture size.
    pub height: Option<u32>,
    /// Bits per sample or per luma component.
    pub bit_depth: Option<u32>,
    /// Audio sampling rate (the decoder configuration's when it has one).
    pub sample_rate: Option<f64>,
    /// Audio channels (the decoder configuration's when it has one).
    pub channels: Option<u32>,
    /// Average bit rate from `btrt` or `esds`.
    pub bit_rate: Option<u64>,
    /// HDR format.
    pub hdr: Option<&'static str>,
    /// Frames per second a time code track counts.
    pub timecode_rate: Option<f64>,
    /// MPEG-4 object type indication from `esds`.
    pub object_type: Option<u8>,
    /// LPCM flags (version 2 sound descriptions) and little-endian marker (`enda`).
    lpcm_flags: Option<u32>,
    little_endian: bool,
}

/// Reads `stsd` and returns the first entry's facts (tags come from it too).
pub(super) fn stsd(
    cx: &mut Ctx,
    m: &mut Movie,
    sub: &str,
    handler: &[u8; 4],
    b: &[u8],
    base: u64,
) -> Option<Entry> {
    // version/flags, entry count, then the entries as boxes.
    let list = b.get(8..)?;
    let first = children(cx, list, base + 8).into_iter().next()?;
    let mut e = Entry { format: first.kind, ..Entry::default() };
    match handler {
        b"vide" => visual(cx, m, sub, &mut e, first.body, first.body_offset),
        b"soun" => audio(cx, m, sub, &mut e, first.body, first.body_offset),
        _ => {
            // ExifTool names a timed-metadata description's format differently.
            let name = if handler == b"meta" { "MetaFormat" } else { "OtherFormat" };
            m.put(cx, sub, name, latin1(&first.kind));
            e.timecode_rate = other(cx, m, sub, &first.kind, first.body);
        }
    }
    e.codec = e.codec.or_else(|| codec_name(&e, handler));
    if e.profile.is_none() {
        e.profile = match &e.format {
            b"apco" => Some("Proxy"),
            b"apcs" => Some("LT"),
            b"apcn" => Some("Standard"),
            b"apch" => Some("HQ"),
            b"ap4h" => Some("4444"),
            b"ap4x" => Some("4444XQ"),
            _ => None,
        };
    }
    Some(e)
}

fn visual(cx: &mut Ctx, m: &mut Movie, sub: &str, e: &mut Entry, b: &[u8], base: u64) {
    m.put(cx, sub, "CompressorID", latin1(&e.format));
    // reserved(6) data-ref(2) version(2) revision(2) vendor(4) temporal(4) spatial(4)
    // width(2) height(2) hres(4) vres(4) data size(4) frames(2) name(32) depth(2) ctab(2)
    let Some(head) = b.get(..78) else {
        cx.warn(base, "visual sample description is truncated");
        return;
    };
    let vendor = &head[12..16];
    if vendor.iter().any(|&c| c != 0) {
        m.put(cx, sub, "VendorID", latin1(vendor));
    }
    let (w, h) = (be16(head, 24).unwrap_or(0), be16(head, 26).unwrap_or(0));
    m.put(cx, sub, "SourceImageWidth", w);
    m.put(cx, sub, "SourceImageHeight", h);
    e.width = Some(w.into());
    e.height = Some(h.into());
    m.put(cx, sub, "XResolution", fixed16(be32(head, 28).unwrap_or(0)));
    m.put(cx, sub, "YResolution", fixed16(be32(head, 32).unwrap_or(0)));
    let n = usize::from(head[42]).min(31);
    let name = String::from_utf8_lossy(&head[43..43 + n]);
    let name = name.trim_end_matches('\0').trim();
    if !name.is_empty() {
        m.put(cx, sub, "CompressorName", name.to_owned());
    }
    m.put(cx, sub, "BitDepth", be16(head, 74).unwrap_or(0));
    // Canon's CR3 entries (`CRAW`) carry 4 more bytes before their boxes.
    let boxes_at = if &e.format == b"CRAW" { 82 } else { 78 };
    let rest = b.get(boxes_at..).unwrap_or_default();
    // ExifTool 12.57 reads none of the extension atoms when they do not fill the
    // description exactly (GStreamer ends them with four zero bytes): the stream facts
    // are still taken, the tags are not shown.
    let tiles = super::extensions::fills_exactly(rest);
    for c in children(cx, rest, base + boxes_at as u64) {
        let body = c.body;
        match &c.kind {
            b"CMP1" if &e.format == b"CRAW" => crate::meta::exif::canon_cr3_cmp1(cx, body, sub),
            b"avcC" => set_info(e, codec::avcc_info(body)),
            b"hvcC" => set_info(e, codec::hvcc_info(body)),
            b"av1C" => set_info(e, codec::av1c_info(body)),
            b"vpcC" => {
                // version/flags, profile, level, bit depth (4 bits)...
                e.profile = body.get(4).and_then(|p| match p {
                    0 => Some("Profile 0"),
                    1 => Some("Profile 1"),
                    2 => Some("Profile 2"),
                    3 => Some("Profile 3"),
                    _ => None,
                });
                e.bit_depth = body.get(6).map(|x| u32::from(x >> 4));
            }
            b"colr" => {
                if let Some(hdr) = codec::colr_info(body).and_then(|c| c.hdr()) {
                    e.hdr.get_or_insert(hdr);
                }
            }
            b"btrt" => {
                if let Some(avg) = be32(body, 8) {
                    e.bit_rate = (avg > 0).then_some(avg.into());
                }
            }
            b"dvcC" | b"dvvC" | b"dvwC" if be16(body, 2).is_some() => e.hdr = Some("Dolby Vision"),
            b"esds" => esds(e, body),
            b"sinf" => original_format(cx, e, body, c.body_offset),
            _ => {}
        }
        if tiles {
            super::extensions::tags(cx, m, sub, &c.kind, body);
        }
    }
}

/// Time code (`tmcd`) and timed text (`tx3g`) descriptions.
/// Returns a time code track's frame rate.
fn other(cx: &mut Ctx, m: &mut Movie, sub: &str, kind: &[u8; 4], b: &[u8]) -> Option<f64> {
    match kind {
        b"tmcd" => {
            // reserved(6) data-ref(2) reserved(4) flags(4) time scale(4) frame duration(4)
            let (scale, frame) = (be32(b, 16)?, be32(b, 20)?);
            if frame > 0 {
                let rate = f64::from(scale) / f64::from(frame);
                m.put(cx, sub, "PlaybackFrameRate", rate);
                return Some(rate);
            }
        }
        b"tx3g" | b"text" => {
            // SampleEntry(8) display flags(4) justification(2) colour(4) box(8) style(12), boxes.
            // ffmpeg's QuickTime `text` chapter entries have the same length before `ftab`.
            let rest = b.get(38..)?;
            for c in children(cx, rest, 0) {
                if &c.kind != b"ftab" {
                    continue;
                }
                let n = be16(c.body, 0).unwrap_or(0);
                let mut p = 2;
                let mut fonts = Vec::new();
                for _ in 0..n.min(256) {
                    let Some(&len) = c.body.get(p + 2) else { break };
                    let Some(name) = c.body.get(p + 3..p + 3 + usize::from(len)) else { break };
                    fonts.push(String::from_utf8_lossy(name).into_owned());
                    p += 3 + usize::from(len);
                }
                if !fonts.is_empty() {
                    m.put(cx, sub, "FontTable", fonts.join(", "));
                }
            }
        }
        _ => {}
    }
    None
}

fn set_info(e: &mut Entry, info: Option<codec::CodecInfo>) {
    if let Some(i) = info {
        e.profile = i.profile;
        e.bit_depth = i.bit_depth.or(e.bit_depth);
    }
}

/// `sinf`/`frma`: the format an encrypted entry (`encv`, `enca`) wraps.
fn original_format(cx: &mut Ctx, e: &mut Entry, data: &[u8], base: u64) {
    for c in children(cx, data, base) {
        if &c.kind == b"frma" {
            if let Some(f) = c.body.get(..4).and_then(|f| <[u8; 4]>::try_from(f).ok()) {
                e.format = f;
            }
        }
    }
}

fn audio(cx: &mut Ctx, m: &mut Movie, sub: &str, e: &mut Entry, b: &[u8], base: u64) {
    if e.format.iter().all(|&c| c.is_ascii_alphanumeric() || c == b' ' || c == b'_') {
        m.put(cx, sub, "AudioFormat", latin1(&e.format));
    }
    // reserved(6) data-ref(2) version(2) revision(2) vendor(4) channels(2) bits(2)
    // compression id(2) packet size(2) rate(4, 16.16)
    let Some(head) = b.get(..28) else {
        cx.warn(base, "sound sample description is truncated");
        return;
    };
    let version = be16(head, 8).unwrap_or(0);
    let vendor = &head[12..16];
    if vendor.iter().any(|&c| c != 0) {
        m.put(cx, sub, "AudioVendorID", latin1(vendor));
    }
    let mut channels = u32::from(be16(head, 16).unwrap_or(0));
    let mut bits = u32::from(be16(head, 18).unwrap_or(0));
    let mut rate = f64::from(be32(head, 24).unwrap_or(0)) / 65536.0;
    let mut at = 28;
    match version {
        1 => at += 16,
        2 => {
            // struct size(4) rate(f64) channels(4) 0x7F000000(4) bits(4) flags(4) bytes/packet(4)
            // frames/packet(4)
            if let (Some(r), Some(c), Some(bp), Some(fl)) =
                (be64(b, 32), be32(b, 40), be32(b, 48), be32(b, 52))
            {
                rate = f64::from_bits(r);
                channels = c;
                bits = bp;
                e.lpcm_flags = Some(fl);
            }
            at += 36;
        }
        _ => {}
    }
    m.put(cx, sub, "AudioChannels", channels);
    m.put(cx, sub, "AudioBitsPerSample", bits);
    if rate.is_finite() {
        m.put(cx, sub, "AudioSampleRate", rate);
    }
    e.channels = (channels > 0).then_some(channels);
    e.bit_depth = (bits > 0).then_some(bits);
    e.sample_rate = (rate.is_finite() && rate > 0.0).then_some(rate);
    let rest = b.get(at..).unwrap_or_default();
    audio_children(cx, m, sub, e, rest, base + at as u64, 0);
}

fn audio_children(cx: &mut Ctx, m: &mut Movie, sub: &str, e: &mut Entry, data: &[u8], base: u64, depth: u32) {
    for c in children(cx, data, base) {
        let body = c.body;
        match &c.kind {
            b"esds" => esds(e, body),
            b"wave" if depth == 0 => audio_children(cx, m, sub, e, body, c.body_offset, 1),
            b"frma" => {
                if let Some(f) = body.get(..4) {
                    m.put(cx, sub, "PurchaseFileFormat", latin1(f));
                }
            }
            b"enda" => {
                if let Some(v) = be16(body, 0) {
                    m.put(cx, sub, "Endianness", v);
                    e.little_endian = v != 0;
                }
            }
            b"dac3" => {
                // fscod(2) bsid(5) bsmod(3) acmod(3) lfeon(1)
                if let Some(&b1) = body.get(1) {
                    let acmod = (b1 >> 3) & 7;
                    let lfe = (b1 >> 2) & 1;
                    e.channels = Some(ac3_channels(acmod) + u32::from(lfe));
                }
            }
            b"dec3" => {
                // data rate(13) substreams(3), then fscod(2) bsid(5) reserved(1) asvc(1)
                // bsmod(3) acmod(3) lfeon(1)
                if let Some(&b3) = body.get(3) {
                    let acmod = (b3 >> 1) & 7;
                    let lfe = b3 & 1;
                    e.channels = Some(ac3_channels(acmod) + u32::from(lfe));
                }
            }
            b"chan" => {
                if let Some(tag) = be32(body, 4) {
                    m.put(cx, sub, "LayoutFlags", tag >> 16);
                    if tag >> 16 >= 100 {
                        m.put(cx, sub, "AudioChannels", tag & 0xffff);
                    }
                }
            }
            b"btrt" => e.bit_rate = be32(body, 8).filter(|&v| v > 0).map(u64::from).or(e.bit_rate),
            b"sinf" => original_format(cx, e, body, c.body_offset),
            b"dOps" => {
                // version, output channels, pre-skip, input rate...
                e.channels = body.get(1).map(|&c| u32::from(c)).filter(|&c| c > 0).or(e.channels);
                e.codec = Some("opus");
            }
            b"alac" => {
                // version/flags, frame length(4), compatible version, bit depth, pb, mb, kb,
                // channels, max run(2), max frame bytes(4), average bit rate(4), rate(4).
                if let (Some(&ch), Some(rate)) = (body.get(13), be32(body, 24)) {
                    e.channels = (ch > 0).then_some(u32::from(ch)).or(e.channels);
                    if rate > 0 {
                        e.sample_rate = Some(rate.into());
                    }
                }
            }
            b"srat" => {
                if let Some(rate) = be32(body, 4).filter(|&r| r > 0) {
                    e.sample_rate = Some(rate.into());
                }
            }
            b"dfLa" => {
                // version/flags, then METADATA_BLOCK_HEADER(4) + STREAMINFO: rate is 20 bits at 18.
                if let (Some(&a), Some(&b2), Some(&c3)) = (body.get(18), body.get(19), body.get(20)) {
                    let rate = (u32::from(a) << 12) | (u32::from(b2) << 4) | u32::from(c3 >> 4);
                    if rate > 0 {
                        e.sample_rate = Some(rate.into());
                    }
                    e.channels = Some(u32::from((c3 >> 1) & 7) + 1);
                }
            }
            _ => {}
        }
    }
}

/// Full-bandwidth channels of an AC-3 audio coding mode.
fn ac3_channels(acmod: u8) -> u32 {
    [2, 1, 2, 3, 3, 4, 4, 5][usize::from(acmod & 7)]
}

/// `esds`: object type, average bit rate and, for AAC, the AudioSpecificConfig's rate and
/// channels (which ffprobe reports).
fn esds(e: &mut Entry, b: &[u8]) {
    let mut p = 4; // version/flags
    // Walk descriptors: ES (0x03) contains DecoderConfig (0x04) contains DecSpecificInfo (0x05).
    let mut guard = 0;
    while p < b.len() && guard < 16 {
        guard += 1;
        let Some(&tag) = b.get(p) else { return };
        let Some((len, hl)) = descriptor_len(b, p + 1) else { return };
        let body = p + 1 + hl;
        match tag {
            0x03 => {
                let Some(&flags) = b.get(body + 2) else { return };
                let mut q = body + 3;
                if flags & 0x80 != 0 {
                    q += 2;
                }
                if flags & 0x40 != 0 {
                    q += 1 + usize::from(*b.get(q).unwrap_or(&0));
                }
                if flags & 0x20 != 0 {
                    q += 2;
                }
                p = q;
            }
            0x04 => {
                e.object_type = b.get(body).copied();
                if let Some(avg) = be32(b, body + 9).filter(|&v| v > 0) {
                    e.bit_rate = Some(avg.into());
                }
                p = body + 13;
            }
            0x05 => {
                if e.object_type.is_none_or(|o| matches!(o, 0x40 | 0x66..=0x68)) {
                    let end = body.saturating_add(len).min(b.len());
                    audio_specific_config(e, b.get(body..end).unwrap_or_default());
                }
                return;
            }
            _ => return,
        }
    }
}

fn descriptor_len(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut len = 0usize;
    for i in 0..4 {
        let byte = *b.get(at + i)?;
        len = (len << 7) | usize::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((len, i + 1));
        }
    }
    Some((len, 4))
}

/// MPEG-4 AudioSpecificConfig: object type, sampling frequency, channel configuration.
fn audio_specific_config(e: &mut Entry, b: &[u8]) {
    const RATES: [u32; 13] =
        [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
    let mut r = Bits { data: b, pos: 0 };
    let object = |r: &mut Bits| -> Option<u32> {
        let o = r.take(5)?;
        if o == 31 { Some(32 + r.take(6)?) } else { Some(o) }
    };
    let freq = |r: &mut Bits| -> Option<u32> {
        let i = r.take(4)?;
        if i == 15 { r.take(24) } else { RATES.get(i as usize).copied() }
    };
    let Some(aot) = object(&mut r) else { return };
    let rate = freq(&mut r);
    let Some(chan) = r.take(4) else { return };
    let mut rate = rate;
    let mut profile = match aot {
        1 => Some("Main"),
        2 => Some("LC"),
        3 => Some("SSR"),
        4 => Some("LTP"),
        23 => Some("LD"),
        39 => Some("ELD"),
        _ => None,
    };
    if aot == 5 || aot == 29 {
        // Explicit SBR/PS: the extension rate is the output rate.
        rate = freq(&mut r).or(rate);
        profile = Some(if aot == 5 { "HE-AAC" } else { "HE-AACv2" });
    }
    e.profile = profile;
    if let Some(rate) = rate.filter(|&r| r > 0) {
        e.sample_rate = Some(rate.into());
    }
    let channels = match chan {
        1..=6 => Some(chan),
        7 => Some(8),
        _ => None,
    };
    if let Some(c) = channels {
        e.channels = Some(if aot == 29 { 2 } else { c });
    }
}

/// A big-endian bit reader.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bits<'_> {
    fn take(&mut self, n: u32) -> Option<u32> {
        let mut v = 0u32;
        for _ in 0..n {
            let byte = *self.data.get(self.pos / 8)?;
            let bit = (byte >> (7 - (self.pos % 8))) & 1;
            v = (v << 1) | u32::from(bit);
            self.pos += 1;
        }
        Some(v)
    }
}

/// ffprobe's codec name for an entry.
fn codec_name(e: &Entry, handler: &[u8; 4]) -> Option<&'static str> {
    let bits = e.bit_depth.unwrap_or(16);
    Some(match &e.format {
        b"avc1" | b"avc2" | b"avc3" | b"avc4" | b"dva1" | b"dvav" | b"h264" | b"H264" => "h264",
        b"hvc1" | b"hev1" | b"dvh1" | b"dvhe" => "hevc",
        b"av01" => "av1",
        b"vp09" => "vp9",
        b"vp08" => "vp8",
        b"mp4v" => match e.object_type {
            Some(0x60..=0x65) => "mpeg2video",
            Some(0x6a) => "mpeg1video",
            Some(0x6c) => "mjpeg",
            Some(0x6e) => "jpeg2000",
            _ => "mpeg4",
        },
        b"jpeg" | b"mjpa" | b"AVDJ" | b"dmb1" => "mjpeg",
        b"mjpb" => "mjpegb",
        b"png " => "png",
        b"apcn" | b"apch" | b"apcs" | b"apco" | b"ap4h" | b"ap4x" => "prores",
        b"s263" | b"h263" | b"H263" => "h263",
        b"rle " => "qtrle",
        b"SVQ1" => "svq1",
        b"SVQ3" => "svq3",
        b"cvid" => "cinepak",
        b"mjp2" => "jpeg2000",
        b"AVdn" | b"AVdh" => "dnxhd",
        b"tiff" => "tiff",
        b"gif " => "gif",
        b"dvc " | b"dvcp" | b"dvpp" | b"dv5n" | b"dv5p" | b"dvh5" | b"dvh6" | b"dvhq" | b"dvhp" | b"dvh3"
        | b"AVdv" | b"AVd1" => "dvvideo",
        b"mp2v" | b"hdv1" | b"hdv2" | b"hdv3" | b"hdv5" | b"hdv6" | b"hdv7" | b"hdv8" | b"hdv9" | b"xdv1"
        | b"xdv2" | b"xdv3" | b"xdv4" | b"xdv5" | b"xdv6" | b"xdv7" | b"xdv8" | b"xdv9" | b"xdva"
        | b"xdvb" | b"xdvc" | b"xdvd" | b"xdve" | b"xdvf" | b"xd5a" | b"xd5b" | b"xd5c" | b"xd5d"
        | b"xd5e" | b"xd5f" | b"xd59" | b"xd54" | b"xd55" | b"mx5n" | b"mx5p" | b"mx4n" | b"mx4p"
        | b"mx3n" | b"mx3p" => "mpeg2video",
        b"raw " if handler == b"vide" => "rawvideo",
        b"mp4a" => match e.object_type {
            Some(0x69 | 0x6b) => "mp3",
            Some(0xa5) => "ac3",
            Some(0xa6) => "eac3",
            Some(0xa9) => "dts",
            Some(0xad) => "opus",
            Some(0xdd) => "vorbis",
            Some(0xe1) => "qcelp",
            _ => "aac",
        },
        b".mp3" | b"ms\0U" => "mp3",
        b"ac-3" | b"sac3" => "ac3",
        b"ec-3" => "eac3",
        b"ac-4" => "ac4",
        b"Opus" => "opus",
        b"fLaC" => "flac",
        b"alac" => "alac",
        b"samr" => "amr_nb",
        b"sawb" => "amr_wb",
        b"dtsc" | b"dtsh" | b"dtsl" | b"dtse" => "dts",
        b"mlpa" => "truehd",
        b"ulaw" => "pcm_mulaw",
        b"alaw" => "pcm_alaw",
        b"ima4" => "adpcm_ima_qt",
        b"Qclp" | b"sqcp" => "qcelp",
        b"QDM2" => "qdm2",
        b"QDMC" => "qdmc",
        b"agsm" => "gsm",
        b"MAC3" => "mace3",
        b"MAC6" => "mace6",
        b"raw " => "pcm_u8",
        b"NONE" | b"twos" if bits == 8 => "pcm_s8",
        b"sowt" if bits == 8 => "pcm_s8",
        b"NONE" | b"twos" => "pcm_s16be",
        b"sowt" => "pcm_s16le",
        b"in24" if e.little_endian => "pcm_s24le",
        b"in24" => "pcm_s24be",
        b"in32" if e.little_endian => "pcm_s32le",
        b"in32" => "pcm_s32be",
        b"fl32" if e.little_endian => "pcm_f32le",
        b"fl32" => "pcm_f32be",
        b"fl64" if e.little_endian => "pcm_f64le",
        b"fl64" => "pcm_f64be",
        b"lpcm" => return lpcm_name(e.lpcm_flags.unwrap_or(0), bits),
        b"tx3g" | b"text" => "mov_text",
        b"wvtt" => "webvtt",
        b"stpp" => "ttml",
        b"c608" => "eia_608",
        b"c708" => "eia_708",
        _ => return None,
    })
}

/// PCM codec name from a version 2 sound description's flags (float 1, big-endian 2,
/// signed 4).
fn lpcm_name(flags: u32, bits: u32) -> Option<&'static str> {
    let float = flags & 1 != 0;
    let be = flags & 2 != 0;
    let signed = flags & 4 != 0;
    Some(match (float, bits, be, signed) {
        (true, 32, false, _) => "pcm_f32le",
        (true, 32, true, _) => "pcm_f32be",
        (true, 64, false, _) => "pcm_f64le",
        (true, 64, true, _) => "pcm_f64be",
        (false, 8, _, true) => "pcm_s8",
        (false, 8, _, false) => "pcm_u8",
        (false, 16, false, _) => "pcm_s16le",
        (false, 16, true, _) => "pcm_s16be",
        (false, 24, false, _) => "pcm_s24le",
        (false, 24, true, _) => "pcm_s24be",
        (false, 32, false, _) => "pcm_s32le",
        (false, 32, true, _) => "pcm_s32be",
        _ => return None,
    })
}

#[cfg(test)]
pub(super) fn test_asc(b: &[u8]) -> (Option<f64>, Option<u32>, Option<&'static str>) {
    let mut e = Entry::default();
    audio_specific_config(&mut e, b);
    (e.sample_rate, e.channels, e.profile)
}

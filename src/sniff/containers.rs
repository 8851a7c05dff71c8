//! Refiners for containers whose signature alone does not name the format: ISO-BMFF
//! brands, RIFF/IFF forms, EBML DocType and tracks, Ogg first packets, TIFF-based raws,
//! OLE compound files. Each reads a bounded amount beyond the head.

pub(super) use super::small::*;
use super::{Format, Probe};
use crate::base::bytes::{Endian, be32, le16, le32};
use Format::*;

/// Most top-level boxes / elements / chunks looked at before giving up.
const MAX_ITEMS: usize = 64;

// ---- ISO-BMFF ---------------------------------------------------------------------

/// The format a brand names, if it names one.
fn brand_format(brand: &[u8]) -> Option<Format> {
    let f = match brand {
        b"qt  " => Mov,
        b"M4A " => M4a,
        b"M4B " => M4b,
        b"M4P " => M4p,
        b"M4V " | b"M4VH" | b"M4VP" => M4v,
        b"F4V " | b"F4P " => F4v,
        b"heic" => Heic,
        b"heix" | b"heim" | b"heis" | b"mif1" | b"mif2" => Heif,
        b"hevc" | b"hevx" => HeicSequence,
        b"msf1" => HeifSequence,
        b"avif" => Avif,
        b"crx " => Cr3,
        b"jp2 " => Jp2,
        b"jpx " => Jpx,
        b"jpm " => Jpm,
        b"jxl " => Jxl,
        b"isom" | b"iso2" | b"iso3" | b"iso4" | b"iso5" | b"iso6" | b"iso7" | b"iso8" | b"iso9" | b"mp41"
        | b"mp42" | b"mp71" | b"avc1" | b"dash" | b"mmp4" | b"MSNV" | b"NDAS" | b"f4v " | b"avis"
        | b"mjp2" | b"mj2s" => Mp4,
        [b'3', b'g', b'2', _] => ThreeG2,
        [b'3', b'g', _, _] => ThreeGp,
        _ => return None,
    };
    Some(f)
}

/// ISO-BMFF with an `ftyp` box (or the JPEG 2000 signature box before it), typed by
/// [`ftyp_format`]. An `ftyp` whose size field is 0 or 1 (to the end, or 64-bit) is not
/// read as one by ExifTool, which then types the file a QuickTime movie.
pub(super) fn isobmff(p: &Probe) -> Option<Format> {
    let mut off = 0usize;
    for _ in 0..4 {
        let size = usize::try_from(be32(p.head, off)?).ok()?;
        let kind = p.at(off.checked_add(4)?, 4)?;
        if kind == b"ftyp" {
            if size < 12 {
                return Some(Mov);
            }
            let body =
                p.head.get(off.checked_add(8)?..off.checked_add(size)?.min(p.head.len())).unwrap_or(&[]);
            return Some(ftyp_format(body));
        }
        if kind == b"jP  " && off == 0 {
            off = size;
            continue;
        }
        return if off > 0 { Some(Jp2) } else { None };
    }
    None
}

/// The format of an `ftyp` box body, by ExifTool's rules: the major brand when it names a
/// type; else the compatible brands after the first: `mp41`, `mp42` or `avc1` make MP4,
/// then `f4v ` F4V, then `qt  ` MOV; else MP4. The generic MP4 brands (`isom`, `mp42`...)
/// name no type as a major brand, so they too go by the compatible brands.
pub(crate) fn ftyp_format(body: &[u8]) -> Format {
    let Some(major) = body.get(..4) else { return Mp4 }; // truncated
    match brand_format(major) {
        Some(f) if f != Mp4 || matches!(major, b"mmp4" | b"MSNV") => return f,
        _ => {}
    }
    let later = body.get(12..).unwrap_or(&[]);
    let has = |names: &[&[u8; 4]]| later.chunks_exact(4).any(|c| names.iter().any(|n| c == &n[..]));
    if has(&[b"mp41", b"mp42", b"avc1"]) {
        Mp4
    } else if has(&[b"f4v "]) {
        F4v
    } else if has(&[b"qt  "]) {
        Mov
    } else {
        Mp4
    }
}

/// A QuickTime movie without `ftyp` (first box `moov`, `mdat`, `wide`, `free`...).
pub(super) fn bare_quicktime(p: &Probe) -> Option<Format> {
    let size = u64::from(be32(p.head, 0)?);
    (size == 0 || size == 1 || (8..=p.len).contains(&size)).then_some(Mov)
}

// ---- RIFF / IFF -------------------------------------------------------------------

/// RIFF forms: WAVE, AVI, WebP (simple vs extended).
pub(super) fn riff(p: &Probe) -> Option<Format> {
    match p.at(8, 4)? {
        b"WAVE" => Some(Wav),
        b"AVI " | b"AVIX" => Some(Avi),
        b"WEBP" => match p.at(12, 4)? {
            b"VP8X" => Some(WebPExtended),
            _ => Some(WebP),
        },
        // An unknown or damaged form: trust the extension if it names a RIFF format.
        _ => match p.ext {
            Some("wav") => Some(Wav),
            Some("avi") => Some(Avi),
            Some("webp") => Some(WebP),
            _ => Some(Riff),
        },
    }
}

/// IFF `FORM` types: AIFF and AIFF-C.
pub(super) fn iff(p: &Probe) -> Option<Format> {
    match p.at(8, 4)? {
        b"AIFF" => Some(Aiff),
        b"AIFC" => Some(Aifc),
        _ => None,
    }
}

/// DjVu: single page (`DJVU`) or multi-page bundle (`DJVM`).
pub(super) fn djvu(p: &Probe) -> Option<Format> {
    match p.at(12, 4)? {
        b"DJVM" => Some(DjvuMulti),
        b"DJVU" | b"DJVI" => Some(Djvu),
        _ => None,
    }
}

// ---- EBML / Matroska --------------------------------------------------------------

/// Reads an EBML element ID (marker bits kept) at `at`: (id, length).
fn ebml_id(b: &[u8], at: usize) -> Option<(u32, usize)> {
    let first = *b.get(at)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 4 {
        return None;
    }
    let mut id = 0u32;
    for i in 0..len {
        id = (id << 8) | u32::from(*b.get(at + i)?);
    }
    Some((id, len))
}

/// Reads an EBML size at `at`: (size or `None` for unknown, length).
fn ebml_size(b: &[u8], at: usize) -> Option<(Option<u64>, usize)> {
    let first = *b.get(at)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let mask = if len == 8 { 0 } else { 0xFFu8 >> len };
    let mut v = u64::from(first & mask);
    let mut all_ones = v == u64::from(mask);
    for i in 1..len {
        let byte = *b.get(at + i)?;
        all_ones &= byte == 0xFF;
        v = (v << 8) | u64::from(byte);
    }
    Some((if all_ones { None } else { Some(v) }, len))
}

/// An element header at `at` in `b`: (id, data offset, data size).
fn ebml_header(b: &[u8], at: usize) -> Option<(u32, usize, Option<u64>)> {
    let (id, il) = ebml_id(b, at)?;
    let (size, sl) = ebml_size(b, at + il)?;
    Some((id, at + il + sl, size))
}

const EBML_HEADER: u32 = 0x1A45_DFA3;
const DOC_TYPE: u32 = 0x4282;
const SEGMENT: u32 = 0x1853_8067;
const SEEK_HEAD: u32 = 0x114D_9B74;
const SEEK: u32 = 0x4DBB;
const SEEK_ID: u32 = 0x53AB;
const SEEK_POSITION: u32 = 0x53AC;
const TRACKS: u32 = 0x1654_AE6B;
const TRACK_ENTRY: u32 = 0xAE;
const TRACK_TYPE: u32 = 0x83;
const CLUSTER: u32 = 0x1F43_B675;

/// Calls `f(id, body)` for each child element inside `b` (bounded).
fn ebml_children<'a>(b: &'a [u8], mut f: impl FnMut(u32, &'a [u8])) {
    let mut at = 0usize;
    for _ in 0..256 {
        let Some((id, data, size)) = ebml_header(b, at) else { return };
        let end = size.and_then(|s| usize::try_from(s).ok()).and_then(|s| data.checked_add(s));
        let end = end.unwrap_or(b.len()).min(b.len());
        f(id, b.get(data..end).unwrap_or(&[]));
        if end <= at {
            return;
        }
        at = end;
    }
}

fn ebml_uint(b: &[u8]) -> u64 {
    b.iter().take(8).fold(0u64, |v, &x| (v << 8) | u64::from(x))
}

/// Matroska / WebM by DocType, then by track types as ExifTool types them: without a
/// video track, MKA when there is audio, MKS when there are only subtitles.
pub(super) fn ebml(p: &Probe) -> Option<Format> {
    let (id, data, size) = ebml_header(p.head, 0)?;
    if id != EBML_HEADER {
        return None;
    }
    let end = data.checked_add(usize::try_from(size?).ok()?)?;
    let mut doc_type: &[u8] = b"matroska";
    ebml_children(p.head.get(data..end.min(p.head.len()))?, |id, body| {
        if id == DOC_TYPE {
            doc_type = body;
        }
    });
    let doc_type = doc_type.split(|&c| c == 0).next().unwrap_or(&[]);
    let by_doc = match doc_type {
        b"webm" => WebM,
        b"matroska" => Mkv,
        _ => return None,
    };
    Some(match matroska_kind(p, end as u64) {
        Some((false, true, _)) => Mka,
        Some((false, false, true)) => Mks,
        _ => by_doc,
    })
}

/// Finds the Tracks element (directly, or through the SeekHead) and says whether it has
/// video, audio and subtitle tracks.
fn matroska_kind(p: &Probe, segment_at: u64) -> Option<(bool, bool, bool)> {
    let hdr = p.read(segment_at, 16)?;
    let (id, data, _) = ebml_header(&hdr, 0)?;
    if id != SEGMENT {
        return None;
    }
    let seg_data = segment_at + data as u64;
    let mut at = seg_data;
    let mut tracks_at = None;
    for _ in 0..MAX_ITEMS {
        let hdr = p.read(at, 16)?;
        let (id, data, size) = ebml_header(&hdr, 0)?;
        let body_at = at.checked_add(data as u64)?;
        match id {
            TRACKS => {
                tracks_at = Some(at);
                break;
            }
            SEEK_HEAD => {
                let body = p.read(body_at, usize::try_from(size?).ok()?.min(4096))?;
                ebml_children(&body, |id, seek| {
                    if id != SEEK {
                        return;
                    }
                    let (mut sid, mut pos) = (0u64, None);
                    ebml_children(seek, |id, v| match id {
                        SEEK_ID => sid = ebml_uint(v),
                        SEEK_POSITION => pos = Some(ebml_uint(v)),
                        _ => {}
                    });
                    if sid == u64::from(TRACKS) && tracks_at.is_none() {
                        tracks_at = pos.and_then(|x| seg_data.checked_add(x));
                    }
                });
            }
            CLUSTER => break,
            _ => {}
        }
        at = body_at.checked_add(size?)?;
    }
    let tracks_at = tracks_at?;
    let hdr = p.read(tracks_at, 16)?;
    let (id, data, size) = ebml_header(&hdr, 0)?;
    if id != TRACKS {
        return None;
    }
    let body = p.read(tracks_at.checked_add(data as u64)?, usize::try_from(size?).ok()?.min(64 * 1024))?;
    let (mut video, mut audio, mut subtitle) = (false, false, false);
    ebml_children(&body, |id, entry| {
        if id == TRACK_ENTRY {
            ebml_children(entry, |id, v| {
                if id == TRACK_TYPE {
                    match ebml_uint(v) {
                        1 => video = true,
                        2 => audio = true,
                        0x11 => subtitle = true,
                        _ => {}
                    }
                }
            });
        }
    });
    Some((video, audio, subtitle))
}

// ---- Ogg --------------------------------------------------------------------------

/// Ogg by the codec of its first packet (a Skeleton stream defers to the next page).
pub(super) fn ogg(p: &Probe) -> Option<Format> {
    let mut page = 0u64;
    for _ in 0..4 {
        let hdr = p.read(page, 27 + 255 + 8)?;
        if hdr.get(..4)? != b"OggS" {
            return Some(Ogg);
        }
        let nseg = usize::from(*hdr.get(26)?);
        let segs = hdr.get(27..27 + nseg)?;
        let pkt = hdr.get(27 + nseg..).unwrap_or(&[]);
        if pkt.starts_with(b"\x01vorbis") || pkt.starts_with(b"\x7fFLAC") || pkt.starts_with(b"Speex   ") {
            return Some(Ogg);
        }
        if pkt.starts_with(b"OpusHead") {
            return Some(Opus);
        }
        if pkt.starts_with(b"\x80theora") {
            return Some(Ogv);
        }
        // An OGM video header: ExifTool reads no tag from it and types the file by the
        // audio stream after it (Ogg).
        if !pkt.starts_with(b"fishead\0") {
            return Some(Ogg);
        }
        let body: u64 = segs.iter().map(|&s| u64::from(s)).sum();
        page = page.checked_add(27 + nseg as u64 + body)?;
    }
    Some(Ogg)
}

// ---- TIFF -------------------------------------------------------------------------

/// One IFD's entries: calls `f(tag, type, count, value_or_offset_bytes)`.
fn read_ifd(p: &Probe, order: Endian, at: u64, mut f: impl FnMut(u16, u16, u32, &[u8])) -> Option<()> {
    let cnt_b = p.read(at, 2)?;
    let count = usize::from(order.u16(&cnt_b, 0)?).min(1024);
    let body = p.read(at.checked_add(2)?, count * 12)?;
    for e in body.chunks_exact(12) {
        f(order.u16(e, 0)?, order.u16(e, 2)?, order.u32(e, 4)?, e.get(8..12)?);
    }
    Some(())
}

/// TIFF-based formats by content: CR2 (`CR` at 8), DNG (DNGVersion in IFD0), NEF (Nikon
/// compression 34713 in IFD0 or a SubIFD); anything else is TIFF (the extension may then
/// name the raw format).
pub(super) fn tiff(p: &Probe) -> Option<Format> {
    if p.has(8, b"CR\x02\0") {
        return Some(Cr2);
    }
    let order = Endian::little_if(p.has(0, b"II"));
    let u32at = |b: &[u8], o| order.u32(b, o);
    let ifd0 = u64::from(u32at(p.head, 4)?);
    let mut dng = false;
    let mut nef = false;
    let mut subifds: Vec<u64> = Vec::new();
    let mut sub_ptr = None;
    read_ifd(p, order, ifd0, |tag, _typ, n, v| match tag {
        0xC612 => dng = true,
        0x0103 => nef |= order.u16(v, 0) == Some(34713),
        0x014A => {
            if n == 1 {
                subifds.extend(u32at(v, 0).map(u64::from));
            } else if n > 1 {
                sub_ptr = u32at(v, 0).map(|o| (u64::from(o), n.min(4) as usize));
            }
        }
        _ => {}
    });
    if dng {
        return Some(Dng);
    }
    if let Some((at, n)) = sub_ptr {
        if let Some(b) = p.read(at, n * 4) {
            subifds.extend(b.chunks_exact(4).filter_map(|c| u32at(c, 0)).map(u64::from));
        }
    }
    for at in subifds.into_iter().take(4) {
        read_ifd(p, order, at, |tag, _, _, v| {
            if tag == 0x0103 {
                nef |= order.u16(v, 0) == Some(34713);
            }
        });
    }
    Some(if nef { Nef } else { Tiff })
}

// ---- OLE compound files -----------------------------------------------------------

/// OLE2 compound files by their stream names: Word, Excel, PowerPoint, else FlashPix.
pub(super) fn ole(p: &Probe) -> Option<Format> {
    let shift = le16(p.head, 30)?;
    if shift != 9 && shift != 12 {
        return Some(Fpx);
    }
    let sector = 1usize << shift;
    let dir = u64::from(le32(p.head, 48)?);
    let at = (dir + 1) << shift;
    let Some(buf) = p.read(at, sector * 4) else { return Some(Fpx) };
    for entry in buf.chunks_exact(128) {
        let n = usize::from(le16(entry, 64).unwrap_or(0)).min(64);
        let name: Vec<u8> =
            entry.get(..n).unwrap_or(&[]).chunks_exact(2).filter_map(|c| c.first().copied()).collect();
        let name = name.split(|&c| c == 0).next().unwrap_or(&[]);
        match name {
            b"WordDocument" => return Some(Doc),
            b"Workbook" | b"Book" => return Some(Xls),
            b"PowerPoint Document" => return Some(Ppt),
            _ => {}
        }
    }
    Some(Fpx)
}

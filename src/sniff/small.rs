//! Refiners for single formats whose signature is short or shared: JPEG/JPS, PNG/APNG,
//! ID3 and MPEG audio frames, executables, transport streams, and a few image and font
//! headers that need a sanity check beyond their first bytes.

use super::{Format, Probe};
use crate::base::bytes::{be16, be32, le16, le32};
use Format::*;

/// JPEG, or JPS when an APP3 segment starts with `_JPSJPS_` (before the scan).
pub(super) fn jpeg(p: &Probe) -> Option<Format> {
    let mut at = 2usize;
    for _ in 0..64 {
        let (Some(&0xFF), Some(&marker)) = (p.head.get(at), p.head.get(at + 1)) else { break };
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let Some(len) = be16(p.head, at + 2) else { break };
        if marker == 0xE3 && p.has(at + 4, b"_JPSJPS_") {
            return Some(Jps);
        }
        at += 2 + usize::from(len);
    }
    Some(Jpeg)
}

/// PNG, or APNG when an `acTL` chunk comes before the first `IDAT`.
pub(super) fn png(p: &Probe) -> Option<Format> {
    let mut at = 8u64;
    for _ in 0..64 {
        let Some(hdr) = p.read(at, 8) else { break };
        let (Some(len), Some(kind)) = (be32(&hdr, 0), hdr.get(4..8)) else { break };
        match kind {
            b"acTL" => return Some(Apng),
            b"IDAT" | b"IEND" => break,
            _ => {}
        }
        let Some(next) = at.checked_add(12 + u64::from(len)) else { break };
        at = next;
    }
    Some(Png)
}

/// What follows an ID3v2 tag: Musepack, Monkey's Audio, FLAC, ADTS AAC, else MP3.
pub(super) fn id3(p: &Probe) -> Option<Format> {
    let Some(size) = p.at(6, 4) else { return Some(Mp3) }; // truncated tag header
    if size.iter().any(|b| b & 0x80 != 0) {
        return None;
    }
    let n = size.iter().fold(0u64, |v, &b| (v << 7) | u64::from(b));
    let footer = if p.head.get(5).is_some_and(|f| f & 0x10 != 0) { 10 } else { 0 };
    let after = 10 + n + footer;
    let Some(next) = p.read(after, 4) else { return Some(Mp3) };
    Some(match next.as_slice() {
        [b'M', b'P', b'+', _] | b"MPCK" => Mpc,
        b"MAC " => Ape,
        b"fLaC" => Flac,
        [0xFF, b, _, _] if b & 0xF6 == 0xF0 => Aac,
        _ => Mp3,
    })
}

/// Bit rates (kbit/s) by [MPEG-1?][layer 1..3][index].
const BITRATES: [[[u16; 15]; 3]; 2] = [
    [
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ],
    [
        [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
        [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    ],
];

/// Length in bytes of the MPEG audio frame whose header is `h`, if `h` is a valid header.
fn mpeg_frame_len(h: u32) -> Option<u64> {
    if h >> 21 != 0x7FF {
        return None;
    }
    let version = (h >> 19) & 3; // 0: 2.5, 2: 2, 3: 1
    let layer = (h >> 17) & 3; // 1: III, 2: II, 3: I
    let br_idx = ((h >> 12) & 0xF) as usize;
    let sr_idx = (h >> 10) & 3;
    if version == 1 || layer == 0 || br_idx == 0 || br_idx == 15 || sr_idx == 3 {
        return None;
    }
    let mpeg1 = version == 3;
    let layer_i = (3 - layer) as usize; // 0: I, 1: II, 2: III
    let kbps = u64::from(*BITRATES.get(usize::from(mpeg1))?.get(layer_i)?.get(br_idx)?);
    let base: u64 = [44_100, 48_000, 32_000].get(sr_idx as usize).copied()?;
    let sr = match version {
        3 => base,
        2 => base / 2,
        _ => base / 4,
    };
    let pad = u64::from((h >> 9) & 1);
    Some(match layer_i {
        0 => (12_000 * kbps / sr + pad) * 4,
        1 => 144_000 * kbps / sr + pad,
        _ if mpeg1 => 144_000 * kbps / sr + pad,
        _ => 72_000 * kbps / sr + pad,
    })
}

/// MPEG audio (MP3) or ADTS AAC by frame sync, confirmed by a second frame header where
/// the first frame ends.
pub(super) fn mpeg_audio(p: &Probe) -> Option<Format> {
    let h = be32(p.head, 0)?;
    if h >> 20 == 0xFFF && (h >> 17) & 3 == 0 {
        let len = ((h & 0x3) << 11) | u32::from(be16(p.head, 4)? >> 5);
        let freq = (h >> 10) & 0xF;
        if len < 7 || freq > 12 {
            return None;
        }
        if u64::from(len) == p.len {
            return Some(Aac); // a single frame
        }
        let next = p.read(u64::from(len), 2)?;
        return (be16(&next, 0)? & 0xFFF6 == 0xFFF0).then_some(Aac);
    }
    let len = mpeg_frame_len(h)?;
    if len >= p.len {
        return Some(Mp3); // the file ends within (or right after) the first frame
    }
    let next = be32(&p.read(len, 4)?, 0)?;
    let same = 0xFFFE_0000;
    (next & same == h & same && mpeg_frame_len(next).is_some()).then_some(Mp3)
}

/// Dolby AC-3 sync frame with a sane sample-rate code and bit-stream id.
pub(super) fn ac3(p: &Probe) -> Option<Format> {
    let b4 = *p.head.get(4)?;
    let b5 = *p.head.get(5)?;
    (b4 >> 6 != 3 && b4 & 0x3F < 38 && b5 >> 3 <= 16).then_some(Ac3)
}

/// Windows PE executables and libraries (32/64-bit), else MS-DOS.
pub(super) fn pe(p: &Probe) -> Option<Format> {
    let Some(lfanew) = le32(p.head, 0x3C) else { return Some(DosExe) };
    let Some(hdr) = p.read(u64::from(lfanew), 26) else { return Some(DosExe) };
    if hdr.get(..4) != Some(b"PE\0\0") {
        return Some(DosExe);
    }
    let dll = le16(&hdr, 22).is_some_and(|c| c & 0x2000 != 0);
    let wide = le16(&hdr, 24) == Some(0x20B);
    Some(match (wide, dll) {
        (false, false) => WinExe,
        (false, true) => WinDll,
        (true, false) => Win64Exe,
        (true, true) => Win64Dll,
    })
}

/// ELF by object type.
pub(super) fn elf(p: &Probe) -> Option<Format> {
    let kind = match p.head.get(5)? {
        1 => le16(p.head, 16)?,
        2 => be16(p.head, 16)?,
        _ => return None,
    };
    Some(match kind {
        1 => ElfObj,
        3 => ElfLib,
        _ => ElfExe,
    })
}

/// Mach-O by file type.
pub(super) fn macho(p: &Probe) -> Option<Format> {
    let kind = if p.has(0, b"\xFE\xED") { be32(p.head, 12)? } else { le32(p.head, 12)? };
    Some(match kind {
        1 => MachOObj,
        6 => MachODylib,
        8 => MachOBundle,
        _ => MachOExe,
    })
}

/// Bzip2: `BZh` and a block size digit 1-9.
pub(super) fn bzip2(p: &Probe) -> Option<Format> {
    matches!(p.head.get(3), Some(b'1'..=b'9')).then_some(Bz2)
}

/// `CA FE BA BE`: a Mach-O universal binary (a small architecture count) or a Java class
/// file (minor and major version, major >= 45).
pub(super) fn cafebabe(p: &Probe) -> Option<Format> {
    Some(if be32(p.head, 4)? < 45 { MachOFat } else { JavaClass })
}

/// MPEG-2 transport stream: sync bytes every 188 bytes (at least two packets).
pub(super) fn m2t(p: &Probe) -> Option<Format> {
    ts_sync(p, 0, 188).then_some(M2t)
}

/// BDAV (M2TS) transport stream: a 4-byte time code before each 188-byte packet.
pub(super) fn m2ts(p: &Probe) -> Option<Format> {
    ts_sync(p, 4, 192).then_some(M2ts)
}

/// Whether the sync byte 0x47 repeats at `first + k * step` for the second packet and
/// every further one the head holds (up to 8).
fn ts_sync(p: &Probe, first: usize, step: usize) -> bool {
    let at = |k: usize| p.head.get(first + k * step).copied();
    at(1) == Some(0x47) && (2..8).all(|k| at(k).is_none_or(|b| b == 0x47))
}

/// Netpbm: `P1`..`P6` followed by white space.
pub(super) fn netpbm(p: &Probe) -> Option<Format> {
    let ws = p.head.get(2).is_some_and(|c| c.is_ascii_whitespace());
    let rest = p.head.get(3..).unwrap_or(&[]);
    let next = rest.iter().find(|c| !c.is_ascii_whitespace());
    if !ws || !next.is_some_and(|c| c.is_ascii_digit() || *c == b'#') {
        return None;
    }
    match p.head.get(1)? {
        b'1' | b'4' => Some(Pbm),
        b'2' | b'5' => Some(Pgm),
        b'3' | b'6' => Some(Ppm),
        _ => None,
    }
}

/// Sony PMP: a 124-byte header, then a JPEG.
pub(super) fn pmp(p: &Probe) -> Option<Format> {
    p.has(124, b"\xFF\xD8\xFF").then_some(Pmp)
}

/// BMP with a known DIB header size.
pub(super) fn bmp(p: &Probe) -> Option<Format> {
    matches!(le32(p.head, 14)?, 12 | 16 | 40 | 52 | 56 | 64 | 108 | 124).then_some(Bmp)
}

/// PCX with a plausible version, encoding and depth.
pub(super) fn pcx(p: &Probe) -> Option<Format> {
    let h = p.at(0, 4)?;
    let ok = matches!(h.get(1), Some(0 | 2..=5))
        && matches!(h.get(2), Some(0 | 1))
        && matches!(h.get(3), Some(1 | 2 | 4 | 8));
    ok.then_some(Pcx)
}

/// PostScript: EPS when the first line says `EPSF`.
pub(super) fn postscript(p: &Probe) -> Option<Format> {
    let line = p.head.split(|&c| c == b'\n' || c == b'\r').next().unwrap_or(&[]);
    Some(if line.windows(4).any(|w| w == b"EPSF") { Eps } else { Ps })
}

/// PostScript Type 1 font, binary segments.
pub(super) fn pfb(p: &Probe) -> Option<Format> {
    p.has(6, b"%!").then_some(Pfb)
}

/// Printer font metrics: version 1.0 and a size that matches the file (or a copyright).
pub(super) fn pfm_font(p: &Probe) -> Option<Format> {
    let size_ok = le32(p.head, 2).is_some_and(|s| u64::from(s) == p.len);
    (size_ok || p.has(6, b"Copyright")).then_some(PfmFont)
}

/// TrueType font with a plausible table count.
pub(super) fn sfnt(p: &Probe) -> Option<Format> {
    (1..=64).contains(&be16(p.head, 4)?).then_some(Ttf)
}

/// JVC/Panasonic MOI: `V6` and a plausible year.
pub(super) fn moi(p: &Probe) -> Option<Format> {
    (1990..=2100).contains(&be16(p.head, 6)?).then_some(Moi)
}

/// Mac resource-fork font: data at 256, the map right after the data.
pub(super) fn dfont(p: &Probe) -> Option<Format> {
    let (data_at, map_at) = (be32(p.head, 0)?, be32(p.head, 4)?);
    let (data_len, map_len) = (be32(p.head, 8)?, be32(p.head, 12)?);
    let ok = data_at == 256
        && data_at.checked_add(data_len) == Some(map_at)
        && u64::from(map_at) + u64::from(map_len) <= p.len;
    ok.then_some(Dfont)
}

/// Windows icon or cursor. Lenient like ExifTool: an empty directory still matches.
pub(super) fn icon(p: &Probe) -> Option<Format> {
    let count = le16(p.head, 4)?;
    if count > 0 && p.head.get(9).is_some_and(|&r| r != 0 && r != 0xFF) {
        return None;
    }
    Some(if p.head.get(2) == Some(&1) { Ico } else { Cur })
}

/// ISO 9660 image: `CD001` in the first volume descriptor at 32 KiB.
pub(super) fn iso9660(p: &Probe) -> Option<Format> {
    if p.len < 32_774 {
        return None;
    }
    (p.read(32_769, 5)? == b"CD001").then_some(Iso)
}

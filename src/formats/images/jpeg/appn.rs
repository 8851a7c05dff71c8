//! Less common JPEG application segments, each identified by its leading signature:
//! Adobe (APP14), Ducky and Agfa PictureInfo (APP12), SPIFF (APP8), AVI1 (APP0), NITF
//! (APP6), JPEG-HDR (APP11), Adobe_CM (APP13), the APP15 quality note, Media Jukebox
//! (APP9), a Canon CIFF block (APP0), the CIPA DC-007 Multi-Picture Format index (APP2 "MPF") and Casio's QV-7000SX
//! camera information (APP1 "QVCI"), Qualcomm's camera attributes (APP7, in `qualcomm`).
//!
//! Every reader works on the segment body already in memory and never fails: short or
//! inconsistent bodies give fewer tags (and a warning where the structure is recognised).

use crate::base::bytes::{Endian, array, be16, be32};
use crate::base::date::exif_datetime;
use crate::base::decode::utf16_until_nul;
use crate::context::Ctx;
use crate::model::{BinaryRef, Tag, Value};

/// Whether the walker should read a body with this marker for [`segment`]
/// (APP0, APP2 and APP13 bodies are read anyway).
pub(super) fn wants(marker: u8) -> bool {
    matches!(marker, 0xE3..=0xE9 | 0xEB | 0xEC | 0xEE | 0xEF)
}

/// Reads one segment body (`off` = its file offset) if its signature is known here.
pub(super) fn segment(cx: &mut Ctx, marker: u8, body: &[u8], off: u64) {
    match marker {
        0xE0 if crate::formats::images::crw::is_ciff(body) => {
            crate::formats::images::crw::parse_in_jpeg(cx, off, body.len() as u64);
        }
        0xE0 if body.starts_with(b"AVI1") => {
            if let Some(&field) = body.get(4) {
                cx.add("APP0", "InterleavedField", field);
            }
        }
        0xE1 if body.starts_with(b"QVCI\0") => qvci(cx, body),
        0xE7 if body.starts_with(super::qualcomm::SIGNATURE) => super::qualcomm::parse(cx, body),
        0xE2 if body.starts_with(b"MPF\0") => mpf(cx, body.get(4..).unwrap_or_default(), off + 4),
        0xE3 if body.starts_with(b"Meta\0\0") || body.starts_with(b"Exif\0\0") => {
            super::vendor::meta(cx, body.get(6..).unwrap_or_default());
        }
        0xE3 if body.starts_with(b"_JPSJPS_") => jps(cx, body),
        0xE5 if body.starts_with(b"RMETA\0") => super::vendor::rmeta(cx, body.get(6..).unwrap_or_default()),
        0xE6 if body.starts_with(b"NITF\0") => nitf(cx, body),
        0xE6 if body.starts_with(b"GoPro\0") => {
            for (name, value) in crate::meta::gpmf::settings(cx, body.get(6..).unwrap_or_default()) {
                cx.add("APP6", name, value);
            }
        }
        0xE6 if body.starts_with(b"EPPIM\0") => {
            super::vendor::printim_ifd(cx, body.get(6..).unwrap_or_default());
        }
        0xE8 if body.starts_with(b"SPIFF\0") => spiff(cx, body),
        0xE9 if body.starts_with(b"Media Jukebox\0") => jukebox(cx, body),
        0xEB if body.starts_with(b"HDR_RI ") => hdr(cx, body, off),
        0xEC if body.starts_with(b"Ducky") => ducky(cx, body.get(5..).unwrap_or_default()),
        0xEC if body.windows(14).take(64).any(|w| w == b"[picture info]") => picture_info(cx, body),
        0xED if body.starts_with(b"Adobe_CM\0") => {
            if let Some(&kind) = body.get(9) {
                cx.add("APP13", "AdobeCMType", kind);
            }
        }
        0xEE if body.starts_with(b"Adobe") => adobe(cx, body),
        0xEF if body.starts_with(b"Q ") => {
            let t = String::from_utf8_lossy(body.get(2..).unwrap_or_default());
            if let Ok(q) = t.trim_end_matches('\0').trim().parse::<i64>() {
                cx.add("APP15", "Quality", q);
            }
        }
        _ => {}
    }
}

/// Casio's `QVCI` block (APP1): fixed fields, filed by ExifTool under `MakerNotes`.
fn qvci(cx: &mut Ctx, b: &[u8]) {
    let mut add =
        |name: &'static str, v: Value| cx.push(Tag::new("MakerNotes", name, v).in_subgroup("Casio"));
    let text = |at: usize, len: usize| {
        let raw = b.get(at..at + len).or_else(|| b.get(at..))?;
        let end = raw.iter().position(|c| *c == 0).unwrap_or(raw.len());
        Some(String::from_utf8_lossy(raw.get(..end)?).into_owned())
    };
    if let Some(&q) = b.get(0x2C) {
        add("CasioQuality", Value::Int(q.into()));
    }
    // `1998.10.24.12.08.57`: the separators become EXIF's.
    if let Some(t) = text(0x4D, 20).filter(|t| t.len() == 19) {
        let t: String = t
            .chars()
            .enumerate()
            .map(|(i, c)| match i {
                4 | 7 => ':',
                10 => ' ',
                13 | 16 => ':',
                _ => c,
            })
            .collect();
        add("DateTimeOriginal", Value::from(t));
    }
    if let Some(t) = text(0x62, 7) {
        add("ModelType", Value::from(t));
    }
    for (at, name) in [(0x72, "ManufactureIndex"), (0x7C, "ManufactureCode")] {
        if let Some(t) = text(at, 9) {
            add(name, t.parse::<i64>().map_or_else(|_| Value::from(t), Value::Int));
        }
    }
}

/// Adobe's APP14 (DCT encoder version, flags, colour transform); nothing when short.
fn adobe(cx: &mut Ctx, b: &[u8]) {
    let (Some(version), Some(flags0), Some(flags1), Some(&transform)) =
        (be16(b, 5), be16(b, 7), be16(b, 9), b.get(11))
    else {
        return;
    };
    cx.add("APP14", "DCTEncodeVersion", version);
    cx.add("APP14", "APP14Flags0", flags0);
    cx.add("APP14", "APP14Flags1", flags1);
    cx.add("APP14", "ColorTransform", transform);
}

/// Stereo JPEG (JPS) descriptor: u16 size, a big-endian u32 packing separation, flags,
/// layout and type (high to low byte), then a u16-length comment.
fn jps(cx: &mut Ctx, b: &[u8]) {
    let Some(n) = be16(b, 8).map(usize::from) else { return };
    if let (true, Some([separation, flags, layout, kind])) = (n >= 4, array::<4>(b, 10)) {
        cx.add("APP3", "JPSSeparation", separation);
        cx.add("APP3", "JPSFlags", flags);
        cx.add("APP3", "JPSLayout", layout);
        cx.add("APP3", "JPSType", kind);
    }
    let c = 10 + n;
    if let Some(l) = be16(b, c) {
        if let Some(t) = b.get(c + 2..c + 2 + usize::from(l)) {
            cx.add("APP3", "JPSComment", String::from_utf8_lossy(t).into_owned());
        }
    }
}

/// SPIFF header (ITU T.84 Annex F).
fn spiff(cx: &mut Ctx, b: &[u8]) {
    // The whole 32-byte header; its single bytes are read from `f`.
    let (Some(f), Some(h), Some(w), Some(yr), Some(xr)) =
        (array::<32>(b, 0), be32(b, 12), be32(b, 16), be32(b, 24), be32(b, 28))
    else {
        cx.warn(None, "jpeg: short SPIFF header");
        return;
    };
    cx.add("APP8", "SPIFFVersion", format!("{} {}", f[6], f[7]));
    cx.add("APP8", "ProfileID", f[8]);
    cx.add("APP8", "ColorComponents", f[9]);
    cx.add("APP8", "ImageHeight", h);
    cx.add("APP8", "ImageWidth", w);
    cx.add("APP8", "ColorSpace", f[20]);
    cx.add("APP8", "BitsPerSample", f[21]);
    cx.add("APP8", "Compression", f[22]);
    cx.add("APP8", "ResolutionUnit", f[23]);
    cx.add("APP8", "YResolution", yr);
    cx.add("APP8", "XResolution", xr);
}

/// NITF (MIL-STD-188-198A) JPEG application header.
fn nitf(cx: &mut Ctx, b: &[u8]) {
    // The whole 23-byte header; its single bytes are read from `f`.
    let (Some(f), Some(rows), Some(cols), Some(flags)) =
        (array::<23>(b, 0), be16(b, 8), be16(b, 10), be32(b, 19))
    else {
        cx.warn(None, "jpeg: short NITF header");
        return;
    };
    cx.add("APP6", "NITFVersion", f64::from(f[5]) + f64::from(f[6]) / 10.0);
    cx.add("APP6", "ImageFormat", char::from(f[7]).to_string());
    cx.add("APP6", "BlocksPerRow", rows);
    cx.add("APP6", "BlocksPerColumn", cols);
    for (i, name) in
        [(12, "ImageColor"), (13, "BitDepth"), (14, "ImageClass"), (15, "JPEGProcess"), (16, "Quality")]
    {
        if let Some(&v) = f.get(i) {
            cx.add("APP6", name, v);
        }
    }
    cx.add("APP6", "StreamColor", f[17]);
    cx.add("APP6", "StreamBitDepth", f[18]);
    cx.add("APP6", "Flags", flags);
}

/// Ducky (Photoshop "Save for Web"): (u16 tag, u16 length, data) records until tag 0.
fn ducky(cx: &mut Ctx, b: &[u8]) {
    let mut pos = 0usize;
    while let (Some(tag), Some(len)) = (be16(b, pos), be16(b, pos + 2)) {
        let Some(v) = b.get(pos + 4..pos + 4 + usize::from(len)) else {
            cx.warn(None, "jpeg: Ducky record runs past the segment");
            break;
        };
        pos += 4 + usize::from(len);
        match tag {
            0 => break,
            1 if v.len() == 4 => cx.add("Ducky", "Quality", be32(v, 0).unwrap_or(0)),
            2 | 3 => {
                // u32 character count, then UTF-16BE text.
                let name = if tag == 2 { "Comment" } else { "Copyright" };
                cx.add("Ducky", name, utf16_until_nul(v.get(4..).unwrap_or_default(), false));
            }
            _ => {}
        }
    }
}

/// Agfa/Olympus "[picture info]" text: `key=value` lines under `[section]` headings.
fn picture_info(cx: &mut Ctx, b: &[u8]) {
    let end = b.windows(5).position(|w| w == b"[end]").unwrap_or(b.len());
    let text = String::from_utf8_lossy(b.get(..end).unwrap_or_default());
    for line in text.split(['\r', '\n']) {
        let Some((k, v)) = line.split_once('=') else { continue };
        let (k, v) = (k.trim(), v.trim_matches(|c: char| c == '\0' || c.is_whitespace()));
        if k.is_empty() || k.len() > 32 || !k.bytes().all(|c| c.is_ascii_graphic()) {
            continue;
        }
        let num = |s: &str| s.parse::<f64>().ok();
        let (name, value): (String, Value) = match k {
            "TimeDate" => match v.parse::<i64>() {
                Ok(t) => ("DateTimeOriginal".into(), Value::from(exif_datetime(t))),
                Err(_) => continue,
            },
            "Shutter" => match num(v) {
                Some(us) => ("ExposureTime".into(), Value::Float(us / 1e6)),
                None => continue,
            },
            "FNumber" => match num(v.trim_start_matches(['F', 'f'])) {
                Some(f) => ("FNumber".into(), number(f)),
                None => continue,
            },
            "ExpBias" => ("ExposureCompensation".into(), Value::from(v)),
            "Type" => ("CameraType".into(), Value::from(v)),
            "Serial#" => ("SerialNumber".into(), Value::from(v)),
            "Q" | "R" | "B" => (format!("Tag{k}"), num(v).map_or_else(|| Value::from(v), number)),
            _ => {
                let mut name: String = k.chars().filter(char::is_ascii_alphanumeric).collect();
                if let Some(first) = name.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                if name.is_empty() {
                    continue;
                }
                // Only plain decimal numbers become numbers ("1280-960" and hex lists stay text).
                let plain = !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit() || c == b'.');
                (name, if plain { num(v).map_or_else(|| Value::from(v), number) } else { Value::from(v) })
            }
        };
        cx.push(Tag::new("APP12", name, value));
    }
}

/// An integer-valued float as Int, others as Float.
fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e15 { Value::Int(f as i64) } else { Value::Float(f) }
}

/// JPEG-HDR (Dolby/BrightSide) header: `HDR_RI ver=11 ln0=... ~\0` then the ratio image.
fn hdr(cx: &mut Ctx, b: &[u8], off: u64) {
    let tilde = b.iter().position(|c| *c == b'~').unwrap_or(b.len());
    let text = String::from_utf8_lossy(b.get(7..tilde).unwrap_or_default());
    for tok in text.split([' ', ',', '\n', '\r']) {
        let Some((k, v)) = tok.split_once('=') else { continue };
        let name = match k {
            "ver" => "JPEG-HDRVersion",
            "ln0" => "Ln0",
            "ln1" => "Ln1",
            "s2n" => "S2n",
            "alp" => "Alpha",
            "bet" => "Beta",
            "cor" => "CorrectionMethod",
            _ => continue,
        };
        if let Ok(f) = v.parse::<f64>() {
            let value = if v.contains(['.', 'e']) { Value::Float(f) } else { number(f) };
            cx.add("APP11", name, value);
        }
    }
    let start = tilde as u64 + 2;
    if start < b.len() as u64 {
        let length = b.len() as u64 - start;
        cx.add("APP11", "RatioImage", Value::Binary(BinaryRef { offset: off + start, length }));
    }
}

/// Media Jukebox: simple `<Name>value</Name>` elements inside `<MJMD>`.
fn jukebox(cx: &mut Ctx, b: &[u8]) {
    let text = String::from_utf8_lossy(b);
    let Some(mut rest) = text.split_once("<MJMD>").map(|(_, after)| after) else { return };
    for _ in 0..256 {
        let Some((_, from_name)) = rest.split_once('<') else { break };
        let Some((name, after_open)) = from_name.split_once('>') else { break };
        if name.starts_with('/') || name.is_empty() {
            break;
        }
        let end_tag = format!("</{name}>");
        let Some((value, after_end)) = after_open.split_once(end_tag.as_str()) else { break };
        let value = value.trim();
        rest = after_end;
        if !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
            continue;
        }
        let value = match name {
            // Days since 1899-12-30 (OLE automation date).
            "Date" => match value.parse::<f64>() {
                Ok(d) if d.is_finite() && d.abs() < 1e7 => {
                    Value::from(exif_datetime(((d - 25569.0) * 86400.0).round() as i64))
                }
                _ => Value::from(value),
            },
            _ => Value::from(value),
        };
        cx.push(Tag::new("XML", name.to_owned(), value));
    }
}

/// Multi-Picture Format index IFD (CIPA DC-007): `tiff` is the TIFF-structured body at
/// file offset `base`; image offsets in the MP entries count from there.
fn mpf(cx: &mut Ctx, tiff: &[u8], base: u64) {
    let order = match tiff.get(..4) {
        Some(b"II*\0") => Endian::Little,
        Some(b"MM\0*") => Endian::Big,
        _ => {
            cx.warn(base, "jpeg: MPF segment without a TIFF header");
            return;
        }
    };
    let u16_at = |i: usize| order.u16(tiff, i);
    let u32_at = |i: usize| order.u32(tiff, i);
    let Some(ifd) = u32_at(4).map(|v| v as usize) else { return };
    let Some(n) = u16_at(ifd) else {
        cx.warn(base, "jpeg: MPF index IFD out of range");
        return;
    };
    let mut entries = None;
    for k in 0..usize::from(n).min(64) {
        let e = ifd + 2 + 12 * k;
        let (Some(tag), Some(count), Some(val)) = (u16_at(e), u32_at(e + 4), u32_at(e + 8)) else {
            cx.warn(base, "jpeg: MPF IFD truncated");
            break;
        };
        let sub = |t: Tag| t.in_subgroup("MPF0");
        match tag {
            0xB000 => {
                let v = tiff.get(e + 8..e + 12).unwrap_or_default();
                cx.push(sub(Tag::new("MPF", "MPFVersion", String::from_utf8_lossy(v).into_owned())));
            }
            0xB001 => cx.push(sub(Tag::new("MPF", "NumberOfImages", val))),
            0xB002 => entries = Some((val as usize, count as usize)),
            _ => {}
        }
    }
    let Some((at, size)) = entries else { return };
    for k in 0..(size / 16).min(64) {
        let e = at + 16 * k;
        let (Some(attr), Some(len), Some(start), Some(d1), Some(d2)) =
            (u32_at(e), u32_at(e + 4), u32_at(e + 8), u16_at(e + 12), u16_at(e + 14))
        else {
            cx.warn(base, "jpeg: MPF entry list truncated");
            break;
        };
        // Start offsets count from the MP header, except the first image's (0).
        let start = if start == 0 { 0 } else { u64::from(start) + base };
        let sub = format!("MPImage{}", k + 1);
        // ExifTool shows the last image's values for each name.
        let prio = i8::try_from(k).unwrap_or(i8::MAX);
        for (name, v) in [
            ("MPImageFlags", Value::Int(i64::from(attr >> 27))),
            ("MPImageFormat", Value::Int(i64::from((attr >> 24) & 7))),
            ("MPImageType", Value::Int(i64::from(attr & 0x00FF_FFFF))),
            ("MPImageLength", Value::Int(i64::from(len))),
            ("MPImageStart", Value::Int(start as i64)),
            ("DependentImage1EntryNumber", Value::Int(i64::from(d1))),
            ("DependentImage2EntryNumber", Value::Int(i64::from(d2))),
        ] {
            cx.push(Tag::new("MPF", name, v).in_subgroup(sub.clone()).with_priority(prio));
        }
    }
}

//! Less common JPEG application segments, each identified by its leading signature:
//! Adobe (APP14), Ducky and Agfa PictureInfo (APP12), SPIFF (APP8), AVI1 (APP0), NITF
//! (APP6), JPEG-HDR (APP11), Adobe_CM (APP13), the APP15 quality note, Media Jukebox
//! (APP9) and the CIPA DC-007 Multi-Picture Format index (APP2 "MPF").
//!
//! Every reader works on the segment body already in memory and never fails: short or
//! inconsistent bodies give fewer tags (and a warning where the structure is recognised).

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
        0xE0 if body.starts_with(b"AVI1") && body.len() > 4 => {
            cx.add("APP0", "InterleavedField", body[4]);
        }
        0xE2 if body.starts_with(b"MPF\0") => mpf(cx, body.get(4..).unwrap_or_default(), off + 4),
        0xE3 if body.starts_with(b"Meta\0\0") || body.starts_with(b"Exif\0\0") => {
            super::vendor::meta(cx, body.get(6..).unwrap_or_default());
        }
        0xE3 if body.starts_with(b"_JPSJPS_") => jps(cx, body),
        0xE5 if body.starts_with(b"RMETA\0") => super::vendor::rmeta(cx, body.get(6..).unwrap_or_default()),
        0xE6 if body.starts_with(b"NITF\0") => nitf(cx, body),
        0xE6 if body.starts_with(b"GoPro\0") => super::gopro::parse(cx, body.get(6..).unwrap_or_default()),
        0xE6 if body.starts_with(b"EPPIM\0") => {
            super::vendor::printim_ifd(cx, body.get(6..).unwrap_or_default());
        }
        0xE8 if body.starts_with(b"SPIFF\0") => spiff(cx, body),
        0xE9 if body.starts_with(b"Media Jukebox\0") => jukebox(cx, body),
        0xEB if body.starts_with(b"HDR_RI ") => hdr(cx, body, off),
        0xEC if body.starts_with(b"Ducky") => ducky(cx, body.get(5..).unwrap_or_default()),
        0xEC if body.windows(14).take(64).any(|w| w == b"[picture info]") => picture_info(cx, body),
        0xED if body.starts_with(b"Adobe_CM\0") && body.len() > 9 => {
            cx.add("APP13", "AdobeCMType", body[9]);
        }
        0xEE if body.starts_with(b"Adobe") && body.len() >= 12 => {
            let u = |i: usize| u16::from_be_bytes([body[i], body[i + 1]]);
            cx.add("APP14", "DCTEncodeVersion", u(5));
            cx.add("APP14", "APP14Flags0", u(7));
            cx.add("APP14", "APP14Flags1", u(9));
            cx.add("APP14", "ColorTransform", body[11]);
        }
        0xEF if body.starts_with(b"Q ") => {
            let t = String::from_utf8_lossy(body.get(2..).unwrap_or_default());
            if let Ok(q) = t.trim_end_matches('\0').trim().parse::<i64>() {
                cx.add("APP15", "Quality", q);
            }
        }
        _ => {}
    }
}

fn be16(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// Stereo JPEG (JPS) descriptor: u16 size, a big-endian u32 packing separation, flags,
/// layout and type (high to low byte), then a u16-length comment.
fn jps(cx: &mut Ctx, b: &[u8]) {
    let Some(n) = be16(b, 8).map(usize::from) else { return };
    if let (true, Some(d)) = (n >= 4, b.get(10..14)) {
        cx.add("APP3", "JPSSeparation", d[0]);
        cx.add("APP3", "JPSFlags", d[1]);
        cx.add("APP3", "JPSLayout", d[2]);
        cx.add("APP3", "JPSType", d[3]);
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
    let (Some(h), Some(w), Some(yr), Some(xr)) = (be32(b, 12), be32(b, 16), be32(b, 24), be32(b, 28)) else {
        cx.warn(None, "jpeg: short SPIFF header");
        return;
    };
    cx.add("APP8", "SPIFFVersion", format!("{} {}", b[6], b[7]));
    cx.add("APP8", "ProfileID", b[8]);
    cx.add("APP8", "ColorComponents", b[9]);
    cx.add("APP8", "ImageHeight", h);
    cx.add("APP8", "ImageWidth", w);
    cx.add("APP8", "ColorSpace", b[20]);
    cx.add("APP8", "BitsPerSample", b[21]);
    cx.add("APP8", "Compression", b[22]);
    cx.add("APP8", "ResolutionUnit", b[23]);
    cx.add("APP8", "YResolution", yr);
    cx.add("APP8", "XResolution", xr);
}

/// NITF (MIL-STD-188-198A) JPEG application header.
fn nitf(cx: &mut Ctx, b: &[u8]) {
    let (Some(rows), Some(cols), Some(flags)) = (be16(b, 8), be16(b, 10), be32(b, 19)) else {
        cx.warn(None, "jpeg: short NITF header");
        return;
    };
    cx.add("APP6", "NITFVersion", f64::from(b[5]) + f64::from(b[6]) / 10.0);
    cx.add("APP6", "ImageFormat", char::from(b[7]).to_string());
    cx.add("APP6", "BlocksPerRow", rows);
    cx.add("APP6", "BlocksPerColumn", cols);
    for (i, name) in
        [(12, "ImageColor"), (13, "BitDepth"), (14, "ImageClass"), (15, "JPEGProcess"), (16, "Quality")]
    {
        cx.add("APP6", name, b[i]);
    }
    cx.add("APP6", "StreamColor", b[17]);
    cx.add("APP6", "StreamBitDepth", b[18]);
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
                let units: Vec<u16> = v
                    .get(4..)
                    .unwrap_or_default()
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .take_while(|u| *u != 0)
                    .collect();
                let name = if tag == 2 { "Comment" } else { "Copyright" };
                cx.add("Ducky", name, String::from_utf16_lossy(&units));
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
                Ok(t) => ("DateTimeOriginal".into(), Value::from(unix_date(t))),
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
    let Some(start) = text.find("<MJMD>") else { return };
    let mut rest = &text[start + 6..];
    for _ in 0..256 {
        let Some(open) = rest.find('<') else { break };
        let Some(close) = rest[open..].find('>').map(|i| i + open) else { break };
        let name = &rest[open + 1..close];
        if name.starts_with('/') || name.is_empty() {
            break;
        }
        let end_tag = format!("</{name}>");
        let Some(end) = rest[close..].find(&end_tag).map(|i| i + close) else { break };
        let value = rest[close + 1..end].trim();
        rest = &rest[end + end_tag.len()..];
        if !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
            continue;
        }
        let value = match name {
            // Days since 1899-12-30 (OLE automation date).
            "Date" => match value.parse::<f64>() {
                Ok(d) if d.is_finite() && d.abs() < 1e7 => {
                    Value::from(unix_date(((d - 25569.0) * 86400.0).round() as i64))
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
    let le = match tiff.get(..4) {
        Some(b"II*\0") => true,
        Some(b"MM\0*") => false,
        _ => {
            cx.warn(base, "jpeg: MPF segment without a TIFF header");
            return;
        }
    };
    let u16_at = |i: usize| {
        tiff.get(i..i + 2)
            .map(|s| if le { u16::from_le_bytes([s[0], s[1]]) } else { u16::from_be_bytes([s[0], s[1]]) })
    };
    let u32_at = |i: usize| {
        tiff.get(i..i + 4).map(|s| {
            let a = [s[0], s[1], s[2], s[3]];
            if le { u32::from_le_bytes(a) } else { u32::from_be_bytes(a) }
        })
    };
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

/// "YYYY:MM:DD HH:MM:SS" for seconds since 1970 (UTC).
pub(super) fn unix_date(t: i64) -> String {
    crate::base::date::exif_datetime(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(unix_date(915_117_440), "1998:12:31 15:17:20");
        assert_eq!(unix_date(0), "1970:01:01 00:00:00");
    }
}

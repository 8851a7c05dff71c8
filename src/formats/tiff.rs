//! TIFF, BigTIFF and TIFF-based camera raws (DNG, CR2, NEF, ARW, ORF, RW2, PEF, SRW, IIQ),
//! plus Fujifilm RAF (a header around an embedded JPEG). IFDs and values are read by offset
//! through the shared EXIF walker, so a raw costs only its directories and values.

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::meta::exif::{self, Flavor};
use crate::model::{BinaryRef, Value};

/// Most embedded JPEGs (RW2 JpgFromRaw) read for their own metadata.
const MAX_EMBEDDED: usize = 2;

/// Reads the metadata of a TIFF or TIFF-based raw file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let head = cx.read_up_to(0, 16)?;
    let flavor = match head.get(..4) {
        Some(b"IIU\0") => Flavor::Panasonic,
        _ if head.get(8..10) == Some(b"CR") => Flavor::Raw,
        _ => Flavor::Tiff,
    };
    let found = exif::parse_file(cx, 0, flavor)?;
    for (offset, len) in found.jpegs.into_iter().take(MAX_EMBEDDED) {
        if let Err(e) = super::jpeg::parse_embedded(cx, offset, len) {
            cx.warn_error(&e);
        }
    }
    Ok(())
}

/// Reads a Fujifilm RAF: the header's version and the EXIF of the embedded JPEG preview.
pub(crate) fn parse_raf(cx: &mut Ctx) -> Result<()> {
    let h = cx.read(0, 100)?;
    if !h.starts_with(b"FUJIFILMCCD-RAW") {
        return Err(Error::malformed(0, "raf: bad magic"));
    }
    if let Some(v) = h.get(60..64).filter(|v| v.iter().all(u8::is_ascii_graphic)) {
        cx.add("File", "RAFVersion", String::from_utf8_lossy(v).into_owned());
    }
    let be = |i: usize| h.get(i..i + 4).map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let (offset, len) = (u64::from(be(84)), u64::from(be(88)));
    if len == 0 || offset.checked_add(len).is_none_or(|e| e > cx.len()) {
        cx.warn(84, "raf: embedded JPEG out of range");
        return Ok(());
    }
    super::jpeg::parse_embedded(cx, offset, len)?;
    cx.add("File", "PreviewImage", Value::Binary(BinaryRef { offset, length: len }));
    let (dir, dir_len) = (u64::from(be(92)), u64::from(be(96)));
    if (4..=1 << 20).contains(&dir_len) {
        match cx.read(dir, dir_len) {
            Ok(d) => raf_directory(cx, &d),
            Err(e) => cx.warn_error(&e),
        }
    }
    Ok(())
}

/// The RAF header directory (`u32` count, then `u16` tag, `u16` size, data; big-endian):
/// raw image geometry and white-balance levels, as ExifTool's `RAF:` tags.
fn raf_directory(cx: &mut Ctx, d: &[u8]) {
    let u16s = |v: &[u8]| v.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect::<Vec<_>>();
    let count = d.get(..4).map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let mut p = 4usize;
    for _ in 0..count.min(4096) {
        let Some(h) = d.get(p..p + 4) else { break };
        let tag = u16::from_be_bytes([h[0], h[1]]);
        let size = usize::from(u16::from_be_bytes([h[2], h[3]]));
        let Some(v) = d.get(p + 4..p + 4 + size) else {
            cx.warn(None, "raf: directory entry runs past its end");
            break;
        };
        p += 4 + size;
        let w = u16s(v);
        let name = match tag {
            0x100 => "RawImageFullSize",
            0x110 => "RawImageCropTopLeft",
            0x111 => "RawImageCroppedSize",
            0x121 => "RawImageSize",
            0x130 => "FujiLayout",
            0x2000 => "WB_GRGBLevelsAuto",
            0x2100 => "WB_GRGBLevelsDaylight",
            0x2200 => "WB_GRGBLevelsCloudy",
            0x2300 => "WB_GRGBLevelsDaylightFluor",
            0x2301 => "WB_GRGBLevelsDayWhiteFluor",
            0x2302 => "WB_GRGBLevelsWhiteFluorescent",
            0x2310 => "WB_GRGBLevelsWarmWhiteFluor",
            0x2311 => "WB_GRGBLevelsLivingRoomWarmWhiteFluor",
            0x2400 => "WB_GRGBLevelsTungsten",
            0x2ff0 => "WB_GRGBLevels",
            0x9200 => "RelativeExposure",
            0x9650 => "RawExposureBias",
            _ => continue,
        };
        let value = match tag {
            // Stored height first; ExifTool prints width first (the crop origin stays as is).
            0x100 | 0x111 | 0x121 if w.len() == 2 => Value::Text(format!("{} {}", w[1], w[0])),
            0x110 if w.len() == 2 => Value::Text(format!("{} {}", w[0], w[1])),
            0x130 => Value::Text(v.iter().map(u8::to_string).collect::<Vec<_>>().join(" ")),
            0x2000..=0x2ff0 if w.len() >= 4 => Value::Text(format!("{} {} {} {}", w[0], w[1], w[2], w[3])),
            0x9200 if w.len() == 2 && w[0] > 0 && w[1] > 0 => {
                Value::Float(crate::meta::exif::round_sig((f64::from(w[0]) / f64::from(w[1])).log2(), 15))
            }
            0x9650 if w.len() == 2 && w[1] > 0 => Value::Float(f64::from(w[0] as i16) / f64::from(w[1])),
            _ => continue,
        };
        cx.add("RAF", name, value);
    }
}

/// Panasonic RW2 IFD0 binary blocks, as `PanasonicRaw:` tags: WBInfo2 (0x0027: a count
/// then type, R, G, B u16 entries) and DistortionInfo (0x0119: signed 16-bit fixed point
/// parameters, 1/32768 units). Little-endian like the RW2 header.
pub(crate) fn panasonic_block(cx: &mut crate::context::Ctx, tag: u16, d: &[u8]) {
    use crate::model::Tag;
    let w: Vec<u16> = d.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    let mut add =
        |name: String, v: Value| cx.push(Tag::new("PanasonicRaw", name, v).in_subgroup("PanasonicRaw"));
    match tag {
        0x0027 => {
            let Some(&n) = w.first() else { return };
            add("NumWBEntries".into(), Value::Int(n.into()));
            for (k, e) in
                w.get(1..).unwrap_or_default().chunks_exact(4).take(usize::from(n).min(64)).enumerate()
            {
                add(format!("WBType{}", k + 1), Value::Int(e[0].into()));
                add(format!("WB_RGBLevels{}", k + 1), Value::Text(format!("{} {} {}", e[1], e[2], e[3])));
            }
        }
        0x0119 => {
            let s = |i: usize| w.get(i).map(|v| f64::from(*v as i16));
            for (i, name) in [
                (2, "DistortionParam02"),
                (4, "DistortionParam04"),
                (8, "DistortionParam08"),
                (9, "DistortionParam09"),
                (11, "DistortionParam11"),
            ] {
                if let Some(v) = s(i) {
                    add(name.into(), Value::Float(v / 32768.0));
                }
            }
            if let Some(v) = s(5) {
                add("DistortionScale".into(), Value::Float(1.0 / (1.0 + v / 32768.0)));
            }
            if let Some(v) = w.get(7) {
                add("DistortionCorrection".into(), Value::Int(i64::from(v & 0x0F)));
            }
        }
        _ => {}
    }
}

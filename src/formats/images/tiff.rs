//! TIFF, BigTIFF and TIFF-based camera raws (DNG, CR2, NEF, ARW, ORF, RW2, PEF, SRW, IIQ),
//! plus Fujifilm RAF (a header around an embedded JPEG); Kyocera's non-TIFF RAW goes to
//! `kyocera`. IFDs and values are read by offset
//! through the shared EXIF walker, so a raw costs only its directories and values.

use crate::base::bytes::{Endian, be_f64, be16, be32, le_f64};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::meta::exif::{self, Flavor};
use crate::model::{BinaryRef, Value};

/// Most embedded JPEGs (RW2 JpgFromRaw) read for their own metadata.
const MAX_EMBEDDED: usize = 2;

/// Reads the metadata of a TIFF or TIFF-based raw file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    parse_as(cx, None)
}

/// Reads a Phase One IIQ: a TIFF whose later IFDs' tags replace IFD0's.
pub(crate) fn parse_iiq(cx: &mut Ctx) -> Result<()> {
    parse_as(cx, Some(Flavor::PhaseOne))
}

/// [`parse`], with the flavour given or else told by the header.
fn parse_as(cx: &mut Ctx, given: Option<Flavor>) -> Result<()> {
    let head = cx.read_up_to(0, 32)?;
    if super::kyocera::is_header(&head) {
        return super::kyocera::parse(cx);
    }
    let flavor = given.unwrap_or(match head.get(..4) {
        Some(b"IIU\0") => Flavor::Panasonic,
        _ if head.get(8..10) == Some(b"CR") => Flavor::Raw,
        _ => Flavor::Tiff,
    });
    let found = exif::parse_file(cx, 0, flavor)?;
    if flavor == Flavor::Tiff {
        geotiff(cx, &head);
    }
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
    let be = |i: usize| be32(&h, i).unwrap_or(0);
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
    let u16s = |v: &[u8]| v.chunks_exact(2).filter_map(|c| be16(c, 0)).collect::<Vec<_>>();
    let count = be32(d, 0).unwrap_or(0);
    let mut p = 4usize;
    for _ in 0..count.min(4096) {
        let (Some(tag), Some(size)) = (be16(d, p), be16(d, p + 2).map(usize::from)) else { break };
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
        let value = match (tag, w.as_slice()) {
            // Stored height first; ExifTool prints width first (the crop origin stays as is).
            (0x100 | 0x111 | 0x121, &[height, width]) => Value::from(format!("{width} {height}")),
            (0x110, &[top, left]) => Value::from(format!("{top} {left}")),
            (0x130, _) => Value::from(v.iter().map(u8::to_string).collect::<Vec<_>>().join(" ")),
            (0x2000..=0x2ff0, &[a, b, c, d, ..]) => Value::from(format!("{a} {b} {c} {d}")),
            (0x9200, &[num, den]) if num > 0 && den > 0 => {
                Value::Float(crate::base::number::round_sig((f64::from(num) / f64::from(den)).log2(), 15))
            }
            (0x9650, &[num, den]) if den > 0 => Value::Float(f64::from(num as i16) / f64::from(den)),
            _ => continue,
        };
        cx.add("RAF", name, value);
    }
}

/// GeoTIFF key names by key ID (OGC GeoTIFF 1.0, section 6.2).
static GEO_KEYS: &[(u16, &str)] = &[
    (1024, "GTModelType"),
    (1025, "GTRasterType"),
    (1026, "GTCitation"),
    (2048, "GeographicType"),
    (2049, "GeogCitation"),
    (2050, "GeogGeodeticDatum"),
    (2051, "GeogPrimeMeridian"),
    (2052, "GeogLinearUnits"),
    (2053, "GeogLinearUnitSize"),
    (2054, "GeogAngularUnits"),
    (2055, "GeogAngularUnitSize"),
    (2056, "GeogEllipsoid"),
    (2057, "GeogSemiMajorAxis"),
    (2058, "GeogSemiMinorAxis"),
    (2059, "GeogInvFlattening"),
    (2060, "GeogAzimuthUnits"),
    (2061, "GeogPrimeMeridianLong"),
    (3072, "ProjectedCSType"),
    (3073, "PCSCitation"),
    (3074, "Projection"),
    (3075, "ProjCoordTrans"),
    (3076, "ProjLinearUnits"),
    (3077, "ProjLinearUnitSize"),
    (3078, "ProjStdParallel1"),
    (3079, "ProjStdParallel2"),
    (3080, "ProjNatOriginLong"),
    (3081, "ProjNatOriginLat"),
    (3082, "ProjFalseEasting"),
    (3083, "ProjFalseNorthing"),
    (3084, "ProjFalseOriginLong"),
    (3085, "ProjFalseOriginLat"),
    (3086, "ProjFalseOriginEasting"),
    (3087, "ProjFalseOriginNorthing"),
    (3088, "ProjCenterLong"),
    (3089, "ProjCenterLat"),
    (3090, "ProjCenterEasting"),
    (3091, "ProjCenterNorthing"),
    (3092, "ProjScaleAtNatOrigin"),
    (3093, "ProjScaleAtCenter"),
    (3094, "ProjAzimuthAngle"),
    (3095, "ProjStraightVertPoleLong"),
    (4096, "VerticalCSType"),
    (4097, "VerticalCitation"),
    (4098, "VerticalDatum"),
    (4099, "VerticalUnits"),
];

/// GeoTIFF keys of a classic TIFF's IFD0: the key directory (0x87AF) with its double
/// (0x87B0) and ASCII (0x87B1) parameter tags, as `GeoTiff:` tags. IFD0 is read again
/// only up to its entry table (already in the read cache).
fn geotiff(cx: &mut Ctx, head: &[u8]) {
    let order = match head.get(..4) {
        Some(b"II*\0") => Endian::Little,
        Some(b"MM\0*") => Endian::Big,
        _ => return,
    };
    let u16_of = |b: &[u8], i: usize| order.u16(b, i);
    let u32_of = |b: &[u8], i: usize| order.u32(b, i);
    let f64_of = |b: &[u8], i: usize| match order {
        Endian::Little => le_f64(b, i),
        Endian::Big => be_f64(b, i),
    };
    let Some(ifd) = u32_of(head, 4).map(u64::from) else { return };
    let Ok(n) = cx.read(ifd, 2) else { return };
    let n = u64::from(u16_of(&n, 0).unwrap_or(0).min(1000));
    let Ok(entries) = cx.read(ifd + 2, 12 * n) else { return };
    let (mut dir, mut dbl, mut ascii) = (None, None, None);
    for e in entries.chunks_exact(12) {
        let (Some(tag), Some(count), Some(val)) = (u16_of(e, 0), u32_of(e, 4), u32_of(e, 8)) else {
            continue;
        };
        let (unit, slot) = match tag {
            0x87AF => (2u64, &mut dir),
            0x87B0 => (8, &mut dbl),
            0x87B1 => (1, &mut ascii),
            _ => continue,
        };
        let size = unit * u64::from(count);
        if size > 1 << 20 {
            cx.warn(ifd, "geotiff: parameter block too large");
            continue;
        }
        let data = if size <= 4 {
            e.get(8..8 + size as usize).map(<[u8]>::to_vec)
        } else {
            cx.read(u64::from(val), size).ok()
        };
        *slot = data;
    }
    let Some(dir) = dir else { return };
    let shorts: Vec<u16> = (0..dir.len() / 2).filter_map(|i| u16_of(&dir, 2 * i)).collect();
    let [v, rev, minor, keys, ..] = shorts[..] else {
        cx.warn(ifd, "geotiff: short key directory");
        return;
    };
    let mut add = |name: &'static str, v: Value| {
        cx.push(crate::model::Tag::new("GeoTiff", name, v).in_subgroup("GeoTiff"))
    };
    add("GeoTiffVersion", Value::from(format!("{v}.{rev}.{minor}")));
    for k in 0..usize::from(keys).min(1024) {
        let Some(&[id, loc, count, off]) =
            shorts.get(4 + 4 * k..8 + 4 * k).and_then(|s| <&[u16; 4]>::try_from(s).ok())
        else {
            cx.warn(ifd, "geotiff: key directory truncated");
            break;
        };
        let Some(name) = GEO_KEYS.iter().find(|g| g.0 == id).map(|g| g.1) else { continue };
        let (off, count) = (usize::from(off), usize::from(count));
        let value = match loc {
            0 => Value::Int(off.try_into().unwrap_or(0)),
            0x87B0 => {
                let d: Vec<f64> = (off..off + count).filter_map(|i| f64_of(dbl.as_deref()?, 8 * i)).collect();
                match d[..] {
                    [] => continue,
                    [x] => Value::Float(x),
                    _ => Value::from(
                        d.iter().map(|x| crate::base::number::g(*x, 15)).collect::<Vec<_>>().join(" "),
                    ),
                }
            }
            0x87B1 => {
                let Some(t) = ascii.as_deref().and_then(|a| a.get(off..off + count)) else { continue };
                let t = String::from_utf8_lossy(t);
                Value::from(t.trim_end_matches(['|', '\0']))
            }
            0x87AF => match shorts.get(off..off + count) {
                Some([x]) => Value::Int(i64::from(*x)),
                Some(xs) => Value::from(xs.iter().map(u16::to_string).collect::<Vec<_>>().join(" ")),
                None => continue,
            },
            _ => continue,
        };
        add(name, value);
    }
}

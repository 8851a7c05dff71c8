//! Boxes shared by movies and HEIF images: `ftyp`, codec configurations (`avcC`, `hvcC`,
//! `av1C`), `colr`. Each `parse_*` emits ExifTool-named `QuickTime:` tags; the `*_info`
//! functions return the same facts typed, for streams (profile names as ffprobe spells them).
//! Every function takes the box payload (after the 8/16-byte header) and never panics.

use crate::base::bytes::{be16, be32};
use crate::base::decode::latin1;
use crate::context::Ctx;
use crate::model::Value;

/// `ftyp`: `QuickTime:MajorBrand`, `MinorVersion` (`"0.2.0"` for 0x200), `CompatibleBrands`
/// (all-zero brands are skipped).
pub(crate) fn parse_ftyp(cx: &mut Ctx, body: &[u8]) {
    let (Some(major), Some(hi), Some(&[mid, lo])) = (body.get(0..4), be16(body, 4), body.get(6..8)) else {
        cx.warn(None, "ftyp box shorter than 8 bytes");
        return;
    };
    cx.add("QuickTime", "MajorBrand", latin1(major));
    cx.add("QuickTime", "MinorVersion", format!("{hi:x}.{mid:x}.{lo:x}"));
    let brands: Vec<Value> = body
        .get(8..)
        .unwrap_or_default()
        .chunks_exact(4)
        .filter(|c| c.iter().any(|&b| b != 0))
        .take(256)
        .map(|c| Value::from(latin1(c)))
        .collect();
    if !brands.is_empty() {
        cx.add("QuickTime", "CompatibleBrands", Value::List(brands));
    }
}

/// Profile, level and bit depth of a video codec configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CodecInfo {
    /// Profile as ffprobe names it (`High`, `Main 10`...).
    pub profile: Option<&'static str>,
    /// Level as coded (H.264: 31 for 3.1; HEVC: 30 x level; AV1: seq_level_idx).
    pub level: Option<u32>,
    /// Bits per luma sample.
    pub bit_depth: Option<u32>,
}

/// `avcC` facts.
pub(crate) fn avcc_info(body: &[u8]) -> Option<CodecInfo> {
    let (&profile, &compat, &level) = (body.get(1)?, body.get(2)?, body.get(3)?);
    let name = match profile {
        66 if compat & 0x40 != 0 => "Constrained Baseline",
        66 => "Baseline",
        77 => "Main",
        88 => "Extended",
        100 => "High",
        110 if compat & 0x10 != 0 => "High 10 Intra",
        110 => "High 10",
        122 if compat & 0x10 != 0 => "High 4:2:2 Intra",
        122 => "High 4:2:2",
        244 if compat & 0x10 != 0 => "High 4:4:4 Intra",
        244 => "High 4:4:4 Predictive",
        44 => "CAVLC 4:4:4",
        _ => return Some(CodecInfo { profile: None, level: Some(level.into()), bit_depth: None }),
    };
    // Only the 8-bit profiles fix the bit depth; the others carry it in the SPS.
    let bit_depth = matches!(profile, 66 | 77 | 88 | 100).then_some(8);
    Some(CodecInfo { profile: Some(name), level: Some(level.into()), bit_depth })
}

/// `avcC`: H.264 decoder configuration (`AVCConfigurationVersion`, `AVCProfileIndication`,
/// `ProfileCompatibility`, `AVCLevelIndication`).
#[allow(dead_code)] // no reader emits avcC tags yet: movies take only avcc_info's facts
pub(crate) fn parse_avcc(cx: &mut Ctx, body: &[u8]) {
    let Some(h) = body.get(0..4) else {
        cx.warn(None, "avcC box shorter than 4 bytes");
        return;
    };
    cx.add("QuickTime", "AVCConfigurationVersion", h[0]);
    cx.add("QuickTime", "AVCProfileIndication", h[1]);
    cx.add("QuickTime", "ProfileCompatibility", h[2]);
    cx.add("QuickTime", "AVCLevelIndication", h[3]);
}

/// `hvcC` facts.
pub(crate) fn hvcc_info(body: &[u8]) -> Option<CodecInfo> {
    let profile_idc = body.get(1)? & 0x1f;
    let compat = be32(body, 2)?;
    let level = *body.get(12)?;
    // A profile is signalled by its idc or, failing that, its compatibility flag.
    let has = |p: u32| u32::from(profile_idc) == p || (profile_idc == 0 && compat & (1 << (31 - p)) != 0);
    let profile = if has(1) {
        Some("Main")
    } else if has(2) {
        Some("Main 10")
    } else if has(3) {
        Some("Main Still Picture")
    } else if has(4) {
        Some("Rext")
    } else if has(9) {
        Some("SCC")
    } else {
        None
    };
    let bit_depth = body.get(17).map(|b| u32::from(b & 7) + 8);
    Some(CodecInfo { profile, level: Some(level.into()), bit_depth })
}

/// `hvcC`: HEVC decoder configuration (`QuickTime:HEVCConfigurationVersion`,
/// `GeneralProfileIDC`, `BitDepthLuma`...).
pub(crate) fn parse_hvcc(cx: &mut Ctx, body: &[u8]) {
    let Some(b) = body.get(0..23) else {
        cx.warn(None, "hvcC box shorter than 23 bytes");
        return;
    };
    let q = "QuickTime";
    cx.add(q, "HEVCConfigurationVersion", b[0]);
    cx.add(q, "GeneralProfileSpace", b[1] >> 6);
    cx.add(q, "GeneralTierFlag", (b[1] >> 5) & 1);
    cx.add(q, "GeneralProfileIDC", b[1] & 0x1f);
    cx.add(q, "GenProfileCompatibilityFlags", be32(b, 2).unwrap_or(0));
    let flags: Vec<String> = b[6..12].iter().map(|x| x.to_string()).collect();
    cx.add(q, "ConstraintIndicatorFlags", flags.join(" "));
    cx.add(q, "GeneralLevelIDC", b[12]);
    cx.add(q, "MinSpatialSegmentationIDC", be16(b, 13).unwrap_or(0) & 0x0fff);
    cx.add(q, "ParallelismType", b[15] & 3);
    cx.add(q, "ChromaFormat", b[16] & 3);
    cx.add(q, "BitDepthLuma", (b[17] & 7) + 8);
    cx.add(q, "BitDepthChroma", (b[18] & 7) + 8);
    cx.add(q, "AverageFrameRate", be16(b, 19).unwrap_or(0));
    cx.add(q, "ConstantFrameRate", b[21] >> 6);
    cx.add(q, "NumTemporalLayers", (b[21] >> 3) & 7);
    cx.add(q, "TemporalIDNested", (b[21] >> 2) & 1);
}

/// `av1C` facts.
pub(crate) fn av1c_info(body: &[u8]) -> Option<CodecInfo> {
    let b1 = *body.get(1)?;
    let b2 = *body.get(2)?;
    let profile = match b1 >> 5 {
        0 => Some("Main"),
        1 => Some("High"),
        2 => Some("Professional"),
        _ => None,
    };
    let high = b2 & 0x40 != 0;
    let twelve = b2 & 0x20 != 0;
    let bit_depth = if high && twelve {
        12
    } else if high {
        10
    } else {
        8
    };
    Some(CodecInfo { profile, level: Some(u32::from(b1 & 0x1f)), bit_depth: Some(bit_depth) })
}

/// `av1C`: AV1 codec configuration (`AV1ConfigurationVersion`, `ChromaFormat`,
/// `ChromaSamplePosition`).
pub(crate) fn parse_av1c(cx: &mut Ctx, body: &[u8]) {
    let Some(b) = body.get(0..4) else {
        cx.warn(None, "av1C box shorter than 4 bytes");
        return;
    };
    cx.add("QuickTime", "AV1ConfigurationVersion", b[0] & 0x7f);
    cx.add("QuickTime", "ChromaFormat", (b[2] >> 2) & 7);
    cx.add("QuickTime", "ChromaSamplePosition", b[2] & 3);
}

/// Colour description from `colr` (`nclx`/`nclc`); ITU-T H.273 code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Colour {
    /// Colour primaries (1 = BT.709, 9 = BT.2020).
    pub primaries: u16,
    /// Transfer characteristics (16 = PQ, 18 = HLG).
    pub transfer: u16,
    /// Matrix coefficients.
    pub matrix: u16,
}

impl Colour {
    /// The HDR transfer this colour description signals, if any.
    pub fn hdr(&self) -> Option<&'static str> {
        match self.transfer {
            16 => Some("HDR10"),
            18 => Some("HLG"),
            _ => None,
        }
    }
}

/// `colr` facts (none for ICC profiles).
pub(crate) fn colr_info(body: &[u8]) -> Option<Colour> {
    let kind = body.get(0..4)?;
    if kind != b"nclx" && kind != b"nclc" {
        return None;
    }
    Some(Colour { primaries: be16(body, 4)?, transfer: be16(body, 6)?, matrix: be16(body, 8)? })
}

/// `colr`: colour information (`ColorProfiles`, then nclx/nclc `ColorPrimaries`,
/// `TransferCharacteristics`, `MatrixCoefficients`, or an ICC profile).
pub(crate) fn parse_colr(cx: &mut Ctx, body: &[u8]) {
    let Some(kind) = body.get(0..4) else {
        cx.warn(None, "colr box shorter than 4 bytes");
        return;
    };
    cx.add("QuickTime", "ColorProfiles", latin1(kind));
    match kind {
        b"nclx" | b"nclc" => {
            if let Some(c) = colr_info(body) {
                cx.add("QuickTime", "ColorPrimaries", c.primaries);
                cx.add("QuickTime", "TransferCharacteristics", c.transfer);
                cx.add("QuickTime", "MatrixCoefficients", c.matrix);
            }
        }
        b"prof" | b"rICC" => {
            let icc = body.get(4..).unwrap_or_default();
            if let Err(e) = crate::meta::icc::parse_profile(cx, icc) {
                cx.warn_error(&e);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{self, Parsed};

    /// Runs the box parser `f` on the payload `body` alone.
    fn read_box(f: fn(&mut Ctx, &[u8]), body: &[u8]) -> Parsed {
        test_util::parse(&[], |cx| {
            f(cx, body);
            Ok(())
        })
    }

    #[test]
    fn ftyp_brands_and_minor_version() {
        let found = read_box(parse_ftyp, b"isom\0\0\x02\0isomiso2\0\0\0\0mp41");
        assert_eq!(found.get("QuickTime:MajorBrand"), Some(&Value::Text("isom".into())));
        assert_eq!(found.get("QuickTime:MinorVersion"), Some(&Value::Text("0.2.0".into())));
        let brands = found.get("QuickTime:CompatibleBrands");
        assert_eq!(brands, Some(&Value::List(vec!["isom".into(), "iso2".into(), "mp41".into()])));
        assert!(read_box(parse_ftyp, b"isom").tags.is_empty());
    }

    #[test]
    fn hvcc_fields() {
        let mut b =
            vec![1u8, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 93, 0xf0, 0, 0xfc, 0xfd, 0xfa, 0xfa, 0, 0];
        b.extend_from_slice(&[0x0f, 0]);
        let found = read_box(parse_hvcc, &b);
        assert_eq!(found.get("QuickTime:GeneralProfileIDC"), Some(&Value::Int(1)));
        assert_eq!(found.get("QuickTime:GeneralLevelIDC"), Some(&Value::Int(93)));
        assert_eq!(found.get("QuickTime:ChromaFormat"), Some(&Value::Int(1)));
        assert_eq!(found.get("QuickTime:BitDepthLuma"), Some(&Value::Int(10)));
        assert_eq!(
            found.get("QuickTime:ConstraintIndicatorFlags"),
            Some(&Value::Text("144 0 0 0 0 0".into()))
        );
        assert_eq!(found.get("QuickTime:NumTemporalLayers"), Some(&Value::Int(1)));
        let info = hvcc_info(&b).unwrap_or_default();
        assert_eq!(info.profile, Some("Main"));
        assert_eq!(info.bit_depth, Some(10));
        assert!(read_box(parse_hvcc, &b[..10]).tags.is_empty());
    }

    #[test]
    fn avcc_and_av1c() {
        let info = avcc_info(&[1, 100, 0, 31, 0xff]).unwrap_or_default();
        assert_eq!((info.profile, info.level), (Some("High"), Some(31)));
        assert_eq!(avcc_info(&[1, 66, 0xc0, 30]).and_then(|i| i.profile), Some("Constrained Baseline"));
        assert!(avcc_info(&[1, 2]).is_none());
        let found = read_box(parse_av1c, &[0x81, 0x08, 0x0c, 0]);
        assert_eq!(found.get("QuickTime:AV1ConfigurationVersion"), Some(&Value::Int(1)));
        assert_eq!(found.get("QuickTime:ChromaFormat"), Some(&Value::Int(3)));
        let info = av1c_info(&[0x81, 0x28, 0x4c, 0]).unwrap_or_default();
        assert_eq!((info.profile, info.level, info.bit_depth), (Some("High"), Some(8), Some(10)));
    }

    #[test]
    fn colr_nclx_and_hdr() {
        let body = b"nclx\0\x09\0\x10\0\x09\x80";
        let found = read_box(parse_colr, body);
        assert_eq!(found.get("QuickTime:ColorProfiles"), Some(&Value::Text("nclx".into())));
        assert_eq!(found.get("QuickTime:TransferCharacteristics"), Some(&Value::Int(16)));
        assert_eq!(colr_info(body).and_then(|c| c.hdr()), Some("HDR10"));
        assert!(colr_info(b"prof").is_none());
        assert!(read_box(parse_colr, b"nc").tags.is_empty());
    }
}

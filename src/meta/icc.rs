//! ICC colour profiles (ICC.1:2010 / ICC.2): the 128-byte header and the simple tags of
//! the tag table (descriptions, copyright, XYZ colorants, TRC curves as binary), emitted as
//! `ICC_Profile:*` tags.

use crate::base::bytes::{be16, be32};
use crate::base::decode::{fourcc, utf16};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{BinaryRef, Tag, Value};

const GROUP: &str = "ICC_Profile";

/// Most tag-table entries read; real profiles have a few dozen.
const MAX_TAGS: usize = 200;

/// Parses an ICC profile held in memory (`ICC_Profile:*` tags).
pub(crate) fn parse_profile(cx: &mut Ctx, data: &[u8]) -> Result<()> {
    if data.len() < 128 {
        return Err(Error::malformed(
            0,
            format!("ICC profile of {} bytes is shorter than its header", data.len()),
        ));
    }
    if data.get(36..40) != Some(b"acsp") {
        cx.warn(None, "ICC profile without 'acsp' signature");
    }
    parse_header(cx, data);
    parse_tag_table(cx, data);
    Ok(())
}

/// A 4-character code as ExifTool prints it: cut at the first NUL, spaces kept.
fn sig(d: &[u8], at: usize) -> String {
    fourcc(d.get(at..at + 4).unwrap_or_default())
}

/// Formats a real number the way ExifTool prints ICC fixed-point values: at most five
/// decimals, trailing zeros dropped.
pub(crate) fn fmt_fixed(v: f64) -> String {
    let s = format!("{v:.5}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}

fn s15f16(d: &[u8], at: usize) -> Option<f64> {
    be32(d, at).map(|v| f64::from(v as i32) / 65536.0)
}

/// `n` s15Fixed16 numbers at `at`, joined with spaces.
#[allow(clippy::disallowed_methods)] // a count the caller gives from the tag type (a handful)
fn fixed_list(d: &[u8], at: usize, n: usize) -> Option<String> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        out.push(fmt_fixed(s15f16(d, at + 4 * i)?));
    }
    Some(out.join(" "))
}

fn add(cx: &mut Ctx, name: &'static str, v: impl Into<Value>) {
    cx.push(Tag::new(GROUP, name, v));
}

/// A tag in one of ExifTool's family-1 ICC groups (`ICC-header`, `ICC-meas`, `ICC-view`).
fn add_in(cx: &mut Ctx, subgroup: &'static str, name: &'static str, v: impl Into<Value>) {
    cx.push(Tag::new(GROUP, name, v).in_subgroup(subgroup));
}

fn parse_header(cx: &mut Ctx, d: &[u8]) {
    add_in(cx, "ICC-header", "ProfileCMMType", sig(d, 4));
    if let Some(v) = be16(d, 8) {
        add_in(cx, "ICC-header", "ProfileVersion", v);
    }
    add_in(cx, "ICC-header", "ProfileClass", sig(d, 12));
    add_in(cx, "ICC-header", "ColorSpaceData", sig(d, 16));
    add_in(cx, "ICC-header", "ProfileConnectionSpace", sig(d, 20));
    if let Some(dt) = date_time(d, 24) {
        add_in(cx, "ICC-header", "ProfileDateTime", dt);
    }
    add_in(cx, "ICC-header", "ProfileFileSignature", sig(d, 36));
    add_in(cx, "ICC-header", "PrimaryPlatform", sig(d, 40));
    if let Some(v) = be32(d, 44) {
        add_in(cx, "ICC-header", "CMMFlags", v);
    }
    add_in(cx, "ICC-header", "DeviceManufacturer", sig(d, 48));
    add_in(cx, "ICC-header", "DeviceModel", sig(d, 52));
    if let (Some(hi), Some(lo)) = (be32(d, 56), be32(d, 60)) {
        add_in(cx, "ICC-header", "DeviceAttributes", format!("{hi} {lo}"));
    }
    if let Some(v) = be32(d, 64) {
        add_in(cx, "ICC-header", "RenderingIntent", v);
    }
    if let Some(v) = fixed_list(d, 68, 3) {
        add_in(cx, "ICC-header", "ConnectionSpaceIlluminant", v);
    }
    add_in(cx, "ICC-header", "ProfileCreator", sig(d, 80));
    if let Some(id) = d.get(84..100) {
        let s: Vec<String> = id.iter().map(u8::to_string).collect();
        add_in(cx, "ICC-header", "ProfileID", s.join(" "));
    }
}

/// A `dateTimeNumber` (six big-endian u16) as `YYYY:MM:DD HH:MM:SS`.
fn date_time(d: &[u8], at: usize) -> Option<String> {
    let f = |i: usize| be16(d, at + 2 * i);
    Some(format!("{:04}:{:02}:{:02} {:02}:{:02}:{:02}", f(0)?, f(1)?, f(2)?, f(3)?, f(4)?, f(5)?))
}

/// What a tag-table signature is called and how its element is read.
fn tag_name(sig: &[u8; 4]) -> Option<&'static str> {
    Some(match sig {
        b"desc" => "ProfileDescription",
        b"cprt" => "ProfileCopyright",
        b"wtpt" => "MediaWhitePoint",
        b"bkpt" => "MediaBlackPoint",
        b"rXYZ" => "RedMatrixColumn",
        b"gXYZ" => "GreenMatrixColumn",
        b"bXYZ" => "BlueMatrixColumn",
        b"rTRC" => "RedTRC",
        b"gTRC" => "GreenTRC",
        b"bTRC" => "BlueTRC",
        b"kTRC" => "GrayTRC",
        b"lumi" => "Luminance",
        b"tech" => "Technology",
        b"dscm" => "ProfileDescriptionML",
        b"dmnd" => "DeviceMfgDesc",
        b"dmdd" => "DeviceModelDesc",
        b"vued" => "ViewingCondDesc",
        b"chad" => "ChromaticAdaptation",
        b"calt" => "CalibrationDateTime",
        b"targ" => "CharTarget",
        b"A2B0" => "AToB0",
        b"A2B1" => "AToB1",
        b"A2B2" => "AToB2",
        b"B2A0" => "BToA0",
        b"B2A1" => "BToA1",
        b"B2A2" => "BToA2",
        b"gamt" => "Gamut",
        b"pre0" => "Preview0",
        b"pre1" => "Preview1",
        b"pre2" => "Preview2",
        b"ncl2" => "NamedColor2",
        b"clrt" => "ColorantTable",
        _ => return None,
    })
}

fn parse_tag_table(cx: &mut Ctx, d: &[u8]) {
    let Some(count) = be32(d, 128) else {
        cx.warn(None, "ICC profile has no tag table");
        return;
    };
    let count = count as usize;
    if count > MAX_TAGS {
        cx.warn(None, format!("ICC tag table claims {count} tags; reading {MAX_TAGS}"));
    }
    for i in 0..count.min(MAX_TAGS) {
        let entry = 132 + 12 * i;
        let (Some(s), Some(off), Some(size)) =
            (d.get(entry..entry + 4), be32(d, entry + 4), be32(d, entry + 8))
        else {
            cx.warn(None, "ICC tag table is truncated");
            return;
        };
        let mut key = [0u8; 4];
        key.copy_from_slice(s);
        let (off, size) = (off as usize, size as usize);
        let Some(elem) = off.checked_add(size).and_then(|end| d.get(off..end)) else {
            cx.warn(None, format!("ICC tag '{}' lies outside the profile", String::from_utf8_lossy(&key)));
            continue;
        };
        if key == *b"meas" {
            measurement(cx, elem);
            continue;
        }
        if key == *b"view" {
            viewing(cx, elem);
            continue;
        }
        if key == *b"chrm" && elem.get(0..4) == Some(b"chrm") {
            chromaticity(cx, elem);
            continue;
        }
        let Some(name) = tag_name(&key) else { continue };
        if elem.get(0..4) == Some(b"mluc") {
            mluc_records(cx, name, elem);
            continue;
        }
        if let Some(v) = element_value(elem) {
            add(cx, name, v);
        }
    }
}

/// Decodes a tag element by its type signature; unknown types become binary references.
fn element_value(e: &[u8]) -> Option<Value> {
    let ty = e.get(0..4)?;
    Some(match ty {
        b"desc" => {
            let n = be32(e, 8)? as usize;
            let s = e.get(12..12usize.checked_add(n)?.min(e.len()))?;
            Value::from(ascii(s))
        }
        b"text" => Value::from(ascii(e.get(8..)?)),
        b"XYZ " => {
            let n = (e.len().saturating_sub(8) / 12).max(1);
            Value::from(fixed_list(e, 8, 3 * n)?)
        }
        b"sf32" => Value::from(fixed_list(e, 8, e.len().saturating_sub(8) / 4)?),
        b"sig " => Value::from(sig(e, 8)),
        b"dtim" => Value::from(date_time(e, 8)?),
        _ => Value::Binary(BinaryRef { offset: 0, length: e.len() as u64 }),
    })
}

/// ASCII up to the first NUL.
fn ascii(s: &[u8]) -> String {
    let end = s.iter().position(|&b| b == 0).unwrap_or(s.len());
    String::from_utf8_lossy(s.get(..end).unwrap_or_default()).into_owned()
}

/// Most records of one `multiLocalizedUnicodeType` read; profiles carry a few dozen
/// languages at most.
const MAX_MLUC_RECORDS: usize = 64;

/// A `multiLocalizedUnicodeType` (ICC.1:2010 10.15): one tag per record, in file order.
/// The en-US record takes the plain name and every other one the name suffixed with its
/// language and country (`ProfileDescription-de-DE`), as ExifTool names them.
fn mluc_records(cx: &mut Ctx, name: &'static str, e: &[u8]) {
    let (Some(n), Some(rec_size)) = (be32(e, 8), be32(e, 12)) else { return };
    // A record is 12 bytes in every version so far; a larger size keeps the same start.
    let rec_size = rec_size.max(12) as usize;
    for i in 0..(n as usize).min(MAX_MLUC_RECORDS) {
        let Some(at) = i.checked_mul(rec_size).and_then(|o| o.checked_add(16)) else { return };
        let (Some(code), Some(len), Some(off)) = (e.get(at..at + 4), be32(e, at + 4), be32(e, at + 8)) else {
            cx.warn(None, format!("ICC {name}: localized record table is truncated"));
            return;
        };
        let (len, off) = (len as usize, off as usize);
        let Some(raw) = off.checked_add(len).and_then(|end| e.get(off..end)) else {
            cx.warn(None, format!("ICC {name}: localized string lies outside its tag"));
            continue;
        };
        let mut s = utf16(raw, false);
        s.truncate(s.trim_end_matches('\0').len());
        if code == b"enUS" {
            add(cx, name, s);
        } else {
            let lang = String::from_utf8_lossy(code.get(0..2).unwrap_or_default()).into_owned();
            let country = String::from_utf8_lossy(code.get(2..4).unwrap_or_default()).into_owned();
            cx.push(Tag::new(GROUP, format!("{name}-{lang}-{country}"), s));
        }
    }
}

fn measurement(cx: &mut Ctx, e: &[u8]) {
    if let Some(v) = be32(e, 8) {
        add_in(cx, "ICC-meas", "MeasurementObserver", v);
    }
    if let Some(v) = fixed_list(e, 12, 3) {
        add_in(cx, "ICC-meas", "MeasurementBacking", v);
    }
    if let Some(v) = be32(e, 24) {
        add_in(cx, "ICC-meas", "MeasurementGeometry", v);
    }
    if let Some(v) = be32(e, 28) {
        let f: f64 = fmt_fixed(f64::from(v) / 65536.0).parse().unwrap_or(0.0);
        add_in(cx, "ICC-meas", "MeasurementFlare", f);
    }
    if let Some(v) = be32(e, 32) {
        add_in(cx, "ICC-meas", "MeasurementIlluminant", v);
    }
}

fn viewing(cx: &mut Ctx, e: &[u8]) {
    if let Some(v) = fixed_list(e, 8, 3) {
        add_in(cx, "ICC-view", "ViewingCondIlluminant", v);
    }
    if let Some(v) = fixed_list(e, 20, 3) {
        add_in(cx, "ICC-view", "ViewingCondSurround", v);
    }
    if let Some(v) = be32(e, 32) {
        add_in(cx, "ICC-view", "ViewingCondIlluminantType", v);
    }
}

/// `chromaticityType`: channel count, colorant type, then (x, y) per channel as
/// u16Fixed16 numbers.
fn chromaticity(cx: &mut Ctx, e: &[u8]) {
    let (Some(n), Some(colorant)) = (be16(e, 8), be16(e, 10)) else { return };
    add_in(cx, "ICC-chrm", "ChromaticityChannels", n);
    add_in(cx, "ICC-chrm", "ChromaticityColorant", colorant);
    for i in 0..usize::from(n).min(16) {
        let at = 12 + 8 * i;
        let (Some(x), Some(y)) = (be32(e, at), be32(e, at + 4)) else { return };
        let v = format!("{} {}", fmt_fixed(f64::from(x) / 65536.0), fmt_fixed(f64::from(y) / 65536.0));
        cx.push(Tag::new(GROUP, format!("ChromaticityChannel{}", i + 1), v).in_subgroup("ICC-chrm"));
    }
}

#[cfg(test)]
mod tests {
    use crate::meta::nested::Payload;
    use crate::model::{BinaryRef, Value};
    use crate::test_util::payload;

    fn profile() -> Vec<u8> {
        let mut d = vec![0u8; 128];
        d[4..8].copy_from_slice(b"NKON");
        d[8..10].copy_from_slice(&[2, 0x20]);
        d[12..16].copy_from_slice(b"mntr");
        d[16..20].copy_from_slice(b"RGB ");
        d[20..24].copy_from_slice(b"XYZ ");
        for (i, v) in [1999u16, 12, 7, 18, 59, 22].iter().enumerate() {
            d[24 + 2 * i..26 + 2 * i].copy_from_slice(&v.to_be_bytes());
        }
        d[36..40].copy_from_slice(b"acsp");
        d[68..72].copy_from_slice(&0xF6D6u32.to_be_bytes());
        d[72..76].copy_from_slice(&0x10000u32.to_be_bytes());
        d[76..80].copy_from_slice(&0xD32Du32.to_be_bytes());
        // tag table: desc (textDescriptionType), wtpt (XYZ), rTRC (curv), a bogus entry.
        d.extend_from_slice(&4u32.to_be_bytes());
        let mut elems: Vec<u8> = Vec::new();
        let base = 128 + 4 + 4 * 12;
        let mut table = Vec::new();
        let mut entry = |sig: &[u8; 4], body: &[u8], elems: &mut Vec<u8>| {
            table.extend_from_slice(sig);
            table.extend_from_slice(&((base + elems.len()) as u32).to_be_bytes());
            table.extend_from_slice(&(body.len() as u32).to_be_bytes());
            elems.extend_from_slice(body);
        };
        let mut desc = b"desc\0\0\0\0".to_vec();
        desc.extend_from_slice(&6u32.to_be_bytes());
        desc.extend_from_slice(b"Hello\0");
        entry(b"desc", &desc, &mut elems);
        let mut xyz = b"XYZ \0\0\0\0".to_vec();
        for v in [0xF352u32, 0x10000, 0x116CC] {
            xyz.extend_from_slice(&v.to_be_bytes());
        }
        entry(b"wtpt", &xyz, &mut elems);
        entry(b"rTRC", b"curv\0\0\0\0\0\0\0\x01\x01\xcd", &mut elems);
        table.extend_from_slice(b"cprt\0\0\xff\xff\0\0\0\x10");
        d.extend_from_slice(&table);
        d.extend_from_slice(&elems);
        d
    }

    #[test]
    fn header_and_tags() {
        let p = payload(Payload::Icc, &profile());
        assert_eq!(p.get("ICC_Profile:ProfileCMMType"), Some(&Value::Text("NKON".into())));
        assert_eq!(p.get("ICC_Profile:ProfileVersion"), Some(&Value::Int(544)));
        assert_eq!(p.get("ICC_Profile:ProfileDateTime"), Some(&Value::Text("1999:12:07 18:59:22".into())));
        assert_eq!(p.get("ICC_Profile:DeviceModel"), Some(&Value::from(String::new())));
        assert_eq!(
            p.get("ICC_Profile:ConnectionSpaceIlluminant"),
            Some(&Value::Text("0.9642 1 0.82491".into()))
        );
        assert_eq!(p.get("ICC_Profile:ProfileDescription"), Some(&Value::Text("Hello".into())));
        assert_eq!(p.get("ICC_Profile:MediaWhitePoint"), Some(&Value::Text("0.95047 1 1.08905".into())));
        assert_eq!(p.get("ICC_Profile:RedTRC"), Some(&Value::Binary(BinaryRef { offset: 0, length: 14 })));
        assert!(p.get("ICC_Profile:ProfileCopyright").is_none());
        assert_eq!(p.warnings.len(), 1);
    }

    #[test]
    fn truncated_profiles_never_panic() {
        let p = profile();
        for n in 0..p.len() {
            let _ = payload(Payload::Icc, &p[..n]);
        }
        let mut huge = p.clone();
        huge[128..132].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(!payload(Payload::Icc, &huge).warnings.is_empty());
    }
}

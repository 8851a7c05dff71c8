//! Sony PMP (DSC-F1): a big-endian header of fixed fields before the JPEG it describes;
//! the JPEG's own segments give the image size.

use crate::base::bytes::{be16, be32};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{BinaryRef, Tag, Text, Value};

/// Family-1 group of the header's tags (family 0 is `MakerNotes`, as ExifTool files them).
const GROUP: &str = "Sony";
/// Bytes of the header read.
const HEADER: u64 = 124;

/// Reads the PMP header.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, HEADER)?;
    if d.len() < 32 {
        return Err(Error::malformed(0u64, "PMP header truncated"));
    }
    let mut tags = Vec::new();
    let mut add =
        |name: &'static str, v: Value| tags.push(Tag::new("MakerNotes", name, v).in_subgroup(GROUP));
    let (start, length) = (be32(&d, 8), be32(&d, 12));
    if let (Some(s), Some(l)) = (start, length) {
        add("JpgFromRawStart", Value::Int(s.into()));
        add("JpgFromRawLength", Value::Int(l.into()));
    }
    for (at, name) in [(22, "SonyImageWidth"), (24, "SonyImageHeight")] {
        if let Some(v) = be16(&d, at) {
            add(name, Value::Int(v.into()));
        }
    }
    for (at, name) in [(27, "Orientation"), (29, "ImageQuality")] {
        if let Some(v) = d.get(at) {
            add(name, Value::Int((*v).into()));
        }
    }
    if let Some(c) = d.get(52..71) {
        let end = c.iter().position(|b| *b == 0).unwrap_or(c.len());
        add("Comment", Value::Text(Text::from(String::from_utf8_lossy(&c[..end]).into_owned())));
    }
    for (at, name) in [(76, "DateTimeOriginal"), (84, "ModifyDate")] {
        if let Some(v) = d.get(at..at + 6).and_then(date) {
            add(name, Value::Text(Text::from(v)));
        }
    }
    if let Some(v) = be16(&d, 102) {
        add("ExposureTime", Value::Float((-f64::from(v) / 100.0).exp2()));
    }
    if let Some(v) = d.get(118) {
        add("Flash", Value::Int((*v).into()));
    }
    if let (Some(s), Some(l)) = (start, length) {
        if u64::from(s).saturating_add(u64::from(l)) <= cx.len() {
            add("JpgFromRaw", Value::Binary(BinaryRef { offset: s.into(), length: l.into() }));
        }
    }
    for t in tags {
        cx.push(t);
    }
    // The JPEG after the header gives the image's own size and coding (`File:` tags).
    if let (Some(s), Some(l)) = (start, length) {
        if let Err(e) = super::jpeg::parse_embedded(cx, s.into(), l.into()) {
            cx.warn_error(&e);
        }
    }
    Ok(())
}

/// Year (since 1900), month, day, hour, minute, second bytes as an EXIF date.
fn date(b: &[u8]) -> Option<String> {
    let [y, mo, d, h, mi, s] = *b else { return None };
    Some(format!("{:04}:{mo:02}:{d:02} {h:02}:{mi:02}:{s:02}", 1900 + u32::from(y)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    #[test]
    fn header_fields_and_truncations() {
        let mut f = vec![0u8; 130];
        f[8..12].copy_from_slice(&124u32.to_be_bytes());
        f[12..16].copy_from_slice(&6u32.to_be_bytes());
        f[22..24].copy_from_slice(&640u16.to_be_bytes());
        f[76..82].copy_from_slice(&[98, 9, 1, 20, 19, 57]);
        f[102..104].copy_from_slice(&664u16.to_be_bytes());
        let t = test_util::parse(&f, parse);
        assert_eq!(t.get("MakerNotes:SonyImageWidth"), Some(&Value::Int(640)));
        assert_eq!(t.get("MakerNotes:DateTimeOriginal"), Some(&Value::from("1998:09:01 20:19:57")));
        assert!(matches!(t.get("MakerNotes:JpgFromRaw"), Some(Value::Binary(b)) if b.offset == 124));
        for n in 0..f.len() {
            let _ = test_util::parse(&f[..n], parse);
        }
    }
}

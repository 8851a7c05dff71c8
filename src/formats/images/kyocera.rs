//! Kyocera (Contax N Digital) RAW: a fixed header whose text fields are stored back to
//! front and whose numbers are big-endian words, with exposure and aperture as codes.

use crate::base::bytes::be32;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::{Tag, Value};

/// Family-1 group of the header's tags (family 0 is `MakerNotes`, as ExifTool files them).
const GROUP: &str = "KyoceraRaw";
/// Bytes of the header read.
const HEADER: u64 = 156;

/// Whether `head` (at least 32 bytes of the file) is a Kyocera RAW header.
pub(crate) fn is_header(head: &[u8]) -> bool {
    head.get(25..32) == Some(b"ARECOYK")
}

/// Reads the header.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let d = cx.read_up_to(0, HEADER)?;
    let mut add = |name: &'static str, v: Value| cx.push(Tag::new("MakerNotes", name, v).in_subgroup(GROUP));
    for (at, len, name) in
        [(1, 10, "FirmwareVersion"), (12, 12, "Model"), (25, 7, "Make"), (33, 20, "DateTimeOriginal")]
    {
        if let Some(raw) = d.get(at..at + len) {
            let text: String = raw.iter().rev().filter(|b| **b != 0).map(|b| char::from(*b)).collect();
            add(name, Value::from(text.trim()));
        }
    }
    let word = |at: usize| be32(&d, at).map(f64::from);
    if let Some(v) = be32(&d, 0x34) {
        add("ISO", Value::Int(v.into()));
    }
    if let Some(v) = word(0x38) {
        add("ExposureTime", Value::Float((v / 8.0).exp2() / 16000.0));
    }
    let levels: Option<Vec<String>> = (0..4).map(|i| be32(&d, 0x3C + 4 * i).map(|w| w.to_string())).collect();
    if let Some(l) = levels {
        add("WB_RGGBLevels", Value::from(l.join(" ")));
    }
    for (at, name) in [(0x58, "FNumber"), (0x68, "MaxAperture")] {
        if let Some(v) = word(at) {
            add(name, Value::Float((v / 16.0).exp2()));
        }
    }
    if let Some(v) = be32(&d, 0x70) {
        add("FocalLength", Value::Int(v.into()));
    }
    if let Some(raw) = d.get(0x7C..0x9C) {
        let end = raw.iter().position(|b| *b == 0).unwrap_or(raw.len());
        add("Lens", Value::from(String::from_utf8_lossy(&raw[..end]).into_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    #[test]
    fn header_fields_and_truncations() {
        let mut f = vec![0u8; 160];
        f[1..11].copy_from_slice(b"\x0070.1 .reV");
        f[25..32].copy_from_slice(b"ARECOYK");
        f[0x38..0x3C].copy_from_slice(&56u32.to_be_bytes());
        f[0x58..0x5C].copy_from_slice(&56u32.to_be_bytes());
        f[0x7C..0x87].copy_from_slice(b"VS28-80/3.5");
        assert!(is_header(&f));
        let t = test_util::parse(&f, parse);
        assert_eq!(t.get("MakerNotes:FirmwareVersion"), Some(&Value::from("Ver. 1.07")));
        assert_eq!(t.get("MakerNotes:Make"), Some(&Value::from("KYOCERA")));
        assert_eq!(t.get("MakerNotes:ExposureTime"), Some(&Value::Float(0.008)));
        assert_eq!(t.get("MakerNotes:Lens"), Some(&Value::from("VS28-80/3.5")));
        for n in 0..f.len() {
            let _ = test_util::parse(&f[..n], parse);
        }
    }
}

//! Panasonic: the binary blocks of an RW2 raw's IFD0, as `PanasonicRaw:` tags.

use crate::base::bytes::le16;
use crate::context::Ctx;
use crate::model::{Tag, Value};

/// A binary block of RW2 IFD0 (`tag` is its entry's code): WBInfo2 (0x0027: a count then
/// type, R, G, B u16 entries) and DistortionInfo (0x0119: signed 16-bit fixed point
/// parameters, 1/32768 units). Little-endian like the RW2 header.
pub(in crate::meta::exif) fn raw_block(cx: &mut Ctx, tag: u16, d: &[u8]) {
    let w: Vec<u16> = (0..d.len() / 2).map(|i| le16(d, 2 * i).unwrap_or(0)).collect();
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
                add(format!("WB_RGBLevels{}", k + 1), Value::from(format!("{} {} {}", e[1], e[2], e[3])));
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

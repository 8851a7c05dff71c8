//! DPX (SMPTE 268M Digital Picture Exchange, film scans): the fixed file header, in the
//! byte order its magic gives (`SDPX` big-endian, `XPDS` little-endian): the generic,
//! image, orientation, film and television sections and the user ID.

use crate::base::bytes::Endian;
use crate::base::decode::fourcc;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Value;

/// Size of the header read (up to the user ID).
const HEADER: u64 = 2080;

/// Reads a DPX file header (generic, image, orientation, film, TV and user sections).
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    const G: &str = "File";
    let d = cx.read_up_to(0, HEADER)?;
    let be = d.starts_with(b"SDPX");
    if !be && !d.starts_with(b"XPDS") {
        return Err(Error::malformed(0u64, "no DPX magic"));
    }
    let order = Endian::little_if(!be);
    let u32_at = |p: usize| order.u32(&d, p);
    let u16_at = |p: usize| order.u16(&d, p);
    let f32_at = |p: usize| u32_at(p).map(|v| f64::from(f32::from_bits(v)));
    let text = |p: usize, n: usize| d.get(p..p + n).map(fourcc);
    let date = |s: String| {
        // "YYYY:MM:DD:HH:MM:SS[zone]": the fourth colon separates date and time.
        let mut s = s;
        if s.len() >= 11 && s.as_bytes().get(10) == Some(&b':') {
            s.replace_range(10..11, " ");
        }
        s
    };
    cx.add(G, "ByteOrder", if be { "SDPX" } else { "XPDS" });
    let fields: Vec<(&'static str, Option<Value>)> = vec![
        ("HeaderVersion", text(8, 8).map(Value::from)),
        ("DPXFileSize", u32_at(16).map(Value::from)),
        ("DittoKey", u32_at(20).map(Value::from)),
        ("ImageFileName", text(36, 100).map(Value::from)),
        ("CreateDate", text(136, 24).map(|s| Value::from(date(s)))),
        ("Creator", text(160, 100).map(Value::from)),
        ("Project", text(260, 200).map(Value::from)),
        ("Copyright", text(460, 200).map(Value::from)),
        ("EncryptionKey", u32_at(660).map(Value::from)),
        ("Orientation", u16_at(768).map(Value::from)),
        ("ImageElements", u16_at(770).map(Value::from)),
        ("ImageWidth", u32_at(772).map(Value::from)),
        ("ImageHeight", u32_at(776).map(Value::from)),
        ("DataSign", u32_at(780).map(Value::from)),
        ("ComponentsConfiguration", d.get(800).map(|&b| Value::from(b))),
        ("TransferCharacteristic", d.get(801).map(|&b| Value::from(b))),
        ("ColorimetricSpecification", d.get(802).map(|&b| Value::from(b))),
        ("BitDepth", d.get(803).map(|&b| Value::from(b))),
        ("ImageDescription", text(820, 32).map(Value::from)),
        ("SourceFileName", text(1432, 100).map(Value::from)),
        ("SourceCreateDate", text(1532, 24).map(|s| Value::from(date(s)))),
        ("InputDeviceName", text(1556, 32).map(Value::from)),
        ("InputDeviceSerialNumber", text(1588, 32).map(Value::from)),
        ("OriginalFrameRate", f32_at(1724).map(Value::Float)),
        ("FrameID", text(1732, 32).map(Value::from)),
        ("SlateInformation", text(1764, 100).map(Value::from)),
        ("TimeCode", u32_at(1920).map(Value::from)),
        ("UserID", text(2048, 32).map(Value::from)),
    ];
    for (name, v) in fields {
        if let Some(v) = v {
            cx.add(G, name, v);
        }
    }
    if let (Some(w), Some(h)) = (u32_at(772), u32_at(776)) {
        cx.fact(Fact::ImageSize(w.into(), h.into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{get, run};

    #[test]
    fn header() {
        let mut f = vec![0u8; 2080];
        f[..4].copy_from_slice(b"SDPX");
        f[8..12].copy_from_slice(b"V1.0");
        f[136..155].copy_from_slice(b"2010:08:03:08:38:16");
        f[772..776].copy_from_slice(&2048u32.to_be_bytes());
        f[776..780].copy_from_slice(&1556u32.to_be_bytes());
        let t = run(&f, parse);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(2048)));
        assert_eq!(get(&t, "File:CreateDate"), Some(&Value::Text("2010:08:03 08:38:16".into())));
        for n in 0..40 {
            let _ = run(&f[..n * 50], parse);
        }
    }
}

//! GoPro's GPMF: key-length-value records (FourCC key, type char, structure size, u16
//! repeat count, data padded to 4 bytes; type 0 nests), as HERO cameras write the
//! global settings in a JPEG's APP6 `GoPro\0` segment and in a movie's `udta/GPMF` box.

use crate::base::bytes::{array, be_i16, be_i32, be16, be32};
use crate::context::Ctx;
use crate::model::Value;

/// Deepest nesting followed.
const MAX_DEPTH: u32 = 4;

/// The settings among the GPMF records of `b`, as (tag name, value) pairs in file
/// order, for the container to file under its group.
pub(crate) fn settings(cx: &mut Ctx, b: &[u8]) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    walk(cx, b, 0, &mut out);
    out
}

fn walk(cx: &mut Ctx, b: &[u8], depth: u32, out: &mut Vec<(&'static str, Value)>) {
    let mut p = 0usize;
    for _ in 0..1024 {
        let (Some(key), Some(&kind), Some(&size), Some(repeat)) =
            (array::<4>(b, p), b.get(p + 4), b.get(p + 5), be16(b, p + 6))
        else {
            break;
        };
        let n = usize::from(size) * usize::from(repeat);
        let Some(v) = b.get(p + 8..p + 8 + n) else {
            cx.warn(None, "GoPro GPMF record runs past its block");
            break;
        };
        p += 8 + n.div_ceil(4) * 4;
        if kind == 0 {
            if depth < MAX_DEPTH {
                walk(cx, v, depth + 1, out);
            }
            continue;
        }
        let name = match &key {
            b"DVNM" => "DeviceName",
            b"FMWR" => "FirmwareVersion",
            b"CASN" => "CameraSerialNumber",
            b"MINF" => "Model",
            b"MUID" => "MediaUniqueID",
            b"OREN" => "AutoRotation",
            b"DZOM" => "DigitalZoom",
            b"PRTN" => "ProTune",
            b"PTWB" => "WhiteBalance",
            b"PTSH" => "Sharpness",
            b"PTCL" => "ColorMode",
            b"EXPT" => "MaximumShutterAngle",
            b"PIMX" => "AutoISOMax",
            b"PIMN" => "AutoISOMin",
            b"PTEV" => "ExposureCompensation",
            b"RATE" => "Rate",
            b"PRES" => "PhotoResolution",
            b"PHDR" => "HDRSetting",
            _ => continue,
        };
        if let Some(value) = decode(kind, v) {
            let value = match (name, value) {
                ("ExposureCompensation", Value::Text(t)) => {
                    t.parse::<f64>().map_or(Value::Text(t), Value::Float)
                }
                (_, v) => v,
            };
            out.push((name, value));
        }
    }
}

/// A record's value: text for `c`, numbers (several as a space-separated list) otherwise.
fn decode(kind: u8, v: &[u8]) -> Option<Value> {
    let nums: Vec<i64> = match kind {
        b'c' => {
            let end = v.iter().position(|c| *c == 0).unwrap_or(v.len());
            return Some(Value::from(String::from_utf8_lossy(v.get(..end)?).trim()));
        }
        b'B' => v.iter().map(|x| i64::from(*x)).collect(),
        b'b' => v.iter().map(|x| i64::from(*x as i8)).collect(),
        b'S' => v.chunks_exact(2).filter_map(|c| be16(c, 0)).map(i64::from).collect(),
        b's' => v.chunks_exact(2).filter_map(|c| be_i16(c, 0)).map(i64::from).collect(),
        b'L' => v.chunks_exact(4).filter_map(|c| be32(c, 0)).map(i64::from).collect(),
        b'l' => v.chunks_exact(4).filter_map(|c| be_i32(c, 0)).map(i64::from).collect(),
        _ => return None,
    };
    match nums[..] {
        [] => None,
        [one] => Some(Value::Int(one)),
        _ => Some(Value::from(nums.iter().map(i64::to_string).collect::<Vec<_>>().join(" "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_text_and_numbers() {
        assert_eq!(decode(b'c', b"AUTO\0\0"), Some(Value::Text("AUTO".into())));
        assert_eq!(decode(b'L', &[0, 0, 0x0c, 0x80]), Some(Value::Int(3200)));
        assert_eq!(decode(b'L', &[0, 0, 0, 1, 0, 0, 0, 2]), Some(Value::Text("1 2".into())));
    }
}

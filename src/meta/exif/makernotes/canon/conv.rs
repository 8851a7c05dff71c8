//! Canon's number encodings, turned into the values ExifTool prints with `-n`.
//!
//! Exposure values are stored in 1/32 EV steps, where the fractions 12/32 and 20/32
//! stand for 1/3 and 2/3 stop; apertures and times are powers of two of them.

use crate::model::{Text, Value};

/// The integer inside a field value.
pub(super) fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        _ => None,
    }
}

/// A Canon 1/32-EV code as EV, with the third-stop fractions made exact.
pub(super) fn canon_ev(code: i64) -> f64 {
    let (sign, mag) = if code < 0 { (-1.0, -code) } else { (1.0, code) };
    let frac = mag & 0x1F;
    let frac = match frac {
        0x0C => 32.0 / 3.0,
        0x14 => 64.0 / 3.0,
        f => f as f64,
    };
    sign * ((mag & !0x1F) as f64 + frac) / 32.0
}

fn float(f: f64) -> Option<Value> {
    f.is_finite().then_some(Value::Float(f))
}

/// An f-number from its EV code (absent when 0: not recorded).
pub(super) fn aperture(v: Value) -> Option<Value> {
    let c = int(&v).filter(|c| *c != 0)?;
    float((canon_ev(c) / 2.0).exp2())
}

/// An aperture code of CameraSettings, kept even when 0.
pub(super) fn aperture_any(v: Value) -> Option<Value> {
    float((canon_ev(int(&v)?) / 2.0).exp2())
}

/// An exposure time in seconds from its EV code (absent when 0).
pub(super) fn exposure_time(v: Value) -> Option<Value> {
    let c = int(&v).filter(|c| *c != 0)?;
    float((-canon_ev(c)).exp2())
}

/// A target exposure time; codes far below any real time mean "not set".
pub(super) fn target_exposure_time(v: Value) -> Option<Value> {
    let c = int(&v).filter(|c| *c > -1000)?;
    float((-canon_ev(c)).exp2())
}

/// An EV code as EV (exposure compensation, bracketing steps).
pub(super) fn ev(v: Value) -> Option<Value> {
    float(canon_ev(int(&v)?))
}

/// Drops the camera's "not set" marks (-1 and below).
pub(super) fn non_negative(v: Value) -> Option<Value> {
    int(&v).filter(|i| *i >= 0).map(Value::Int)
}

/// Drops 0 ("not recorded").
pub(super) fn non_zero(v: Value) -> Option<Value> {
    int(&v).filter(|i| *i != 0).map(Value::Int)
}

/// Drops 0x7FFF, the camera's "not applicable".
pub(super) fn not_7fff(v: Value) -> Option<Value> {
    int(&v).filter(|i| *i != 0x7FFF).map(Value::Int)
}

/// Kept only when positive.
pub(super) fn positive(v: Value) -> Option<Value> {
    int(&v).filter(|i| *i > 0).map(Value::Int)
}

/// The ISO code of CameraSettings: the speed itself when bit 14 is set, else a code.
pub(super) fn camera_iso(v: Value) -> Option<Value> {
    let c = int(&v)?;
    if c != 0x7FFF && c & 0x4000 != 0 {
        return Some(Value::Int(c & 0x3FFF));
    }
    let text = match c {
        0 => "n/a",
        14 => "Auto High",
        15 => "Auto",
        16 => return Some(Value::Int(50)),
        17 => return Some(Value::Int(100)),
        18 => return Some(Value::Int(200)),
        19 => return Some(Value::Int(400)),
        20 => return Some(Value::Int(800)),
        _ => return None,
    };
    Some(Value::Text(Text::from(text)))
}

/// ISO from a 1/32-EV code, relative to ISO 100.
pub(super) fn auto_iso(v: Value) -> Option<Value> {
    float((int(&v)? as f64 / 32.0).exp2() * 100.0)
}

/// The base ISO from its 1/32-EV code (ISO 3.125 at code 0).
pub(super) fn base_iso(v: Value) -> Option<Value> {
    float((int(&v)? as f64 / 32.0).exp2() * 100.0 / 32.0)
}

/// Measured EV: 1/32-EV steps from EV 5.
pub(super) fn measured_ev(v: Value) -> Option<Value> {
    float(int(&v)? as f64 / 32.0 + 5.0)
}

/// The second measured EV: 1/8-EV steps from EV 6 below, 0 meaning not measured.
pub(super) fn measured_ev2(v: Value) -> Option<Value> {
    let c = int(&v).filter(|c| *c != 0)?;
    float(c as f64 / 8.0 - 6.0)
}

/// Temperature stored with an offset of 128 °C; 0 means not recorded.
pub(super) fn temperature(v: Value) -> Option<Value> {
    let c = int(&v).filter(|c| *c != 0)?;
    Some(Value::Int(c - 128))
}

/// Hundredths (of a metre): 0 means not recorded.
pub(super) fn hundredths_non_zero(v: Value) -> Option<Value> {
    let c = int(&v).filter(|c| *c != 0)?;
    float(c as f64 / 100.0)
}

/// Tenths, kept when not negative.
pub(super) fn tenths_non_negative(v: Value) -> Option<Value> {
    let c = int(&v).filter(|c| *c >= 0)?;
    float(c as f64 / 10.0)
}

/// Tenths.
pub(super) fn tenths(v: Value) -> Option<Value> {
    float(int(&v)? as f64 / 10.0)
}

/// A flash guide number in 1/32 steps; -1 means no flash.
pub(super) fn guide_number(v: Value) -> Option<Value> {
    let c = int(&v).filter(|c| *c != -1)?;
    float(c as f64 / 32.0)
}

/// A sensor dimension in thousandths of an inch, as millimetres; values no sensor has
/// (newer bodies write other data there) are left out.
pub(super) fn plane_size(v: Value) -> Option<Value> {
    let c = int(&v).filter(|c| (1..=2000).contains(c))?;
    float(c as f64 * 25.4 / 1000.0)
}

/// A 32-bit count stored with its two 16-bit halves swapped.
pub(super) fn swapped_halves(v: Value) -> Option<Value> {
    let Value::Text(t) = v else { return None };
    let mut s = String::new();
    for (i, part) in t.split(' ').enumerate() {
        let n: u32 = part.parse().ok()?;
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&n.rotate_left(16).to_string());
    }
    Some(Value::Text(Text::from(s)))
}

/// A count stored one above the number shown.
pub(super) fn minus_one(v: Value) -> Option<Value> {
    Some(Value::Int(int(&v)? - 1))
}

/// Seconds since 1970 as an ExifTool date (UTC).
pub(super) fn unix_date(v: Value) -> Option<Value> {
    Some(Value::Text(Text::from(crate::base::date::exif_datetime(int(&v)?))))
}

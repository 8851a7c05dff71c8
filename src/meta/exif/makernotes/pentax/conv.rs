//! Pentax's `-n` conversions: exposure values in 1/8 EV steps (with 3 and 5 meaning a
//! third and two thirds where the camera counts in thirds), apertures and focal lengths
//! in the lens's own steps.

use crate::base::number::g;
use crate::model::Value;

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn float(v: Value, f: impl Fn(f64) -> f64) -> Option<Value> {
    Some(Value::Float(f(num(&v)?)))
}

/// An EV in Pentax's eighths, where a remainder of 3 or 5 eighths stands for one or two
/// thirds (the camera's third-stop steps).
pub(super) fn ev(raw: i64) -> f64 {
    let sign = if raw < 0 { -1.0 } else { 1.0 };
    let a = raw.unsigned_abs();
    let frac = match a & 7 {
        3 => 1.0 / 3.0,
        5 => 2.0 / 3.0,
        r => r as f64 / 8.0,
    };
    sign * ((a >> 3) as f64 + frac)
}

pub(super) fn pentax_ev(v: Value) -> Option<Value> {
    float(v, |x| ev(x as i64))
}
pub(super) fn sixtieths(v: Value) -> Option<Value> {
    float(v, |x| x / 60.0)
}
pub(super) fn halves(v: Value) -> Option<Value> {
    float(v, |x| x / 2.0)
}
pub(super) fn eighths(v: Value) -> Option<Value> {
    float(v, |x| x / 8.0)
}
/// ISO from 1/8 EV steps above ISO 100 at 32.
pub(super) fn iso(v: Value) -> Option<Value> {
    float(v, |x| 100.0 * 2f64.powf((x - 32.0) / 8.0))
}
/// Exposure times ExifTool prints as text of 15 significant digits.
fn time_text(v: Value, f: impl Fn(f64) -> f64) -> Option<Value> {
    Some(Value::from(g(f(num(&v)?), 15)))
}
pub(super) fn tv_setting(v: Value) -> Option<Value> {
    time_text(v, |x| 2f64.powf(-ev(x as i64 - 68)))
}
pub(super) fn av_setting(v: Value) -> Option<Value> {
    float(v, |x| 2f64.powf(ev(x as i64 - 68) / 2.0))
}
pub(super) fn sv_setting(v: Value) -> Option<Value> {
    float(v, |x| 100.0 * 2f64.powf(ev(x as i64 - 32)))
}
pub(super) fn base_comp(v: Value) -> Option<Value> {
    float(v, |x| ev(64 - x as i64))
}
pub(super) fn ae_time(v: Value) -> Option<Value> {
    time_text(v, |x| 24.0 * 2f64.powf(-(x - 32.0) / 8.0))
}
pub(super) fn ae_aperture(v: Value) -> Option<Value> {
    float(v, |x| 2f64.powf((x - 68.0) / 16.0))
}
pub(super) fn ae_xv(v: Value) -> Option<Value> {
    float(v, |x| (x - 64.0) / 8.0)
}
pub(super) fn lens_f_stops(v: Value) -> Option<Value> {
    float(v, |x| 5.0 + f64::from((x as u8) ^ 0x07) / 2.0)
}
/// Tenths of a millimetre in a 6-bit mantissa and a 2-bit power of four.
pub(super) fn lens_focal_length(v: Value) -> Option<Value> {
    float(v, |x| {
        let x = x as i64;
        10.0 * (x >> 2) as f64 * 4f64.powi((x & 3) as i32 - 2)
    })
}
pub(super) fn nominal_max_aperture(v: Value) -> Option<Value> {
    float(v, |x| 2f64.powf(x / 4.0))
}
pub(super) fn nominal_min_aperture(v: Value) -> Option<Value> {
    float(v, |x| 2f64.powf((x + 10.0) / 4.0))
}
pub(super) fn lens_max_aperture(v: Value) -> Option<Value> {
    float(v, |x| 2f64.powf((x - 1.0) / 32.0))
}
/// `20070913` printed as a date.
pub(super) fn manufacture_date(v: Value) -> Option<Value> {
    let n = num(&v)? as i64;
    Some(Value::from(format!("{:04}:{:02}:{:02}", n / 10000, n / 100 % 100, n % 100)))
}
/// Two words `a b` printed as `a.b`.
pub(super) fn production_code(v: Value) -> Option<Value> {
    let t = v.to_text();
    let (a, b) = t.split_once(' ')?;
    format!("{a}.{b}").parse::<f64>().ok().map(Value::Float)
}

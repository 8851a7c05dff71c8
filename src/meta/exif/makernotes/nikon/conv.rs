//! Nikon's `-n` conversions of lens and flash bytes: apertures and focal lengths on
//! logarithmic scales of 1/24 EV, distances on a scale of 1/40 decade.

use crate::model::Value;

fn float(v: Value, f: impl Fn(f64) -> f64) -> Option<Value> {
    match v {
        Value::Int(i) => Some(Value::Float(f(i as f64))),
        _ => None,
    }
}

/// Exit pupil distance in mm from its reciprocal (0: unknown).
pub(super) fn exit_pupil(v: Value) -> Option<Value> {
    float(v, |x| if x == 0.0 { 0.0 } else { 2048.0 / x })
}
pub(super) fn aperture(v: Value) -> Option<Value> {
    float(v, |x| 2f64.powf(x / 24.0))
}
pub(super) fn focal_length(v: Value) -> Option<Value> {
    float(v, |x| 5.0 * 2f64.powf(x / 24.0))
}
/// Metres.
pub(super) fn focus_distance(v: Value) -> Option<Value> {
    float(v, |x| 0.01 * 10f64.powf(x / 40.0))
}
pub(super) fn twelfths(v: Value) -> Option<Value> {
    float(v, |x| x / 12.0)
}
/// Flash compensation in -1/6 EV steps.
pub(super) fn neg_sixths(v: Value) -> Option<Value> {
    float(v, |x| -x / 6.0)
}

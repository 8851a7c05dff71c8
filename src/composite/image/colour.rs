//! Colour composites (white-balance multipliers, the colour filter pattern) and the
//! run time a maker note gives.

use super::{Composer, Key, joined};
use crate::model::{Text, Value};

/// White balance multipliers relative to green (Panasonic levels, RAF GRGB levels,
/// Canon's `maker_rgb`) and the colour filter pattern.
pub(super) fn colour(c: &mut Composer, maker_rgb: Option<(f64, f64, f64)>) {
    let maker_rgb = maker_rgb.or_else(|| uncorrected_levels(c));
    let rgb = match (c.num(Key::ExifWbRedLevel), c.num(Key::ExifWbGreenLevel), c.num(Key::ExifWbBlueLevel)) {
        _ if maker_levels(c).is_some() => maker_levels(c),
        (Some(r), Some(g), Some(b)) => Some((r, g, b)),
        _ => c.text(Key::RafWbGrgbLevels).and_then(grgb_levels).or(maker_rgb),
    };
    if let Some((r, gr, b)) = rgb.filter(|rgb| rgb.1 > 0.0) {
        c.add_float("RedBalance", r / gr);
        c.add_float("BlueBalance", b / gr);
    }
    let pattern = match c.text(Key::ExifCfaPattern) {
        Some(p) => Some(Text::new(p)),
        None => c
            .text(Key::ExifCfaRepeatPatternDim)
            .zip(c.text(Key::ExifCfaPattern2))
            .map(|(dim, p)| joined(dim, p, "")),
    };
    if let Some(p) = pattern {
        c.add("CFAPattern", Value::from(p));
    }
}

/// Samsung's `WB_RGGBLevels`: its uncorrected levels less its black levels.
fn uncorrected_levels(c: &mut Composer) -> Option<(f64, f64, f64)> {
    let nums = |k: Key| -> Option<Vec<i64>> {
        c.text(k)?.split_whitespace().map(str::parse).collect::<Result<_, _>>().ok()
    };
    let (Some(&[r, g1, g2, b]), Some(&[br, bg1, bg2, bb])) =
        (nums(Key::MnWbUncorrected).as_deref(), nums(Key::MnWbBlack).as_deref())
    else {
        return None;
    };
    let l = [r.saturating_sub(br), g1.saturating_sub(bg1), g2.saturating_sub(bg2), b.saturating_sub(bb)];
    c.add("WB_RGGBLevels", Value::from(format!("{} {} {} {}", l[0], l[1], l[2], l[3])));
    Some((l[0] as f64, (l[1] + l[2]) as f64 / 2.0, l[3] as f64))
}

/// RAF's `WB_GRGBLevels` (`"g r g b"`) as red, green, blue.
fn grgb_levels(s: &str) -> Option<(f64, f64, f64)> {
    let v: Vec<f64> = s.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    match v[..] {
        [g, r, _, b] => Some((r, g, b)),
        _ => None,
    }
}

/// Red, green and blue white-balance levels from a maker note: its RGGB or RGBG levels
/// (green is the mean of the two), its RGB levels (Phase One), Olympus's red and blue levels over 256, or the red and blue
/// balances themselves.
fn maker_levels(c: &Composer) -> Option<(f64, f64, f64)> {
    let nums = |k: Key| -> Option<Vec<f64>> {
        let v: Vec<f64> = c.text(k)?.split_whitespace().map(str::parse).collect::<Result<_, _>>().ok()?;
        Some(v)
    };
    if let Some(&[r, g1, g2, b]) = nums(Key::MakerWbRggbLevels).as_deref() {
        return Some((r, (g1 + g2) / 2.0, b));
    }
    if let Some(&[r, g1, b, g2]) = nums(Key::MakerWbRgbgLevels).as_deref() {
        return Some((r, (g1 + g2) / 2.0, b));
    }
    if let Some(&[r, g, b]) = nums(Key::MakerWbRgbLevels).as_deref() {
        return Some((r, g, b));
    }
    if let Some(&[r, b]) = nums(Key::MakerWbRbLevels).as_deref() {
        return Some((r, 256.0, b));
    }
    Some((c.num(Key::MakerRedBalance)?, 1.0, c.num(Key::MakerBlueBalance)?))
}

/// Seconds since the phone was switched on, from Apple's RunTime record.
pub(super) fn run_time(c: &mut Composer) {
    if let (Some(v), Some(scale)) = (c.num(Key::MakerRunTimeValue), c.num(Key::MakerRunTimeScale)) {
        if scale > 0.0 {
            c.add_float("RunTimeSincePowerUp", v / scale);
        }
    }
}

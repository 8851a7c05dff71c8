//! Optics composites: the 35 mm scale factor and what follows from it (circle of
//! confusion, field of view, hyperfocal distance, depth of field), the lens, and the
//! flash value of XMP's flash structure.

use super::{Composer, FULL_FRAME_DIAG, Key, crop_size, pair};
use crate::base::text::trim;
use crate::composite::canon::Optics as Canon;
use crate::model::{Text, Value};

/// 35 mm equivalents, field of view, hyperfocal distance, depth of field and the lens;
/// `canon` holds what Canon's maker note adds.
pub(super) fn optics(c: &mut Composer, aperture: Option<f64>, canon: Canon) {
    let focal_any = c.either(Key::ExifFocalLength, Key::XmpFocalLength).or_else(|| c.num(Key::MnFocalLength));
    let focal = focal_any.filter(|f| *f > 0.0);
    let crop = crop_size(c.get(Key::ExifDefaultCropSize));
    let scale = scale_factor(c, focal, crop);
    if let Some(sc) = scale {
        c.add_float("ScaleFactor35efl", sc);
    }
    let coc = scale.map(|sc| FULL_FRAME_DIAG / (sc * 1440.0));
    if let Some(coc) = coc {
        c.add_float("CircleOfConfusion", coc);
    }
    if let (Some(f), Some(sc)) = (focal, scale) {
        fov(c, f, sc);
    }
    if let Some(f) = focal_any.filter(|f| *f >= 0.0) {
        // Without a scale ExifTool gives the focal length itself, unless it would have
        // found the sensor size in maker notes that were not decoded here.
        if scale.is_some() || !sensor_in_maker_notes(c) {
            c.add_float("FocalLength35efl", f * scale.unwrap_or(1.0));
        }
    }
    if let (Some(f), Some(a), Some(coc)) = (focal, aperture, coc) {
        if a > 0.0 {
            c.add_float("HyperfocalDistance", f * f / (a * coc * 1000.0));
            if let Some(d) = focus_distance(c, canon) {
                // Near and far limits; a far limit at infinity prints as 0.
                // A distance of 0 is infinity, which ExifTool takes as 1e10 m.
                let d = if d > 0.0 { d } else { 1e10 };
                let t = a * coc * (d * 1000.0 - f) / (f * f);
                let (near, far) = (d / (1.0 + t), if t < 1.0 { d / (1.0 - t) } else { 0.0 });
                if near.is_finite() && far.is_finite() && near >= 0.0 {
                    c.add("DOF", Value::from(pair(near, far)));
                }
            }
        }
    }
    if let (Some(sc), Some(lens)) = (scale, canon.lens) {
        c.add_float("Lens35efl", lens * sc);
    }
    lens(c);
}

/// `LensID` (the maker's lens code wins over the lens names, as ExifTool has it) and
/// Nikon's `LensSpec`.
fn lens(c: &mut Composer) {
    if let Some(id) = nikon_lens_id(c) {
        c.add("LensID", Value::from(id));
    } else if let Some(v) = c.get(Key::MakerLensType).cloned() {
        c.add("LensID", v);
    } else if let Some(lens) = [Key::ExifLensModel, Key::XmpLensModel, Key::XmpLens, Key::MakerLensModel]
        .into_iter()
        .find_map(|k| c.text(k).filter(|s| !s.is_empty()))
    {
        let lens = Text::new(lens);
        c.add("LensID", Value::from(lens));
    }
    // Nikon's focal and aperture range with its lens type (LensIDNumber marks a Nikon).
    if let (Some(lens), Some(kind), Some(_)) =
        (c.text(Key::MakerLens), c.get(Key::MakerLensType), c.get(Key::MakerLensIdNumber))
    {
        if lens.split_whitespace().count() == 4 && kind.as_i64().is_some() {
            let spec = format!("{lens} {}", kind.to_text());
            c.add("LensSpec", Value::from(spec));
        }
    }
}

/// Nikon's lens identifier as ExifTool prints it with `-n`: the eight raw bytes of the
/// lens record (ID number, f-stops, focal range, apertures at both ends, MCU version,
/// lens type) in hex, recovered from the converted LensData values.
fn nikon_lens_id(c: &Composer) -> Option<String> {
    let byte = |x: f64| -> Option<u8> {
        let r = x.round();
        ((x - r).abs() < 1e-6 && (0.0..=255.0).contains(&r)).then_some(r as u8)
    };
    let log24 = |x: f64| if x > 0.0 { 24.0 * x.log2() } else { f64::NAN };
    let parts = [
        byte(c.num(Key::MakerLensIdNumber)?)?,
        byte(c.num(Key::MakerLensFStops)? * 12.0)?,
        byte(log24(c.num(Key::MakerMinFocalLength)? / 5.0))?,
        byte(log24(c.num(Key::MakerMaxFocalLength)? / 5.0))?,
        byte(log24(c.num(Key::MakerMaxApertureAtMinFocal)?))?,
        byte(log24(c.num(Key::MakerMaxApertureAtMaxFocal)?))?,
        byte(c.num(Key::MakerMcuVersion)?)?,
        byte(c.num(Key::MakerLensType)?)?,
    ];
    Some(parts.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(" "))
}

/// ExifTool converts radians to degrees with pi taken as 3.14159 (its FOV values show
/// it): the same factor keeps every printed digit.
#[allow(clippy::approx_constant)] // the approximation is the point: ExifTool's digits
const DEGREES_PER_RADIAN: f64 = 180.0 / 3.14159;

/// The horizontal field of view; with the maker's focus distance, corrected for it and
/// followed by the field's width in metres at that distance.
fn fov(c: &mut Composer, f: f64, sc: f64) {
    let d = c.num(Key::MakerFocusDistance).filter(|d| *d > 0.0 && d * 1000.0 > f);
    let half_tan = match d {
        Some(d) => 36.0 * (d * 1000.0 - f) / (2.0 * f * sc * d * 1000.0),
        None => 36.0 / (2.0 * f * sc),
    };
    let fov = 2.0 * half_tan.atan() * DEGREES_PER_RADIAN;
    match d {
        Some(d) => c.add("FOV", Value::from(pair(fov, 2.0 * d * half_tan))),
        None => c.add_float("FOV", fov),
    }
}

/// The focus distance in metres for the depth of field: the maker's focus distance (0
/// is infinity) or the middle of its range, else the subject distance (0 is unknown).
fn focus_distance(c: &Composer, canon: Canon) -> Option<f64> {
    if let Some(d) = c.num(Key::MakerFocusDistance) {
        return Some(d);
    }
    if let Some(d) = canon.focus_distance {
        return Some(d);
    }
    if let (Some(hi), Some(lo)) = (c.num(Key::MakerFocusDistanceUpper), c.num(Key::MakerFocusDistanceLower)) {
        return Some((hi + lo) / 2.0);
    }
    [
        Key::ExifSubjectDistance,
        Key::MakerObjectDistance,
        Key::XmpSubjectDistance,
        Key::XmpApproximateFocusDistance,
    ]
    .into_iter()
    .find_map(|k| c.num(k))
    .filter(|d| *d > 0.0)
}

/// Whether the camera's maker notes hold the sensor size that ExifTool takes the scale
/// factor from (Canon's focal-plane size, Olympus's diagonal): without them decoded, the
/// scale is not known here though ExifTool knows it.
fn sensor_in_maker_notes(c: &Composer) -> bool {
    // ExifTool also derives a scale from XMP's focal-plane resolution, in a way that
    // does not follow the sensor size the numbers give: not guessed here.
    if c.get(Key::ExifFocalPlaneXResolution).is_none() && c.get(Key::XmpFocalPlaneXResolution).is_some() {
        return true;
    }
    let make = c.text(Key::ExifMake).map(trim).unwrap_or("");
    let maker = make.starts_with("Canon") || make.to_ascii_uppercase().starts_with("OLYMPUS");
    maker && c.get(Key::MakerFocalPlaneXSize).is_none() && c.get(Key::MakerFocalPlaneDiagonal).is_none()
}

/// The flash value of EXIF from XMP's flash structure (fired, return, mode, function,
/// red-eye bits).
pub(super) fn flash(c: &mut Composer) {
    let Some(fired) = c.get(Key::XmpFlashFired).and_then(bit) else { return };
    let field = |k: Key| c.get(k).and_then(bit).unwrap_or(0);
    let v = fired
        | (field(Key::XmpFlashReturn) & 3) << 1
        | (field(Key::XmpFlashMode) & 3) << 3
        | (field(Key::XmpFlashFunction) & 1) << 5
        | (field(Key::XmpFlashRedEyeMode) & 1) << 6;
    c.add("Flash", Value::Int(v));
}

/// A boolean or small number of the XMP flash structure.
fn bit(v: &Value) -> Option<i64> {
    match v {
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Text(t) if t.eq_ignore_ascii_case("true") => Some(1),
        Value::Text(t) if t.eq_ignore_ascii_case("false") => Some(0),
        v => v.as_f64().map(|f| f as i64),
    }
}

/// The 35 mm scale factor: from FocalLengthIn35mmFormat, else from Olympus's sensor
/// diagonal, else from the sensor size given by the focal-plane resolution and the image
/// dimensions, else from Canon's sensor size (ExifTool's order: Canon's focal-plane
/// resolution with Canon's image size is what it uses). Images are often resized after
/// the camera wrote those, so a focal-plane scale outside any real camera's range (a
/// sensor under ~3 mm or over ~200 mm across) is not a scale.
fn scale_factor(c: &Composer, focal: Option<f64>, crop: Option<(f64, f64)>) -> Option<f64> {
    let f35 = c.either(Key::ExifFocalLengthIn35mmFormat, Key::XmpFocalLengthIn35mmFormat);
    if let (Some(f35), Some(f)) = (f35.filter(|v| *v > 0.0), focal) {
        return Some(f35 / f);
    }
    // The sensor's diagonal in mm, as Olympus notes give it; over the full-frame diagonal
    // as ExifTool writes it to 15 digits (its last digits show in the FOV it derives).
    if let Some(diag) = c.num(Key::MakerFocalPlaneDiagonal).filter(|v| *v > 0.0) {
        return Some(43.266_615_305_567_9 / diag);
    }
    if let Some(sc) = plane_scale(c, crop).filter(|sc| (0.2..=15.0).contains(sc)) {
        return Some(sc);
    }
    if let (Some(x), Some(y)) = (c.num(Key::MakerFocalPlaneXSize), c.num(Key::MakerFocalPlaneYSize)) {
        let d = (x * x + y * y).sqrt();
        if d > 0.0 {
            return Some(FULL_FRAME_DIAG / d);
        }
    }
    None
}

/// The scale factor from the focal-plane resolution and the image dimensions.
fn plane_scale(c: &Composer, crop: Option<(f64, f64)>) -> Option<f64> {
    let unit = match c.num(Key::ExifFocalPlaneResolutionUnit)? as i64 {
        1 | 2 => 25.4,
        3 => 10.0,
        4 => 1.0,
        5 => 0.001,
        _ => return None,
    };
    let xr = c.num(Key::ExifFocalPlaneXResolution).filter(|v| *v > 0.0).map(unrounded)?;
    let yr = c.num(Key::ExifFocalPlaneYResolution).filter(|v| *v > 0.0).map(unrounded)?;
    // Canon's own image size first: its EXIF size can be the thumbnail's.
    let (w, h) = c
        .num(Key::MnCanonImageWidth)
        .zip(c.num(Key::MnCanonImageHeight))
        .or_else(|| c.num(Key::ExifExifImageWidth).zip(c.num(Key::ExifExifImageHeight)))
        .or(crop)
        .or_else(|| c.num(Key::ExifImageWidth).zip(c.num(Key::ExifImageHeight)))?;
    let diag = ((w / xr * unit).powi(2) + (h / yr * unit).powi(2)).sqrt();
    (diag > 0.0).then(|| FULL_FRAME_DIAG / diag)
}

/// The rational an EXIF value rounded to 10 significant digits most plausibly was: the
/// fraction with the smallest denominator (up to 2^16) that rounds to the same digits.
/// ExifTool derives from the exact rational, and the rounding shows in the last digits
/// of the scale factor; where no such fraction exists the value is kept as it is.
fn unrounded(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return v;
    }
    let half = 0.5 * 10f64.powi(v.log10().floor() as i32 - 9) * (1.0 + 1e-9);
    (1..=65_536u32)
        .map(f64::from)
        .find_map(|q| {
            let p = (v * q).round();
            ((p / q - v).abs() <= half).then(|| p / q)
        })
        .unwrap_or(v)
}

#[cfg(test)]
mod tests {
    use super::unrounded;

    #[test]
    fn rounded_rationals_recover_their_fraction() {
        assert_eq!(unrounded(3443.946188), 768_000.0 / 223.0);
        assert_eq!(unrounded(3954.23341), 3_456_000.0 / 874.0);
        assert_eq!(unrounded(300.0), 300.0);
        // A value with no small fraction behind it stays within its rounding.
        let v = 1234.567891;
        assert!((unrounded(v) - v).abs() <= 5e-7);
    }
}

//! Composites ExifTool derives from Canon's maker note: drive and shooting modes, ISO,
//! the lens focal range and type, white-balance levels, flash details, the file number,
//! and the focus distance that depth of field needs. They are derived only when the note
//! has Canon's `CanonExposureMode` (no other maker writes that name).

use super::g15::round15;
use crate::model::{Text, Value};

/// The tags the Canon composites read, by `MakerNotes` tag name (the image composites
/// answer from their index).
pub(super) trait Note {
    fn get(&self, name: &str) -> Option<&Value>;

    fn num(&self, name: &str) -> Option<f64> {
        self.get(name).and_then(Value::as_f64)
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }
}

/// The composites derived, in order.
pub(super) type Added = Vec<(&'static str, Value)>;

fn add_float(out: &mut Added, name: &'static str, x: f64) {
    out.push((name, Value::Float(round15(x))));
}

/// What the optics composites take from a Canon note.
#[derive(Default, Clone, Copy)]
pub(super) struct Optics {
    /// Shortest focal length of the lens (mm).
    pub lens: Option<f64>,
    /// Focus distance (m): the middle of the note's range.
    pub focus_distance: Option<f64>,
    /// White-balance levels as red, green, blue.
    pub rgb: Option<(f64, f64, f64)>,
}

/// Whether the tags come from a Canon maker note.
fn is_canon(c: &impl Note) -> bool {
    c.get("CanonExposureMode").is_some()
}

/// ISO from the note: the camera's ISO setting when it is a number, else the base ISO
/// times the automatic adjustment.
pub(super) fn iso(c: &impl Note) -> Option<f64> {
    if !is_canon(c) {
        return None;
    }
    if let Some(Value::Int(i)) = c.get("CameraISO") {
        return Some(*i as f64);
    }
    let base = c.num("BaseISO")?;
    let auto = c.num("AutoISO")?;
    Some(base * auto / 100.0)
}

/// Derives the Canon composites; returns what the optics composites need.
pub(super) fn derive(c: &impl Note, out: &mut Added) -> Optics {
    if !is_canon(c) {
        return Optics::default();
    }
    modes(c, out);
    if let Some(iso) = iso(c) {
        add_float(out, "ISO", iso);
    }
    let lens = c.num("MinFocalLength").filter(|_| c.get("MaxFocalLength").is_some());
    if let Some(l) = lens {
        add_float(out, "Lens", l);
    }
    let rgb = white_balance(c, out);
    flash(c, out);
    if let (Some(dir), Some(file)) = (c.num("DirectoryIndex"), c.num("FileIndex")) {
        add_float(out, "FileNumber", dir * 10_000.0 + file);
    }
    let focus_distance =
        c.num("FocusDistanceUpper").zip(c.num("FocusDistanceLower")).map(|(u, l)| (u + l) / 2.0);
    Optics { lens, focus_distance, rgb }
}

/// DriveMode (0 continuous, 1 self-timer, 2 single frame) and ShootingMode (the
/// exposure mode, with manual exposures timed by hand shown as bulb, 7).
fn modes(c: &impl Note, out: &mut Added) {
    if let (Some(drive), Some(timer)) = (c.num("ContinuousDrive"), c.num("SelfTimer")) {
        let mode = if drive != 0.0 {
            0.0
        } else if timer != 0.0 {
            1.0
        } else {
            2.0
        };
        add_float(out, "DriveMode", mode);
    }
    if let Some(mode) = c.num("CanonExposureMode").filter(|m| *m != 0.0) {
        let bulb = c.num("BulbDuration").is_some_and(|b| b > 0.0);
        add_float(out, "ShootingMode", if mode == 4.0 && bulb { 7.0 } else { mode });
    }
}

/// WB_RGGBLevels: the as-shot levels, else the preset the white balance setting names.
fn white_balance(c: &impl Note, out: &mut Added) -> Option<(f64, f64, f64)> {
    let preset = match c.num("WhiteBalance").map(|w| w as i64) {
        Some(0) => Some("WB_RGGBLevelsAuto"),
        Some(1) => Some("WB_RGGBLevelsDaylight"),
        Some(2) => Some("WB_RGGBLevelsCloudy"),
        Some(3) => Some("WB_RGGBLevelsTungsten"),
        Some(4) => Some("WB_RGGBLevelsFluorescent"),
        Some(5) => Some("WB_RGGBLevelsFlash"),
        Some(8) => Some("WB_RGGBLevelsShade"),
        Some(9) => Some("WB_RGGBLevelsKelvin"),
        _ => None,
    };
    let levels = c.text("WB_RGGBLevelsAsShot").or_else(|| preset.and_then(|k| c.text(k)))?;
    let v: Vec<f64> = levels.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    let [r, g1, g2, b] = v[..] else { return None };
    let text = Text::new(levels);
    out.push(("WB_RGGBLevels", Value::from(text)));
    Some((r, (g1 + g2) / 2.0, b))
}

/// Flash composites, when the flash fired (FlashBits set): the flash exposure
/// compensation that applied, built-in or external, red-eye reduction, and the shutter
/// curtain setting (first curtain unless a custom function says otherwise).
fn flash(c: &impl Note, out: &mut Added) {
    let Some(bits) = c.num("FlashBits").filter(|b| *b != 0.0) else { return };
    if let Some(fec) = c.num("FlashExposureComp") {
        add_float(out, "ConditionalFEC", fec);
    }
    add_float(out, "FlashType", if (bits as i64) & 0x4000 != 0 { 1.0 } else { 0.0 });
    let red_eye = match c.num("CanonFlashMode").map(|m| m as i64) {
        Some(0..=2) => Some(0.0),
        Some(3 | 6) => Some(1.0),
        _ => None,
    };
    if let Some(r) = red_eye {
        add_float(out, "RedEyeReduction", r);
    }
    let curtain = c.num("ShutterCurtainSync").unwrap_or(0.0);
    add_float(out, "ShutterCurtainHack", curtain);
}

//! Custom functions, ExifTool's group `CanonCustom`: the 350D's list of (function,
//! value) byte pairs (tag 0x000F), and the numbered records of newer bodies
//! (CustomFunctions2, tag 0x0099).

use super::Out;
use crate::base::bytes::Endian;
use crate::base::number::fmt_g;
use crate::base::short_text::{Out as _, ShortText};
use crate::model::Value;

/// Family-1 group of custom functions.
const GROUP: &str = "CanonCustom";

/// The 350D's custom functions, by number.
const FUNCTIONS_350D: &[&str] = &[
    "SetButtonCrossKeysFunc",
    "LongExposureNoiseReduction",
    "FlashSyncSpeedAv",
    "Shutter-AELock",
    "AFAssistBeam",
    "ExposureLevelIncrements",
    "MirrorLockup",
    "ETTLII",
    "ShutterCurtainSync",
];

/// Reads the 350D's custom functions: a byte length, then one word per function with
/// its number in the high byte and its setting in the low one.
pub(super) fn functions_350d(out: &mut Out, data: &[u8], le: bool, model: &str) {
    if !["EOS 350D", "REBEL XT", "Kiss Digital N"].iter().any(|m| model.contains(m)) {
        return;
    }
    let o = Endian::little_if(le);
    let len = usize::from(o.u16(data, 0).unwrap_or(0)).min(data.len());
    let mut at = 2;
    while at + 2 <= len {
        let Some(w) = o.u16(data, at) else { break };
        if let Some(name) = FUNCTIONS_350D.get(usize::from(w >> 8)) {
            out.set_in(GROUP, name, Value::Int(i64::from(w & 0xFF)));
        }
        at += 2;
    }
}

/// How a CustomFunctions2 value is shown.
#[derive(Clone, Copy)]
pub(super) enum Show {
    Raw,
    /// A flag, then ISO codes in 1/8 EV (72 is ISO 100).
    IsoRange,
    /// A flag, then shutter speeds in 1/8 EV (56 is 1 s).
    ShutterRange,
    /// A flag, then apertures in 1/8 EV (8 is f/1).
    ApertureRange,
}

/// CustomFunctions2 records by id (sorted by id); `Some(n)` when the name holds only for
/// `n` values.
pub(super) const FUNCTIONS2: &[(u32, Option<u32>, &str, Show)] = &[
    (0x0101, None, "ExposureLevelIncrements", Show::Raw),
    (0x0102, None, "ISOSpeedIncrements", Show::Raw),
    (0x0103, Some(3), "ISOSpeedRange", Show::IsoRange),
    (0x0103, Some(1), "ISOExpansion", Show::Raw),
    (0x0104, None, "AEBAutoCancel", Show::Raw),
    (0x0105, None, "AEBSequence", Show::Raw),
    (0x0106, None, "AEBShotCount", Show::Raw),
    (0x0107, None, "SpotMeterLinkToAFPoint", Show::Raw),
    (0x0108, None, "SafetyShift", Show::Raw),
    (0x0109, None, "UsableShootingModes", Show::Raw),
    (0x010A, None, "UsableMeteringModes", Show::Raw),
    (0x010B, None, "ExposureModeInManual", Show::Raw),
    (0x010C, Some(3), "ShutterSpeedRange", Show::ShutterRange),
    (0x010D, Some(3), "ApertureRange", Show::ApertureRange),
    (0x010E, None, "ApplyShootingMeteringMode", Show::Raw),
    (0x010F, None, "FlashSyncSpeedAv", Show::Raw),
    (0x0201, None, "LongExposureNoiseReduction", Show::Raw),
    (0x0202, None, "HighISONoiseReduction", Show::Raw),
    (0x0203, None, "HighlightTonePriority", Show::Raw),
    (0x0304, None, "ETTLII", Show::Raw),
    (0x0305, None, "ShutterCurtainSync", Show::Raw),
    (0x0306, None, "FlashFiring", Show::Raw),
    (0x0407, None, "ViewInfoDuringExposure", Show::Raw),
    (0x0408, None, "LCDIlluminationDuringBulb", Show::Raw),
    (0x0409, None, "InfoButtonWhenShooting", Show::Raw),
    (0x0501, None, "USMLensElectronicMF", Show::Raw),
    (0x0502, None, "AIServoTrackingSensitivity", Show::Raw),
    (0x0503, None, "AIServoImagePriority", Show::Raw),
    (0x0504, None, "AIServoTrackingMethod", Show::Raw),
    (0x0505, None, "LensDriveNoAF", Show::Raw),
    (0x0506, None, "LensAFStopButton", Show::Raw),
    (0x0507, None, "AFMicroadjustment", Show::Raw),
    (0x0508, None, "AFPointAreaExpansion", Show::Raw),
    (0x0509, None, "SelectableAFPoint", Show::Raw),
    (0x050A, None, "SwitchToRegisteredAFPoint", Show::Raw),
    (0x050B, None, "AFPointAutoSelection", Show::Raw),
    (0x050C, None, "AFPointDisplayDuringFocus", Show::Raw),
    (0x050D, None, "AFPointBrightness", Show::Raw),
    (0x050E, None, "AFAssistBeam", Show::Raw),
    (0x060F, None, "MirrorLockup", Show::Raw),
    (0x0610, None, "ContinuousShootingSpeed", Show::Raw),
    (0x0611, None, "ContinuousShotLimit", Show::Raw),
    (0x0702, None, "AFOnAELockButtonSwitch", Show::Raw),
    (0x0703, None, "QuickControlDialInMeter", Show::Raw),
    (0x0704, None, "SetButtonWhenShooting", Show::Raw),
    (0x0705, None, "ManualTv", Show::Raw),
    (0x0706, None, "DialDirectionTvAv", Show::Raw),
    (0x0707, None, "AvSettingWithoutLens", Show::Raw),
    (0x0708, None, "WBMediaImageSizeSetting", Show::Raw),
    (0x0709, None, "LockMicrophoneButton", Show::Raw),
    (0x070A, None, "ButtonFunctionControlOff", Show::Raw),
    (0x070C, None, "CustomControls", Show::Raw),
    (0x0711, None, "ShutterReleaseWithoutLens", Show::Raw),
    (0x080B, None, "FocusingScreen", Show::Raw),
    (0x080C, None, "TimerLength", Show::Raw),
    (0x080D, None, "ShortReleaseTimeLag", Show::Raw),
    (0x080E, None, "AddAspectRatioInfo", Show::Raw),
    (0x080F, None, "AddOriginalDecisionData", Show::Raw),
    (0x0810, None, "LiveViewExposureSimulation", Show::Raw),
    (0x0814, None, "RetractLensOnPowerOff", Show::Raw),
];

/// Most groups, records per group and values per record read.
const MAX_ITEMS: u32 = 256;

/// Reads CustomFunctions2: total size and group count, then per group its number, the
/// size from that field on, a record count and the records (id, value count, 32-bit
/// values).
pub(super) fn functions2(out: &mut Out, data: &[u8], le: bool, model: &str) {
    let o = Endian::little_if(le);
    let Some(groups) = o.u32(data, 4) else { return };
    let mut pos = 8usize;
    for _ in 0..groups.min(MAX_ITEMS) {
        let Some(size) = o.u32(data, pos + 4) else { return };
        let Some(next) = (pos + 4).checked_add(size as usize) else { return };
        let Some(body) = data.get(pos + 8..next.min(data.len())) else { return };
        records(out, body, o, model);
        if next <= pos {
            return;
        }
        pos = next;
    }
}

/// The records of one group.
fn records(out: &mut Out, body: &[u8], o: Endian, model: &str) {
    let Some(n) = o.u32(body, 0) else { return };
    let mut at = 4usize;
    for _ in 0..n.min(MAX_ITEMS) {
        let (Some(id), Some(k)) = (o.u32(body, at), o.u32(body, at + 4)) else { return };
        let k = k.min(MAX_ITEMS);
        // The record's values, read in place (a record cut short ends the group).
        let Some(raw) = body.get(at + 8..at + 8 + 4 * k as usize) else { return };
        let values = Values { raw, o };
        at += 8 + 4 * k as usize;
        // The 1D Mark III names its first button setting apart from other bodies.
        if id == 0x0701 && model.contains("EOS-1D") {
            out.set_in(GROUP, "ShutterButtonAFOnButton", show(values, Show::Raw));
            continue;
        }
        // The table is sorted by id: its records of `id` start where the ids reach it.
        let from = FUNCTIONS2.partition_point(|(i, _, _, _)| *i < id);
        let mut same_id =
            FUNCTIONS2.get(from..).unwrap_or_default().iter().take_while(|(i, _, _, _)| *i == id);
        let entry = same_id.find(|(_, count, _, _)| count.is_none_or(|c| c == k));
        if let Some((_, _, name, how)) = entry {
            out.set_in(GROUP, name, show(values, *how));
        }
    }
}

/// A record's values: signed 32-bit numbers.
#[derive(Clone, Copy)]
struct Values<'d> {
    raw: &'d [u8],
    o: Endian,
}

impl Values<'_> {
    fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        (0..self.raw.len() / 4).filter_map(|j| self.o.u32(self.raw, 4 * j)).map(|v| i64::from(v as i32))
    }
}

/// The value shown for a record's numbers.
fn show(values: Values, how: Show) -> Value {
    if values.raw.len() == 4
        && matches!(how, Show::Raw)
        && let Some(v) = values.iter().next()
    {
        return Value::Int(v);
    }
    let mut s = ShortText::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let x = v as f64;
        let shown = match how {
            _ if i == 0 => x,
            Show::Raw => x,
            Show::IsoRange => 100.0 * (x / 8.0 - 9.0).exp2(),
            Show::ShutterRange => (7.0 - x / 8.0).exp2(),
            Show::ApertureRange => ((x / 8.0 - 1.0) / 2.0).exp2(),
        };
        fmt_g(shown, 15, &mut s);
    }
    Value::Text(s.finish())
}

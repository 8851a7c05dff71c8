//! Panasonic (and Leica bodies built on Panasonic's) maker notes: `Panasonic\0\0\0`
//! then an IFD at byte 12 whose offsets count from the parent TIFF header, in its byte
//! order. (`panasonic.rs` beside this reads the RW2 raw's own IFD0 blocks.)

use super::Note;
use super::ifd::{MakerEntry, MakerIfd, Named, Table, push, push_named};
use crate::context::Ctx;
use crate::model::Value;

/// Family-1 group of every Panasonic tag.
const GROUP: &str = "Panasonic";

/// The IFD's tags printed as stored (the others are handled in `special`).
const MAIN: Table = &[
    (0x0001, Named::Plain("ImageQuality")),
    (0x0003, Named::Plain("WhiteBalance")),
    (0x0007, Named::Plain("FocusMode")),
    (0x000F, Named::Plain("AFAreaMode")),
    (0x001A, Named::Plain("ImageStabilization")),
    (0x001C, Named::Plain("MacroMode")),
    (0x001F, Named::Plain("ShootingMode")),
    (0x0020, Named::Plain("Audio")),
    (0x0026, Named::Plain("PanasonicExifVersion")),
    (0x0027, Named::Plain("VideoFrameRate")),
    (0x0028, Named::Plain("ColorEffect")),
    (0x002A, Named::Plain("BurstMode")),
    (0x002B, Named::Plain("SequenceNumber")),
    (0x002C, Named::Plain("ContrastMode")),
    (0x002D, Named::Plain("NoiseReduction")),
    (0x002E, Named::Plain("SelfTimer")),
    (0x0030, Named::Plain("Rotation")),
    (0x0031, Named::Plain("AFAssistLamp")),
    (0x0032, Named::Plain("ColorMode")),
    (0x0033, Named::Plain("BabyAge")),
    (0x0034, Named::Plain("OpticalZoomMode")),
    (0x0035, Named::Plain("ConversionLens")),
    (0x0036, Named::Plain("TravelDay")),
    (0x0038, Named::Plain("BatteryLevel")),
    (0x003A, Named::Plain("WorldTimeLocation")),
    (0x003B, Named::Plain("TextStamp")),
    (0x003C, Named::Plain("ProgramISO")),
    (0x003D, Named::Plain("AdvancedSceneType")),
    (0x003E, Named::Plain("TextStamp")),
    (0x003F, Named::Plain("FacesDetected")),
    (0x0042, Named::Plain("FilmMode")),
    (0x0043, Named::Plain("JPEGQuality")),
    (0x0044, Named::Plain("ColorTempKelvin")),
    (0x0048, Named::Plain("FlashCurtain")),
    (0x004B, Named::Plain("PanasonicImageWidth")),
    (0x004C, Named::Plain("PanasonicImageHeight")),
    (0x004D, Named::Plain("AFPointPosition")),
    (0x8000, Named::Plain("MakerNoteVersion")),
    (0x8001, Named::Plain("SceneMode")),
    (0x8002, Named::Plain("HighlightWarning")),
    (0x8003, Named::Plain("DarkFocusEnvironment")),
    (0x8004, Named::Plain("WBRedLevel")),
    (0x8005, Named::Plain("WBGreenLevel")),
    (0x8006, Named::Plain("WBBlueLevel")),
    (0x8008, Named::Plain("TextStamp")),
    (0x8009, Named::Plain("TextStamp")),
    (0x8010, Named::Plain("BabyAge")),
];

/// Signed numbers stored as SHORTs.
const SIGNED: &[(u16, &str)] = &[
    (0x0039, "Contrast"),
    (0x0040, "Saturation"),
    (0x0041, "Sharpness"),
    (0x0046, "WBShiftAB"),
    (0x0047, "WBShiftGM"),
];

/// Reads a Panasonic maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    if !note.data.starts_with(b"Panasonic\0") {
        return;
    }
    let ifd = MakerIfd::tiff_relative(note, note.le);
    let entries = ifd.entries(cx, 12);
    push_named(cx, GROUP, MAIN, &entries, special);
}

/// Tags whose `-n` value is not the stored one.
fn special(cx: &mut Ctx, e: &MakerEntry) -> bool {
    if let Some((_, name)) = SIGNED.iter().find(|(t, _)| *t == e.tag) {
        push(cx, GROUP, *name, e.signed16());
        return true;
    }
    let signed = || e.words().first().map(|w| f64::from(*w as i16));
    match e.tag {
        // Four bytes printed as a list of numbers.
        0x0002 => {
            let list: Vec<String> = e.bytes.unwrap_or_default().iter().map(u8::to_string).collect();
            push(cx, GROUP, "FirmwareVersion", Value::from(list.join(" ")));
        }
        0x0021 => push(cx, GROUP, "DataDump", e.binary()),
        // Text with NULs inside.
        0x0025 => {
            let text: String =
                e.bytes.unwrap_or_default().iter().filter(|b| **b != 0).map(|b| char::from(*b)).collect();
            push(cx, GROUP, "InternalSerialNumber", Value::from(text.trim_end()));
        }
        // Thirds of an EV.
        0x0023 | 0x0024 => {
            let name = if e.tag == 0x0023 { "WhiteBalanceBias" } else { "FlashBias" };
            if let Some(v) = signed() {
                push(cx, GROUP, name, Value::Float(v / 3.0));
            }
        }
        // Hundredths of a second.
        0x0029 => {
            if let Some(v) = e.first_f64() {
                push(cx, GROUP, "TimeSincePowerOn", Value::Float(v / 100.0));
            }
        }
        0x004E => face_positions(cx, e),
        _ => return false,
    }
    true
}

/// FaceDetInfo (0x004E): the number of faces, then four words per face.
fn face_positions(cx: &mut Ctx, e: &MakerEntry) {
    let words = e.words();
    let Some(&num) = words.first() else { return };
    push(cx, GROUP, "NumFacePositions", Value::Int(i64::from(num)));
    let count = usize::from(words.first().copied().unwrap_or(0)).min(5);
    for i in 0..count {
        let Some(face) = words.get(1 + 4 * i..5 + 4 * i) else { break };
        let text: Vec<String> = face.iter().map(u16::to_string).collect();
        push(cx, GROUP, format!("Face{}Position", i + 1), Value::from(text.join(" ")));
    }
}

#[cfg(test)]
mod sorted {
    /// Look-ups search the tables by code, so each must be sorted.
    #[test]
    fn tables_are_sorted_by_code() {
        assert!(super::MAIN.windows(2).all(|w| w[0].0 < w[1].0));
    }
}

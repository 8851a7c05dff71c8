//! Samsung maker notes, in their two layouts:
//!
//! - **Type2** (NX bodies, Galaxy phones, later compacts): a bare IFD. NX bodies count
//!   value offsets from the parent TIFF header, phones from the note's start; the place
//!   the first out-of-line value lands tells which. The colour tags after
//!   `EncryptionKey` (0xA020) are stored with eleven key words added or subtracted, each
//!   tag starting at its own key word; without the key ExifTool prints none of them.
//! - **Type1** (`STMN`, older compacts): a version, then the embedded preview's offset
//!   (from the note's start) and length as 32-bit words.

use super::Note;
use super::conv::div10;
use super::ifd::{MakerEntry, MakerIfd, Named, Table, push, push_named};
use crate::context::Ctx;
use crate::meta::exif::values::{Num, lossy, type_size, u16_at, u32_at};
use crate::model::{BinaryRef, Text, Value};

const GROUP: &str = "Samsung";

/// Type2 tags printed as stored (`-n`).
const MAIN: Table = &[
    (0x0002, Named::Plain("DeviceType")),
    (0x0003, Named::Plain("SamsungModelID")),
    (0x0020, Named::Plain("SmartAlbumColor")),
    (0x0031, Named::Plain("LocationName")),
    (0x0040, Named::Plain("RawDataByteOrder")),
    (0x0041, Named::Plain("WhiteBalanceSetup")),
    (0x0043, Named::Plain("CameraTemperature")),
    (0x0050, Named::Plain("RawDataCFAPattern")),
    (0x0100, Named::Plain("FaceDetect")),
    (0x0120, Named::Plain("FaceRecognition")),
    (0x0123, Named::Plain("FaceName")),
    (0xA001, Named::Plain("FirmwareName")),
    (0xA002, Named::Plain("SerialNumber")),
    (0xA003, Named::Plain("LensType")),
    (0xA004, Named::Plain("LensFirmware")),
    (0xA005, Named::Plain("InternalLensSerialNumber")),
    (0xA010, Named::Plain("SensorAreas")),
    (0xA011, Named::Plain("ColorSpace")),
    (0xA012, Named::Plain("SmartRange")),
    (0xA013, Named::Plain("ExposureCompensation")),
    (0xA014, Named::Plain("ISO")),
    (0xA018, Named::Plain("ExposureTime")),
    (0xA019, Named::Plain("FNumber")),
    (0xA01A, Named::Conv("FocalLengthIn35mmFormat", div10)),
    (0xA020, Named::Plain("EncryptionKey")),
    (0xA025, Named::Plain("HighlightLinearityLimit")),
];

/// How an enciphered tag is stored: its name, the key word its first value uses,
/// whether the key was added (so is subtracted here) or the reverse, and whether its
/// first value (a tone curve's point count) is in the clear.
struct Ciphered {
    tag: u16,
    name: &'static str,
    start: usize,
    added: bool,
    first_clear: bool,
}

const fn c(tag: u16, name: &'static str, start: usize, added: bool, first_clear: bool) -> Ciphered {
    Ciphered { tag, name, start, added, first_clear }
}

/// The enciphered tags ExifTool names (its unnamed and `?` ones are left out).
const CIPHERED: &[Ciphered] = &[
    c(0xA021, "WB_RGGBLevelsUncorrected", 0, true, false),
    c(0xA022, "WB_RGGBLevelsAuto", 4, true, false),
    c(0xA023, "WB_RGGBLevelsIlluminator1", 8, true, false),
    c(0xA024, "WB_RGGBLevelsIlluminator2", 1, true, false),
    c(0xA028, "WB_RGGBLevelsBlack", 0, true, false),
    c(0xA030, "ColorMatrix", 0, false, false),
    c(0xA031, "ColorMatrixSRGB", 0, false, false),
    c(0xA032, "ColorMatrixAdobeRGB", 0, false, false),
    c(0xA033, "CbCrMatrixDefault", 0, false, false),
    c(0xA034, "CbCrMatrix", 4, false, false),
    c(0xA035, "CbCrGainDefault", 0, true, false),
    c(0xA036, "CbCrGain", 2, true, false),
    c(0xA040, "ToneCurveSRGBDefault", 0, false, true),
    c(0xA041, "ToneCurveAdobeRGBDefault", 0, false, true),
    c(0xA042, "ToneCurveSRGB", 0, false, true),
    c(0xA043, "ToneCurveAdobeRGB", 0, false, true),
];

/// Most values an enciphered tag may hold (the longest documented has 23).
const MAX_CIPHERED: usize = 64;

/// Reads a Samsung maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    if note.data.starts_with(b"STMN") {
        type1(cx, note);
    } else {
        type2(cx, note);
    }
}

/// The `STMN` note: version, preview offset and length.
fn type1(cx: &mut Ctx, note: &Note) {
    let d = note.data;
    let Some(version) = d.get(..8) else { return };
    let end = version.iter().position(|b| *b == 0).unwrap_or(version.len());
    push(cx, GROUP, "MakerNoteVersion", Value::Text(lossy(version.get(..end).unwrap_or_default())));
    let (Some(_), Some(_)) = (d.get(8..12), d.get(12..16)) else { return };
    let (start, len) = (u32_at(d, 8, note.le), u32_at(d, 12, note.le));
    push(cx, GROUP, "PreviewImageStart", Value::Int(i64::from(start)));
    push(cx, GROUP, "PreviewImageLength", Value::Int(i64::from(len)));
    let inside = usize::try_from(start)
        .ok()
        .zip(usize::try_from(len).ok())
        .and_then(|(s, l)| s.checked_add(l))
        .is_some_and(|end| end <= d.len());
    if len > 0 && inside {
        let at = note.at.saturating_add(u64::from(start));
        push(cx, GROUP, "PreviewImage", Value::Binary(BinaryRef { offset: at, length: u64::from(len) }));
    }
}

/// The Type2 IFD.
fn type2(cx: &mut Ctx, note: &Note) {
    let ifd = type2_ifd(note);
    let entries = ifd.entries(cx, 0);
    // Every Type2 note opens with its version; anything else is not one.
    if entries.first().is_none_or(|e| e.tag != 0x0001) {
        return;
    }
    let key: Option<Vec<u32>> = entries
        .iter()
        .find(|e| e.tag == 0xA020 && matches!(e.typ, 4 | 9) && e.count == 11)
        .and_then(|e| e.bytes)
        .map(|b| (0..11).map(|i| u32_at(b, 4 * i, note.le)).collect());
    push_named(cx, GROUP, MAIN, &entries, |cx, e| special(cx, e, key.as_deref()));
}

/// Which offset origin the note uses: the one that puts the first out-of-line value
/// right after the IFD (where cameras write it), else the parent TIFF header's unless
/// only the note's own start puts that value inside the note.
fn type2_ifd<'n>(note: &Note<'n>) -> MakerIfd<'n> {
    let tiff = MakerIfd::tiff_relative(note, note.le);
    let own = MakerIfd::note_relative(note, note.le, 0);
    let d = note.data;
    let Some(head) = d.get(..2) else { return tiff };
    let n = usize::from(u16_at(head, 0, note.le)).min(1024);
    let ifd_end = (2 + 12 * n + 4) as u64;
    let first_offset = (0..n)
        .filter_map(|i| {
            let raw = d.get(2 + 12 * i..14 + 12 * i)?;
            let size = type_size(u16_at(raw, 2, note.le))?.checked_mul(u64::from(u32_at(raw, 4, note.le)))?;
            (size > 4).then(|| u64::from(u32_at(raw, 8, note.le)))
        })
        .min();
    match first_offset {
        Some(o) if o == ifd_end => own,
        // Else the origin that at least puts it inside the note.
        Some(o) if tiff.pos_of_offset(o).is_none() && own.pos_of_offset(o).is_some() => own,
        _ => tiff,
    }
}

/// The tags that need more than a table entry; true when `e` was handled.
fn special(cx: &mut Ctx, e: &MakerEntry, key: Option<&[u32]>) -> bool {
    let bytes = e.bytes.unwrap_or_default();
    match e.tag {
        0x0001 => {
            let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
            push(cx, GROUP, "MakerNoteVersion", Value::Text(lossy(bytes.get(..end).unwrap_or_default())));
        }
        0x0011 => orientation(cx, e),
        0x0021 => picture_wizard(cx, e),
        0x0030 => {
            if let Some(t) = location_lines(bytes) {
                push(cx, GROUP, "LocalLocationName", Value::Text(t));
            }
        }
        tag if (0xA021..=0xA0FF).contains(&tag) && tag != 0xA025 => {
            if let (Some(c), Some(key)) = (CIPHERED.iter().find(|c| c.tag == tag), key) {
                if let Some(v) = decipher(e, c, key) {
                    push(cx, GROUP, c.name, v);
                }
            }
        }
        _ => return false,
    }
    true
}

/// OrientationInfo (Gear 360): yaw (unnamed by ExifTool, so left out), pitch and roll as
/// signed rationals.
fn orientation(cx: &mut Ctx, e: &MakerEntry) {
    if e.typ != 10 {
        return;
    }
    let Some(f) = e.field() else { return };
    for (i, name) in [(1, "PitchAngle"), (2, "RollAngle")] {
        if let Some(n) = f.num(i) {
            push(cx, GROUP, name, n.value());
        }
    }
}

/// PictureWizard: mode, colour, then saturation, sharpness and contrast stored 4 above
/// their value.
fn picture_wizard(cx: &mut Ctx, e: &MakerEntry) {
    if e.typ != 3 {
        return;
    }
    let w = e.words();
    let names = ["PictureWizardMode", "PictureWizardColor", "PictureWizardSaturation"];
    let more = ["PictureWizardSharpness", "PictureWizardContrast"];
    for (i, name) in names.iter().chain(more.iter()).enumerate() {
        let Some(v) = w.get(i) else { break };
        let v = if i < 2 { i64::from(*v) } else { i64::from(*v) - 4 };
        push(cx, GROUP, *name, Value::Int(v));
    }
}

/// LocalLocationName: lines separated by NULs, ended by two.
fn location_lines(bytes: &[u8]) -> Option<Text> {
    let end = bytes.windows(2).position(|w| w == [0, 0]).unwrap_or(bytes.len());
    let text: Vec<u8> = bytes.get(..end)?.iter().map(|b| if *b == 0 { b'\n' } else { *b }).collect();
    Some(lossy(&text))
}

/// An enciphered tag's values with the key words taken off, in the stored type's width.
fn decipher(e: &MakerEntry, c: &Ciphered, key: &[u32]) -> Option<Value> {
    let f = e.field()?;
    let n = usize::try_from(e.count).ok()?.min(MAX_CIPHERED);
    let mut out = Vec::new();
    for i in 0..n {
        let Num::Int(raw) = f.num(i as u64)? else { return None };
        let k = if c.first_clear && i == 0 {
            0
        } else {
            let idx = if c.first_clear { i - 1 } else { i };
            i64::from(*key.get((c.start + idx) % key.len())?)
        };
        let v = if c.added { raw - k } else { raw + k };
        // Wrapped to the stored type, as the camera's arithmetic is.
        let v = match e.typ {
            3 => i64::from(v as u16),
            8 => i64::from(v as i16),
            4 => i64::from(v as u32),
            9 => i64::from(v as i32),
            _ => return None,
        };
        out.push(v.to_string());
    }
    Some(match out.as_slice() {
        [one] => Value::Int(one.parse().ok()?),
        _ => Value::from(out.join(" ")),
    })
}

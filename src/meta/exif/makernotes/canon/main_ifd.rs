//! The Canon note's IFD: plain tags by code, and the binary blocks each tag holds.

use super::{Out, af, blocks, camera_info, color, custom, settings};
use crate::context::Ctx;
use crate::meta::exif::makernotes::Note;
use crate::meta::exif::makernotes::ifd::{MakerEntry, MakerIfd, Named, Table, lookup};
use crate::model::{Text, Value};

/// The main IFD's plain tags, sorted by code.
const MAIN: Table = &[
    (0x0006, Named::Plain("CanonImageType")),
    (0x0007, Named::Plain("CanonFirmwareVersion")),
    (0x0008, Named::Plain("FileNumber")),
    (0x0009, Named::Plain("OwnerName")),
    (0x000C, Named::Plain("SerialNumber")),
    (0x000E, Named::Plain("CanonFileLength")),
    (0x0010, Named::Plain("CanonModelID")),
    (0x0013, Named::Plain("ThumbnailImageValidArea")),
    (0x0015, Named::Plain("SerialNumberFormat")),
    (0x0083, Named::Plain("OriginalDecisionDataOffset")),
    (0x0095, Named::Plain("LensModel")),
    (0x0096, Named::Plain("InternalSerialNumber")),
    (0x0097, Named::Binary("DustRemovalData")),
    (0x00AE, Named::Plain("ColorTemperature")),
    (0x00B4, Named::Plain("ColorSpace")),
    (0x00D0, Named::Plain("VRDOffset")),
    (0x4008, Named::Plain("PictureStyleUserDef")),
    (0x4009, Named::Plain("PictureStylePC")),
    (0x4010, Named::Plain("CustomPictureStyleFileName")),
];

/// Reads the IFD at the note's start and every block it names.
pub(super) fn read(cx: &mut Ctx, note: &Note, out: &mut Out) {
    let ifd = MakerIfd::tiff_relative(note, note.le);
    let entries = ifd.entries(cx, 0);
    for e in &entries {
        if let Some(named) = lookup(MAIN, e.tag) {
            if let Some((name, v)) = named.value_of(e) {
                out.set(name, v);
            }
            continue;
        }
        let Some(d) = e.bytes else { continue };
        block(out, e, d, note.model);
    }
}

/// Reads the block of one entry, when its tag names one.
fn block(out: &mut Out, e: &MakerEntry, d: &[u8], model: &str) {
    let le = e.le;
    match e.tag {
        0x0001 => out.block(&settings::CAMERA_SETTINGS, d, le),
        0x0002 => out.block(&settings::FOCAL_LENGTH, d, le),
        0x0004 => settings::shot_info(out, d, le, model),
        0x000D => camera_info::read(out, d, le, model),
        0x000F => custom::functions_350d(out, d, le, model),
        0x0012 => af::af_info(out, d, le),
        0x0026 => af::af_info2(out, d, le),
        0x0028 => image_unique_id(out, d),
        0x0035 => out.block(&blocks::TIME_INFO, d, le),
        0x0038 => battery_type(out, d),
        0x0093 => settings::file_info(out, d, le, model),
        0x0098 => out.block(&blocks::CROP_INFO, d, le),
        0x009A => out.block(&blocks::ASPECT_INFO, d, le),
        0x0099 => custom::functions2(out, d, le, model),
        0x00A0 => out.block(&blocks::PROCESSING_INFO, d, le),
        0x00A9 => out.block(&color::COLOR_BALANCE, d, le),
        0x00AA => out.block(&blocks::MEASURED_COLOR, d, le),
        0x00E0 => out.block(&blocks::SENSOR_INFO, d, le),
        0x4001 => color::color_data(out, d, le),
        0x4003 => out.block(&blocks::COLOR_INFO, d, le),
        0x4013 => out.block(&blocks::AF_MICRO_ADJ, d, le),
        0x4015 => out.block(&blocks::VIGNETTING_CORR, d, le),
        0x4016 => out.block(&blocks::VIGNETTING_CORR2, d, le),
        0x4018 => out.block(&blocks::LIGHTING_OPT, d, le),
        0x4020 => out.block(&blocks::AMBIENCE, d, le),
        0x4024 => blocks::filter_info(out, d, le),
        0x4025 => out.block(&blocks::HDR_INFO, d, le),
        _ => {}
    }
}

/// ImageUniqueID: 16 bytes shown in hex; all zeros means none.
fn image_unique_id(out: &mut Out, d: &[u8]) {
    if d.iter().all(|b| *b == 0) {
        return;
    }
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    out.set("ImageUniqueID", Value::Text(Text::from(hex)));
}

/// BatteryType: a 32-bit length, then the name (NUL-padded).
fn battery_type(out: &mut Out, d: &[u8]) {
    let Some(name) = d.get(4..) else { return };
    let end = name.iter().position(|b| *b == 0).unwrap_or(name.len());
    let Some(text) = name.get(..end) else { return };
    out.set("BatteryType", Value::Text(Text::from(String::from_utf8_lossy(text).trim())));
}

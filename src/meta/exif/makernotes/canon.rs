//! Canon maker notes: a bare IFD (no header) whose value offsets count from the parent
//! TIFF header, holding text tags and SHORT arrays that are binary blocks of named fields
//! (CameraSettings, ShotInfo, ...). Fields are indexed in 16-bit words, as Canon's
//! layouts are described.

use super::Note;
use super::binary::{Block, Fmt, emit, f};
use super::ifd::{MakerIfd, Named, Table, push_named};
use crate::context::Ctx;

/// Family-1 group of every Canon tag.
const GROUP: &str = "Canon";

/// The main IFD's plain tags.
const MAIN: Table = &[
    (0x0006, Named::Plain("CanonImageType")),
    (0x0007, Named::Plain("CanonFirmwareVersion")),
    (0x0008, Named::Plain("FileNumber")),
    (0x0009, Named::Plain("OwnerName")),
    (0x000C, Named::Plain("SerialNumber")),
    (0x0010, Named::Plain("CanonModelID")),
];

/// CameraSettings (tag 0x0001).
const CAMERA_SETTINGS: Block = Block {
    unit: 2,
    fields: &[
        f(1, "MacroMode", Fmt::I16),
        f(2, "SelfTimer", Fmt::I16),
        f(3, "Quality", Fmt::I16),
        f(4, "CanonFlashMode", Fmt::I16),
        f(5, "ContinuousDrive", Fmt::I16),
        f(7, "FocusMode", Fmt::I16),
        f(9, "RecordMode", Fmt::I16),
        f(10, "CanonImageSize", Fmt::I16),
        f(11, "EasyMode", Fmt::I16),
        f(12, "DigitalZoom", Fmt::I16),
        f(13, "Contrast", Fmt::I16),
        f(14, "Saturation", Fmt::I16),
        f(15, "Sharpness", Fmt::I16),
    ],
};

/// Reads a Canon maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let ifd = MakerIfd::tiff_relative(note, note.le);
    let entries = ifd.entries(cx, 0);
    push_named(cx, GROUP, MAIN, &entries, |cx, e| match e.tag {
        0x0001 => {
            if let Some(d) = e.bytes {
                emit(cx, GROUP, &CAMERA_SETTINGS, d, e.le);
            }
            true
        }
        _ => false,
    });
}

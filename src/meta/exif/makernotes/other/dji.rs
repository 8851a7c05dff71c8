//! DJI maker notes (Phantom and Mavic drones, `Make` `DJI`): a bare IFD of the aircraft's
//! speeds and attitude and the gimbal's angles, as 32-bit floats.

use super::super::Note;
use super::super::ifd::{MakerIfd, Named, Table, push_named};
use crate::context::Ctx;

const GROUP: &str = "DJI";

const MAIN: Table = &[
    (0x0001, Named::Plain("Make")),
    (0x0003, Named::Plain("SpeedX")),
    (0x0004, Named::Plain("SpeedY")),
    (0x0005, Named::Plain("SpeedZ")),
    (0x0006, Named::Plain("Pitch")),
    (0x0007, Named::Plain("Yaw")),
    (0x0008, Named::Plain("Roll")),
    (0x0009, Named::Plain("CameraPitch")),
    (0x000A, Named::Plain("CameraYaw")),
    (0x000B, Named::Plain("CameraRoll")),
];

/// Reads a DJI maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let ifd = MakerIfd::tiff_relative(note, note.le);
    let entries = ifd.entries(cx, 0);
    push_named(cx, GROUP, MAIN, &entries, |_, _| false);
}

//! Sanyo maker notes: `SANYO\0` and a version, then an IFD whose offsets count from the
//! parent TIFF header.

use super::Note;
use super::ifd::{MakerIfd, Named, Table, push_named};
use crate::context::Ctx;

const GROUP: &str = "Sanyo";

const MAIN: Table = &[
    (0x00FF, Named::Plain("MakerNoteOffset")),
    (0x0200, Named::Plain("SpecialMode")),
    (0x0201, Named::Plain("SanyoQuality")),
    (0x0202, Named::Plain("Macro")),
    (0x0204, Named::Plain("DigitalZoom")),
    (0x0207, Named::Plain("SoftwareVersion")),
    (0x0208, Named::Plain("PictInfo")),
    (0x0209, Named::Plain("CameraID")),
    (0x020E, Named::Plain("SequentialShot")),
    (0x020F, Named::Plain("WideRange")),
    (0x0210, Named::Plain("ColorAdjustmentMode")),
    (0x0213, Named::Plain("QuickShot")),
    (0x0214, Named::Plain("SelfTimer")),
    (0x0216, Named::Plain("VoiceMemo")),
    (0x0217, Named::Plain("RecordShutterRelease")),
    (0x0218, Named::Plain("FlickerReduce")),
    (0x0219, Named::Plain("OpticalZoomOn")),
    (0x021B, Named::Plain("DigitalZoomOn")),
    (0x021D, Named::Plain("LightSourceSpecial")),
    (0x021E, Named::Plain("Resaved")),
    (0x021F, Named::Plain("SceneSelect")),
    (0x0223, Named::Plain("ManualFocusDistance")),
    (0x0224, Named::Plain("SequenceShotInterval")),
    (0x0225, Named::Plain("FlashMode")),
];

/// Reads a Sanyo maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let ifd = MakerIfd::tiff_relative(note, note.le);
    let entries = ifd.entries(cx, 8);
    push_named(cx, GROUP, MAIN, &entries, |_, _| false);
}

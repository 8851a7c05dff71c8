//! Kodak maker notes of the `KDK` kind: a fixed binary layout after an eight-byte header,
//! in the byte order that makes the year read as one.

use super::Note;
use super::binary::{Block, Fmt, emit, f, fc, read_at};
use super::conv::{div100, div1000, div100000};
use super::ifd::push;
use crate::context::Ctx;
use crate::model::{Text, Value};

const GROUP: &str = "Kodak";

const LAYOUT: Block = Block {
    unit: 1,
    fields: &[
        f(0x00, "KodakModel", Fmt::Ascii(8)),
        f(0x09, "Quality", Fmt::U8),
        f(0x0A, "BurstMode", Fmt::U8),
        f(0x0C, "KodakImageWidth", Fmt::U16),
        f(0x0E, "KodakImageHeight", Fmt::U16),
        f(0x10, "YearCreated", Fmt::U16),
        f(0x1B, "ShutterMode", Fmt::U8),
        f(0x1C, "MeteringMode", Fmt::U8),
        f(0x1D, "SequenceNumber", Fmt::U8),
        fc(0x1E, "FNumber", Fmt::U16, div100),
        fc(0x20, "ExposureTime", Fmt::U32, div100000),
        fc(0x24, "ExposureCompensation", Fmt::I16, div1000),
        f(0x38, "FocusMode", Fmt::U8),
        f(0x40, "WhiteBalance", Fmt::U8),
        f(0x5C, "FlashMode", Fmt::U8),
        f(0x5D, "FlashFired", Fmt::U8),
        f(0x5E, "ISOSetting", Fmt::U16),
        f(0x60, "ISO", Fmt::U16),
        fc(0x62, "TotalZoom", Fmt::U16, div100),
        f(0x64, "DateTimeStamp", Fmt::U16),
        f(0x66, "ColorMode", Fmt::U16),
        fc(0x68, "DigitalZoom", Fmt::U16, div100),
        f(0x6B, "Sharpness", Fmt::I8),
    ],
};

/// Reads a Kodak maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    if !note.data.starts_with(b"KDK") {
        return;
    }
    let Some(d) = note.data.get(8..) else { return };
    // The year decides the byte order: the header does not say it.
    let year = |le| read_at(d, 0x10, Fmt::U16, le).and_then(|v| v.as_i64());
    let le = !year(false).is_some_and(|y| (1980..2100).contains(&y));
    if !year(le).is_some_and(|y| (1980..2100).contains(&y)) {
        return;
    }
    emit(cx, GROUP, &LAYOUT, d, le);
    if let (Some(&m), Some(&day)) = (d.get(0x12), d.get(0x13)) {
        push(cx, GROUP, "MonthDayCreated", Value::Text(Text::from(format!("{m:02}:{day:02}"))));
    }
    if let Some(t) = d.get(0x14..0x18) {
        let s = format!("{:02}:{:02}:{:02}.{:02}", t[0], t[1], t[2], t[3]);
        push(cx, GROUP, "TimeCreated", Value::Text(Text::from(s)));
    }
}

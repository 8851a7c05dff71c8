//! JVC maker notes: `JVC ` then an IFD (offsets from the parent TIFF header), or a text
//! note of `KEY:VALUE` pairs (`VER:0100QTY:FINE`).

use super::super::Note;
use super::super::ifd::{MakerIfd, Named, Table, push, push_named};
use crate::context::Ctx;
use crate::model::{Text, Value};

const GROUP: &str = "JVC";

const MAIN: Table = &[(0x0003, Named::Plain("Quality"))];

/// Reads a JVC maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    if note.data.starts_with(b"VER:") {
        text(cx, note.data);
        return;
    }
    let ifd = MakerIfd::tiff_relative(note, note.le);
    let entries = ifd.entries(cx, 4);
    push_named(cx, GROUP, MAIN, &entries, |cx, e| {
        if e.tag != 0x0002 {
            return false;
        }
        // NUL-separated version strings, printed joined with commas.
        let d = e.bytes.unwrap_or_default();
        let parts: Vec<String> = d
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect();
        push(cx, GROUP, "CPUVersions", Value::Text(Text::from(parts.join(", "))));
        true
    });
}

/// The text note: `KEY:` labels of three letters, each value running to the next label
/// or a NUL.
fn text(cx: &mut Ctx, d: &[u8]) {
    let s = String::from_utf8_lossy(d);
    for (key, name) in [("VER:", "MakerNoteVersion"), ("QTY:", "Quality")] {
        let Some(i) = s.find(key) else { continue };
        let rest = &s[i + key.len()..];
        let next_label = rest.find(':').map_or(rest.len(), |j| j.saturating_sub(3));
        let end = rest.find('\0').map_or(next_label, |z| z.min(next_label));
        let v = rest.get(..end).unwrap_or_default();
        if !v.is_empty() {
            push(cx, GROUP, name, Value::Text(Text::from(v)));
        }
    }
}

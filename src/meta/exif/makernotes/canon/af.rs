//! AFInfo (tag 0x0012; CIFF record 0x1038) and AFInfo2 (tag 0x0026): a few fixed words,
//! then arrays whose lengths follow the number of AF points.

use super::Out;
use crate::base::bytes::Endian;
use crate::base::number::push_i64;
use crate::base::short_text::{Out as _, ShortText};
use crate::model::Value;

/// Most AF points read (current bodies have a few hundred).
const MAX_POINTS: usize = 1024;

/// 16-bit words of a block.
struct Words<'d> {
    data: &'d [u8],
    order: Endian,
}

impl Words<'_> {
    fn u(&self, i: usize) -> Option<i64> {
        Some(i64::from(self.order.u16(self.data, i.checked_mul(2)?)?))
    }

    fn s(&self, i: usize) -> Option<i64> {
        Some(i64::from(self.order.u16(self.data, i.checked_mul(2)?)? as i16))
    }

    /// `n` signed words from `start`, joined with spaces (absent when cut short).
    fn list(&self, start: usize, n: usize) -> Option<Value> {
        let mut s = ShortText::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            push_i64(self.s(start.checked_add(i)?)?, &mut s);
        }
        Some(Value::Text(s.finish()))
    }
}

/// Sets `name` from word `i` when the block holds it.
fn set(out: &mut Out, name: &'static str, v: Option<i64>) {
    if let Some(v) = v {
        out.set(name, Value::Int(v));
    }
}

/// Sets `name` to a list when the block holds it.
fn set_list(out: &mut Out, name: &'static str, v: Option<Value>) {
    if let Some(v) = v {
        out.set(name, v);
    }
}

/// The image and AF-frame sizes both layouts share, from word `at`.
fn sizes(out: &mut Out, w: &Words, at: usize) {
    set(out, "CanonImageWidth", w.u(at));
    set(out, "CanonImageHeight", w.u(at + 1));
    set(out, "AFImageWidth", w.u(at + 2));
    set(out, "AFImageHeight", w.u(at + 3));
}

/// Reads AFInfo: point count, sizes, one area size, then X and Y positions and the
/// in-focus bit mask.
pub(super) fn af_info(out: &mut Out, data: &[u8], le: bool) {
    let w = Words { data, order: Endian::little_if(le) };
    let Some(n) = w.u(0) else { return };
    let n = usize::try_from(n).unwrap_or(0).min(MAX_POINTS);
    set(out, "NumAFPoints", w.u(0));
    set(out, "ValidAFPoints", w.u(1));
    sizes(out, &w, 2);
    set(out, "AFAreaWidth", w.u(6));
    set(out, "AFAreaHeight", w.u(7));
    set_list(out, "AFAreaXPositions", w.list(8, n));
    set_list(out, "AFAreaYPositions", w.list(8 + n, n));
    set_list(out, "AFPointsInFocus", w.list(8 + 2 * n, n.div_ceil(16)));
}

/// Reads AFInfo2: its size, the AF area mode, point count, sizes, then per-point widths,
/// heights, X and Y positions, and the in-focus and selected bit masks.
pub(super) fn af_info2(out: &mut Out, data: &[u8], le: bool) {
    let w = Words { data, order: Endian::little_if(le) };
    let Some(n) = w.u(2) else { return };
    let n = usize::try_from(n).unwrap_or(0).min(MAX_POINTS);
    set(out, "AFAreaMode", w.u(1));
    set(out, "NumAFPoints", w.u(2));
    set(out, "ValidAFPoints", w.u(3));
    sizes(out, &w, 4);
    set_list(out, "AFAreaWidths", w.list(8, n));
    set_list(out, "AFAreaHeights", w.list(8 + n, n));
    set_list(out, "AFAreaXPositions", w.list(8 + 2 * n, n));
    set_list(out, "AFAreaYPositions", w.list(8 + 3 * n, n));
    let masks = n.div_ceil(16);
    set_list(out, "AFPointsInFocus", w.list(8 + 4 * n, masks));
    set_list(out, "AFPointsSelected", w.list(8 + 4 * n + masks, masks));
}

//! Metadata appended after a JPEG's image data, recognised by a signature in the file's
//! last bytes (one bounded read at the end; nothing else is scanned):
//! - Photo Mechanic: IIM datasets, u32 size, `cbipcbbl`;
//! - FotoStation: records each ending with u32 type, u32 size (whole record), `A1B2C3D4`
//!   (type 1 IIM, type 2 the "SoftEdit" crop/rotation block);
//! - AXS AFCP: a directory (`AXS!`/`AXS*`, version, count, entries of id, size, offset)
//!   located by the u32 that follows the closing `AXS!`/`AXS*` signature.
//!
//! Trailers may be stacked; each one's start is where the previous one is looked for.

use crate::base::bytes::{Endian, be_i32, be32};
use crate::context::Ctx;
use crate::meta;
use crate::model::{Tag, Value};

/// Most stacked trailers followed.
const MAX_TRAILERS: usize = 8;
/// Largest trailer block read.
const MAX_BLOCK: u64 = 16 << 20;

/// Reads the trailers at the end of the file, if its last bytes carry a known signature.
pub(super) fn parse(cx: &mut Ctx) {
    let mut end = cx.len();
    for _ in 0..MAX_TRAILERS {
        if end < 12 {
            return;
        }
        let Ok(tail) = cx.read_array::<12>(end - 12) else { return };
        let u32_at = |i: usize| be32(&tail, i).unwrap_or_default();
        let next = if tail.get(4..) == Some(&b"cbipcbbl"[..]) {
            block(cx, end, u64::from(u32_at(0)), 12).map(|(at, data)| {
                meta::iptc::parse_photomechanic(cx, &data);
                at
            })
        } else if tail.get(8..) == Some(&[0xA1, 0xB2, 0xC3, 0xD4][..]) {
            let kind = u32_at(0);
            let size = u64::from(u32_at(4));
            block(cx, end, size.saturating_sub(12), 12).map(|(at, data)| {
                fotostation(cx, kind, &data, at);
                at
            })
        } else if tail.starts_with(b"AXS") && matches!(tail[3], b'!' | b'*') {
            // `AXS*` says little-endian, `AXS!` big-endian.
            let order = Endian::little_if(tail[3] == b'*');
            let start = order.u32(&tail, 4).unwrap_or_default();
            afcp(cx, u64::from(start), end, order)
        } else {
            None
        };
        match next {
            Some(at) if at < end => end = at,
            _ => return,
        }
    }
}

/// The `size` bytes that end `footer` bytes before `end`: (start offset, data).
fn block(cx: &mut Ctx, end: u64, size: u64, footer: u64) -> Option<(u64, Vec<u8>)> {
    let stop = end - footer;
    if size > stop || size > MAX_BLOCK {
        cx.warn(stop, "jpeg: trailer block larger than the file");
        return None;
    }
    let at = stop - size;
    match cx.read(at, size) {
        Ok(d) => Some((at, d)),
        Err(e) => {
            cx.warn_error(&e);
            None
        }
    }
}

/// One FotoStation record (without its 12-byte footer) at file offset `at`.
fn fotostation(cx: &mut Ctx, kind: u32, d: &[u8], at: u64) {
    match kind {
        1 => {
            if let Err(e) = meta::iptc::parse_iim(cx, d, at) {
                cx.warn_error(&e);
            }
        }
        2 => {
            let i = |k: usize| be_i32(d, 4 * k);
            let thousandths = |v: i32| Value::Float(f64::from(v) / 1000.0);
            let mut add = |name: &'static str, v: Value| {
                cx.push(Tag::new("FotoStation", name, v).in_subgroup("FotoStation"));
            };
            let (Some(w), Some(h), Some(planes), Some(res), Some(rot)) = (i(0), i(1), i(2), i(3), i(4))
            else {
                cx.warn(at, "jpeg: short FotoStation SoftEdit record");
                return;
            };
            add("OriginalImageWidth", Value::Int(w.into()));
            add("OriginalImageHeight", Value::Int(h.into()));
            add("ColorPlanes", Value::Int(planes.into()));
            add("XYResolution", thousandths(res));
            // Hundredths of a degree, counter-clockwise; shown clockwise.
            let cw = (36000 - i64::from(rot)).rem_euclid(36000);
            add(
                "Rotation",
                if cw % 100 == 0 { Value::Int(cw / 100) } else { Value::Float(cw as f64 / 100.0) },
            );
            for (k, name) in
                [(6, "CropLeft"), (7, "CropTop"), (8, "CropRight"), (9, "CropBottom"), (10, "CropRotation")]
            {
                if let Some(v) = i(k) {
                    add(name, if v % 1000 == 0 { Value::Int((v / 1000).into()) } else { thousandths(v) });
                }
            }
        }
        _ => {}
    }
}

/// An AFCP directory at `start` (its trailer ends at `end`); returns where it starts.
fn afcp(cx: &mut Ctx, start: u64, end: u64, order: Endian) -> Option<u64> {
    if start >= end || end - start > MAX_BLOCK {
        cx.warn(end, "jpeg: AFCP trailer start out of range");
        return None;
    }
    let head = cx.read(start, (end - start).min(12 + 12 * 64)).ok()?;
    if !head.starts_with(b"AXS") {
        cx.warn(start, "jpeg: AFCP directory signature missing");
        return None;
    }
    let u16_at = |i: usize| order.u16(&head, i);
    let u32_at = |i: usize| order.u32(&head, i);
    let count = usize::from(u16_at(6).unwrap_or(0)).min(64);
    for k in 0..count {
        let e = 12 + 12 * k;
        let (Some(id), Some(size), Some(off)) = (head.get(e..e + 4), u32_at(e + 4), u32_at(e + 8)) else {
            cx.warn(start, "jpeg: AFCP directory truncated");
            break;
        };
        if id != b"IPTC" {
            continue;
        }
        let (off, size) = (u64::from(off), u64::from(size));
        if off < start || off.saturating_add(size) > end {
            cx.warn(start, "jpeg: AFCP IPTC entry out of range");
            continue;
        }
        match cx.read(off, size) {
            Ok(d) => {
                if let Err(e) = meta::iptc::parse_iim(cx, &d, off) {
                    cx.warn_error(&e);
                }
            }
            Err(e) => cx.warn_error(&e),
        }
    }
    Some(start)
}

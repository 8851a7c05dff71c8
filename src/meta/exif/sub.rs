//! What an IFD points to beyond its own tags: sub-IFDs (ExifIFD, GPS, InteropIFD,
//! SubIFDs) and the payloads some tags hold (XMP, IPTC, Photoshop, ICC), handed to
//! [`nested`].

use super::values::{Field, Num};
use super::{Ifd, Kind, Walker};
use crate::context::Ctx;
use crate::meta::nested::{self, Payload};

impl<'d> Walker<'d> {
    /// Reads the IFDs a pointer tag lists (integer offsets only; SubIFDs are numbered
    /// among those).
    pub(super) fn sub_ifds(&mut self, cx: &mut Ctx, sub: Kind, f: Field, depth: u32) {
        let offsets = (0..f.count).filter_map(|i| match f.num(i) {
            Some(Num::Int(o)) => u64::try_from(o).ok(),
            _ => None,
        });
        for (k, o) in offsets.enumerate() {
            if o == 0 {
                continue;
            }
            let kind = if sub == Kind::Sub(0) { Kind::Sub(k.min(255) as u8) } else { sub };
            if let Err(e) = self.ifd(cx, kind, o, depth + 1) {
                cx.warn_error(&e);
            }
        }
    }

    /// Parses an XMP, IPTC, Photoshop or ICC payload held in a tag.
    pub(super) fn payload(&mut self, cx: &mut Ctx, ifd: &Ifd, tag: u16, voff: u64, size: u64) {
        if size > cx.opts.limits.max_alloc as u64 {
            cx.warn(ifd.at, format!("EXIF: payload of tag 0x{tag:04x} too large"));
            return;
        }
        let data = match self.get(cx, voff, size) {
            Ok(d) => d,
            Err(e) => {
                cx.warn_error(&e);
                return;
            }
        };
        let payload = match tag {
            0x02BC => Payload::Xmp,
            0x83BB => Payload::Iptc,
            0x8649 => Payload::Photoshop,
            _ => Payload::Icc,
        };
        if let Err(e) = nested::parse(cx, payload, &data, self.base + voff) {
            cx.warn_error(&e);
        }
    }
}

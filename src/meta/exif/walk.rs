//! The IFD walk: the chain IFD0, IFD1..., each IFD's entries read once (with a pre-scan
//! of the few that decide names and priorities), loops and over-long chains cut short.

use super::values::{u16_at, u32_at, u64_at};
use super::{
    Entry, Flavor, Found, Header, Ifd, ImageRef, Kind, MAX_CHAIN, MAX_ENTRIES, MAX_IFDS, Src, Walker, tags,
};
use crate::base::bytes::Endian;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{BinaryRef, IntoName, Tag, Value};
use std::borrow::Cow;

impl Entry {
    /// Decodes a 12-byte (TIFF) or 20-byte (BigTIFF) entry.
    #[inline]
    fn parse(raw: &[u8], le: bool) -> Option<Entry> {
        if let Ok(raw) = <&[u8; 12]>::try_from(raw) {
            return Some(Entry::tiff(raw, le));
        }
        if raw.len() != 20 {
            return None;
        }
        let tag = u16_at(raw, 0, le);
        let typ = u16_at(raw, 2, le);
        let (count, pointer) = (u64_at(raw, 4, le), u64_at(raw, 12, le));
        let small = if typ == 3 { u64::from(u16_at(raw, 12, le)) } else { u64::from(u32_at(raw, 12, le)) };
        Some(Entry { tag, typ, count, pointer, small })
    }

    /// Decodes a 12-byte (TIFF) entry: its fields at fixed places of one array.
    #[inline(always)]
    fn tiff(raw: &[u8; 12], le: bool) -> Entry {
        let order = Endian::little_if(le);
        let [t0, t1, y0, y1, c0, c1, c2, c3, v0, v1, v2, v3] = *raw;
        let typ = order.u16_from([y0, y1]);
        let pointer = order.u32_from([v0, v1, v2, v3]);
        Entry {
            tag: order.u16_from([t0, t1]),
            typ,
            count: u64::from(order.u32_from([c0, c1, c2, c3])),
            pointer: u64::from(pointer),
            small: if typ == 3 { u64::from(order.u16_from([v0, v1])) } else { u64::from(pointer) },
        }
    }
}

impl<'d> Walker<'d> {
    pub(super) fn new(src: Src<'d>, base: u64, len: u64, h: Header, flavor: Flavor) -> Self {
        Walker {
            src,
            base,
            len,
            le: h.le,
            big: h.big,
            first: h.first,
            flavor,
            seen: [0; MAX_IFDS],
            seen_len: 0,
            found: Found::default(),
            fast: true,
        }
    }

    /// `len` bytes at `off` (relative to the TIFF header).
    pub(super) fn get(&self, cx: &mut Ctx, off: u64, len: u64) -> Result<Cow<'d, [u8]>> {
        let end = off.checked_add(len).filter(|e| *e <= self.len);
        let Some(end) = end else {
            return Err(Error::malformed(self.base.saturating_add(off), "EXIF: offset out of range"));
        };
        match self.src {
            Src::Mem(d) => {
                let s =
                    usize::try_from(off).ok().zip(usize::try_from(end).ok()).and_then(|(a, b)| d.get(a..b));
                s.map(Cow::Borrowed).ok_or_else(|| Error::malformed(self.base, "EXIF: offset out of range"))
            }
            Src::File => cx.read(self.base.saturating_add(off), len).map(Cow::Owned),
        }
    }

    pub(super) fn run(&mut self, cx: &mut Ctx) -> Result<()> {
        cx.add("File", "ExifByteOrder", if self.le { "II" } else { "MM" });
        let mut off = self.first;
        let mut n = 0u8;
        while off != 0 {
            if n >= MAX_CHAIN {
                cx.warn(self.base.saturating_add(off), "EXIF: IFD chain too long; rest ignored");
                break;
            }
            match self.ifd(cx, Kind::Ifd(n), off, 0) {
                Ok(next) => off = next,
                Err(e) if n == 0 => return Err(e),
                Err(e) => {
                    cx.warn_error(&e);
                    break;
                }
            }
            n += 1;
        }
        Ok(())
    }

    /// Reads one IFD and its sub-IFDs; returns the offset of the next IFD in the chain.
    pub(super) fn ifd(&mut self, cx: &mut Ctx, kind: Kind, off: u64, depth: u32) -> Result<u64> {
        let at = self.base.saturating_add(off);
        cx.check_depth(depth, at)?;
        if self.seen.get(..self.seen_len).unwrap_or_default().contains(&off) {
            cx.warn(at, format!("EXIF: {} loops back to an IFD already read", kind.name()));
            return Ok(0);
        }
        let Some(slot) = self.seen.get_mut(self.seen_len) else {
            cx.warn(at, "EXIF: too many IFDs; rest ignored");
            return Ok(0);
        };
        *slot = off;
        self.seen_len += 1;
        let (cnt_size, esize, ptr) = if self.big { (8u64, 20u64, 8u64) } else { (2, 12, 4) };
        let head = self.get(cx, off, cnt_size)?;
        let declared =
            if self.big { u64_at(&head, 0, self.le) } else { u64::from(u16_at(&head, 0, self.le)) };
        if declared > MAX_ENTRIES {
            return Err(Error::malformed(at, format!("EXIF: {} declares {declared} entries", kind.name())));
        }
        let room = self.len.saturating_sub(off + cnt_size) / esize;
        let count = if declared > room {
            cx.warn(
                at,
                format!("EXIF: {} truncated ({declared} entries declared, {room} present)", kind.name()),
            );
            room
        } else {
            declared
        };
        let table_len = cnt_size + count * esize;
        let with_next = off + table_len + ptr <= self.len && count == declared;
        let buf = self.get(cx, off, table_len + if with_next { ptr } else { 0 })?;
        let next = if with_next {
            let p = (table_len) as usize;
            if self.big { u64_at(&buf, p, self.le) } else { u64::from(u32_at(&buf, p, self.le)) }
        } else {
            0
        };

        let table = buf.get(cnt_size as usize..table_len as usize).unwrap_or_default();
        let entries = table.chunks_exact(esize as usize);

        // Pre-scan: SubfileType and Compression decide priorities and a few names, in
        // SubIFDs and a raw's IFD0 (elsewhere nothing reads them).
        let mut subfile = None;
        let mut compression = None;
        let prescan = matches!(kind, Kind::Sub(_)) || (kind == Kind::Ifd(0) && self.flavor == Flavor::Raw);
        if prescan {
            for raw in entries.clone() {
                let Some(e) = Entry::parse(raw, self.le) else { continue };
                match e.tag {
                    0x00FE => subfile = Some(e.small),
                    0x0103 => compression = Some(e.small),
                    _ => {}
                }
            }
        }
        let priority: i8 = match kind {
            Kind::Ifd(0) | Kind::Exif | Kind::Gps | Kind::Interop => 0,
            Kind::Ifd(n) if self.flavor == Flavor::PhaseOne => n.min(9) as i8,
            Kind::Ifd(n) => -10 + n.min(9) as i8,
            Kind::Sub(_) if subfile == Some(0) => 1,
            Kind::Sub(_) => -20,
        };
        let mut ifd = Ifd {
            kind,
            off,
            at,
            depth,
            group: kind.name(),
            priority,
            subfile,
            compression,
            names: if kind == Kind::Gps { tags::Finder::gps() } else { tags::Finder::main() },
            image: ImageRef::default(),
            plain: kind != Kind::Interop && !(self.flavor == Flavor::Panasonic && kind == Kind::Ifd(0)),
        };
        for (i, raw) in entries.enumerate() {
            let Some(e) = Entry::parse(raw, self.le) else { continue };
            // Where the value field sits in `buf`.
            let vpos = (cnt_size + i as u64 * esize + esize - ptr) as usize;
            if !self.plain_entry(cx, &mut ifd, &buf, e, vpos) {
                self.entry_value(cx, &mut ifd, &buf, e, vpos);
            }
        }
        if let ImageRef { start: Some(s), length: Some(l), name } = ifd.image {
            if l > 0 && s.checked_add(l).is_some_and(|e| e <= self.len) {
                let image = Value::Binary(BinaryRef { offset: self.base + s, length: l });
                self.push(cx, ifd.subgroup(), name, image, priority);
            } else if l > 0 {
                cx.warn(at, format!("EXIF: {name} runs past the end of the data"));
            }
        }
        Ok(next)
    }

    /// Adds a tag of the IFD whose family-1 group is `group`.
    #[inline(always)]
    pub(super) fn push(
        &self,
        cx: &mut Ctx,
        group: Cow<'static, str>,
        name: impl IntoName,
        value: Value,
        priority: i8,
    ) {
        cx.push(Tag { group: "EXIF", subgroup: Some(group), name: name.into_name(), value, priority });
    }
}

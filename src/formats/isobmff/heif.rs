//! HEIF/HEIC/AVIF (ISO/IEC 23008-12): `ftyp`, then the `meta` box: handler, primary item,
//! item infos, item locations, item properties and their associations. EXIF and XMP items
//! are read through their `iloc` extents; image data in `mdat` is never read.

use super::boxes::{self, BoxHeader};
use super::codec;
use crate::base::bytes::be_uint;
use crate::base::decode::latin1;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{Tag, Value};

const GROUP: &str = "QuickTime";
/// Most items / extents / properties kept from one `meta` box.
const MAX_ITEMS: usize = 10_000;
const MAX_EXTENTS: usize = 1024;
/// Most metadata (EXIF/XMP) items read.
const MAX_META_ITEMS: usize = 16;

/// Reads the metadata of a HEIF, HEIC or AVIF file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let top = boxes::list_boxes(cx, 0, cx.len(), 0)?;
    for b in &top {
        match &b.kind {
            b"ftyp" => {
                let body = cx.read(b.body_offset(), b.body_len().min(4096))?;
                codec::parse_ftyp(cx, &body);
            }
            b"meta" => {
                if let Err(e) = parse_meta(cx, b) {
                    cx.warn_error(&e);
                }
            }
            _ => {}
        }
    }
    // ExifTool reports the last `mdat`.
    if let Some(b) = top.iter().rev().find(|b| &b.kind == b"mdat") {
        media_data(cx, b);
    }
    Ok(())
}

/// `QuickTime:MediaDataSize` and `MediaDataOffset` from an `mdat` header.
pub(crate) fn media_data(cx: &mut Ctx, b: &BoxHeader) {
    cx.push(Tag::new(GROUP, "MediaDataSize", b.body_len()));
    cx.push(Tag::new(GROUP, "MediaDataOffset", b.body_offset()));
}

/// One `infe` entry.
#[derive(Debug, Default, Clone)]
struct Item {
    id: u32,
    kind: [u8; 4],
    content_type: String,
}

/// One `iloc` entry.
#[derive(Debug, Default, Clone, PartialEq)]
struct Location {
    id: u32,
    method: u8,
    /// (offset, length) with the base offset already added; length 0 means "to the end".
    extents: Vec<(u64, u64)>,
}

/// Everything the `meta` box says.
#[derive(Debug, Default)]
struct Meta {
    primary: Option<u32>,
    items: Vec<Item>,
    locations: Vec<Location>,
    /// `idat` body: (offset, length).
    idat: Option<(u64, u64)>,
    /// `ipco` children, in order (association index i is `properties[i - 1]`).
    properties: Vec<BoxHeader>,
    /// `ipma`: item id and its property indices.
    associations: Vec<(u32, Vec<u16>)>,
}

fn read_body(cx: &mut Ctx, b: &BoxHeader) -> Result<Vec<u8>> {
    cx.read(b.body_offset(), b.body_len())
}

fn parse_meta(cx: &mut Ctx, meta_box: &BoxHeader) -> Result<()> {
    // `meta` is a full box: 4 bytes of version and flags before its children.
    let children = boxes::list_boxes(cx, meta_box.body_offset() + 4, meta_box.end(), 1)?;
    let mut m = Meta::default();
    for b in &children {
        let r = match &b.kind {
            b"hdlr" => read_body(cx, b).map(|d| {
                if let Some(h) = d.get(8..12) {
                    cx.push(Tag::new(GROUP, "HandlerType", latin1(h)));
                }
                let name = d.get(24..).unwrap_or_default();
                let name =
                    name.get(..name.iter().position(|&c| c == 0).unwrap_or(name.len())).unwrap_or_default();
                if !name.is_empty() {
                    let name = String::from_utf8_lossy(name).into_owned();
                    cx.push(Tag::new(GROUP, "HandlerDescription", name));
                }
            }),
            b"pitm" => read_body(cx, b).map(|d| {
                let id = if d.first() == Some(&0) { be_uint(&d, 4, 2) } else { be_uint(&d, 4, 4) };
                if let Some(id) = id {
                    m.primary = Some(id as u32);
                    cx.push(Tag::new(GROUP, "PrimaryItemReference", id).in_subgroup("Meta"));
                }
            }),
            b"iinf" => parse_iinf(cx, b, &mut m.items),
            b"iloc" => read_body(cx, b).and_then(|d| parse_iloc(&d, b.body_offset(), &mut m.locations)),
            b"idat" => {
                m.idat = Some((b.body_offset(), b.body_len()));
                Ok(())
            }
            b"iprp" => parse_iprp(cx, b, &mut m),
            _ => Ok(()),
        };
        if let Err(e) = r {
            cx.warn_error(&e);
        }
    }
    emit_properties(cx, &m);
    read_metadata_items(cx, &m);
    Ok(())
}

fn parse_iinf(cx: &mut Ctx, b: &BoxHeader, items: &mut Vec<Item>) -> Result<()> {
    let version = cx.read_array::<1>(b.body_offset())?[0];
    let skip = if version == 0 { 6 } else { 8 };
    let start = b.body_offset() + skip;
    if start > b.end() {
        return Err(Error::malformed(b.offset, "iinf box is too short"));
    }
    for e in boxes::list_boxes(cx, start, b.end(), 2)? {
        if &e.kind != b"infe" {
            continue;
        }
        if items.len() >= MAX_ITEMS {
            cx.warn(e.offset, "too many HEIF items; the rest are skipped");
            break;
        }
        let d = cx.read(e.body_offset(), e.body_len().min(1024))?;
        if let Some(item) = parse_infe(&d) {
            items.push(item);
        }
    }
    Ok(())
}

/// `infe` versions 2 and 3 (earlier versions carry no item type).
fn parse_infe(d: &[u8]) -> Option<Item> {
    let version = *d.first()?;
    let (id, at) = match version {
        2 => (be_uint(d, 4, 2)?, 8),
        3 => (be_uint(d, 4, 4)?, 10),
        _ => return None,
    };
    let kind: [u8; 4] = d.get(at..at + 4)?.try_into().ok()?;
    let mut item = Item { id: id as u32, kind, content_type: String::new() };
    if &kind == b"mime" {
        let rest = d.get(at + 4..)?;
        let name_end = rest.iter().position(|&c| c == 0)?;
        let ct = rest.get(name_end + 1..)?;
        let ct_end = ct.iter().position(|&c| c == 0).unwrap_or(ct.len());
        item.content_type = String::from_utf8_lossy(ct.get(..ct_end)?).into_owned();
    }
    Some(item)
}

/// `iloc` versions 0-2 (ISO/IEC 14496-12 §8.11.3).
#[allow(clippy::disallowed_methods)] // counts capped (MAX_EXTENTS, u8) and item size checked against max_alloc
fn parse_iloc(d: &[u8], at: u64, out: &mut Vec<Location>) -> Result<()> {
    let bad = |msg: &str| Error::malformed(at, format!("iloc: {msg}"));
    let version = *d.first().ok_or_else(|| bad("empty"))?;
    if version > 2 {
        return Err(bad("unknown version"));
    }
    let (Some(&s1), Some(&s2)) = (d.get(4), d.get(5)) else { return Err(bad("truncated")) };
    let (off_size, len_size, base_size) = (usize::from(s1 >> 4), usize::from(s1 & 15), usize::from(s2 >> 4));
    let index_size = if version > 0 { usize::from(s2 & 15) } else { 0 };
    for s in [off_size, len_size, base_size, index_size] {
        if ![0, 4, 8].contains(&s) {
            return Err(bad("field size is not 0, 4 or 8"));
        }
    }
    let mut p = 6;
    let id_size = if version < 2 { 2 } else { 4 };
    let count = be_uint(d, p, id_size).ok_or_else(|| bad("truncated"))? as usize;
    p += id_size;
    for _ in 0..count.min(MAX_ITEMS) {
        let id = be_uint(d, p, id_size).ok_or_else(|| bad("truncated"))? as u32;
        p += id_size;
        let mut method = 0;
        if version > 0 {
            method = (be_uint(d, p, 2).ok_or_else(|| bad("truncated"))? & 15) as u8;
            p += 2;
        }
        p += 2; // data_reference_index
        let base = be_uint(d, p, base_size).ok_or_else(|| bad("truncated"))?;
        p += base_size;
        let n = be_uint(d, p, 2).ok_or_else(|| bad("truncated"))? as usize;
        p += 2;
        if n > MAX_EXTENTS {
            return Err(bad("too many extents"));
        }
        let mut extents = Vec::with_capacity(n);
        for _ in 0..n {
            p += index_size;
            let off = be_uint(d, p, off_size).ok_or_else(|| bad("truncated"))?;
            p += off_size;
            let len = be_uint(d, p, len_size).ok_or_else(|| bad("truncated"))?;
            p += len_size;
            extents.push((base.checked_add(off).ok_or_else(|| bad("extent offset overflows"))?, len));
        }
        out.push(Location { id, method, extents });
    }
    Ok(())
}

fn parse_iprp(cx: &mut Ctx, b: &BoxHeader, m: &mut Meta) -> Result<()> {
    for c in boxes::list_boxes(cx, b.body_offset(), b.end(), 2)? {
        match &c.kind {
            b"ipco" => {
                let mut props = boxes::list_boxes(cx, c.body_offset(), c.end(), 3)?;
                props.truncate(MAX_ITEMS);
                m.properties = props;
            }
            b"ipma" => {
                let d = read_body(cx, &c)?;
                parse_ipma(&d, &mut m.associations);
            }
            _ => {}
        }
    }
    Ok(())
}

#[allow(clippy::disallowed_methods)] // counts capped (MAX_EXTENTS, u8) and item size checked against max_alloc
fn parse_ipma(d: &[u8], out: &mut Vec<(u32, Vec<u16>)>) {
    let (Some(&version), Some(flags)) = (d.first(), be_uint(d, 1, 3)) else { return };
    let Some(count) = be_uint(d, 4, 4) else { return };
    let mut p = 8;
    let id_size = if version < 1 { 2 } else { 4 };
    for _ in 0..count.min(MAX_ITEMS as u64) {
        let (Some(id), Some(n)) = (be_uint(d, p, id_size), d.get(p + id_size)) else { return };
        p += id_size + 1;
        let mut idx = Vec::with_capacity(usize::from(*n));
        for _ in 0..*n {
            let v = if flags & 1 != 0 {
                let Some(v) = be_uint(d, p, 2) else { return };
                p += 2;
                v as u16 & 0x7FFF
            } else {
                let Some(&v) = d.get(p) else { return };
                p += 1;
                u16::from(v & 0x7F)
            };
            idx.push(v);
        }
        out.push((id as u32, idx));
    }
}

/// Emits the item properties, in `ipco` order. Codec boxes go to the shared codec parsers;
/// where several items have the same property, ExifTool reports the first `hvcC`/`ispe`
/// but the last `pixi`, and we follow it.
fn emit_properties(cx: &mut Ctx, m: &Meta) {
    let mut last: Vec<(&'static str, Value)> = Vec::new();
    let mut set = |name: &'static str, v: Value| match last.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = v,
        None => last.push((name, v)),
    };
    for p in &m.properties {
        let Ok(d) = cx.read(p.body_offset(), p.body_len().min(1 << 20)) else { continue };
        match &p.kind {
            b"hvcC" => codec::parse_hvcc(cx, &d),
            b"av1C" => codec::parse_av1c(cx, &d),
            b"colr" => codec::parse_colr(cx, &d),
            b"ispe" => {
                if let (Some(w), Some(h)) = (be_uint(&d, 4, 4), be_uint(&d, 8, 4)) {
                    cx.push(Tag::new(GROUP, "ImageSpatialExtent", format!("{w} {h}")));
                }
            }
            b"pixi" => {
                let n = d.get(4).map_or(0, |&n| usize::from(n));
                let bits = d.get(5..5 + n).unwrap_or_default();
                let v = match bits {
                    [one] => Value::from(*one),
                    _ => Value::from(bits.iter().map(u8::to_string).collect::<Vec<_>>().join(" ")),
                };
                set("ImagePixelDepth", v);
            }
            b"irot" => {
                if let Some(a) = d.first() {
                    cx.push(Tag::new(GROUP, "Rotation", u16::from(a & 3) * 90));
                }
            }
            b"auxC" => {
                let s = d.get(4..).unwrap_or_default();
                let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
                let aux = String::from_utf8_lossy(s.get(..end).unwrap_or_default()).into_owned();
                cx.push(Tag::new(GROUP, "AuxiliaryImageType", aux));
            }
            _ => {}
        }
    }
    for (name, v) in last {
        cx.push(Tag::new(GROUP, name, v));
    }
    // File:ImageWidth/ImageHeight: the primary item's `ispe`.
    let Some(primary) = m.primary else { return };
    let Some((_, idx)) = m.associations.iter().find(|(id, _)| *id == primary) else { return };
    for &i in idx {
        let Some(p) = usize::from(i).checked_sub(1).and_then(|i| m.properties.get(i)) else { continue };
        if &p.kind == b"ispe" {
            if let Ok(d) = cx.read(p.body_offset(), p.body_len().min(12)) {
                if let (Some(w), Some(h)) = (be_uint(&d, 4, 4), be_uint(&d, 8, 4)) {
                    cx.push(Tag::new("File", "ImageWidth", w));
                    cx.push(Tag::new("File", "ImageHeight", h));
                }
            }
            break;
        }
    }
}

/// Reads the EXIF and XMP items.
fn read_metadata_items(cx: &mut Ctx, m: &Meta) {
    let mut done = 0;
    for item in &m.items {
        let is_exif = &item.kind == b"Exif";
        let is_xmp = &item.kind == b"mime" && item.content_type == "application/rdf+xml";
        if !is_exif && !is_xmp {
            continue;
        }
        if done >= MAX_META_ITEMS {
            cx.warn(None, "too many metadata items; the rest are skipped");
            break;
        }
        done += 1;
        let Some(loc) = m.locations.iter().find(|l| l.id == item.id) else {
            cx.warn(None, format!("HEIF item {} has no location", item.id));
            continue;
        };
        let r = read_item(cx, loc, m.idat).and_then(|(data, file_offset)| {
            if is_xmp {
                return crate::meta::xmp::parse_packet(cx, &data);
            }
            // Exif item: a 4-byte offset to the TIFF header, then the TIFF block.
            let skip =
                be_uint(&data, 0, 4).ok_or_else(|| Error::malformed(file_offset, "Exif item too short"))?;
            let start =
                usize::try_from(skip).ok().and_then(|s| s.checked_add(4)).filter(|&s| s <= data.len());
            let start =
                start.ok_or_else(|| Error::malformed(file_offset, "Exif item TIFF offset out of range"))?;
            let tiff = data.get(start..).unwrap_or_default();
            // Some writers put "Exif\0\0" before the TIFF header but leave the offset at 0.
            let (tiff, start) = match tiff.strip_prefix(b"Exif\0\0") {
                Some(t) => (t, start + 6),
                None => (tiff, start),
            };
            crate::meta::exif::parse_block(cx, tiff, file_offset + start as u64)
        });
        if let Err(e) = r {
            cx.warn_error(&e);
        }
    }
}

/// The bytes of an item (its extents joined) and the file offset of its first byte.
#[allow(clippy::disallowed_methods)] // counts capped (MAX_EXTENTS, u8) and item size checked against max_alloc
fn read_item(cx: &mut Ctx, loc: &Location, idat: Option<(u64, u64)>) -> Result<(Vec<u8>, u64)> {
    let (base, limit) = match loc.method {
        0 => (0, cx.len()),
        1 => idat.ok_or_else(|| Error::malformed(0, "HEIF item in idat, but no idat box"))?,
        _ => return Err(Error::new(crate::error::ErrorKind::Unsupported, "HEIF item by reference").at(0)),
    };
    let max = cx.opts.limits.max_alloc as u64;
    let mut extents = Vec::with_capacity(loc.extents.len());
    let mut total = 0u64;
    for &(off, len) in &loc.extents {
        let len = if len == 0 { limit.saturating_sub(off) } else { len };
        if off.checked_add(len).is_none_or(|e| e > limit) {
            return Err(Error::malformed(base + off, "HEIF item extent lies outside its container"));
        }
        total = total.saturating_add(len);
        if total > max {
            let msg = format!("HEIF item of {total}+ bytes skipped: past max_alloc ({max} bytes)");
            return Err(Error::limit(base + off, msg));
        }
        extents.push((base + off, len));
    }
    // One buffer of the item's size: no regrowth past it.
    let mut data = Vec::new();
    data.reserve_exact(usize::try_from(total).unwrap_or(0));
    for &(at, len) in &extents {
        data.extend_from_slice(&cx.read(at, len)?);
    }
    Ok((data, extents.first().map_or(0, |e| e.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::isobmff::boxes::bx;
    use crate::test_util;

    fn full(kind: &[u8; 4], version: u8, flags: u32, body: &[u8]) -> Vec<u8> {
        let mut b = vec![version];
        b.extend_from_slice(&flags.to_be_bytes()[1..]);
        b.extend_from_slice(body);
        bx(kind, &b)
    }

    /// A HEIC with a primary item 1 (640x480, irot 1, pixi 8 8 8), an Exif item 2 stored in
    /// `mdat` and an XMP item 3 in `idat`.
    fn heic(exif_len: u32) -> Vec<u8> {
        let hdlr = full(b"hdlr", 0, 0, b"\0\0\0\0pict\0\0\0\0\0\0\0\0\0\0\0\0\0");
        let pitm = full(b"pitm", 0, 0, &[0, 1]);
        let mut infe = full(b"infe", 2, 0, b"\0\x01\0\0hvc1\0");
        infe.extend_from_slice(&full(b"infe", 2, 0, b"\0\x02\0\0Exif\0"));
        infe.extend_from_slice(&full(b"infe", 2, 0, b"\0\x03\0\0mimeXMP\0application/rdf+xml\0"));
        let mut iinf_body = vec![0, 3];
        iinf_body.extend_from_slice(&infe);
        let iinf = full(b"iinf", 0, 0, &iinf_body);
        let ispe = full(b"ispe", 0, 0, &[0, 0, 2, 128, 0, 0, 1, 224]);
        let irot = bx(b"irot", &[1]);
        let pixi = full(b"pixi", 0, 0, &[3, 8, 8, 8]);
        let ipco = bx(b"ipco", &[ispe, irot, pixi].concat());
        let ipma = full(b"ipma", 0, 0, &[0, 0, 0, 1, 0, 1, 3, 0x81, 2, 3]);
        let iprp = bx(b"iprp", &[ipco, ipma].concat());
        let idat = bx(b"idat", b"<x:xmpmeta/>");
        // iloc v1, offset/length 4 bytes, base 0: item 2 in the file, item 3 in idat.
        let mut iloc_body = vec![0x44, 0x00, 0, 2];
        iloc_body.extend_from_slice(&[0, 2, 0, 0, 0, 0, 0, 1]);
        iloc_body.extend_from_slice(&0u32.to_be_bytes()); // patched below
        iloc_body.extend_from_slice(&exif_len.to_be_bytes());
        iloc_body.extend_from_slice(&[0, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 12]);
        let iloc = full(b"iloc", 1, 0, &iloc_body);
        let meta = full(b"meta", 0, 0, &[hdlr, pitm, iinf, iloc, iprp, idat].concat());
        let mut file = bx(b"ftyp", b"heic\0\0\0\0mif1heic");
        file.extend_from_slice(&meta);
        let exif_at = file.len() as u32 + 8;
        let exif = b"\0\0\0\0MM\0*\0\0\0\x08\0\0\0\0\0\0";
        file.extend_from_slice(&bx(b"mdat", exif));
        // patch the Exif extent offset
        let pos = file.windows(4).position(|w| w == b"iloc").unwrap_or(0) + 4 + 4 + 4 + 8;
        file[pos..pos + 4].copy_from_slice(&exif_at.to_be_bytes());
        file
    }

    #[test]
    fn meta_items_and_properties() {
        let found = test_util::parse(&heic(18), parse);
        assert_eq!(found.warnings.len(), 0, "{:?}", found.tags);
        assert_eq!(found.get("QuickTime:HandlerType"), Some(&Value::Text("pict".into())));
        assert_eq!(found.get("QuickTime:PrimaryItemReference"), Some(&Value::Int(1)));
        assert_eq!(found.get("QuickTime:ImageSpatialExtent"), Some(&Value::Text("640 480".into())));
        assert_eq!(found.get("QuickTime:Rotation"), Some(&Value::Int(90)));
        assert_eq!(found.get("QuickTime:ImagePixelDepth"), Some(&Value::Text("8 8 8".into())));
        assert_eq!(found.get("File:ImageWidth"), Some(&Value::Int(640)));
        assert_eq!(found.get("File:ImageHeight"), Some(&Value::Int(480)));
        assert_eq!(found.get("QuickTime:MediaDataSize"), Some(&Value::Int(18)));
    }

    #[test]
    fn hostile_extents_and_truncation() {
        // An Exif extent far past the end of the file.
        let found = test_util::parse(&heic(0x7FFF_FFFF), parse);
        assert_eq!(found.warnings.len(), 1);
        let f = heic(18);
        for n in 0..f.len() {
            test_util::parse(&f[..n], parse);
        }
        let mut locs = Vec::new();
        // 8-byte offsets with an overflowing base.
        let mut d = vec![1, 0, 0, 0, 0x88, 0x80, 0, 1, 0, 1, 0, 0, 0, 0];
        d.extend_from_slice(&u64::MAX.to_be_bytes());
        d.extend_from_slice(&[0, 1]);
        d.extend_from_slice(&u64::MAX.to_be_bytes());
        d.extend_from_slice(&1u64.to_be_bytes());
        assert!(parse_iloc(&d, 0, &mut locs).is_err());
        assert!(parse_iloc(&[3], 0, &mut locs).is_err());
    }

    #[test]
    fn generated_heic_fixture() {
        let data = include_bytes!("../../../tests/fixtures/images/canon.heic");
        let found = test_util::parse(data, parse);
        assert_eq!(found.warnings.len(), 0);
        assert_eq!(found.get("QuickTime:ImageSpatialExtent"), Some(&Value::Text("640 480".into())));
        // Two items carry `pixi`: ExifTool reports the last (the alpha plane's).
        let depths: Vec<_> = found.tags.iter().filter(|t| t.name == "ImagePixelDepth").collect();
        assert_eq!(depths.len(), 1);
        assert_eq!(depths[0].value, Value::Int(10));
        assert_eq!(
            found.get("QuickTime:AuxiliaryImageType"),
            Some(&Value::Text("urn:mpeg:hevc:2015:auxid:1".into()))
        );
        assert_eq!(found.get("QuickTime:MediaDataSize"), Some(&Value::Int(8704)));
        assert_eq!(found.get("QuickTime:MediaDataOffset"), Some(&Value::Int(744)));
        assert_eq!(found.get("File:ImageHeight"), Some(&Value::Int(480)));
    }
}

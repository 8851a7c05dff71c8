//! Canon CR3 (ISO-BMFF, brand `crx `). The QuickTime structure (`ftyp`, `mvhd`, tracks,
//! `mdat`) is the movie reader's; this adds Canon's `moov/uuid` box with its TIFF blocks
//! `CMT1` (IFD0), `CMT2` (ExifIFD), `CMT3` (maker note) and `CMT4` (GPS) and its
//! compressor version (`CNCV`), the XMP `uuid` box, and the samples of the timed-metadata
//! track (`CTMD`), which the movie reader locates and Canon's maker-note reader reads
//! after CMT3 (the main note's values win over the track's).

use super::boxes;
use super::codec;
use crate::base::bytes::be32;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::{BinaryRef, Tag, Value};

/// Canon's metadata `uuid` inside `moov`.
const CANON_UUID: [u8; 16] =
    [0x85, 0xc0, 0xb6, 0x87, 0x82, 0x0f, 0x11, 0xe0, 0x81, 0x11, 0xf4, 0xce, 0x46, 0x2b, 0x6a, 0x48];
/// Canon's preview `uuid` box (a `PRVW` box after 8 bytes).
const PREVIEW_UUID: [u8; 16] =
    [0xea, 0xf4, 0x2b, 0x5e, 0x1c, 0x98, 0x4b, 0x88, 0xb9, 0xfb, 0xb7, 0xdc, 0x40, 0x6e, 0x4d, 0x16];
/// The XMP `uuid` box.
const XMP_UUID: [u8; 16] =
    [0xbe, 0x7a, 0xcf, 0xcb, 0x97, 0xa9, 0x42, 0xe8, 0x9c, 0x71, 0x99, 0x94, 0x91, 0xe3, 0xaf, 0xac];

/// TIFF tag of the ExifIFD pointer.
const EXIF_IFD_POINTER: u16 = 0x8769;
/// TIFF tag of the GPS IFD pointer.
const GPS_IFD_POINTER: u16 = 0x8825;
/// Sample format of Canon's timed-metadata track.
const CTMD: [[u8; 4]; 1] = [*b"CTMD"];
/// Largest CTMD sample read (the corpus's is 40 KiB: colour data and a maker note).
const MAX_CTMD_SAMPLE: u64 = 1 << 20;

fn has(cx: &Ctx, group: &str, name: Option<&str>) -> bool {
    cx.tags.iter().any(|t| t.group == group && name.is_none_or(|n| t.name == n))
}

/// Reads the metadata of a CR3 file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let xmp_before = has(cx, "XMP", None);
    let first_new = cx.tags.len();
    let timed = super::movie::parse_timed(cx, &CTMD).unwrap_or_else(|e| {
        cx.warn_error(&e);
        Vec::new()
    });
    mark_dates_utc(cx, first_new);
    let xmp_done = !xmp_before && has(cx, "XMP", None);
    let brand_done = has(cx, "QuickTime", Some("MajorBrand"));
    let mdat_done = has(cx, "QuickTime", Some("MediaDataSize"));
    let top = boxes::list_boxes(cx, 0, cx.len(), 0)?;
    for b in &top {
        let r = match (&b.kind, b.uuid) {
            (b"ftyp", _) if !brand_done => cx.read(b.body_offset(), b.body_len().min(4096)).map(|d| {
                codec::parse_ftyp(cx, &d);
            }),
            (b"moov", _) => canon_boxes(cx, b),
            (b"uuid", Some(PREVIEW_UUID)) => cx.read(b.body_offset(), b.body_len().min(32)).map(|d| {
                // 8 bytes, the `PRVW` box header, 12 bytes (dimensions), the JPEG's length.
                let image = b.body_offset() + 32;
                let length = be32(&d, 28).map(u64::from).filter(|n| *n > 0 && image + n <= b.end());
                if let (Some(b"PRVW"), Some(length)) = (d.get(12..16), length) {
                    let v = Value::Binary(BinaryRef { offset: image, length });
                    cx.push(Tag::new("QuickTime", "PreviewImage", v));
                }
            }),
            (b"uuid", Some(XMP_UUID)) if !xmp_done => {
                cx.read(b.body_offset(), b.body_len()).and_then(|d| crate::meta::xmp::parse_packet(cx, &d))
            }
            (b"mdat", _) if !mdat_done => {
                super::heif::media_data(cx, b);
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(e) = r {
            cx.warn_error(&e);
        }
    }
    // The first sample of each track: a CR3 photo has one; ExifTool reads a movie's
    // others only on request (-ee).
    let mut seen: Vec<&str> = Vec::new();
    for sample in &timed {
        if !seen.contains(&sample.track.as_str()) {
            seen.push(&sample.track);
            ctmd_sample(cx, sample);
        }
    }
    Ok(())
}

/// One sample of the CTMD track: its time, then its records for Canon's reader.
fn ctmd_sample(cx: &mut Ctx, s: &super::movie::TimedSample) {
    let track = s.track.clone();
    cx.push(Tag::new("QuickTime", "SampleTime", s.time).in_subgroup(track.clone()));
    cx.push(Tag::new("QuickTime", "SampleDuration", s.duration).in_subgroup(track));
    if s.size > MAX_CTMD_SAMPLE {
        cx.warn(s.offset, format!("CTMD sample of {} bytes not read (over {MAX_CTMD_SAMPLE})", s.size));
        return;
    }
    match cx.read(s.offset, s.size) {
        Ok(data) => crate::meta::exif::canon_cr3_ctmd(cx, &data, s.offset, &s.track),
        Err(e) => cx.warn_error(&e),
    }
}

/// Canon writes the movie-header dates of a CR3 in UTC, and ExifTool prints them with an
/// explicit `+00:00`: add it to the QuickTime dates the movie reader found.
fn mark_dates_utc(cx: &mut Ctx, from: usize) {
    for t in cx.tags.iter_mut().skip(from).filter(|t| t.group == "QuickTime" && t.name.ends_with("Date")) {
        if let crate::model::Value::Text(s) = &mut t.value {
            let plain = s.len() == 19 && s.as_bytes().get(4) == Some(&b':') && !s.starts_with("0000");
            if plain {
                s.push_str("+00:00");
            }
        }
    }
}

/// The `CMT*` TIFF blocks in `moov/uuid(Canon)`.
fn canon_boxes(cx: &mut Ctx, moov: &boxes::BoxHeader) -> Result<()> {
    let children = boxes::list_boxes(cx, moov.body_offset(), moov.end(), 1)?;
    let Some(canon) = children.iter().find(|b| b.uuid == Some(CANON_UUID)) else { return Ok(()) };
    for b in boxes::list_boxes(cx, canon.body_offset(), canon.end(), 2)? {
        if &b.kind == b"CNCV" {
            let data = cx.read(b.body_offset(), b.body_len().min(256))?;
            crate::meta::exif::canon_cr3_cncv(cx, &data);
            continue;
        }
        if &b.kind == b"THMB" && cx.opts.maker_notes {
            // 16 bytes (dimensions, length) before the JPEG, which runs to the box's end.
            if let Some(length) = b.body_len().checked_sub(16).filter(|n| *n > 0) {
                let v = Value::Binary(BinaryRef { offset: b.body_offset() + 16, length });
                cx.push(Tag::new("MakerNotes", "ThumbnailImage", v).in_subgroup("Canon"));
            }
            continue;
        }
        if &b.kind == b"CMT3" {
            let data = cx.read(b.body_offset(), b.body_len())?;
            if let Err(e) = crate::meta::exif::parse_maker_tiff(cx, &data, b.body_offset()) {
                cx.warn_error(&e);
            }
            continue;
        }
        let pointer = match &b.kind {
            b"CMT1" => None,
            b"CMT2" => Some(EXIF_IFD_POINTER),
            b"CMT4" => Some(GPS_IFD_POINTER),
            _ => continue,
        };
        let data = cx.read(b.body_offset(), b.body_len())?;
        let r = match pointer {
            None => crate::meta::exif::parse_block(cx, &data, b.body_offset()),
            Some(tag) => match as_sub_ifd(&data, tag) {
                Some(wrapped) => crate::meta::exif::parse_block(cx, &wrapped, b.body_offset()),
                None => {
                    cx.warn(b.offset, format!("{} is not a TIFF block", b.kind_str()));
                    Ok(())
                }
            },
        };
        if let Err(e) = r {
            cx.warn_error(&e);
        }
    }
    Ok(())
}

/// Rewrites a TIFF block whose first IFD is really an ExifIFD or GPS IFD so that the
/// shared EXIF parser reads it as one: a new one-entry IFD0 holding `pointer` (LONG, the old
/// first-IFD offset) is appended, and the header points to it. Offsets inside the original
/// bytes are unchanged, so binary references keep their file positions.
fn as_sub_ifd(data: &[u8], pointer: u16) -> Option<Vec<u8>> {
    let le = match data.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let first = data.get(4..8)?;
    let mut out = data.to_vec();
    if out.len() % 2 == 1 {
        out.push(0);
    }
    let new_ifd = u32::try_from(out.len()).ok()?;
    let u16b = |v: u16| if le { v.to_le_bytes() } else { v.to_be_bytes() };
    let u32b = |v: u32| if le { v.to_le_bytes() } else { v.to_be_bytes() };
    out.extend_from_slice(&u16b(1));
    out.extend_from_slice(&u16b(pointer));
    out.extend_from_slice(&u16b(4)); // LONG
    out.extend_from_slice(&u32b(1));
    out.extend_from_slice(first);
    out.extend_from_slice(&u32b(0));
    out.get_mut(4..8)?.copy_from_slice(&u32b(new_ifd));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::bytes::{le16, le32};
    use crate::formats::isobmff::boxes::bx;
    use crate::model::Value;
    use crate::test_util;

    fn uuid_box(uuid: &[u8; 16], body: &[u8]) -> Vec<u8> {
        let mut b = uuid.to_vec();
        b.extend_from_slice(body);
        bx(b"uuid", &b)
    }

    #[test]
    fn movie_dates_become_utc() {
        let found = test_util::parse(&[], |cx| {
            cx.add("QuickTime", "CreateDate", "2018:02:21 12:08:56");
            cx.add("QuickTime", "ModifyDate", "0000:00:00 00:00:00");
            cx.add("QuickTime", "TrackCreateDate", "2018:02:21 12:08:56+01:00");
            mark_dates_utc(cx, 0);
            Ok(())
        });
        let v: Vec<_> = found.tags.iter().map(|t| t.value.clone()).collect();
        assert_eq!(
            v,
            [
                Value::Text("2018:02:21 12:08:56+00:00".into()),
                Value::Text("0000:00:00 00:00:00".into()),
                Value::Text("2018:02:21 12:08:56+01:00".into())
            ]
        );
    }

    #[test]
    fn sub_ifd_wrapper() {
        let tiff = b"II*\0\x08\0\0\0\0\0\0\0\0\0";
        let w = as_sub_ifd(tiff, GPS_IFD_POINTER).unwrap_or_default();
        assert_eq!(&w[..4], b"II*\0");
        assert_eq!(le32(&w, 4), Some(14));
        assert_eq!(&w[14..16], &[1, 0]);
        assert_eq!(le16(&w, 16), Some(GPS_IFD_POINTER));
        assert_eq!(le32(&w, 24), Some(8));
        assert!(as_sub_ifd(b"XX*\0", 1).is_none());
        assert!(as_sub_ifd(b"II*", 1).is_none());
    }

    #[test]
    fn canon_boxes_and_mdat() {
        let cmt = bx(b"CMT2", b"II*\0\x08\0\0\0\0\0\0\0\0\0");
        let thumb = bx(b"THMB", &[&[0u8; 16][..], b"JPEG"].concat());
        let canon =
            uuid_box(&CANON_UUID, &[bx(b"CMT1", b"MM\0*\0\0\0\x08\0\0\0\0\0\0"), cmt, thumb].concat());
        let mut f = bx(b"ftyp", b"crx \0\0\0\x01crx isom");
        f.extend_from_slice(&bx(b"moov", &canon));
        f.extend_from_slice(&uuid_box(&XMP_UUID, b"<x:xmpmeta/>"));
        let prvw = [&[0u8; 8][..], &bx(b"PRVW", &[&[0u8; 12][..], &[0, 0, 0, 3], b"JPG"].concat())].concat();
        f.extend_from_slice(&uuid_box(&PREVIEW_UUID, &prvw));
        f.extend_from_slice(&bx(b"mdat", &[0; 10]));
        let found = test_util::parse(&f, parse);
        assert_eq!(found.warnings.len(), 0);
        assert_eq!(found.get("QuickTime:MediaDataSize"), Some(&Value::Int(10)));
        let length = |key| match found.get(key) {
            Some(Value::Binary(b)) => Some(b.length),
            _ => None,
        };
        assert_eq!(length("MakerNotes:ThumbnailImage"), Some(4));
        assert_eq!(length("QuickTime:PreviewImage"), Some(3));
        for n in 0..f.len() {
            test_util::parse(&f[..n], parse);
        }
    }
}

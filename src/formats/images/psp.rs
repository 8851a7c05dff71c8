//! Paint Shop Pro (PSP, PSPIMAGE): the file version, then the main blocks (`~BK\0`
//! headers): General Image Attributes (size, resolution, compression, depth), the Creator
//! block (title, dates, artist, copyright, description, application) and the Extended
//! Data block, whose EXIF field goes to the EXIF parser.

use super::payload::{Payload, hand_off, within_alloc};
use crate::base::bytes::{le_f64, le16, le32};
use crate::base::date::exif_datetime;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Value;

/// Group of the PSP tags.
const G: &str = "PSP";
/// Most main blocks walked.
const MAX_BLOCKS: usize = 64;
/// Most fields read in a block.
const MAX_FIELDS: usize = 256;

/// Reads a Paint Shop Pro file: version, general attributes, creator and extended data.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let head = cx.read_up_to(32, 4)?;
    let (Some(major), Some(minor)) = (le16(&head, 0), le16(&head, 2)) else {
        return Err(Error::malformed(32u64, "truncated PSP header"));
    };
    cx.add(G, "FileVersion", format!("{major} {minor}"));
    // Block headers lost their 4-byte initial length after version 5.
    let hdr_len = if major <= 5 { 14u64 } else { 10 };
    let mut pos = 36u64;
    for _ in 0..MAX_BLOCKS {
        let Ok(bh) = cx.read_up_to(pos, hdr_len) else { break };
        if bh.len() < hdr_len as usize || !bh.starts_with(b"~BK\0") {
            break;
        }
        let id = le16(&bh, 4).unwrap_or(0);
        let len = le32(&bh, hdr_len as usize - 4).unwrap_or(0);
        let body = pos + hdr_len;
        if matches!(id, 0 | 1 | 10) && within_alloc(cx, "PSP block", len.into(), pos) {
            let d = cx.read_cow(body, len.into())?;
            match id {
                0 => general(cx, &d, major),
                _ => fields(cx, &d, body, id),
            }
        }
        pos = body + u64::from(len);
    }
    Ok(())
}

/// The General Image Attributes block.
fn general(cx: &mut Ctx, d: &[u8], major: u16) {
    // From version 6 on, the block repeats its length first.
    let b = if major >= 6 { 4 } else { 0 };
    let (Some(w), Some(h)) = (le32(d, b), le32(d, b + 4)) else { return };
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    if let Some(r) = le_f64(d, b + 8) {
        cx.add(G, "ImageResolution", r);
    }
    if let Some(&u) = d.get(b + 16) {
        cx.add(G, "ResolutionUnit", u);
    }
    if let (Some(c), Some(bits), Some(planes), Some(colors)) =
        (le16(d, b + 17), le16(d, b + 19), le16(d, b + 21), le32(d, b + 23))
    {
        cx.add(G, "Compression", c);
        cx.add(G, "BitsPerSample", bits);
        cx.add(G, "Planes", planes);
        cx.add(G, "NumColors", colors);
    }
    cx.fact(Fact::ImageSize(w.into(), h.into()));
}

/// A Unix time as `YYYY:MM:DD HH:MM:SS+00:00`.
fn unix_date(t: u32) -> String {
    let mut s = exif_datetime(t.into());
    s.push_str("+00:00");
    s
}

/// The Creator (1) and Extended Data (10) blocks: `~FL\0` fields (u16 id, u32 length,
/// data).
fn fields(cx: &mut Ctx, d: &[u8], at: u64, block: u16) {
    let mut p = 0usize;
    for _ in 0..MAX_FIELDS {
        if d.get(p..p + 4) != Some(&b"~FL\0"[..]) {
            break;
        }
        let (Some(id), Some(n)) = (le16(d, p + 4), le32(d, p + 6)) else { break };
        let start = p + 10;
        let Some(end) = start.checked_add(n as usize) else { break };
        let Some(v) = d.get(start..end) else { break };
        if block == 10 {
            if id == 3 {
                exif(cx, v, at + start as u64);
            }
        } else {
            // Latin-1 bytes that are not UTF-8 show as '?', as ExifTool prints them.
            let text = || {
                let nul = v.iter().position(|&b| b == 0).unwrap_or(v.len());
                let s = String::from_utf8_lossy(v.get(..nul).unwrap_or_default());
                Value::from(s.replace('\u{fffd}', "?"))
            };
            match id {
                0 => cx.add(G, "Title", text()),
                1 => cx.add(G, "CreateDate", unix_date(le32(v, 0).unwrap_or(0))),
                2 => cx.add(G, "ModifyDate", unix_date(le32(v, 0).unwrap_or(0))),
                3 => cx.add(G, "Artist", text()),
                4 => cx.add(G, "Copyright", text()),
                5 => cx.add(G, "Description", text()),
                6 => cx.add(G, "CreatorAppID", le32(v, 0).unwrap_or(0)),
                7 => {
                    // Stored least significant first; shown major version first.
                    let b = v.get(..4).unwrap_or_default();
                    let s: Vec<String> = b.iter().rev().map(u8::to_string).collect();
                    cx.add(G, "CreatorAppVersion", s.join(" "));
                }
                _ => {}
            }
        }
        p = end;
    }
}

/// PSP's EXIF field: "Exif\0\0", a TIFF header whose IFD0 offset is relative to the
/// header, but value offsets are relative to 8 bytes further on (as ExifTool reads them).
/// Re-based: the block from there on, with a header pointing at a copy of IFD0 appended.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
fn exif(cx: &mut Ctx, v: &[u8], off: u64) {
    let Some(tiff) = v.strip_prefix(b"Exif\0\0") else { return hand_off(cx, Payload::Exif, v, off) };
    let (Some(hdr), Some(rest)) = (tiff.get(..4), tiff.get(8..)) else { return };
    if rest.len() < 8 || le32(tiff, 4) != Some(8) || hdr != b"II*\0" {
        return hand_off(cx, Payload::Exif, tiff, off + 6);
    }
    // `rest` twice, its first 8 bytes replaced by the header and the offset of the copy.
    if !within_alloc(cx, "PSP EXIF block re-based", 2 * rest.len() as u64, off) {
        return;
    }
    let at = u32::try_from(rest.len()).unwrap_or(0);
    let mut n = Vec::with_capacity(2 * rest.len());
    n.extend_from_slice(hdr);
    n.extend_from_slice(&at.to_le_bytes());
    n.extend_from_slice(rest.get(8..).unwrap_or_default());
    n.extend_from_slice(rest);
    if let Err(e) = crate::meta::exif::parse_block(cx, &n, off + 14) {
        cx.warn_error(&e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{get, run};

    #[test]
    fn version_and_creator() {
        let mut p = b"Paint Shop Pro Image File\n\x1a\0\0\0\0\0".to_vec();
        p.extend_from_slice(&[10, 0, 0, 0]);
        p.extend_from_slice(b"~BK\0\x01\0\x0e\0\0\0~FL\0\x00\0\x04\0\0\0Test");
        let t = run(&p, parse);
        assert_eq!(get(&t, "PSP:FileVersion"), Some(&Value::Text("10 0".into())));
        assert_eq!(get(&t, "PSP:Title"), Some(&Value::Text("Test".into())));
        for n in 0..p.len() {
            let _ = run(&p[..n], parse);
        }
    }
}

//! TIFF, BigTIFF and TIFF-based camera raws (DNG, CR2, NEF, ARW, ORF, RW2, PEF, SRW, IIQ),
//! plus Fujifilm RAF (a header around an embedded JPEG). IFDs and values are read by offset
//! through the shared EXIF walker, so a raw costs only its directories and values.

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::meta::exif::{self, Flavor};
use crate::model::{BinaryRef, Value};

/// Most embedded JPEGs (RW2 JpgFromRaw) read for their own metadata.
const MAX_EMBEDDED: usize = 2;

/// Reads the metadata of a TIFF or TIFF-based raw file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let head = cx.read_up_to(0, 16)?;
    let flavor = match head.get(..4) {
        Some(b"IIU\0") => Flavor::Panasonic,
        _ if head.get(8..10) == Some(b"CR") => Flavor::Raw,
        _ => Flavor::Tiff,
    };
    let found = exif::parse_file(cx, 0, flavor)?;
    for (offset, len) in found.jpegs.into_iter().take(MAX_EMBEDDED) {
        if let Err(e) = super::jpeg::parse_embedded(cx, offset, len) {
            cx.warn_error(&e);
        }
    }
    Ok(())
}

/// Reads a Fujifilm RAF: the header's version and the EXIF of the embedded JPEG preview.
pub(crate) fn parse_raf(cx: &mut Ctx) -> Result<()> {
    let h = cx.read(0, 100)?;
    if !h.starts_with(b"FUJIFILMCCD-RAW") {
        return Err(Error::malformed(0, "raf: bad magic"));
    }
    if let Some(v) = h.get(60..64).filter(|v| v.iter().all(u8::is_ascii_graphic)) {
        cx.add("File", "RAFVersion", String::from_utf8_lossy(v).into_owned());
    }
    let be = |i: usize| h.get(i..i + 4).map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let (offset, len) = (u64::from(be(84)), u64::from(be(88)));
    if len == 0 || offset.checked_add(len).is_none_or(|e| e > cx.len()) {
        cx.warn(84, "raf: embedded JPEG out of range");
        return Ok(());
    }
    super::jpeg::parse_embedded(cx, offset, len)?;
    cx.add("File", "PreviewImage", Value::Binary(BinaryRef { offset, length: len }));
    Ok(())
}

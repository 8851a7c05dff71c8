//! EXIF: TIFF-structured IFDs (IFD0, ExifIFD, GPS, InteropIFD, IFD1).
//! TODO(owner): implement.

use crate::context::Ctx;
use crate::error::Result;

/// Parses an EXIF/TIFF block held in memory (JPEG APP1 after `Exif\0\0`, PNG `eXIf`,
/// WebP `EXIF`, HEIF `Exif` item). `file_offset` is where `data` starts in the file, so
/// binary values are referenced by file position.
pub(crate) fn parse_block(_cx: &mut Ctx, _data: &[u8], _file_offset: u64) -> Result<()> {
    Ok(())
}

//! Photoshop image resource blocks (`8BIM`): IPTC (0x0404), XMP (0x0424), and the basic
//! resources ExifTool reports. TODO(owner): implement.

use crate::context::Ctx;
use crate::error::Result;

/// Parses a run of image resource blocks held in memory (JPEG APP13 after
/// `Photoshop 3.0\0`, PSD section 3, TIFF tag 34377).
pub(crate) fn parse_irb(_cx: &mut Ctx, _data: &[u8], _file_offset: u64) -> Result<()> {
    Ok(())
}

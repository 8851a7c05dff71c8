//! XMP (RDF/XML) packets. TODO(owner): implement.

use crate::context::Ctx;
use crate::error::Result;

/// Parses one XMP packet held in memory and emits `XMP:*` tags, flattened as ExifTool
/// flattens them without `-struct`.
pub(crate) fn parse_packet(_cx: &mut Ctx, _data: &[u8]) -> Result<()> {
    Ok(())
}

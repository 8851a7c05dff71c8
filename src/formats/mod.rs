//! Container parsers, one module per container. Each finds its metadata blocks, emits
//! its own tags and hands EXIF/IPTC/XMP payloads to the shared parsers in `crate::meta`.

use crate::context::Ctx;
use crate::error::Result;
use crate::sniff::Format;

/// Runs the parser for `format`. This match is the whole registry.
pub(crate) fn parse(format: Format, cx: &mut Ctx) -> Result<()> {
    match format {
        _ => Ok(()),
    }
}

//! TODO(owner): tiff reader.

use crate::context::Ctx;
use crate::error::Result;

/// Reads the metadata of a tiff file.
pub(crate) fn parse(_cx: &mut Ctx) -> Result<()> {
    Ok(())
}

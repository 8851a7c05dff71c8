//! TODO(owner): webp reader.

use crate::context::Ctx;
use crate::error::Result;

/// Reads the metadata of a webp file.
pub(crate) fn parse(_cx: &mut Ctx) -> Result<()> {
    Ok(())
}

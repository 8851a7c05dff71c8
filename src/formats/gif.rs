//! TODO(owner): gif reader.

use crate::context::Ctx;
use crate::error::Result;

/// Reads the metadata of a gif file.
pub(crate) fn parse(_cx: &mut Ctx) -> Result<()> {
    Ok(())
}

//! TODO(owner): matroska reader.

use crate::context::Ctx;
use crate::error::Result;

/// Reads the metadata of a matroska file.
pub(crate) fn parse(_cx: &mut Ctx) -> Result<()> {
    Ok(())
}

//! TODO(owner): cr3 reader.

use crate::context::Ctx;
use crate::error::Result;

/// Reads the metadata of a cr3 file.
pub(crate) fn parse(_cx: &mut Ctx) -> Result<()> {
    Ok(())
}

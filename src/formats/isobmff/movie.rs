//! TODO(owner): movie reader.

use crate::context::Ctx;
use crate::error::Result;

/// Reads the metadata of a movie file.
pub(crate) fn parse(_cx: &mut Ctx) -> Result<()> {
    Ok(())
}

//! TODO(owner): xmp_sidecar reader.

use crate::context::Ctx;
use crate::error::Result;

/// Reads the metadata of a xmp_sidecar file.
pub(crate) fn parse(_cx: &mut Ctx) -> Result<()> {
    Ok(())
}

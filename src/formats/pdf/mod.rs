//! PDF.
use crate::context::Ctx;
use crate::error::Result;

/// Parses a PDF.
pub(crate) fn parse(_cx: &mut Ctx) -> Result<()> {
    Ok(())
}

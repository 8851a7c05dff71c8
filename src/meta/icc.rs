//! ICC profile headers and description tags. TODO(owner): implement.

use crate::context::Ctx;
use crate::error::Result;

/// Parses an ICC profile held in memory (`ICC_Profile:*` tags).
pub(crate) fn parse_profile(_cx: &mut Ctx, _data: &[u8]) -> Result<()> {
    Ok(())
}

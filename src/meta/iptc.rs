//! IPTC IIM datasets (records 1 and 2). TODO(owner): implement.

use crate::context::Ctx;
use crate::error::Result;

/// Parses IIM datasets (`0x1C record dataset length value`...) held in memory.
pub(crate) fn parse_iim(_cx: &mut Ctx, _data: &[u8], _file_offset: u64) -> Result<()> {
    Ok(())
}

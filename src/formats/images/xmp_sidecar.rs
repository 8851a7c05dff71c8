//! XMP sidecar files (`.xmp`, `.xml` holding an `x:xmpmeta` or bare `rdf:RDF`): the whole
//! file is one packet.

use crate::context::Ctx;
use crate::error::{Error, Result};

/// Reads an XMP sidecar: one read of the whole file (bounded by `max_alloc`), then the
/// shared XMP parser.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let len = cx.len();
    let max = cx.opts.limits.max_alloc;
    if len > max as u64 {
        return Err(Error::limit(0, format!("xmp file of {len} bytes exceeds max_alloc ({max})")));
    }
    let data = cx.read_cow(0, len)?;
    crate::meta::xmp::parse_packet(cx, &data)
}

//! Payloads found inside other payloads: the XMP, IPTC, Photoshop and ICC blocks an EXIF
//! IFD holds, the IPTC, XMP, EXIF and ICC blocks of Photoshop resources, the ICC profile
//! of a bitmap header. Payload parsers reach one another only through [`parse`], so none
//! imports another; containers call the parsers directly.

use crate::context::Ctx;
use crate::error::Result;

/// The shared payload parsers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// A TIFF-structured EXIF block.
    Exif,
    /// IPTC IIM datasets.
    Iptc,
    /// Photoshop image resource blocks.
    Photoshop,
    /// An XMP packet.
    Xmp,
    /// An ICC profile.
    Icc,
}

/// Parses `data`, a payload of kind `payload` held in memory; `file_offset` is where
/// `data` starts in the file (binary values are referenced by file position; XMP and ICC
/// have none).
#[inline]
pub(crate) fn parse(cx: &mut Ctx, payload: Payload, data: &[u8], file_offset: u64) -> Result<()> {
    match payload {
        Payload::Exif => super::exif::parse_block(cx, data, file_offset),
        Payload::Iptc => super::iptc::parse_iim(cx, data, file_offset),
        Payload::Photoshop => super::photoshop::parse_irb(cx, data, file_offset),
        Payload::Xmp => super::xmp::parse_packet(cx, data),
        Payload::Icc => super::icc::parse_profile(cx, data),
    }
}

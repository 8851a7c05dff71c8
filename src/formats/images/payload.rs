//! Metadata blocks embedded in the smaller image formats (BPG, FLIF, MIFF, GIMP XCF, Paint
//! Shop Pro), handed to the shared parsers in `crate::meta`. These formats name their blocks
//! each in its own way; they say which [`Payload`] a block is and this module does the rest.

use crate::context::Ctx;

/// The kind of an embedded metadata block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Payload {
    /// A TIFF-structured EXIF block, with or without the `Exif\0\0` prefix.
    Exif,
    /// An XMP packet, with or without the JPEG APP1 signature before it.
    Xmp,
    /// An ICC profile.
    Icc,
    /// Photoshop image resource blocks (`8BIM`...).
    Irb,
    /// IPTC IIM datasets.
    Iptc,
}

/// The JPEG APP1 signature some writers keep before an XMP packet.
const XMP_SIG: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";

/// Whether a block of `len` bytes (`what`) at file offset `at` is within `max_alloc`, the
/// largest buffer an extraction may allocate; when it is not, a warning names the limit
/// and the block is to be skipped.
pub(super) fn within_alloc(cx: &mut Ctx, what: &str, len: u64, at: u64) -> bool {
    let max = cx.opts.limits.max_alloc;
    if len <= max as u64 {
        return true;
    }
    cx.warn(at, format!("{what} of {len} bytes exceeds max_alloc ({max}); skipped"));
    false
}

/// Hands the block `d`, at file offset `off`, to the parser of `kind`. A block that does
/// not parse becomes a warning: the rest of the file is still read.
pub(super) fn hand_off(cx: &mut Ctx, kind: Payload, d: &[u8], off: u64) {
    let r = match kind {
        Payload::Exif => {
            let skip = if d.starts_with(b"Exif\0\0") { 6 } else { 0 };
            crate::meta::exif::parse_block(cx, d.get(skip..).unwrap_or_default(), off + skip as u64)
        }
        Payload::Xmp => {
            let skip = if d.starts_with(XMP_SIG) { XMP_SIG.len() } else { 0 };
            crate::meta::xmp::parse_packet(cx, d.get(skip..).unwrap_or_default())
        }
        Payload::Icc => crate::meta::icc::parse_profile(cx, d),
        Payload::Irb => crate::meta::photoshop::parse_irb(cx, d, off),
        Payload::Iptc => crate::meta::iptc::parse_iim(cx, d, off),
    };
    if let Err(e) = r {
        cx.warn_error(&e);
    }
}

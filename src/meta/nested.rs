//! Payloads found inside other payloads: the XMP, IPTC, Photoshop and ICC blocks an EXIF
//! IFD holds, the IPTC, XMP, EXIF and ICC blocks of Photoshop resources, the ICC profile
//! of a bitmap header. Payload parsers reach one another only through [`parse`], so none
//! imports another; containers call the parsers directly.

use crate::context::Ctx;
use crate::error::{Error, Result};

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
///
/// Each parser bounds its own nesting (IFD chains, XML depth), but a payload inside a
/// payload starts that count afresh: EXIF holding Photoshop resources holding EXIF...
/// would recurse as deep as a hostile file likes. So payloads nest [`MAX_NESTED`] deep
/// at most; a deeper one is an error the caller turns into a warning.
#[inline]
pub(crate) fn parse(cx: &mut Ctx, payload: Payload, data: &[u8], file_offset: u64) -> Result<()> {
    if cx.nested >= MAX_NESTED {
        return Err(Error::limit(file_offset, format!("payloads nested deeper than {MAX_NESTED}")));
    }
    cx.nested += 1;
    let result = match payload {
        Payload::Exif => super::exif::parse_block(cx, data, file_offset),
        Payload::Iptc => super::iptc::parse_iim(cx, data, file_offset),
        Payload::Photoshop => super::photoshop::parse_irb(cx, data, file_offset),
        Payload::Xmp => super::xmp::parse_packet(cx, data),
        Payload::Icc => super::icc::parse_profile(cx, data),
    };
    cx.nested -= 1;
    result
}

/// Deepest nesting of payloads inside payloads. Real files nest three deep at most
/// (EXIF, Photoshop resources, IPTC); the rest of the depth budget belongs to each
/// parser's own structure.
pub(crate) const MAX_NESTED: u32 = 8;

#[cfg(test)]
mod tests {
    use super::*;

    /// Photoshop resources holding EXIF (resource 0x0422) holding Photoshop resources (tag
    /// 0x8649)..., `levels` deep.
    fn russian_doll(levels: usize) -> Vec<u8> {
        let mut d = Vec::new();
        for _ in 0..levels {
            let mut exif = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x86\x49\x00\x07".to_vec();
            exif.extend_from_slice(&(d.len() as u32).to_be_bytes());
            exif.extend_from_slice(&26u32.to_be_bytes());
            exif.extend_from_slice(&[0, 0, 0, 0]);
            exif.extend_from_slice(&d);
            let mut irb = b"8BIM\x04\x22\x00\x00".to_vec();
            irb.extend_from_slice(&(exif.len() as u32).to_be_bytes());
            irb.extend_from_slice(&exif);
            if exif.len() % 2 == 1 {
                irb.push(0);
            }
            d = irb;
        }
        d
    }

    #[test]
    fn payloads_nest_boundedly() {
        // Deep enough to overflow a small stack without the bound.
        let data = russian_doll(5_000);
        let run = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || crate::test_util::payload(Payload::Photoshop, &data))
            .unwrap();
        let parsed = run.join().expect("no stack overflow");
        assert!(parsed.warnings.iter().any(|w| w.message.contains("payloads nested deeper than 8")));
        let shallow = crate::test_util::payload(Payload::Photoshop, &russian_doll(3));
        assert!(shallow.warnings.is_empty(), "{:?}", shallow.warnings);
    }
}

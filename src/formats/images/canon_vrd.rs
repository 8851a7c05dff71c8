//! The Canon "optional data" trailer (written by Canon's Digital Photo Professional and
//! by ExifTool) at the end of a CRW: a 28-byte header (`CANON OPTIONAL DATA\0`, a
//! version, the data length), blocks of (big-endian type, length, data), and a 64-byte
//! footer that repeats the signature and the length, so the trailer is found from the
//! end of the file. Only the XMP block is read here.

use crate::base::bytes::be32;
use crate::context::Ctx;

/// The signature that opens both the header and the footer.
const SIG: &[u8] = b"CANON OPTIONAL DATA\0";
/// Footer and header sizes.
const FOOTER: u64 = 64;
const HEADER: u64 = 28;
/// Block type of the XMP packet.
const XMP_BLOCK: u32 = 0xffff_00f6;
/// Most blocks walked.
const MAX_BLOCKS: usize = 64;

/// Where the trailer starts, when the file ends with one.
pub(crate) fn find(cx: &mut Ctx) -> Option<u64> {
    let len = cx.len();
    let foot_at = len.checked_sub(FOOTER)?;
    let foot = cx.read_up_to(foot_at, FOOTER).ok()?;
    if !foot.starts_with(SIG) {
        return None;
    }
    let data = u64::from(be32(&foot, 20)?);
    let start = foot_at.checked_sub(data)?.checked_sub(HEADER)?;
    let head = cx.read_up_to(start, SIG.len() as u64).ok()?;
    (head.as_slice() == SIG).then_some(start)
}

/// Reads the trailer at `start` (from [`find`]): its XMP block goes to the XMP parser.
pub(crate) fn read(cx: &mut Ctx, start: u64) {
    let Ok(head) = cx.read_up_to(start, HEADER) else { return };
    let Some(data_len) = be32(&head, 24) else { return };
    let Some(end) = (start + HEADER).checked_add(data_len.into()) else { return };
    let mut pos = start + HEADER;
    for _ in 0..MAX_BLOCKS {
        let Some(body_at) = pos.checked_add(8).filter(|b| *b <= end) else { return };
        let Ok(bh) = cx.read_up_to(pos, 8) else { return };
        let (Some(kind), Some(size)) = (be32(&bh, 0), be32(&bh, 4)) else { return };
        let Some(next) = body_at.checked_add(size.into()).filter(|n| *n <= end) else {
            cx.warn(pos, "CanonVRD block runs past the trailer");
            return;
        };
        if kind == XMP_BLOCK {
            match cx.read(body_at, size.into()) {
                Ok(d) => {
                    if let Err(e) = crate::meta::xmp::parse_packet(cx, &d) {
                        cx.warn_error(&e);
                    }
                }
                Err(e) => cx.warn_error(&e),
            }
        }
        pos = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    /// A file body, then a trailer holding one XMP block.
    fn with_trailer(xmp: &[u8]) -> Vec<u8> {
        let mut blocks = XMP_BLOCK.to_be_bytes().to_vec();
        blocks.extend_from_slice(&(xmp.len() as u32).to_be_bytes());
        blocks.extend_from_slice(xmp);
        let mut f = vec![0u8; 10];
        f.extend_from_slice(SIG);
        f.extend_from_slice(&[0, 1, 0, 0]);
        f.extend_from_slice(&(blocks.len() as u32).to_be_bytes());
        f.extend_from_slice(&blocks);
        f.extend_from_slice(SIG);
        f.extend_from_slice(&(blocks.len() as u32).to_be_bytes());
        f.resize(f.len() + 40, 0);
        f
    }

    #[test]
    fn xmp_block_from_the_end() {
        let xmp = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="x/y"/></rdf:RDF></x:xmpmeta>"#;
        let f = with_trailer(xmp);
        let t = run(&f, |cx| {
            let at = find(cx).ok_or_else(|| crate::error::Error::malformed(0u64, "no trailer"))?;
            assert_eq!(at, 10);
            read(cx, at);
            Ok(())
        });
        assert_eq!(get(&t, "XMP:Format"), Some(&Value::from("x/y")));
        for n in 0..f.len() {
            let _ = run(&f[..n], |cx| {
                if let Some(at) = find(cx) {
                    read(cx, at);
                }
                Ok(())
            });
        }
    }
}

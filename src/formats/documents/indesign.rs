//! Adobe InDesign documents (INDD) and their XML interchange form (INX), for their XMP
//! packet (Adobe's XMP specification, part 3, "InDesign"). An INDD starts with two
//! 4 KB master pages; the current one (the higher sequence number) gives the byte order
//! of the object stream and the count of database pages, after which the contiguous
//! objects follow: a 32-byte header (a fixed GUID, ids, the stream length), the stream,
//! and a 32-byte trailer. The XMP object's stream is a 4-byte length, then the packet.
//! An INX file is XML text holding the packet as it is.

use crate::base::bytes::{Endian, le32, le64};
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Size of a master page (and of every database page).
const PAGE: u64 = 4096;
/// The GUID that opens a contiguous object's header.
const OBJECT_HEADER: [u8; 16] = *b"\xDE\x39\x39\x79\x51\x88\x4B\x6C\x8E\x63\xEE\xF8\xAE\xE0\xDD\x38";
/// Header and trailer size of a contiguous object.
const FRAME: u64 = 32;
/// Most contiguous objects walked.
const MAX_OBJECTS: usize = 10_000;
/// Most INX bytes searched for the packet.
const MAX_INX: u64 = 16 << 20;

/// Reads an INDD file: the XMP packet of its contiguous objects.
pub(crate) fn parse_indd(cx: &mut Ctx) -> Result<()> {
    let m = cx.read_up_to(0, 2 * PAGE)?;
    let page = |i: usize| m.get(i * PAGE as usize..(i + 1) * PAGE as usize);
    let seq = |p: &[u8]| le64(p, 0x108).unwrap_or(0);
    let master = match (page(0), page(1)) {
        (Some(a), Some(b)) if seq(b) > seq(a) => b,
        (Some(a), _) => a,
        _ => return Err(Error::malformed(0u64, "INDD master pages truncated")),
    };
    let order = Endian::little_if(master.get(24) != Some(&2));
    let pages = u64::from(le32(master, 0x118).unwrap_or(0));
    let mut pos = pages.saturating_mul(PAGE);
    for _ in 0..MAX_OBJECTS {
        let Ok(h) = cx.read_up_to(pos, FRAME) else { break };
        if h.get(..16) != Some(OBJECT_HEADER.as_slice()) {
            break;
        }
        let len = u64::from(le32(&h, 24).unwrap_or(0));
        let body = pos + FRAME;
        if let Ok(s) = cx.read_up_to(body, 4 + 16) {
            if s.get(4..13) == Some(b"<?xpacket".as_slice()) {
                let n = u64::from(order.u32(&s, 0).unwrap_or(0)).min(len.saturating_sub(4));
                let packet = cx.read(body + 4, n)?;
                return crate::meta::xmp::parse_packet(cx, &packet);
            }
        }
        let Some(next) = body.checked_add(len).and_then(|e| e.checked_add(FRAME)) else { break };
        pos = next;
    }
    Ok(())
}

/// Reads an INX file: the XMP packet in its text.
pub(crate) fn parse_inx(cx: &mut Ctx) -> Result<()> {
    let max = MAX_INX.min(cx.opts.limits.max_alloc as u64);
    let d = cx.read_up_to(0, max)?;
    if let Some(p) = packet(&d) {
        crate::meta::xmp::parse_packet(cx, p)?;
    }
    Ok(())
}

/// The XMP packet in `d`: from `<?xpacket begin` to the end of its closing instruction.
fn packet(d: &[u8]) -> Option<&[u8]> {
    let start = find(d, b"<?xpacket begin")?;
    let rest = d.get(start..)?;
    let end_pi = find(rest, b"<?xpacket end")?;
    let close = find(rest.get(end_pi..)?, b"?>")?;
    rest.get(..end_pi + close + 2)
}

/// Position of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    const XMP: &[u8] = br#"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="application/x-indesign"/></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"#;

    #[test]
    fn indd_object_stream() {
        let mut f = vec![0u8; 2 * PAGE as usize];
        f[24] = 2;
        f[0x118] = 2;
        f.extend_from_slice(&OBJECT_HEADER);
        f.extend_from_slice(&[0u8; 8]);
        f.extend_from_slice(&(XMP.len() as u32 + 4).to_le_bytes());
        f.extend_from_slice(&[0u8; 4]);
        f.extend_from_slice(&(XMP.len() as u32).to_be_bytes());
        f.extend_from_slice(XMP);
        f.extend_from_slice(&[0u8; 32]);
        let t = run(&f, parse_indd);
        assert_eq!(get(&t, "XMP:Format"), Some(&Value::from("application/x-indesign")));
        for n in (0..f.len()).step_by(7) {
            let _ = run(&f[..n], parse_indd);
        }
    }

    #[test]
    fn inx_packet() {
        let mut f = b"<?xml version=\"1.0\"?><docu>".to_vec();
        f.extend_from_slice(XMP);
        f.extend_from_slice(b"</docu>");
        let t = run(&f, parse_inx);
        assert_eq!(get(&t, "XMP:Format"), Some(&Value::from("application/x-indesign")));
        for n in 0..f.len() {
            let _ = run(&f[..n], parse_inx);
        }
    }
}

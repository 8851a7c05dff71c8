//! DjVu (Lizardtech's DjVu v3 reference): `AT&T` then IFF-85 chunks, big-endian sizes,
//! padded to even lengths. A single page is `FORM:DJVU`; a bundled document is
//! `FORM:DJVM`, a directory, then one `FORM` per page or shared component. Read: the
//! first page's `INFO` chunk (size, version, resolution, gamma, orientation) and the
//! `INCL` chunks (included component ids). Annotations compressed with BZZ (`ANTz`,
//! where the metadata and XMP usually sit) are not decoded.

use crate::base::bytes::{be16, be32, le16};
use crate::base::decode::latin1;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Group of every tag here.
const G: &str = "DjVu";
/// Most chunks walked, all levels together.
const MAX_CHUNKS: usize = 4096;
/// Deepest `FORM` nesting followed.
const MAX_DEPTH: u32 = 4;

/// What the walk has found so far.
#[derive(Default)]
struct State {
    chunks: usize,
    subfile: bool,
    info: bool,
}

/// Reads a DjVu file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let head = cx.read_up_to(0, 16)?;
    if !head.starts_with(b"AT&TFORM") {
        return Err(Error::malformed(0u64, "not a DjVu file"));
    }
    let size = u64::from(be32(&head, 8).unwrap_or(0));
    let end = (12 + size).min(cx.len());
    let mut st = State::default();
    form(cx, 12, end, 0, &mut st);
    Ok(())
}

/// Walks the chunks of the `FORM` whose type is at `at` (its chunks follow), up to `end`.
fn form(cx: &mut Ctx, at: u64, end: u64, depth: u32, st: &mut State) {
    let Ok(kind) = cx.read_up_to(at, 4) else { return };
    if depth > 0 && !st.subfile && kind.as_slice() != b"DJVM" {
        st.subfile = true;
        cx.add(G, "SubfileType", latin1(&kind));
    }
    let mut pos = at + 4;
    while pos + 8 <= end && st.chunks < MAX_CHUNKS {
        st.chunks += 1;
        let Ok(h) = cx.read_up_to(pos, 8) else { return };
        let (Some(id), Some(size)) = (h.get(..4), be32(&h, 4)) else { return };
        let body = pos + 8;
        let size = u64::from(size).min(end - body);
        match id {
            b"FORM" if depth < MAX_DEPTH => form(cx, body, body + size, depth + 1, st),
            b"INFO" if !st.info => {
                st.info = true;
                if let Ok(d) = cx.read_up_to(body, size.min(10)) {
                    info(cx, &d);
                }
            }
            b"INCL" => {
                if let Ok(d) = cx.read_up_to(body, size.min(1024)) {
                    cx.add(G, "IncludedFileID", latin1(&d));
                }
            }
            _ => {}
        }
        // Chunks are padded to an even length.
        pos = body + size + (size & 1);
    }
}

/// The `INFO` chunk: width, height (big-endian), minor and major version, resolution
/// (little-endian), gamma (tenths), flags (orientation in the low 3 bits).
fn info(cx: &mut Ctx, d: &[u8]) {
    let (Some(w), Some(h)) = (be16(d, 0), be16(d, 2)) else { return };
    cx.add(G, "ImageWidth", w);
    cx.add(G, "ImageHeight", h);
    cx.fact(Fact::ImageSize(w.into(), h.into()));
    if let (Some(minor), Some(major)) = (d.get(4), d.get(5)) {
        cx.add(G, "DjVuVersion", format!("{major}.{minor}"));
    }
    if let Some(r) = le16(d, 6) {
        cx.add(G, "SpatialResolution", r);
    }
    if let Some(&g) = d.get(8) {
        cx.add(G, "Gamma", f64::from(g) / 10.0);
    }
    if let Some(&f) = d.get(9) {
        cx.add(G, "Orientation", f & 7);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    #[test]
    fn bundled_document_first_page_info() {
        let mut page = b"DJVU".to_vec();
        page.extend_from_slice(b"INFO\0\0\0\x0a\0\x08\0\x06\x18\0\x64\0\x16\0");
        page.extend_from_slice(b"INCL\0\0\0\x03abc\0");
        let mut f = b"AT&TFORM".to_vec();
        f.extend_from_slice(&((page.len() + 12) as u32).to_be_bytes());
        f.extend_from_slice(b"DJVMFORM");
        f.extend_from_slice(&(page.len() as u32).to_be_bytes());
        f.extend_from_slice(&page);
        let t = run(&f, parse);
        assert_eq!(get(&t, "DjVu:SubfileType"), Some(&Value::from("DJVU")));
        assert_eq!(get(&t, "DjVu:ImageWidth"), Some(&Value::Int(8)));
        assert_eq!(get(&t, "DjVu:ImageHeight"), Some(&Value::Int(6)));
        assert_eq!(get(&t, "DjVu:DjVuVersion"), Some(&Value::from("0.24")));
        assert_eq!(get(&t, "DjVu:SpatialResolution"), Some(&Value::Int(100)));
        assert_eq!(get(&t, "DjVu:IncludedFileID"), Some(&Value::from("abc")));
        for n in 0..f.len() {
            let _ = run(&f[..n], parse);
        }
    }
}

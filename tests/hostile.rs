//! Hostile inputs against the memory budget of one extraction (issue 15).
//!
//! Each case is a hostile file built here by a short generator (nothing is committed):
//! decompression bombs in every container that inflates, lengths and counts that lie,
//! offset and reference loops, deep nesting. Every case runs through the library from
//! memory ([`metasift::extract_source`] on a byte slice) twice, with the default
//! [`Limits`] and with tight ones (`max_bytes_read` 1 MiB, `max_alloc` 256 KiB), under a
//! counting global allocator, and must:
//!
//! - not panic;
//! - be recognised as the format it was built as (so it reached the parser it targets);
//! - give metadata that serialises to valid JSON, both [`metasift::Metadata`] itself and
//!   its ExifTool projection, or else fail with `LimitExceeded` (a fatal limit is one of
//!   the outcomes the limits promise);
//! - stay within the memory model: at its peak, hold no more than [`transient_budget`]
//!   beyond the result it returns, and return a result within [`result_budget`], unless
//!   the case is listed in [`KNOWN_OVER_BUDGET`] for that set of limits.
//!
//! All cases run in one `#[test]`, one after the other: the allocator counts the whole
//! process, so another test running alongside would pollute the peaks. The figures go to
//! stderr as a table (written straight to the process's stderr, so `--nocapture` is not
//! needed).
//!
//! With `METASIFT_HOSTILE_DIR` set, each generated file is also written there as
//! `<case>.<ext>` (see `scripts/hostile-cli.sh`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use metasift::{ErrorKind, ExifToolOptions, Format, Limits, Metadata, Options};
use peak_alloc::PeakAlloc;
use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

#[global_allocator]
static PEAK: PeakAlloc = PeakAlloc;

const KIB: usize = 1 << 10;
const MIB: usize = 1 << 20;

/// Writes straight to the process's stderr (libtest captures only `eprint!`).
macro_rules! report {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

// ---- The memory model ---------------------------------------------------------------

/// Heap an extraction may hold besides its large buffers and its result: parser state,
/// small header reads, tables (measured: well under 1 MiB in every case whose large
/// buffers are bounded).
const OVERHEAD: usize = MIB;

/// The most heap an extraction may hold at its peak beyond what it returns:
///
/// ```text
/// peak - result <= 3 * max_alloc + OVERHEAD
/// ```
///
/// At any time a parser holds at most a block read from the input (a copy, unless it
/// borrows it from memory), one buffer derived from it (inflated, unescaped,
/// reassembled) and the value made from that (text decoded from the buffer), each within
/// `max_alloc`, the largest single buffer the limits allow: a compressed PNG text chunk
/// read from a file needs all three. `result` is the heap still held once `extract`
/// returns (the `Metadata`: tags, warnings, streams), measured by the allocator, so that
/// text kept legitimately is not counted twice.
///
/// `max_decompressed` does not appear: inflated bytes are dropped or kept (then counted
/// in the result), and the one inflated buffer alive at a time is within `max_alloc`.
/// Nor does `cache_capacity`: the inputs here are in memory, where no cache is made (a
/// source read through the cache adds it; see `scripts/hostile-cli.sh`).
fn transient_budget(limits: &Limits) -> usize {
    3 * limits.max_alloc + OVERHEAD
}

/// The most heap the result of an extraction may hold:
///
/// ```text
/// result <= max_kept + max_tags * 2 * size_of::<Tag>() + OVERHEAD
/// ```
///
/// Text values are budgeted by `max_kept`; each of at most `max_tags` tags costs its
/// record in a vector that may be up to twice as large as its length.
fn result_budget(limits: &Limits) -> usize {
    let kept = usize::try_from(limits.max_kept).unwrap_or(usize::MAX);
    let records = limits.max_tags.saturating_mul(2 * std::mem::size_of::<metasift::Tag>());
    kept.saturating_add(records).saturating_add(OVERHEAD)
}

/// The two sets of limits every case runs under.
fn profiles() -> [(&'static str, Options); 2] {
    let tight = Limits::default().with_max_bytes_read(MIB as u64).with_max_alloc(256 * KIB);
    [("default", Options::default()), ("tight", Options::default().with_limits(tight))]
}

/// Cases whose extraction goes over [`transient_budget`] or [`result_budget`] with
/// today's parsers, by (case, limits). The test passes for them (loudly) and fails when
/// one of them comes within budget, so that the list shrinks as the fixes land. Where
/// the memory goes, as measured when the suite was written:
const KNOWN_OVER_BUDGET: &[(&str, &str)] = &[];

// ---- Shared generators --------------------------------------------------------------

fn be16(v: u16) -> [u8; 2] {
    v.to_be_bytes()
}

fn be32(v: u32) -> [u8; 4] {
    v.to_be_bytes()
}

/// `n` bytes of pseudo-random filler (64 KiB from a linear congruential generator,
/// repeated): incompressible to a parser's eye, and without runs of keywords it could
/// latch on to.
fn noise(n: usize) -> Vec<u8> {
    let mut x: u32 = 0x2545_F491;
    let block: Vec<u8> = (0..64 * KIB)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect();
    let mut out = block.repeat(n.div_ceil(block.len()));
    out.truncate(n);
    out
}

/// `head`, then `n` copies of `fill`, then `tail`: the plain text of a deflate bomb.
fn bomb_text(head: &[u8], fill: u8, n: usize, tail: &[u8]) -> Vec<u8> {
    // `vec![byte; n]` is one memset, even unoptimised.
    let mut plain = vec![fill; head.len() + n + tail.len()];
    plain[..head.len()].copy_from_slice(head);
    plain[head.len() + n..].copy_from_slice(tail);
    plain
}

/// [`bomb_text`], zlib-compressed: a deflate bomb as PNG and PDF store them.
fn zlib_bomb(head: &[u8], fill: u8, n: usize, tail: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(&bomb_text(head, fill, n, tail), 6)
}

/// [`bomb_text`] compressed as raw deflate, as ZIP and FLIF store them.
fn deflate_bomb(head: &[u8], fill: u8, n: usize, tail: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(&bomb_text(head, fill, n, tail), 6)
}

/// Builds a nested structure of `levels` levels around `leaf` in linear time: `prefix(n)`
/// gives the bytes that open a level whose content is `n` bytes long (a box or element
/// header). The bytes are built back to front and turned around at the end.
fn nest(levels: usize, leaf: &[u8], prefix: impl Fn(usize) -> Vec<u8>) -> Vec<u8> {
    let mut rev: Vec<u8> = leaf.iter().rev().copied().collect();
    for _ in 0..levels {
        let p = prefix(rev.len());
        rev.extend(p.iter().rev());
    }
    rev.reverse();
    rev
}

/// An XMP packet whose `rdf:Description` (with the `dc` namespace) holds `body`.
fn xmp_packet(body: &str) -> String {
    format!(
        concat!(
            r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>"#,
            r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">"#,
            r#"<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">{}"#,
            r#"</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
        ),
        body
    )
}

/// A DTD whose entity `lol9` expands to 10^9 copies of "lol" (the "billion laughs").
fn billion_laughs_dtd(root: &str) -> String {
    let mut dtd = format!("<!DOCTYPE {root} [\n<!ENTITY lol0 \"lol\">\n");
    for i in 1..=9 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY lol{i} \"{refs}\">\n"));
    }
    dtd.push_str("]>\n");
    dtd
}

// ---- PNG ----------------------------------------------------------------------------

/// A PNG: signature, a 1x1 greyscale IHDR, the `chunks` (kind, body), IEND. CRCs are left
/// zero: metasift does not check them, and computing them over tens of MB would slow the
/// suite.
fn png(chunks: impl IntoIterator<Item = (&'static [u8; 4], Vec<u8>)>) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8; 4], body: &[u8]| {
        out.extend_from_slice(&be32(body.len() as u32));
        out.extend_from_slice(kind);
        out.extend_from_slice(body);
        out.extend_from_slice(&[0; 4]);
    };
    chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    for (kind, body) in chunks {
        chunk(kind, &body);
    }
    chunk(b"IEND", &[]);
    out
}

/// 100 `zTXt` chunks, each inflating to 1 MB of text: 100 MB, three times the default
/// `max_decompressed`, from 100 KB of file.
fn png_ztxt_100x1mb() -> Vec<u8> {
    png_ztxt_1mb(100)
}

/// The file of issue 15: 2,000 `zTXt` chunks of 1 MB of text each (2 GB from 2 MB of
/// file). Inflation must stop at `max_decompressed` and the rest be walked cheaply: each
/// further chunk costs a warning, not an inflation.
fn png_ztxt_2000x1mb() -> Vec<u8> {
    png_ztxt_1mb(2000)
}

/// `n` `zTXt` chunks, each inflating to 1 MB of text.
fn png_ztxt_1mb(n: usize) -> Vec<u8> {
    let z = zlib_bomb(b"", b'z', 1_000_000, b"");
    let mut body = b"Comment\0\0".to_vec();
    body.extend_from_slice(&z);
    png((0..n).map(|_| (b"zTXt", body.clone())))
}

/// One compressed `iTXt` chunk inflating to 64 MiB of zeros.
fn png_itxt_64mib() -> Vec<u8> {
    let mut body = b"Description\0\x01\0en\0\0".to_vec();
    body.extend_from_slice(&zlib_bomb(b"", 0, 64 * MIB, b""));
    png([(b"iTXt", body)])
}

/// One compressed `iTXt` chunk inflating to 64 KiB less than 16 MiB (the default
/// `max_alloc`) of text: inflated whole, then made a value.
fn png_itxt_16mib() -> Vec<u8> {
    let mut body = b"Description\0\x01\0en\0\0".to_vec();
    body.extend_from_slice(&zlib_bomb(b"", b'i', 16 * MIB - 64 * KIB, b""));
    png([(b"iTXt", body)])
}

/// 20 compressed `iTXt` chunks like [`png_itxt_16mib`]'s: each value is cut to
/// `max_value_len`, and the kept text must be what the result holds.
fn png_itxt_20x16mib() -> Vec<u8> {
    let mut body = b"Description\0\x01\0en\0\0".to_vec();
    body.extend_from_slice(&zlib_bomb(b"", b'i', 16 * MIB - 64 * KIB, b""));
    png((0..20).map(|_| (b"iTXt", body.clone())))
}

/// One `iCCP` chunk whose profile inflates to 64 MiB of zeros.
fn png_iccp_64mib() -> Vec<u8> {
    let mut body = b"icc\0\0".to_vec();
    body.extend_from_slice(&zlib_bomb(b"", 0, 64 * MIB, b""));
    png([(b"iCCP", body)])
}

/// 40 uncompressed `tEXt` chunks of 1 MB each (40 MB of text kept as is: `max_kept`).
fn png_text_40x1mb() -> Vec<u8> {
    let mut body = b"Comment\0".to_vec();
    body.resize(body.len() + 1_000_000, b't');
    png((0..40).map(|_| (b"tEXt", body.clone())))
}

// ---- ZIP / OOXML --------------------------------------------------------------------

/// A ZIP archive of `(name, method, data as stored, declared uncompressed size)`. CRCs
/// are zero (not checked).
fn zip(entries: &[(&str, u16, &[u8], u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut dir = Vec::new();
    for (name, method, data, plain_len) in entries {
        let offset = out.len() as u32;
        let mut common = Vec::new();
        common.extend_from_slice(&20u16.to_le_bytes()); // version needed
        common.extend_from_slice(&0u16.to_le_bytes()); // flags
        common.extend_from_slice(&method.to_le_bytes());
        common.extend_from_slice(&0x6000u16.to_le_bytes()); // 12:00:00
        common.extend_from_slice(&0x52CFu16.to_le_bytes()); // 2021-06-15
        common.extend_from_slice(&0u32.to_le_bytes()); // CRC-32
        common.extend_from_slice(&(data.len() as u32).to_le_bytes());
        common.extend_from_slice(&plain_len.to_le_bytes());
        common.extend_from_slice(&(name.len() as u16).to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes()); // extra length
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&common);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        dir.extend_from_slice(b"PK\x01\x02");
        dir.extend_from_slice(&20u16.to_le_bytes()); // version made by
        dir.extend_from_slice(&common);
        dir.extend_from_slice(&[0; 10]); // comment length, disk, attributes
        dir.extend_from_slice(&offset.to_le_bytes());
        dir.extend_from_slice(name.as_bytes());
    }
    let dir_offset = out.len() as u32;
    out.extend_from_slice(&dir);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(dir.len() as u32).to_le_bytes());
    out.extend_from_slice(&dir_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

const CORE_OPEN: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
    r#"xmlns:dc="http://purl.org/dc/elements/1.1/">"#
);
const CORE_CLOSE: &str = "</cp:coreProperties>";

/// A DOCX whose `docProps/core.xml` is `core`, stored with `method` (0 or 8) and the
/// declared uncompressed size `plain_len`.
fn docx(core: &[u8], method: u16, plain_len: u32) -> Vec<u8> {
    let types = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
    let doc = b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>";
    zip(&[
        ("[Content_Types].xml", 0, types, types.len() as u32),
        ("word/document.xml", 0, doc, doc.len() as u32),
        ("docProps/core.xml", method, core, plain_len),
    ])
}

/// The deflated `core.xml` of the DOCX bombs: a title of 100 MB, compressed once.
fn core_bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let head = format!("{CORE_OPEN}<dc:title>");
        let tail = format!("</dc:title>{CORE_CLOSE}");
        deflate_bomb(head.as_bytes(), b'A', 100_000_000, tail.as_bytes())
    })
}

/// `docProps/core.xml` deflated from 100 MB, its sizes stated truthfully.
fn docx_core_bomb() -> Vec<u8> {
    docx(core_bomb(), 8, 100_000_000 + 300)
}

/// The same bomb, its central directory claiming 1 KB uncompressed.
fn docx_core_bomb_lying() -> Vec<u8> {
    docx(core_bomb(), 8, 1024)
}

/// `core.xml` with a billion-laughs DTD and the entity in a title.
fn docx_billion_laughs() -> Vec<u8> {
    let core = CORE_OPEN.replacen("?>", &format!("?>{}", billion_laughs_dtd("cp:coreProperties")), 1);
    let core = format!("{core}<dc:title>&lol9;</dc:title><dc:creator>&lol9;</dc:creator>{CORE_CLOSE}");
    docx(core.as_bytes(), 0, core.len() as u32)
}

// ---- PDF ----------------------------------------------------------------------------

/// The body of a PDF: header and `objects` numbered from 1 (each the bytes between
/// `n 0 obj` and `endobj`); returns it with the offset of each object.
fn pdf_body(objects: &[Vec<u8>]) -> (Vec<u8>, Vec<usize>) {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    (out, offsets)
}

/// Appends a classic xref table for `offsets` (objects 1..) with `trailer` entries and
/// the `startxref` pointing at it; returns the table's offset.
fn xref_table(out: &mut Vec<u8>, offsets: &[usize], trailer: &str) -> usize {
    let at = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(format!("trailer\n<</Size {}{trailer}>>\n", offsets.len() + 1).as_bytes());
    out.extend_from_slice(format!("startxref\n{at}\n%%EOF\n").as_bytes());
    at
}

/// A stream object: `dict` entries plus `/Length`, then `data`.
fn pdf_stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<<{dict}/Length {}>>\nstream\n", data.len()).into_bytes();
    o.extend_from_slice(data);
    o.extend_from_slice(b"\nendstream");
    o
}

/// The catalog (object 1) and an empty page tree (object 2).
fn pdf_catalog(extra: &str) -> [Vec<u8>; 2] {
    [format!("<</Type/Catalog/Pages 2 0 R{extra}>>").into_bytes(), b"<</Type/Pages/Count 0/Kids[]>>".to_vec()]
}

/// A `/Metadata` stream with `/FlateDecode` inflating to 64 MiB.
fn pdf_metadata_bomb() -> Vec<u8> {
    let head = xmp_packet("<dc:format>");
    let data = zlib_bomb(head.as_bytes(), b' ', 64 * MIB, b"");
    let [cat, pages] = pdf_catalog("/Metadata 3 0 R");
    let meta = pdf_stream("/Type/Metadata/Subtype/XML/Filter/FlateDecode", &data);
    let (mut out, offsets) = pdf_body(&[cat, pages, meta]);
    xref_table(&mut out, &offsets, "/Root 1 0 R");
    out
}

/// The `/Info` dictionary inside an object stream that inflates to 64 MiB (a title of
/// 64 MiB), found through an xref stream.
fn pdf_objstm_bomb() -> Vec<u8> {
    let data = zlib_bomb(b"4 0 <</Title(", b'T', 64 * MIB, b")>>");
    let [cat, pages] = pdf_catalog("");
    let objstm = pdf_stream("/Type/ObjStm/N 1/First 4/Filter/FlateDecode", &data);
    let (mut out, offsets) = pdf_body(&[cat, pages, objstm]);
    objstm_xref_stream(&mut out, &offsets);
    out
}

/// Appends object 5, an xref stream for objects 1 to 3 at `offsets`, object 4 in object
/// stream 3, and `/Info 4 0 R`, then the `startxref` pointing at it.
fn objstm_xref_stream(out: &mut Vec<u8>, offsets: &[usize]) {
    // Object 5: the xref stream, rows of W [1 4 2] for objects 0..=5.
    let at5 = out.len();
    let row = |t: u8, a: usize, b: u16| {
        let mut r = vec![t];
        r.extend_from_slice(&(a as u32).to_be_bytes());
        r.extend_from_slice(&b.to_be_bytes());
        r
    };
    let rows = [row(0, 0, 0xFFFF), row(1, offsets[0], 0), row(1, offsets[1], 0), row(1, offsets[2], 0)]
        .into_iter()
        .chain([row(2, 3, 0), row(1, at5, 0)])
        .flatten()
        .collect::<Vec<u8>>();
    let xref = pdf_stream("/Type/XRef/Size 6/W[1 4 2]/Root 1 0 R/Info 4 0 R", &rows);
    out.extend_from_slice(b"5 0 obj\n");
    out.extend_from_slice(&xref);
    out.extend_from_slice(format!("\nendobj\nstartxref\n{at5}\n%%EOF\n").as_bytes());
}

/// A PDF whose `startxref` points past the end, so the reader scans for objects: `fill`
/// bytes of noise in a stream make the file large.
fn pdf_broken_xref(fill: usize) -> Vec<u8> {
    let [cat, pages] = pdf_catalog("");
    let info = b"<</Title(broken xref)/Author(hostile.rs)>>".to_vec();
    let big = pdf_stream("", &noise(fill));
    let (mut out, _) = pdf_body(&[cat, pages, info, big]);
    out.extend_from_slice(b"trailer\n<</Size 5/Root 1 0 R/Info 3 0 R>>\nstartxref\n999999999\n%%EOF\n");
    out
}

/// 25 MB with a broken xref: the rebuild scan.
fn pdf_broken_xref_25mb() -> Vec<u8> {
    pdf_broken_xref(25_000_000)
}

/// 12 MB with a broken xref: the rebuild scan, within the default `max_alloc`.
fn pdf_broken_xref_12mb() -> Vec<u8> {
    pdf_broken_xref(12_000_000)
}

/// Two xref sections whose `/Prev` point at each other.
fn pdf_prev_loop() -> Vec<u8> {
    let [cat, pages] = pdf_catalog("");
    let info = b"<</Title(prev loop)>>".to_vec();
    let (mut out, offsets) = pdf_body(&[cat, pages, info]);
    // Section A (the newest) names B as /Prev; B names A. B's offset is patched into A.
    let placeholder = "/Prev 0000000000";
    let a = xref_table(&mut out, &offsets, &format!("/Root 1 0 R/Info 3 0 R{placeholder}"));
    let b = xref_table(&mut out, &offsets, &format!("/Root 1 0 R/Prev {a}"));
    let at = a + out[a..].windows(placeholder.len()).position(|w| w == placeholder.as_bytes()).unwrap();
    out[at..at + placeholder.len()].copy_from_slice(format!("/Prev {b:010}").as_bytes());
    // The last startxref (after B) must name A, the newest.
    out.extend_from_slice(format!("startxref\n{a}\n%%EOF\n").as_bytes());
    out
}

/// Objects whose value is a reference to themselves: `/Info`, `/Count`, `/Metadata`.
fn pdf_self_ref() -> Vec<u8> {
    let objects = [
        b"<</Type/Catalog/Pages 2 0 R/Metadata 4 0 R>>".to_vec(),
        b"<</Type/Pages/Count 3 0 R/Kids[]>>".to_vec(),
        b"3 0 R".to_vec(),
        b"4 0 R".to_vec(),
        b"5 0 R".to_vec(),
    ];
    let (mut out, offsets) = pdf_body(&objects);
    xref_table(&mut out, &offsets, "/Root 1 0 R/Info 5 0 R");
    out
}

/// A page tree without `/Count` whose `/Kids` lead back to the root: Root -> Pages ->
/// Kids -> Pages.
fn pdf_pages_loop() -> Vec<u8> {
    let objects = [
        b"<</Type/Catalog/Pages 2 0 R>>".to_vec(),
        b"<</Type/Pages/Kids[3 0 R]>>".to_vec(),
        b"<</Type/Pages/Parent 2 0 R/Kids[2 0 R 3 0 R]>>".to_vec(),
    ];
    let (mut out, offsets) = pdf_body(&objects);
    xref_table(&mut out, &offsets, "/Root 1 0 R");
    out
}

/// An `/Info` dictionary of 12 MB, uncompressed: a `/Title` of 6 MB of UTF-16 and a
/// `/Subject` of 6 MB of PDFDocEncoding bytes that each decode to three bytes of UTF-8.
fn pdf_info_long_strings() -> Vec<u8> {
    let mut info = b"<</Title<FEFF".to_vec();
    info.extend_from_slice(&b"0041".repeat(1_500_000));
    info.extend_from_slice(b">/Subject(");
    info.extend_from_slice(&vec![0x80; 6_000_000]);
    info.extend_from_slice(b")>>");
    let [cat, pages] = pdf_catalog("");
    let (mut out, offsets) = pdf_body(&[cat, pages, info]);
    xref_table(&mut out, &offsets, "/Root 1 0 R/Info 3 0 R");
    out
}

/// An xref stream of a million one-byte rows (`/W [1 0 0]`), compressed to a few KB: as
/// many objects as its `/Size` says, none of them real.
fn pdf_xref_stream_1m() -> Vec<u8> {
    let [cat, pages] = pdf_catalog("");
    let (mut out, _) = pdf_body(&[cat, pages]);
    let data = zlib_bomb(b"", 1, 1_000_000, b"");
    let at = out.len();
    let xref = pdf_stream("/Type/XRef/Size 1000000/W[1 0 0]/Root 1 0 R/Filter/FlateDecode", &data);
    out.extend_from_slice(b"3 0 obj\n");
    out.extend_from_slice(&xref);
    out.extend_from_slice(format!("\nendobj\nstartxref\n{at}\n%%EOF\n").as_bytes());
    out
}

/// An `/Info` dictionary in an object stream of 16 MB that inflates from a few KB: 80
/// arrays of 100,000 zeros, each two bytes in the file and a parsed object in memory.
fn pdf_objstm_array_bomb() -> Vec<u8> {
    let inner = format!("[{}]", "0 ".repeat(99_999));
    let body = format!("4 0 <</Title(array bomb)/Junk[{}]>>", inner.repeat(80));
    let data = miniz_oxide::deflate::compress_to_vec_zlib(body.as_bytes(), 6);
    let [cat, pages] = pdf_catalog("");
    let objstm = pdf_stream("/Type/ObjStm/N 1/First 4/Filter/FlateDecode", &data);
    let (mut out, offsets) = pdf_body(&[cat, pages, objstm]);
    objstm_xref_stream(&mut out, &offsets);
    out
}

// ---- JPEG ---------------------------------------------------------------------------

const XMP_SIG: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXT_SIG: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";

/// A JPEG: SOI, the `segments` (marker, body of at most 65,533 bytes), a 1x1 SOF0, EOI.
fn jpeg(segments: impl IntoIterator<Item = (u8, Vec<u8>)>) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let sof = vec![8, 0, 1, 0, 1, 1, 1, 0x11, 0];
    for (marker, body) in segments.into_iter().chain([(0xC0, sof)]) {
        assert!(body.len() <= 65_533, "segment too long");
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&be16(body.len() as u16 + 2));
        out.extend_from_slice(&body);
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// Extended XMP whose chunk declares a full length of about 4 GB, with one small chunk.
fn jpeg_extended_xmp_4gb() -> Vec<u8> {
    let guid = "0123456789ABCDEF0123456789ABCDEF";
    let main = xmp_packet(&format!(
        r#"<xmpNote:HasExtendedXMP xmlns:xmpNote="http://ns.adobe.com/xmp/note/">{guid}</xmpNote:HasExtendedXMP>"#
    ));
    let mut ext = XMP_EXT_SIG.to_vec();
    ext.extend_from_slice(guid.as_bytes());
    ext.extend_from_slice(&be32(0xFFFF_FFF0)); // full length
    ext.extend_from_slice(&be32(0)); // offset of this chunk
    ext.extend_from_slice(xmp_packet("<dc:format>x</dc:format>").as_bytes());
    jpeg([(0xE1, [XMP_SIG, main.as_bytes()].concat()), (0xE1, ext)])
}

/// Extended XMP declaring a full length just under the default `max_alloc`, with one
/// small chunk present: the packet must not be zero-filled to the declared length.
fn jpeg_extended_xmp_sparse() -> Vec<u8> {
    let guid = "0123456789ABCDEF0123456789ABCDEF";
    let main = xmp_packet(&format!(
        r#"<xmpNote:HasExtendedXMP xmlns:xmpNote="http://ns.adobe.com/xmp/note/">{guid}</xmpNote:HasExtendedXMP>"#
    ));
    let mut ext = XMP_EXT_SIG.to_vec();
    ext.extend_from_slice(guid.as_bytes());
    ext.extend_from_slice(&be32((16 * MIB - 64 * KIB) as u32)); // full length
    ext.extend_from_slice(&be32(0)); // offset of this chunk
    ext.extend_from_slice(xmp_packet("<dc:format>x</dc:format>").as_bytes());
    jpeg([(0xE1, [XMP_SIG, main.as_bytes()].concat()), (0xE1, ext)])
}

/// 130 segments of about 64 KB of each payload a JPEG gathers over several segments
/// (ICC profile, Photoshop APP13, FLIR, JUMBF; 8 MB each, 34 MB in all): each is within
/// `max_alloc` alone, and together they must stay within one budget.
fn jpeg_payload_mix() -> Vec<u8> {
    const N: usize = 130;
    let part = 65_000;
    let icc = |seq: usize| {
        let mut b = [&b"ICC_PROFILE\0"[..], &[seq as u8 + 1, N as u8]].concat();
        b.resize(b.len() + part, 0);
        if seq == 0 {
            b[14 + 36..14 + 40].copy_from_slice(b"acsp");
        }
        (0xE2, b)
    };
    let app13 = |_| {
        let mut b = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
        b.extend_from_slice(&be32(part as u32));
        b.resize(b.len() + part, 0);
        (0xED, b)
    };
    let flir = |i: usize| {
        let mut b = [&b"FLIR\0\x01"[..], &[i as u8, N as u8 - 1]].concat();
        if i == 0 {
            b.extend_from_slice(b"FFF\0");
        }
        b.resize(8 + part, 0);
        (0xE1, b)
    };
    let jumbf = |i: usize| {
        // Common identifier, box instance, sequence number, then the box header (repeated
        // in each continuation) and its data.
        let mut b = b"JP\0\x01".to_vec();
        b.extend_from_slice(&be32(i as u32 + 1));
        b.extend_from_slice(&be32((N * part + 8) as u32));
        b.extend_from_slice(b"jumb");
        b.resize(16 + part, 0);
        (0xEB, b)
    };
    let segments = (0..N).flat_map(|i| [icc(i), app13(i), flir(i), jumbf(i)]);
    jpeg(segments)
}

/// 600 Photoshop APP13 segments of about 64 KB, each an IPTC resource with two
/// 32,000-byte captions (38 MB of text in all).
fn jpeg_app13_600() -> Vec<u8> {
    let caption = |c: u8| {
        let mut d = vec![0x1C, 2, 120];
        d.extend_from_slice(&be16(32_000));
        d.resize(d.len() + 32_000, c);
        d
    };
    let iptc = [caption(b'a'), caption(b'b')].concat();
    let mut body = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    body.extend_from_slice(&be32(iptc.len() as u32));
    body.extend_from_slice(&iptc);
    jpeg((0..600).map(|_| (0xED, body.clone())))
}

/// 800 XMP APP1 packets of about 65 KB each (52 MB), each with a 64,000-byte description.
fn jpeg_xmp_800() -> Vec<u8> {
    let text = "d".repeat(64_000);
    let packet = xmp_packet(&format!("<dc:format>{text}</dc:format>"));
    let body = [XMP_SIG, packet.as_bytes()].concat();
    jpeg((0..800).map(|_| (0xE1, body.clone())))
}

// ---- ISO-BMFF (MP4) -----------------------------------------------------------------

/// A box: 32-bit size, type, body.
fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut b = be32(8 + body.len() as u32).to_vec();
    b.extend_from_slice(kind);
    b.extend_from_slice(body);
    b
}

/// `ftyp` of an MP4.
fn ftyp() -> Vec<u8> {
    bx(b"ftyp", b"isom\0\0\x02\0isomiso2mp41")
}

/// `mvhd` version 0: time scale 1000, duration 1000.
fn mvhd() -> Vec<u8> {
    let mut b = vec![0; 100];
    b[12..16].copy_from_slice(&be32(1000));
    b[16..20].copy_from_slice(&be32(1000));
    b[20..24].copy_from_slice(&be32(0x0001_0000));
    b[24..26].copy_from_slice(&be16(0x0100));
    bx(b"mvhd", &b)
}

/// A movie with one video track whose `stbl` holds `tables` (after an empty `stsd`).
fn mp4_with_tables(tables: &[Vec<u8>]) -> Vec<u8> {
    let mut tkhd = vec![0; 84];
    tkhd[3] = 3; // enabled, in movie
    tkhd[12..16].copy_from_slice(&be32(1));
    let mut mdhd = vec![0; 24];
    mdhd[12..16].copy_from_slice(&be32(1000));
    let hdlr = [&[0u8; 8][..], b"vide", &[0; 13]].concat();
    let stsd = bx(b"stsd", &[0; 8]);
    let stbl = bx(b"stbl", &[stsd, tables.concat()].concat());
    let minf = bx(b"minf", &stbl);
    let mdia = bx(b"mdia", &[bx(b"mdhd", &mdhd), bx(b"hdlr", &hdlr), minf].concat());
    let trak = bx(b"trak", &[bx(b"tkhd", &tkhd), mdia].concat());
    [ftyp(), bx(b"moov", &[mvhd(), trak].concat())].concat()
}

/// An `stsz` with 4 million entries (a 16 MB box).
fn mp4_stsz_4m() -> Vec<u8> {
    let n = 4_000_000;
    let body = [&[0u8; 8][..], &be32(n), &be32(1000).repeat(n as usize)].concat();
    mp4_with_tables(&[bx(b"stsz", &body)])
}

/// An `stts` with 4 million entries (a 32 MB box).
fn mp4_stts_4m() -> Vec<u8> {
    let n = 4_000_000u32;
    let entries: Vec<u8> = [be32(1), be32(40)].concat().repeat(n as usize);
    mp4_with_tables(&[bx(b"stts", &[&[0u8; 4][..], &be32(n), &entries].concat())])
}

/// An audio-only M4A whose `ilst` holds a title and a 20 MB cover (`covr`) before an
/// artist: the cover must be referenced, not read.
fn m4a_cover_20mb() -> Vec<u8> {
    let data = |ty: u32, value: &[u8]| bx(b"data", &[&be32(ty)[..], &[0; 4], value].concat());
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 16, 0, 16, 3];
    jpeg.resize(20_000_000, 0);
    let ilst = [
        bx(b"\xa9nam", &data(1, b"title")),
        bx(b"covr", &data(13, &jpeg)),
        bx(b"\xa9ART", &data(1, b"artist")),
    ]
    .concat();
    let hdlr = bx(b"hdlr", &[&[0u8; 8][..], b"mdirappl", &[0; 10]].concat());
    let meta = bx(b"meta", &[&[0u8; 4][..], &hdlr, &bx(b"ilst", &ilst)].concat());
    let moov = bx(b"moov", &[mvhd(), bx(b"udta", &meta)].concat());
    [bx(b"ftyp", b"M4A \0\0\0\0M4A isom"), moov].concat()
}

/// `stts`, `stsz` and `stco` whose entry counts say 2^32-1 in boxes of a few bytes.
fn mp4_table_count_lie() -> Vec<u8> {
    let table = |kind: &[u8; 4], pre: &[u8]| {
        let body = [&[0u8; 4][..], pre, &be32(u32::MAX), &[0, 0, 0, 1, 0, 0, 0, 2]].concat();
        bx(kind, &body)
    };
    mp4_with_tables(&[table(b"stts", b""), table(b"stsz", &[0; 4]), table(b"stco", b"")])
}

/// A `moov` of 64-bit size 2^64-1 (largesize), holding an `mvhd` and a `trak` of the same
/// size.
fn mp4_largesize() -> Vec<u8> {
    let big = |kind: &[u8; 4], body: &[u8]| [&be32(1)[..], kind, &u64::MAX.to_be_bytes(), body].concat();
    [ftyp(), big(b"moov", &[mvhd(), big(b"trak", &bx(b"tkhd", &[0; 84]))].concat())].concat()
}

/// Boxes nested 100,000 deep inside `moov`/`udta` (`meta` full boxes in `meta`...).
fn mp4_deep_100k() -> Vec<u8> {
    let leaf = bx(b"ilst", &[]);
    let deep = nest(100_000, &leaf, |n| [&be32(12 + n as u32)[..], b"meta", &[0; 4]].concat());
    [ftyp(), bx(b"moov", &[mvhd(), bx(b"udta", &deep)].concat())].concat()
}

// ---- XML ----------------------------------------------------------------------------

/// An XMP sidecar with a billion-laughs DTD, the entity in an element and an attribute.
fn xmp_billion_laughs() -> Vec<u8> {
    let packet = xmp_packet(r#"<dc:format>&lol9;</dc:format><dc:source>&lol9;</dc:source>"#);
    let dtd = billion_laughs_dtd("x:xmpmeta");
    packet.replacen("?>", &format!("?>{dtd}"), 1).into_bytes()
}

/// An XMP sidecar with 100,000 nested elements inside a property.
fn xmp_deep_100k() -> Vec<u8> {
    let n = 100_000;
    let body =
        format!(r#"<dc:format xmlns:a="urn:a">{}x{}</dc:format>"#, "<a:b>".repeat(n), "</a:b>".repeat(n));
    xmp_packet(&body).into_bytes()
}

// ---- TIFF / EXIF --------------------------------------------------------------------

/// One little-endian IFD of `(tag, type, count, value)` entries and the next-IFD offset.
fn ifd(entries: &[(u16, u16, u32, u32)], next: u32) -> Vec<u8> {
    let mut out = (entries.len() as u16).to_le_bytes().to_vec();
    for &(tag, typ, count, value) in entries {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend_from_slice(&next.to_le_bytes());
    out
}

/// A little-endian TIFF: header (first IFD at 8) and `parts` laid out from offset 8.
fn tiff(parts: &[Vec<u8>]) -> Vec<u8> {
    [&b"II*\0\x08\0\0\0"[..], &parts.concat()].concat()
}

const SHORT: u16 = 3;
const LONG: u16 = 4;
const ASCII: u16 = 2;
const RATIONAL: u16 = 5;
const UNDEFINED: u16 = 7;

/// IFD0 -> IFD1 -> IFD0 through next-IFD offsets, and ExifIFD/GPS pointers back to IFD0.
fn tiff_ifd_loop() -> Vec<u8> {
    // IFD0 at 8 has 4 entries (2 + 48 + 4 = 54 bytes): IFD1 at 62.
    let ifd0 =
        ifd(&[(0x100, SHORT, 1, 16), (0x101, SHORT, 1, 16), (0x8769, LONG, 1, 62), (0x8825, LONG, 1, 8)], 62);
    let ifd1 = ifd(&[(0x100, SHORT, 1, 8), (0x8769, LONG, 1, 8)], 8);
    tiff(&[ifd0, ifd1])
}

/// IFD0 whose 10,000 SubIFD pointers, ExifIFD, GPS and next-IFD all name one IFD, which
/// names itself the same ways.
fn tiff_ifd_fanout() -> Vec<u8> {
    let n = 10_000u32;
    // IFD0 at 8: 6 entries (2 + 72 + 4 = 78 bytes); the shared IFD at 86 (5 entries, 66
    // bytes); the pointer array at 152.
    let (shared, array) = (86u32, 152u32);
    let ifd0 = ifd(
        &[
            (0x100, SHORT, 1, 16),
            (0x101, SHORT, 1, 16),
            (0x14A, LONG, n, array),
            (0x8769, LONG, 1, shared),
            (0x8825, LONG, 1, shared),
            (0xA005, LONG, 1, shared),
        ],
        shared,
    );
    let target = ifd(
        &[
            (0x100, SHORT, 1, 8),
            (0x14A, LONG, 2, array),
            (0x8769, LONG, 1, shared),
            (0x8825, LONG, 1, shared),
            (0xA005, LONG, 1, shared),
        ],
        shared,
    );
    let pointers: Vec<u8> = (0..n).flat_map(|_| shared.to_le_bytes()).collect();
    let out = tiff(&[ifd0, target, pointers]);
    assert_eq!(out.len(), 152 + 4 * n as usize);
    out
}

/// Entries whose counts say 2^32-1 (ASCII, LONG, RATIONAL, UNDEFINED), and one that says
/// 3,000,000 and fits in the file.
fn tiff_count_lie() -> Vec<u8> {
    let max = u32::MAX;
    // IFD0 at 8: 7 entries (90 bytes), the ExifIFD at 98 (3 entries, 42 bytes), then text.
    let ifd0 = ifd(
        &[
            (0x100, SHORT, 1, 16),
            (0x10E, ASCII, max, 140),
            (0x111, LONG, max, 140),
            (0x11A, RATIONAL, max, 140),
            (0x13B, ASCII, 3_000_000, 140),
            (0x2BC, UNDEFINED, max, 140),
            (0x8769, LONG, 1, 98),
        ],
        0,
    );
    let exif =
        ifd(&[(0x9286, UNDEFINED, max, 140), (0x927C, UNDEFINED, max, 140), (0xA420, ASCII, max, 8)], 0);
    let out = tiff(&[ifd0, exif, vec![b'x'; 3_000_000]]);
    assert_eq!(out.len(), 140 + 3_000_000);
    out
}

// ---- Matroska -----------------------------------------------------------------------

/// The reserved "unknown size" (all ones in an 8-byte size).
const UNKNOWN: u64 = 0x00FF_FFFF_FFFF_FFFF;

/// An EBML element: `id` (with its marker bits), an 8-byte size (`size` or [`UNKNOWN`]),
/// then `body`.
fn ebml_sized(id: u32, size: u64, body: &[u8]) -> Vec<u8> {
    let id_bytes = id.to_be_bytes();
    let skip = id_bytes.iter().take_while(|b| **b == 0).count();
    let mut out = id_bytes[skip..].to_vec();
    out.push(0x01);
    out.extend_from_slice(&size.to_be_bytes()[1..]);
    out.extend_from_slice(body);
    out
}

/// An EBML element of known size.
fn el(id: u32, body: &[u8]) -> Vec<u8> {
    ebml_sized(id, body.len() as u64, body)
}

/// An EBML element of unknown size.
fn el_unknown(id: u32, body: &[u8]) -> Vec<u8> {
    ebml_sized(id, UNKNOWN, body)
}

/// The EBML header of a Matroska file.
fn ebml_header() -> Vec<u8> {
    let body =
        [el(0x4286, &[1]), el(0x42F7, &[1]), el(0x42F2, &[4]), el(0x42F3, &[8]), el(0x4282, b"matroska")]
            .into_iter()
            .chain([el(0x4287, &[4]), el(0x4285, &[2])])
            .collect::<Vec<_>>()
            .concat();
    el(0x1A45_DFA3, &body)
}

/// Every master element after the EBML header of unknown size (the all-ones size), so
/// that each one's extent must be found by scanning, and a Cluster of 2 MB.
fn mkv_unknown_sizes() -> Vec<u8> {
    let info =
        el_unknown(0x1549_A966, &[el(0x2AD7B1, &[0x0F, 0x42, 0x40]), el(0x7BA9, b"unknown sizes")].concat());
    let entry = [el(0xD7, &[1]), el(0x83, &[1]), el(0x86, b"V_VP9")].concat();
    let tracks = el_unknown(0x1654_AE6B, &el_unknown(0xAE, &entry));
    let simple = el_unknown(0x67C8, &[el(0x45A3, b"TITLE"), el(0x4487, b"x")].concat());
    let tags = el_unknown(0x1254_C367, &el_unknown(0x7373, &simple));
    let cluster = el_unknown(0x1F43_B675, &[el(0xE7, &[0]), el(0xA3, &vec![0; 2 * MIB])].concat());
    let segment = el_unknown(0x1853_8067, &[info, tracks, tags, cluster].concat());
    [ebml_header(), segment].concat()
}

/// `SimpleTag` elements nested 100,000 deep in `Tags`/`Tag`.
fn mkv_deep_100k() -> Vec<u8> {
    let name = el(0x45A3, b"A");
    let deep = nest(100_000, &[], |n| {
        let mut p = ebml_sized(0x67C8, (name.len() + n) as u64, &[]);
        p.extend_from_slice(&name);
        p
    });
    let tags = el(0x1254_C367, &el(0x7373, &deep));
    let info = el(0x1549_A966, &el(0x2AD7B1, &[0x0F, 0x42, 0x40]));
    [ebml_header(), el(0x1853_8067, &[info, tags].concat())].concat()
}

/// Tags of 20 MB (2,000 Tag elements of 10 KB) after the Info.
fn mkv_tags_20mb() -> Vec<u8> {
    let simple = el(0x67C8, &[el(0x45A3, b"COMMENT"), el(0x4487, &[b'm'; 10_000])].concat());
    let tags = el(0x1254_C367, &el(0x7373, &simple).repeat(2000));
    let info = el(0x1549_A966, &el(0x2AD7B1, &[0x0F, 0x42, 0x40]));
    [ebml_header(), el(0x1853_8067, &[info, tags].concat())].concat()
}

// ---- Audio --------------------------------------------------------------------------

/// `n` MPEG-1 layer III frames (128 kbit/s, 44.1 kHz: 417 bytes each), silent.
fn mp3_frames(n: usize) -> Vec<u8> {
    let mut frame = vec![0xFF, 0xFB, 0x90, 0x64];
    frame.resize(417, 0);
    frame.repeat(n)
}

/// A syncsafe 28-bit number.
fn syncsafe(v: u32) -> [u8; 4] {
    [(v >> 21) as u8 & 0x7F, (v >> 14) as u8 & 0x7F, (v >> 7) as u8 & 0x7F, v as u8 & 0x7F]
}

/// An ID3v2.4 tag whose size says 256 MB (syncsafe maximum) before a few KB of MP3, and
/// whose second frame's size says the same.
fn id3_tag_size_lie() -> Vec<u8> {
    let mut tag = b"ID3\x04\0\0".to_vec();
    tag.extend_from_slice(&syncsafe(0x0FFF_FFFF));
    tag.extend_from_slice(b"TIT2");
    tag.extend_from_slice(&syncsafe(6));
    tag.extend_from_slice(b"\0\0\x03title");
    tag.extend_from_slice(b"TALB");
    tag.extend_from_slice(&syncsafe(0x0FFF_FFFF));
    tag.extend_from_slice(b"\0\0\x03album");
    [tag, mp3_frames(8)].concat()
}

/// An ID3v2.3 tag of honest size whose frames lie: a comment and a picture claiming
/// 2 GB, followed by 8 MB of MP3.
fn id3_frame_size_lie() -> Vec<u8> {
    let frame = |id: &[u8; 4], size: u32, body: &[u8]| [&id[..], &be32(size), &[0, 0], body].concat();
    let frames = [
        frame(b"TIT2", 6, b"\x03title"),
        frame(b"COMM", 0x7FFF_FFF0, b"\x00engcomment"),
        frame(b"APIC", 0x7FFF_FFF0, b"\x00image/jpeg\0\x03\0\xFF\xD8"),
    ]
    .concat();
    let mut tag = b"ID3\x03\0\0".to_vec();
    tag.extend_from_slice(&syncsafe(frames.len() as u32));
    [tag, frames, mp3_frames(20_000)].concat()
}

/// An ID3v2.3 tag with a real 5 MB comment, then MP3 frames.
fn id3_comment_5mb() -> Vec<u8> {
    let body = [&b"\x00eng\0"[..], &vec![b'c'; 5_000_000]].concat();
    let frames =
        [&b"TIT2"[..], &be32(6), &[0, 0], b"\x03title", b"COMM", &be32(body.len() as u32), &[0, 0], &body]
            .concat();
    let mut tag = b"ID3\x03\0\0".to_vec();
    tag.extend_from_slice(&syncsafe(frames.len() as u32));
    [tag, frames, mp3_frames(20)].concat()
}

/// MP3 frames, then an APEv2 tag holding a 10 MB cover between two text items.
fn ape_cover_10mb() -> Vec<u8> {
    let item = |flags: u32, key: &[u8], value: &[u8]| {
        [&(value.len() as u32).to_le_bytes()[..], &flags.to_le_bytes(), key, &[0], value].concat()
    };
    let cover = [&b"cover.jpg\0"[..], &vec![0xFF; 10_000_000]].concat();
    let items =
        [item(0, b"Title", b"title"), item(2, b"Cover Art (Front)", &cover), item(0, b"Artist", b"me")]
            .concat();
    let mut footer = b"APETAGEX".to_vec();
    footer.extend_from_slice(&2000u32.to_le_bytes());
    footer.extend_from_slice(&(items.len() as u32 + 32).to_le_bytes());
    footer.extend_from_slice(&3u32.to_le_bytes());
    footer.extend_from_slice(&[0; 12]);
    [mp3_frames(20), items, footer].concat()
}

/// A FLAC with a real Vorbis comment block of 5 MB (one 5 MB comment).
fn flac_comment_5mb() -> Vec<u8> {
    let mut info = vec![0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0];
    info.extend_from_slice(&[0x0A, 0xC4, 0x42, 0xF0, 0, 0, 0, 0]);
    info.extend_from_slice(&[0; 16]);
    let value = [&b"DESCRIPTION="[..], &vec![b'd'; 5_000_000]].concat();
    let comment = [
        &6u32.to_le_bytes()[..],
        b"vendor",
        &1u32.to_le_bytes(),
        &(value.len() as u32).to_le_bytes(),
        &value,
    ]
    .concat();
    let block = |kind: u8, body: &[u8]| [&[kind][..], &be32(body.len() as u32)[1..], body].concat();
    [&b"fLaC"[..], &block(0, &info), &block(0x84, &comment), &[0xFF, 0xF8, 0x69, 0x08], &[0; 4096]].concat()
}

/// A FLAC whose metadata blocks lie: a VORBIS_COMMENT of 16 MB with a vendor string and
/// comment count of 2^32-1, a PICTURE whose fields claim 4 GB, in a file of a few KB.
fn flac_block_length_lie() -> Vec<u8> {
    let block = |kind: u8, len: u32, body: &[u8]| {
        let mut b = vec![kind];
        b.extend_from_slice(&be32(len)[1..]);
        b.extend_from_slice(body);
        b
    };
    let mut info = vec![0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0];
    info.extend_from_slice(&[0x0A, 0xC4, 0x42, 0xF0, 0, 0, 0, 0]); // 44.1 kHz, 2 ch, 16 bits
    info.extend_from_slice(&[0; 16]);
    let picture = [&be32(3)[..], &be32(u32::MAX), b"image/png"].concat();
    let comment = [&u32::MAX.to_le_bytes()[..], b"vendor", &u32::MAX.to_le_bytes()].concat();
    let blocks =
        [block(0, 34, &info), block(6, 0xFF_FFF0, &picture), block(0x84, 0xFF_FFFF, &comment)].concat();
    [&b"fLaC"[..], &blocks, &[0xFF, 0xF8, 0x69, 0x08], &[0; 4096]].concat()
}

/// An Ogg page: flags, serial, sequence number, the lacing values and the body as given
/// (a hostile page's lacing need not match its body). The CRC is zero (not checked).
fn ogg_page(flags: u8, seq: u32, lacing: &[u8], body: &[u8]) -> Vec<u8> {
    let mut p = b"OggS\0".to_vec();
    p.push(flags);
    p.extend_from_slice(&[0; 8]); // granule position
    p.extend_from_slice(&1u32.to_le_bytes());
    p.extend_from_slice(&seq.to_le_bytes());
    p.extend_from_slice(&[0; 4]);
    p.push(lacing.len() as u8);
    p.extend_from_slice(lacing);
    p.extend_from_slice(body);
    p
}

/// A Vorbis identification header packet (30 bytes).
fn vorbis_id() -> Vec<u8> {
    let mut p = b"\x01vorbis\0\0\0\0\x02".to_vec();
    p.extend_from_slice(&44_100u32.to_le_bytes());
    p.extend_from_slice(&[0; 12]);
    p.extend_from_slice(&[0xB8, 0x01]);
    p
}

/// An Ogg Vorbis file whose second page's segment table claims 255 segments of 255 bytes
/// (65 KB) over a body of 100 bytes at the end of the file.
fn ogg_lacing_lie() -> Vec<u8> {
    let first = ogg_page(2, 0, &[30], &vorbis_id());
    let second = ogg_page(0, 1, &[255; 255], &[b'c'; 100]);
    [first, second].concat()
}

/// An Ogg Vorbis file whose comment packet never ends: 300 pages of 255 full segments
/// (20 MB), each continuing the packet.
fn ogg_endless_packet() -> Vec<u8> {
    let mut out = ogg_page(2, 0, &[30], &vorbis_id());
    let mut body = b"\x03vorbis\x01\0\0\0v\x01\0\0\0".to_vec();
    body.resize(255 * 255, b'c');
    out.extend(ogg_page(0, 1, &[255; 255], &body));
    let rest = vec![b'c'; 255 * 255];
    for seq in 2..301 {
        out.extend(ogg_page(1, seq, &[255; 255], &rest));
    }
    out
}

// ---- Other containers that inflate --------------------------------------------------

/// A FLIF whose `eXmp` metadata chunk inflates to 64 MiB.
fn flif_xmp_bomb() -> Vec<u8> {
    let z = deflate_bomb(xmp_packet("<dc:format>").as_bytes(), b' ', 64 * MIB, b"");
    // FLIF varint: 7 bits per byte, high bit set on all but the last.
    let mut len = Vec::new();
    let mut v = z.len();
    len.push((v & 0x7F) as u8);
    v >>= 7;
    while v > 0 {
        len.push((v & 0x7F) as u8 | 0x80);
        v >>= 7;
    }
    len.reverse();
    // "FLIF", interlaced RGB, 8 bits, width-1 and height-1 = 0, then the chunk.
    [&b"FLIF\x33\x31\0\0eXmp"[..], &len, &z, &[0]].concat()
}

// ---- The suite ----------------------------------------------------------------------

/// One hostile file: its name (`<name>.<ext>` on disk), the format it must be recognised
/// as, and its generator.
struct Case {
    name: &'static str,
    ext: &'static str,
    format: Format,
    build: fn() -> Vec<u8>,
}

const fn case(name: &'static str, ext: &'static str, format: Format, build: fn() -> Vec<u8>) -> Case {
    Case { name, ext, format, build }
}

const CASES: &[Case] = &[
    case("png_ztxt_100x1mb", "png", Format::Png, png_ztxt_100x1mb),
    case("png_ztxt_2000x1mb", "png", Format::Png, png_ztxt_2000x1mb),
    case("png_itxt_64mib", "png", Format::Png, png_itxt_64mib),
    case("png_itxt_16mib", "png", Format::Png, png_itxt_16mib),
    case("png_itxt_20x16mib", "png", Format::Png, png_itxt_20x16mib),
    case("png_iccp_64mib", "png", Format::Png, png_iccp_64mib),
    case("png_text_40x1mb", "png", Format::Png, png_text_40x1mb),
    case("docx_core_bomb", "docx", Format::Docx, docx_core_bomb),
    case("docx_core_bomb_lying", "docx", Format::Docx, docx_core_bomb_lying),
    case("docx_billion_laughs", "docx", Format::Docx, docx_billion_laughs),
    case("pdf_metadata_bomb", "pdf", Format::Pdf, pdf_metadata_bomb),
    case("pdf_objstm_bomb", "pdf", Format::Pdf, pdf_objstm_bomb),
    case("pdf_broken_xref_25mb", "pdf", Format::Pdf, pdf_broken_xref_25mb),
    case("pdf_broken_xref_12mb", "pdf", Format::Pdf, pdf_broken_xref_12mb),
    case("pdf_prev_loop", "pdf", Format::Pdf, pdf_prev_loop),
    case("pdf_self_ref", "pdf", Format::Pdf, pdf_self_ref),
    case("pdf_pages_loop", "pdf", Format::Pdf, pdf_pages_loop),
    case("pdf_info_long_strings", "pdf", Format::Pdf, pdf_info_long_strings),
    case("pdf_xref_stream_1m", "pdf", Format::Pdf, pdf_xref_stream_1m),
    case("pdf_objstm_array_bomb", "pdf", Format::Pdf, pdf_objstm_array_bomb),
    case("flif_xmp_bomb", "flif", Format::Flif, flif_xmp_bomb),
    case("jpeg_extended_xmp_4gb", "jpg", Format::Jpeg, jpeg_extended_xmp_4gb),
    case("jpeg_ext_xmp_sparse", "jpg", Format::Jpeg, jpeg_extended_xmp_sparse),
    case("jpeg_app13_600", "jpg", Format::Jpeg, jpeg_app13_600),
    case("jpeg_payload_mix", "jpg", Format::Jpeg, jpeg_payload_mix),
    case("jpeg_xmp_800", "jpg", Format::Jpeg, jpeg_xmp_800),
    case("mp4_stsz_4m", "mp4", Format::Mp4, mp4_stsz_4m),
    case("mp4_stts_4m", "mp4", Format::Mp4, mp4_stts_4m),
    case("m4a_cover_20mb", "m4a", Format::M4a, m4a_cover_20mb),
    case("mp4_table_count_lie", "mp4", Format::Mp4, mp4_table_count_lie),
    case("mp4_largesize", "mp4", Format::Mp4, mp4_largesize),
    case("mp4_deep_100k", "mp4", Format::Mp4, mp4_deep_100k),
    case("xmp_billion_laughs", "xmp", Format::Xmp, xmp_billion_laughs),
    case("xmp_deep_100k", "xmp", Format::Xmp, xmp_deep_100k),
    case("tiff_ifd_loop", "tif", Format::Tiff, tiff_ifd_loop),
    case("tiff_ifd_fanout", "tif", Format::Tiff, tiff_ifd_fanout),
    case("tiff_count_lie", "tif", Format::Tiff, tiff_count_lie),
    case("mkv_unknown_sizes", "mkv", Format::Mkv, mkv_unknown_sizes),
    case("mkv_deep_100k", "mkv", Format::Mkv, mkv_deep_100k),
    case("mkv_tags_20mb", "mkv", Format::Mkv, mkv_tags_20mb),
    case("id3_tag_size_lie", "mp3", Format::Mp3, id3_tag_size_lie),
    case("id3_frame_size_lie", "mp3", Format::Mp3, id3_frame_size_lie),
    case("id3_comment_5mb", "mp3", Format::Mp3, id3_comment_5mb),
    case("ape_cover_10mb", "mp3", Format::Mp3, ape_cover_10mb),
    case("flac_block_length_lie", "flac", Format::Flac, flac_block_length_lie),
    case("flac_comment_5mb", "flac", Format::Flac, flac_comment_5mb),
    case("ogg_lacing_lie", "ogg", Format::Ogg, ogg_lacing_lie),
    case("ogg_endless_packet", "ogg", Format::Ogg, ogg_endless_packet),
];

/// What one run of one case gave.
struct Outcome {
    /// Heap peak during the extraction, above what was allocated before it.
    peak: usize,
    /// Heap the returned result holds.
    result: usize,
    tags: usize,
    warnings: usize,
    /// The first warning, or the error when the extraction failed.
    note: String,
    ms: u128,
}

impl Outcome {
    /// Why this run is over the memory model, if it is.
    fn over(&self, limits: &Limits) -> Option<String> {
        let transient = self.peak.saturating_sub(self.result);
        if transient > transient_budget(limits) {
            return Some(format!(
                "peak {} KiB holds {} KiB beyond its result of {} KiB, over 3 * max_alloc + 1 MiB = {} KiB",
                self.peak / KIB,
                transient / KIB,
                self.result / KIB,
                transient_budget(limits) / KIB
            ));
        }
        if self.result > result_budget(limits) {
            return Some(format!(
                "result of {} KiB over max_kept + tag records + 1 MiB = {} KiB",
                self.result / KIB,
                result_budget(limits) / KIB
            ));
        }
        None
    }
}

/// Checks an extraction's result as the module docs say; returns its tag and warning
/// counts and first warning (or error), or the reason it fails.
fn check(case: &Case, result: &metasift::Result<Metadata>) -> Result<(usize, usize, String), String> {
    let meta = match result {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::LimitExceeded => return Ok((0, 0, format!("ERROR {e}"))),
        Err(e) => return Err(format!("failed: {e}")),
    };
    if meta.format != case.format {
        return Err(format!("recognised as {:?}, built as {:?}", meta.format, case.format));
    }
    let native = serde_json::to_string(meta).map_err(|e| format!("Metadata does not serialise: {e}"))?;
    serde_json::from_str::<serde::de::IgnoredAny>(&native)
        .map_err(|e| format!("Metadata JSON invalid: {e}"))?;
    let file = format!("{}.{}", case.name, case.ext);
    let projected = metasift::exiftool_json(meta, &file, ExifToolOptions::default());
    let text = serde_json::to_string(&projected).map_err(|e| format!("ExifTool JSON fails: {e}"))?;
    serde_json::from_str::<serde::de::IgnoredAny>(&text)
        .map_err(|e| format!("ExifTool JSON invalid: {e}"))?;
    let first = meta.warnings.first().map(|w| w.message.clone()).unwrap_or_default();
    Ok((meta.tags.len(), meta.warnings.len(), first))
}

/// Runs `case` on `data` under `options`, measuring the heap peak of the extraction alone
/// and the heap its result holds.
fn run(case: &Case, data: &[u8], options: &Options) -> Result<Outcome, String> {
    let before = PEAK.current_usage();
    PEAK.reset_peak_usage();
    let start = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| metasift::extract_source_with(&data, options)));
    let ms = start.elapsed().as_millis();
    let peak = PEAK.peak_usage().saturating_sub(before);
    let held = PEAK.current_usage().saturating_sub(before);
    let result = result.map_err(|p| {
        let msg =
            p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
        format!("panicked: {}", msg.unwrap_or_default())
    })?;
    let (tags, warnings, note) = check(case, &result)?;
    Ok(Outcome { peak, result: held, tags, warnings, note, ms })
}

/// A one-line form of a message, at most `max` characters, for the table.
fn short(s: &str, max: usize) -> String {
    let s = s.replace('\n', " ");
    if s.len() <= max {
        return s;
    }
    let mut cut = max - 3;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}...", &s[..cut])
}

#[test]
fn hostile_inputs_stay_within_the_memory_budget() {
    let out_dir = std::env::var_os("METASIFT_HOSTILE_DIR").map(PathBuf::from);
    if let Some(dir) = &out_dir {
        std::fs::create_dir_all(dir).expect("create METASIFT_HOSTILE_DIR");
    }
    let profiles = profiles();
    let mut failures = Vec::new();
    let mut known = Vec::new();
    report!("peak: heap at the extraction's peak; held: heap of the result it returns;");
    report!("bound: held + 3 * max_alloc + 1 MiB (and held <= max_kept + tag records + 1 MiB)\n");
    report!(
        "{:<23} {:>8} {:>7} {:>9} {:>9} {:>8} {:>5} {:>5} {:>6}  {:<10} first warning / error",
        "case",
        "in KiB",
        "limits",
        "peak KiB",
        "held KiB",
        "bound KiB",
        "tags",
        "warns",
        "ms",
        "budget"
    );
    for case in CASES {
        let data = (case.build)();
        if let Some(dir) = &out_dir {
            std::fs::write(dir.join(format!("{}.{}", case.name, case.ext)), &data).expect("write case");
        }
        for (profile, options) in &profiles {
            let limits = &options.limits;
            let listed = KNOWN_OVER_BUDGET.contains(&(case.name, *profile));
            let outcome = match run(case, &data, options) {
                Ok(o) => o,
                Err(e) => {
                    report!("{:<23} {:>8} {:>7}  FAILED: {e}", case.name, data.len() / KIB, profile);
                    failures.push(format!("{} ({profile}): {e}", case.name));
                    continue;
                }
            };
            let over = outcome.over(limits);
            let mark = match (&over, listed) {
                (Some(_), true) => "KNOWN OVER",
                (Some(_), false) => "OVER",
                (None, true) => "NOW WITHIN",
                (None, false) => "ok",
            };
            report!(
                "{:<23} {:>8} {:>7} {:>9} {:>9} {:>8} {:>5} {:>5} {:>6}  {:<10} {}",
                case.name,
                data.len() / KIB,
                profile,
                outcome.peak / KIB,
                outcome.result / KIB,
                (transient_budget(limits) + outcome.result) / KIB,
                outcome.tags,
                outcome.warnings,
                outcome.ms,
                mark,
                short(&outcome.note, 64)
            );
            let run = format!("{} ({profile})", case.name);
            match (over, listed) {
                (Some(why), true) => known.push(format!("{run}: {why}")),
                (Some(why), false) => failures.push(format!("{run}: {why}")),
                (None, true) => failures.push(format!(
                    "{run}: within budget now (peak {} KiB): remove it from KNOWN_OVER_BUDGET",
                    outcome.peak / KIB
                )),
                (None, false) => {}
            }
        }
    }
    if !known.is_empty() {
        report!("\n!!! {} runs are KNOWN OVER BUDGET (listed in KNOWN_OVER_BUDGET):", known.len());
        for k in &known {
            report!("!!!   {k}");
        }
    }
    assert!(failures.is_empty(), "{} hostile runs failed:\n{}", failures.len(), failures.join("\n"));
}

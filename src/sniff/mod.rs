//! Format detection: a static magic table, then one bounded refine step for
//! containers whose first bytes do not say enough (ISO-BMFF brands, RIFF forms, EBML
//! DocType, ZIP content, TIFF-based raws, Ogg codecs, OLE streams, MPEG audio), then a
//! content heuristic for text formats without magic (TXT, CSV, JSON, XML, SVG, HTML, XMP).
//!
//! Detection is by content first, like ExifTool. The extension hint only picks among
//! formats that share one layout and cannot be told apart by content (a TIFF named `.nef`
//! is a NEF, an ASF named `.wmv` a WMV, a text file named `.csv` a CSV, an MPEG program
//! stream named `.vob` a VOB, a QuickTime movie named `.mp4` an MP4); for OLE and Office Open XML files the extension wins over
//! content (`.doc`, `.xltx`...), and a deflated iWork '09 package needs it to say which
//! application made it, all as ExifTool does (see `FAMILIES`).
//!
//! Reads: the first [`HEAD_LEN`] bytes, plus a few bounded reads for containers (the ZIP
//! end-of-central-directory record and central directory, a Matroska `Tracks` element, a
//! TIFF IFD, an OLE directory sector, the bytes after an ID3 tag, the ISO 9660 volume
//! descriptor at 32 KiB). Never reads a whole file.

mod containers;
mod magic;
mod small;
mod table;
mod text;
mod zip;

pub use table::Format;

pub(crate) use containers::ftyp_format;

use crate::source::ByteSource;

/// How many bytes of the start of a file the magic table looks at.
pub const HEAD_LEN: usize = 4096;

/// Largest single refine read (a ZIP central directory, an OLE directory...).
const MAX_REFINE_READ: usize = 256 * 1024;

/// Detects the format of `source` from its content (and, for formats that share one
/// layout, the file extension `ext_hint`, with or without its dot). Reads at most a few
/// KiB plus a few bounded reads; `Format::Unknown` when nothing matches.
///
/// ```
/// use metasift::{Format, sniff};
/// let webp = b"RIFF\x1a\0\0\0WEBPVP8X\x0a\0\0\0".to_vec();
/// assert_eq!(sniff(&webp, None)?, Format::WebPExtended);
/// assert_eq!(Format::WebPExtended.name(), "Extended WEBP");
/// // A text file says CSV only by its name.
/// let csv = b"a,b\n1,2\n".to_vec();
/// assert_eq!(sniff(&csv, None)?, Format::Txt);
/// assert_eq!(sniff(&csv, Some("csv"))?.mime(), "text/csv");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn sniff(source: &dyn ByteSource, ext_hint: Option<&str>) -> std::io::Result<Format> {
    let len = source.len();
    let head_len = HEAD_LEN.min(usize::try_from(len).unwrap_or(HEAD_LEN));
    let mut owned = Vec::new();
    let head = match source.as_slice().and_then(|all| all.get(..head_len)) {
        Some(in_memory) => in_memory,
        None => {
            owned.resize(head_len, 0);
            source.read_exact_at(0, &mut owned)?;
            owned.as_slice()
        }
    };
    let mut ext_buf = [0u8; 8];
    let ext = ext_hint.and_then(|e| lower_ext(e, &mut ext_buf));
    let probe = Probe { head, src: source, len, ext };
    let found = detect(&probe);
    Ok(apply_hint(found, ext))
}

/// What the detectors see: the head of the file, the source for bounded extra reads, and
/// the lowercase extension hint.
pub(crate) struct Probe<'a> {
    /// The first bytes of the file (up to [`HEAD_LEN`]).
    pub head: &'a [u8],
    /// The whole source, for bounded refine reads.
    pub src: &'a dyn ByteSource,
    /// The source length.
    pub len: u64,
    /// The extension hint, lowercase, without the dot.
    pub ext: Option<&'a str>,
}

impl Probe<'_> {
    /// `n` bytes of the head at `offset`, if the head holds them.
    pub fn at(&self, offset: usize, n: usize) -> Option<&[u8]> {
        self.head.get(offset..offset.checked_add(n)?)
    }

    /// Whether the head holds `bytes` at `offset`.
    pub fn has(&self, offset: usize, bytes: &[u8]) -> bool {
        self.at(offset, bytes.len()) == Some(bytes)
    }

    /// Reads up to `max` bytes (capped at [`MAX_REFINE_READ`]) at `offset`, from the head
    /// when it holds them. `None` past the end or on an I/O error.
    pub fn read(&self, offset: u64, max: usize) -> Option<Vec<u8>> {
        if offset >= self.len {
            return None;
        }
        let want = max.min(MAX_REFINE_READ).min(usize::try_from(self.len - offset).unwrap_or(usize::MAX));
        if let Ok(start) = usize::try_from(offset) {
            if let Some(slice) = self.at(start, want) {
                return Some(slice.to_vec());
            }
        }
        let mut buf = vec![0u8; want];
        let mut filled = 0;
        while filled < want {
            let at = offset.checked_add(filled as u64)?;
            match self.src.read_at(at, buf.get_mut(filled..)?) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        buf.truncate(filled);
        Some(buf)
    }
}

/// Lowercases an extension hint into `buf` (dropping a leading dot); `None` when empty,
/// too long or not ASCII.
fn lower_ext<'b>(ext: &str, buf: &'b mut [u8; 8]) -> Option<&'b str> {
    let ext = ext.strip_prefix('.').unwrap_or(ext);
    if ext.is_empty() || ext.len() > buf.len() || !ext.is_ascii() {
        return None;
    }
    let out = buf.get_mut(..ext.len())?;
    out.copy_from_slice(ext.as_bytes());
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

/// Content detection: the magic table (with its container refiners), then the ISO 9660
/// descriptor, then text heuristics.
fn detect(p: &Probe) -> Format {
    if p.head.is_empty() {
        return Format::Unknown;
    }
    if let Some(f) = magic::lookup(p) {
        return f;
    }
    if let Some(f) = small::iso9660(p) {
        return f;
    }
    text::detect(p).unwrap_or(Format::Unknown)
}

/// Formats that share one layout: content finds the family, the extension picks the member
/// (what ExifTool does when a file's extension names a type whose magic matches). The flag
/// says whether the extension also overrides a member content told apart (ExifTool keeps
/// `.doc` for any OLE file, but a CR2 stays a CR2 whatever its name).
const FAMILIES: &[(bool, &[Format])] = {
    use Format::*;
    &[
        (
            false,
            &[
                Tiff, Dng, Cr2, Nef, Nrw, Arw, Sr2, Srf, Orf, Raw, Rwl, Pef, Srw, Iiq, Erf, Kdc, Dcr, Mef,
                Mos, ThreeFr, Fff,
            ],
        ),
        (false, &[Rw2, Raw, Rwl]),
        (false, &[Asf, Wmv, Wma]),
        (true, &[Fpx, Doc, Xls, Ppt]),
        (false, &[Txt, Csv]),
        (false, &[Jpeg, Jps]),
        (false, &[Mpeg, Vob, M2v]),
        // A QuickTime movie named for one of its sub-types (ExifTool's `MOV` family).
        (false, &[Mov, Mp4, M4v, M4a, M4b, M4p, ThreeGp, ThreeG2, F4v]),
        (true, &[Docx, Docm, Dotx, Dotm, Xlsx, Xlsm, Xltx, Xltm, Pptx, Pptm, Potx, Potm, Ppsx, Ppsm]),
    ]
};

/// Replaces `found` by the format the extension names when both are in one family and
/// `found` is the family's generic member (or the family lets the extension win).
fn apply_hint(found: Format, ext: Option<&str>) -> Format {
    let Some(ext) = ext else { return found };
    for (hint_wins, family) in FAMILIES {
        let generic = family.first() == Some(&found);
        if !(generic || (*hint_wins && family.contains(&found))) {
            continue;
        }
        if let Some(f) = family.iter().find(|f| f.extensions().contains(&ext)) {
            return *f;
        }
    }
    found
}

#[cfg(test)]
mod tests;

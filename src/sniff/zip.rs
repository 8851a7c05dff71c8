//! ZIP refine: OpenDocument `mimetype`, Office Open XML part folders, Capture One EIP and
//! iWork packages, read from the central directory found from the END of the file (the
//! end-of-central-directory record within the last 64 KiB, then the directory, capped),
//! through the crate's one ZIP reader, [`crate::zip`].

use super::{Format, MAX_REFINE_READ, Probe};
use crate::zip::{self, EndSearch, LocalHeader};
use Format::*;

/// Names seen in the central directory that decide the type.
#[derive(Default)]
struct Seen {
    content_types: bool,
    word: bool,
    word_vba: bool,
    xl: bool,
    xl_vba: bool,
    ppt: bool,
    ppt_vba: bool,
    manifest: bool,
    iiq: bool,
    iwork: bool,
    /// The iWork application, when the entry names tell it.
    iwork_kind: Option<Format>,
    /// Local header offset of a stored (uncompressed) iWork '09 `index.xml`.
    stored_index: Option<u64>,
    epub: bool,
}

impl Seen {
    fn note(&mut self, name: &[u8]) {
        match name {
            b"[Content_Types].xml" => self.content_types = true,
            b"word/vbaProject.bin" => self.word_vba = true,
            b"xl/vbaProject.bin" => self.xl_vba = true,
            b"ppt/vbaProject.bin" => self.ppt_vba = true,
            b"manifest.xml" => self.manifest = true,
            b"index.xml" | b"buildVersionHistory.plist" => self.iwork = true,
            b"index.apxl" => (self.iwork, self.iwork_kind) = (true, Some(Key)),
            // iWork 2013+: ExifTool calls these PAGES unless told otherwise.
            b"Index/Document.iwa" => {
                self.iwork = true;
                self.iwork_kind = self.iwork_kind.or(Some(Pages));
            }
            b"META-INF/container.xml" => self.epub = true,
            _ => {}
        }
        self.word |= name.starts_with(b"word/");
        self.xl |= name.starts_with(b"xl/");
        self.ppt |= name.starts_with(b"ppt/");
        self.iiq |=
            name.len() > 4 && name.get(name.len() - 4..).is_some_and(|e| e.eq_ignore_ascii_case(b".iiq"));
    }

    fn format(&self, ext: Option<&str>) -> Format {
        if self.content_types {
            if self.word {
                return if self.word_vba { Docm } else { Docx };
            }
            if self.xl {
                return if self.xl_vba { Xlsm } else { Xlsx };
            }
            if self.ppt {
                return if self.ppt_vba { Pptm } else { Pptx };
            }
        }
        if self.manifest && self.iiq {
            return Eip;
        }
        if self.iwork {
            match ext {
                Some("numbers") => return Numbers,
                Some("pages") => return Pages,
                Some("key") => return Key,
                _ => {}
            }
            if let Some(kind) = self.iwork_kind {
                return kind;
            }
        }
        if self.epub {
            return Epub;
        }
        Zip
    }
}

/// The format an OpenDocument / EPUB `mimetype` entry names.
fn from_mimetype(m: &[u8]) -> Option<Format> {
    let m = m.strip_suffix(b"\n").unwrap_or(m);
    Format::ALL
        .iter()
        .copied()
        .find(|f| matches!(f, Odt | Ods | Odp | Odg | Epub) && f.mime().as_bytes() == m)
}

/// Refines a file starting with a ZIP local header.
pub(super) fn refine(p: &Probe) -> Option<Format> {
    // An ODF/EPUB package stores an uncompressed `mimetype` first.
    let first = LocalHeader::parse(p.head)?;
    if p.has(30, b"mimetype") && first.name_len == 8 && first.method == 0 {
        let size = usize::try_from(first.compressed).ok()?.min(128);
        let data = LocalHeader::LEN + usize::from(first.name_len) + usize::from(first.extra_len);
        if let Some(f) = p.at(data, size).and_then(from_mimetype) {
            return Some(f);
        }
    }
    let mut seen = Seen::default();
    if !central_directory(p, &mut seen) {
        local_headers(p, &mut seen);
    }
    Some(seen.format(p.ext))
}

/// Bytes at the end of an archive asked for at once (see [`central_directory`]).
const TAIL_HINT: u64 = 64 << 10;

/// Reads of the probe for the ZIP reader: fewer bytes at the end of the file, none past it.
fn read(p: &Probe, at: u64, len: u64) -> Result<Vec<u8>, ()> {
    p.read(at, usize::try_from(len).unwrap_or(MAX_REFINE_READ)).ok_or(())
}

/// Reads the central directory located by the end record (capped at
/// [`MAX_REFINE_READ`]); false when there is none.
fn central_directory(p: &Probe, seen: &mut Seen) -> bool {
    // The end record and, in most archives, the whole central directory sit in the last
    // 64 KiB: one request for them all on a remote source, instead of a 4 KiB tail and
    // then the directory. (A hint: nothing is fetched for input in memory.)
    let tail = p.len.saturating_sub(TAIL_HINT)..p.len;
    let _ = p.src.prefetch(&[tail]);
    let Ok((tail, dir)) = zip::locate(p.len, EndSearch::LastSignature, |at, len| read(p, at, len)) else {
        return false;
    };
    let want = dir.size.min(MAX_REFINE_READ as u64);
    let Ok(bytes) = tail.slice_or_read(dir.offset, want, |at, len| read(p, at, len)) else { return false };
    let mut any = false;
    for e in zip::entries(&bytes) {
        seen.note(e.name);
        if e.name == b"index.xml" && e.method == 0 {
            seen.stored_index = Some(e.local_offset);
        }
        any = true;
    }
    if let (true, None, Some(at)) = (seen.iwork, seen.iwork_kind, seen.stored_index) {
        seen.iwork_kind = iwork_index_kind(p, at);
    }
    any
}

/// Reads the start of a stored iWork '09 `index.xml` and names the application by its root
/// element (`ls:document` Numbers, `sl:document` Pages, `key:presentation` Keynote).
fn iwork_index_kind(p: &Probe, local_at: u64) -> Option<Format> {
    let h = p.read(local_at, LocalHeader::LEN)?;
    let body = p.read(LocalHeader::parse(&h)?.data_offset(local_at)?, 1024)?;
    let has = |needle: &[u8]| memchr::memmem::find(&body, needle).is_some();
    if has(b"<ls:document") {
        Some(Numbers)
    } else if has(b"<sl:document") {
        Some(Pages)
    } else if has(b"<key:presentation") {
        Some(Key)
    } else {
        None
    }
}

/// Walks local file headers from the start (a truncated or streamed archive), bounded.
fn local_headers(p: &Probe, seen: &mut Seen) {
    let mut at = 0u64;
    for _ in 0..64 {
        let Some(h) = p.read(at, LocalHeader::LEN + 256) else { return };
        let Some(header) = LocalHeader::parse(&h) else { return };
        if let Some(name) = header.name(&h) {
            seen.note(name);
        }
        if header.flags & 0x08 != 0 {
            return; // sizes follow the data: cannot skip without inflating
        }
        let Some(next) = header.data_offset(at).and_then(|d| d.checked_add(u64::from(header.compressed)))
        else {
            return;
        };
        at = next;
    }
}

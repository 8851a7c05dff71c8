//! ZIP refine: OpenDocument `mimetype`, Office Open XML part folders, Capture One EIP and
//! iWork packages, read from the central directory found from the END of the file (the
//! end-of-central-directory record within the last 64 KiB, then the directory, capped).

use super::containers::{le16, le32};
use super::{Format, MAX_REFINE_READ, Probe};
use Format::*;

/// Longest tail searched for the end-of-central-directory record (22 + 65535 comment).
const EOCD_SEARCH: u64 = 22 + 65_535;

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
    let name_len = usize::from(le16(p.head, 26)?);
    let extra_len = usize::from(le16(p.head, 28)?);
    if p.has(30, b"mimetype") && name_len == 8 && le16(p.head, 8) == Some(0) {
        let size = usize::try_from(le32(p.head, 18)?).ok()?.min(128);
        if let Some(f) = p.at(30 + name_len + extra_len, size).and_then(from_mimetype) {
            return Some(f);
        }
    }
    let mut seen = Seen::default();
    if !central_directory(p, &mut seen) {
        local_headers(p, &mut seen);
    }
    Some(seen.format(p.ext))
}

/// Reads the central directory located by the end record; false when there is none.
fn central_directory(p: &Probe, seen: &mut Seen) -> bool {
    // Most archives have no comment: try the last 4 KiB before the full 64 KiB window.
    let mut found = None;
    for window in [4096, EOCD_SEARCH] {
        let tail_at = p.len.saturating_sub(window);
        let Some(tail) = p.read(tail_at, window as usize) else { return false };
        if let Some(at) = tail.windows(4).rposition(|w| w == b"PK\x05\x06") {
            found = Some((tail_at, tail, at));
            break;
        }
        if tail_at == 0 {
            break;
        }
    }
    let Some((tail_at, tail, eocd)) = found else { return false };
    let (Some(cd_size), Some(cd_at)) = (le32(&tail, eocd + 12), le32(&tail, eocd + 16)) else {
        return false;
    };
    let (mut cd_size, mut cd_at) = (u64::from(cd_size), u64::from(cd_at));
    if cd_at == 0xFFFF_FFFF || cd_size == 0xFFFF_FFFF {
        // Zip64: the locator sits right before the end record.
        let Some(loc) = eocd.checked_sub(20).and_then(|l| tail.get(l..eocd)) else { return false };
        if loc.get(..4) != Some(b"PK\x06\x07") {
            return false;
        }
        let Some(rec_at) = loc.get(8..16).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes) else {
            return false;
        };
        let Some(rec) = p.read(rec_at, 56) else { return false };
        let get = |o: usize| rec.get(o..o + 8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
        match (rec.get(..4), get(40), get(48)) {
            (Some(b"PK\x06\x06"), Some(s), Some(a)) => (cd_size, cd_at) = (s, a),
            _ => return false,
        }
    }
    let want = usize::try_from(cd_size).unwrap_or(MAX_REFINE_READ).min(MAX_REFINE_READ);
    // The directory usually sits right before the end record, inside the tail already read.
    let in_tail = cd_at.checked_sub(tail_at).and_then(|o| usize::try_from(o).ok());
    let cd = match in_tail.and_then(|o| tail.get(o..o.checked_add(want)?)) {
        Some(slice) => slice.to_vec(),
        None => match p.read(cd_at, want) {
            Some(v) => v,
            None => return false,
        },
    };
    let mut at = 0usize;
    let mut any = false;
    while cd.get(at..at + 4) == Some(b"PK\x01\x02") {
        let (Some(n), Some(e), Some(c)) = (le16(&cd, at + 28), le16(&cd, at + 30), le16(&cd, at + 32)) else {
            break;
        };
        let (n, e, c) = (usize::from(n), usize::from(e), usize::from(c));
        let Some(name) = cd.get(at + 46..at + 46 + n) else { break };
        seen.note(name);
        if name == b"index.xml" && le16(&cd, at + 10) == Some(0) {
            seen.stored_index = le32(&cd, at + 42).map(u64::from);
        }
        any = true;
        at += 46 + n + e + c;
    }
    if let (true, None, Some(at)) = (seen.iwork, seen.iwork_kind, seen.stored_index) {
        seen.iwork_kind = iwork_index_kind(p, at);
    }
    any
}

/// Reads the start of a stored iWork '09 `index.xml` and names the application by its root
/// element (`ls:document` Numbers, `sl:document` Pages, `key:presentation` Keynote).
fn iwork_index_kind(p: &Probe, local_at: u64) -> Option<Format> {
    let h = p.read(local_at, 30)?;
    if h.get(..4)? != b"PK\x03\x04" {
        return None;
    }
    let skip = 30 + u64::from(le16(&h, 26)?) + u64::from(le16(&h, 28)?);
    let body = p.read(local_at.checked_add(skip)?, 1024)?;
    let has = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
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
        let Some(h) = p.read(at, 30 + 256) else { return };
        if h.get(..4) != Some(b"PK\x03\x04") {
            return;
        }
        let (Some(n), Some(e), Some(size)) = (le16(&h, 26), le16(&h, 28), le32(&h, 18)) else { return };
        if let Some(name) = h.get(30..30 + usize::from(n)) {
            seen.note(name);
        }
        if le16(&h, 6).is_some_and(|flags| flags & 0x08 != 0) {
            return; // sizes follow the data: cannot skip without inflating
        }
        at += 30 + u64::from(n) + u64::from(e) + u64::from(size);
    }
}

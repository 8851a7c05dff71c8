//! The one ZIP reader (PKWARE APPNOTE.TXT §4.3): the end-of-central-directory record and
//! its ZIP64 form, the central directory's entries, and local file headers.
//!
//! Two layers read ZIP files: sniffing, which names DOCX, ODT, EPUB, iWork... from the
//! entry names of every file that starts with `PK\3\4`, and the document parsers, which
//! then read the property parts. Sniffing sits below the formats, so the reader sits below
//! both, here at the top of the crate beside `sniff/`. It is not in `base/` because it
//! knows a file format, and it imports nothing but `base/`. It reads no file itself: the
//! caller passes its read function (sniffing's bounded probe reads, a parser's budgeted
//! `Ctx` reads) and keeps its own policy for damaged archives (sniffing gives up quietly,
//! a parser warns).

use crate::base::bytes::{array, le16, le32, le64};
use std::borrow::Cow;

/// Signature of the end-of-central-directory record.
const END_SIG: &[u8; 4] = b"PK\x05\x06";
/// Length of the end record without its comment.
const END_LEN: usize = 22;
/// Length of the end record up to the directory's size and offset.
const END_DIRECTORY_FIELDS: usize = 20;
/// Longest tail that can hold the end record: the record and a comment of up to 64 KiB.
const END_SEARCH: u64 = END_LEN as u64 + 0xFFFF;
/// The tail searched first: archives without a long comment end with the record, and
/// sniffing, which reads the tail first, brings these bytes into the read cache.
const FIRST_TAIL: u64 = 4096;
/// Signature and length of the ZIP64 end-of-central-directory locator.
const LOCATOR_SIG: &[u8; 4] = b"PK\x06\x07";
const LOCATOR_LEN: usize = 20;
/// Signature and length (without extensible data) of the ZIP64 end record.
const ZIP64_END_SIG: &[u8; 4] = b"PK\x06\x06";
const ZIP64_END_LEN: u64 = 56;
/// Signature and fixed length of a central-directory entry.
const ENTRY_SIG: &[u8; 4] = b"PK\x01\x02";
const ENTRY_LEN: usize = 46;
/// Signature and fixed length of a local file header.
const LOCAL_SIG: &[u8; 4] = b"PK\x03\x04";
/// The 32-bit fields a ZIP64 extra field replaces hold this.
const ZIP64_MARK: u64 = 0xFFFF_FFFF;

/// Where the central directory is, as the end records say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Directory {
    /// Entries announced.
    pub entries: u64,
    /// Size in bytes.
    pub size: u64,
    /// Offset in the file.
    pub offset: u64,
}

/// The end of the file, as read to find the end record.
pub(crate) struct Tail {
    /// Offset of `bytes` in the file.
    at: u64,
    bytes: Vec<u8>,
}

/// How the end record is looked for in the tail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EndSearch {
    /// The last signature in the tail is the record; cut before the end of the directory's
    /// offset, it means a truncated archive, and nothing longer is read (sniffing then
    /// walks the local headers).
    LastSignature,
    /// The last signature followed by a whole record; one in a comment's last bytes is
    /// looked past, in the longest tail if need be (the parsers).
    WholeRecord,
}

/// Why the central directory was not found.
#[derive(Debug)]
pub(crate) enum LocateError<E> {
    /// A read failed.
    Read(E),
    /// No end-of-central-directory record in the longest tail that can hold one.
    NoEnd,
    /// The ZIP64 locator points at something other than a ZIP64 end record (at this offset).
    BadZip64(u64),
}

/// Finds the end record in the file's tail as `search` says, then the ZIP64 end record
/// when the 32-bit fields are saturated. `read(offset, len)` reads `len` bytes at
/// `offset`; a read may return fewer (the record is then looked for in what came).
pub(crate) fn locate<E>(
    len: u64,
    search: EndSearch,
    mut read: impl FnMut(u64, u64) -> Result<Vec<u8>, E>,
) -> Result<(Tail, Directory), LocateError<E>> {
    let mut found = None;
    for span in [FIRST_TAIL, END_SEARCH] {
        let at = len.saturating_sub(span);
        let bytes = read(at, len - at).map_err(LocateError::Read)?;
        let end = match search {
            EndSearch::LastSignature => memchr::memmem::rfind(&bytes, END_SIG),
            EndSearch::WholeRecord => whole_end_record(&bytes),
        };
        if let Some(end) = end {
            found = Some((Tail { at, bytes }, end));
            break;
        }
        if at == 0 {
            break;
        }
    }
    let (tail, end) = found.ok_or(LocateError::NoEnd)?;
    if end.checked_add(END_DIRECTORY_FIELDS).is_none_or(|e| e > tail.bytes.len()) {
        return Err(LocateError::NoEnd);
    }
    let field16 = |o| le16(&tail.bytes, end + o).map_or(0, u64::from);
    let field32 = |o| le32(&tail.bytes, end + o).map_or(0, u64::from);
    let mut dir = Directory { entries: field16(10), size: field32(12), offset: field32(16) };
    let saturated = dir.entries == 0xFFFF || dir.size == ZIP64_MARK || dir.offset == ZIP64_MARK;
    let locator = end.checked_sub(LOCATOR_LEN).and_then(|l| tail.bytes.get(l..end));
    if let Some(locator) = locator.filter(|l| saturated && l.starts_with(LOCATOR_SIG)) {
        let record_at = le64(locator, 8).unwrap_or(0);
        let record = read(record_at, ZIP64_END_LEN).map_err(LocateError::Read)?;
        dir = zip64_end(&record).ok_or(LocateError::BadZip64(record_at))?;
    }
    Ok((tail, dir))
}

/// Offset in `tail` of the last end record that has its 22 bytes there.
fn whole_end_record(tail: &[u8]) -> Option<usize> {
    let room = tail.len().checked_sub(END_LEN - END_SIG.len())?;
    memchr::memmem::rfind(tail.get(..room)?, END_SIG)
}

/// The directory a ZIP64 end record gives.
fn zip64_end(record: &[u8]) -> Option<Directory> {
    if !record.starts_with(ZIP64_END_SIG) {
        return None;
    }
    Some(Directory { entries: le64(record, 32)?, size: le64(record, 40)?, offset: le64(record, 48)? })
}

impl Tail {
    /// `len` bytes at `offset`: borrowed from the tail when it holds them all (the
    /// directory usually ends right before the end record), else read.
    pub(crate) fn slice_or_read<E>(
        &self,
        offset: u64,
        len: u64,
        read: impl FnOnce(u64, u64) -> Result<Vec<u8>, E>,
    ) -> Result<Cow<'_, [u8]>, E> {
        let start = offset.checked_sub(self.at).and_then(|s| usize::try_from(s).ok());
        let held =
            start.zip(usize::try_from(len).ok()).and_then(|(s, n)| self.bytes.get(s..s.checked_add(n)?));
        match held {
            Some(bytes) => Ok(Cow::Borrowed(bytes)),
            None => read(offset, len).map(Cow::Owned),
        }
    }
}

/// One central-directory entry, its sizes and offset as the 32-bit fields give them
/// ([`Entry::zip64`] applies the ZIP64 extra field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    /// Offset of the entry in the directory.
    pub at: usize,
    /// "Version needed to extract".
    pub version_needed: u16,
    /// General-purpose bit flags (bit 0: encrypted).
    pub flags: u16,
    /// Compression method (0 stored, 8 deflate).
    pub method: u16,
    /// MS-DOS time word.
    pub dos_time: u16,
    /// MS-DOS date word.
    pub dos_date: u16,
    /// CRC-32 of the uncompressed data.
    pub crc: u32,
    /// Compressed size.
    pub compressed: u64,
    /// Uncompressed size.
    pub uncompressed: u64,
    /// Offset of the local file header.
    pub local_offset: u64,
    /// The file name as stored (UTF-8 or CP437).
    pub name: &'a [u8],
    /// The extra field, `None` when the directory ends inside it.
    pub extra: Option<&'a [u8]>,
}

impl<'a> Entry<'a> {
    /// The entry at `at` in `dir` and the offset after it (its comment included); `None`
    /// when the directory ends before the end of its name.
    fn parse(dir: &'a [u8], at: usize) -> Option<(Entry<'a>, usize)> {
        let h: [u8; ENTRY_LEN] = array(dir, at)?;
        let field16 = |o| le16(&h, o).unwrap_or(0);
        let field32 = |o| le32(&h, o).unwrap_or(0);
        let name_at = at + ENTRY_LEN;
        let extra_at = name_at.checked_add(usize::from(field16(28)))?;
        let comment_at = extra_at.checked_add(usize::from(field16(30)))?;
        let entry = Entry {
            at,
            version_needed: field16(6),
            flags: field16(8),
            method: field16(10),
            dos_time: field16(12),
            dos_date: field16(14),
            crc: field32(16),
            compressed: u64::from(field32(20)),
            uncompressed: u64::from(field32(24)),
            local_offset: u64::from(field32(42)),
            name: dir.get(name_at..extra_at)?,
            extra: dir.get(extra_at..comment_at),
        };
        Some((entry, comment_at.checked_add(usize::from(field16(32)))?))
    }

    /// The entry with the sizes and offset its ZIP64 extra field holds (for the 32-bit
    /// fields set to 0xFFFFFFFF, in the order uncompressed, compressed, offset); `None`
    /// when the extra field is cut or its records run past its end.
    pub(crate) fn zip64(mut self) -> Option<Entry<'a>> {
        let extra = self.extra?;
        let mut at = 0usize;
        while let (Some(id), Some(size)) = (le16(extra, at), le16(extra, at + 2)) {
            let body_at = at + 4;
            let body = extra.get(body_at..body_at + usize::from(size))?;
            if id == 1 {
                let mut r = 0usize;
                for field in [&mut self.uncompressed, &mut self.compressed, &mut self.local_offset] {
                    if *field == ZIP64_MARK {
                        if let Some(v) = le64(body, r) {
                            *field = v;
                            r += 8;
                        }
                    }
                }
            }
            at = body_at + usize::from(size);
        }
        Some(self)
    }
}

/// The entries of the central directory `dir`, in order, up to the first that is cut or
/// lacks its signature ([`Entries::stop`] says which).
pub(crate) fn entries(dir: &[u8]) -> Entries<'_> {
    Entries { dir, at: 0, stop: None }
}

/// Why [`Entries`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// No entry signature where the next entry belongs (the directory's end, or damage).
    NoSignature,
    /// An entry cut before the end of its name.
    Truncated,
}

/// Iterator over central-directory entries (see [`entries`]).
pub(crate) struct Entries<'a> {
    dir: &'a [u8],
    at: usize,
    stop: Option<Stop>,
}

impl Entries<'_> {
    /// Offset in the directory of the entry read next (where the walk stopped, once it has).
    pub(crate) fn offset(&self) -> usize {
        self.at
    }

    /// Why the walk stopped; `None` while it goes on.
    pub(crate) fn stop(&self) -> Option<Stop> {
        self.stop
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        if self.stop.is_some() {
            return None;
        }
        if self.dir.get(self.at..).is_none_or(|rest| !rest.starts_with(ENTRY_SIG)) {
            self.stop = Some(Stop::NoSignature);
            return None;
        }
        let Some((entry, next)) = Entry::parse(self.dir, self.at) else {
            self.stop = Some(Stop::Truncated);
            return None;
        };
        self.at = next;
        Some(entry)
    }
}

/// A local file header: what the directory repeats, and the lengths to skip to the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LocalHeader {
    /// General-purpose bit flags (bit 3: sizes follow the data).
    pub flags: u16,
    /// Compression method.
    pub method: u16,
    /// Compressed size (32-bit field).
    pub compressed: u32,
    /// Length of the file name after the header.
    pub name_len: u16,
    /// Length of the extra field after the name.
    pub extra_len: u16,
}

impl LocalHeader {
    /// Length of the fixed part.
    pub(crate) const LEN: usize = 30;

    /// The header at the start of `h`; `None` without the signature or the 30 bytes.
    pub(crate) fn parse(h: &[u8]) -> Option<LocalHeader> {
        if !h.starts_with(LOCAL_SIG) {
            return None;
        }
        Some(LocalHeader {
            flags: le16(h, 6)?,
            method: le16(h, 8)?,
            compressed: le32(h, 18)?,
            name_len: le16(h, 26)?,
            extra_len: le16(h, 28)?,
        })
    }

    /// The file name, from the bytes `h` that start with the header.
    pub(crate) fn name<'h>(&self, h: &'h [u8]) -> Option<&'h [u8]> {
        h.get(Self::LEN..Self::LEN + usize::from(self.name_len))
    }

    /// Where the data starts for a header at `at`.
    pub(crate) fn data_offset(&self, at: u64) -> Option<u64> {
        at.checked_add(Self::LEN as u64 + u64::from(self.name_len) + u64::from(self.extra_len))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A ZIP of stored entries (dated 2021-06-15 12:00:00, CRC 0x12345678), with its
    /// central directory and end record.
    pub(crate) fn build(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut dir = Vec::new();
        for (name, data) in files {
            let off = out.len() as u32;
            let mut common = Vec::new();
            common.extend_from_slice(&20u16.to_le_bytes()); // version needed
            common.extend_from_slice(&0u16.to_le_bytes()); // flags
            common.extend_from_slice(&0u16.to_le_bytes()); // stored
            common.extend_from_slice(&0x6000u16.to_le_bytes()); // 12:00:00
            common.extend_from_slice(&0x52CFu16.to_le_bytes()); // 2021-06-15
            common.extend_from_slice(&0x1234_5678u32.to_le_bytes());
            common.extend_from_slice(&(data.len() as u32).to_le_bytes());
            common.extend_from_slice(&(data.len() as u32).to_le_bytes());
            common.extend_from_slice(&(name.len() as u16).to_le_bytes());
            common.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(LOCAL_SIG);
            out.extend_from_slice(&common);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            dir.extend_from_slice(ENTRY_SIG);
            dir.extend_from_slice(&20u16.to_le_bytes());
            dir.extend_from_slice(&common);
            dir.extend_from_slice(&[0u8; 10]);
            dir.extend_from_slice(&off.to_le_bytes());
            dir.extend_from_slice(name.as_bytes());
        }
        let dir_off = out.len() as u32;
        out.extend_from_slice(&dir);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(dir.len() as u32).to_le_bytes());
        out.extend_from_slice(&dir_off.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    /// Reads of an in-memory file, fewer bytes at its end.
    fn reader(file: &[u8]) -> impl FnMut(u64, u64) -> Result<Vec<u8>, ()> + '_ {
        |at, len| {
            let at = usize::try_from(at).map_err(|_| ())?;
            let end = at.saturating_add(usize::try_from(len).map_err(|_| ())?).min(file.len());
            file.get(at..end).map(<[u8]>::to_vec).ok_or(())
        }
    }

    #[test]
    fn walks_the_directory_from_the_tail() {
        let zip = build(&[("a.txt", b"hello"), ("docProps/core.xml", b"<x/>")]);
        let (tail, dir) = locate(zip.len() as u64, EndSearch::WholeRecord, reader(&zip)).unwrap();
        assert_eq!(dir.entries, 2);
        let bytes = tail.slice_or_read(dir.offset, dir.size, reader(&zip)).unwrap();
        assert!(matches!(bytes, Cow::Borrowed(_)), "the directory is in the tail");
        let mut it = entries(&bytes);
        let names: Vec<&[u8]> = it.by_ref().map(|e| e.name).collect();
        assert_eq!(names, [&b"a.txt"[..], b"docProps/core.xml"]);
        assert_eq!((it.stop(), it.offset()), (Some(Stop::NoSignature), bytes.len()));
        let first = entries(&bytes).next().unwrap();
        assert_eq!((first.method, first.crc, first.compressed, first.local_offset), (0, 0x1234_5678, 5, 0));
        let local = LocalHeader::parse(&zip).unwrap();
        assert_eq!(local.name(&zip), Some(&b"a.txt"[..]));
        assert_eq!(local.data_offset(0), Some(35));
    }

    #[test]
    fn a_comment_after_the_record_and_a_signature_inside_it() {
        let mut zip = build(&[("a", b"x")]);
        // A comment that holds the signature without room for a record after it.
        let comment = b"PK\x05\x06 not a record";
        let at = zip.len() - 2;
        zip.splice(at.., (comment.len() as u16).to_le_bytes());
        zip.extend_from_slice(comment);
        let (_, dir) = locate(zip.len() as u64, EndSearch::WholeRecord, reader(&zip)).unwrap();
        assert_eq!(dir.entries, 1);
        // Sniffing takes the last signature for the record, and a cut record for the end.
        let sniffed = locate(zip.len() as u64, EndSearch::LastSignature, reader(&zip));
        assert!(matches!(sniffed, Err(LocateError::NoEnd)));
        // Past the first tail: found in the longest one.
        let mut long = build(&[("a", b"x")]);
        let at = long.len() - 2;
        long.splice(at.., 6000u16.to_le_bytes());
        long.extend_from_slice(&[b' '; 6000]);
        assert!(locate(long.len() as u64, EndSearch::WholeRecord, reader(&long)).is_ok());
        assert!(matches!(
            locate(5, EndSearch::WholeRecord, reader(b"PK\x03\x04\0")),
            Err(LocateError::NoEnd)
        ));
    }

    #[test]
    fn cut_entries_stop_the_walk() {
        let zip = build(&[("name.xml", b"")]);
        let (tail, dir) = locate(zip.len() as u64, EndSearch::WholeRecord, reader(&zip)).unwrap();
        let bytes = tail.slice_or_read(dir.offset, dir.size, reader(&zip)).unwrap();
        let cut = bytes.get(..ENTRY_LEN + 3).unwrap();
        let mut it = entries(cut);
        assert_eq!(it.next(), None);
        assert_eq!((it.stop(), it.offset()), (Some(Stop::Truncated), 0));
    }

    #[test]
    fn zip64_extra_field_replaces_saturated_fields() {
        let zip = build(&[("a", b"x")]);
        let mut e = entries(&zip[32..]).next().unwrap();
        e.compressed = ZIP64_MARK;
        let extra = [1, 0, 8, 0, 0x10, 0, 0, 0, 1, 0, 0, 0];
        e.extra = Some(&extra);
        assert_eq!(e.zip64().map(|e| e.compressed), Some(0x1_0000_0010));
        e.extra = Some(&extra[..10]);
        assert_eq!(e.zip64(), None);
    }
}

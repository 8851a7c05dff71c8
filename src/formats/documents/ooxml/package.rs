//! The package as the document parsers read it: the central directory through
//! [`crate::zip`], with the read budget, size limits and warnings of a parser, and single
//! entries (stored or deflated). Reads only the tail, the directory and the entries asked
//! for; every size from the file is checked against the file length and the limits.

use crate::base::inflate::{End, Wrapper};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::zip::{self, EndSearch, LocalHeader, LocateError, Stop};
use std::borrow::Cow;

/// Most central-directory entries considered.
const MAX_ENTRIES: usize = 100_000;
/// Largest central directory read (bytes).
const MAX_DIRECTORY: u64 = 16 << 20;

/// One central-directory entry, its ZIP64 sizes applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// File name as stored (UTF-8 or CP437; treated as UTF-8, lossy).
    pub name: String,
    /// "Version needed to extract".
    pub version_needed: u16,
    /// General-purpose bit flags.
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
}

impl Entry {
    /// The entry of a directory record; `None` when its extra field is cut or malformed.
    fn new(e: zip::Entry) -> Option<Entry> {
        let e = e.zip64()?;
        Some(Entry {
            name: String::from_utf8_lossy(e.name).into_owned(),
            version_needed: e.version_needed,
            flags: e.flags,
            method: e.method,
            dos_time: e.dos_time,
            dos_date: e.dos_date,
            crc: e.crc,
            compressed: e.compressed,
            uncompressed: e.uncompressed,
            local_offset: e.local_offset,
        })
    }

    /// The modification time as "YYYY:MM:DD HH:MM:SS".
    pub fn modify_date(&self) -> String {
        let (d, t) = (self.dos_date, self.dos_time);
        format!(
            "{:04}:{:02}:{:02} {:02}:{:02}:{:02}",
            1980 + (d >> 9),
            (d >> 5) & 0xF,
            d & 0x1F,
            t >> 11,
            (t >> 5) & 0x3F,
            (t & 0x1F) * 2
        )
    }
}

/// Reads the central directory (bounded) and returns its entries in directory order.
pub(crate) fn read_directory(cx: &mut Ctx) -> Result<Vec<Entry>> {
    let len = cx.len();
    let (tail, loc) =
        zip::locate(len, EndSearch::WholeRecord, |at, n| cx.read(at, n)).map_err(|e| match e {
            LocateError::Read(e) => e,
            LocateError::NoEnd => Error::malformed(len, "zip: no end-of-central-directory record"),
            LocateError::BadZip64(at) => Error::malformed(at, "zip: bad ZIP64 end record"),
        })?;
    if loc.size > MAX_DIRECTORY || loc.offset.checked_add(loc.size).is_none_or(|e| e > len) {
        return Err(Error::malformed(loc.offset, "zip: central directory outside the file"));
    }
    let dir = tail.slice_or_read(loc.offset, loc.size, |at, n| cx.read(at, n))?;
    // Offsets in the directory are below its size, which ends inside the file.
    let at = |p: usize| loc.offset.saturating_add(p as u64);
    let want = usize::try_from(loc.entries).unwrap_or(usize::MAX).min(MAX_ENTRIES);
    let mut out = Vec::new();
    let mut records = zip::entries(&dir);
    while out.len() < want {
        let Some(record) = records.next() else {
            let message = match records.stop() {
                Some(Stop::Truncated) => "zip: truncated central directory entry",
                _ => "zip: central directory ends early",
            };
            cx.warn(at(records.offset()), message);
            break;
        };
        let Some(e) = Entry::new(record) else {
            cx.warn(at(record.at), "zip: truncated central directory entry");
            break;
        };
        out.push(e);
    }
    Ok(out)
}

/// Where an entry's data starts (after its local header).
pub(crate) fn data_offset(cx: &mut Ctx, e: &Entry) -> Result<u64> {
    let h = cx.read_array::<{ LocalHeader::LEN }>(e.local_offset)?;
    LocalHeader::parse(&h)
        .and_then(|h| h.data_offset(e.local_offset))
        .ok_or_else(|| Error::malformed(e.local_offset, "zip: bad local header"))
}

/// Reads and inflates one entry; both sizes its directory entry gives are bounded by
/// `max`. A deflated entry inflates into a buffer that never grows past `max`, nor past
/// the budgets of [`Ctx::inflate_whole`], whatever the directory says: one that inflates past
/// them (its directory lied) is kept cut there, with a warning naming the limit. Stored
/// entries are borrowed when the input is in memory.
pub(crate) fn read_entry<'a>(cx: &mut Ctx<'a>, e: &Entry, max: usize) -> Result<Cow<'a, [u8]>> {
    if e.compressed > max as u64 || e.uncompressed > max as u64 {
        return Err(Error::limit(e.local_offset, format!("zip: entry {} larger than {max} bytes", e.name)));
    }
    if e.flags & 1 != 0 {
        return Err(Error::malformed(e.local_offset, format!("zip: entry {} is encrypted", e.name)));
    }
    let start = data_offset(cx, e)?;
    let raw = cx.read_cow(start, e.compressed)?;
    match e.method {
        0 => Ok(raw),
        8 => {
            let what = format!("zip: entry {}", e.name);
            let (out, _) = cx.inflate_whole(&raw, Wrapper::Raw, start, max, &what);
            match out.end {
                End::Complete => Ok(Cow::Owned(out.data)),
                End::Capped => {
                    // Cut by a budget, `Ctx::inflate_whole` said so; cut at `max`, say it here.
                    if out.data.len() == max {
                        let said = e.uncompressed;
                        let msg = format!(
                            "{what} inflates past {max} bytes, not {said} as its directory entry says; truncated"
                        );
                        cx.warn(start, msg);
                    }
                    Ok(Cow::Owned(out.data))
                }
                End::Broken => Err(Error::malformed(start, format!("zip: bad deflate data in {}", e.name))),
            }
        }
        m => Err(Error::malformed(start, format!("zip: unsupported compression method {m} in {}", e.name))),
    }
}

/// Reads at most `max_in` compressed bytes of an entry and inflates at most `max_out`
/// bytes of them: the beginning of a large entry.
pub(crate) fn read_entry_prefix<'a>(
    cx: &mut Ctx<'a>,
    e: &Entry,
    max_in: u64,
    max_out: usize,
) -> Result<Cow<'a, [u8]>> {
    if e.flags & 1 != 0 {
        return Err(Error::malformed(e.local_offset, format!("zip: entry {} is encrypted", e.name)));
    }
    let start = data_offset(cx, e)?;
    let raw = cx.read_cow(start, e.compressed.min(max_in).min(cx.len().saturating_sub(start)))?;
    match e.method {
        0 => Ok(match raw {
            Cow::Borrowed(b) => Cow::Borrowed(b.get(..max_out).unwrap_or(b)),
            Cow::Owned(mut v) => {
                v.truncate(max_out);
                Cow::Owned(v)
            }
        }),
        8 => {
            // The input is cut at `max_in`: a stream that breaks there still gave its start.
            let what = format!("zip: entry {}", e.name);
            let (out, _) = cx.inflate_whole(&raw, Wrapper::Raw, start, max_out, &what);
            if out.end == End::Broken && out.data.is_empty() {
                return Err(Error::malformed(start, format!("zip: bad deflate data in {}", e.name)));
            }
            Ok(Cow::Owned(out.data))
        }
        m => Err(Error::malformed(start, format!("zip: unsupported compression method {m} in {}", e.name))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::parse;
    use crate::zip::tests::build as build_zip;

    #[test]
    fn reads_stored_entries() {
        let zip = build_zip(&[("a.txt", b"hello"), ("docProps/core.xml", b"<x/>")]);
        let opts = crate::options::Options::default();
        let mut cx = Ctx::new(&zip, &opts);
        let dir = read_directory(&mut cx).unwrap();
        assert_eq!(dir.len(), 2);
        assert_eq!(dir[1].name, "docProps/core.xml");
        assert_eq!(dir[0].modify_date(), "2021:06:15 12:00:00");
        assert_eq!(*read_entry(&mut cx, &dir[0], 100).unwrap(), *b"hello");
        assert!(read_entry(&mut cx, &dir[0], 3).is_err());
        assert_eq!(*read_entry_prefix(&mut cx, &dir[0], 100, 2).unwrap(), *b"he");
    }

    /// A deflated entry `name` whose local header (its 30 bytes zeroed) starts a file,
    /// followed by `z`; `uncompressed` is the size its directory entry claims.
    fn deflated_at_zero(name: &str, z: &[u8], uncompressed: u64) -> (Entry, Vec<u8>) {
        let e = Entry {
            name: name.into(),
            version_needed: 20,
            flags: 0,
            method: 8,
            dos_time: 0,
            dos_date: 0,
            crc: 0,
            compressed: z.len() as u64,
            uncompressed,
            local_offset: 0,
        };
        let mut file = b"PK\x03\x04".to_vec();
        file.extend_from_slice(&[0u8; 26]);
        file.extend_from_slice(z);
        (e, file)
    }

    #[test]
    fn deflated_prefix_of_a_large_entry() {
        let body = b"<x>".repeat(10_000);
        let z = miniz_oxide::deflate::compress_to_vec(&body, 6);
        let (e, file) = deflated_at_zero("index.xml", &z, body.len() as u64);
        let opts = crate::options::Options::default();
        let mut cx = Ctx::new(&file, &opts);
        let out = read_entry_prefix(&mut cx, &e, 64, 1000).unwrap();
        assert!(!out.is_empty() && out.len() <= 1000 && out.starts_with(b"<x><x>"));
        // A bomb: the whole entry, but capped output.
        assert!(read_entry(&mut cx, &e, 1000).is_err());
        assert!(cx.warnings.is_empty());
        // Its directory entry lies (10 bytes): cut at the part cap, said so.
        let lying = Entry { uncompressed: 10, ..e.clone() };
        let out = read_entry(&mut cx, &lying, 1000).unwrap();
        assert_eq!((out.len(), cx.warnings.len()), (1000, 1));
        assert!(
            cx.warnings[0].message.contains("inflates past 1000 bytes, not 10"),
            "{}",
            cx.warnings[0].message
        );
        // Cut by max_alloc before the part cap: the warning names the limit.
        let opts = crate::options::Options::default()
            .with_limits(crate::options::Limits::default().with_max_alloc(512));
        let mut cx = Ctx::new(&file, &opts);
        let out = read_entry(&mut cx, &lying, 1000).unwrap();
        assert_eq!((out.len(), cx.warnings.len()), (512, 1));
        assert!(cx.warnings[0].message.contains("max_alloc (512 bytes)"), "{}", cx.warnings[0].message);
        assert_eq!(cx.warnings[0].offset, Some(30));
    }

    #[test]
    fn corrupt_deflate_data_is_bad_data_not_garbage() {
        // A literal, then a match two bytes back: before the start of the output.
        let far = [0x4b, 0x04, 0x42, 0x00];
        let (e, file) = deflated_at_zero("docProps/app.xml", &far, 4);
        let opts = crate::options::Options::default();
        let mut cx = Ctx::new(&file, &opts);
        let err = read_entry(&mut cx, &e, 1000).unwrap_err();
        assert_eq!(err.message(), "zip: bad deflate data in docProps/app.xml");
    }

    #[test]
    fn only_the_tail_is_read_for_the_directory() {
        let big = vec![0u8; 1 << 20];
        let zip = build_zip(&[("big.bin", &big), ("docProps/core.xml", b"<x/>")]);
        let mut names = Vec::new();
        let run = parse(&zip, |cx| {
            names = read_directory(cx)?.into_iter().map(|e| e.name).collect();
            Ok(())
        });
        assert_eq!(names, ["big.bin", "docProps/core.xml"]);
        assert!(run.ok && run.warnings.is_empty());
        assert!(run.requested <= 4096, "{} bytes read", run.requested);
    }

    #[test]
    fn truncated_zip_is_an_error() {
        let zip = build_zip(&[("a.txt", b"hello")]);
        let opts = crate::options::Options::default();
        for cut in [0, 10, zip.len() - 5] {
            let src = zip[..cut].to_vec();
            let mut cx = Ctx::new(&src, &opts);
            assert!(read_directory(&mut cx).is_err());
        }
    }
}

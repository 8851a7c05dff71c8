//! A minimal ZIP reader: end-of-central-directory (with ZIP64), the central directory, and
//! single entries (stored or deflated). Reads only the tail, the directory and the entries
//! asked for; every size from the file is checked against the file length and the limits.

use crate::context::Ctx;
use crate::error::{Error, Result};

/// Longest tail searched for the end-of-central-directory record (22 bytes + 64 KiB comment).
const EOCD_SEARCH: u64 = 22 + 0xFFFF;
/// Most central-directory entries considered.
const MAX_ENTRIES: usize = 100_000;
/// Largest central directory read (bytes).
const MAX_DIRECTORY: u64 = 16 << 20;

/// One central-directory entry.
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
    /// MS-DOS time and date words.
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

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i.checked_add(2)?)?.try_into().ok()?))
}
fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i.checked_add(4)?)?.try_into().ok()?))
}
fn u64_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i.checked_add(8)?)?.try_into().ok()?))
}

/// Where the central directory is, from the end records.
#[derive(Debug, PartialEq, Eq)]
struct DirLocation {
    entries: u64,
    size: u64,
    offset: u64,
}

/// Finds the central directory from the (ZIP64) end-of-central-directory record.
fn locate(cx: &mut Ctx) -> Result<DirLocation> {
    let len = cx.len();
    // Most archives have no comment: try a short tail before the longest possible one.
    let mut found = None;
    for span in [1024, EOCD_SEARCH] {
        let start = len.saturating_sub(span);
        let tail = cx.read(start, len - start)?;
        let pos =
            (0..tail.len().saturating_sub(21)).rev().find(|&i| tail.get(i..i + 4) == Some(b"PK\x05\x06"));
        if let Some(pos) = pos {
            found = Some((start, tail, pos));
            break;
        }
        if start == 0 {
            break;
        }
    }
    let (start, tail, pos) =
        found.ok_or_else(|| Error::malformed(len, "zip: no end-of-central-directory record"))?;
    let eocd = &tail[pos..];
    let bad = || Error::malformed(start + pos as u64, "zip: short end record");
    let mut loc = DirLocation {
        entries: u64::from(u16_at(eocd, 10).ok_or_else(bad)?),
        size: u64::from(u32_at(eocd, 12).ok_or_else(bad)?),
        offset: u64::from(u32_at(eocd, 16).ok_or_else(bad)?),
    };
    let zip64 = loc.entries == 0xFFFF || loc.size == 0xFFFF_FFFF || loc.offset == 0xFFFF_FFFF;
    if zip64 && pos >= 20 && tail.get(pos - 20..pos - 16) == Some(b"PK\x06\x07") {
        let rec_off = u64_at(&tail, pos - 12).ok_or_else(bad)?;
        let rec = cx.read(rec_off, 56)?;
        if rec.get(..4) != Some(b"PK\x06\x06") {
            return Err(Error::malformed(rec_off, "zip: bad ZIP64 end record"));
        }
        loc = DirLocation {
            entries: u64_at(&rec, 32).ok_or_else(bad)?,
            size: u64_at(&rec, 40).ok_or_else(bad)?,
            offset: u64_at(&rec, 48).ok_or_else(bad)?,
        };
    }
    Ok(loc)
}

/// Reads the central directory (bounded) and returns its entries in directory order.
pub(crate) fn read_directory(cx: &mut Ctx) -> Result<Vec<Entry>> {
    let loc = locate(cx)?;
    if loc.size > MAX_DIRECTORY || loc.offset.checked_add(loc.size).is_none_or(|e| e > cx.len()) {
        return Err(Error::malformed(loc.offset, "zip: central directory outside the file"));
    }
    let dir = cx.read(loc.offset, loc.size)?;
    let mut out = Vec::new();
    let mut p = 0usize;
    let want = usize::try_from(loc.entries).unwrap_or(usize::MAX).min(MAX_ENTRIES);
    while out.len() < want {
        if dir.get(p..p + 4) != Some(b"PK\x01\x02") {
            cx.warn(loc.offset + p as u64, "zip: central directory ends early");
            break;
        }
        let Some(e) = parse_entry(&dir, p) else {
            cx.warn(loc.offset + p as u64, "zip: truncated central directory entry");
            break;
        };
        out.push(e.0);
        p = e.1;
    }
    Ok(out)
}

/// Parses the central-directory entry at `p`; returns it and the offset of the next one.
fn parse_entry(dir: &[u8], p: usize) -> Option<(Entry, usize)> {
    let name_len = usize::from(u16_at(dir, p + 28)?);
    let extra_len = usize::from(u16_at(dir, p + 30)?);
    let comment_len = usize::from(u16_at(dir, p + 32)?);
    let name_start = p + 46;
    let name = dir.get(name_start..name_start + name_len)?;
    let extra = dir.get(name_start + name_len..name_start + name_len + extra_len)?;
    let mut e = Entry {
        name: String::from_utf8_lossy(name).into_owned(),
        version_needed: u16_at(dir, p + 6)?,
        flags: u16_at(dir, p + 8)?,
        method: u16_at(dir, p + 10)?,
        dos_time: u16_at(dir, p + 12)?,
        dos_date: u16_at(dir, p + 14)?,
        crc: u32_at(dir, p + 16)?,
        compressed: u64::from(u32_at(dir, p + 20)?),
        uncompressed: u64::from(u32_at(dir, p + 24)?),
        local_offset: u64::from(u32_at(dir, p + 42)?),
    };
    // ZIP64 extended information: the 0xFFFFFFFF fields, in this order.
    let mut q = 0usize;
    while let (Some(id), Some(sz)) = (u16_at(extra, q), u16_at(extra, q + 2)) {
        let body = extra.get(q + 4..q + 4 + usize::from(sz))?;
        if id == 1 {
            let mut r = 0usize;
            for field in [&mut e.uncompressed, &mut e.compressed, &mut e.local_offset] {
                if *field == 0xFFFF_FFFF {
                    if let Some(v) = u64_at(body, r) {
                        *field = v;
                        r += 8;
                    }
                }
            }
        }
        q += 4 + usize::from(sz);
    }
    Some((e, name_start + name_len + extra_len + comment_len))
}

/// Where an entry's data starts (after its local header).
pub(crate) fn data_offset(cx: &mut Ctx, e: &Entry) -> Result<u64> {
    let h = cx.read_array::<30>(e.local_offset)?;
    if h.get(..4) != Some(b"PK\x03\x04") {
        return Err(Error::malformed(e.local_offset, "zip: bad local header"));
    }
    let n = u64::from(u16_at(&h, 26).unwrap_or(0)) + u64::from(u16_at(&h, 28).unwrap_or(0));
    Ok(e.local_offset + 30 + n)
}

/// Reads and inflates one entry; both sizes are bounded by `max`.
pub(crate) fn read_entry(cx: &mut Ctx, e: &Entry, max: usize) -> Result<Vec<u8>> {
    if e.compressed > max as u64 || e.uncompressed > max as u64 {
        return Err(Error::limit(e.local_offset, format!("zip: entry {} larger than {max} bytes", e.name)));
    }
    if e.flags & 1 != 0 {
        return Err(Error::malformed(e.local_offset, format!("zip: entry {} is encrypted", e.name)));
    }
    let start = data_offset(cx, e)?;
    let raw = cx.read(start, e.compressed)?;
    match e.method {
        0 => Ok(raw),
        8 => inflate(&raw, max)
            .ok_or_else(|| Error::malformed(start, format!("zip: bad deflate data in {}", e.name))),
        m => Err(Error::malformed(start, format!("zip: unsupported compression method {m} in {}", e.name))),
    }
}

/// Reads at most `max_in` compressed bytes of an entry and inflates at most `max_out`
/// bytes of them: the beginning of a large entry.
pub(crate) fn read_entry_prefix(cx: &mut Ctx, e: &Entry, max_in: u64, max_out: usize) -> Result<Vec<u8>> {
    if e.flags & 1 != 0 {
        return Err(Error::malformed(e.local_offset, format!("zip: entry {} is encrypted", e.name)));
    }
    let start = data_offset(cx, e)?;
    let raw = cx.read(start, e.compressed.min(max_in).min(cx.len().saturating_sub(start)))?;
    match e.method {
        0 => Ok(raw.into_iter().take(max_out).collect()),
        8 => match miniz_oxide::inflate::decompress_to_vec_with_limit(&raw, max_out) {
            Ok(v) => Ok(v),
            Err(err) if !err.output.is_empty() => Ok(err.output),
            Err(_) => Err(Error::malformed(start, format!("zip: bad deflate data in {}", e.name))),
        },
        m => Err(Error::malformed(start, format!("zip: unsupported compression method {m} in {}", e.name))),
    }
}

/// Raw deflate with an output cap.
pub(crate) fn inflate(raw: &[u8], max: usize) -> Option<Vec<u8>> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(raw, max).ok()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a ZIP with stored entries.
    pub(crate) fn build_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
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
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&common);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            dir.extend_from_slice(b"PK\x01\x02");
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

    #[test]
    fn reads_stored_entries() {
        let zip = build_zip(&[("a.txt", b"hello"), ("docProps/core.xml", b"<x/>")]);
        let opts = crate::options::Options::default();
        let mut cx = Ctx::new(&zip, &opts);
        let dir = read_directory(&mut cx).unwrap();
        assert_eq!(dir.len(), 2);
        assert_eq!(dir[1].name, "docProps/core.xml");
        assert_eq!(dir[0].modify_date(), "2021:06:15 12:00:00");
        assert_eq!(read_entry(&mut cx, &dir[0], 100).unwrap(), b"hello");
        assert!(read_entry(&mut cx, &dir[0], 3).is_err());
        assert_eq!(read_entry_prefix(&mut cx, &dir[0], 100, 2).unwrap(), b"he");
    }

    #[test]
    fn deflated_prefix_of_a_large_entry() {
        let body = b"<x>".repeat(10_000);
        let z = miniz_oxide::deflate::compress_to_vec(&body, 6);
        let e = Entry {
            name: "index.xml".into(),
            version_needed: 20,
            flags: 0,
            method: 8,
            dos_time: 0,
            dos_date: 0,
            crc: 0,
            compressed: z.len() as u64,
            uncompressed: body.len() as u64,
            local_offset: 0,
        };
        let mut file = b"PK\x03\x04".to_vec();
        file.extend_from_slice(&[0u8; 26]);
        file.extend_from_slice(&z);
        let opts = crate::options::Options::default();
        let mut cx = Ctx::new(&file, &opts);
        let out = read_entry_prefix(&mut cx, &e, 64, 1000).unwrap();
        assert!(!out.is_empty() && out.len() <= 1000 && out.starts_with(b"<x><x>"));
        // A bomb: the whole entry, but capped output.
        assert!(read_entry(&mut cx, &e, 1000).is_err());
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

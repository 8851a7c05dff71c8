//! APEv1/APEv2 tags at the end of a file (before an ID3v1 tag): a 32-byte `APETAGEX`
//! footer and `key=value` items. Names are spelled from the keys as ExifTool prints them
//! (`Cover Art (front)` -> `CoverArtFront`); binary items become a `...Desc` text and a
//! binary value referenced by offset.

use crate::base::bytes::le32;
use crate::context::Ctx;
use crate::model::{BinaryRef, Tag, Value};

/// Group of every APE tag.
const GROUP: &str = "APE";
/// Largest APE tag read.
const MAX_TAG: u64 = 16 << 20;
/// Most items read.
const MAX_ITEMS: u32 = 1024;

/// Tag name from an item key: words capitalised, other characters dropped.
fn key_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for word in key.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = word.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Tag");
    }
    out
}

/// Reads an APE tag whose footer ends at `end`; returns its total size (0 if none).
pub(crate) fn parse(cx: &mut Ctx, end: u64) -> u64 {
    let Some(footer_at) = end.checked_sub(32) else { return 0 };
    let Ok(f) = cx.read_array::<32>(footer_at) else { return 0 };
    if &f[..8] != b"APETAGEX" {
        return 0;
    }
    let (Some(size), Some(count), Some(flags)) = (le32(&f, 12), le32(&f, 16), le32(&f, 20)) else { return 0 };
    let size = u64::from(size);
    let header = if flags & 0x8000_0000 != 0 { 32 } else { 0 };
    let Some(items_at) = end.checked_sub(size).filter(|_| (32..=MAX_TAG).contains(&size)) else {
        cx.warn(footer_at, "APE tag size out of range");
        return 0;
    };
    let Ok(d) = cx.read(items_at, size - 32) else {
        cx.warn(footer_at, "APE tag runs before the start of the file");
        return 0;
    };
    let mut p = 0usize;
    for _ in 0..count.min(MAX_ITEMS) {
        let (Some(vlen), Some(iflags)) = (le32(&d, p), le32(&d, p + 4)) else { break };
        let key_at = p + 8;
        let Some(klen) = d.get(key_at..).and_then(|k| k.iter().position(|&b| b == 0)) else { break };
        let key = String::from_utf8_lossy(&d[key_at..key_at + klen]).into_owned();
        let v_at = key_at + klen + 1;
        let Some(v) = d.get(v_at..v_at.saturating_add(vlen as usize)) else {
            cx.warn(items_at + p as u64, "APE item runs past its tag");
            break;
        };
        let name = key_name(&key);
        if (iflags >> 1) & 3 == 1 {
            // Binary: a NUL-terminated description (file name), then the data.
            let (desc_len, skip) = match v.iter().position(|&b| b == 0) {
                Some(n) if n < 1024 => (n, n + 1),
                _ => (0, 0),
            };
            if skip > 0 {
                let desc = String::from_utf8_lossy(&v[..desc_len]).into_owned();
                cx.push(Tag::new(GROUP, format!("{name}Desc"), desc));
            }
            let offset = items_at + (v_at + skip) as u64;
            let length = (v.len() - skip) as u64;
            cx.push(Tag::new(GROUP, name, Value::Binary(BinaryRef { offset, length })));
        } else {
            let text = String::from_utf8_lossy(v);
            let text = text.trim_end_matches('\0');
            cx.push(Tag::new(GROUP, name, text.to_owned()));
        }
        p = v_at + vlen as usize;
    }
    size + header
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    /// Reads the APE tag ending at `end` in `data`: its tags and the size it returned.
    fn read_tag(data: &[u8], end: u64) -> (test_util::Parsed, u64) {
        let mut size = 0;
        let found = test_util::parse(data, |cx| {
            size = parse(cx, end);
            Ok(())
        });
        (found, size)
    }

    #[test]
    fn names() {
        assert_eq!(key_name("Cover Art (front)"), "CoverArtFront");
        assert_eq!(key_name("Media Jukebox: Date"), "MediaJukeboxDate");
        assert_eq!(key_name("Tool Version"), "ToolVersion");
    }

    #[test]
    fn footer_and_items() {
        let mut items = Vec::new();
        items.extend_from_slice(&4u32.to_le_bytes());
        items.extend_from_slice(&0u32.to_le_bytes());
        items.extend_from_slice(b"Title\0Song");
        let mut f = b"junk".to_vec();
        f.extend_from_slice(&items);
        f.extend_from_slice(b"APETAGEX");
        f.extend_from_slice(&2000u32.to_le_bytes());
        f.extend_from_slice(&(items.len() as u32 + 32).to_le_bytes());
        f.extend_from_slice(&1u32.to_le_bytes());
        f.extend_from_slice(&[0; 12]);
        let end = f.len() as u64;
        let (found, size) = read_tag(&f, end);
        assert_eq!(size, items.len() as u64 + 32);
        assert_eq!(found.get("APE:Title"), Some(&Value::Text("Song".into())));
        // A size reaching before the file start is refused.
        let mut bad = f.clone();
        let n = bad.len();
        bad[n - 20..n - 16].copy_from_slice(&1000u32.to_le_bytes());
        assert_eq!(read_tag(&bad, end).1, 0);
    }
}

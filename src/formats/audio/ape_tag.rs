//! APEv1/APEv2 tags at the end of a file (before an ID3v1 tag): a 32-byte `APETAGEX`
//! footer and `key=value` items. Names are spelled from the keys as ExifTool prints them
//! (`Cover Art (front)` -> `CoverArtFront`); binary items become a `...Desc` text and a
//! binary value referenced by offset.

use crate::base::bytes::le32;
use crate::context::Ctx;
use crate::model::{BinaryRef, Tag, Value};
use std::borrow::Cow;

/// Group of every APE tag.
const GROUP: &str = "APE";
/// Largest APE tag read.
const MAX_TAG: u64 = 16 << 20;
/// Tags this size or smaller (and within `max_alloc`) are read in one go; larger ones
/// (a cover) item by item.
const WHOLE_TAG: u64 = 64 << 10;
/// Most items read.
const MAX_ITEMS: u32 = 1024;

/// Tag name from an item key: words capitalised, other characters dropped.
#[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
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

/// Reads an APE tag whose footer ends at `end`; returns its total size (0 if none). A tag
/// within [`WHOLE_TAG`] is read with one read; a larger one item by item, text values as
/// far as `max_value_len` keeps them and binary ones (pictures) only referenced.
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
    let len = size - 32;
    let whole = if len <= WHOLE_TAG.min(cx.opts.limits.max_alloc as u64) {
        let Ok(d) = cx.read(items_at, len) else {
            cx.warn(footer_at, "APE tag runs before the start of the file");
            return 0;
        };
        Some(d)
    } else {
        None
    };
    let src = Items { whole: whole.as_deref(), at: items_at, len };
    let mut p = 0u64;
    for _ in 0..count.min(MAX_ITEMS) {
        let Some(head) = src.get(cx, p, 8) else { break };
        let (Some(vlen), Some(iflags)) = (le32(&head, 0), le32(&head, 4)) else { break };
        let key_at = p + 8;
        let Some(rest) = src.get(cx, key_at, MAX_KEY) else { break };
        let Some(klen) = rest.iter().position(|&b| b == 0) else { break };
        let key = String::from_utf8_lossy(&rest[..klen]).into_owned();
        let v_at = key_at + klen as u64 + 1;
        let v_end = v_at.saturating_add(u64::from(vlen));
        if v_end > len {
            cx.warn(items_at + p, "APE item runs past its tag");
            break;
        }
        let name = key_name(&key);
        if (iflags >> 1) & 3 == 1 {
            // Binary: a NUL-terminated description (file name), then the data.
            let Some(v) = src.get(cx, v_at, MAX_DESC + 1) else { break };
            let v = v.get(..vlen as usize).unwrap_or(&v);
            let (desc_len, skip) = match v.iter().position(|&b| b == 0) {
                Some(n) if n < MAX_DESC as usize => (n, n + 1),
                _ => (0, 0),
            };
            if skip > 0 {
                let desc = String::from_utf8_lossy(&v[..desc_len]).into_owned();
                cx.push(Tag::new(GROUP, format!("{name}Desc"), desc));
            }
            let offset = items_at + v_at + skip as u64;
            let length = u64::from(vlen) - skip as u64;
            cx.push(Tag::new(GROUP, name, Value::Binary(BinaryRef { offset, length })));
        } else {
            let most = (cx.value_read_len() as u64).min(u64::from(vlen));
            let Some(v) = src.get(cx, v_at, most) else { break };
            let v = v.get(..most as usize).unwrap_or(&v);
            let text = String::from_utf8_lossy(v);
            let mut text = text.trim_end_matches('\0').to_owned();
            cx.cut_value(&mut text, items_at + v_at, format_args!("{GROUP}:{name}"));
            cx.push(Tag::new(GROUP, name, text));
        }
        p = v_end;
    }
    size + header
}

/// Longest item key looked for (keys are 2 to 255 characters, then a NUL).
const MAX_KEY: u64 = 256;
/// Longest description of a binary item.
const MAX_DESC: u64 = 1024;

/// The items of a tag: in memory, or `len` bytes at `at` in the file.
struct Items<'d> {
    whole: Option<&'d [u8]>,
    at: u64,
    len: u64,
}

impl<'d> Items<'d> {
    /// Up to `max` bytes at `pos` (fewer at the end of the tag; all of the rest when in
    /// memory, where it costs nothing); `None` past the end or on a read error (warned).
    fn get(&self, cx: &mut Ctx, pos: u64, max: u64) -> Option<Cow<'d, [u8]>> {
        if pos > self.len {
            return None;
        }
        if let Some(d) = self.whole {
            return d.get(usize::try_from(pos).ok()?..).map(Cow::Borrowed);
        }
        match cx.read(self.at + pos, max.min(self.len - pos)) {
            Ok(b) => Some(Cow::Owned(b)),
            Err(e) => {
                cx.warn_error(&e);
                None
            }
        }
    }
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

    #[test]
    fn a_tag_past_max_alloc_is_read_item_by_item() {
        let mut items = Vec::new();
        let mut item = |flags: u32, key: &[u8], value: &[u8]| {
            items.extend_from_slice(&(value.len() as u32).to_le_bytes());
            items.extend_from_slice(&flags.to_le_bytes());
            items.extend_from_slice(key);
            items.push(0);
            items.extend_from_slice(value);
        };
        item(0, b"Title", b"Song");
        item(2, b"Cover Art (Front)", &[&b"cover.jpg\0"[..], &vec![0xff; 500_000]].concat());
        item(0, b"Comment", &vec![b'c'; 300_000]);
        item(0, b"Artist", b"Me");
        let mut f = items.clone();
        f.extend_from_slice(b"APETAGEX");
        f.extend_from_slice(&2000u32.to_le_bytes());
        f.extend_from_slice(&(items.len() as u32 + 32).to_le_bytes());
        f.extend_from_slice(&4u32.to_le_bytes());
        f.extend_from_slice(&[0; 12]);
        let end = f.len() as u64;
        let whole = read_tag(&f, end).0;
        let limits = crate::options::Limits::default().with_max_alloc(100_000).with_max_value_len(1000);
        let opts = crate::options::Options::default().with_limits(limits);
        let found = test_util::parse_with_options(&f, &opts, |cx| {
            parse(cx, end);
            Ok(())
        });
        assert!(found.requested < 10_000, "{}", found.requested);
        assert_eq!(found.get("APE:Title"), Some(&Value::Text("Song".into())));
        assert_eq!(found.get("APE:Artist"), Some(&Value::Text("Me".into())));
        assert_eq!(found.get("APE:CoverArtFrontDesc"), Some(&Value::Text("cover.jpg".into())));
        assert_eq!(found.get("APE:CoverArtFront"), whole.get("APE:CoverArtFront"));
        assert_eq!(found.get("APE:Comment"), Some(&Value::Text("c".repeat(1000).into())));
        assert_eq!(found.warnings.len(), 1);
        assert!(found.warnings[0].message.contains("max_value_len"));
    }
}

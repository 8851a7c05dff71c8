//! Capture One enhanced image packages (EIP): a ZIP holding the raw file (a TIFF-based
//! Phase One IIQ), a manifest, and Capture One's settings (`.cos`, XML of
//! `<E K="name" V="value"/>` entries). Read: the first entry's `ZIP:` tags, the raw's
//! TIFF header and IFDs (from the start of its entry, bounded), and the settings entries
//! as `XML:` tags (a later file's value replacing an earlier one's, as ExifTool shows them).

use super::{first_entry, package, xml};
use crate::context::Ctx;
use crate::error::Result;

/// Most bytes of the raw file read for its IFDs (its image data follows them).
const MAX_RAW_PREFIX: u64 = 1 << 20;
/// Most bytes of a settings file read.
const MAX_SETTINGS: u64 = 1 << 20;
/// Most settings entries kept.
const MAX_ENTRIES: usize = 4096;

/// Reads an EIP package.
pub(crate) fn parse_eip(cx: &mut Ctx) -> Result<()> {
    let dir = package::read_directory(cx)?;
    first_entry(cx, &dir);
    let raw = dir.iter().find(|e| {
        let n = e.name.to_ascii_lowercase();
        !n.contains('/') && (n.ends_with(".iiq") || n.ends_with(".tif") || n.ends_with(".tiff"))
    });
    if let Some(e) = raw {
        match package::read_entry_prefix(cx, e, MAX_RAW_PREFIX, MAX_RAW_PREFIX as usize) {
            Ok(data) => {
                if let Err(err) = crate::meta::exif::parse_block(cx, &data, 0) {
                    cx.warn_error(&err);
                }
            }
            Err(err) => cx.warn_error(&err),
        }
    }
    let mut entries: Vec<(String, String)> = Vec::new();
    for e in dir.iter().filter(|e| e.name.ends_with(".cos")) {
        let data = match package::read_entry_prefix(cx, e, MAX_SETTINGS, MAX_SETTINGS as usize) {
            Ok(d) => d,
            Err(err) => {
                cx.warn_error(&err);
                continue;
            }
        };
        if let Some(root) = xml::parse(&data, cx.opts.limits.max_value_len) {
            settings(&root, &mut entries, 0);
        }
    }
    for (k, v) in entries {
        cx.add("XML", k, v);
    }
    Ok(())
}

/// Collects the `<E K=".." V=".."/>` entries under `node`; a repeated key takes the
/// later value.
fn settings(node: &xml::Node, out: &mut Vec<(String, String)>, depth: u32) {
    if depth > 32 {
        return;
    }
    for c in &node.children {
        if c.local() == "E" {
            if let (Some(k), Some(v)) = (c.attr("K"), c.attr("V")) {
                if !k.is_empty() && k.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_') {
                    if let Some(slot) = out.iter_mut().find(|(name, _)| name == k) {
                        slot.1 = v.to_owned();
                    } else if out.len() < MAX_ENTRIES {
                        out.push((k.to_owned(), v.to_owned()));
                    }
                }
            }
        }
        settings(c, out, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::test_util::{get, run};

    #[test]
    fn settings_entries_later_wins() {
        let cos = br#"<?xml version="1.0"?><IMG><E K="UUID" V="a"/><VAR><E K="UUID" V="b"/><MD><E K="Basic_Rating" V="3"/></MD></VAR></IMG>"#;
        let f = crate::zip::tests::build(&[("0.IIQ", b"II*\0\x08\0\0\0\0\0\0\0\0\0"), ("C/0.IIQ.cos", cos)]);
        let t = run(&f, parse_eip);
        assert_eq!(get(&t, "XML:UUID"), Some(&Value::from("b")));
        assert_eq!(get(&t, "XML:Basic_Rating"), Some(&Value::from("3")));
        assert_eq!(get(&t, "ZIP:ZipFileName"), Some(&Value::from("0.IIQ")));
        for n in (0..f.len()).step_by(3) {
            let _ = run(&f[..n], parse_eip);
        }
    }
}

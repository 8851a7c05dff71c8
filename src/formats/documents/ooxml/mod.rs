//! Office Open XML (DOCX/XLSX/PPTX and their macro/template variants) and OpenDocument
//! (ODT/ODS/ODP/ODG) packages: the ZIP end record and central directory, then only the
//! small property parts (`docProps/core.xml`, `app.xml`, `custom.xml`, or ODF `meta.xml`).
//!
//! Names follow ExifTool's output: core.xml's Dublin Core elements become `XMP:*`, every
//! other property `XML:*` (ECMA-376 part 2 core properties, extended and custom properties).

mod eip;
mod package;
mod props;
pub(crate) mod xml;

pub(crate) use eip::parse_eip;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::{BinaryRef, Value};

/// Largest property part inflated.
const MAX_PART: usize = 4 << 20;

/// Parses an OOXML package.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let dir = package::read_directory(cx)?;
    first_entry(cx, &dir);
    for (part, f) in [
        ("docProps/app.xml", props::app as fn(&mut Ctx, &xml::Node)),
        ("docProps/core.xml", props::core),
        ("docProps/custom.xml", props::custom),
    ] {
        if let Some(root) = read_part(cx, &dir, part) {
            f(cx, &root);
        }
    }
    Ok(())
}

/// Parses a plain ZIP archive: the first entry's `ZIP:*` tags.
pub(crate) fn parse_zip(cx: &mut Ctx) -> Result<()> {
    let dir = package::read_directory(cx)?;
    first_entry(cx, &dir);
    Ok(())
}

/// Parses an iWork '09 package (Numbers, Pages, Keynote): the first entry and the
/// `sf:metadata` block at the top of `index.xml` (only its first 64 KiB are read).
pub(crate) fn parse_iwork(cx: &mut Ctx) -> Result<()> {
    let dir = package::read_directory(cx)?;
    first_entry(cx, &dir);
    let Some(e) = dir.iter().find(|e| e.name == "index.xml") else { return Ok(()) };
    match package::read_entry_prefix(cx, e, 64 << 10, 1 << 20) {
        Ok(data) => {
            if let Some(root) = xml::parse(&data, cx.opts.limits.max_value_len) {
                props::iwork_meta(cx, &root);
            }
        }
        Err(err) => cx.warn_error(&err),
    }
    Ok(())
}

/// `ZIP:*` tags for the first entry of the archive, as ExifTool reports them.
fn first_entry(cx: &mut Ctx, dir: &[package::Entry]) {
    if let Some(first) = dir.iter().min_by_key(|e| e.local_offset) {
        cx.add("ZIP", "ZipRequiredVersion", i64::from(first.version_needed));
        cx.add("ZIP", "ZipBitFlag", i64::from(first.flags));
        cx.add("ZIP", "ZipCompression", i64::from(first.method));
        cx.add("ZIP", "ZipModifyDate", first.modify_date());
        cx.add("ZIP", "ZipCRC", i64::from(first.crc));
        cx.add("ZIP", "ZipCompressedSize", first.compressed as i64);
        cx.add("ZIP", "ZipUncompressedSize", first.uncompressed as i64);
        cx.add("ZIP", "ZipFileName", first.name.clone());
    }
}

/// Parses an OpenDocument package.
pub(crate) fn parse_odf(cx: &mut Ctx) -> Result<()> {
    let dir = package::read_directory(cx)?;
    if let Some(e) = dir.iter().find(|e| e.name == "Thumbnails/thumbnail.png" && e.method == 0) {
        match package::data_offset(cx, e) {
            Ok(offset) => {
                let v = Value::Binary(BinaryRef { offset, length: e.uncompressed });
                cx.add("File", "PreviewPNG", v);
            }
            Err(err) => cx.warn_error(&err),
        }
    }
    if let Some(root) = read_part(cx, &dir, "meta.xml") {
        props::odf_meta(cx, &root);
    }
    Ok(())
}

/// Reads, inflates and parses one part; problems become warnings.
fn read_part(cx: &mut Ctx, dir: &[package::Entry], name: &str) -> Option<xml::Node> {
    // The usual name, else the same name in another case or folder (rare producers).
    let base = name.rsplit('/').next().unwrap_or(name);
    let e = dir.iter().find(|e| e.name == name).or_else(|| {
        dir.iter().find(|e| {
            e.name.eq_ignore_ascii_case(name)
                || (e.name.len() > base.len()
                    && e.name
                        .get(e.name.len() - base.len() - 1..)
                        .is_some_and(|t| t.eq_ignore_ascii_case(&format!("/{base}")))
                    && !e.name.starts_with("customXml/"))
        })
    })?;
    match package::read_entry(cx, e, MAX_PART) {
        Ok(data) => xml::parse(&data, cx.opts.limits.max_value_len),
        Err(err) => {
            cx.warn_error(&err);
            None
        }
    }
}

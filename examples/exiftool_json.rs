//! Prints the ExifTool-compatible JSON of some files, as `exiftool -json -n -G FILE...`
//! would: one array, one object per file, `"Group:Tag"` keys with numeric values, in
//! ExifTool's order.
//!
//! ```text
//! cargo run --example exiftool_json -- tests/fixtures/canon_full.jpg tests/fixtures/rgba_plain.png
//! ```

use metasift::ExifToolOptions;
use metasift::output::ExifToolObject;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// One file's object: its tags, or the error, `SourceFile` first either way.
enum FileObject<'a> {
    Read(ExifToolObject<'a>),
    Failed { path: &'a str, error: String },
}

impl Serialize for FileObject<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FileObject::Read(obj) => obj.serialize(s),
            FileObject::Failed { path, error } => {
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry("SourceFile", path)?;
                map.serialize_entry("ExifTool:Error", error)?;
                map.end()
            }
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let results: Vec<_> = paths.iter().map(|p| (p.as_str(), metasift::extract_path(p))).collect();
    let objects: Vec<FileObject> = results
        .iter()
        .map(|(path, result)| match result {
            // `groups: false` gives bare tag names, as `exiftool -json -n` without -G.
            Ok(meta) => FileObject::Read(ExifToolObject::new(
                meta,
                path,
                ExifToolOptions::default().with_groups(true),
            )),
            Err(e) => FileObject::Failed { path, error: e.to_string() },
        })
        .collect();
    println!("{}", serde_json::to_string_pretty(&objects)?);
    Ok(())
}

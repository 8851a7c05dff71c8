//! Prints the ExifTool-compatible JSON of some files, as `exiftool -json -n -G FILE...`
//! would: one array, one object per file, `"Group:Tag"` keys with numeric values.
//!
//! ```text
//! cargo run --example exiftool_json -- tests/fixtures/canon_full.jpg tests/fixtures/rgba_plain.png
//! ```

use metasift::{ExifToolOptions, exiftool_json};
use serde_json::{Map, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for path in std::env::args().skip(1) {
        let obj = match metasift::extract_path(&path) {
            // `groups: false` gives bare tag names, as `exiftool -json -n` without -G.
            Ok(meta) => exiftool_json(&meta, &path, ExifToolOptions::default()),
            Err(e) => {
                let mut m = Map::new();
                m.insert("SourceFile".into(), Value::from(path.as_str()));
                m.insert("ExifTool:Error".into(), Value::from(e.to_string()));
                m
            }
        };
        out.push(Value::Object(obj));
    }
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

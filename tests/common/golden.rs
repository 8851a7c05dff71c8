//! Fixture goldens: every file in a fixture folder with `exiftool -json -n -G` output
//! committed beside it (`<file>.exiftool.json`), compared whole: each golden tag must be
//! emitted with an equal value, and each emitted tag must be in the golden, apart from
//! the filesystem's tags, ExifTool's warnings (the library reports its own) and the
//! differences a test names (with its reason).

use super::values_equal;
use metasift::{ExifToolOptions, exiftool_json};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// Tags of the file system and of ExifTool itself, which no extraction reproduces.
const SKIPPED: &[&str] = &[
    "SourceFile",
    "ExifTool:ExifToolVersion",
    "ExifTool:Warning",
    "File:FileName",
    "File:Directory",
    "File:FileModifyDate",
    "File:FileAccessDate",
    "File:FileInodeChangeDate",
    "File:FilePermissions",
];

/// The fixtures of `dir` (relative to the crate) that have a golden beside them.
pub fn fixtures(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| !p.to_string_lossy().ends_with(".json"))
        .filter(|p| golden_path(p).exists())
        .collect();
    out.sort();
    out
}

fn golden_path(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".exiftool.json");
    PathBuf::from(s)
}

/// The differences from the golden in one file: `(key, ours)`, `ours` being what we
/// emit (`None` for a golden tag we do not emit, or the golden's value).
pub fn differences(path: &Path) -> Vec<(String, Option<Json>, Option<Json>)> {
    let text = std::fs::read_to_string(golden_path(path)).unwrap_or_default();
    let golden: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let golden = golden.get(0).and_then(Json::as_object).cloned().unwrap_or_default();
    assert!(!golden.is_empty(), "{}: empty golden", path.display());
    let meta = metasift::extract_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let ours = exiftool_json(&meta, "x", ExifToolOptions::default().with_groups(true));
    let mut out = Vec::new();
    for (k, g) in golden.iter().filter(|(k, _)| !SKIPPED.contains(&k.as_str())) {
        match ours.get(k) {
            Some(o) if values_equal(g, o) => {}
            o => out.push((k.clone(), Some(g.clone()), o.cloned())),
        }
    }
    for (k, o) in ours.iter().filter(|(k, _)| !SKIPPED.contains(&k.as_str())) {
        if !golden.contains_key(k) {
            out.push((k.clone(), None, Some(o.clone())));
        }
    }
    out
}

/// Asserts that every fixture of `dir` matches its golden, except for the `allowed`
/// `(file name, key)` pairs (documented differences from ExifTool).
pub fn assert_fixtures_match(dir: &str, allowed: &[(&str, &str)]) -> usize {
    let files = fixtures(dir);
    assert!(!files.is_empty(), "no fixtures in {dir}");
    let mut failures = Vec::new();
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        for (k, g, o) in differences(f) {
            if !allowed.contains(&(name, k.as_str())) {
                failures.push(format!("{name} {k}: golden {g:?} ours {o:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
    files.len()
}

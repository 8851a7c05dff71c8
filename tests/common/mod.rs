//! Helpers shared by the payload conformance tests: locating payloads inside corpus files
//! and comparing emitted tags with ExifTool goldens the way score.py does.
#![allow(dead_code)]

pub mod golden;

use metasift::{ExifToolOptions, Metadata, Tag, Value, exiftool_json};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The corpus root, or None (and a "skipped" note) when METASIFT_CORPUS is unset or is
/// not the corpus (`tests/corpus_location.rs` is the one test that fails then).
pub fn corpus() -> Option<PathBuf> {
    let Some(p) = std::env::var_os("METASIFT_CORPUS").filter(|p| !p.is_empty()) else {
        eprintln!("skipped: METASIFT_CORPUS not set");
        return None;
    };
    let p = PathBuf::from(p);
    match check_corpus(&p) {
        Ok(()) => Some(p),
        Err(problem) => {
            eprintln!("skipped: {problem}");
            None
        }
    }
}

/// Whether `root` looks like the shared corpus (`real/`, `generated/`, `broken/` and
/// `expected/` with ExifTool goldens), or what is wrong, naming the path.
pub fn check_corpus(root: &Path) -> Result<(), String> {
    let hint = "set METASIFT_CORPUS to the shared corpus (the `corpus` folder of ../shared, \
                beside the repository) or unset it to skip the corpus tests";
    if !root.is_dir() {
        return Err(format!("METASIFT_CORPUS={}: no such directory; {hint}", root.display()));
    }
    let missing: Vec<&str> =
        ["real", "generated", "broken", "expected"].into_iter().filter(|d| !root.join(d).is_dir()).collect();
    if !missing.is_empty() {
        return Err(format!(
            "METASIFT_CORPUS={}: not the corpus, no {} folder in it; {hint}",
            root.display(),
            missing.join("/, no ") + "/"
        ));
    }
    Ok(())
}

/// Every corpus file under real/ and generated/ with its golden (`Group:Tag` -> value).
pub fn goldens(root: &Path) -> Vec<(PathBuf, serde_json::Map<String, Json>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("expected")];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Some(name) = p.to_str().and_then(|s| s.strip_suffix(".exiftool.json")) {
                let rel = Path::new(name).strip_prefix(root.join("expected")).map(Path::to_path_buf);
                let Ok(rel) = rel else { continue };
                let Ok(text) = std::fs::read_to_string(&p) else { continue };
                let Ok(Json::Array(arr)) = serde_json::from_str::<Json>(&text) else { continue };
                if let Some(Json::Object(m)) = arr.into_iter().next() {
                    out.push((root.join(rel), m));
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Finds `needle` in `hay` from `from`.
pub fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// JPEG segments (marker, payload) up to SOS.
pub fn jpeg_segments(d: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    if !d.starts_with(&[0xFF, 0xD8]) {
        return out;
    }
    let mut i = 2;
    while i + 4 <= d.len() {
        if d[i] != 0xFF {
            break;
        }
        let m = d[i + 1];
        if m == 0xFF {
            i += 1;
            continue;
        }
        if m == 0xDA || m == 0xD9 {
            break;
        }
        let len = u16::from_be_bytes([d[i + 2], d[i + 3]]) as usize;
        if len < 2 || i + 2 + len > d.len() {
            break;
        }
        out.push((m, &d[i + 4..i + 2 + len]));
        i += 2 + len;
    }
    out
}

/// The first value per `Group:Tag` of the tags in `groups` (ExifTool's projection).
pub fn project(tags: &[Tag], groups: &[&str]) -> BTreeMap<String, (Json, i8)> {
    let mut m: BTreeMap<String, (Json, i8)> = BTreeMap::new();
    for t in tags.iter().filter(|t| groups.contains(&t.group)) {
        let v = serde_json::to_value(&t.value).unwrap_or(Json::Null);
        let v = match &t.value {
            Value::Binary(b) => {
                Json::String(format!("(Binary data {} bytes, use -b option to extract)", b.length))
            }
            _ => v,
        };
        match m.get(&t.key()) {
            Some((_, p)) if t.priority <= *p => {}
            _ => {
                m.insert(t.key(), (v, t.priority));
            }
        }
    }
    m
}

fn as_f64(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => {
            let s = s.trim();
            if s.is_empty() || s.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
                return None;
            }
            s.parse().ok()
        }
        _ => None,
    }
}

fn trimmed_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.trim_matches(|c: char| c.is_whitespace() || c == '\0').to_owned(),
        Json::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Value equality as score.py defines it (numbers with tolerance, one-item lists as
/// scalars, booleans as text).
pub fn values_equal(g: &Json, t: &Json) -> bool {
    let g = match g {
        Json::Array(a) if a.len() == 1 => &a[0],
        o => o,
    };
    let t = match t {
        Json::Array(a) if a.len() == 1 => &a[0],
        o => o,
    };
    match (g, t) {
        (Json::Array(a), Json::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| values_equal(x, y))
        }
        (Json::Array(_), _) | (_, Json::Array(_)) => false,
        (Json::Bool(_), _) | (_, Json::Bool(_)) => trimmed_text(g).eq_ignore_ascii_case(&trimmed_text(t)),
        (Json::Number(n), _) => {
            let gf = n.as_f64().unwrap_or(f64::NAN);
            match as_f64(t) {
                Some(tf) => {
                    let d = (gf - tf).abs();
                    if d <= 1e-9 || d <= 1e-6 * gf.abs().max(tf.abs()) {
                        return true;
                    }
                    let gt = n.to_string();
                    if let Some((_, dec)) = gt.split_once('.') {
                        if !gt.contains(['e', 'E'])
                            && d <= 0.5 * 10f64.powi(-(dec.len() as i32)) * (1.0 + 1e-9)
                        {
                            return true;
                        }
                    }
                    false
                }
                None => trimmed_text(g) == trimmed_text(t),
            }
        }
        _ => trimmed_text(g) == trimmed_text(t),
    }
}

/// Recall/precision counters for one group.
#[derive(Default, Debug)]
pub struct Score {
    pub golden: usize,
    pub found: usize,
    pub emitted: usize,
    pub correct: usize,
}

impl Score {
    pub fn recall(&self) -> f64 {
        if self.golden == 0 { 1.0 } else { self.found as f64 / self.golden as f64 }
    }
    pub fn precision(&self) -> f64 {
        if self.emitted == 0 { 1.0 } else { self.correct as f64 / self.emitted as f64 }
    }
}

/// Compares emitted tags with the golden for every group prefix in `groups`; prints
/// misses when METASIFT_VERBOSE is set.
pub fn compare(
    file: &Path,
    golden: &serde_json::Map<String, Json>,
    ours: &BTreeMap<String, (Json, i8)>,
    groups: &[&str],
    scores: &mut BTreeMap<String, Score>,
) {
    let verbose = std::env::var_os("METASIFT_VERBOSE").is_some();
    for g in groups {
        let s = scores.entry((*g).to_owned()).or_default();
        let pre = format!("{g}:");
        for (k, gv) in golden.iter().filter(|(k, _)| k.starts_with(&pre)) {
            if let Json::String(st) = gv {
                if st.starts_with("(Binary data") {
                    continue;
                }
            }
            s.golden += 1;
            match ours.get(k) {
                Some((tv, _)) if values_equal(gv, tv) => s.found += 1,
                other => {
                    if verbose {
                        eprintln!("MISS {} {k}: golden {gv} ours {:?}", file.display(), other.map(|o| &o.0));
                    }
                }
            }
        }
        for (k, (tv, _)) in ours.iter().filter(|(k, _)| k.starts_with(&pre)) {
            s.emitted += 1;
            match golden.get(k) {
                Some(gv) if values_equal(gv, tv) => s.correct += 1,
                Some(_) => {}
                None => {
                    if verbose {
                        eprintln!("EXTRA {} {k}: {tv}", file.display());
                    }
                }
            }
        }
    }
}

/// Extracts `path`, with the path in the error message.
pub fn extract(path: &Path) -> Result<Metadata, String> {
    metasift::extract_path(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The ExifTool-style object for `meta`.
pub fn json(meta: &Metadata) -> serde_json::Map<String, Json> {
    exiftool_json(meta, "x", ExifToolOptions::default())
}

/// A number (or numeric string) at `k`.
pub fn num(j: &serde_json::Map<String, Json>, k: &str) -> Option<f64> {
    match j.get(k)? {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A string at `k`.
pub fn text<'a>(j: &'a serde_json::Map<String, Json>, k: &str) -> Option<&'a str> {
    j.get(k).and_then(Json::as_str)
}

/// `std::env::var("METASIFT_CORPUS")`, except that a value that is not the corpus counts
/// as unset (with a note): the corpus tests skip and `corpus_location` fails once.
pub fn corpus_var() -> Result<String, std::env::VarError> {
    corpus().and_then(|p| p.into_os_string().into_string().ok()).ok_or(std::env::VarError::NotPresent)
}

/// `std::env::var_os("METASIFT_CORPUS")`, as [`corpus_var`] treats it.
pub fn corpus_var_os() -> Option<std::ffi::OsString> {
    corpus().map(PathBuf::into_os_string)
}

//! Drop-in compatibility with `exiftool -json`: the `metasift` command runs with the same
//! flags on the same corpus files as ExifTool 12.57 did for the goldens beside this test
//! (`tests/fixtures/exiftool_compat/`, written by `scripts/make-compat-goldens.sh`).
//!
//! - Full runs (`-j -n -G`, `-j -n -G1 -a`, `-j -n -s`): for every key both print, the
//!   value's JSON text (whitespace outside strings aside) must be identical on at least
//!   [`VALUE_BAR`] % of keys. The mismatches are printed.
//! - Tag selections (`-EXIF:all`, `-*Date*`, `--File:all`, ...): on the keys both tools
//!   print in the matching full run (the keys metasift supports and ExifTool prints), the
//!   selected key sets must be the same (value agreement is printed).
//!
//! Without `METASIFT_CORPUS` the test prints a skip line and passes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_metasift");
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/exiftool_compat");
/// The share of keys printed by both whose value text must be identical.
const VALUE_BAR: f64 = 99.5;
/// Mismatches printed per flag set.
const SHOWN: usize = 40;

/// Writes straight to stderr: the report shows even when libtest captures output.
macro_rules! out {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// One file's object: keys in printed order with their value text.
type Object = Vec<(String, String)>;

/// A flag set of `cases.txt`.
struct Case {
    name: String,
    base: Option<String>,
    flags: Vec<String>,
}

fn lines(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(DIR).join(file)).unwrap();
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect()
}

fn cases() -> Vec<Case> {
    lines("cases.txt")
        .iter()
        .map(|l| {
            let mut words = l.split_whitespace().map(String::from);
            let name = words.next().unwrap();
            let base = words.next().filter(|b| b != "-");
            Case { name, base, flags: words.collect() }
        })
        .collect()
}

/// The end (one past the closing quote) of the JSON string starting at `start`.
fn string_end(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// The text of the JSON value starting at `i`, without whitespace outside strings, and
/// the position of the `,` or `}` that ends it.
fn value_text(text: &str, mut i: usize) -> (String, usize) {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut depth = 0i32;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let end = string_end(b, i);
                out.push_str(&text[i..end]);
                i = end;
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' if depth == 0 => break,
            b']' | b'}' => depth -= 1,
            b',' if depth == 0 => break,
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        out.push(b[i] as char);
        i += 1;
    }
    (out, i)
}

/// The objects of a JSON array of objects, with each value's text as printed.
fn objects(text: &str) -> Vec<Object> {
    let b = text.as_bytes();
    let (mut all, mut cur) = (Vec::new(), Vec::new());
    let (mut depth, mut i) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'"' if depth == 2 => {
                let end = string_end(b, i);
                let key: String = serde_json::from_str(&text[i..end]).unwrap();
                let colon = end + text[end..].find(':').unwrap() + 1;
                let (value, next) = value_text(text, colon);
                cur.push((key, value));
                i = next;
                continue;
            }
            b'"' => {
                i = string_end(b, i);
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                if depth == 2 {
                    all.push(std::mem::take(&mut cur));
                }
                depth -= 1;
            }
            _ => {}
        }
        i += 1;
    }
    all
}

/// Objects by their `SourceFile`.
fn by_source(objs: Vec<Object>) -> BTreeMap<String, Object> {
    objs.into_iter()
        .filter_map(|o| {
            let src = o.iter().find(|(k, _)| k == "SourceFile")?.1.clone();
            Some((src, o))
        })
        .collect()
}

fn golden(name: &str) -> BTreeMap<String, Object> {
    by_source(objects(&std::fs::read_to_string(Path::new(DIR).join(format!("{name}.json"))).unwrap()))
}

/// Our output for `flags`: from this build, or from the program `METASIFT_COMPAT_BIN`
/// names (to measure another build the same way). A usage error prints and yields no
/// objects, which fails the checks.
fn ours(corpus: &Path, flags: &[String], files: &[String]) -> BTreeMap<String, Object> {
    let bin = std::env::var_os("METASIFT_COMPAT_BIN").unwrap_or_else(|| BIN.into());
    let out = Command::new(bin).args(flags).args(files).current_dir(corpus).output().unwrap();
    if out.status.code() == Some(2) {
        out!("exiftool_compat: usage error for {flags:?}: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    by_source(objects(&String::from_utf8_lossy(&out.stdout)))
}

/// Our warnings are our own words: their keys are left out of the value comparison.
fn compared(key: &str) -> bool {
    !matches!(key, "Warning" | "ExifTool:Warning")
}

/// Value agreement on the keys both print: (identical, compared, mismatch lines).
fn agreement(
    theirs: &BTreeMap<String, Object>,
    mine: &BTreeMap<String, Object>,
) -> (usize, usize, Vec<String>) {
    let (mut same, mut total, mut bad) = (0, 0, Vec::new());
    for (src, t) in theirs {
        let Some(m) = mine.get(src) else { continue };
        let m: BTreeMap<&str, &str> = m.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        for (k, tv) in t.iter().filter(|(k, _)| compared(k)) {
            let Some(mv) = m.get(k.as_str()) else { continue };
            total += 1;
            if tv == mv {
                same += 1;
            } else {
                let cut = |s: &str| s.chars().take(70).collect::<String>();
                bad.push(format!("{src} {k}: exiftool {} / metasift {}", cut(tv), cut(mv)));
            }
        }
    }
    (same, total, bad)
}

fn keys(o: Option<&Object>) -> BTreeSet<&str> {
    o.map(|o| o.iter().map(|(k, _)| k.as_str()).collect()).unwrap_or_default()
}

fn corpus() -> Option<PathBuf> {
    let corpus = std::env::var_os("METASIFT_CORPUS").filter(|v| !v.is_empty()).map(PathBuf::from)?;
    assert!(corpus.join("generated").is_dir(), "METASIFT_CORPUS={} holds no corpus", corpus.display());
    Some(corpus)
}

#[test]
fn full_runs_print_exiftool_values() {
    let Some(corpus) = corpus() else {
        out!("exiftool_compat: skipped, METASIFT_CORPUS not set");
        return;
    };
    let files = lines("files.txt");
    let mut failed = Vec::new();
    for case in cases().iter().filter(|c| c.base.is_none()) {
        let theirs = golden(&case.name);
        assert_eq!(theirs.len(), files.len(), "{}: golden out of date", case.name);
        let mine = ours(&corpus, &case.flags, &files);
        let (same, total, bad) = agreement(&theirs, &mine);
        let pct = 100.0 * same as f64 / total.max(1) as f64;
        out!(
            "exiftool_compat {:<14} {:<16} {same}/{total} keys identical ({pct:.2} %)",
            case.name,
            case.flags.join(" ")
        );
        for line in bad.iter().take(SHOWN) {
            out!("    {line}");
        }
        if pct < VALUE_BAR || total < 100 * files.len() / 10 {
            failed.push(format!("{}: {pct:.2} % of {total} keys", case.name));
        }
    }
    assert!(failed.is_empty(), "value text below {VALUE_BAR} %: {failed:?}");
}

#[test]
fn selections_pick_exiftool_keys() {
    let Some(corpus) = corpus() else {
        out!("exiftool_compat: skipped, METASIFT_CORPUS not set");
        return;
    };
    let files = lines("files.txt");
    let all = cases();
    let mut failed = Vec::new();
    for case in all.iter().filter(|c| c.base.is_some()) {
        let base = all.iter().find(|c| Some(&c.name) == case.base.as_ref()).unwrap();
        let (theirs, their_base) = (golden(&case.name), golden(&base.name));
        let (mine, my_base) = (ours(&corpus, &case.flags, &files), ours(&corpus, &base.flags, &files));
        let mut differ = Vec::new();
        let mut selected = 0;
        for src in their_base.keys() {
            let (tb, mb) = (keys(their_base.get(src)), keys(my_base.get(src)));
            let known: BTreeSet<&str> = tb.intersection(&mb).copied().collect();
            let t: BTreeSet<&str> = keys(theirs.get(src)).intersection(&known).copied().collect();
            let m: BTreeSet<&str> = keys(mine.get(src)).intersection(&known).copied().collect();
            selected += t.len();
            for k in t.symmetric_difference(&m) {
                differ.push(format!("{src} {k}: {}", if t.contains(k) { "missing" } else { "extra" }));
            }
        }
        let (same, total, bad) = agreement(&theirs, &mine);
        out!(
            "exiftool_compat {:<14} {selected} known keys selected, {} differ; values {same}/{total} identical",
            case.name,
            differ.len()
        );
        for line in differ.iter().chain(&bad).take(SHOWN) {
            out!("    {line}");
        }
        // Values are held to the bar by the full runs; here the key sets must agree.
        if !differ.is_empty() || selected == 0 {
            failed.push(case.name.clone());
        }
    }
    assert!(failed.is_empty(), "selections differing from ExifTool: {failed:?}");
}

#[test]
fn the_json_scanner_keeps_value_text() {
    let text = "[{\n  \"SourceFile\": \"a\",\n  \"A:B\": [\"x, y\",1.50,\n {\"k\": 2}],\n  \"C\": \"}\\\"\"\n},\n{\"SourceFile\": \"b\"}]";
    let objs = objects(text);
    assert_eq!(objs.len(), 2);
    assert_eq!(objs[0][1], ("A:B".to_owned(), "[\"x, y\",1.50,{\"k\":2}]".to_owned()));
    assert_eq!(objs[0][2], ("C".to_owned(), "\"}\\\"\"".to_owned()));
    assert_eq!(objs[1], vec![("SourceFile".to_owned(), "\"b\"".to_owned())]);
}

/// The command on the crate's own fixture (no corpus needed): ExifTool's options, tag
/// selection and error texts, checked against what ExifTool 12.57 prints for this file.
#[test]
fn exiftool_options_on_a_fixture() {
    let run = |args: &[&str]| {
        Command::new(BIN).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap()
    };
    let first = |args: &[&str]| {
        let out = run(args);
        let objs = objects(&String::from_utf8_lossy(&out.stdout));
        objs.into_iter().next().unwrap_or_default()
    };
    let jpg = "tests/fixtures/canon_full.jpg";
    let get = |o: &Object, k: &str| o.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());

    let bare = first(&["-j", "-n", jpg]);
    assert_eq!(get(&bare, "Make").as_deref(), Some("\"Canon\""));
    assert_eq!(get(&bare, "XResolution").as_deref(), Some("300"), "EXIF wins over JFIF and IFD1");
    assert!(bare.iter().all(|(k, _)| !k.contains(':')));

    let g1 = first(&["-j", "-n", "-G1", "-a", jpg]);
    assert_eq!(get(&g1, "IFD0:XResolution").as_deref(), Some("300"));
    assert_eq!(get(&g1, "IFD1:XResolution").as_deref(), Some("72"));
    assert_eq!(get(&g1, "JFIF:XResolution").as_deref(), Some("1"));
    assert_eq!(get(&g1, "ExifIFD:SubSecTime").as_deref(), Some("123"), "numeric text prints bare");
    assert_eq!(get(&g1, "ExifIFD:ExifVersion").as_deref(), Some("\"0232\""));
    assert_eq!(get(&g1, "System:FileSize").as_deref(), Some("19718"));

    // ExifTool: `exiftool -j -n -G1 -Make -'*Date*' -xresolution` lists Make first, then
    // the dates in file order, then the three XResolution tags.
    let sel = first(&["-j", "-n", "-G1", "-MAKE", "-*date*", "-xresolution", "--System:all", jpg]);
    let keys: Vec<&str> = sel.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys[..3], ["SourceFile", "IFD0:Make", "XMP-tiff:Make"]);
    assert_eq!(keys[3], "IFD0:ModifyDate");
    assert_eq!(keys[keys.len() - 3..], ["JFIF:XResolution", "IFD0:XResolution", "IFD1:XResolution"]);
    assert!(keys.iter().all(|k| !k.starts_with("System:")));
    let only = first(&["-j", "-G", "-IFD1:all", "-x", "ThumbnailLength", jpg]);
    assert!(only.len() > 3 && only.iter().skip(1).all(|(k, _)| k.starts_with("EXIF:")), "{only:?}");
    assert!(get(&only, "EXIF:ThumbnailLength").is_none());

    for bad in [&["-j", "-X", jpg][..], &["-php", jpg], &["-j", "-G2", jpg], &["-Make=Nikon", jpg]] {
        let out = run(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty());
    }

    let dir = std::env::temp_dir().join(format!("metasift-compat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (empty, junk) = (dir.join("empty.jpg"), dir.join("junk.bin"));
    std::fs::write(&empty, b"").unwrap();
    std::fs::write(&junk, b"\x00\x01\x02 not a format").unwrap();
    let missing = dir.join("missing.jpg");
    let paths = [&empty, &junk, &missing].map(|p| p.to_str().unwrap().to_owned());
    let mut args = vec!["-j".to_owned(), "-G".to_owned()];
    args.extend(paths.iter().cloned());
    let out = Command::new(BIN).args(&args).output().unwrap();
    let objs = objects(&String::from_utf8_lossy(&out.stdout));
    let errors: Vec<Option<String>> = objs.iter().map(|o| get(o, "ExifTool:Error")).collect();
    assert_eq!(
        errors,
        ["\"File is empty\"", "\"Unknown file type\"", "\"File not found\""].map(|e| Some(e.to_owned()))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

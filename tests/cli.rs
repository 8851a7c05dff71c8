//! The `metasift` command, run as a user would: output shape, ordering, errors, input
//! sources (paths, directories, list files, standard input) and pipe behaviour.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value as Json;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_metasift");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const JPG: &str = "tests/fixtures/canon_full.jpg";
const PNG: &str = "tests/fixtures/rgba_plain.png";
const GIF: &str = "tests/fixtures/animated.gif";

/// Runs the binary from the crate root with `args` and optional standard input.
fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn metasift");
    if let Some(data) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(data).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// The JSON array printed, checked to be an array of objects.
fn array(out: &Output) -> Vec<serde_json::Map<String, Json>> {
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    let Json::Array(items) = v else { panic!("not a JSON array: {text}") };
    items
        .into_iter()
        .map(|o| match o {
            Json::Object(m) => m,
            other => panic!("not an object: {other}"),
        })
        .collect()
}

fn sources(items: &[serde_json::Map<String, Json>]) -> Vec<String> {
    items.iter().map(|o| o["SourceFile"].as_str().unwrap_or("?").to_owned()).collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A scratch directory under the system temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("metasift-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn copy(&self, fixture: &str, to: &str) -> PathBuf {
        let dest = self.0.join(to);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(Path::new(ROOT).join(fixture), &dest).unwrap();
        dest
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn native_output_is_an_array_in_input_order() {
    let out = run(&[PNG, JPG, GIF], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let items = array(&out);
    assert_eq!(sources(&items), [PNG, JPG, GIF]);
    let png = &items[0];
    assert_eq!(png["format"], "PNG");
    assert_eq!(png["mime"], "image/png");
    assert_eq!(png["file_size"], 339);
    assert!(png["summary"].is_object());
    let tags = png["tags"].as_array().unwrap();
    assert!(tags.iter().any(|t| t["group"] == "File" && t["name"] == "FileType" && t["value"] == "PNG"));
    assert!(png.get("stats").is_none(), "stats only with --stats");
    assert_eq!(items[1]["format"], "JPEG");
    assert_eq!(items[2]["format"], "GIF");
}

#[test]
fn exiftool_mode_uses_group_tag_keys() {
    let out = run(&["--exiftool", JPG, PNG], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let items = array(&out);
    // SourceFile first, as ExifTool prints it (checked on the text: a parsed map has its
    // own key order).
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("[{\n  \"SourceFile\": "));
    assert_eq!(items[0]["SourceFile"], JPG);
    assert_eq!(items[0]["File:FileType"], "JPEG");
    assert_eq!(items[0]["File:MIMEType"], "image/jpeg");
    assert_eq!(items[0]["File:FileSize"], 19718);
    assert_eq!(items[1]["File:FileType"], "PNG");
    assert!(items.iter().flat_map(|o| o.keys()).all(|k| k == "SourceFile" || k.contains(':')));

    // ExifTool's own spelling of the same request, and bare names.
    let same = run(&["-j", "-n", "-G", JPG], None);
    assert_eq!(array(&same)[0]["File:FileType"], "JPEG");
    let bare = run(&["--exiftool", "--no-groups", JPG], None);
    let bare = array(&bare);
    assert_eq!(bare[0]["FileType"], "JPEG");
    assert!(bare[0].get("File:FileType").is_none());
}

#[test]
fn a_missing_file_gets_an_error_and_the_batch_goes_on() {
    let missing = "tests/fixtures/does-not-exist.jpg";
    let out = run(&[PNG, missing, GIF], None);
    assert_eq!(out.status.code(), Some(1));
    let items = array(&out);
    assert_eq!(sources(&items), [PNG, missing, GIF]);
    assert!(items[1]["Error"].as_str().is_some_and(|e| !e.is_empty()));
    assert_eq!(items[2]["format"], "GIF");

    let out = run(&["--exiftool", missing, PNG], None);
    assert_eq!(out.status.code(), Some(1));
    let items = array(&out);
    assert!(items[0].contains_key("ExifTool:Error"));
    assert_eq!(items[1]["File:FileType"], "PNG");
}

/// Without the `http` feature a URL is an error of its own, never looked up as a path.
/// (With it, `tests/http_source.rs` runs the command against a local server.)
#[cfg(not(feature = "http"))]
#[test]
fn urls_need_the_http_feature() {
    let url = "https://example.invalid/a.jpg";
    let out = run(&[url, PNG], None);
    assert_eq!(out.status.code(), Some(1));
    let items = array(&out);
    assert_eq!(sources(&items), [url, PNG]);
    let err = items[0]["Error"].as_str().unwrap_or("");
    assert!(err.contains("metasift was built without the `http` feature"), "{err}");
}

#[test]
fn unknown_content_is_an_error_not_a_crash() {
    let dir = Scratch::new("unknown");
    let f = dir.0.join("notes.bin");
    std::fs::write(&f, b"\x00\x01\x02 just some bytes").unwrap();
    let out = run(&[f.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(array(&out)[0].contains_key("Error"));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn directories_recursion_and_extension_filter() {
    let dir = Scratch::new("walk");
    dir.copy(JPG, "a.jpg");
    dir.copy(PNG, "b.png");
    dir.copy(JPG, "sub/c.JPG");
    dir.copy(GIF, "sub/deeper/d.gif");
    let name = |s: &str| format!("{}/{s}", dir.path());

    // A directory argument lists its files (sorted), without descending.
    let flat = array(&run(&[dir.path()], None));
    assert_eq!(sources(&flat), [name("a.jpg"), name("b.png")]);

    let all = array(&run(&["-r", dir.path()], None));
    assert_eq!(sources(&all), [name("a.jpg"), name("b.png"), name("sub/c.JPG"), name("sub/deeper/d.gif")]);

    let jpgs = array(&run(&["-r", "-ext", "jpg", dir.path()], None));
    assert_eq!(sources(&jpgs), [name("a.jpg"), name("sub/c.JPG")]);

    let two = array(&run(&["-r", "-ext", "gif", "-ext", ".PNG", dir.path()], None));
    assert_eq!(sources(&two), [name("b.png"), name("sub/deeper/d.gif")]);
}

#[test]
fn list_files_and_list_on_stdin() {
    let dir = Scratch::new("list");
    let list = dir.0.join("list.txt");
    std::fs::write(&list, format!("{GIF}\n\n# a comment\n{JPG}\r\n")).unwrap();
    let out = run(&["-@", list.to_str().unwrap(), PNG], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sources(&array(&out)), [GIF, JPG, PNG]);

    let out = run(&["--exiftool", "-@", "-"], Some(format!("{PNG}\n{GIF}\n").as_bytes()));
    assert!(out.status.success(), "{}", stderr(&out));
    let items = array(&out);
    assert_eq!(sources(&items), [PNG, GIF]);
    assert_eq!(items[1]["File:FileType"], "GIF");
}

#[test]
fn a_file_on_stdin() {
    let data = std::fs::read(Path::new(ROOT).join(JPG)).unwrap();
    let out = run(&["--exiftool", "-"], Some(&data));
    assert!(out.status.success(), "{}", stderr(&out));
    let items = array(&out);
    assert_eq!(items[0]["SourceFile"], "-");
    assert_eq!(items[0]["File:FileType"], "JPEG");
    assert_eq!(items[0]["File:FileSize"], data.len());
}

#[test]
fn stats_per_file_and_in_total() {
    let out = run(&["--stats", PNG, JPG], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let items = array(&out);
    let stats = &items[0]["stats"];
    assert!(stats["source_reads"].as_u64().is_some_and(|n| n >= 1), "{stats}");
    assert!(stats["source_bytes"].as_u64().is_some_and(|n| n >= 1), "{stats}");
    assert!(stderr(&out).contains("2 files"), "{}", stderr(&out));

    let out = run(&["--exiftool", "--stats", PNG], None);
    let items = array(&out);
    assert!(items[0]["Stats:SourceReads"].as_u64().is_some());
    assert!(items[0]["Stats:SourceBytes"].as_u64().is_some());
}

#[test]
fn help_version_and_bad_options() {
    let out = run(&["--help"], None);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("USAGE") && help.contains("--exiftool"), "{help}");

    let out = run(&["--version"], None);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("metasift {}", env!("CARGO_PKG_VERSION"))
    );

    let out = run(&["--no-such-option", PNG], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("unknown option"));

    let out = run(&[], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    // Enough output to overflow the pipe buffer, then the reader goes away (`| head -c 10`).
    let mut args = vec!["--exiftool"];
    args.extend(std::iter::repeat_n(JPG, 2000));
    let mut child = Command::new(BIN)
        .args(&args)
        .current_dir(ROOT)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // stdout is dropped (closed) here.
    let out = child.wait_with_output().unwrap();
    assert_eq!(&head[..2], b"[{");
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("Broken pipe"), "{err}");
    assert!(out.status.code().is_some(), "killed by a signal: {:?}", out.status);
    assert_ne!(out.status.code(), Some(101), "{err}");
}

/// Without the `s3` feature an `s3://` input is refused up front, and one in a list file
/// is an error for that entry (the batch goes on).
#[cfg(not(feature = "s3"))]
#[test]
fn s3_inputs_need_the_s3_feature() {
    let out = run(&["s3://bucket/key.jpg"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("metasift was built without the `s3` feature"), "{}", stderr(&out));
    let out = run(&["-@", "-"], Some(format!("s3://bucket/key.jpg\n{JPG}\n").as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let items = array(&out);
    assert_eq!(sources(&items), vec!["s3://bucket/key.jpg".to_owned(), JPG.to_owned()]);
    let err = items[0]["Error"].as_str().unwrap_or_default();
    assert!(err.contains("built without the `s3` feature"), "{err}");
}

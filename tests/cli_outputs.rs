//! The command's other outputs, against ExifTool 12.57's own output committed beside
//! (`tests/fixtures/cli_outputs/`): `-csv` and `-T` tables, `-b` bytes; and `-w` sidecars
//! (never outside their directory), `--jsonl` streaming, and the exit statuses.
//!
//! The goldens were made with `exiftool -n` and the same arguments as each case below
//! (for `all_tags_groups.csv` and `one_file.csv`, less the tags that describe the checkout
//! rather than the file: `--ExifToolVersion --FileName --Directory --FileModifyDate
//! --FileAccessDate --FileInodeChangeDate --FilePermissions`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::disallowed_methods)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_metasift");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const GOLDEN: &str = "tests/fixtures/cli_outputs";
const JPG: &str = "tests/fixtures/canon_full.jpg";
const FILES: [&str; 6] = [
    "tests/fixtures/canon_full.jpg",
    "tests/fixtures/images/text_only.png",
    "tests/fixtures/images/lossy_exif_xmp.webp",
    "tests/fixtures/audio/cd_tags_cover.flac",
    "tests/fixtures/movie/aac_itunes_cover.m4a",
    "tests/fixtures/audio/id3v24_vbr.mp3",
];

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir).stdin(Stdio::null()).output().expect("spawn metasift")
}

fn run(args: &[&str]) -> Output {
    run_in(Path::new(ROOT), args)
}

/// `args` followed by the six fixtures.
fn on_files(args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(FILES);
    run(&all)
}

fn golden(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(ROOT).join(GOLDEN).join(name)).unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A CSV document's rows (RFC 4180 quoting, as ExifTool writes it).
fn csv_rows(s: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, s.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn tables_of_selected_tags_match_exiftool_byte_for_byte() {
    let cases: [(&str, &[&str]); 4] = [
        (
            "select.csv",
            &["-csv", "-Title", "-Make", "-Model", "-ImageSize", "-Keywords", "-Artist", "-Album"],
        ),
        ("select_groups.csv", &["-csv", "-G", "-Make", "-Title", "-Artist", "-MIMEType"]),
        (
            "select.tsv",
            &["-T", "-Title", "-Make", "-Model", "-ImageSize", "-Keywords", "-Artist", "-Album", "-MIMEType"],
        ),
        ("select_groups.tsv", &["-T", "-G", "-Make", "-Title", "-Artist", "-XMP:Title", "-ImageSize"]),
    ];
    for (name, args) in cases {
        let out = on_files(args);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), text(&golden(name)), "{name}");
    }
    // One file, no selection: the columns stay in the file's own order.
    let out = run(&["-csv", "tests/fixtures/images/text_only.png"]);
    assert_eq!(text(&out.stdout), text(&golden("one_file.csv")));
}

/// Every tag of six files: the same rows, the columns shared with ExifTool in its order
/// (alphabetical, as the files' columns differ), and nearly every shared cell the same.
/// The gaps are the model's (tags we lack or rank differently, `50.0` for `50`), so they
/// are held to floors rather than to zero.
#[test]
fn the_all_tags_table_has_exiftool_rows_columns_and_order() {
    let out = on_files(&["-csv", "-G"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let ours = csv_rows(&text(&out.stdout));
    let theirs = csv_rows(&text(&golden("all_tags_groups.csv")));
    assert_eq!(ours.len(), FILES.len() + 1);
    assert_eq!(ours.len(), theirs.len());
    let (ho, ht) = (&ours[0], &theirs[0]);
    assert_eq!(ho[0], "SourceFile");
    let sources = |rows: &[Vec<String>]| rows[1..].iter().map(|r| r[0].clone()).collect::<Vec<_>>();
    assert_eq!(sources(&ours), sources(&theirs));
    assert_eq!(sources(&ours), FILES.to_vec());
    let shared_ours: Vec<&String> = ho.iter().filter(|h| ht.contains(h)).collect();
    let shared_theirs: Vec<&String> = ht.iter().filter(|h| ho.contains(h)).collect();
    assert_eq!(shared_ours, shared_theirs, "shared columns in another order");
    let only_theirs = ht.iter().filter(|h| !ho.contains(h)).count();
    let only_ours: Vec<&String> = ho.iter().filter(|h| !ht.contains(h)).collect();
    assert!(only_theirs <= 6, "{only_theirs} ExifTool columns missing");
    assert!(only_ours.len() <= 9, "columns ExifTool does not print: {only_ours:?}");
    let (mut same, mut cells) = (0, 0);
    for (ro, rt) in ours[1..].iter().zip(&theirs[1..]) {
        assert_eq!(ro.len(), ho.len());
        for h in &shared_ours {
            let at = |hdr: &[String], row: &[String]| row[hdr.iter().position(|x| x == *h).unwrap()].clone();
            cells += 1;
            same += usize::from(at(ho, ro) == at(ht, rt));
        }
    }
    assert!(cells > 1000, "{cells}");
    assert!(same * 100 >= cells * 97, "{same} of {cells} cells as ExifTool prints them");
}

#[test]
fn tab_lines_for_group_selections_match_exiftool_in_shape() {
    let out = on_files(&["-T", "-XMP:Creator", "-XMP:City", "-XMP:all"]);
    let ours = text(&out.stdout);
    let theirs = text(&golden("xmp_all.tsv"));
    // Files without XMP give no line at all; the others one field per column.
    assert_eq!(ours.lines().count(), theirs.lines().count());
    let (mut same, mut fields) = (0, 0);
    for (lo, lt) in ours.lines().zip(theirs.lines()) {
        let (fo, ft): (Vec<_>, Vec<_>) = (lo.split('\t').collect(), lt.split('\t').collect());
        assert_eq!(fo.len(), ft.len(), "{lo}\n{lt}");
        fields += fo.len();
        same += fo.iter().zip(&ft).filter(|(a, b)| a == b).count();
    }
    assert!(fields >= 40 && same + 2 >= fields, "{same} of {fields}");
}

#[test]
fn binary_tags_are_exiftools_bytes() {
    let out = run(&["-b", "-ThumbnailImage", JPG]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(out.stdout, golden("canon_full.ThumbnailImage.jpg"));
    // The same cover in three containers: FLAC, MP4 and ID3.
    let cover = golden("cover.jpg");
    for (tag, file) in [
        ("-Picture", "tests/fixtures/audio/cd_tags_cover.flac"),
        ("-CoverArt", "tests/fixtures/movie/aac_itunes_cover.m4a"),
        ("-ID3:Picture", "tests/fixtures/audio/id3v23_v1_cover_cbr.mp3"),
    ] {
        let out = run(&["-b", tag, file]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", text(&out.stderr));
        assert!(out.stdout == cover, "{file}: {} bytes", out.stdout.len());
    }
    // From standard input too.
    let mut child = Command::new(BIN)
        .args(["-b", "-ThumbnailImage", "-"])
        .current_dir(ROOT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&std::fs::read(Path::new(ROOT).join(JPG)).unwrap()).unwrap();
    assert_eq!(child.wait_with_output().unwrap().stdout, golden("canon_full.ThumbnailImage.jpg"));
    // A tag the file lacks writes nothing; a missing file is a failure.
    let out = run(&["-b", "-PreviewImage", JPG]);
    assert_eq!((out.status.code(), out.stdout.len()), (Some(0), 0));
    let out = run(&["-b", "-ThumbnailImage", "no/such/file.jpg", JPG]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stdout, golden("canon_full.ThumbnailImage.jpg"));
    assert!(text(&out.stderr).contains("no/such/file.jpg"));
}

/// A scratch directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("metasift-outputs-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every file under `dir` (not following links), relative to it.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

#[cfg(unix)]
#[test]
fn sidecars_stay_inside_their_directory_whatever_the_names() {
    let s = Scratch::new("sidecars");
    let (work, out, outside) = (s.0.join("work"), s.0.join("out"), s.0.join("outside"));
    for d in [&work.join("sub/deeper"), &work.join("evil"), &out, &outside] {
        std::fs::create_dir_all(d).unwrap();
    }
    let jpg = std::fs::read(Path::new(ROOT).join(JPG)).unwrap();
    for f in ["a.jpg", "sub/deeper/b.jpg", "evil/c.jpg", "d.jpg"] {
        std::fs::write(work.join(f), &jpg).unwrap();
    }
    // Traps already in the output directory: a link where a directory would go, and a
    // link where a sidecar would go.
    std::os::unix::fs::symlink(&outside, out.join("evil")).unwrap();
    std::os::unix::fs::symlink(outside.join("victim.json"), out.join("d.jpg.json")).unwrap();
    let absolute = work.join("a.jpg");
    let list = format!(
        "a.jpg\nsub/deeper/../../a.jpg\n../work/sub/deeper/b.jpg\n{}\nevil/c.jpg\nd.jpg\n",
        absolute.display()
    );
    std::fs::write(work.join("list.txt"), list).unwrap();
    let dir = format!("{}/", out.display());
    let res = run_in(&work, &["-w", &dir, "-@", "list.txt"]);
    // evil/c.jpg is refused (a link on the way): one failure, the rest written.
    assert_eq!(res.status.code(), Some(1), "{}", text(&res.stderr));
    assert!(text(&res.stderr).contains("evil/c.jpg"), "{}", text(&res.stderr));
    assert!(res.stdout.is_empty());
    assert_eq!(tree(&outside), Vec::<String>::new(), "wrote outside the directory");
    let abs_rel = format!("{}.json", absolute.strip_prefix("/").unwrap().display());
    let mut want = vec![
        "a.jpg.json".to_owned(),
        "sub/deeper/a.jpg.json".to_owned(),
        "work/sub/deeper/b.jpg.json".to_owned(),
        abs_rel,
        "d.jpg.json".to_owned(),
    ];
    want.sort();
    let got: Vec<String> = tree(&out).into_iter().filter(|p| !p.starts_with("evil")).collect();
    assert_eq!(got, want);
    // The link at d.jpg.json was replaced by the sidecar, not written through.
    assert!(!std::fs::symlink_metadata(out.join("d.jpg.json")).unwrap().file_type().is_symlink());
    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("sub/deeper/a.jpg.json")).unwrap()).unwrap();
    assert_eq!(sidecar[0]["SourceFile"], "sub/deeper/../../a.jpg");
    assert_eq!(sidecar[0]["format"], "JPEG");
    // Not a directory and not ending in '/': refused as ExifTool's -w EXT would mean
    // something else.
    let res = run_in(&work, &["-w", "json", "a.jpg"]);
    assert_eq!(res.status.code(), Some(2));
}

#[test]
fn jsonl_streams_one_flushed_object_per_file() {
    let mut child = Command::new(BIN)
        .args(["--jsonl", "--exiftool", "-@", "-"])
        .current_dir(ROOT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    // The first line arrives while the list is still open: it was flushed on its own.
    writeln!(stdin, "{JPG}").unwrap();
    stdin.flush().unwrap();
    let first = rx.recv_timeout(Duration::from_secs(60)).expect("first line not flushed");
    let obj: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(obj["SourceFile"], JPG);
    assert_eq!(obj["EXIF:Make"], "Canon");
    writeln!(stdin, "no/such/file.jpg").unwrap();
    drop(stdin);
    let second: serde_json::Value =
        serde_json::from_str(&rx.recv_timeout(Duration::from_secs(60)).unwrap()).unwrap();
    assert_eq!(second["SourceFile"], "no/such/file.jpg");
    assert!(second["ExifTool:Error"].is_string());
    assert!(rx.recv_timeout(Duration::from_secs(60)).is_err(), "more than two lines");
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

#[test]
fn exit_statuses() {
    // 0: all good, in every output.
    for args in [&["-csv", JPG][..], &["-T", "-Make", JPG], &["--jsonl", JPG], &["-b", "-Make", JPG]] {
        assert_eq!(run(args).status.code(), Some(0), "{args:?}");
    }
    // 1: some file failed; the others are still printed, the error goes to stderr.
    let out = run(&["-csv", "-Make", JPG, "no/such/file.jpg"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), format!("SourceFile,Make\n{JPG},Canon\n"));
    assert!(text(&out.stderr).starts_with("Error: "), "{}", text(&out.stderr));
    let out = run(&["-T", "-Make", "no/such/file.jpg", JPG]);
    assert_eq!((out.status.code(), text(&out.stdout)), (Some(1), "Canon\n".to_owned()));
    // 2: bad usage.
    for args in
        [&["-b", JPG][..], &["-csv", "-T", JPG], &["-X", JPG], &["-w"], &["--bogus-flag", JPG], &["-csv"]]
    {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// `| head -1`: the reader goes away after the first line. The run stops quietly, with
/// status 1 when a file failed before that, 0 when none did.
#[test]
fn a_closed_pipe_keeps_the_failures_seen_before_it() {
    for (first, want) in [("no/such/file.jpg", 1), (JPG, 0)] {
        let mut args = vec!["--jsonl", first];
        args.extend(std::iter::repeat_n(JPG, 3000));
        let mut child = Command::new(BIN)
            .args(&args)
            .current_dir(ROOT)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert!(line.contains(first), "{line}");
        let mut err = String::new();
        child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        let status = child.wait().unwrap();
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(status.code(), Some(want), "{err}");
    }
}

/// On a terminal (a pseudo-terminal from `script`, skipped where it is missing), the
/// progress line shows the total of a `-@` list, the percentage, the rate and the ETA, and
/// is erased before each line of output; without a terminal there is no line at all.
#[cfg(unix)]
#[test]
fn progress_on_a_terminal_only() {
    let s = Scratch::new("progress");
    let list = s.0.join("list.txt");
    std::fs::write(&list, format!("{}/{JPG}\n", ROOT).repeat(150)).unwrap();
    let list = list.to_str().unwrap();
    let out = run(&["-T", "-FileType", "-@", list]);
    assert_eq!(text(&out.stdout), "JPEG\n".repeat(150));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("no `script` here: the terminal half is skipped");
        return;
    }
    let cmd = format!("{BIN} --threads 1 -T -FileType -@ {list}");
    let tty = Command::new("script").args(["-qec", &cmd, "/dev/null"]).stdin(Stdio::null()).output().unwrap();
    let screen = text(&tty.stdout);
    assert_eq!(tty.status.code(), Some(0), "{screen}");
    assert_eq!(screen.matches("JPEG").count(), 150, "{screen}");
    let bar = screen.find("/150 files (").unwrap_or_else(|| panic!("no total: {screen}"));
    let rest = &screen[bar..];
    assert!(rest.contains("%)") && rest.contains("files/s") && rest.contains("ETA"), "{rest}");
    // Each line of output comes after the progress line drawn before it was erased (ESC [2K).
    let chunks: Vec<&str> = screen.split("JPEG").collect();
    for before in &chunks[..chunks.len() - 1] {
        if let Some((_, since_bar)) = before.rsplit_once("metasift: [") {
            assert!(since_bar.contains("\x1b[2K"), "output over the progress line: {since_bar:?}");
        }
    }
}

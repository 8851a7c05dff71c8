//! Extraction speed, per format family, and side by side with ExifTool and ffprobe.
//!
//! Files: `$METASIFT_CORPUS/generated/<family>/*` (families are the directory names), or
//! `tests/fixtures/**` (family = extension) when `METASIFT_CORPUS` is unset.
//!
//! Groups:
//! - `extract/<family>`: `bytes/<file>` = [`metasift::extract_bytes`] from memory (warm),
//!   `path/<file>` = [`metasift::extract_path`] (open + positional reads, page cache warm),
//!   `path_json/<file>` = the same plus the ExifTool JSON text of the result (what
//!   ExifTool's per-file figure covers);
//! - `makernotes`: camera JPEGs with full maker notes (and `canon_full.jpg`), metasift
//!   with its JSON text beside ExifTool `-stay_open`, file by file;
//! - `exiftool_stay_open/<family>`: the same files through ONE persistent
//!   `exiftool -stay_open True -@ -` process (`-json -n -G`, read to `{ready}`): ExifTool's
//!   per-file cost without its start-up (skipped when `exiftool` is absent);
//! - `process/<file>`: whole processes, as a shell user pays them: `metasift --exiftool FILE`
//!   vs `exiftool -json -n -G FILE` vs, for video, `ffprobe -v error -show_format
//!   -show_streams -of json FILE`.
//!
//! - `large/path/<file>`: the files of `$METASIFT_LARGE` (1 GiB videos, 200 MB audio, a
//!   2,000-page PDF, a 100 MB DOCX from `../shared/corpus/make-large.sh`) through
//!   [`metasift::extract_path`]: what a header costs however big the file.
//!
//! Run: `cargo bench --bench extract` (a filter narrows it: `-- extract/jpeg`).
//! `METASIFT_BENCH_QUICK=1` shortens warm-up and measurement for a first look.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::disallowed_methods)]

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use metasift::ExifToolOptions;
use metasift::output::ExifToolObject;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_metasift");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// Largest file read into memory for the benchmarks.
const MAX_FILE: u64 = 64 << 20;

/// One representative file name per family for the whole-process comparison (the first
/// file of the family is used when none of these exists).
const PROCESS_PICKS: &[&str] = &[
    "canon_full.jpg",
    "little_endian.tif",
    "exif_xmp_text.png",
    "canon.heic",
    "h264_aac_moov_end.mp4",
    "h264_flac_tags.mkv",
];

/// Families whose files are video, for the ffprobe comparison.
const VIDEO_FAMILIES: &[&str] = &["mp4", "mov", "mkv", "webm", "m4v", "3gp"];

struct BenchFile {
    name: String,
    path: PathBuf,
    data: Vec<u8>,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.metadata().is_ok_and(|m| m.is_file() && m.len() <= MAX_FILE) {
            out.push(p);
        }
    }
}

/// Files by family.
fn files() -> BTreeMap<String, Vec<BenchFile>> {
    let mut by_family: BTreeMap<String, Vec<BenchFile>> = BTreeMap::new();
    let corpus = std::env::var_os("METASIFT_CORPUS").filter(|v| !v.is_empty()).map(PathBuf::from);
    let (root, from_corpus) = match &corpus {
        Some(c) => (c.join("generated"), true),
        None => {
            eprintln!("bench: METASIFT_CORPUS not set, using tests/fixtures");
            (PathBuf::from(FIXTURES), false)
        }
    };
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    for path in paths {
        let family = if from_corpus {
            path.strip_prefix(&root)
                .ok()
                .and_then(|r| r.iter().next())
                .and_then(|f| f.to_str())
                .map(str::to_owned)
        } else {
            path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase)
        };
        let (Some(family), Ok(data)) = (family, std::fs::read(&path)) else { continue };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_owned();
        let list = by_family.entry(family).or_default();
        // Fixture directories hold copies of the same file; bench each name once.
        if !list.iter().any(|f| f.name == name) {
            list.push(BenchFile { name, path, data });
        }
    }
    by_family
}

fn quick() -> bool {
    std::env::var("METASIFT_BENCH_QUICK").is_ok_and(|v| v == "1")
}

fn timing(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, slow: bool) {
    let (warm, measure) = match (quick(), slow) {
        (true, false) => (Duration::from_millis(100), Duration::from_millis(300)),
        (true, true) => (Duration::from_millis(100), Duration::from_millis(500)),
        (false, false) => (Duration::from_millis(500), Duration::from_secs(2)),
        (false, true) => (Duration::from_secs(1), Duration::from_secs(3)),
    };
    group.warm_up_time(warm).measurement_time(measure).sample_size(10);
    if slow {
        group.sampling_mode(SamplingMode::Flat);
    }
}

// ---------------------------------------------------------------- metasift in-process

fn bench_extract(c: &mut Criterion) {
    for (family, files) in files() {
        let mut g = c.benchmark_group(format!("extract/{family}"));
        timing(&mut g, false);
        for f in &files {
            g.bench_with_input(BenchmarkId::new("bytes", &f.name), &f.data, |b, data| {
                b.iter(|| metasift::extract_bytes(black_box(data)))
            });
            g.bench_with_input(BenchmarkId::new("path", &f.name), &f.path, |b, path| {
                b.iter(|| metasift::extract_path(black_box(path)))
            });
            // What ExifTool's per-file figure covers too: the JSON text of the result.
            let name = f.path.display().to_string();
            g.bench_with_input(BenchmarkId::new("path_json", &f.name), &f.path, |b, path| {
                let mut out = Vec::with_capacity(16 << 10);
                b.iter(|| {
                    out.clear();
                    if let Ok(meta) = metasift::extract_path(black_box(path)) {
                        ExifToolObject::new(&meta, &name, ExifToolOptions::default()).write_pretty(&mut out);
                    }
                    out.len()
                })
            });
        }
        g.finish();
    }
}

/// Large files (`METASIFT_LARGE`, the directory `../shared/corpus/make-large.sh` fills):
/// the header of a 1 GiB video through `extract_path`, page cache warm.
fn bench_large(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("METASIFT_LARGE") else {
        eprintln!("large: skipped, METASIFT_LARGE not set (see ../shared/corpus/make-large.sh)");
        return;
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    paths.sort();
    let mut g = c.benchmark_group("large");
    timing(&mut g, false);
    for path in &paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        g.bench_with_input(BenchmarkId::new("path", name), path, |b, path| {
            b.iter(|| metasift::extract_path(black_box(path)))
        });
    }
    g.finish();
}

// ---------------------------------------------------------------- ExifTool, one process

/// A persistent `exiftool -stay_open True -@ -`.
struct StayOpen {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    line: String,
}

impl StayOpen {
    fn start() -> Option<Self> {
        let mut child = Command::new("exiftool")
            .args(["-stay_open", "True", "-@", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = BufReader::new(child.stdout.take()?);
        Some(StayOpen { child, stdin, stdout, line: String::new() })
    }

    /// `exiftool -json -n -G FILE`; returns the bytes of JSON printed.
    fn run(&mut self, path: &Path) -> usize {
        let cmd = format!("-json\n-n\n-G\n{}\n-execute\n", path.display());
        self.stdin.write_all(cmd.as_bytes()).unwrap();
        self.stdin.flush().unwrap();
        let mut n = 0;
        loop {
            self.line.clear();
            if self.stdout.read_line(&mut self.line).unwrap() == 0 {
                panic!("exiftool quit");
            }
            if self.line.trim_end() == "{ready}" {
                return n;
            }
            n += self.line.len();
        }
    }
}

impl Drop for StayOpen {
    fn drop(&mut self) {
        let _ = self.stdin.write_all(b"-stay_open\nFalse\n");
        let _ = self.stdin.flush();
        let _ = self.child.wait();
    }
}

/// Camera JPEGs whose maker notes metasift reads in full, beside `canon_full.jpg` (EXIF,
/// GPS and a thumbnail, no maker note): metasift's `extract_path` plus the JSON text, and
/// ExifTool's per-file cost through one `-stay_open` process, in the same group.
fn bench_makernotes(c: &mut Criterion) {
    let mut paths = vec![PathBuf::from(FIXTURES).join("exif/canon_full.jpg")];
    if let Some(corpus) = std::env::var_os("METASIFT_CORPUS").filter(|v| !v.is_empty()).map(PathBuf::from) {
        for f in ["Canon1DmkIII.jpg", "NikonD2Hs.jpg", "OlympusE1.jpg", "Pentax.jpg"] {
            paths.push(corpus.join("real/exiftool").join(f));
        }
    }
    let mut et = StayOpen::start();
    let mut g = c.benchmark_group("makernotes");
    timing(&mut g, et.is_some());
    for path in paths.iter().filter(|p| p.is_file()) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_owned();
        let shown = path.display().to_string();
        g.bench_with_input(BenchmarkId::new("metasift", &name), path, |b, path| {
            let mut out = Vec::with_capacity(64 << 10);
            b.iter(|| {
                out.clear();
                if let Ok(meta) = metasift::extract_path(black_box(path)) {
                    ExifToolObject::new(&meta, &shown, ExifToolOptions::default()).write_pretty(&mut out);
                }
                out.len()
            })
        });
        if let Some(et) = et.as_mut() {
            g.bench_with_input(BenchmarkId::new("exiftool_stay_open", &name), path, |b, path| {
                b.iter(|| et.run(black_box(path)))
            });
        }
    }
    g.finish();
}

fn bench_exiftool_stay_open(c: &mut Criterion) {
    let Some(mut et) = StayOpen::start() else {
        eprintln!("bench: exiftool not found, skipping the exiftool_stay_open comparison");
        return;
    };
    for (family, files) in files() {
        let mut g = c.benchmark_group(format!("exiftool_stay_open/{family}"));
        timing(&mut g, true);
        for f in &files {
            g.bench_with_input(BenchmarkId::from_parameter(&f.name), &f.path, |b, path| {
                b.iter(|| et.run(black_box(path)))
            });
        }
        g.finish();
    }
}

// ---------------------------------------------------------------- whole processes

fn available(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

fn spawn(program: &str, args: &[&str], file: &Path) {
    let out = Command::new(program).args(args).arg(file).stdin(Stdio::null()).output().unwrap();
    black_box(out.stdout.len());
}

fn bench_process(c: &mut Criterion) {
    let exiftool = available("exiftool", "-ver");
    let ffprobe = available("ffprobe", "-version");
    if !exiftool {
        eprintln!("bench: exiftool not found, process group measures metasift alone");
    }
    let mut picks: Vec<(String, PathBuf)> = Vec::new();
    for (family, files) in files() {
        let pick = files.iter().find(|f| PROCESS_PICKS.contains(&f.name.as_str()));
        if let Some(f) = pick {
            picks.push((family, f.path.clone()));
        }
    }
    if picks.is_empty() {
        // The fixture fallback: every fixture.
        picks = files().into_iter().filter_map(|(fam, f)| f.first().map(|f| (fam, f.path.clone()))).collect();
    }
    let mut g = c.benchmark_group("process");
    timing(&mut g, true);
    for (family, path) in &picks {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_owned();
        g.bench_with_input(BenchmarkId::new("metasift", &name), path, |b, p| {
            b.iter(|| spawn(BIN, &["--exiftool"], p))
        });
        if exiftool {
            g.bench_with_input(BenchmarkId::new("exiftool", &name), path, |b, p| {
                b.iter(|| spawn("exiftool", &["-json", "-n", "-G"], p))
            });
        }
        if ffprobe && VIDEO_FAMILIES.contains(&family.as_str()) {
            g.bench_with_input(BenchmarkId::new("ffprobe", &name), path, |b, p| {
                b.iter(|| {
                    spawn("ffprobe", &["-v", "error", "-show_format", "-show_streams", "-of", "json"], p)
                })
            });
        }
    }
    g.finish();
}

criterion_group!(
    benches,
    bench_extract,
    bench_large,
    bench_makernotes,
    bench_exiftool_stay_open,
    bench_process
);
criterion_main!(benches);

//! Hostile input never panics or hangs the library.
//!
//! - a truncation sweep (every prefix length) and byte-flip sweep over the fixtures in
//!   `tests/fixtures/` and a few inputs built here, through [`metasift::extract_bytes`];
//! - every file of `$METASIFT_CORPUS/broken` through [`metasift::extract_path`], each within a
//!   generous time bound (a hang guard, not a speed test);
//! - every fuzz crasher kept in `tests/regressions/<fuzz target>/`, run through the same
//!   entry point as its fuzz target, forever.
//!
//! Panics are caught per input and reported together with the input that caused them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use metasift::Format;
use metasift::fuzzing::{Payload, parse_as, parse_payload};
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const REGRESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/regressions");
/// A file of the broken corpus taking longer than this (debug build) counts as a hang.
const HANG_LIMIT: Duration = Duration::from_secs(10);
/// Every prefix length up to this is swept; beyond it, [`SPREAD`] more lengths spread over
/// the rest of the input (`METASIFT_SWEEP=full` sweeps every prefix of every input).
const DENSE_PREFIX: usize = 2048;
/// Prefix lengths sampled beyond [`DENSE_PREFIX`].
const SPREAD: usize = 1000;
/// Mutated copies per input.
const MUTATIONS: usize = 300;

/// Writes straight to the process's stderr, so the one-line reports show under
/// `cargo test` (libtest captures only `print!`/`eprint!`).
macro_rules! report {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

thread_local! {
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Replaces the panic hook with one that, inside [`guarded`], records the message for the
/// report instead of printing one per truncated input (other panics print as usual).
fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(|g| g.get()) {
                return default(info);
            }
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = format!("{msg}{at}"));
        }));
    });
}

/// Runs `f`, returning the panic message if it panicked.
fn guarded(f: impl FnOnce()) -> Option<String> {
    try_guarded(f).err()
}

/// Runs `f`, returning its result or the panic message.
fn try_guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    GUARDED.with(|g| g.set(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(false));
    r.map_err(|_| LAST_PANIC.with(|p| p.borrow().clone()))
}

// ---------------------------------------------------------------- inputs built here

fn be16(v: u16) -> [u8; 2] {
    v.to_be_bytes()
}
fn be32(v: u32) -> [u8; 4] {
    v.to_be_bytes()
}

/// A big-endian TIFF: IFD0 (Make, Model, ExifIFD and GPS pointers), an ExifIFD with
/// DateTimeOriginal and ExposureTime, a GPS IFD with a latitude.
fn tiny_tiff() -> Vec<u8> {
    fn entry(out: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]) {
        out.extend(be16(tag));
        out.extend(be16(typ));
        out.extend(be32(count));
        out.extend(value);
    }
    let mut t = b"MM\0\x2a".to_vec();
    t.extend(be32(8));
    // IFD0 at 8: 4 entries -> 2 + 48 + 4 = 54 bytes, data from 62.
    t.extend(be16(4));
    entry(&mut t, 0x010F, 2, 6, be32(62)); // Make
    entry(&mut t, 0x0110, 2, 4, *b"X10\0"); // Model (inline)
    entry(&mut t, 0x8769, 4, 1, be32(68)); // ExifIFD
    entry(&mut t, 0x8825, 4, 1, be32(120)); // GPS
    t.extend(be32(0));
    t.extend(b"Canon\0");
    assert_eq!(t.len(), 68);
    // ExifIFD at 68: 2 entries -> 2 + 24 + 4 = 30, data at 98.
    t.extend(be16(2));
    entry(&mut t, 0x9003, 2, 20, be32(98)); // DateTimeOriginal
    entry(&mut t, 0x829A, 5, 1, be32(118 - 8)); // ExposureTime -> rational below (reuses date bytes)
    t.extend(be32(0));
    t.extend(b"2021:06:15 14:30:45\0");
    assert_eq!(t.len(), 118);
    t.extend([0, 0]);
    // GPS IFD at 120: 1 entry -> 2 + 12 + 4 = 18, data at 138.
    t.extend(be16(1));
    entry(&mut t, 0x0002, 5, 3, be32(138)); // GPSLatitude
    t.extend(be32(0));
    for (n, d) in [(48u32, 1u32), (51, 1), (3012, 100)] {
        t.extend(be32(n));
        t.extend(be32(d));
    }
    t
}

fn mp4_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut b = be32(8 + body.len() as u32).to_vec();
    b.extend(kind);
    b.extend(body);
    b
}

/// ftyp + moov(mvhd, trak(tkhd), udta(©nam)) + mdat.
fn tiny_mp4() -> Vec<u8> {
    let mut mvhd = vec![0u8; 4]; // version 0, flags
    mvhd.extend(be32(3_700_000_000)); // creation
    mvhd.extend(be32(3_700_000_000)); // modification
    mvhd.extend(be32(1000)); // timescale
    mvhd.extend(be32(2500)); // duration
    mvhd.extend(be32(0x0001_0000)); // rate
    mvhd.extend(be16(0x0100)); // volume
    mvhd.extend([0u8; 10]);
    for v in [0x0001_0000u32, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] {
        mvhd.extend(be32(v));
    }
    mvhd.extend([0u8; 24]);
    mvhd.extend(be32(2)); // next track id
    let mut tkhd = vec![0, 0, 0, 3];
    tkhd.extend(be32(3_700_000_000));
    tkhd.extend(be32(3_700_000_000));
    tkhd.extend(be32(1));
    tkhd.extend([0u8; 4]);
    tkhd.extend(be32(2500));
    tkhd.extend([0u8; 8 + 2 + 2 + 2 + 2]);
    for v in [0x0001_0000u32, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] {
        tkhd.extend(be32(v));
    }
    tkhd.extend(be32(640 << 16));
    tkhd.extend(be32(480 << 16));
    let mut name = be16(5).to_vec();
    name.extend(be16(0x55C4));
    name.extend(b"Title");
    let udta = mp4_box(b"udta", &mp4_box(b"\xa9nam", &name));
    let trak = mp4_box(b"trak", &mp4_box(b"tkhd", &tkhd));
    let mut moov_body = mp4_box(b"mvhd", &mvhd);
    moov_body.extend(trak);
    moov_body.extend(udta);
    let mut f = mp4_box(b"ftyp", b"isom\0\0\x02\0isomiso2mp41");
    f.extend(mp4_box(b"moov", &moov_body));
    f.extend(mp4_box(b"mdat", &[0u8; 16]));
    f
}

fn ebml(id: &[u8], body: &[u8]) -> Vec<u8> {
    let mut e = id.to_vec();
    e.extend(be16(0x4000 | body.len() as u16)); // 2-byte size vint
    e.extend(body);
    e
}

/// EBML header (DocType matroska) + Segment(Info(TimestampScale, Duration, Title), Tracks).
fn tiny_mkv() -> Vec<u8> {
    let mut head = ebml(&[0x42, 0x86], &[1]);
    head.extend(ebml(&[0x42, 0x82], b"matroska"));
    head.extend(ebml(&[0x42, 0x87], &[4]));
    let mut info = ebml(&[0x2A, 0xD7, 0xB1], &be32(1_000_000)[1..]);
    info.extend(ebml(&[0x44, 0x89], &2500.0f64.to_be_bytes()));
    info.extend(ebml(&[0x7B, 0xA9], b"Title"));
    let mut track = ebml(&[0xD7], &[1]);
    track.extend(ebml(&[0x83], &[1]));
    track.extend(ebml(&[0x86], b"V_MPEG4/ISO/AVC"));
    track.extend(ebml(&[0xE0], &[&ebml(&[0xB0], &be16(640))[..], &ebml(&[0xBA], &be16(480))[..]].concat()));
    let mut seg = ebml(&[0x15, 0x49, 0xA9, 0x66], &info);
    seg.extend(ebml(&[0x16, 0x54, 0xAE, 0x6B], &ebml(&[0xAE], &track)));
    let mut f = ebml(&[0x1A, 0x45, 0xDF, 0xA3], &head);
    f.extend(ebml(&[0x18, 0x53, 0x80, 0x67], &seg));
    f
}

/// Every input of the sweep: (name, bytes, every prefix?).
fn sweep_inputs() -> Vec<(String, Vec<u8>)> {
    let mut inputs = vec![
        ("built:tiny.tif".to_owned(), tiny_tiff()),
        ("built:tiny.mp4".to_owned(), tiny_mp4()),
        ("built:tiny.mkv".to_owned(), tiny_mkv()),
    ];
    let mut files = Vec::new();
    walk(Path::new(FIXTURES), &mut files);
    let mut seen = std::collections::HashSet::new();
    for f in files {
        if let Some(data) = std::fs::read(&f).ok().filter(|d| d.len() <= 1 << 20 && seen.insert(d.clone())) {
            let name = f.strip_prefix(FIXTURES).unwrap_or(&f).display().to_string();
            inputs.push((name, data));
        }
    }
    inputs
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// The prefix lengths swept for an input of `len` bytes: every one up to [`DENSE_PREFIX`]
/// (headers live there), then [`SPREAD`] more over the rest, or all with `full`.
fn prefix_lengths(len: usize, full: bool) -> Vec<usize> {
    prefix_lengths_with(len, full, DENSE_PREFIX, SPREAD)
}

/// [`prefix_lengths`] with explicit densities (inputs that are slow by design, such as
/// AES-256 PDFs whose key check hashes for milliseconds, get a lighter sweep).
fn prefix_lengths_with(len: usize, full: bool, dense: usize, spread: usize) -> Vec<usize> {
    if full || len <= dense + spread {
        return (0..len).collect();
    }
    let mut v: Vec<usize> = (0..dense).collect();
    let step = (len - dense).div_ceil(spread).max(1);
    v.extend((dense..len).step_by(step));
    v.push(len - 1);
    v
}

/// Sweeps one input; returns (inputs run, failures).
fn sweep_one(name: &str, data: &[u8], full: bool) -> (u64, Vec<String>) {
    let mut failures = Vec::new();
    let mut runs = 0u64;
    // The intact input must not panic either.
    if guarded(|| drop(metasift::extract_bytes(data))).is_some() {
        failures.push(format!("{name}: panic on the intact input"));
    }
    let slow = name.contains("aes256") && !full;
    let lengths =
        if slow { prefix_lengths_with(data.len(), full, 64, 40) } else { prefix_lengths(data.len(), full) };
    for len in lengths {
        runs += 1;
        let prefix = &data[..len];
        if let Some(msg) = guarded(|| drop(metasift::extract_bytes(prefix))) {
            failures.push(format!("{name} truncated to {len} bytes: {msg}"));
        }
    }
    // Byte flips: single bits, and 4-byte "length" words set to 0xFFFFFFFF or 0; half of
    // them in the first 4 KiB, where the headers are.
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ data.len() as u64);
    let mut m = data.to_vec();
    let rounds = match (data.is_empty(), slow) {
        (true, _) => 0,
        (false, true) => MUTATIONS / 20,
        (false, false) => MUTATIONS,
    };
    for round in 0..rounds {
        m.copy_from_slice(data);
        let at = if round % 2 == 0 { rng.below(m.len().min(4096)) } else { rng.below(m.len()) };
        match round % 3 {
            0 => m[at] ^= 1 << rng.below(8),
            1 => m[at..].iter_mut().take(4).for_each(|b| *b = 0xFF),
            _ => m[at..].iter_mut().take(4).for_each(|b| *b = 0),
        }
        runs += 1;
        if let Some(msg) = guarded(|| drop(metasift::extract_bytes(&m))) {
            failures.push(format!("{name} mutated (round {round}, offset {at}): {msg}"));
        }
    }
    (runs, failures)
}

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

// ---------------------------------------------------------------- (a) sweeps

#[test]
fn truncation_and_byte_flip_sweep() {
    quiet_panics();
    let started = Instant::now();
    let full = std::env::var("METASIFT_SWEEP").is_ok_and(|v| v == "full");
    let inputs = sweep_inputs();
    // Spread the inputs over the cores (the quiet panic hook is global, its flag per thread).
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(4);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (mut runs, mut failures) = (0u64, Vec::new());
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let (mut runs, mut failures) = (0u64, Vec::new());
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((name, data)) = inputs.get(i) else { break };
                        let (r, f) = sweep_one(name, data, full);
                        runs += r;
                        failures.extend(f);
                    }
                    (runs, failures)
                })
            })
            .collect();
        for h in handles {
            let (r, f) = h.join().expect("sweep worker");
            runs += r;
            failures.extend(f);
        }
    });
    failures.sort();
    report!(
        "robustness sweep: {} files, {runs} truncated or mutated inputs in {:.2}s{}",
        inputs.len(),
        started.elapsed().as_secs_f64(),
        if full { " (every prefix)" } else { "" }
    );
    assert!(
        failures.is_empty(),
        "{} panics, first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

#[test]
fn built_inputs_are_recognised() {
    assert_eq!(metasift::sniff(&tiny_tiff(), None).ok(), Some(Format::Tiff));
    assert!(metasift::extract_bytes(&tiny_tiff()).is_ok());
}

// ---------------------------------------------------------------- (b) broken corpus

#[test]
fn broken_corpus_never_panics_or_hangs() {
    let Some(corpus) = common::corpus_var_os().filter(|v| !v.is_empty()).map(PathBuf::from) else {
        report!("robustness (broken corpus): skipped, METASIFT_CORPUS not set");
        return;
    };
    quiet_panics();
    let mut files = Vec::new();
    walk(&corpus.join("broken"), &mut files);
    assert!(!files.is_empty(), "no files under {}/broken", corpus.display());

    // One worker extracts the files in turn; we wait for each with a deadline, so a hang is
    // reported by name instead of stalling the test run.
    let (tx, rx) = mpsc::channel();
    let list = files.clone();
    std::thread::spawn(move || {
        quiet_panics();
        for (i, f) in list.iter().enumerate() {
            let t = Instant::now();
            let outcome = try_guarded(|| metasift::extract_path(f).is_ok());
            if tx.send((i, outcome, t.elapsed())).is_err() {
                return;
            }
        }
    });
    let mut failures = Vec::new();
    let mut slowest: Vec<(Duration, usize)> = Vec::new();
    let (mut ok, mut errors) = (0, 0);
    for (i, f) in files.iter().enumerate() {
        match rx.recv_timeout(HANG_LIMIT) {
            Ok((j, outcome, took)) => {
                assert_eq!(i, j);
                slowest.push((took, j));
                match outcome {
                    Ok(true) => ok += 1,
                    Ok(false) => errors += 1,
                    Err(msg) => failures.push(format!("PANIC {}: {msg}", f.display())),
                }
            }
            Err(_) => {
                failures.push(format!("HANG {}: no result after {HANG_LIMIT:?}", f.display()));
                break;
            }
        }
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    let top: Vec<String> = slowest
        .iter()
        .take(3)
        .map(|(d, j)| {
            format!(
                "{} {:.1} ms",
                files[*j].strip_prefix(&corpus).unwrap_or(&files[*j]).display(),
                d.as_secs_f64() * 1e3
            )
        })
        .collect();
    report!(
        "robustness (broken corpus): {} files, {ok} ok, {errors} clean errors, {} failures; slowest: {}",
        files.len(),
        failures.len(),
        top.join(", ")
    );
    assert!(failures.is_empty(), "broken corpus failures:\n{}", failures.join("\n"));
}

// ---------------------------------------------------------------- (c) fuzz regressions

/// Runs `data` through the entry point of fuzz target `target` (see `fuzz/fuzz_targets/`).
fn run_fuzz_target(target: &str, data: &[u8]) {
    let format = |f: Format| {
        parse_as(f, data);
    };
    let payload = |p: Payload| {
        parse_payload(p, data);
    };
    match target {
        "exif" => payload(Payload::Exif),
        "iptc" => payload(Payload::Iptc),
        "photoshop" => payload(Payload::Photoshop),
        "xmp" => payload(Payload::Xmp),
        "icc" => payload(Payload::Icc),
        "jpeg" => format(Format::Jpeg),
        "tiff" => format(Format::Tiff),
        "png" => format(Format::Png),
        "gif" => format(Format::Gif),
        "webp" => format(Format::WebPExtended),
        "heif" => format(Format::Heic),
        "isobmff" => format(Format::Mp4),
        "cr3" => format(Format::Cr3),
        "matroska" => format(Format::Mkv),
        "psd" => format(Format::Psd),
        "mp3" => format(Format::Mp3),
        "flac" => format(Format::Flac),
        "ogg" => format(Format::Ogg),
        "wav" => format(Format::Wav),
        "aiff" => format(Format::Aiff),
        "pdf" => format(Format::Pdf),
        "ooxml" => format(Format::Docx),
        "avi" => format(Format::Avi),
        "asf" => format(Format::Wmv),
        "flv" => format(Format::Flv),
        "mpeg_ps" => format(Format::Mpeg),
        "dv" => format(Format::Dv),
        "mpeg_ts" => format(Format::M2ts),
        "images" => {
            metasift::fuzzing::parse_image_header(data);
        }
        "misc_formats" => {
            metasift::fuzzing::parse_misc_format(data);
        }
        _ => {}
    }
    let _ = metasift::extract_bytes(data);
}

#[test]
fn fuzz_regressions_stay_fixed() {
    quiet_panics();
    let mut files = Vec::new();
    walk(Path::new(REGRESSIONS), &mut files);
    let mut failures = Vec::new();
    let mut n = 0;
    for f in files {
        let Some(target) = f.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()) else { continue };
        if f.extension().is_some_and(|e| e == "md") || f.parent() == Some(Path::new(REGRESSIONS)) {
            continue;
        }
        let data = std::fs::read(&f).unwrap();
        n += 1;
        if let Some(msg) = guarded(|| run_fuzz_target(target, &data)) {
            failures.push(format!("{}: {msg}", f.display()));
        }
    }
    report!("fuzz regressions: {n} inputs");
    assert!(failures.is_empty(), "regressions panic again:\n{}", failures.join("\n"));
}

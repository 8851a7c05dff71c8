//! Prints, per peer crate and next to metasift on the same files: time per file, bytes read
//! per file, and survival of `$METASIFT_CORPUS/broken` (each file in a child process with a
//! timeout and an address-space cap).
//!
//! Run: `cargo run -p peers --release --bin peer_report` (`METASIFT_CORPUS` defaults to
//! `../shared/corpus`; `METASIFT_LARGE` to `/work/large`).
//! `peer_report --one PEER FILE` runs one reader once (the child of the survival run):
//! exit 0 = ok, 3 = the reader returned an error.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::disallowed_methods)]

use peers::{Peer, bench_roots, families, peers_for};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A broken file that takes longer than this is a hang.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Address-space cap of a survival child, in KiB (`ulimit -v`).
const MEM_CAP_KB: u64 = 1 << 20;
/// Time spent measuring one reader on one file (after one warm-up run).
const BUDGET: Duration = Duration::from_millis(300);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--one") {
        let (Some(peer), Some(path)) = (args.get(2).and_then(|n| Peer::from_name(n)), args.get(3)) else {
            eprintln!("usage: peer_report --one PEER FILE");
            std::process::exit(2);
        };
        let read = Arc::new(AtomicU64::new(0));
        match peer.run(Path::new(path), &read) {
            Ok(_) => std::process::exit(0),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(3);
            }
        }
    }
    let corpus = peers::corpus();
    speed_and_bytes(&corpus);
    survival(&corpus.join("broken"));
}

struct Measure {
    time: Duration,
    bytes: u64,
    ok: bool,
}

/// Median time of repeated runs and the bytes one run reads.
fn measure(peer: Peer, path: &Path) -> Measure {
    let read = Arc::new(AtomicU64::new(0));
    let first = Instant::now();
    let ok = peer.run(path, &read).is_ok();
    let first = first.elapsed();
    let bytes = read.load(Ordering::Relaxed);
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 3 || (start.elapsed() < BUDGET && times.len() < 200) {
        let t = Instant::now();
        let _ = std::hint::black_box(peer.run(path, &read));
        times.push(t.elapsed());
        if first > Duration::from_secs(1) {
            break;
        }
    }
    times.sort();
    Measure { time: times[times.len() / 2], bytes, ok }
}

fn fmt_time(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.1} µs")
    } else if us < 1e6 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

fn fmt_bytes(b: u64) -> String {
    if b < 10 * 1024 {
        format!("{b} B")
    } else if b < 10 << 20 {
        format!("{} KB", b / 1024)
    } else {
        format!("{} MB", b >> 20)
    }
}

fn speed_and_bytes(corpus: &Path) {
    println!("## Time and bytes read per file (median of repeated runs; page cache warm)\n");
    println!("| family | file | size | peer | peer time | metasift time | peer bytes | metasift bytes |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for fam in families(&bench_roots(corpus)) {
        let mut sum = [Duration::ZERO; 2];
        let mut bytes = [0u64; 2];
        let mut n = 0u32;
        for f in &fam.files {
            let size = f.metadata().map_or(0, |m| m.len());
            let p = measure(fam.peer, f);
            let m = measure(Peer::Metasift, f);
            let name = f.file_name().unwrap().to_string_lossy();
            let mark = |ok: bool| if ok { "" } else { " (error)" };
            println!(
                "| {} | {name} | {} | {} | {}{} | {}{} | {} | {} |",
                f.extension().map_or(String::new(), |e| e.to_string_lossy().to_ascii_lowercase()),
                fmt_bytes(size),
                fam.peer.name(),
                fmt_time(p.time),
                mark(p.ok),
                fmt_time(m.time),
                mark(m.ok),
                fmt_bytes(p.bytes),
                fmt_bytes(m.bytes)
            );
            if size < (8 << 20) {
                sum[0] += p.time;
                sum[1] += m.time;
                bytes[0] += p.bytes;
                bytes[1] += m.bytes;
                n += 1;
            }
        }
        if n > 0 {
            println!(
                "| {} | **mean of {n} files under 8 MB** | | {} | {} | {} | {} | {} |",
                fam.peer.extensions().join("/"),
                fam.peer.name(),
                fmt_time(sum[0] / n),
                fmt_time(sum[1] / n),
                fmt_bytes(bytes[0] / u64::from(n)),
                fmt_bytes(bytes[1] / u64::from(n))
            );
        }
    }
}

#[derive(Default, Clone, Copy)]
struct Outcomes {
    ok: u32,
    error: u32,
    panic: u32,
    timeout: u32,
    oom: u32,
    crash: u32,
}

fn run_child(peer: Peer, path: &Path) -> &'static str {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEM_CAP_KB}; exec \"$0\" --one \"$1\" \"$2\""))
        .arg(exe)
        .arg(peer.name())
        .arg(path)
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return "timeout";
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut err);
    }
    match status.code() {
        Some(0) => "ok",
        Some(3) => "error",
        Some(101) if err.contains("memory allocation") || err.contains("capacity overflow") => "oom",
        Some(101) => "panic",
        _ if err.contains("memory allocation") => "oom",
        _ => "crash",
    }
}

fn survival(broken: &Path) {
    println!(
        "\n## Survival of {} (child process, {TIMEOUT:?} timeout, ulimit -v {MEM_CAP_KB} KiB)\n",
        broken.display()
    );
    println!("| reader | files | ok | error | panic | timeout | OOM | crash | survived |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for fam in families(&[broken.to_path_buf()]) {
        for peer in [fam.peer, Peer::Metasift] {
            let mut o = Outcomes::default();
            for f in &fam.files {
                debug_assert!(peers_for(f).contains(&fam.peer));
                match run_child(peer, f) {
                    "ok" => o.ok += 1,
                    "error" => o.error += 1,
                    "panic" => o.panic += 1,
                    "timeout" => o.timeout += 1,
                    "oom" => o.oom += 1,
                    _ => o.crash += 1,
                }
            }
            let n = fam.files.len();
            let label = if peer == Peer::Metasift {
                format!("metasift ({} files)", fam.peer.name())
            } else {
                peer.name().to_string()
            };
            println!(
                "| {label} | {n} | {} | {} | {} | {} | {} | {} | {}/{n} |",
                o.ok,
                o.error,
                o.panic,
                o.timeout,
                o.oom,
                o.crash,
                o.ok + o.error
            );
        }
    }
}

//! The `metasift` command: parallel extraction with ordered, streamed JSON output.

mod args;
mod input;
mod progress;
mod s3;
mod walk;

use args::{Args, Mode, Parsed};
use metasift::Metadata;
use metasift::output::{ExifToolObject, ExifToolOptions, NativeObject};
use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use walk::{Job, Walker};

/// Largest standard-input file we buffer.
const STDIN_LIMIT: u64 = 1 << 30;

fn main() -> ExitCode {
    match args::parse(std::env::args_os().skip(1)) {
        Ok(Parsed::Help) => {
            print!("{}", args::HELP);
            ExitCode::SUCCESS
        }
        Ok(Parsed::Version) => {
            println!("metasift {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Parsed::Run(a)) => run(a),
        Err(msg) => {
            eprintln!("metasift: {msg}");
            ExitCode::from(2)
        }
    }
}

/// One finished file: its JSON object, whether it failed, and what it read.
struct Done {
    json: String,
    failed: bool,
    stats: metasift::source::ReadStats,
}

fn process(job: Job, mode: Mode, with_stats: bool, options: &metasift::Options) -> Done {
    let (name, result) = match job {
        Job::File(p) => (p.display().to_string(), input::extract(&p, options)),
        Job::Stdin => ("-".to_owned(), read_stdin().and_then(|b| metasift::extract_bytes_with(&b, options))),
        Job::S3(object) => (object.uri(), s3::extract(&object, options)),
        Job::Failed(name, msg) => (name, Err(metasift::Error::new(metasift::ErrorKind::Io, msg))),
    };
    let failed = result.is_err();
    let stats = result.as_ref().map(|m| m.stats).unwrap_or_default();
    let json = match result {
        Ok(meta) => render(&meta, &name, mode, with_stats),
        Err(e) => {
            let key = if mode == (Mode::ExifTool { groups: true }) { "ExifTool:Error" } else { "Error" };
            // `SourceFile` first: written in order, not through a map (a `serde_json::Map`
            // sorts its keys unless some crate in the build turns on `preserve_order`).
            let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
            format!("{{\n  \"SourceFile\": {},\n  {}: {}\n}}", q(&name), q(key), q(&e.to_string()))
        }
    };
    Done { json, failed, stats }
}

/// The JSON object of one file, pretty-printed.
#[allow(clippy::disallowed_methods)] // sized by the tags already extracted
fn render(meta: &Metadata, name: &str, mode: Mode, with_stats: bool) -> String {
    match mode {
        Mode::ExifTool { groups } => {
            let mut obj = ExifToolObject::new(meta, name, ExifToolOptions::default().with_groups(groups));
            if let Some(w) = meta.warnings.first() {
                let key = if groups { "ExifTool:Warning" } else { "Warning" };
                obj.insert_text(key, &w.message);
            }
            if with_stats {
                obj.insert_count("Stats:SourceReads", meta.stats.source_reads);
                obj.insert_count("Stats:SourceBytes", meta.stats.source_bytes);
            }
            let mut out = Vec::with_capacity(64 * meta.tags.len() + 256);
            obj.write_pretty(&mut out);
            text(out)
        }
        Mode::Native => pretty(&NativeObject::new(meta, name).with_stats(with_stats)),
    }
}

/// `value` as indented JSON (two spaces, as `exiftool -json`).
#[allow(clippy::disallowed_methods)] // a constant capacity
fn pretty(value: &impl serde::Serialize) -> String {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, serde_json::ser::PrettyFormatter::new());
    if let Err(e) = value.serialize(&mut ser) {
        return format!("{{\"Error\": \"{e}\"}}");
    }
    text(out)
}

/// JSON bytes as a `String` (they are UTF-8; anything else is replaced, never dropped).
fn text(json: Vec<u8>) -> String {
    String::from_utf8(json).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[allow(clippy::disallowed_methods)] // standard input is read through take(STDIN_LIMIT)
fn read_stdin() -> metasift::Result<Vec<u8>> {
    let mut buf = Vec::new();
    io::stdin().lock().take(STDIN_LIMIT + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > STDIN_LIMIT {
        return Err(metasift::Error::new(
            metasift::ErrorKind::LimitExceeded,
            format!("standard input is larger than {STDIN_LIMIT} bytes; pass a path instead"),
        ));
    }
    Ok(buf)
}

/// Orders results: workers wait while they are more than `window` files ahead of the
/// writer, so memory stays flat however long the batch.
struct Window {
    written: Mutex<u64>,
    moved: Condvar,
    size: u64,
}

type Jobs = Mutex<std::iter::Enumerate<Walker>>;

/// A worker: takes the next job, waits while it is too far ahead of the writer, sends
/// the result.
fn work(
    jobs: &Jobs,
    window: &Window,
    tx: &mpsc::Sender<(u64, Done)>,
    mode: Mode,
    with_stats: bool,
    options: &metasift::Options,
) {
    loop {
        let next = jobs.lock().ok().and_then(|mut j| j.next());
        let Some((i, job)) = next else { break };
        let i = i as u64;
        if let Ok(mut w) = window.written.lock() {
            while i >= *w + window.size {
                w = match window.moved.wait(w) {
                    Ok(w) => w,
                    Err(_) => return,
                };
            }
        }
        if tx.send((i, process(job, mode, with_stats, options))).is_err() {
            break;
        }
    }
}

fn run(a: Args) -> ExitCode {
    let Args { mode, recursive, extensions, inputs, stats: with_stats, threads, limits } = a;
    let on_s3 = inputs.iter().any(|i| matches!(i, args::Input::Path(p) if p.to_str().is_some_and(s3::is_s3)));
    #[cfg(not(feature = "s3"))]
    if on_s3 {
        eprintln!("metasift: cannot read s3:// inputs: {}", s3::NO_FEATURE);
        return ExitCode::from(2);
    }
    // Extractions from S3 wait on requests: many at once, whatever the number of cores.
    let threads = threads.unwrap_or(if on_s3 { s3::CONCURRENCY } else { args::default_threads() });
    let options = Arc::new(metasift::Options::default().with_limits(limits));
    let single_file =
        matches!(inputs.as_slice(), [args::Input::Path(p)] if input::is_remote(p) || p.is_file());
    let jobs = Arc::new(Mutex::new(Walker::new(inputs, recursive, extensions).enumerate()));
    let window =
        Arc::new(Window { written: Mutex::new(0), moved: Condvar::new(), size: 4 * threads as u64 + 16 });
    let (tx, rx) = mpsc::channel::<(u64, Done)>();
    let mut workers = Vec::new();
    if single_file {
        // One named file: no thread start-up on the path of a one-shot call.
        work(&jobs, &window, &tx, mode, with_stats, &options);
    } else {
        for _ in 0..threads {
            let (jobs, window, tx) = (Arc::clone(&jobs), Arc::clone(&window), tx.clone());
            let options = Arc::clone(&options);
            workers.push(std::thread::spawn(move || work(&jobs, &window, &tx, mode, with_stats, &options)));
        }
    }
    drop(tx);
    let out = io::stdout();
    let mut out = io::BufWriter::new(out.lock());
    let mut progress = progress::Progress::new();
    let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
    let mut next = 0u64;
    let mut any_failed = false;
    let mut total = metasift::source::ReadStats::default();
    let mut broken_pipe = false;
    for (i, done) in rx {
        pending.insert(i, done);
        while let Some(done) = pending.remove(&next) {
            any_failed |= done.failed;
            total.source_reads += done.stats.source_reads;
            total.source_bytes += done.stats.source_bytes;
            let sep = if next == 0 { "[" } else { ",\n" };
            if !broken_pipe && write!(out, "{sep}{}", done.json).is_err() {
                broken_pipe = true;
            }
            next += 1;
            progress.tick(next);
            if let Ok(mut w) = window.written.lock() {
                *w = next;
                window.moved.notify_all();
            }
        }
        if broken_pipe {
            break;
        }
    }
    progress.finish();
    if !broken_pipe {
        let end = if next == 0 { "[]\n" } else { "]\n" };
        if write!(out, "{end}").and_then(|_| out.flush()).is_err() {
            broken_pipe = true;
        }
    }
    if broken_pipe {
        // The reader went away (e.g. `| head`): stop quietly.
        std::process::exit(0);
    }
    for w in workers {
        let _ = w.join();
    }
    if with_stats {
        eprintln!(
            "metasift: {next} files, {} source reads, {} bytes read",
            total.source_reads, total.source_bytes
        );
    }
    if any_failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

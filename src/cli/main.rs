//! The `metasift` command: parallel extraction with ordered, streamed JSON output.

mod args;
mod binary;
mod input;
mod out_args;
mod progress;
mod s3;
mod walk;
mod write;

use args::{Args, Mode, Parsed};
use metasift::Metadata;
use metasift::output::{CsvTable, ExifToolObject, NativeObject, TableRow, tab_line};
use metasift::select::Selection;
use out_args::{Format, OutArgs};
use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use walk::{Job, Walker};

/// Largest standard-input file we buffer.
const STDIN_LIMIT: u64 = 1 << 30;

fn main() -> ExitCode {
    match args::parse(std::env::args_os().skip(1)) {
        Ok(Parsed::Help) => {
            print!("{}\n{}", args::HELP, out_args::HELP);
            ExitCode::SUCCESS
        }
        Ok(Parsed::Version) => {
            println!("metasift {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Parsed::Run(a)) => run(*a),
        Err(msg) => {
            eprintln!("metasift: {msg}");
            ExitCode::from(2)
        }
    }
}

/// What the command was asked to do with each file (shared by the workers).
struct Plan {
    mode: Mode,
    with_stats: bool,
    options: metasift::Options,
    out: OutArgs,
}

/// What a finished file gives the writer.
enum Payload {
    /// Text for standard output, as it goes there.
    Text(String),
    /// A `-csv` row, kept until every file is read.
    Row(TableRow),
    /// `-b` values, copied out when the file's turn comes.
    Pieces(Vec<binary::Piece>),
    Nothing,
}

/// One finished file: what to write, and the error if it failed.
struct Done {
    name: String,
    payload: Payload,
    error: Option<String>,
    stats: metasift::source::ReadStats,
}

fn process(job: Job, plan: &Plan) -> Done {
    let options = &plan.options;
    let mut stdin = Vec::new();
    let (name, path, result) = match job {
        Job::File(p) => {
            let r = input::extract(&p, options);
            let local = (!input::is_remote(&p)).then(|| p.clone());
            (p.display().to_string(), local, r)
        }
        Job::Stdin => {
            let r = read_stdin().and_then(|b| {
                stdin = b;
                metasift::extract_bytes_with(&stdin, options)
            });
            ("-".to_owned(), None, r)
        }
        Job::S3(object) => (object.uri(), None, s3::extract(&object, options)),
        Job::Failed(name, msg) => (name, None, Err(metasift::Error::new(metasift::ErrorKind::Io, msg))),
    };
    let stats = result.as_ref().map(|m| m.stats).unwrap_or_default();
    let meta = match result {
        Ok(meta) => meta,
        Err(e) => {
            let error = e.to_string();
            let payload = match plan.out.format {
                Format::Json | Format::Jsonl if plan.out.write_dir.is_none() => {
                    let (key, text) = match plan.mode {
                        Mode::ExifTool(o) if o.groups => ("ExifTool:Error", metasift::output::error_text(&e)),
                        Mode::ExifTool(_) => ("Error", metasift::output::error_text(&e)),
                        Mode::Native => ("Error", error.as_str().into()),
                    };
                    let object = Pairs(&[("SourceFile", name.as_str()), (key, &text)]);
                    Payload::Text(json_text(&object, plan.out.format == Format::Jsonl))
                }
                _ => Payload::Nothing,
            };
            return Done { name, payload, error: Some(error), stats };
        }
    };
    let groups = matches!(plan.mode, Mode::ExifTool(o) if o.groups);
    let from = match (&path, name.as_str()) {
        (Some(p), _) => binary::From::Path(p),
        (None, "-") => binary::From::Stdin(&stdin),
        (None, _) => binary::From::Remote,
    };
    let table_row = || {
        let mut row = TableRow::new(&meta, &name);
        if let Some(w) = meta.warnings.first() {
            row.push("ExifTool", "Warning", &w.message);
        }
        row
    };
    let (payload, error) = match plan.out.format {
        Format::Csv => (Payload::Row(table_row()), None),
        Format::Tab => (Payload::Text(tab_line(&table_row(), &plan.out.tags, groups)), None),
        Format::Binary => match binary::pick(&meta, &plan.out.tags, from) {
            Ok(pieces) => (Payload::Pieces(pieces), None),
            Err(e) => (Payload::Nothing, Some(e)),
        },
        Format::Json | Format::Jsonl => {
            let compact = plan.out.format == Format::Jsonl;
            let text = render(&meta, &name, plan, compact);
            match &plan.out.write_dir {
                Some(dir) => {
                    let file = if compact { format!("{text}\n") } else { format!("[{text}]\n") };
                    match write::sidecar(dir, &name, file.as_bytes()) {
                        Ok(_) => (Payload::Nothing, None),
                        Err(e) => (Payload::Nothing, Some(format!("cannot write its JSON file: {e}"))),
                    }
                }
                None => (Payload::Text(text), None),
            }
        }
    };
    Done { name, payload, error, stats }
}

/// Whether a tag selection keeps `ExifTool:Warning` (ExifTool prints it only then).
fn warning_selected(selection: &Selection) -> bool {
    selection.is_everything() || selection.matches(&metasift::Tag::new("ExifTool", "Warning", ""))
}

/// The JSON object of one file, pretty-printed or (`compact`) on one line.
#[allow(clippy::disallowed_methods)] // sized by the tags already extracted
fn render(meta: &Metadata, name: &str, plan: &Plan, compact: bool) -> String {
    let (with_stats, selection) = (plan.with_stats, &plan.options.selection);
    match plan.mode {
        Mode::ExifTool(opts) => {
            let mut obj = ExifToolObject::new(meta, name, opts);
            if let Some(w) = meta.warnings.first().filter(|_| warning_selected(selection)) {
                let key = if opts.groups { "ExifTool:Warning" } else { "Warning" };
                obj.insert_text(key, &w.message);
            }
            if with_stats {
                obj.insert_count("Stats:SourceReads", meta.stats.source_reads);
                obj.insert_count("Stats:SourceBytes", meta.stats.source_bytes);
            }
            if compact {
                return json_text(&obj, true);
            }
            let mut out = Vec::with_capacity(64 * meta.tags.len() + 256);
            obj.write_pretty(&mut out);
            text(out)
        }
        Mode::Native => json_text(&NativeObject::new(meta, name).with_stats(with_stats), compact),
    }
}

/// `value` as indented JSON (two spaces, as `exiftool -json`), or on one line.
/// An object whose keys keep the order given (`SourceFile` first): a `serde_json::Map`
/// sorts its keys unless some crate in the build turns on `preserve_order`.
struct Pairs<'a>(&'a [(&'a str, &'a str)]);

impl serde::Serialize for Pairs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[allow(clippy::disallowed_methods)] // a constant capacity
fn json_text(value: &impl serde::Serialize, compact: bool) -> String {
    let mut out = Vec::with_capacity(4096);
    let written = if compact {
        serde_json::to_writer(&mut out, value)
    } else {
        let mut ser =
            serde_json::Serializer::with_formatter(&mut out, serde_json::ser::PrettyFormatter::new());
        value.serialize(&mut ser)
    };
    if let Err(e) = written {
        return serde_json::json!({ "Error": e.to_string() }).to_string();
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
fn work(jobs: &Jobs, window: &Window, tx: &mpsc::Sender<(u64, Done)>, plan: &Plan) {
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
        if tx.send((i, process(job, plan))).is_err() {
            break;
        }
    }
}

fn run(a: Args) -> ExitCode {
    let Args {
        mode,
        recursive,
        extensions,
        inputs,
        stats: with_stats,
        threads,
        limits,
        selection,
        no_composite,
        out: out_args,
    } = a;
    // -csv, -T and -b pick their columns from the tags named, after ExifTool's choice
    // among duplicates (as ExifTool does without -a): the selection is theirs to apply.
    let tables = matches!(out_args.format, Format::Csv | Format::Tab | Format::Binary);
    let selection = if tables { Selection::new() } else { selection };
    let mut options = metasift::Options::default().with_limits(limits).with_selection(selection);
    options.composite = !no_composite;
    let on_s3 = inputs.iter().any(|i| matches!(i, args::Input::Path(p) if p.to_str().is_some_and(s3::is_s3)));
    #[cfg(not(feature = "s3"))]
    if on_s3 {
        eprintln!("metasift: cannot read s3:// inputs: {}", s3::NO_FEATURE);
        return ExitCode::from(2);
    }
    // Extractions from S3 wait on requests: many at once, whatever the number of cores.
    let threads = threads.unwrap_or(if on_s3 { s3::CONCURRENCY } else { args::default_threads() });
    let format = out_args.format;
    let to_files = out_args.write_dir.is_some();
    let groups = matches!(mode, Mode::ExifTool(o) if o.groups);
    let mut table = CsvTable::new(groups, out_args.tags.clone());
    let plan = Arc::new(Plan { mode, with_stats, options, out: out_args });
    let single_file =
        matches!(inputs.as_slice(), [args::Input::Path(p)] if input::is_remote(p) || p.is_file());
    let mut progress = progress::Progress::new();
    // The total is counted on the side when the inputs can be listed twice (not standard
    // input, not S3, where listing costs requests).
    let countable = inputs.iter().all(|i| match i {
        args::Input::Path(p) => !p.to_str().is_some_and(s3::is_s3),
        args::Input::ListFile(_) => true,
        args::Input::Stdin | args::Input::ListStdin => false,
    });
    if progress.shown() && countable && !single_file {
        progress::count_in_background(
            Walker::new(inputs.clone(), recursive, extensions.clone()),
            progress.total_slot(),
        );
    }
    let jobs = Arc::new(Mutex::new(Walker::new(inputs, recursive, extensions).enumerate()));
    let window =
        Arc::new(Window { written: Mutex::new(0), moved: Condvar::new(), size: 4 * threads as u64 + 16 });
    let (tx, rx) = mpsc::channel::<(u64, Done)>();
    let mut workers = Vec::new();
    if single_file {
        // One named file: no thread start-up on the path of a one-shot call.
        work(&jobs, &window, &tx, &plan);
    } else {
        for _ in 0..threads {
            let (jobs, window, tx, plan) =
                (Arc::clone(&jobs), Arc::clone(&window), tx.clone(), Arc::clone(&plan));
            workers.push(std::thread::spawn(move || work(&jobs, &window, &tx, &plan)));
        }
    }
    drop(tx);
    let out = io::stdout();
    let stdout_terminal = out.is_terminal();
    let mut out = io::BufWriter::new(out.lock());
    let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
    let mut next = 0u64;
    let mut any_failed = false;
    let mut total = metasift::source::ReadStats::default();
    let mut broken_pipe = false;
    for (i, done) in rx {
        pending.insert(i, done);
        while let Some(done) = pending.remove(&next) {
            total.source_reads += done.stats.source_reads;
            total.source_bytes += done.stats.source_bytes;
            let first = next == 0;
            let written = progress.around(|| {
                let r = emit(&mut out, done, format, to_files, first, &mut table);
                // On a terminal, the output is on screen before the progress line returns.
                if stdout_terminal && out.flush().is_err() {
                    return Err(());
                }
                r
            });
            match written {
                Ok(failed) => any_failed |= failed,
                Err(()) => broken_pipe = true,
            }
            next += 1;
            progress.tick(next);
            if let Ok(mut w) = window.written.lock() {
                *w = next;
                window.moved.notify_all();
            }
            if broken_pipe {
                break;
            }
        }
        if broken_pipe {
            break;
        }
    }
    progress.finish();
    if !broken_pipe {
        let end = match format {
            _ if to_files => Ok(()),
            Format::Json if next == 0 => out.write_all(b"[]\n"),
            Format::Json => out.write_all(b"]\n"),
            Format::Csv => table.write(&mut out),
            Format::Jsonl | Format::Tab | Format::Binary => Ok(()),
        };
        broken_pipe = end.and_then(|()| out.flush()).is_err();
    }
    let status = if any_failed { ExitCode::FAILURE } else { ExitCode::SUCCESS };
    if broken_pipe {
        // The reader went away (e.g. `| head`): stop quietly, with the failures seen so far.
        std::process::exit(i32::from(any_failed));
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
    status
}

/// Writes one finished file to `out` in the chosen format: `Ok(failed)`, or `Err` when
/// standard output is gone. Failures go to standard error as ExifTool words them, except
/// in the JSON outputs, whose objects carry them.
fn emit(
    out: &mut impl Write,
    done: Done,
    format: Format,
    to_files: bool,
    first: bool,
    table: &mut CsvTable,
) -> Result<bool, ()> {
    let Done { name, payload, mut error, .. } = done;
    let written = match payload {
        Payload::Text(t) => match format {
            Format::Json => {
                out.write_all(if first { b"[" } else { b",\n" }).and_then(|()| out.write_all(t.as_bytes()))
            }
            Format::Jsonl => {
                out.write_all(t.as_bytes()).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush())
            }
            _ => out.write_all(t.as_bytes()),
        },
        Payload::Row(row) => {
            table.add(&row);
            Ok(())
        }
        Payload::Pieces(pieces) => {
            for piece in &pieces {
                match binary::write(piece, out) {
                    Ok(()) => {}
                    Err(binary::Fail::Output) => return Err(()),
                    Err(binary::Fail::Source(msg)) => {
                        error = Some(msg);
                        break;
                    }
                }
            }
            Ok(())
        }
        Payload::Nothing => Ok(()),
    };
    if written.is_err() {
        return Err(());
    }
    if let Some(e) = &error {
        if to_files || !matches!(format, Format::Json | Format::Jsonl) {
            // Flushed first so that, on one terminal, the message follows the output before it.
            let _ = out.flush();
            eprintln!("Error: {e} - {name}");
        }
    }
    Ok(error.is_some())
}

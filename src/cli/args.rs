//! Command-line arguments, parsed by hand so that ExifTool's habits (`-j -n -G`,
//! `-ext EXT`, `-@ FILE`) work next to our long options.

use std::ffi::OsString;
use std::path::PathBuf;

pub const HELP: &str = "\
metasift - read metadata from files, fast (EXIF, IPTC, XMP, QuickTime/MP4, Matroska, ...)

USAGE:
    metasift [OPTIONS] PATH...
    metasift [OPTIONS] s3://BUCKET/KEY...      (built with the `s3` feature)
    metasift [OPTIONS] -r s3://BUCKET/PREFIX/

A PATH starting with http:// or https:// is read with ranged GETs (only the parts that
hold metadata), when metasift is built with the `http` feature.

Prints one JSON array with one object per file, in input order. A file that cannot be
read gets an \"Error\" key and the batch goes on; the exit status is 1 if any file failed.

OPTIONS:
        --exiftool       ExifTool-compatible objects: \"Group:Tag\" keys with numeric
                         values, as `exiftool -json -n -G` prints them
    -G                   same as --exiftool (ExifTool habit)
        --no-groups      with --exiftool: bare tag names, as `exiftool -json -n`
    -j, -json, -n        accepted for ExifTool compatibility (output is always JSON with
                         numeric values)
    -r                   recurse into directories
    -ext EXT             only files with this extension when walking directories
                         (repeatable; case-insensitive)
    -@ FILE              read paths from FILE, one per line (`-@ -` reads standard input)
    -                    read one file from standard input (buffered, up to 1 GiB)
        --stats          add read statistics (reads and bytes that reached the file; for
                         a URL, GETs and bytes received) to each object, and a total
                         on standard error
        --threads N      worker threads (default: all cores; 24 with s3:// inputs)

S3 (feature `s3`): credentials and region come from the standard AWS chain (environment,
profile, instance or task role); AWS_ENDPOINT_URL points at another endpoint (a local
stack; path-style addressing is then used). Objects are read with ranged GETs: --stats
counts GETs as source reads. s3:// URIs may also be listed in a -@ file.

LIMITS (per file; sizes take K, M or G suffixes, in units of 1024):
        --max-bytes-read N    bytes read from the file in total (default 256M)
        --max-alloc N         largest single buffer, and largest inflated block (16M)
        --max-decompressed N  bytes inflated from compressed blocks in total (32M)
        --max-kept N          bytes of text values kept in total (16M)
        --max-value-len N     longest text value kept; longer ones are cut (1M)
        --max-tags N          most tags kept (50000)
        --max-depth N         deepest nesting of boxes, IFDs, elements (32)
    -h, --help           print this help
    -V, --version        print the version
";

/// Output shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// metasift's own schema.
    Native,
    /// ExifTool keys, with or without group prefixes.
    ExifTool { groups: bool },
}

/// Where paths come from, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
    ListFile(PathBuf),
    ListStdin,
}

#[derive(Debug)]
pub struct Args {
    pub mode: Mode,
    pub recursive: bool,
    pub extensions: Vec<String>,
    pub inputs: Vec<Input>,
    pub stats: bool,
    /// `--threads`; `None` picks a default for the inputs (see `main`).
    pub threads: Option<usize>,
    pub limits: metasift::Limits,
    /// Output options (`-csv`, `-T`, `--jsonl`, `-b`, `-w`) and the tags they print.
    pub out: crate::out_args::OutArgs,
}

pub enum Parsed {
    Run(Args),
    Help,
    Version,
}

pub fn parse(argv: impl IntoIterator<Item = OsString>) -> Result<Parsed, String> {
    let mut exiftool = false;
    let mut groups = true;
    let mut args = Args {
        mode: Mode::Native,
        recursive: false,
        extensions: Vec::new(),
        inputs: Vec::new(),
        stats: false,
        threads: None,
        limits: metasift::Limits::default(),
        out: Default::default(),
    };
    let mut it = argv.into_iter();
    let mut only_paths = false;
    while let Some(arg) = it.next() {
        let Some(s) = arg.to_str().filter(|s| !only_paths && s.starts_with('-')) else {
            args.inputs.push(Input::Path(PathBuf::from(arg)));
            continue;
        };
        if let Some(taken) = crate::out_args::flag(s, &mut it, &mut args.out) {
            taken?;
            continue;
        }
        match s {
            "--" => only_paths = true,
            "-" => args.inputs.push(Input::Stdin),
            "-h" | "--help" | "-help" => return Ok(Parsed::Help),
            "-V" | "--version" | "-ver" => return Ok(Parsed::Version),
            "--exiftool" | "-G" | "-G0" => exiftool = true,
            "--no-groups" => groups = false,
            "-j" | "-json" | "--json" | "-n" | "-a" | "-q" => {}
            "-r" | "--recursive" => args.recursive = true,
            "--stats" => args.stats = true,
            "-ext" | "--ext" | "-extension" => {
                let ext = it.next().and_then(|e| e.into_string().ok()).ok_or("-ext needs an extension")?;
                args.extensions.push(ext.trim_start_matches('.').to_ascii_lowercase());
            }
            "-@" => {
                let file = it.next().ok_or("-@ needs a file name (or - for standard input)")?;
                if file == "-" {
                    args.inputs.push(Input::ListStdin);
                } else {
                    args.inputs.push(Input::ListFile(PathBuf::from(file)));
                }
            }
            "--threads" => {
                let n = it.next().and_then(|n| n.into_string().ok()).and_then(|n| n.parse::<usize>().ok());
                args.threads = Some(n.filter(|n| *n > 0).ok_or("--threads needs a positive number")?);
            }
            "--max-bytes-read" | "--max-alloc" | "--max-decompressed" | "--max-kept" | "--max-value-len"
            | "--max-tags" | "--max-depth" => {
                let v = it.next().and_then(|v| v.into_string().ok()).and_then(|v| size(&v));
                let v = v.ok_or_else(|| format!("{s} needs a number (a K, M or G suffix is allowed)"))?;
                let l = std::mem::take(&mut args.limits);
                let small = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
                args.limits = match s {
                    "--max-bytes-read" => l.with_max_bytes_read(v),
                    "--max-alloc" => l.with_max_alloc(small(v)),
                    "--max-decompressed" => l.with_max_decompressed(v),
                    "--max-kept" => l.with_max_kept(v),
                    "--max-value-len" => l.with_max_value_len(small(v)),
                    "--max-tags" => l.with_max_tags(small(v)),
                    _ => l.with_max_depth(u32::try_from(v).unwrap_or(u32::MAX)),
                };
            }
            other => crate::out_args::tag(other, &mut args.out)?,
        }
    }
    if exiftool {
        args.mode = Mode::ExifTool { groups };
    }
    crate::out_args::check(&args.out)?;
    if args.inputs.is_empty() {
        return Err("no input files (see --help)".into());
    }
    Ok(Parsed::Run(args))
}

/// Worker threads for local files: one per core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// A size: digits with an optional K, M or G suffix (powers of 1024).
fn size(s: &str) -> Option<u64> {
    let (digits, shift) = match s.as_bytes().last()? {
        b'k' | b'K' => (&s[..s.len() - 1], 10),
        b'm' | b'M' => (&s[..s.len() - 1], 20),
        b'g' | b'G' => (&s[..s.len() - 1], 30),
        _ => (s, 0),
    };
    digits.parse::<u64>().ok()?.checked_mul(1 << shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(v: &[&str]) -> Args {
        match parse(v.iter().map(OsString::from)) {
            Ok(Parsed::Run(a)) => a,
            _ => Args {
                mode: Mode::Native,
                recursive: false,
                extensions: vec!["<failed>".into()],
                inputs: vec![],
                stats: false,
                threads: None,
                limits: metasift::Limits::default(),
                out: Default::default(),
            },
        }
    }

    #[test]
    fn exiftool_habits() {
        let a = run(&["-j", "-n", "-G", "-r", "-ext", ".JPG", "-@", "list.txt", "a.jpg"]);
        assert_eq!(a.mode, Mode::ExifTool { groups: true });
        assert!(a.recursive);
        assert_eq!(a.extensions, vec!["jpg"]);
        assert_eq!(a.inputs, vec![Input::ListFile("list.txt".into()), Input::Path("a.jpg".into())]);
    }

    #[test]
    fn rejects_unknown_options_and_empty_input() {
        assert!(parse(["--bogus"].iter().map(OsString::from)).is_err());
        assert!(parse(["--exiftool"].iter().map(OsString::from)).is_err());
    }

    #[test]
    fn limits_from_flags() {
        let a = run(&["--max-alloc", "256K", "--max-bytes-read", "1M", "--max-tags", "10", "a.jpg"]);
        let want = metasift::Limits::default()
            .with_max_alloc(256 << 10)
            .with_max_bytes_read(1 << 20)
            .with_max_tags(10);
        assert_eq!(a.limits, want);
        assert_eq!(size("2g"), Some(2 << 30));
        assert_eq!(size("12"), Some(12));
        assert_eq!(size("x1"), None);
        assert_eq!(size("99999999999G"), None);
        assert!(parse(["--max-kept", "lots", "a.jpg"].iter().map(OsString::from)).is_err());
    }
}

//! Command-line arguments, parsed by hand so that ExifTool's habits (`-j -n -G`,
//! `-ext EXT`, `-@ FILE`) work next to our long options.

use metasift::output::ExifToolOptions;
use metasift::select::Selection;
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
    -j, -json            ExifTool's JSON: tag names as keys, values as `exiftool -json -n`
                         prints them (bare names unless -G or -G1)
    -G, -G0              with family-0 groups: \"EXIF:Make\", \"XMP:Title\" (-j -n -G)
    -G1                  with family-1 groups: \"IFD0:Make\", \"XMP-dc:Title\", \"Track1:...\"
        --exiftool       same as -j -G (ExifTool keys with family-0 groups)
        --no-groups      ExifTool keys without groups, as `exiftool -json -n`
    -n, -a, -s, -S, -q, -fast, -fast2
                         accepted for ExifTool compatibility: values are always numeric
                         (-n), duplicates are kept under distinct keys as ExifTool's JSON
                         does (-a), keys are tag names (-s, -S), metasift never reads
                         image data (-fast)
    -e                   no Composite tags
    -TAG, -GROUP:TAG     print only these tags (any case; wildcards * and ?; GROUP is a
                         family-0 or family-1 group; -all, -GROUP:all), in request order
    --TAG, -x TAG        leave these tags out (same forms)
    Other ExifTool options (-X, -d, -p, -g, -G2, writing ...) are refused with an error.
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
    /// ExifTool keys: bare names, or with family-0 or family-1 group prefixes.
    ExifTool(ExifToolOptions),
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
    /// `-TAG`, `--TAG`, `-x TAG`: the tags kept.
    pub selection: Selection,
    /// `-e`: no `Composite:` tags.
    pub no_composite: bool,
    /// Output options (`-csv`, `-T`, `--jsonl`, `-b`, `-w`) and the tags they print.
    pub out: crate::out_args::OutArgs,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            mode: Mode::Native,
            recursive: false,
            extensions: Vec::new(),
            inputs: Vec::new(),
            stats: false,
            threads: None,
            limits: metasift::Limits::default(),
            selection: Selection::new(),
            no_composite: false,
            out: Default::default(),
        }
    }
}

pub enum Parsed {
    Run(Box<Args>),
    Help,
    Version,
}

/// What an option does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Help,
    Version,
    /// `--exiftool`: ExifTool keys with family-0 groups.
    ExifTool,
    /// `-j`: ExifTool keys, bare unless a `-G` option says otherwise.
    Json,
    NoGroups,
    Family0,
    Family1,
    /// Accepted: what it asks for is what metasift always does (see HELP).
    Accept,
    NoComposite,
    Recursive,
    Stats,
    Extension,
    ArgFile,
    Threads,
    Limit,
    Exclude,
    EndOfOptions,
    Stdin,
}

/// Every option metasift knows, by its exact spellings.
const OPTIONS: &[(&[&str], Act)] = &[
    (&["-h", "--help", "-help"], Act::Help),
    (&["-V", "--version", "-ver"], Act::Version),
    (&["--exiftool"], Act::ExifTool),
    (&["-j", "-json", "--json"], Act::Json),
    (&["--no-groups"], Act::NoGroups),
    (&["-G", "-G0", "-groupNames", "-groupNames0"], Act::Family0),
    (&["-G1", "-groupNames1"], Act::Family1),
    // -n: values are always numeric. -a: implied by JSON output, as in ExifTool. -s/-S:
    // JSON keys are tag names anyway. -fast: metasift never reads past the metadata.
    (&["-n", "--printConv", "-a", "-duplicates", "-q", "-quiet", "-S", "-veryShort"], Act::Accept),
    (&["-s", "-s1", "-s2", "-s3", "-short", "-fast", "-fast1", "-fast2", "-fast3", "-fast4"], Act::Accept),
    (&["-e", "--composite"], Act::NoComposite),
    (&["-r", "-r.", "--recursive", "-recurse"], Act::Recursive),
    (&["--stats"], Act::Stats),
    (&["-ext", "--ext", "-extension"], Act::Extension),
    (&["-@"], Act::ArgFile),
    (&["--threads"], Act::Threads),
    (
        &[
            "--max-bytes-read",
            "--max-alloc",
            "--max-decompressed",
            "--max-kept",
            "--max-value-len",
            "--max-tags",
            "--max-depth",
        ],
        Act::Limit,
    ),
    (&["-x", "-exclude"], Act::Exclude),
    (&["--"], Act::EndOfOptions),
    (&["-"], Act::Stdin),
];

/// ExifTool options metasift does not have (names without their leading dash, number or
/// `+`/`!` suffix): an error rather than a tag request or silence.
const UNSUPPORTED: &[&str] = &[
    "args",
    "argFormat",
    "b",
    "binary",
    "c",
    "coordFormat",
    "charset",
    "csv",
    "csvDelim",
    "d",
    "dateFormat",
    "D",
    "decimal",
    "E",
    "ex",
    "ec",
    "escapeHTML",
    "escapeXML",
    "escapeC",
    "f",
    "forcePrint",
    "g",
    "groupHeadings",
    "G",
    "groupNames",
    "H",
    "hex",
    "htmlDump",
    "htmlFormat",
    "l",
    "long",
    "L",
    "latin",
    "lang",
    "listItem",
    "p",
    "printFormat",
    "php",
    "sep",
    "separator",
    "sort",
    "struct",
    "t",
    "tab",
    "T",
    "table",
    "v",
    "verbose",
    "w",
    "textOut",
    "W",
    "tagOut",
    "Wext",
    "tagOutExt",
    "X",
    "xmlFormat",
    "ee",
    "extractEmbedded",
    "F",
    "fixBase",
    "fileOrder",
    "i",
    "ignore",
    "if",
    "m",
    "ignoreMinorErrors",
    "o",
    "out",
    "overwrite_original",
    "overwrite_original_in_place",
    "P",
    "preserve",
    "password",
    "progress",
    "scanForXMP",
    "u",
    "unknown",
    "U",
    "unknown2",
    "wm",
    "writeMode",
    "z",
    "zip",
    "k",
    "pause",
    "list",
    "listw",
    "listf",
    "listwf",
    "listg",
    "listd",
    "listx",
    "geotag",
    "globalTimeShift",
    "use",
    "delete_original",
    "restore_original",
    "api",
    "common_args",
    "config",
    "echo",
    "efile",
    "execute",
    "list_dir",
    "srcfile",
    "stay_open",
    "userParam",
    "tagsFromFile",
    "diff",
    "validate",
];

fn find_option(s: &str) -> Option<Act> {
    OPTIONS.iter().find(|(names, _)| names.contains(&s)).map(|(_, act)| *act)
}

/// The ExifTool option `name` (after its dash) spells, if metasift does not support it:
/// one-letter names match exactly (`-t` and `-T` differ), longer ones in any case.
fn unsupported(name: &str) -> bool {
    let base = name.split(['=', '<']).next().unwrap_or(name);
    let base = base.trim_end_matches(|c: char| c.is_ascii_digit() || "+!.:".contains(c));
    UNSUPPORTED.iter().any(|u| if u.len() == 1 { *u == base } else { u.eq_ignore_ascii_case(base) })
}

pub fn parse(argv: impl IntoIterator<Item = OsString>) -> Result<Parsed, String> {
    let mut json = false;
    let mut exiftool = false;
    let mut no_groups = false;
    let mut family: Option<bool> = None;
    let mut args = Args::default();
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
        let Some(act) = find_option(s) else {
            if let Some(request) = tag_argument(s, &mut args.selection)? {
                // The tags -csv, -T and -b print, in request order.
                args.out.tags.push(request.to_owned());
            }
            continue;
        };
        let mut value =
            |what: &str| it.next().and_then(|v| v.into_string().ok()).ok_or(format!("{s} needs {what}"));
        match act {
            Act::Help => return Ok(Parsed::Help),
            Act::Version => return Ok(Parsed::Version),
            Act::ExifTool => exiftool = true,
            Act::Json => json = true,
            Act::NoGroups => no_groups = true,
            Act::Family0 => family = Some(false),
            Act::Family1 => family = Some(true),
            Act::Accept => {}
            Act::NoComposite => args.no_composite = true,
            Act::Recursive => args.recursive = true,
            Act::Stats => args.stats = true,
            Act::EndOfOptions => only_paths = true,
            Act::Stdin => args.inputs.push(Input::Stdin),
            Act::Extension => {
                let ext = value("an extension")?;
                args.extensions.push(ext.trim_start_matches('.').to_ascii_lowercase());
            }
            Act::ArgFile => {
                let file = value("a file name (or - for standard input)")?;
                args.inputs.push(if file == "-" { Input::ListStdin } else { Input::ListFile(file.into()) });
            }
            Act::Threads => {
                let n = value("a positive number")?.parse::<usize>().ok().filter(|n| *n > 0);
                args.threads = Some(n.ok_or(format!("{s} needs a positive number"))?);
            }
            Act::Exclude => {
                let tag = value("a tag name")?;
                args.selection.exclude(&tag).map_err(|e| e.to_string())?;
            }
            Act::Limit => {
                let v = value("a number (a K, M or G suffix is allowed)")?;
                let v =
                    size(&v).ok_or_else(|| format!("{s} needs a number (a K, M or G suffix is allowed)"))?;
                args.limits = limit(std::mem::take(&mut args.limits), s, v);
            }
        }
    }
    // ExifTool's -j prints bare names unless -G asks for groups; --exiftool (and -G on
    // its own) have always meant family-0 groups.
    if json || exiftool || family.is_some() || no_groups {
        let groups = !no_groups && (exiftool || family.is_some());
        let family1 = groups && family == Some(true);
        args.mode = Mode::ExifTool(ExifToolOptions::default().with_groups(groups).with_family1(family1));
    }
    crate::out_args::check(&args.out)?;
    if args.inputs.is_empty() {
        return Err("no input files (see --help)".into());
    }
    Ok(Parsed::Run(Box::new(args)))
}

/// An argument starting with `-` that is not one of metasift's options: an ExifTool
/// option metasift does not support (an error), or a tag request (`-TAG`) or exclusion
/// (`--TAG`).
fn tag_argument<'s>(s: &'s str, selection: &mut Selection) -> Result<Option<&'s str>, String> {
    if let Some(tag) = s.strip_prefix("--") {
        // `--max-tagz`: a long option misspelt, not a tag (tag names have no '-').
        if tag.contains('-') && !tag.contains(':') {
            return Err(format!("unknown option {s} (see --help)"));
        }
        return selection.exclude(tag).map(|()| None).map_err(|_| format!("unknown option {s} (see --help)"));
    }
    let name = s.get(1..).unwrap_or_default();
    if let Some(rest) =
        name.strip_prefix('G').filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit() || b == b':'))
    {
        return Err(format!(
            "-G{rest} is not supported: metasift prints family 0 (-G) or family 1 (-G1) groups"
        ));
    }
    if unsupported(name) {
        return Err(format!("the ExifTool option {s} is not supported by metasift (see --help)"));
    }
    if name.contains(['=', '<']) {
        return Err(format!("{s}: metasift reads metadata; it does not write or copy tags"));
    }
    selection.request(name).map(|()| Some(name)).map_err(|_| format!("unknown option {s} (see --help)"))
}

/// `limits` with the limit named by the option `name` set to `v`.
fn limit(l: metasift::Limits, name: &str, v: u64) -> metasift::Limits {
    let small = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    match name {
        "--max-bytes-read" => l.with_max_bytes_read(v),
        "--max-alloc" => l.with_max_alloc(small(v)),
        "--max-decompressed" => l.with_max_decompressed(v),
        "--max-kept" => l.with_max_kept(v),
        "--max-value-len" => l.with_max_value_len(small(v)),
        "--max-tags" => l.with_max_tags(small(v)),
        _ => l.with_max_depth(u32::try_from(v).unwrap_or(u32::MAX)),
    }
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

    fn parsed(v: &[&str]) -> Result<Args, String> {
        match parse(v.iter().map(OsString::from))? {
            Parsed::Run(a) => Ok(*a),
            _ => Err("help or version".into()),
        }
    }

    fn run(v: &[&str]) -> Args {
        parsed(v).unwrap_or_else(|e| Args { extensions: vec![format!("<failed: {e}>")], ..Args::default() })
    }

    #[test]
    fn exiftool_habits() {
        let a = run(&["-j", "-n", "-G", "-r", "-ext", ".JPG", "-@", "list.txt", "a.jpg"]);
        assert_eq!(a.mode, Mode::ExifTool(ExifToolOptions::default()));
        assert!(a.recursive);
        assert_eq!(a.extensions, vec!["jpg"]);
        assert_eq!(a.inputs, vec![Input::ListFile("list.txt".into()), Input::Path("a.jpg".into())]);
        assert!(a.selection.is_everything());
    }

    #[test]
    fn output_modes_as_exiftool_reads_them() {
        let mode = |v: &[&str]| run(v).mode;
        assert_eq!(mode(&["a.jpg"]), Mode::Native);
        assert_eq!(mode(&["-j", "a.jpg"]), Mode::ExifTool(ExifToolOptions::bare()));
        assert_eq!(
            mode(&["-json", "-n", "-s", "-S", "-a", "a.jpg"]),
            Mode::ExifTool(ExifToolOptions::bare())
        );
        assert_eq!(mode(&["-G", "-json", "a.jpg"]), Mode::ExifTool(ExifToolOptions::default()));
        assert_eq!(mode(&["-j", "-G1", "-a", "a.jpg"]), Mode::ExifTool(ExifToolOptions::family1()));
        assert_eq!(mode(&["--exiftool", "a.jpg"]), Mode::ExifTool(ExifToolOptions::default()));
        assert_eq!(mode(&["--exiftool", "--no-groups", "a.jpg"]), Mode::ExifTool(ExifToolOptions::bare()));
        assert_eq!(mode(&["--no-groups", "a.jpg"]), Mode::ExifTool(ExifToolOptions::bare()));
        assert_eq!(mode(&["-j", "-fast2", "-q", "a.jpg"]), Mode::ExifTool(ExifToolOptions::bare()));
        assert!(run(&["-e", "a.jpg"]).no_composite);
    }

    #[test]
    fn tag_arguments_select_and_exclude() {
        let a = run(&["-j", "-EXIF:all", "-*Date*", "--File:all", "-x", "ThumbnailImage", "a.jpg"]);
        let want =
            Selection::new().with("EXIF:all").with("*Date*").without("File:all").without("ThumbnailImage");
        assert_eq!(a.selection, want);
        assert_eq!(a.inputs, vec![Input::Path("a.jpg".into())]);
        assert_eq!(run(&["--XMP-dc:all", "a.jpg"]).selection, Selection::new().without("XMP-dc:all"));
    }

    #[test]
    fn rejects_unknown_and_unsupported_options_and_empty_input() {
        for bad in [
            &["--bogus-flag", "a.jpg"][..],
            &["--exiftool"],
            &["-X", "a.jpg"],
            &["-php", "a.jpg"],
            &["-g1", "a.jpg"],
            &["-G2", "a.jpg"],
            &["-v3", "a.jpg"],
            &["-Make=Canon", "a.jpg"],
            &["-Make<Model", "a.jpg"],
            &["-Ma ke", "a.jpg"],
            &["-x"],
            &["-sort", "a.jpg"],
        ] {
            assert!(parsed(bad).is_err(), "{bad:?}");
        }
        // Unknown words after one dash are tag names, as in ExifTool.
        assert!(parsed(&["-bogus", "a.jpg"]).is_ok());
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

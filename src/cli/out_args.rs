//! The options that choose where and how results go: `-csv`, `-T`, `--jsonl`, `-b` and
//! `-w DIR/`, and the tags those outputs print. Kept apart from `args.rs` so the output
//! options grow without touching the rest of the parser.

use std::ffi::OsString;
use std::path::PathBuf;

/// The shape of standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One JSON array (the default).
    #[default]
    Json,
    /// One compact JSON object per line, flushed per file (`--jsonl`).
    Jsonl,
    /// A CSV table, header first (`-csv`).
    Csv,
    /// One tab-separated line of values per file (`-T`).
    Tab,
    /// The bytes of the selected tags (`-b`).
    Binary,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutArgs {
    pub format: Format,
    /// `-w DIR/`: one JSON file per input under DIR instead of standard output.
    pub write_dir: Option<PathBuf>,
    /// Tags named on the command line (`-Make`, `-EXIF:Make`, `-XMP:all`), in order.
    pub tags: Vec<String>,
}

/// Takes `flag` (and its value from `rest`) if it is one of the output options:
/// `Some(Ok)` when taken, `None` when it is not one of them.
pub fn flag(
    flag: &str,
    rest: &mut impl Iterator<Item = OsString>,
    out: &mut OutArgs,
) -> Option<Result<(), String>> {
    let format = match flag {
        "-csv" | "--csv" => Format::Csv,
        "-T" | "-table" | "--table" => Format::Tab,
        "--jsonl" | "-jsonl" => Format::Jsonl,
        "-b" | "-binary" | "--binary" => Format::Binary,
        "-w" | "-textOut" | "--write" => {
            let dir = rest.next().map(PathBuf::from);
            return Some(match dir {
                Some(dir) => {
                    out.write_dir = Some(dir);
                    Ok(())
                }
                None => Err("-w needs a directory (ending in /)".into()),
            });
        }
        _ => return None,
    };
    if out.format != Format::Json && out.format != format {
        return Some(Err("choose one of -csv, -T, --jsonl and -b".into()));
    }
    out.format = format;
    Some(Ok(()))
}

/// Checks the combination once every argument is read.
pub fn check(out: &OutArgs) -> Result<(), String> {
    if out.format == Format::Binary && out.tags.is_empty() {
        return Err("-b needs the tag to write, e.g. -b -ThumbnailImage".into());
    }
    if let Some(dir) = &out.write_dir {
        if !matches!(out.format, Format::Json | Format::Jsonl) {
            return Err("-w writes JSON files: it cannot be combined with -csv, -T or -b".into());
        }
        if !out.tags.is_empty() {
            return Err("-w writes every tag: tag names are not supported with it".into());
        }
        let named_as_dir = dir.as_os_str().to_str().is_some_and(|d| d.ends_with('/'));
        if !named_as_dir && !dir.is_dir() {
            return Err(format!(
                "-w takes a directory (end it with / to have it created): {}; \
                 ExifTool's -w EXT and %d%f forms are not supported",
                dir.display()
            ));
        }
    }
    Ok(())
}

/// Help lines for these options.
pub const HELP: &str = "\
OUTPUTS (ExifTool keys; -G puts the group before each name):
    -csv                 one CSV table: a header row, one row per file, columns as
                         `exiftool -csv` orders them (all rows are kept until the end)
    -T                   one tab-separated line of values per file, `-` for a missing tag,
                         as `exiftool -T`; with -G the columns' groups come first
    -TAG, -GROUP:TAG     the tags -csv, -T and -b print (-XMP:all: every XMP tag)
    -b -TAG              write the bytes of a binary tag to standard output, e.g.
                         `metasift -b -ThumbnailImage photo.jpg > thumb.jpg`
        --jsonl          one compact JSON object per line, flushed per file (streaming)
    -w DIR/              write one JSON file per input under DIR (DIR/<input path>.json,
                         as the input was named, without `..` or a leading /); never
                         outside DIR, through no symbolic link; nothing on standard output
";

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &[&str]) -> Result<OutArgs, String> {
        let mut out = OutArgs::default();
        let mut it = v.iter().map(OsString::from);
        while let Some(a) = it.next() {
            let a = a.to_string_lossy().into_owned();
            match flag(&a, &mut it, &mut out) {
                Some(r) => r?,
                // args.rs reads tag names; here they only need to be collected.
                None => out.tags.push(a.trim_start_matches('-').to_owned()),
            }
        }
        check(&out).map(|()| out)
    }

    #[test]
    fn formats_tags_and_their_checks() {
        let a = parse(&["-csv", "-Make", "-EXIF:Model", "-XMP-dc:all"]).unwrap_or_default();
        assert_eq!(a.format, Format::Csv);
        assert_eq!(a.tags, vec!["Make", "EXIF:Model", "XMP-dc:all"]);
        assert!(parse(&["-b"]).is_err());
        assert!(parse(&["-csv", "-T"]).is_err());
        assert!(parse(&["-w"]).is_err());
        assert!(parse(&["-w", "out/", "-csv"]).is_err());
        assert!(parse(&["-w", "/nonexistent-dir-for-metasift"]).is_err());
        assert!(parse(&["-w", "out/"]).is_ok());
    }
}

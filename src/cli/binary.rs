//! `-b -TAG`: the bytes of a tag, as `exiftool -b` writes them. A binary value is a
//! reference (offset and length) into the file, so the bytes are copied from there in
//! bounded pieces when the file's turn comes to be written: nothing is held in memory.

use metasift::model::BinaryRef;
use metasift::{Metadata, Value};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// What one file writes: text values as they are, binary ones as ranges of a file.
pub enum Piece {
    Text(String),
    /// A range of a file; with the tag's name when the data must be a JPEG image.
    Range(PathBuf, BinaryRef, Option<String>),
    /// A range of standard input, already buffered.
    Bytes(Vec<u8>),
}

/// Where a file's binary data can be read again.
pub enum From<'a> {
    /// A local file, by path.
    Path(&'a Path),
    /// Standard input, buffered.
    Stdin(&'a [u8]),
    /// A URL or an S3 object: not read again for `-b`.
    Remote,
}

/// The values `tags` name in `meta` (`Name` or `Group:Name`, case-insensitive; of several
/// tags with one name, the one its bare-name JSON shows), in the order asked.
pub fn pick(meta: &Metadata, tags: &[String], from: From<'_>) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    for wanted in tags {
        let (group, name) = match wanted.rsplit_once(':') {
            Some((g, n)) => (Some(g), n),
            None => (None, wanted.as_str()),
        };
        let mut best: Option<&metasift::Tag> = None;
        for tag in &meta.tags {
            let named = tag.name.eq_ignore_ascii_case(name)
                && group.is_none_or(|g| tag.group.eq_ignore_ascii_case(g));
            if named && best.is_none_or(|b| tag.priority > b.priority) {
                best = Some(tag);
            }
        }
        let Some(tag) = best else { continue };
        let jpeg = JPEG_TAGS.iter().any(|t| tag.name.eq_ignore_ascii_case(t)).then(|| tag.name.to_string());
        out.push(match &tag.value {
            // Offset 0: the bytes were decoded or derived (base64, inside a compressed or
            // relative block), so the file does not hold them as they are.
            Value::Binary(r) if r.offset == 0 || ENCODED.contains(&(tag.group, tag.name.as_str())) => {
                return Err(format!("{}:{} is not stored as plain bytes in the file", tag.group, tag.name));
            }
            Value::Binary(r) => match from {
                From::Path(p) => Piece::Range(p.to_owned(), *r, jpeg),
                From::Remote => {
                    return Err("-b reads binary data from local files and standard input only".into());
                }
                From::Stdin(stdin) => {
                    let bytes = usize::try_from(r.offset)
                        .ok()
                        .zip(usize::try_from(r.offset.saturating_add(r.length)).ok())
                        .and_then(|(a, b)| stdin.get(a..b))
                        .ok_or("the data lies outside standard input")?;
                    if let Some(name) = jpeg.filter(|_| !bytes.starts_with(&[0xFF, 0xD8])) {
                        warn_not_jpeg(&name, "-");
                        continue;
                    }
                    Piece::Bytes(bytes.to_vec())
                }
            },
            other => Piece::Text(text(other)),
        });
    }
    Ok(out)
}

/// Tags whose data is a JPEG image: like ExifTool, `-b` writes them only when they start
/// as one (sample files often hold placeholder text instead).
const JPEG_TAGS: [&str; 4] = ["ThumbnailImage", "PreviewImage", "JpgFromRaw", "OtherImage"];

/// Binary tags whose bytes the file holds encoded (a Vorbis comment's base64 `COVERART`).
const ENCODED: [(&str, &str); 1] = [("Vorbis", "CoverArt")];

/// The warning ExifTool gives for a JPEG tag that is not one.
fn warn_not_jpeg(name: &str, file: &str) {
    eprintln!("Warning: {name} is not a valid JPEG image - {file}");
}

/// A non-binary value as `-b` writes it: text as it is, numbers as JSON prints them, list
/// items joined by `, `.
fn text(v: &Value) -> String {
    match v {
        Value::Text(t) => t.to_string(),
        Value::List(items) => items.iter().map(text).collect::<Vec<_>>().join(", "),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// Why writing a piece stopped.
pub enum Fail {
    /// The data could not be read (the message says why); the batch goes on.
    Source(String),
    /// Standard output failed (a closed pipe): the run ends.
    Output,
}

/// Writes `piece` to `out`. A range is checked against the file's length first and then
/// copied through a fixed buffer, so a damaged reference cannot make us read past the end
/// or hold a large block.
pub fn write(piece: &Piece, out: &mut impl Write) -> Result<(), Fail> {
    let range = match piece {
        Piece::Text(t) => return out.write_all(t.as_bytes()).map_err(|_| Fail::Output),
        Piece::Bytes(b) => return out.write_all(b).map_err(|_| Fail::Output),
        Piece::Range(path, r, jpeg) => (path, r, jpeg),
    };
    let (path, r, jpeg) = range;
    let source = |e: io::Error| Fail::Source(e.to_string());
    let mut file = File::open(path).map_err(source)?;
    let len = file.metadata().map_err(source)?.len();
    if r.offset.checked_add(r.length).is_none_or(|end| end > len) {
        return Err(Fail::Source(format!(
            "the data ({} bytes at offset {}) lies past the end of the file",
            r.length, r.offset
        )));
    }
    file.seek(SeekFrom::Start(r.offset)).map_err(source)?;
    if let Some(name) = jpeg {
        let mut head = [0u8; 2];
        let is_jpeg = r.length >= 2 && file.read_exact(&mut head).is_ok() && head == [0xFF, 0xD8];
        if !is_jpeg {
            warn_not_jpeg(name, &path.display().to_string());
            return Ok(());
        }
        file.seek(SeekFrom::Start(r.offset)).map_err(source)?;
    }
    let mut left = r.length;
    let mut buf = [0u8; 64 * 1024];
    while left > 0 {
        let want = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        let chunk = buf.get_mut(..want).unwrap_or_default();
        let n = file.read(chunk).map_err(source)?;
        if n == 0 {
            return Err(Fail::Source("the file shrank while being read".into()));
        }
        out.write_all(chunk.get(..n).unwrap_or_default()).map_err(|_| Fail::Output)?;
        left -= n as u64;
    }
    Ok(())
}

//! The crates our design first named, run next to metasift on the same files.
//!
//! Each peer reads the file through [`Counting`], a `Read + Seek` wrapper that counts the
//! bytes the file actually gave (under any `BufReader` the crate needs, so buffering counts
//! as read); metasift reads through the same wrapper via [`metasift::extract_with`].
//! Used by the criterion bench (`benches/peers.rs`) and by `peer_report`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::disallowed_methods)]

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A reader that counts the bytes it returns.
pub struct Counting<R> {
    inner: R,
    len: u64,
    read: Arc<AtomicU64>,
}

impl Counting<File> {
    /// Opens `path`; the counter is shared so it can be read after the reader is consumed.
    pub fn open(path: &Path, read: Arc<AtomicU64>) -> io::Result<Self> {
        let inner = File::open(path)?;
        let len = inner.metadata()?.len();
        Ok(Counting { inner, len, read })
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

impl<R: Read + Seek + Send + Sync> symphonia::core::io::MediaSource for Counting<R> {
    fn is_seekable(&self) -> bool {
        true
    }
    fn byte_len(&self) -> Option<u64> {
        Some(self.len)
    }
}

/// A reader under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Peer {
    Metasift,
    KamadakExif,
    Mp4,
    Matroska,
    Lopdf,
    Zip,
    Symphonia,
}

impl Peer {
    pub const ALL: [Peer; 7] = [
        Peer::Metasift,
        Peer::KamadakExif,
        Peer::Mp4,
        Peer::Matroska,
        Peer::Lopdf,
        Peer::Zip,
        Peer::Symphonia,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Peer::Metasift => "metasift",
            Peer::KamadakExif => "kamadak-exif",
            Peer::Mp4 => "mp4",
            Peer::Matroska => "matroska",
            Peer::Lopdf => "lopdf",
            Peer::Zip => "zip",
            Peer::Symphonia => "symphonia",
        }
    }

    pub fn from_name(name: &str) -> Option<Peer> {
        Peer::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Runs the reader on `path` through a [`Counting`] reader; returns a short summary of
    /// what it found (so the work cannot be optimised away) or its error.
    pub fn run(self, path: &Path, read: &Arc<AtomicU64>) -> Result<usize, String> {
        let r = Counting::open(path, read.clone()).map_err(|e| e.to_string())?;
        match self {
            Peer::Metasift => metasift::extract(r).map(|m| m.tags.len()).map_err(|e| e.to_string()),
            Peer::KamadakExif => {
                let mut br = BufReader::new(r);
                let exif = exif::Reader::new().read_from_container(&mut br).map_err(|e| e.to_string())?;
                Ok(exif.fields().count())
            }
            Peer::Mp4 => {
                let len = r.len;
                let mp4 = mp4::Mp4Reader::read_header(BufReader::new(r), len).map_err(|e| e.to_string())?;
                Ok(mp4.tracks().len() + mp4.duration().as_millis() as usize)
            }
            Peer::Matroska => {
                let mkv = matroska::Matroska::open(BufReader::new(r)).map_err(|e| e.to_string())?;
                Ok(mkv.tracks.len() + mkv.tags.len() + mkv.attachments.len())
            }
            Peer::Lopdf => {
                let doc = lopdf::Document::load_from(BufReader::new(r)).map_err(|e| e.to_string())?;
                let info = doc.trailer.get(b"Info").ok().and_then(|i| i.as_reference().ok());
                Ok(doc.get_pages().len() + usize::from(info.is_some()))
            }
            Peer::Zip => {
                let mut zip = zip::ZipArchive::new(BufReader::new(r)).map_err(|e| e.to_string())?;
                let mut n = zip.len();
                for part in ["docProps/core.xml", "docProps/app.xml"] {
                    if let Ok(mut f) = zip.by_name(part) {
                        let mut s = String::new();
                        f.read_to_string(&mut s).map_err(|e| e.to_string())?;
                        n += s.len();
                    }
                }
                Ok(n)
            }
            Peer::Symphonia => symphonia_probe(r, path),
        }
    }

    /// The file extensions of the peer's family (metasift runs in every family).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Peer::Metasift => &[],
            Peer::KamadakExif => &["jpg", "jpeg", "tif", "tiff"],
            Peer::Mp4 => &["mp4"],
            Peer::Matroska => &["mkv"],
            Peer::Lopdf => &["pdf"],
            Peer::Zip => &["docx", "xlsx", "pptx"],
            Peer::Symphonia => &["mp3", "flac", "wav"],
        }
    }
}

fn symphonia_probe(r: Counting<File>, path: &Path) -> Result<usize, String> {
    use symphonia::core::formats::FormatOptions;
    use symphonia::core::formats::probe::Hint;
    use symphonia::core::io::MediaSourceStream;
    use symphonia::core::meta::MetadataOptions;
    let mss = MediaSourceStream::new(Box::new(r), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let mut fmt = symphonia::default::get_probe()
        .probe(&hint, mss, FormatOptions::default(), MetadataOptions::default())
        .map_err(|e| e.to_string())?;
    let tracks = fmt.tracks().len();
    let tags = fmt.metadata().current().map_or(0, |m| m.media.tags.len());
    Ok(tracks + tags)
}

/// The peers that read `path`'s family, by extension.
pub fn peers_for(path: &Path) -> Vec<Peer> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    Peer::ALL.into_iter().filter(|p| p.extensions().contains(&ext.as_str())).collect()
}

/// A family: one peer and the files of its formats.
pub struct Family {
    pub peer: Peer,
    pub files: Vec<PathBuf>,
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

/// Files of each peer's family under `roots` (walked recursively), by extension.
pub fn families(roots: &[PathBuf]) -> Vec<Family> {
    let mut all = Vec::new();
    for r in roots {
        walk(r, &mut all);
    }
    Peer::ALL[1..]
        .iter()
        .map(|&peer| Family {
            peer,
            files: all.iter().filter(|p| peers_for(p).contains(&peer)).cloned().collect(),
        })
        .collect()
}

/// `$METASIFT_CORPUS`, or `../shared/corpus` beside the repository.
pub fn corpus() -> PathBuf {
    std::env::var_os("METASIFT_CORPUS").filter(|v| !v.is_empty()).map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus")),
        PathBuf::from,
    )
}

/// The benchmark's files: `<corpus>/generated` (the files `benches/extract.rs` uses) plus
/// the large files of `$METASIFT_LARGE` (default `/work/large`) when present.
pub fn bench_roots(corpus: &Path) -> Vec<PathBuf> {
    let mut roots = vec![corpus.join("generated")];
    let large =
        std::env::var_os("METASIFT_LARGE").map_or_else(|| PathBuf::from("/work/large"), PathBuf::from);
    if large.is_dir() {
        roots.push(large);
    }
    roots
}

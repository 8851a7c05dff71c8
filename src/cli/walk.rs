//! Turns the command line's inputs into a lazy stream of jobs (files, list files,
//! directories walked in sorted order), so millions of paths never sit in memory at once.

use crate::args::Input;
use crate::input;
use crate::s3;
use std::collections::VecDeque;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// One file (or URL) to process, named as the user gave it.
pub enum Job {
    File(PathBuf),
    Stdin,
    /// An object on S3 (`s3://bucket/key`, or one listed under a prefix).
    S3(s3::Object),
    /// A path that could not be listed or opened; reported as a failed file.
    Failed(String, String),
}

pub struct Walker {
    inputs: VecDeque<Input>,
    lines: Option<Box<dyn Iterator<Item = std::io::Result<String>> + Send>>,
    dirs: Vec<VecDeque<PathBuf>>,
    /// The listing of an `s3://bucket/prefix/` being walked, and its URI.
    listing: Option<(String, s3::Listing)>,
    recursive: bool,
    extensions: Vec<String>,
}

impl Walker {
    pub fn new(inputs: Vec<Input>, recursive: bool, extensions: Vec<String>) -> Self {
        Walker { inputs: inputs.into(), lines: None, dirs: Vec::new(), listing: None, recursive, extensions }
    }

    fn wanted(&self, path: &Path) -> bool {
        self.wanted_ext(path.extension().and_then(|e| e.to_str()))
    }

    fn wanted_ext(&self, ext: Option<&str>) -> bool {
        self.extensions.is_empty()
            || ext.is_some_and(|e| self.extensions.iter().any(|w| w.eq_ignore_ascii_case(e)))
    }

    /// An `s3://` URI: an object is a job; a prefix (a key that is empty or ends in `/`)
    /// is listed with `-r`.
    fn open_s3(&mut self, uri: &str) -> Option<Job> {
        let (bucket, key) = match s3::parse(uri) {
            Ok(parts) => parts,
            Err(msg) => return Some(Job::Failed(uri.to_owned(), msg)),
        };
        if !key.is_empty() && !key.ends_with('/') {
            return Some(Job::S3(s3::Object { bucket, key, size: None }));
        }
        if !self.recursive {
            return Some(Job::Failed(
                uri.to_owned(),
                "an S3 prefix: add -r to read the objects under it".into(),
            ));
        }
        self.listing = Some((uri.to_owned(), s3::Listing::new(&bucket, &key)));
        None
    }

    /// A named path: a directory is listed (sorted), anything else (a URL too) is a file
    /// job.
    fn open_path(&mut self, path: PathBuf, top_level: bool) -> Option<Job> {
        if let Some(uri) = path.to_str().filter(|p| s3::is_s3(p)) {
            return self.open_s3(uri);
        }
        if input::is_remote(&path) || !path.is_dir() {
            return (top_level || self.wanted(&path)).then_some(Job::File(path));
        }
        if !top_level && !self.recursive {
            return None;
        }
        match fs::read_dir(&path) {
            Ok(rd) => {
                let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                entries.sort();
                self.dirs.push(entries.into());
                None
            }
            Err(e) => Some(Job::Failed(path.display().to_string(), e.to_string())),
        }
    }
}

impl Iterator for Walker {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        loop {
            if let Some((uri, listing)) = self.listing.as_mut() {
                match listing.next() {
                    Some(Ok(object)) => {
                        if self.wanted_ext(object.extension()) {
                            return Some(Job::S3(object));
                        }
                    }
                    Some(Err(msg)) => {
                        let uri = std::mem::take(uri);
                        self.listing = None;
                        return Some(Job::Failed(uri, msg));
                    }
                    None => self.listing = None,
                }
                continue;
            }
            if let Some(dir) = self.dirs.last_mut() {
                match dir.pop_front() {
                    Some(p) => {
                        if let Some(job) = self.open_path(p, false) {
                            return Some(job);
                        }
                    }
                    None => {
                        self.dirs.pop();
                    }
                }
                continue;
            }
            if let Some(lines) = self.lines.as_mut() {
                match lines.next() {
                    Some(Ok(line)) => {
                        let line = line.trim_end_matches('\r');
                        if line.is_empty() || line.starts_with('#') {
                            continue;
                        }
                        if let Some(job) = self.open_path(PathBuf::from(line), true) {
                            return Some(job);
                        }
                    }
                    Some(Err(e)) => {
                        self.lines = None;
                        return Some(Job::Failed("-@".into(), e.to_string()));
                    }
                    None => self.lines = None,
                }
                continue;
            }
            match self.inputs.pop_front()? {
                Input::Path(p) => {
                    if let Some(job) = self.open_path(p, true) {
                        return Some(job);
                    }
                }
                Input::Stdin => return Some(Job::Stdin),
                Input::ListFile(p) => match fs::File::open(&p) {
                    Ok(f) => self.lines = Some(Box::new(BufReader::new(f).lines())),
                    Err(e) => return Some(Job::Failed(p.display().to_string(), e.to_string())),
                },
                Input::ListStdin => self.lines = Some(Box::new(BufReader::new(std::io::stdin()).lines())),
            }
        }
    }
}

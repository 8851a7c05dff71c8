//! `-w DIR/`: one JSON file per input, under DIR and never outside it.
//!
//! The file's place mirrors the input's name as given (`photos/a.jpg` becomes
//! `DIR/photos/a.jpg.json`), keeping only its plain components: `..`, `.`, a root or a
//! drive prefix are dropped, so no name can climb out of DIR. Directories inside DIR are
//! made one at a time and a symbolic link met on the way is refused, and the file is
//! written under a fresh temporary name (created exclusively, which never follows a link)
//! and then renamed into place, which replaces a link rather than writing through it.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// Where the JSON of the input named `name` goes, relative to DIR: its plain components,
/// the last one with `.json` added. `None` when no plain component is left.
pub fn relative_path(name: &str) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Path::new(name)
        .components()
        .filter_map(|c| if let Component::Normal(p) = c { Some(p) } else { None })
        .collect();
    let last = parts.pop()?;
    let mut file = OsString::from(last);
    file.push(".json");
    let mut rel: PathBuf = parts.into_iter().collect();
    rel.push(file);
    Some(rel)
}

/// Writes `json` for the input named `name` under `dir`, returning the file's path.
pub fn sidecar(dir: &Path, name: &str, json: &[u8]) -> io::Result<PathBuf> {
    let rel = if name == "-" { Some(PathBuf::from("stdin.json")) } else { relative_path(name) };
    let rel =
        rel.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name to write under"))?;
    fs::create_dir_all(dir)?;
    let mut at = dir.to_path_buf();
    let mut parts = rel.components().peekable();
    while let Some(part) = parts.next() {
        at.push(part);
        if parts.peek().is_none() {
            break;
        }
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    format!("{} is a symbolic link: not writing through it", at.display()),
                ));
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} exists and is not a directory", at.display()),
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir(&at)?,
            Err(e) => return Err(e),
        }
    }
    let tmp = temporary(&at);
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| f.write_all(json).and_then(|()| f.flush()));
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, &at)) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(at)
}

/// A name beside `path` that no other writer uses (this process's id and a counter).
fn temporary(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut name = OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(".{}.{n}.tmp", std::process::id()));
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_only_plain_components() {
        let rel = |n: &str| relative_path(n).map(|p| p.to_string_lossy().into_owned());
        assert_eq!(rel("a.jpg").as_deref(), Some("a.jpg.json"));
        assert_eq!(rel("photos/2021/a.jpg").as_deref(), Some("photos/2021/a.jpg.json"));
        assert_eq!(rel("../../etc/passwd").as_deref(), Some("etc/passwd.json"));
        assert_eq!(rel("/etc/passwd").as_deref(), Some("etc/passwd.json"));
        assert_eq!(rel("./a/../b.jpg").as_deref(), Some("a/b.jpg.json"));
        assert_eq!(rel("..").as_deref(), None);
        assert_eq!(rel("/").as_deref(), None);
    }
}

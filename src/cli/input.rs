//! One named input, read the way its name says: a local path, or an `http(s)://` URL
//! (ranged GETs, feature `http`). The one place that tells them apart.

use std::path::Path;

/// Whether `name` is read over the network rather than from the file system. Checked
/// before any file system call, so a URL is never looked up as a path.
pub fn is_remote(name: &Path) -> bool {
    name.to_str().is_some_and(|s| url_scheme(s).is_some())
}

/// The URL scheme `s` starts with, among those the CLI reads remotely.
fn url_scheme(s: &str) -> Option<&'static str> {
    let head = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    ["https://", "http://"].into_iter().find(|scheme| head.starts_with(scheme))
}

/// Extracts metadata from a named input: a URL as such, anything else as a path.
pub fn extract(name: &Path, options: &metasift::Options) -> metasift::Result<metasift::Metadata> {
    match name.to_str().filter(|s| url_scheme(s).is_some()) {
        Some(url) => extract_url(url, options),
        None => metasift::extract_path_with(name, options),
    }
}

#[cfg(feature = "http")]
fn extract_url(url: &str, options: &metasift::Options) -> metasift::Result<metasift::Metadata> {
    metasift::remote::extract_url(url, options)
}

#[cfg(not(feature = "http"))]
fn extract_url(_url: &str, _options: &metasift::Options) -> metasift::Result<metasift::Metadata> {
    let msg = "metasift was built without the `http` feature: it cannot read URLs";
    Err(metasift::Error::new(metasift::ErrorKind::Unsupported, msg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths() {
        assert!(is_remote(Path::new("https://example.com/a.jpg")));
        assert!(is_remote(Path::new("HTTP://example.com/a.jpg")));
        assert!(!is_remote(Path::new("http:/a.jpg")));
        assert!(!is_remote(Path::new("./https://a.jpg")));
        assert!(!is_remote(Path::new("photo.jpg")));
    }
}

//! Names of remote objects as users write them: what to show in messages, and the
//! extension that hints at the format.

/// `url` without user info, query or fragment.
pub(crate) fn shown_url(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let url = url.get(..end).unwrap_or(url);
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest.get(..authority_end).and_then(|a| a.rfind('@')) {
        Some(at) => format!("{scheme}://{}", rest.get(at + 1..).unwrap_or("")),
        None => url.to_owned(),
    }
}

/// The extension of the URL path's last segment (`mp4` in `https://h/a/b.mp4?x=1`).
pub(crate) fn url_extension(url: &str) -> Option<&str> {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let path = url.get(..end)?.split_once("://").map_or(url, |(_, rest)| rest);
    let (_, path) = path.split_once('/')?;
    let name = path.rsplit('/').next()?;
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then_some(ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_secrets_and_give_their_extension() {
        assert_eq!(
            shown_url("https://u:p@h.example/a/b.MP4?X-Amz-Signature=s#f"),
            "https://h.example/a/b.MP4"
        );
        assert_eq!(shown_url("http://h/x@y.jpg"), "http://h/x@y.jpg");
        assert_eq!(url_extension("https://u:p@h.example/a/b.MP4?X-Amz-Signature=s#f"), Some("MP4"));
        assert_eq!(url_extension("https://h/dir.d/file"), None);
        assert_eq!(url_extension("https://h.example"), None);
        assert_eq!(url_extension("https://h/.hidden"), None);
        assert_eq!(url_extension("https://h/a.pdf?b=c.jpg"), Some("pdf"));
    }
}

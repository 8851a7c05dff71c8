//! Tag selection as ExifTool reads it on its command line: `TAG`, `GROUP:TAG`,
//! `GROUP:all`, `all`, wildcards (`*Date*`, `GPS?atitude`), and exclusions (`--TAG`,
//! `-x TAG`). Names and groups match without regard to case; a group matches by its
//! family-0 name (`EXIF`, `XMP`, `File`) or its family-1 name (`IFD0`, `XMP-dc`,
//! `System`).
//!
//! A [`Selection`] set on [`Options`](crate::Options) keeps only the selected tags in
//! [`Metadata::tags`](crate::Metadata), ordered as ExifTool orders them: by the first
//! request each tag matches, then in file order. The summary is still built from every
//! tag found.

use crate::model::Tag;

/// Which tags to keep: ExifTool's `-TAG` requests and `--TAG` exclusions.
///
/// ```
/// use metasift::select::Selection;
/// let sel = Selection::new().with("EXIF:all").with("*Date*").without("EXIF:ThumbnailImage");
/// let options = metasift::Options::default().with_selection(sel);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    requests: Vec<Pattern>,
    exclusions: Vec<Pattern>,
}

/// One `[GROUP:]NAME` pattern, lowercased; `None` matches anything.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    group: Option<String>,
    name: Option<String>,
}

/// Why a tag pattern was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPattern(pub String);

impl std::fmt::Display for BadPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "not a tag name: {:?} (letters, digits, '-', '_', '*', '?', with an optional GROUP: prefix)",
            self.0
        )
    }
}

impl std::error::Error for BadPattern {}

impl Selection {
    /// A selection with no requests and no exclusions: every tag.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a request (`Make`, `EXIF:all`, `*Date*`). Invalid patterns are ignored; use
    /// [`Selection::request`] to see the error.
    pub fn with(mut self, pattern: &str) -> Self {
        let _ = self.request(pattern);
        self
    }

    /// Adds an exclusion (`File:all`, `ThumbnailImage`). Invalid patterns are ignored;
    /// use [`Selection::exclude`] to see the error.
    pub fn without(mut self, pattern: &str) -> Self {
        let _ = self.exclude(pattern);
        self
    }

    /// Adds a request, or says why the pattern is not a tag name.
    pub fn request(&mut self, pattern: &str) -> Result<(), BadPattern> {
        self.requests.push(Pattern::parse(pattern)?);
        Ok(())
    }

    /// Adds an exclusion, or says why the pattern is not a tag name.
    pub fn exclude(&mut self, pattern: &str) -> Result<(), BadPattern> {
        self.exclusions.push(Pattern::parse(pattern)?);
        Ok(())
    }

    /// Whether this selection keeps every tag.
    pub fn is_everything(&self) -> bool {
        self.exclusions.is_empty() && self.requests.iter().all(|r| r.group.is_none() && r.name.is_none())
    }

    /// Whether `tag` is selected.
    pub fn matches(&self, tag: &Tag) -> bool {
        self.rank(tag).is_some()
    }

    /// The position of the first request `tag` matches (0 with no requests), or `None`
    /// when it is not selected.
    fn rank(&self, tag: &Tag) -> Option<usize> {
        let group1 = family1(tag);
        if self.exclusions.iter().any(|p| p.matches(tag.group, group1, &tag.name)) {
            return None;
        }
        if self.requests.is_empty() {
            return Some(0);
        }
        self.requests.iter().position(|p| p.matches(tag.group, group1, &tag.name))
    }

    /// Keeps the selected tags, ordered by the first request each matches, then in their
    /// order in `tags`.
    pub fn apply(&self, tags: &mut Vec<Tag>) {
        if self.is_everything() {
            return;
        }
        let mut ranked: Vec<(usize, Tag)> =
            std::mem::take(tags).into_iter().filter_map(|t| self.rank(&t).map(|r| (r, t))).collect();
        ranked.sort_by_key(|(r, _)| *r);
        tags.extend(ranked.into_iter().map(|(_, t)| t));
    }
}

impl Pattern {
    fn parse(text: &str) -> Result<Pattern, BadPattern> {
        let bad = || BadPattern(text.to_owned());
        // `TAG#` asks ExifTool for the numeric value: every value is numeric here.
        let body = text.strip_suffix('#').unwrap_or(text);
        let (group, name) = match body.rsplit_once(':') {
            Some((g, n)) => (Some(g), n),
            None => (None, body),
        };
        let valid = |s: &str| {
            !s.is_empty()
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'*' | b'?'))
        };
        if !valid(name) || group.is_some_and(|g| !valid(g)) {
            return Err(bad());
        }
        let lower = |s: &str| s.to_ascii_lowercase();
        let any = |s: &str| s == "*" || s.eq_ignore_ascii_case("all");
        Ok(Pattern {
            group: group.filter(|g| !any(g)).map(lower),
            name: Some(name).filter(|n| !any(n)).map(lower),
        })
    }

    fn matches(&self, group0: &str, group1: &str, name: &str) -> bool {
        let group_ok = self.group.as_deref().is_none_or(|g| wildcard(g, group0) || wildcard(g, group1));
        group_ok && self.name.as_deref().is_none_or(|n| wildcard(n, name))
    }
}

/// Whether `text` matches the lowercase `pattern` (`*` any run, `?` one character),
/// without regard to ASCII case. Iterative, with one backtrack point: linear in practice
/// and never recursive.
fn wildcard(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == b'?' || t.get(ti).is_some_and(|b| b.to_ascii_lowercase() == c) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).is_some_and(|rest| rest.iter().all(|&b| b == b'*'))
}

/// The tags of ExifTool's `File` group that it reads from the directory entry and puts in
/// family-1 group `System`.
const SYSTEM_TAGS: &[&str] = &[
    "FileName",
    "Directory",
    "FileSize",
    "FileModifyDate",
    "FileAccessDate",
    "FileInodeChangeDate",
    "FilePermissions",
    "FileCreateDate",
    "FileAttributes",
    "FileDeviceNumber",
    "FileInodeNumber",
    "FileHardLinks",
    "FileUserID",
    "FileGroupID",
    "FileDeviceID",
    "FileBlockSize",
    "FileBlockCount",
];

/// ExifTool's family-1 group of `tag` (`-G1`): its subgroup when it has one, `System`
/// for the file-system tags, else its family-0 group.
pub fn family1(tag: &Tag) -> &str {
    match &tag.subgroup {
        Some(g) => g,
        None if tag.group == "File" && SYSTEM_TAGS.contains(&tag.name.as_str()) => "System",
        None => tag.group,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags() -> Vec<Tag> {
        vec![
            Tag::new("File", "FileSize", 10u32),
            Tag::new("File", "FileType", "JPEG"),
            Tag::new("EXIF", "Make", "Canon").in_subgroup("IFD0"),
            Tag::new("EXIF", "DateTimeOriginal", "2021:06:15 14:30:45").in_subgroup("ExifIFD"),
            Tag::new("EXIF", "GPSLatitude", 48.8).in_subgroup("GPS"),
            Tag::new("XMP", "Make", "Canon").in_subgroup("XMP-tiff"),
            Tag::new("XMP", "CreateDate", "2021").in_subgroup("XMP-xmp"),
            Tag::new("Composite", "GPSLatitude", 48.8),
        ]
    }

    fn keys(sel: &Selection) -> Vec<String> {
        let mut t = tags();
        sel.apply(&mut t);
        t.iter().map(|t| format!("{}:{}", family1(t), t.name)).collect()
    }

    #[test]
    fn requests_keep_their_order_and_match_either_group_family() {
        let sel = Selection::new().with("make").with("*DATE*").with("System:all");
        assert_eq!(
            keys(&sel),
            [
                "IFD0:Make",
                "XMP-tiff:Make",
                "ExifIFD:DateTimeOriginal",
                "XMP-xmp:CreateDate",
                "System:FileSize"
            ]
        );
        assert_eq!(
            keys(&Selection::new().with("EXIF:all")),
            ["IFD0:Make", "ExifIFD:DateTimeOriginal", "GPS:GPSLatitude"]
        );
        assert_eq!(keys(&Selection::new().with("xmp-TIFF:all")), ["XMP-tiff:Make"]);
        assert_eq!(keys(&Selection::new().with("GPS?atitude")), ["GPS:GPSLatitude", "Composite:GPSLatitude"]);
        assert_eq!(keys(&Selection::new().with("*:Make#")), ["IFD0:Make", "XMP-tiff:Make"]);
        assert_eq!(keys(&Selection::new().with("File:all")), ["System:FileSize", "File:FileType"]);
    }

    #[test]
    fn exclusions_alone_keep_the_rest() {
        let sel = Selection::new().without("File:all").without("XMP:all").without("Composite:all");
        assert_eq!(keys(&sel), ["IFD0:Make", "ExifIFD:DateTimeOriginal", "GPS:GPSLatitude"]);
        let sel = Selection::new().with("all").without("make");
        assert_eq!(keys(&sel).len(), 6);
        assert!(Selection::new().with("all").is_everything());
        assert!(!Selection::new().with("Make").is_everything());
    }

    #[test]
    fn patterns_are_checked_and_wildcards_are_linear() {
        let mut sel = Selection::new();
        assert!(sel.request("Make=Canon").is_err());
        assert!(sel.request("").is_err());
        assert!(sel.request("EXIF:").is_err());
        assert!(sel.exclude("a b").is_err());
        assert!(wildcard("*a*b*c", "xxaxxbxxc"));
        assert!(!wildcard("*a*b*c", "xxaxxbxx"));
        assert!(wildcard("?", "x") && !wildcard("?", "") && wildcard("*", ""));
        let long = "a".repeat(5000);
        assert!(!wildcard("*a*a*a*a*b", &long));
    }
}

//! [`Text`]: the string type of tag names and text values.
//!
//! Most names and values are short (`Make`, `Canon`, `2021:06:15 14:30:45`), and one heap
//! allocation per name and per value was the largest single cost of an extraction. `Text`
//! keeps strings of up to 24 bytes inline (no allocation) and longer ones on the heap; it
//! reads like a `&str` (it dereferences to one) and serialises as a JSON string.

use compact_str::CompactString;
use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

/// Bytes a [`Text`] keeps inline.
const INLINE: usize = 24;

/// A string that keeps up to 24 bytes inline.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(CompactString);

impl Text {
    /// Text copied from `s` (inline when short).
    pub fn new(s: &str) -> Self {
        Text(CompactString::new(s))
    }

    /// Text for a string known at compile time: borrowed, never copied or allocated.
    pub const fn from_static(s: &'static str) -> Self {
        Text(CompactString::const_new(s))
    }

    /// Text of `bytes` read as UTF-8, invalid sequences replaced by U+FFFD (inline when
    /// short, with no temporary `String`).
    pub fn from_utf8_lossy(bytes: &[u8]) -> Self {
        Text(CompactString::from_utf8_lossy(bytes))
    }

    /// Text of the characters of `chars` (inline when short, with no temporary `String`).
    pub fn from_chars(chars: impl IntoIterator<Item = char>) -> Self {
        Text(chars.into_iter().collect())
    }

    /// Text written by `args` (`format_args!`), inline when short.
    pub fn from_fmt(args: fmt::Arguments<'_>) -> Self {
        let mut t = CompactString::default();
        let _ = fmt::Write::write_fmt(&mut t, args);
        Text(t)
    }

    /// The pieces of `parts` joined into one text: copied into a stack buffer and made
    /// inline when the whole fits, else into one heap buffer of the exact length (no
    /// regrowth, no temporary `String`).
    #[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
    pub(crate) fn concat(parts: &[&str]) -> Self {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if len > INLINE {
            let mut s = String::with_capacity(len);
            parts.iter().for_each(|p| s.push_str(p));
            return Text::from(s);
        }
        let mut buf = [0u8; INLINE];
        let mut at = 0;
        for p in parts {
            if let Some(dst) = buf.get_mut(at..at + p.len()) {
                dst.copy_from_slice(p.as_bytes());
            }
            at += p.len();
        }
        // Whole strings end to end are UTF-8: the check always passes.
        Text::new(std::str::from_utf8(buf.get(..at).unwrap_or_default()).unwrap_or_default())
    }

    /// Appends one character.
    pub fn push(&mut self, c: char) {
        self.0.push(c);
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Appends `s`.
    pub fn push_str(&mut self, s: &str) {
        self.0.push_str(s);
    }

    /// Shortens the text to `len` bytes (which must fall on a character boundary; a
    /// length past the end changes nothing). The memory past `len` is given back: a
    /// value cut to a limit must not keep the allocation of what was cut.
    pub fn truncate(&mut self, len: usize) {
        if self.0.is_char_boundary(len) && len < self.0.len() {
            self.0.truncate(len);
            self.0.shrink_to_fit();
        }
    }

    /// The text as a `String`.
    pub fn into_string(self) -> String {
        self.0.into_string()
    }
}

impl fmt::Write for Text {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.push_str(s);
        Ok(())
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0.as_str(), f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.as_str(), f)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Text, E> {
                Ok(Text::new(s))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Text, E> {
                Ok(Text::from(s))
            }
        }
        d.deserialize_str(V)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::new(s)
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text::new(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(CompactString::from(s))
    }
}

impl From<Cow<'_, str>> for Text {
    fn from(s: Cow<'_, str>) -> Self {
        match s {
            Cow::Borrowed(b) => Text::new(b),
            Cow::Owned(o) => Text::from(o),
        }
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.into_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.0.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.0.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.0.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.0.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.0.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.0.as_str()
    }
}

/// [`str::trim`], answered at once for the usual text that starts and ends with a visible
/// ASCII character (never whitespace).
pub(crate) fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// [`str::trim_end`], answered at once for the usual text that ends in a visible ASCII
/// character.
pub(crate) fn trim_end(s: &str) -> &str {
    match s.as_bytes().last() {
        Some(b) if b.is_ascii_graphic() => s,
        _ => s.trim_end(),
    }
}

/// What a tag name can be made from. Names are mostly string literals, which are borrowed
/// rather than copied; built names (`String`, [`Text`]) are kept as they are.
pub trait IntoName {
    /// The name as [`Text`].
    fn into_name(self) -> Text;
}

impl IntoName for &'static str {
    #[inline]
    fn into_name(self) -> Text {
        Text::from_static(self)
    }
}

impl IntoName for String {
    fn into_name(self) -> Text {
        Text::from(self)
    }
}

impl IntoName for Cow<'static, str> {
    #[inline]
    fn into_name(self) -> Text {
        match self {
            Cow::Borrowed(s) => Text::from_static(s),
            Cow::Owned(s) => Text::from(s),
        }
    }
}

impl IntoName for Text {
    #[inline]
    fn into_name(self) -> Text {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_inline_and_long_text_is_kept() {
        let short = Text::new("Canon EOS 5D Mark IV");
        assert!(!short.0.is_heap_allocated());
        assert_eq!(short, "Canon EOS 5D Mark IV");
        let long = Text::from("The Eiffel Tower seen from the Champ de Mars".to_owned());
        assert_eq!(long.len(), 44);
        assert_eq!(long.as_str(), "The Eiffel Tower seen from the Champ de Mars");
        assert_eq!(Text::from_static("Make"), Text::new("Make"));
        assert_eq!(serde_json::to_string(&short).ok().as_deref(), Some("\"Canon EOS 5D Mark IV\""));
    }

    #[test]
    fn built_without_a_temporary_string() {
        assert_eq!(Text::from_utf8_lossy(b"caf\xc3\xa9 \xff"), "café \u{fffd}");
        assert_eq!(Text::from_chars("abc".chars().rev()), "cba");
        let t = Text::from_fmt(format_args!("IPTC_0x{:02x}{:02x}", 2, 99));
        assert_eq!(t, "IPTC_0x0263");
        assert!(!t.0.is_heap_allocated());
        let mut w = Text::default();
        let _ = fmt::Write::write_str(&mut w, "1 2");
        w.push(' ');
        assert_eq!(w, "1 2 ");
    }

    #[test]
    fn concat_joins_inline_or_in_one_buffer() {
        let short = Text::concat(&["2021:06:15", " ", "12:30:45", "Z"]);
        assert_eq!(short, "2021:06:15 12:30:45Z");
        assert!(!short.0.is_heap_allocated());
        let long = Text::concat(&["2021:06:15 14:30:45", ".", "123", "+02:00"]);
        assert_eq!(long, "2021:06:15 14:30:45.123+02:00");
        assert_eq!(long.0.capacity(), long.len());
        assert_eq!(Text::concat(&[]), "");
        let exactly_inline = Text::concat(&["Île-de-France", " ", "012345678"]);
        assert_eq!(exactly_inline, "Île-de-France 012345678");
        assert!(!exactly_inline.0.is_heap_allocated());
    }

    #[test]
    fn trim_is_str_trim() {
        for s in ["", " ", "a", " a ", "a b", "\u{3000}a", "a\u{3000}", "\u{e9}t\u{e9}", "12:00 "] {
            assert_eq!(trim(s), s.trim());
        }
    }

    #[test]
    fn trim_end_matches_str_trim_end() {
        for t in ["", "a", "a ", "a\u{b}", "a\u{c}", "a\t\r\n", "a\u{a0}", "a\u{3000}", "é", " ", "\u{85}"] {
            assert_eq!(trim_end(t), t.trim_end(), "{t:?}");
        }
        for b in 0..=127u8 {
            let t = format!("x{}", char::from(b));
            assert_eq!(trim_end(&t), t.trim_end(), "{b}");
        }
    }

    #[test]
    fn truncation_keeps_characters_whole() {
        let mut t = Text::new("Île-de-France");
        t.truncate(1);
        assert_eq!(t, "Île-de-France", "1 is inside 'Î': nothing is cut");
        t.truncate(2);
        assert_eq!(t, "Î");
        t.truncate(10);
        assert_eq!(t, "Î");
    }
}

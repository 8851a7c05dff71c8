//! The one-step readings of the usual shapes of XMP: text then an end tag, a start tag
//! without attributes, a list item. Each either finds its shape and reads it as the
//! general tokenizer would, or consumes nothing.

use super::lex::{BARE_END, find_class, is_space, lt_or_amp, unescape};
use super::{Reader, Tag};
use std::borrow::Cow;

/// The default-language attribute, as [`Reader::peek_item`] reads it (with the `>` after).
const DEFAULT_LANG: [&[u8]; 2] = [b" xml:lang='x-default'>", b" xml:lang=\"x-default\">"];

/// Character data and the end tag after it, as [`Reader::peek_simple`] finds them.
pub(in crate::meta::xmp) struct Simple<'a> {
    /// The raw (still escaped) text.
    raw: &'a str,
    /// The text holds a `&` (an entity or character reference).
    escaped: bool,
    /// The length of the text and the end tag.
    pub(in crate::meta::xmp) len: usize,
}

impl<'a> Simple<'a> {
    /// The text with its entities decoded (kept raw when one is bad).
    pub(in crate::meta::xmp) fn text(&self) -> Cow<'a, str> {
        if self.escaped {
            unescape(self.raw).unwrap_or(Cow::Borrowed(self.raw))
        } else {
            Cow::Borrowed(self.raw)
        }
    }
}

impl<'a> Reader<'a> {
    /// When character data and then the end tag `name` follow, the text and the length
    /// of both, for [`Reader::consume_simple`]; nothing is consumed.
    #[inline(always)]
    pub(in crate::meta::xmp) fn peek_simple(&self, name: &str) -> Option<Simple<'a>> {
        if self.pending_pop {
            return None;
        }
        let rest = self.s.get(self.pos..)?;
        let b = rest.as_bytes();
        // One search finds the end of the text and tells whether it holds references.
        let first = lt_or_amp(b)?;
        let escaped = b.get(first) == Some(&b'&');
        let lt = if escaped { first + 1 + memchr::memchr(b'<', b.get(first + 1..)?)? } else { first };
        let tail = b.get(lt..)?.strip_prefix(b"</")?.strip_prefix(name.as_bytes())?;
        let spaces = tail.iter().take_while(|&&c| is_space(c)).count();
        if tail.get(spaces) != Some(&b'>') {
            return None;
        }
        Some(Simple { raw: rest.get(..lt)?, escaped, len: lt + 2 + name.len() + spaces + 1 })
    }

    /// Consumes what [`Reader::peek_simple`] found: the text and the end tag, whose scope
    /// closes.
    pub(in crate::meta::xmp) fn consume_simple(&mut self, len: usize) {
        self.pos = self.pos.saturating_add(len).min(self.s.len());
        self.pop_scope();
    }

    /// When only text (white space, or anything meaningless where children are expected)
    /// and the end tag `end` follow, consumes both and returns true; else consumes nothing.
    #[inline(always)]
    pub(in crate::meta::xmp) fn skip_to_end(&mut self, end: &str) -> bool {
        match self.peek_simple(end) {
            Some(simple) => {
                self.consume_simple(simple.len);
                true
            }
            None => false,
        }
    }

    /// When optional white space and then a start tag without attributes (`<name>`)
    /// follow, the tag's name and the length of both, for [`Reader::consume_start`];
    /// nothing is consumed.
    #[inline(always)]
    pub(in crate::meta::xmp) fn peek_start(&self) -> Option<(&'a str, usize)> {
        let (rest, lt, gt) = self.peek_tag_name()?;
        if rest.as_bytes().get(gt) != Some(&b'>') {
            return None;
        }
        Some((rest.get(lt + 1..gt)?, gt + 1))
    }

    /// When optional white space and then a start tag's `<` and non-empty name follow:
    /// the rest of the input and, in it, the offsets of the `<` and of the byte after the
    /// name. The name runs to `>` or a space; anything that makes the tag another kind
    /// (`/`, `?`, `!`...) stops the search. Nothing is consumed.
    #[inline(always)]
    fn peek_tag_name(&self) -> Option<(&'a str, usize, usize)> {
        if self.pending_pop {
            return None;
        }
        let rest = self.s.get(self.pos..)?;
        let b = rest.as_bytes();
        let lt = b.iter().position(|&c| !is_space(c))?;
        if b.get(lt) != Some(&b'<') {
            return None;
        }
        let end = lt + 1 + find_class(b.get(lt + 1..)?, BARE_END)?;
        (end > lt + 1).then_some((rest, lt, end))
    }

    /// Consumes what [`Reader::peek_start`] found: the white space and the start tag,
    /// whose (attribute-less) scope opens.
    pub(in crate::meta::xmp) fn consume_start(&mut self, len: usize) {
        self.pos = self.pos.saturating_add(len).min(self.s.len());
        self.attrs.clear();
        self.open_scope();
    }

    /// When optional white space and then a list item's usual start tag follow (without
    /// attributes, or with the default language alone: `<rdf:li xml:lang='x-default'>`),
    /// the tag and the length of both, for [`Reader::consume_item`]; nothing is consumed.
    #[inline(always)]
    pub(in crate::meta::xmp) fn peek_item(&self) -> Option<(Tag<'a>, usize)> {
        let (rest, lt, end) = self.peek_tag_name()?;
        let name = rest.get(lt + 1..end)?;
        let tail = rest.as_bytes().get(end..)?;
        if tail.first() == Some(&b'>') {
            return Some((Tag { name, attrs: "" }, end + 1));
        }
        let attrs = DEFAULT_LANG.iter().find(|a| tail.starts_with(a))?.len() - 1;
        Some((Tag { name, attrs: rest.get(end..end + attrs)? }, end + attrs + 1))
    }

    /// Consumes what [`Reader::peek_item`] found: the white space and the start tag, whose
    /// scope opens (its attributes read as [`Reader::next`] reads them).
    pub(in crate::meta::xmp) fn consume_item(&mut self, tag: &Tag<'a>, len: usize) {
        self.pos = self.pos.saturating_add(len).min(self.s.len());
        self.attrs.clear();
        if !tag.attrs.is_empty() {
            self.attrs.push(("xml:lang", "x-default"));
        }
        // `xml:lang` declares no prefix.
        self.level = self.level.saturating_add(1);
    }
}

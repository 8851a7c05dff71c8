//! A small XML tokenizer for XMP packets: elements, attributes, text and CDATA as borrowed
//! slices of the packet (comments, processing instructions and DOCTYPE skipped), entity
//! decoding for the predefined and numeric entities, and `xmlns` prefix scoping on a small
//! stack. Tolerant: end tags need not match (each closes the innermost open scope).
//!
//! This file holds the reader and its general tokenizer; `lex` the byte-level searches,
//! names, attributes and entities; `peek` the one-step readings of the usual shapes.

mod lex;
mod peek;

use super::names::{Ns, classify};
use crate::base::scan::first_of;
use crate::error::{Error, Result};
use lex::{Attrs, KEY_END, NAME_END, find_class, is_space, pi_end, text_len};
pub(super) use lex::{split_name, unescape};

/// At most this many namespace bindings are in scope at once (further ones are ignored).
const MAX_BINDINGS: usize = 512;
/// At most this many declarations are remembered for out-of-scope prefixes.
const MAX_DECLARED: usize = 256;

/// One piece of the document.
pub(super) enum Event<'a> {
    /// A start tag.
    Start(Tag<'a>),
    /// An empty-element tag (`<a/>`).
    Empty(Tag<'a>),
    /// An end tag (its name).
    End(&'a str),
    /// Character data, still escaped.
    Text(&'a str),
    /// A CDATA section's content.
    CData(&'a str),
    /// The end of the input.
    Eof,
}

/// A start or empty-element tag.
#[derive(Clone, Copy)]
pub(super) struct Tag<'a> {
    /// The qualified name.
    pub(super) name: &'a str,
    /// The raw attribute text after the name.
    pub(super) attrs: &'a str,
}

/// What a name's prefix is bound to.
pub(super) enum Resolved<'a> {
    /// A namespace, as [`classify`] sees its URI (worked out once, when the binding
    /// was declared; `xml` and `xmlns` are bound implicitly).
    Bound(Class),
    /// No namespace.
    Unbound,
    /// A prefix with no binding in scope.
    Unknown(&'a str),
}

/// A namespace's kind and usual prefix, as [`classify`] gives them.
pub(super) type Class = (Ns, Option<&'static str>);

/// A namespace binding in scope.
struct Binding<'a> {
    prefix: &'a str,
    uri: &'a str,
    class: Class,
    /// The element level that declared it.
    level: u32,
}

/// The tokenizer with namespace scoping.
pub(super) struct Reader<'a> {
    s: &'a str,
    pos: usize,
    /// Bindings in scope, innermost last.
    ns: Vec<Binding<'a>>,
    /// Every prefixed declaration met so far, in document order (at most [`MAX_DECLARED`]).
    declared: Vec<(&'a str, Class)>,
    level: u32,
    /// The last event was an empty-element tag whose scope closes before the next event.
    pending_pop: bool,
    /// The content of the CDATA section just read.
    cdata: Option<&'a str>,
    /// The attributes of the last start or empty-element tag read, parsed once for the
    /// namespace declarations and the parser alike (valid until the next tag).
    attrs: Vec<(&'a str, &'a str)>,
}

impl<'a> Reader<'a> {
    /// A reader over a whole document.
    #[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
    pub(super) fn new(s: &'a str) -> Self {
        Reader {
            s,
            pos: 0,
            ns: Vec::with_capacity(16),
            declared: Vec::with_capacity(16),
            level: 0,
            pending_pop: false,
            cdata: None,
            attrs: Vec::with_capacity(8),
        }
    }

    /// The byte offset reached.
    pub(super) fn position(&self) -> u64 {
        self.pos as u64
    }

    fn err(&self, msg: &str) -> Error {
        Error::malformed(self.pos as u64, format!("xmp: {msg}"))
    }

    /// Opens the scope of a tag: parses its attributes and binds the prefixes it declares.
    fn push_scope(&mut self, attrs: &'a str) {
        self.attrs.clear();
        if !attrs.is_empty() {
            self.attrs.extend(Attrs { rest: attrs });
        }
        self.open_scope();
    }

    /// Opens the scope of a tag whose attributes are in `self.attrs`: binds the prefixes
    /// they declare.
    #[inline]
    fn open_scope(&mut self) {
        self.level = self.level.saturating_add(1);
        if !self.attrs.is_empty() {
            self.declare_attrs();
        }
    }

    /// Binds the prefixes that the attributes in `self.attrs` declare.
    fn declare_attrs(&mut self) {
        for i in 0..self.attrs.len() {
            if let Some(&(key, uri)) = self.attrs.get(i) {
                self.declare(key, uri);
            }
        }
    }

    /// Binds the prefix of attribute `key` to `uri` when it is an `xmlns` declaration.
    fn declare(&mut self, key: &'a str, uri: &'a str) {
        let prefix = if key == "xmlns" {
            ""
        } else if let Some(p) = key.strip_prefix("xmlns:") {
            p
        } else {
            return;
        };
        let class = classify(uri.as_bytes());
        if self.ns.len() < MAX_BINDINGS {
            self.ns.push(Binding { prefix, uri, class, level: self.level });
        }
        if !prefix.is_empty() && self.declared.len() < MAX_DECLARED {
            self.declared.push((prefix, class));
        }
    }

    /// The attributes of the last start or empty-element tag, as (qualified name, raw
    /// value) pairs.
    pub(super) fn attributes(&self) -> &[(&'a str, &'a str)] {
        &self.attrs
    }

    /// Attribute `i` of the last start or empty-element tag.
    pub(super) fn attribute(&self, i: usize) -> Option<(&'a str, &'a str)> {
        self.attrs.get(i).copied()
    }

    /// What the last declaration of `prefix` anywhere so far bound it to (a fallback for
    /// prefixes used out of scope, e.g. after a stray end tag closed a scope early).
    pub(super) fn last_declared(&self, prefix: &str) -> Option<Class> {
        self.declared.iter().rev().find(|d| d.0 == prefix).map(|d| d.1)
    }

    fn pop_scope(&mut self) {
        self.level = self.level.saturating_sub(1);
        while self.ns.last().is_some_and(|b| b.level > self.level) {
            self.ns.pop();
        }
    }

    /// Resolves the prefix of an element name (`attr` false) or attribute name.
    /// Returns the binding, the prefix as written and the local name.
    pub(super) fn resolve(&self, name: &'a str, attr: bool) -> (Resolved<'a>, Option<&'a str>, &'a str) {
        let (prefix, local) = split_name(name);
        let res = match prefix {
            None if attr => Resolved::Unbound,
            Some("xml") => Resolved::Bound((Ns::Xml, None)),
            Some("xmlns") => Resolved::Bound((Ns::Other, None)),
            p => {
                let want = p.unwrap_or("");
                let first = want.as_bytes().first();
                match self.ns.iter().rev().find(|b| b.prefix.as_bytes().first() == first && b.prefix == want)
                {
                    Some(b) if !b.uri.is_empty() => Resolved::Bound(b.class),
                    Some(_) => Resolved::Unbound,
                    None if p.is_none() => Resolved::Unbound,
                    None => Resolved::Unknown(want),
                }
            }
        };
        (res, prefix, local)
    }

    /// The next event.
    pub(super) fn next(&mut self) -> Result<Event<'a>> {
        self.event(true)
    }

    /// The next event that is not character data (text between elements is skipped).
    pub(super) fn next_markup(&mut self) -> Result<Event<'a>> {
        self.event(false)
    }

    fn event(&mut self, keep_text: bool) -> Result<Event<'a>> {
        if self.pending_pop {
            self.pending_pop = false;
            self.pop_scope();
        }
        loop {
            let pos = self.pos;
            let rest = self.s.as_bytes().get(pos..).unwrap_or(&[]);
            let Some(&first) = rest.first() else {
                return Ok(Event::Eof);
            };
            if first != b'<' {
                let end = text_len(rest);
                self.pos += end;
                if !keep_text {
                    continue;
                }
                return Ok(Event::Text(self.s.get(pos..pos + end).unwrap_or("")));
            }
            match rest.get(1) {
                Some(b'/') => {
                    let Some(end) = first_of(rest, b'>', b'>') else {
                        return Err(self.err("unclosed end tag"));
                    };
                    self.pos += end + 1;
                    self.pop_scope();
                    let name = self.s.get(pos + 2..pos + end).unwrap_or("");
                    // White space before the '>' is rare: trim only when there is some.
                    let spaced = name.as_bytes().last().is_some_and(|&c| is_space(c));
                    return Ok(Event::End(if spaced {
                        name.trim_end_matches([' ', '\t', '\r', '\n'])
                    } else {
                        name
                    }));
                }
                Some(b'?') => {
                    let Some(end) = pi_end(rest.get(2..).unwrap_or(&[])) else {
                        return Err(self.err("unclosed processing instruction"));
                    };
                    self.pos += end + 4;
                    continue;
                }
                Some(b'!') => {
                    self.pos += self.declaration(rest)?;
                    if let Some(text) = self.cdata.take() {
                        return Ok(Event::CData(text));
                    }
                    continue;
                }
                _ => {}
            }
            // A start or empty-element tag: its name, then the attributes if any.
            let name_len = find_class(rest.get(1..).unwrap_or_default(), NAME_END)
                .unwrap_or(rest.len().saturating_sub(1));
            // The usual shapes are read in one pass: no attributes, or well-formed ones.
            let quick = match rest.get(1 + name_len) {
                Some(b'>') => {
                    self.attrs.clear();
                    Some(1 + name_len)
                }
                Some(&c) if is_space(c) => self.read_attrs(pos + 1 + name_len).map(|gt| gt - pos),
                _ => None,
            };
            let end = match quick {
                Some(end) => end,
                None => self.tag_end(rest, 1 + name_len)?,
            };
            self.pos += end + 1;
            let body = self.s.get(pos + 1..pos + end).unwrap_or("");
            let (body, empty) = match body.strip_suffix('/') {
                Some(b) => (b, true),
                None => (body, false),
            };
            let name_end = match quick {
                Some(_) => name_len.min(body.len()),
                None => body.bytes().position(is_space).unwrap_or(body.len()),
            };
            let tag =
                Tag { name: body.get(..name_end).unwrap_or(""), attrs: body.get(name_end..).unwrap_or("") };
            if quick.is_some() {
                self.open_scope();
            } else {
                self.push_scope(tag.attrs);
            }
            if empty {
                self.pending_pop = true;
                return Ok(Event::Empty(tag));
            }
            return Ok(Event::Start(tag));
        }
    }

    /// Reads the attributes of a tag from offset `at` of the document (just after the name)
    /// to the tag's end, when they have the usual shape: `key="value"` or `key='value'`
    /// pairs, then `>` or `/>`. Returns the offset of the closing `>` with the pairs in
    /// `self.attrs` (what [`Reader::tag_end`] and [`Attrs`] would find); `None`, with no
    /// pairs kept, for any other shape.
    fn read_attrs(&mut self, at: usize) -> Option<usize> {
        self.attrs.clear();
        let end = self.scan_attrs(at);
        if end.is_none() {
            self.attrs.clear();
        }
        end
    }

    fn scan_attrs(&mut self, mut i: usize) -> Option<usize> {
        let (s, b) = (self.s, self.s.as_bytes());
        loop {
            while b.get(i).is_some_and(|&c| is_space(c)) {
                i += 1;
            }
            match b.get(i)? {
                b'>' => return Some(i),
                b'/' => return (b.get(i + 1) == Some(&b'>')).then_some(i + 1),
                _ => {}
            }
            let key = i;
            i += b.get(i..).and_then(|t| find_class(t, KEY_END)).unwrap_or(b.len().saturating_sub(i));
            let quote = *b.get(i + 1)?;
            if i == key || b.get(i) != Some(&b'=') || (quote != b'"' && quote != b'\'') {
                return None;
            }
            let close = i + 2 + memchr::memchr(quote, b.get(i + 2..)?)?;
            self.attrs.push((s.get(key..i)?, s.get(i + 2..close)?));
            i = close + 1;
        }
    }

    /// The offset of the `>` that ends the tag at the start of `rest`, searched from `from`
    /// (a `>` inside a quoted value does not end it).
    fn tag_end(&self, rest: &[u8], from: usize) -> Result<usize> {
        let mut i = from;
        loop {
            let Some(j) = rest.get(i..).and_then(|t| memchr::memchr3(b'>', b'"', b'\'', t)) else {
                return Err(self.err("unclosed tag"));
            };
            let at = i + j;
            match rest.get(at) {
                Some(&q @ (b'"' | b'\'')) => {
                    let Some(k) = rest.get(at + 1..).and_then(|t| memchr::memchr(q, t)) else {
                        return Err(self.err("unclosed tag"));
                    };
                    i = at + 1 + k + 1;
                }
                _ => return Ok(at),
            }
        }
    }

    /// The length of a `<!...` construct at the start of `rest` (comment, CDATA section
    /// whose content is left in `self.cdata`, DOCTYPE or other declaration).
    fn declaration(&mut self, rest: &[u8]) -> Result<usize> {
        let pos = self.pos;
        if rest.starts_with(b"<!--") {
            let Some(end) = memchr::memmem::find(rest.get(4..).unwrap_or(&[]), b"-->") else {
                return Err(self.err("unclosed comment"));
            };
            return Ok(end + 7);
        }
        if rest.starts_with(b"<![CDATA[") {
            let Some(end) = memchr::memmem::find(rest.get(9..).unwrap_or(&[]), b"]]>") else {
                return Err(self.err("unclosed CDATA section"));
            };
            self.cdata = Some(self.s.get(pos + 9..pos + 9 + end).unwrap_or(""));
            return Ok(end + 12);
        }
        // DOCTYPE or another declaration: skip it, with its internal subset.
        let mut depth = 0u32;
        for (i, &b) in rest.iter().enumerate().skip(2) {
            match b {
                b'[' => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                b'>' if depth == 0 => return Ok(i + 1),
                _ => {}
            }
        }
        Err(self.err("unclosed declaration"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// All events of a document as short strings (or the error).
    fn events(s: &str) -> std::result::Result<Vec<String>, String> {
        let mut r = Reader::new(s);
        let mut out = Vec::new();
        for _ in 0..100_000 {
            match r.next().map_err(|e| e.to_string())? {
                Event::Start(t) => out.push(format!("<{}|{}>", t.name, t.attrs.trim())),
                Event::Empty(t) => out.push(format!("<{}/>", t.name)),
                Event::End(n) => out.push(format!("</{n}>")),
                Event::Text(t) => out.push(format!("T{t}")),
                Event::CData(t) => out.push(format!("C{t}")),
                Event::Eof => return Ok(out),
            }
        }
        Err("no end".into())
    }

    #[test]
    fn tokens() {
        let e = events(r#"<?xpacket a="?"?><!-- c > --><!DOCTYPE x [<!ENTITY a "b">]><a x='1>2'>t<![CDATA[<&>]]><b/></a >"#)
            .unwrap_or_default();
        assert_eq!(e, ["<a|x='1>2'>", "Tt", "C<&>", "<b/>", "</a>"]);
    }

    #[test]
    fn unclosed_constructs_are_errors() {
        for s in ["<a", "<a x=\"1>", "</a", "<!-- x", "<![CDATA[x", "<?pi", "<!DOCTYPE [>"] {
            assert!(events(s).is_err(), "{s}");
        }
        // Unmatched end tags are tolerated.
        assert!(events("</x><a></b>").is_ok());
    }

    #[test]
    fn one_pass_attributes_agree_with_the_general_reading() {
        let tags = [
            r#"<a k="v" x='y z'>"#,
            r#"<a k="v"/>"#,
            r#"<a k='1>2' q="'">"#,
            "<a\n k='v'\t>",
            r#"<a k = "v" m="w">"#,
            r#"<a k="v"m='w'>"#,
            r#"<a bare x="1">"#,
            r#"<a x="1" / >"#,
            r#"<a =w u=1 x="2">"#,
            r#"<a a/b="1">"#,
            "<a >",
            "<a/>",
        ];
        for t in tags {
            let mut r = Reader::new(t);
            let Ok(Event::Start(tag) | Event::Empty(tag)) = r.next() else {
                panic!("{t}");
            };
            let general: Vec<_> = Attrs { rest: tag.attrs }.collect();
            assert_eq!(r.attributes(), general.as_slice(), "{t}");
            assert_eq!(tag.name, "a", "{t}");
        }
    }

    #[test]
    fn namespace_scopes() {
        let (dc, xmp, tiff) = (
            "http://purl.org/dc/elements/1.1/",
            "http://ns.adobe.com/xap/1.0/",
            "http://ns.adobe.com/tiff/1.0/",
        );
        let s = format!(r#"<a xmlns:p="{dc}" xmlns="{tiff}"><p:b xmlns:p="{xmp}"/><p:c/></a><p:d/>"#);
        let mut r = Reader::new(&s);
        let mut seen = Vec::new();
        while let Ok(ev) = r.next() {
            match ev {
                Event::Start(t) | Event::Empty(t) => seen.push(match r.resolve(t.name, false).0 {
                    Resolved::Bound((_, known)) => known.unwrap_or("?").to_owned(),
                    Resolved::Unbound => "-".to_owned(),
                    Resolved::Unknown(p) => format!("?{p}"),
                }),
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(seen, ["tiff", "xmp", "dc", "?p"]);
        assert!(matches!(r.resolve("xml:lang", true).0, Resolved::Bound((Ns::Xml, None))));
        assert!(matches!(r.resolve("lang", true).0, Resolved::Unbound));
    }

    #[test]
    fn deep_nesting_and_truncation() {
        let deep = "<a xmlns:p=\"u\">".repeat(20_000);
        assert!(events(&deep).is_ok());
        let sample = r#"<?xpacket begin="﻿"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="r"><rdf:Description rdf:about="" a:b="&amp;é"><a:c><![CDATA[x]]></a:c><!-- c --></rdf:Description></rdf:RDF></x:xmpmeta>"#;
        for n in 0..=sample.len() {
            if let Some(s) = sample.get(..n) {
                let _ = events(s);
            }
        }
    }
}

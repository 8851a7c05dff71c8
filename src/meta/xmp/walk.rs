//! The RDF walk: node elements, property elements, lists and structures, down to the
//! values [`Parser::emit`] records. The usual shapes (`<ns:Name>text</ns:Name>`, a list
//! property, an `<rdf:li>` item) are read in one step, with the same result as the general
//! reading.

use super::names::Ns;
use super::xml::{Event, Tag as XmlTag, split_name, unescape};
use super::{Name, Parser, Path, ROOT};
use crate::error::Result;
use std::borrow::Cow;

/// An attribute value or text with its entities decoded (kept raw when one is bad).
fn unescaped(raw: &str) -> Cow<'_, str> {
    unescape(raw).unwrap_or(Cow::Borrowed(raw))
}

/// Appends a text piece, borrowing while there is only one.
fn append<'a>(text: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if text.is_empty() {
        *text = piece;
    } else if !piece.is_empty() {
        text.to_mut().push_str(&piece);
    }
}

/// What an element's attributes say about it (RDF syntax attributes only).
#[derive(Default)]
struct Syntax<'a> {
    resource: Option<Cow<'a, str>>,
    parse_resource: bool,
    lang: Option<Cow<'a, str>>,
    about: Option<Cow<'a, str>>,
    node_id: Option<Cow<'a, str>>,
    fields: bool,
}

impl<'a> Parser<'a> {
    /// Top level: the toolkit attribute of `x:xmpmeta`, and every `rdf:RDF`.
    pub(super) fn run(&mut self) -> Result<()> {
        loop {
            match self.next_markup()? {
                Event::Start(e) => {
                    self.toolkit(&e);
                    if self.resolve(e.name, false).is_rdf("RDF") {
                        self.rdf(e.name, 1)?;
                    }
                }
                Event::Empty(e) => self.toolkit(&e),
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    fn toolkit(&mut self, e: &XmlTag<'a>) {
        let local = split_name(e.name).1;
        if local != "xmpmeta" && local != "xapmeta" {
            return;
        }
        for i in 0..self.r.attributes().len() {
            let Some((key, raw)) = self.r.attribute(i) else { break };
            if matches!(split_name(key).1, "xmptk" | "xaptk") {
                let v = unescaped(raw);
                let path = Path { top: "x", leaf: ("x", "xmptk"), ..ROOT };
                self.emit(&path, "XMPToolkit", None, &v);
            }
        }
    }

    /// The children of `rdf:RDF`: node elements.
    fn rdf(&mut self, end: &str, depth: u32) -> Result<()> {
        loop {
            match self.next_markup()? {
                Event::Start(e) => self.node(&e, false, ROOT, depth + 1)?,
                Event::Empty(e) => self.node(&e, true, ROOT, depth + 1)?,
                Event::End(x) if x == end => return Ok(()),
                Event::End(_) => self.stray_end = self.stray_end.saturating_add(1),
                Event::Eof => return Err(self.err("unexpected end inside rdf:RDF")),
                _ => {}
            }
        }
    }

    /// A node element (`rdf:Description` or a typed node): attribute properties, then
    /// property elements.
    fn node(&mut self, e: &XmlTag<'a>, empty: bool, path: Path, depth: u32) -> Result<()> {
        self.check_depth(depth)?;
        if let Some(id) = self.node_id() {
            // A shared node: buffer its values, emit them once the references are known.
            if !path.name.is_empty() {
                self.nodes.add_ref(id.clone(), path.top, path.name, path.list != 0);
            }
            let saved = self.nodes.open(&id);
            let n = self.resolve(e.name, false);
            let res = if n.is_rdf("Bag") || n.is_rdf("Seq") || n.is_rdf("Alt") {
                if empty { Ok(()) } else { self.list(e.name, Path { list: 1, ..ROOT }, depth) }
            } else {
                self.node_body(e, empty, ROOT, depth)
            };
            self.nodes.sink = saved;
            return res;
        }
        self.node_body(e, empty, path, depth)
    }

    /// The `rdf:nodeID` of the element just read, if any.
    fn node_id(&self) -> Option<String> {
        self.r.attributes().iter().find_map(|&(key, value)| {
            (key.ends_with("nodeID")
                && split_name(key).1 == "nodeID"
                && self.resolve(key, true).ns == Ns::Rdf)
                .then(|| value.to_owned())
        })
    }

    fn node_body(&mut self, e: &XmlTag<'a>, empty: bool, path: Path, depth: u32) -> Result<()> {
        let syn = self.attr_props(path);
        if path.name.is_empty() {
            if let Some(about) = syn.about.filter(|a| !a.is_empty()) {
                let p = Path { top: "rdf", leaf: ("rdf", "about"), ..ROOT };
                self.emit(&p, "About", None, &about);
            }
        }
        if empty {
            return Ok(());
        }
        self.prop_children(e.name, path, depth)
    }

    /// Property elements up to the parent's end tag.
    fn prop_children(&mut self, end: &str, path: Path, depth: u32) -> Result<()> {
        loop {
            // The usual start tag without attributes, read without the general tokenizer.
            if let Some((name, len)) = self.r.peek_start() {
                self.r.consume_start(len);
                self.start_prop(&XmlTag { name, attrs: "" }, &path, depth + 1, false)?;
                continue;
            }
            if self.r.skip_to_end(end) {
                return Ok(());
            }
            match self.next_markup()? {
                Event::Start(c) => self.start_prop(&c, &path, depth + 1, false)?,
                Event::Empty(c) => self.prop(&c, true, path, depth + 1, false)?,
                Event::End(x) if x == end => return Ok(()),
                Event::End(_) => self.stray_end = self.stray_end.saturating_add(1),
                Event::Eof => return Err(self.err("unexpected end inside a node element")),
                _ => {}
            }
        }
    }

    /// Emits the non-syntax attributes of the element just read as properties under
    /// `path`; returns the RDF syntax attributes.
    fn attr_props(&mut self, path: Path) -> Syntax<'a> {
        let mut syn = Syntax::default();
        if self.r.attributes().is_empty() {
            return syn;
        }
        // A name buffer is taken only when an attribute is a property.
        let mut name: Option<String> = None;
        for i in 0..self.r.attributes().len() {
            let Some((key, raw)) = self.r.attribute(i) else { break };
            if key.starts_with("xmlns") {
                continue;
            }
            let n = self.resolve(key, true);
            let v = unescaped(raw);
            if n.ns == Ns::Rdf {
                match n.local {
                    "resource" => syn.resource = Some(v),
                    "parseType" => syn.parse_resource = v == "Resource",
                    "about" => syn.about = Some(v),
                    "nodeID" => syn.node_id = Some(v),
                    _ => {}
                }
                continue;
            }
            if n.ns == Ns::Xml {
                if n.local == "lang" {
                    syn.lang = Some(v);
                }
                continue;
            }
            if n.ns == Ns::None && n.prefix.is_empty() {
                // Unqualified attributes are not properties ("about" is old-style rdf:about).
                if n.local == "about" {
                    syn.about = Some(v);
                }
                continue;
            }
            let group = if path.top.is_empty() { n.group() } else { path.group };
            if group.is_empty() || n.ns == Ns::Et("") {
                continue;
            }
            syn.fields = true;
            self.props += 1;
            if self.props > self.max_props {
                self.over_limit = true;
                break;
            }
            let buf = name.get_or_insert_with(|| self.name_buf());
            n.segment(path.name, buf);
            let p = n.path_under(&path, buf, group);
            self.emit(&p, buf, None, &v);
        }
        if let Some(buf) = name {
            self.recycle(buf);
        }
        syn
    }

    /// A property element (or, with `item`, an `rdf:li` list item that adds no name).
    fn prop(&mut self, e: &XmlTag<'a>, empty: bool, parent: Path, depth: u32, item: bool) -> Result<()> {
        self.count_prop(depth)?;
        let n = self.resolve(e.name, false);
        if n.is_rdf("type") && !item {
            return if empty { Ok(()) } else { self.skip(depth) };
        }
        // rdf:value carries the value of a qualified property: it takes the property's name.
        let item = item || n.is_rdf("value");
        let mut own = if item { String::new() } else { self.name_buf() };
        let path = if item {
            parent
        } else {
            let group = if parent.top.is_empty() { n.group() } else { parent.group };
            if group.is_empty() {
                return if empty { Ok(()) } else { self.skip(depth) };
            }
            n.segment(parent.name, &mut own);
            n.path_under(&parent, &own, group)
        };
        let res = self.prop_body(e, empty, path, depth);
        self.recycle(own);
        res
    }

    /// A property element (or list item, with `item`) that has content: in one step
    /// when it has the usual simple shape, else through [`Parser::prop`].
    fn start_prop(&mut self, e: &XmlTag<'a>, parent: &Path, depth: u32, item: bool) -> Result<()> {
        let simple =
            if item { self.simple_item(e, parent, depth)? } else { self.simple_prop(e, parent, depth)? };
        if simple { Ok(()) } else { self.prop(e, false, *parent, depth, item) }
    }

    /// The usual property element, `<ns:Name>text</ns:Name>` without attributes, read
    /// in one step (the same result as [`Parser::prop`]); false, with nothing consumed,
    /// for any other shape.
    fn simple_prop(&mut self, e: &XmlTag<'a>, parent: &Path, depth: u32) -> Result<bool> {
        if !e.attrs.is_empty() {
            return Ok(false);
        }
        let n = self.resolve(e.name, false);
        if n.ns == Ns::Rdf {
            return Ok(false);
        }
        let Some(simple) = self.r.peek_simple(e.name) else {
            return self.list_prop(e, &n, parent, depth);
        };
        self.count_prop(depth)?;
        self.r.consume_simple(simple.len);
        let group = if parent.top.is_empty() { n.group() } else { parent.group };
        if group.is_empty() {
            return Ok(true);
        }
        let mut own = self.name_buf();
        n.segment(parent.name, &mut own);
        let path = n.path_under(parent, &own, group);
        self.emit(&path, path.name, None, &simple.text());
        self.recycle(own);
        Ok(true)
    }

    /// The usual list property, `<ns:Name><rdf:Bag>items</rdf:Bag></ns:Name>` (or
    /// `rdf:Seq`, `rdf:Alt`) without attributes on either, read with fewer steps (the same
    /// result as [`Parser::prop`]); false, with nothing consumed, for any other shape.
    fn list_prop(&mut self, e: &XmlTag<'a>, n: &Name<'a>, parent: &Path, depth: u32) -> Result<bool> {
        let group = if parent.top.is_empty() { n.group() } else { parent.group };
        if group.is_empty() {
            return Ok(false);
        }
        let Some((list_name, len)) = self.r.peek_start() else {
            return Ok(false);
        };
        let ln = self.resolve(list_name, false);
        let alt = ln.is_rdf("Alt");
        if !alt && !ln.is_rdf("Bag") && !ln.is_rdf("Seq") {
            return Ok(false);
        }
        self.count_prop(depth)?;
        self.r.consume_start(len);
        let mut own = self.name_buf();
        n.segment(parent.name, &mut own);
        let path = n.path_under(parent, &own, group);
        let res = self.list(list_name, Path { list: if alt { path.list } else { 1 }, ..path }, depth + 1);
        let res = res.and_then(|()| self.prop_end(e.name, path, depth));
        self.recycle(own);
        res.map(|()| true)
    }

    /// The rest of a property element at `path` whose child elements have begun, up to
    /// its end tag `end` (in one step when only text is left).
    fn prop_end(&mut self, end: &str, path: Path, depth: u32) -> Result<()> {
        if self.r.skip_to_end(end) {
            return Ok(());
        }
        let field_path = path.fields();
        self.prop_content(end, path, field_path, depth, true).map(|_| ())
    }

    /// A list item `<rdf:li>text</rdf:li>`, without attributes or with `xml:lang` alone,
    /// read in one step (the same result as [`Parser::prop`] for an item); false, with
    /// nothing consumed, for any other shape.
    fn simple_item(&mut self, e: &XmlTag<'a>, list: &Path, depth: u32) -> Result<bool> {
        let lang = if e.attrs.is_empty() {
            None
        } else {
            match self.r.attributes() {
                [("xml:lang", lang)] => Some(unescaped(lang)),
                _ => return Ok(false),
            }
        };
        let Some(simple) = self.r.peek_simple(e.name) else {
            return Ok(false);
        };
        self.count_prop(depth)?;
        self.r.consume_simple(simple.len);
        self.emit(list, list.name, lang.as_deref(), &simple.text());
        Ok(true)
    }

    /// The attributes and content of a property element whose flat name is `path`.
    fn prop_body(&mut self, e: &XmlTag<'a>, empty: bool, path: Path, depth: u32) -> Result<()> {
        let field_path = path.fields();
        let syn = self.attr_props(field_path);
        if empty {
            if let Some(id) = syn.node_id {
                self.nodes.add_ref(id.into_owned(), path.top, path.name, path.list != 0);
            } else if let Some(r) = &syn.resource {
                self.emit(&path, path.name, syn.lang.as_deref(), r);
            } else if !syn.fields && !syn.parse_resource {
                self.emit(&path, path.name, syn.lang.as_deref(), "");
            }
            return Ok(());
        }
        if syn.parse_resource {
            return self.prop_children(e.name, field_path, depth);
        }
        if let Some(text) = self.prop_content(e.name, path, field_path, depth, false)? {
            if let Some(r) = syn.resource.as_deref().filter(|_| text.trim().is_empty()) {
                self.emit(&path, path.name, syn.lang.as_deref(), r);
            } else if !syn.fields || !text.trim().is_empty() {
                self.emit(&path, path.name, syn.lang.as_deref(), &text);
            }
        }
        Ok(())
    }

    /// The content of a property element at `path` up to its end tag `end`: its text
    /// while it has no child elements (`None` once it has one, or with `children`), the
    /// child elements read as lists, structures or properties.
    fn prop_content(
        &mut self,
        end: &str,
        path: Path,
        field_path: Path,
        depth: u32,
        mut children: bool,
    ) -> Result<Option<Cow<'a, str>>> {
        let mut text: Cow<'a, str> = Cow::Borrowed("");
        loop {
            match self.next()? {
                // Text only counts while there are no child elements (then it is ignored).
                Event::Text(t) if !children => append(&mut text, unescaped(t)),
                Event::CData(c) if !children => append(&mut text, Cow::Borrowed(c)),
                Event::Text(_) | Event::CData(_) => {}
                Event::Start(c) => {
                    children = true;
                    let cn = self.resolve(c.name, false);
                    if cn.is_rdf("Bag") || cn.is_rdf("Seq") || cn.is_rdf("Alt") {
                        let alt = cn.is_rdf("Alt");
                        self.list(c.name, Path { list: if alt { path.list } else { 1 }, ..path }, depth + 1)?;
                    } else if cn.is_rdf("Description") {
                        self.node(&c, false, field_path, depth + 1)?;
                    } else {
                        self.prop(&c, false, field_path, depth + 1, false)?;
                    }
                }
                Event::Empty(c) => {
                    children = true;
                    let cn = self.resolve(c.name, false);
                    if cn.is_rdf("Description") {
                        self.node(&c, true, field_path, depth + 1)?;
                    } else if cn.is_rdf("Bag") || cn.is_rdf("Seq") || cn.is_rdf("Alt") {
                        // An empty list shows as an empty value.
                        self.emit(&Path { list: 1, ..path }, path.name, None, "");
                    } else {
                        self.prop(&c, true, field_path, depth + 1, false)?;
                    }
                }
                Event::End(x) if x == end => return Ok((!children).then_some(text)),
                Event::End(_) => self.stray_end = self.stray_end.saturating_add(1),
                Event::Eof => return Err(self.err("unexpected end inside a property")),
            }
        }
    }

    /// Skips to the end of the current element.
    fn skip(&mut self, depth: u32) -> Result<()> {
        let mut level = 0u32;
        loop {
            match self.next_markup()? {
                Event::Start(_) => {
                    level += 1;
                    self.check_depth(depth.saturating_add(level))?;
                }
                Event::End(_) if level == 0 => return Ok(()),
                Event::End(_) => level -= 1,
                Event::Eof => return Err(self.err("unexpected end")),
                _ => {}
            }
        }
    }

    /// The items of an `rdf:Bag`, `rdf:Seq` or `rdf:Alt`.
    fn list(&mut self, end: &str, path: Path, depth: u32) -> Result<()> {
        self.check_depth(depth)?;
        let mut items = 0u32;
        loop {
            // The usual item start tag and the list's end tag, read without the general
            // tokenizer.
            if let Some((c, len)) = self.r.peek_item() {
                self.r.consume_item(&c, len);
                items += 1;
                self.start_prop(&c, &path, depth + 1, true)?;
                continue;
            }
            if self.r.skip_to_end(end) {
                if items == 0 {
                    self.emit(&path, path.name, None, "");
                }
                return Ok(());
            }
            match self.next_markup()? {
                Event::Start(c) => {
                    items += 1;
                    self.start_prop(&c, &path, depth + 1, true)?;
                }
                Event::Empty(c) => {
                    items += 1;
                    self.prop(&c, true, path, depth + 1, true)?;
                }
                Event::End(x) if x == end && items == 0 => {
                    // An empty list shows as an empty value.
                    self.emit(&path, path.name, None, "");
                    return Ok(());
                }
                Event::End(x) if x == end => return Ok(()),
                Event::End(_) => self.stray_end = self.stray_end.saturating_add(1),
                Event::Eof => return Err(self.err("unexpected end inside a list")),
                _ => {}
            }
        }
    }
}

//! XMP (RDF/XML) packets: an RDF reader on a small in-house XML tokenizer that flattens properties the way
//! ExifTool prints them without `-struct` (structure and field names concatenated, list
//! items gathered into lists, `x-default` language alternatives under the plain name and
//! other languages as `Name-lang`).

mod names;
mod nodes;
mod values;
mod xml;

use crate::base::bytes::Endian;
use crate::base::decode::utf16;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::fasthash::IdBuild;
use crate::model::{Tag, Text, Value};
use names::Ns;
use nodes::{NodeRef, Pending};
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;
use xml::{Event, Reader, Resolved, Tag as XmlTag, split_name, unescape};

/// A fast hash of two byte strings (FxHash-style, a word at a time).
fn fnv(a: &[u8], b: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = 0;
    for part in [a, b] {
        let mut chunks = part.chunks_exact(8);
        for c in &mut chunks {
            let w = Endian::Little.u64_or_zero(c, 0);
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &c in chunks.remainder() {
            h = (h.rotate_left(5) ^ u64::from(c)).wrapping_mul(K);
        }
        h = (h.rotate_left(5) ^ 0xFF).wrapping_mul(K);
    }
    h
}

/// A hash of a tag name: its length and first and last eight bytes (the whole name up to
/// 16 bytes, the usual case), the rest through [`fnv`].
fn name_hash(name: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let (head, tail) = match (name.first_chunk::<8>(), name.last_chunk::<8>()) {
        (Some(a), Some(b)) => (Endian::Little.u64_from(*a), Endian::Little.u64_from(*b)),
        _ => {
            let mut w = [0u8; 8];
            if let Some(dst) = w.get_mut(..name.len()) {
                dst.copy_from_slice(name);
            }
            (Endian::Little.u64_from(w), 0)
        }
    };
    let h = mix(mix(mix(0, name.len() as u64), head), tail);
    match name.get(8..name.len().saturating_sub(8)) {
        Some(middle) if !middle.is_empty() => h ^ fnv(middle, b""),
        _ => h,
    }
}

/// Parses one XMP packet held in memory and emits `XMP:*` tags, flattened as ExifTool
/// flattens them without `-struct`.
pub(crate) fn parse_packet(cx: &mut Ctx, data: &[u8]) -> Result<()> {
    let text = decode(data);
    // The parser adds its tags to the context's own vector (no second vector to move
    // them from); the tag limits apply once it is done, as if they were pushed one by one.
    let first = cx.tags.len();
    let mut p = Parser::new(text.as_ref(), &cx.opts.limits, std::mem::take(&mut cx.tags));
    let res = p.run();
    p.resolve_nodes();
    for (tag, e) in p.tags.iter_mut().skip(first).zip(&p.entries) {
        if e.items > 1 && tag.name == "LensInfo" {
            // exifEX:LensSpecification is shown like aux:LensInfo ("24 70 4 4").
            let joined = tag.value.items().iter().map(Value::to_text).collect::<Vec<_>>().join(" ");
            tag.value = Value::from(joined);
        }
    }
    cx.tags = std::mem::take(&mut p.tags);
    if p.over_limit {
        cx.warn(None, format!("xmp: more than {} properties; the rest are ignored", p.max_props));
    }
    if p.stray_end > 0 {
        cx.warn(None, format!("xmp: {} unmatched end tag(s) ignored", p.stray_end));
    }
    cx.limit_from(first);
    if let Err(e) = res {
        cx.warn_error(&e);
    }
    Ok(())
}

/// The packet as UTF-8 (BOM stripped, UTF-16 converted, bad UTF-8 replaced).
fn decode(data: &[u8]) -> Cow<'_, str> {
    match data {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest),
        [0xFE, 0xFF, rest @ ..] => Cow::Owned(utf16(rest, false)),
        [0xFF, 0xFE, rest @ ..] => Cow::Owned(utf16(rest, true)),
        [0, b'<', ..] => Cow::Owned(utf16(data, false)),
        [b'<', 0, ..] => Cow::Owned(utf16(data, true)),
        _ => utf8(data),
    }
}

/// Bytes as UTF-8 text, borrowed when valid (the common case, checked quickly).
fn utf8(data: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(data) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(data),
    }
}

/// What merging needs to know of a flattened tag already made (one per tag the packet
/// made).
struct Entry {
    /// The top-level property's prefix.
    top: Cow<'static, str>,
    /// Its values gather into a list.
    list: bool,
    /// Values gathered so far (a list shows as its item while it has one).
    items: u32,
}

/// At most this many top-level prefixes are remembered (others are worked out per tag).
const MAX_TOPS: usize = 64;

/// A top-level prefix in a family-0 group, with what its tags need.
struct Top {
    /// The prefix (the usual one's static string when it is well known).
    prefix: Cow<'static, str>,
    /// The family-1 group of its tags.
    group: Cow<'static, str>,
    /// The family-0 group.
    group0: &'static str,
    /// The hash of the prefix and family-0 group, part of its tags' keys.
    hash: u64,
}

impl Top {
    /// Works out the prefix and groups of top-level prefix `top` in family-0 group `group0`.
    fn new(group0: &'static str, top: &str) -> Top {
        let known = names::known_groups(top);
        let group = if group0 == "XMP" { names::subgroup(top, known) } else { Cow::Owned(top.to_owned()) };
        let prefix: Cow<'static, str> = match (known, top) {
            (Some((p, _)), _) => Cow::Borrowed(p),
            // The prefixes of the toolkit and `rdf:about` tags.
            (None, "x") => Cow::Borrowed("x"),
            (None, "rdf") => Cow::Borrowed("rdf"),
            (None, _) => Cow::Owned(top.to_owned()),
        };
        Top { prefix, group, group0, hash: fnv(top.as_bytes(), group0.as_bytes()) }
    }

    /// This is prefix `top` in family-0 group `group0`.
    fn is(&self, group0: &'static str, top: &str) -> bool {
        // The prefix is usually the very string the table holds: compare addresses first.
        let p = &self.prefix;
        ((std::ptr::eq(p.as_ptr(), top.as_ptr()) && p.len() == top.len()) || p == top)
            && self.group0 == group0
    }
}

/// Where a property sits: its flat name so far, the top-level prefix, the property the
/// value belongs to (for value conversion), and how values reached through it gather.
#[derive(Clone, Copy)]
struct Path<'p> {
    name: &'p str,
    top: &'p str,
    leaf: (&'p str, &'p str),
    /// 0: a single value; 1: a direct list item; 2: a field of a structure in a list.
    list: u8,
    /// The top-level namespace is a well-known one.
    known: bool,
    /// Family-0 group ("XMP", or another for `exiftool -X` output).
    group: &'static str,
}

impl<'p> Path<'p> {
    /// The path for the fields of a structure at this path (fields of a structure inside
    /// a list gather into lists only for known schemas).
    fn fields(&self) -> Path<'p> {
        Path { list: if self.list != 0 && self.known { 2 } else { 0 }, ..*self }
    }
}

const ROOT: Path<'static> = Path { name: "", top: "", leaf: ("", ""), list: 0, known: true, group: "XMP" };

struct Parser<'a> {
    r: Reader<'a>,
    /// The context's tags, this packet's from `first` on.
    tags: Vec<Tag>,
    first: usize,
    /// What merging needs to know of each tag of this packet (`entries[i]` is of
    /// `tags[first + i]`).
    entries: Vec<Entry>,
    /// This packet's tags (their `entries` index) by hash of (family-0 group, prefix,
    /// name).
    index: HashMap<u64, u32, IdBuild>,
    /// Tags whose key's hash another key had taken first (an unseeded hash can be made to
    /// collide), by the key itself.
    spill: HashMap<(&'static str, String, String), u32>,
    max_depth: u32,
    max_props: usize,
    props: usize,
    /// The `rdf:nodeID` node whose values are being buffered.
    sink: Option<String>,
    nodes: Vec<(String, Vec<Pending>)>,
    refs: Vec<NodeRef>,
    /// Top-level prefixes met so far (at most [`MAX_TOPS`]).
    tops: Vec<Top>,
    /// The entry of `tops` used last.
    last_top: usize,
    /// Spare name buffers.
    bufs: Vec<String>,
    /// The property limit was hit inside attributes (reported once at the end).
    over_limit: bool,
    /// End tags that closed nothing open (tolerated, reported once).
    stray_end: u32,
}

/// The resolved name of an element or attribute.
struct Name<'n> {
    ns: Ns,
    prefix: &'n str,
    local: &'n str,
}

impl Name<'_> {
    /// The family-0 group of a top-level property ("" to skip it).
    fn group(&self) -> &'static str {
        match self.ns {
            Ns::Et(g) => g,
            _ => "XMP",
        }
    }

    /// Appends this property's part of the flat tag name.
    fn segment(&self, parent: &str, out: &mut String) {
        match self.ns {
            Ns::Et(_) => names::exiftool_name(parent, self.local, out),
            _ => names::push_segment(parent, self.prefix, self.local, out),
        }
    }

    /// The path of this property under `parent`, with flat name `name` and family-0
    /// group `group`.
    fn path_under<'p>(&'p self, parent: &Path<'p>, name: &'p str, group: &'static str) -> Path<'p> {
        let top = if parent.top.is_empty() { self.prefix } else { parent.top };
        let known = if parent.top.is_empty() { self.combines() } else { parent.known };
        let leaf = if matches!(self.ns, Ns::Et(_)) { ("et", self.local) } else { (self.prefix, self.local) };
        Path { name, top, leaf, list: parent.list, known, group }
    }

    /// Fields of structures in lists gather into lists (ExifTool knows these schemas).
    fn combines(&self) -> bool {
        self.ns == Ns::Known && self.prefix != "Container" && self.prefix != "Item"
    }

    fn is_rdf(&self, local: &str) -> bool {
        self.ns == Ns::Rdf && self.local == local
    }
}

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
    /// A parser of `text` that adds its tags to `tags`.
    fn new(text: &'a str, limits: &crate::options::Limits, tags: Vec<Tag>) -> Self {
        Parser {
            r: Reader::new(text),
            first: tags.len(),
            tags,
            entries: Vec::with_capacity(32),
            index: HashMap::with_capacity_and_hasher(32, IdBuild::default()),
            spill: HashMap::new(),
            max_depth: limits.max_depth,
            max_props: limits.max_tags,
            props: 0,
            sink: None,
            nodes: Vec::new(),
            refs: Vec::new(),
            stray_end: 0,
            over_limit: false,
            tops: Vec::with_capacity(8),
            last_top: 0,
            bufs: Vec::with_capacity(4),
        }
    }

    fn err(&self, msg: impl std::fmt::Display) -> Error {
        Error::malformed(self.r.position(), format!("xmp: {msg}"))
    }

    fn next(&mut self) -> Result<Event<'a>> {
        self.r.next()
    }

    /// The next event that is not character data (where text means nothing).
    fn next_markup(&mut self) -> Result<Event<'a>> {
        self.r.next_markup()
    }

    fn resolve(&self, q: &'a str, attr: bool) -> Name<'a> {
        let (res, written, local) = self.r.resolve(q, attr);
        let (ns, known) = match res {
            Resolved::Bound(class) => class,
            // Unbound prefix (e.g. after a stray end tag closed a scope early): use the
            // last declaration seen for it.
            Resolved::Unknown(p) => self.r.last_declared(p).unwrap_or((Ns::None, None)),
            _ => (Ns::None, None),
        };
        let prefix = known.unwrap_or(written.unwrap_or(""));
        Name { ns, prefix, local }
    }

    fn check_depth(&self, depth: u32) -> Result<()> {
        if depth > self.max_depth {
            return Err(Error::limit(
                self.r.position(),
                format!("xmp: nesting deeper than {}", self.max_depth),
            ));
        }
        Ok(())
    }

    /// Top level: the toolkit attribute of `x:xmpmeta`, and every `rdf:RDF`.
    fn run(&mut self) -> Result<()> {
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
                self.add_ref(id.clone(), &path);
            }
            let saved = self.open_node(&id);
            let n = self.resolve(e.name, false);
            let res = if n.is_rdf("Bag") || n.is_rdf("Seq") || n.is_rdf("Alt") {
                if empty { Ok(()) } else { self.list(e.name, Path { list: 1, ..ROOT }, depth) }
            } else {
                self.node_body(e, empty, ROOT, depth)
            };
            self.sink = saved;
            return res;
        }
        self.node_body(e, empty, path, depth)
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

    /// A name buffer: a spare one, or a new one with room for most names (no regrowth).
    fn name_buf(&mut self) -> String {
        self.bufs.pop().unwrap_or_else(|| String::with_capacity(32))
    }

    /// Keeps a name buffer for reuse (saves an allocation per property).
    fn recycle(&mut self, mut buf: String) {
        if buf.capacity() > 0 && self.bufs.len() < 16 {
            buf.clear();
            self.bufs.push(buf);
        }
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

    /// Counts one more property element at `depth`, failing past the depth or property
    /// limits.
    fn count_prop(&mut self, depth: u32) -> Result<()> {
        self.check_depth(depth)?;
        self.props += 1;
        if self.props > self.max_props {
            return Err(Error::limit(self.r.position(), "xmp: too many properties"));
        }
        Ok(())
    }

    /// The attributes and content of a property element whose flat name is `path`.
    fn prop_body(&mut self, e: &XmlTag<'a>, empty: bool, path: Path, depth: u32) -> Result<()> {
        let field_path = path.fields();
        let syn = self.attr_props(field_path);
        if empty {
            if let Some(id) = syn.node_id {
                self.add_ref(id.into_owned(), &path);
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

    /// Records one value under its flat name (or, inside an `rdf:nodeID` node, keeps it
    /// until the references to the node are known).
    fn emit(&mut self, path: &Path, name: &str, lang: Option<&str>, text: &str) {
        if name.is_empty() && self.sink.is_none() {
            return;
        }
        let mut list = path.list != 0;
        let mut full = Cow::Borrowed(name);
        if let Some(l) = lang.filter(|l| !l.eq_ignore_ascii_case("x-default") && !l.is_empty()) {
            full = Cow::Owned(format!("{name}-{l}"));
            list = list && path.known;
        }
        let value = values::convert(path.leaf.0, path.leaf.1, text);
        if let Some(id) = &self.sink {
            if let Some(node) = self.nodes.iter_mut().find(|n| &n.0 == id) {
                node.1.push(Pending {
                    group: path.group,
                    top: path.top.to_owned(),
                    name: full.into_owned(),
                    value,
                    list,
                });
            }
            return;
        }
        self.insert(path.group, path.top, &full, value, list);
    }

    /// Adds a value under `group0`/`top`/`name`: a new tag, or one more item of the list
    /// already made under that name.
    fn insert(&mut self, group0: &'static str, top: &str, name: &str, value: Value, list: bool) {
        let fresh;
        let t = match self.top_slot(group0, top).and_then(|i| self.tops.get(i)) {
            Some(t) => t,
            None => {
                fresh = Top::new(group0, top);
                &fresh
            }
        };
        let h = name_hash(name.as_bytes()) ^ t.hash;
        let next = self.entries.len() as u32;
        let taken = match self.index.entry(h) {
            Slot::Occupied(o) => Some(*o.get() as usize),
            Slot::Vacant(v) => {
                v.insert(next);
                None
            }
        };
        let is_key = |i: usize| {
            self.entries.get(i).is_some_and(|e| e.top == top)
                && self.tags.get(self.first + i).is_some_and(|tag| tag.group == group0 && tag.name == name)
        };
        let existing = match taken {
            None => None,
            Some(i) if is_key(i) => Some(i),
            Some(_) => match self.spill.entry((group0, top.to_owned(), name.to_owned())) {
                Slot::Occupied(o) => Some(*o.get() as usize),
                Slot::Vacant(v) => {
                    v.insert(next);
                    None
                }
            },
        };
        if let Some(i) = existing {
            if let (Some(tag), Some(e)) = (self.tags.get_mut(self.first + i), self.entries.get_mut(i)) {
                if list && e.list {
                    append_item(&mut tag.value, e.items, value);
                    e.items = e.items.saturating_add(1);
                }
            }
            return;
        }
        let tag =
            Tag { group: group0, subgroup: Some(t.group.clone()), name: Text::new(name), value, priority: 0 };
        self.entries.push(Entry { top: t.prefix.clone(), list, items: 1 });
        self.tags.push(tag);
    }

    /// The entry of `tops` for top-level prefix `top` in family-0 group `group0`, added
    /// when new (the one of the previous tag is tried first); None once the table is full.
    fn top_slot(&mut self, group0: &'static str, top: &str) -> Option<usize> {
        let found = match self.tops.get(self.last_top) {
            Some(t) if t.is(group0, top) => Some(self.last_top),
            _ => self.tops.iter().position(|t| t.is(group0, top)),
        };
        if let Some(i) = found {
            self.last_top = i;
            return Some(i);
        }
        if self.tops.len() >= MAX_TOPS {
            return None;
        }
        self.last_top = self.tops.len();
        self.tops.push(Top::new(group0, top));
        Some(self.last_top)
    }
}

/// Adds `value` to a list tag that holds `items` values so far (one value shows as itself).
fn append_item(tag_value: &mut Value, items: u32, value: Value) {
    match tag_value {
        Value::List(v) if items > 1 => v.push(value),
        single => {
            let first = std::mem::replace(single, Value::Bool(false));
            // Room for a few more items (lists of three or four are common: no regrowth).
            let mut items = Vec::with_capacity(4);
            items.push(first);
            items.push(value);
            *single = Value::List(items);
        }
    }
}

#[cfg(test)]
mod tests;

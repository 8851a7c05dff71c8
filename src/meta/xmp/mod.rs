//! XMP (RDF/XML) packets: an RDF reader on a small in-house XML tokenizer that flattens properties the way
//! ExifTool prints them without `-struct` (structure and field names concatenated, list
//! items gathered into lists, `x-default` language alternatives under the plain name and
//! other languages as `Name-lang`).
//!
//! The pieces, bottom up: `xml` tokenizes the packet, `names` knows the namespaces and
//! makes flat tag names, `values` turns text into values, `flat` merges values into the
//! tag list, `nodes` keeps the values of shared `rdf:nodeID` nodes until the properties
//! that refer to them are known, and `walk` reads the RDF structure. This file holds the
//! entry point and the parser's state.

mod flat;
mod names;
mod nodes;
mod values;
mod walk;
mod xml;

use crate::base::decode::utf16;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Tag;
use flat::Flat;
use names::Ns;
use nodes::{Nodes, Pending};
use std::borrow::Cow;
use xml::{Event, Reader, Resolved};

/// Parses one XMP packet held in memory and emits `XMP:*` tags, flattened as ExifTool
/// flattens them without `-struct`.
pub(crate) fn parse_packet(cx: &mut Ctx, data: &[u8]) -> Result<()> {
    let text = decode(data);
    // The parser adds its tags to the context's own vector (no second vector to move
    // them from); the tag limits apply once it is done, as if they were pushed one by one.
    let first = cx.tags.len();
    let mut p = Parser::new(text.as_ref(), &cx.opts.limits, std::mem::take(&mut cx.tags));
    let res = p.run();
    p.nodes.resolve(&mut p.out, p.max_props);
    cx.tags = p.out.finish();
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

/// The RDF reader of one packet.
struct Parser<'a> {
    r: Reader<'a>,
    /// The tags made so far.
    out: Flat,
    /// Shared `rdf:nodeID` nodes, buffered until the references to them are known.
    nodes: Nodes,
    max_depth: u32,
    max_props: usize,
    props: usize,
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

impl<'a> Parser<'a> {
    /// A parser of `text` that adds its tags to `tags`.
    #[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
    fn new(text: &'a str, limits: &crate::options::Limits, tags: Vec<Tag>) -> Self {
        Parser {
            r: Reader::new(text),
            out: Flat::new(tags),
            nodes: Nodes::default(),
            max_depth: limits.max_depth,
            max_props: limits.max_tags,
            props: 0,
            stray_end: 0,
            over_limit: false,
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

    /// A name buffer: a spare one, or a new one with room for most names (no regrowth).
    #[allow(clippy::disallowed_methods)] // capacity from a constant or from bytes already in memory
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

    /// Records one value under its flat name (or, inside an `rdf:nodeID` node, keeps it
    /// until the references to the node are known).
    fn emit(&mut self, path: &Path, name: &str, lang: Option<&str>, text: &str) {
        if name.is_empty() && self.nodes.sink.is_none() {
            return;
        }
        let mut list = path.list != 0;
        let mut full = Cow::Borrowed(name);
        if let Some(l) = lang.filter(|l| !l.eq_ignore_ascii_case("x-default") && !l.is_empty()) {
            full = Cow::Owned(format!("{name}-{l}"));
            list = list && path.known;
        }
        let value = values::convert(path.leaf.0, path.leaf.1, text);
        if self.nodes.sink.is_some() {
            if let Some(pending) = self.nodes.sink_values() {
                pending.push(Pending {
                    group: path.group,
                    top: path.top.to_owned(),
                    name: full.into_owned(),
                    value,
                    list,
                });
            }
            return;
        }
        self.out.insert(path.group, path.top, &full, value, list);
    }
}

#[cfg(test)]
mod tests;

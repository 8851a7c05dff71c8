//! A tiny bounded element tree over quick-xml, enough for the small property parts of
//! OOXML and OpenDocument packages.

use quick_xml::events::{BytesStart, Event};

/// Deepest element nesting kept.
const MAX_DEPTH: usize = 16;
/// Most elements kept per document.
const MAX_NODES: usize = 20_000;

/// One element: qualified name, attributes (qualified names), text and children.
#[derive(Debug, Default)]
pub(crate) struct Node {
    /// Qualified name as written (`dc:title`).
    pub name: String,
    /// Attributes as (qualified name, unescaped value).
    pub attrs: Vec<(String, String)>,
    /// Concatenated, unescaped character data directly inside the element.
    pub text: String,
    /// Child elements.
    pub children: Vec<Node>,
}

impl Node {
    /// The local part of the name (`title` for `dc:title`).
    pub fn local(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }
    /// The namespace prefix (`dc` for `dc:title`), empty when none.
    pub fn prefix(&self) -> &str {
        self.name.split_once(':').map_or("", |(p, _)| p)
    }
    /// The value of the attribute whose local name is `local`.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k.rsplit(':').next() == Some(local)).map(|(_, v)| v.as_str())
    }
}

fn open(e: &BytesStart, max_text: usize) -> Node {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            let k = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let mut v = String::new();
            if let Ok(value) = a.unescape_value() {
                push_capped(&mut v, &value, max_text);
            }
            (k, v)
        })
        .collect();
    Node { name, attrs, ..Node::default() }
}

/// Appends `s` to `text` while `text` is no longer than `max` bytes, and stops just past
/// it: what is kept starts as the whole text would, and is still longer than `max`, so
/// that the tag made of it is cut to `max`, with its warning, as the whole text would be.
fn push_capped(text: &mut String, s: &str, max: usize) {
    let room = max.saturating_add(1).saturating_sub(text.len());
    if s.len() <= room {
        text.push_str(s);
    } else if room > 0 {
        let end = (room..s.len()).find(|i| s.is_char_boundary(*i)).unwrap_or(s.len());
        text.push_str(s.get(..end).unwrap_or(s));
    }
}

/// Parses `data` into its root element; `None` when there is no element. Malformed XML
/// ends the parse early, keeping what was read. Text and attribute values are kept to
/// just past `max_text` bytes (see [`push_capped`]).
pub(crate) fn parse(data: &[u8], max_text: usize) -> Option<Node> {
    let mut reader = quick_xml::Reader::from_reader(data);
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    let mut skipped = 0usize; // depth of elements below MAX_DEPTH being skipped
    let mut nodes = 0usize;
    while let Ok(ev) = reader.read_event() {
        match ev {
            Event::Start(e) => {
                nodes += 1;
                if skipped > 0 || stack.len() >= MAX_DEPTH || nodes > MAX_NODES {
                    skipped += 1;
                } else {
                    stack.push(open(&e, max_text));
                }
            }
            Event::Empty(e) => {
                nodes += 1;
                if skipped == 0 && stack.len() < MAX_DEPTH && nodes <= MAX_NODES {
                    let n = open(&e, max_text);
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(n),
                        None => {
                            root = Some(n);
                            break;
                        }
                    }
                }
            }
            Event::End(_) => {
                if skipped > 0 {
                    skipped -= 1;
                    continue;
                }
                let Some(n) = stack.pop() else { break };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(n),
                    None => {
                        root = Some(n);
                        break;
                    }
                }
            }
            Event::Text(t) if skipped == 0 => {
                if let Some(n) = stack.last_mut().filter(|n| n.text.len() <= max_text) {
                    if let Ok(s) = t.unescape() {
                        push_capped(&mut n.text, &s, max_text);
                    }
                }
            }
            Event::CData(t) if skipped == 0 => {
                if let Some(n) = stack.last_mut().filter(|n| n.text.len() <= max_text) {
                    // Past `max_text + 4` bytes, the complete characters already make more.
                    let t = t.get(..max_text.saturating_add(4)).unwrap_or(&t);
                    push_capped(&mut n.text, &String::from_utf8_lossy(t), max_text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Unclosed elements (truncated input): fold them into their parents.
    while let Some(n) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(n),
            None => root = Some(n),
        }
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_tree() {
        let n = parse(b"<?xml version='1.0'?><a:r x:k='v &amp; w'><b>t&lt;1</b><c/></a:r>", 100).unwrap();
        assert_eq!(n.local(), "r");
        assert_eq!(n.prefix(), "a");
        assert_eq!(n.attr("k"), Some("v & w"));
        assert_eq!(n.children.len(), 2);
        assert_eq!(n.children[0].text, "t<1");
    }

    #[test]
    fn truncated_and_deep() {
        let n = parse(b"<r><b>text", 100).unwrap();
        assert_eq!(n.children[0].text, "text");
        let deep = "<a>".repeat(100);
        assert!(parse(deep.as_bytes(), 100).is_some());
        assert!(parse(b"", 100).is_none());
    }

    #[test]
    fn text_is_kept_to_just_past_the_limit() {
        let doc = "<r a='\u{e9}\u{e9}\u{e9}&amp;'><b>\u{e9}\u{e9}&lt;\u{e9}<!--c-->\u{e9}\u{e9}</b><c><![CDATA[\u{e9}\u{e9}\u{e9}]]></c></r>";
        let whole = parse(doc.as_bytes(), usize::MAX).unwrap();
        for max in 0..12 {
            let cut = parse(doc.as_bytes(), max).unwrap();
            let texts = [
                (&whole.attrs[0].1, &cut.attrs[0].1),
                (&whole.children[0].text, &cut.children[0].text),
                (&whole.children[1].text, &cut.children[1].text),
            ];
            for (w, c) in texts {
                assert!(w.starts_with(c.as_str()), "{max}: {c:?}");
                assert!(c.len() > max || c == w, "{max}: {c:?}");
            }
        }
    }
}

//! Shared RDF nodes (`rdf:nodeID`): their values are buffered, then emitted under every
//! property that refers to them (or at the top level when nothing does).

use super::flat::Flat;
use crate::model::Value;

/// The `rdf:nodeID` nodes of a packet, their values and the properties that refer to them.
#[derive(Default)]
pub(super) struct Nodes {
    /// The node whose values are being buffered.
    pub(super) sink: Option<String>,
    nodes: Vec<(String, Vec<Pending>)>,
    refs: Vec<NodeRef>,
}

impl Nodes {
    /// Starts buffering the values of node `id`; returns the node buffered until now (to
    /// put back in `sink` once this one ends).
    pub(super) fn open(&mut self, id: &str) -> Option<String> {
        // At most 256 shared nodes; values of further ones are dropped (the sink still
        // diverts them so that they do not appear at the wrong place).
        if self.nodes.len() < 256 && !self.nodes.iter().any(|n| n.0 == id) {
            self.nodes.push((id.to_owned(), Vec::new()));
        }
        self.sink.replace(id.to_owned())
    }

    /// The values buffered for the node in `sink` (`None` without one, or when it is
    /// past the node limit).
    pub(super) fn sink_values(&mut self) -> Option<&mut Vec<Pending>> {
        let id = self.sink.as_ref()?;
        self.nodes.iter_mut().find(|n| &n.0 == id).map(|n| &mut n.1)
    }

    /// Notes that the property with flat name `name` under top-level prefix `top` refers
    /// to node `id` (`list`: its values gather into lists).
    pub(super) fn add_ref(&mut self, id: String, top: &str, name: &str, list: bool) {
        if self.sink.is_none() && self.refs.len() < 1000 {
            self.refs.push(NodeRef { id, top: top.to_owned(), name: name.to_owned(), list });
        }
    }

    /// Adds the buffered values to `out`: under every property that refers to their
    /// node, and at the top level when nothing does; at most `max_props` of them.
    pub(super) fn resolve(&mut self, out: &mut Flat, max_props: usize) {
        let nodes = std::mem::take(&mut self.nodes);
        let refs = std::mem::take(&mut self.refs);
        let mut budget = max_props;
        for (id, pending) in &nodes {
            let mut referenced = false;
            for r in refs.iter().filter(|r| &r.id == id) {
                referenced = true;
                for p in pending {
                    budget = budget.saturating_sub(1);
                    if budget == 0 {
                        return;
                    }
                    let top = if r.top.is_empty() { &p.top } else { &r.top };
                    let name = format!("{}{}", r.name, p.name);
                    out.insert(p.group, top, &name, p.value.clone(), p.list || r.list);
                }
            }
            if !referenced {
                for p in pending.iter().filter(|p| !p.name.is_empty()) {
                    out.insert(p.group, &p.top, &p.name, p.value.clone(), p.list);
                }
            }
        }
    }
}

/// A value inside an `rdf:nodeID` node, waiting for the properties that refer to it.
pub(super) struct Pending {
    pub(super) group: &'static str,
    pub(super) top: String,
    pub(super) name: String,
    pub(super) value: Value,
    pub(super) list: bool,
}

/// A property that refers to an `rdf:nodeID` node.
struct NodeRef {
    id: String,
    top: String,
    name: String,
    list: bool,
}

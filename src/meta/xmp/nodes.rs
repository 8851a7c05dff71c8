//! Shared RDF nodes (`rdf:nodeID`): their values are buffered, then emitted under every
//! property that refers to them (or at the top level when nothing does).

use super::xml::split_name;
use super::names::Ns;
use super::{Parser, Path};
use crate::model::Value;

impl<'a> Parser<'a> {
    /// The `rdf:nodeID` of the element just read, if any.
    pub(super) fn node_id(&self) -> Option<String> {
        self.r.attributes().iter().find_map(|&(key, value)| {
            (key.ends_with("nodeID")
                && split_name(key).1 == "nodeID"
                && self.resolve(key, true).ns == Ns::Rdf)
                .then(|| value.to_owned())
        })
    }

    /// Starts buffering the properties of node `id`.
    pub(super) fn open_node(&mut self, id: &str) -> Option<String> {
        // At most 256 shared nodes; values of further ones are dropped (the sink still
        // diverts them so that they do not appear at the wrong place).
        if self.nodes.len() < 256 && !self.nodes.iter().any(|n| n.0 == id) {
            self.nodes.push((id.to_owned(), Vec::new()));
        }
        self.sink.replace(id.to_owned())
    }

    /// Notes that the property at `path` refers to node `id`.
    pub(super) fn add_ref(&mut self, id: String, path: &Path) {
        if self.sink.is_none() && self.refs.len() < 1000 {
            self.refs.push(NodeRef {
                id,
                top: path.top.to_owned(),
                name: path.name.to_owned(),
                list: path.list != 0,
            });
        }
    }

    /// Emits the buffered `rdf:nodeID` nodes: under every property that refers to them,
    /// and at the top level when nothing does.
    pub(super) fn resolve_nodes(&mut self) {
        let nodes = std::mem::take(&mut self.nodes);
        let refs = std::mem::take(&mut self.refs);
        let mut budget = self.max_props;
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
                    self.insert(p.group, top, &name, p.value.clone(), p.list || r.list);
                }
            }
            if !referenced {
                for p in pending.iter().filter(|p| !p.name.is_empty()) {
                    self.insert(p.group, &p.top, &p.name, p.value.clone(), p.list);
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
pub(super) struct NodeRef {
    pub(super) id: String,
    pub(super) top: String,
    pub(super) name: String,
    pub(super) list: bool,
}

//! Helpers for the parsers' unit tests.

use crate::context::Ctx;
use crate::error::Result;
use crate::model::Value;
use crate::options::Options;

/// Runs parser `f` on `data` and returns its tags as (`Group:Name`, value).
pub(crate) fn run(data: &[u8], f: fn(&mut Ctx) -> Result<()>) -> Vec<(String, Value)> {
    let opts = Options::default();
    let v = data.to_vec();
    let mut cx = Ctx::new(&v, &opts);
    let _ = f(&mut cx);
    cx.name_facts();
    cx.tags.iter().map(|t| (t.key(), t.value.clone())).collect()
}

/// The value of `key` (`Group:Name`) among `tags`.
pub(crate) fn get<'a>(tags: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
    tags.iter().find(|(n, _)| n == key).map(|(_, v)| v)
}

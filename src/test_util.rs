//! Helpers for the unit tests of every parser: run one on bytes, look up what it found.
//! One home, so that no test module writes its own.

use crate::context::Ctx;
use crate::error::Result;
use crate::model::{Stream, Tag, Value, Warning};
use crate::options::Options;

/// What one parser run found.
pub(crate) struct Parsed {
    /// The tags, facts already named as `Composite:` tags.
    pub tags: Vec<Tag>,
    /// The streams.
    pub streams: Vec<Stream>,
    /// The warnings.
    pub warnings: Vec<Warning>,
    /// Bytes the parser asked of the source.
    pub requested: u64,
    /// What the parser returned.
    pub ok: bool,
}

impl Parsed {
    /// The first value of `key`: `Group:Name`, or a bare `Name` in any group.
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        find(&self.tags, key).map(|t| &t.value)
    }

    /// The tags as (`Group:Name`, value) pairs.
    pub(crate) fn pairs(&self) -> Vec<(String, Value)> {
        self.tags.iter().map(|t| (t.key(), t.value.clone())).collect()
    }
}

/// The first tag of `key` (`Group:Name`, or a bare `Name` in any group) among `tags`.
pub(crate) fn find<'a>(tags: &'a [Tag], key: &str) -> Option<&'a Tag> {
    match key.split_once(':') {
        Some((group, name)) => tags.iter().find(|t| t.group == group && t.name == name),
        None => tags.iter().find(|t| t.name == key),
    }
}

/// Runs `f` on `data` with `opts` and names the facts it recorded, as extraction does.
pub(crate) fn parse_with_options(
    data: &[u8],
    opts: &Options,
    f: impl FnOnce(&mut Ctx) -> Result<()>,
) -> Parsed {
    let mut cx = Ctx::new(&data, opts);
    let ok = f(&mut cx).is_ok();
    cx.name_facts();
    let requested = cx.requested();
    Parsed { tags: cx.tags, streams: cx.streams, warnings: cx.warnings, requested, ok }
}

/// Runs `f` on `data` with default options.
pub(crate) fn parse(data: &[u8], f: impl FnOnce(&mut Ctx) -> Result<()>) -> Parsed {
    parse_with_options(data, &Options::default(), f)
}

/// Runs parser `f` on `data` and returns its tags as (`Group:Name`, value).
pub(crate) fn run(data: &[u8], f: fn(&mut Ctx) -> Result<()>) -> Vec<(String, Value)> {
    parse(data, f).pairs()
}

/// The value of `key` (`Group:Name`) among `tags`.
pub(crate) fn get<'a>(tags: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
    tags.iter().find(|(n, _)| n == key).map(|(_, v)| v)
}

/// Runs `f` over `src` with default options: for parsers that behave differently when
/// the input is not held in memory (a `ReadSeekSource`, say).
pub(crate) fn parse_source(
    src: &dyn crate::source::ByteSource,
    f: impl FnOnce(&mut Ctx) -> Result<()>,
) -> Parsed {
    let opts = Options::default();
    let mut cx = Ctx::new(src, &opts);
    let ok = f(&mut cx).is_ok();
    cx.name_facts();
    let requested = cx.requested();
    Parsed { tags: cx.tags, streams: cx.streams, warnings: cx.warnings, requested, ok }
}

impl Parsed {
    /// The value ExifTool shows for `Group:Name` when the name repeats: the first of the
    /// highest priority, as [`crate::model::find_tag`] picks it.
    pub(crate) fn shown(&self, key: &str) -> Option<&Value> {
        let (group, name) = key.split_once(':')?;
        crate::model::find_tag(&self.tags, group, name).map(|t| &t.value)
    }
}

/// Runs the payload parser of kind `payload` on `data` held in memory at file offset 0,
/// as a payload inside another is parsed.
pub(crate) fn payload(payload: crate::meta::nested::Payload, data: &[u8]) -> Parsed {
    parse(data, |cx| crate::meta::nested::parse(cx, payload, data, 0))
}

/// A RIFF chunk (WAV, AVI, WebP): the id, a little-endian size, the body, and a pad byte
/// after an odd-sized body.
pub(crate) fn riff_chunk(id: &[u8], body: &[u8]) -> Vec<u8> {
    let mut v = id.to_vec();
    v.extend_from_slice(&(body.len() as u32).to_le_bytes());
    v.extend_from_slice(body);
    if body.len() % 2 == 1 {
        v.push(0);
    }
    v
}

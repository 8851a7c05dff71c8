//! The shared tag index: where the tags that the composites and the summary read are, found
//! in one pass over the extracted tags.
//!
//! Both derive values from a few dozen `Group:Name` keys among the hundreds of tags a file
//! may hold, and both want the tag ExifTool would show for each (the first of the highest
//! priority). Looking them up separately would walk the tags once for the composites and
//! again for the summary; one [`KeyTable`] of all their keys finds everything in a single
//! pass, and the index is kept up to date as composites are appended (the summary reads
//! some of them too). So the index sits above both and drives them: it knows the keys each
//! reads, and hands each the positions it found.

mod key_table;

use crate::composite::{self, INDEXED, image, media};
use crate::model::{Stream, Summary, Tag};
use crate::summary::{self, SLOTS, slot_keys};
use key_table::KeyTable;
use std::sync::OnceLock;

/// At most as many keys as the image composites, the media ones and the summary read
/// together.
const MAX_KEYS: usize = image::KEYS.len() + media::TRIGGERS.len() + SLOTS;

/// The keys both the image composites and the summary read: the composites' first (so
/// that their key ids are ids here), then the media composites' triggers and the
/// summary's not among them.
struct SharedKeys {
    table: KeyTable,
    /// The id here of each of [`media::TRIGGERS`].
    media_ids: [usize; media::TRIGGERS.len()],
    /// The id here of each of [`INDEXED`].
    indexed_ids: [usize; INDEXED.len()],
    /// The id here of each summary slot's key.
    summary_ids: [usize; SLOTS],
}

impl SharedKeys {
    /// The shared keys, built once.
    fn get() -> &'static SharedKeys {
        static KEYS: OnceLock<SharedKeys> = OnceLock::new();
        KEYS.get_or_init(|| {
            let mut keys: Vec<(&'static str, &'static str)> = image::KEYS.to_vec();
            let mut id_of = |key| {
                keys.iter().position(|k| *k == key).unwrap_or_else(|| {
                    keys.push(key);
                    keys.len() - 1
                })
            };
            let media_ids = media::TRIGGERS.map(&mut id_of);
            let mut summary_ids = [0; SLOTS];
            for (slot, key) in summary_ids.iter_mut().zip(slot_keys()) {
                *slot = id_of(key);
            }
            let indexed_ids = INDEXED.map(|name| id_of(("Composite", name)));
            SharedKeys { table: KeyTable::new(keys), media_ids, indexed_ids, summary_ids }
        })
    }
}

/// Where the tags the composites and the summary read are (for each key, the position of
/// the tag ExifTool would show), found in one pass over the tags and kept up to date as
/// composites are appended.
pub(crate) struct TagIndex {
    found: [Option<u32>; MAX_KEYS],
}

impl TagIndex {
    /// Indexes `tags`.
    #[cfg(test)]
    pub(crate) fn new(tags: &[Tag]) -> Self {
        let mut index = TagIndex::empty();
        index.update(tags, 0);
        index
    }

    /// An index of no tags, to [`TagIndex::update`] where it is kept (returning a filled
    /// one would copy its table).
    #[inline]
    pub(crate) fn empty() -> Self {
        TagIndex { found: [None; MAX_KEYS] }
    }

    /// Indexes the tags appended from `from` on.
    pub(crate) fn update(&mut self, tags: &[Tag], from: usize) {
        SharedKeys::get().table.positions(tags, from, &mut self.found);
    }

    /// Whether media composites may apply: one of their [`media::TRIGGERS`] is there.
    pub(crate) fn may_be_movie(&self) -> bool {
        SharedKeys::get().media_ids.iter().any(|id| self.found.get(*id).is_some_and(Option::is_some))
    }

    /// Appends the composite tags that `tags` (indexed here) allow, and indexes them.
    pub(crate) fn add_composites(&mut self, tags: &mut Vec<Tag>) {
        let movie = self.may_be_movie();
        image::derive(tags, &mut self.found, &SharedKeys::get().indexed_ids);
        if movie {
            let before = tags.len();
            composite::media::derive(tags);
            self.update(tags, before);
        }
    }

    /// The summary of `tags` (indexed here) and `streams`.
    pub(crate) fn summary(&self, tags: &[Tag], streams: &[Stream]) -> Summary {
        summary::build(tags, &self.found, &SharedKeys::get().summary_ids, streams)
    }
}

impl Summary {
    /// Builds the summary from the tags and streams an extraction found.
    pub fn from_tags(tags: &[Tag], streams: &[Stream]) -> Self {
        let mut index = TagIndex::empty();
        index.update(tags, 0);
        index.summary(tags, streams)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexed_composites_are_the_summarys() {
        let mut summary: Vec<&str> =
            slot_keys().filter(|(g, _)| *g == "Composite").map(|(_, name)| name).collect();
        let mut indexed = INDEXED.to_vec();
        summary.sort_unstable();
        indexed.sort_unstable();
        assert_eq!(summary, indexed);
    }
}

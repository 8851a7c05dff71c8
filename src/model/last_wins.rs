//! [`LastWins`]: ExifTool's rule for repeated tags in one block, as priorities.

use super::{Tag, Text};
use std::collections::HashMap;

/// Ranks the tags of one block so that a repeated name replaces the earlier one in the
/// ExifTool projection (ExifTool shows the last of equal-priority duplicates): each repeat
/// gets a higher priority.
#[derive(Default)]
pub(crate) struct LastWins {
    seen: HashMap<Text, i8>,
}

impl LastWins {
    /// `tag`, ranked above the earlier tags of its name ranked through `self`.
    pub(crate) fn rank(&mut self, mut tag: Tag) -> Tag {
        if let Some(p) = self.seen.get_mut(&tag.name) {
            *p = p.saturating_add(1);
            tag.priority = tag.priority.max(*p);
        } else if self.seen.len() < 4096 {
            self.seen.insert(tag.name.clone(), tag.priority);
        }
        tag
    }
}

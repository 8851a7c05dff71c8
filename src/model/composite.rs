//! ExifTool's `Composite:` tags, derived from tags already found.

use crate::model::Tag;

/// Appends the composite tags that `tags` allow.
pub(crate) fn add_composites(_tags: &mut Vec<Tag>) {}

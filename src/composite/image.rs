//! image composites. TODO(owner): implement.

use crate::model::Tag;

/// Derives image composites from `tags` into `out`.
pub(crate) fn derive(_tags: &[Tag], _out: &mut Vec<Tag>) {}

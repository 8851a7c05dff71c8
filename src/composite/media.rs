//! media composites. TODO(owner): implement.

use crate::model::Tag;

/// Derives media composites from `tags` into `out`.
pub(crate) fn derive(_tags: &[Tag], _out: &mut Vec<Tag>) {}

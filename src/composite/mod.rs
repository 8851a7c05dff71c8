//! ExifTool's `Composite:` tags, derived from tags already found (never from the file).

mod g15;
mod image;
mod media;

use crate::model::Tag;

/// Appends the composite tags that `tags` allow.
pub(crate) fn add_composites(tags: &mut Vec<Tag>) {
    let mut out = Vec::with_capacity(32);
    image::derive(tags, &mut out);
    media::derive(tags, &mut out);
    tags.extend(out);
}

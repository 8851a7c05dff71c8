//! ExifTool's `Composite:` tags, derived from tags already found (never from the file).

mod g15;
mod image;
mod media;

use crate::model::Tag;

/// Appends the composite tags that `tags` allow.
pub(crate) fn add_composites(tags: &mut Vec<Tag>) {
    let movie = media::is_movie(tags);
    image::derive(tags);
    if movie {
        media::derive(tags);
    }
}

//! ExifTool's `Composite:` tags, derived from tags already found (never from the file).
//! They read the tags through the shared tag index ([`crate::tag_index`]), which runs them.

mod canon;
pub(crate) mod facts;
mod g15;
pub(crate) mod image;
pub(crate) mod media;

/// The `Composite:` tags the summary reads: the image composites enter these in the tag
/// index as they add them (instead of a pass over the tags they added).
pub(crate) const INDEXED: [&str; 12] = [
    "SubSecDateTimeOriginal",
    "DateTimeCreated",
    "SubSecCreateDate",
    "SubSecModifyDate",
    "LensID",
    "Duration",
    "Rotation",
    "GPSLatitude",
    "GPSLongitude",
    "GPSAltitude",
    "FocalLength35efl",
    "AvgBitrate",
];

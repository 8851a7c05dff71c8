//! The base layer: what every parser needs and none writes again. Byte-order reads and a
//! bounded cursor, text decoding, hashes, civil dates, and numbers printed as ExifTool
//! prints them. Nothing here knows a file format; it imports nothing from the crate but
//! other base modules.

pub(crate) mod bytes;
pub(crate) mod date;
pub(crate) mod decode;
pub(crate) mod hash;
pub(crate) mod inflate;
pub(crate) mod number;
pub(crate) mod scan;
pub(crate) mod short_text;
pub(crate) mod text;

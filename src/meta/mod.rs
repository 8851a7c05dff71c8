//! Payload parsers shared by every container: EXIF (TIFF IFDs), IPTC IIM, Photoshop image
//! resources, XMP and ICC profiles.

pub(crate) mod bitmap_info;
pub(crate) mod exif;
pub(crate) mod icc;
pub(crate) mod iptc;
pub(crate) mod photoshop;
pub(crate) mod xmp;

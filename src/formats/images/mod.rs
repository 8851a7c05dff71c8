//! Image containers: each finds its own header facts and hands EXIF, IPTC, XMP and ICC
//! payloads to `crate::meta`.

pub(crate) mod app_images;
pub(crate) mod bitmap;
pub(crate) mod gif;
pub(crate) mod hdr_images;
pub(crate) mod jpeg;
pub(crate) mod jpeg2000;
pub(crate) mod png;
pub(crate) mod psd;
pub(crate) mod raws;
pub(crate) mod svg;
pub(crate) mod tiff;
pub(crate) mod webp;
pub(crate) mod xmp_sidecar;

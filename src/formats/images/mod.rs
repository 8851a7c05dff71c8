//! Image containers, one module per format: each finds its own header facts and hands the
//! EXIF, IPTC, XMP and ICC payloads it carries to `crate::meta`.
//!
//! Imports stay inside this family but for two shared pieces: JPEG 2000 walks its boxes
//! with the one ISO-BMFF box walker (`crate::formats::isobmff::boxes`), and `tiff` and
//! `x3f` call `jpeg::parse_embedded` for the JPEG a TIFF-based raw (RW2's JpgFromRaw), a
//! Fujifilm RAF or a Sigma X3F carries: it is a whole JPEG file inside the raw, read by
//! the JPEG container's own walk, so the call stays within the image family.

pub(crate) mod bmp;
pub(crate) mod bpg;
mod canon_vrd;
pub(crate) mod crw;
pub(crate) mod djvu;
pub(crate) mod dpx;
pub(crate) mod exr;
pub(crate) mod flif;
pub(crate) mod gif;
pub(crate) mod ico;
pub(crate) mod jpeg;
pub(crate) mod jpeg2000;
mod kyocera;
pub(crate) mod miff;
pub(crate) mod mrc;
pub(crate) mod mrw;
mod payload;
pub(crate) mod pcx;
pub(crate) mod pgf;
pub(crate) mod pict;
pub(crate) mod pmp;
pub(crate) mod png;
pub(crate) mod pnm;
pub(crate) mod psd;
pub(crate) mod psp;
pub(crate) mod radiance_hdr;
pub(crate) mod svg;
pub(crate) mod tiff;
pub(crate) mod webp;
pub(crate) mod x3f;
pub(crate) mod xcf;
pub(crate) mod xmp_sidecar;

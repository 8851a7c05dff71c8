//! Payload parsers shared by every container: EXIF (TIFF IFDs), IPTC IIM, Photoshop image
//! resources, XMP and ICC profiles, and the pieces several containers carry (the
//! BITMAPINFOHEADER of BMP and AVI, RIFF INFO lists of WAV and AVI, the MPEG audio frame
//! header of MP3 and MPEG-PS). A payload inside another goes through [`nested`]. Nothing
//! here knows the containers: this layer imports from `base`, `model` and the context,
//! never from `formats`.

pub(crate) mod bitmap_info;
pub(crate) mod exif;
pub(crate) mod gpmf;
pub(crate) mod icc;
pub(crate) mod iptc;
pub(crate) mod mpeg_audio;
pub(crate) mod nested;
pub(crate) mod photoshop;
pub(crate) mod riff_info;
pub(crate) mod xmp;

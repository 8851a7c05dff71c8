//! ISO base media file format (ISO/IEC 14496-12): one box walker, then the movie
//! (MP4/MOV/M4A/3GP), HEIF (HEIC/AVIF) and CR3 readers on top of it.

pub(crate) mod boxes;
pub(crate) mod codec;
pub(crate) mod cr3;
pub(crate) mod heif;
pub(crate) mod movie;

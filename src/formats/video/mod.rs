//! Audio/video containers other than ISO-BMFF: Matroska/WebM, RIFF AVI, ASF/WMV, FLV, DV
//! and MPEG program and transport streams. Each reads headers by offset, never the
//! media data.

pub(crate) mod asf;
pub(crate) mod asf_packets;
pub(crate) mod dv;
pub(crate) mod flv;
pub(crate) mod h264_sps;
pub(crate) mod matroska;
pub(crate) mod mpeg_ps;
pub(crate) mod mpeg_ts;
pub(crate) mod riff_avi;
pub(crate) mod timing;

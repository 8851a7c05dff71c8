//! The typed summary: what most users want from a file, in fields every format shares.
//! It is derived from the tag list and streams (by [`crate::summary`]), so that every
//! container gets the same merge rules.

use serde::Serialize;

/// A position in decimal degrees (WGS 84), altitude in metres (negative below sea level).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Gps {
    /// Latitude, north positive.
    pub latitude: f64,
    /// Longitude, east positive.
    pub longitude: f64,
    /// Altitude in metres.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub altitude: Option<f64>,
}

/// What most users want from a file, typed. Every field is optional: formats fill what
/// they carry. Dates are ISO 8601 (`2021-06-15T14:30:45.123+02:00`); the offset is present
/// only when the file records it (QuickTime/Matroska UTC dates end in `Z`). The codec,
/// rate and channel fields repeat those of the first video or audio
/// [`Stream`](crate::Stream), so that a reader of the summary alone need not look through
/// the streams.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Pixel width as stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Pixel height as stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Width as displayed, after EXIF orientation or track rotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_width: Option<u32>,
    /// Height as displayed, after EXIF orientation or track rotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_height: Option<u32>,
    /// EXIF orientation (1-8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orientation: Option<u8>,
    /// Video rotation in degrees clockwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation: Option<i32>,
    /// Duration in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// When the content was captured or created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// When the content was last modified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Camera or device maker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub make: Option<String>,
    /// Camera or device model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Lens model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lens: Option<String>,
    /// Software that wrote the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software: Option<String>,
    /// Exposure time in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure_time: Option<f64>,
    /// Aperture f-number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub f_number: Option<f64>,
    /// ISO speed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iso: Option<f64>,
    /// Focal length in mm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focal_length: Option<f64>,
    /// Focal length in mm, 35 mm equivalent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focal_length_35mm: Option<f64>,
    /// Where it was captured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gps: Option<Gps>,
    /// Title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description or caption.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Creator, author or artist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    /// Copyright notice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright: Option<String>,
    /// Keywords or subjects.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Album (audio).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub album: Option<String>,
    /// The first video stream's [`codec_name`](crate::Stream::codec_name) (ffprobe spelling).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_codec: Option<String>,
    /// The first audio stream's [`codec_name`](crate::Stream::codec_name) (ffprobe spelling).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_codec: Option<String>,
    /// [`Stream::frame_rate`](crate::Stream::frame_rate) of the first video stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame_rate: Option<f64>,
    /// [`Stream::sample_rate`](crate::Stream::sample_rate) of the first audio stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<u32>,
    /// [`Stream::channels`](crate::Stream::channels) of the first audio stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<u32>,
    /// Overall bit rate in bits per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bit_rate: Option<u64>,
    /// [`Stream::hdr`](crate::Stream::hdr) of the first video stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hdr: Option<String>,
    /// Pages (documents).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    /// The camera body's serial number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// The camera's firmware version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firmware: Option<String>,
}

//! Per-stream (track) facts, shaped like ffprobe's `streams`.

/// What a stream carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum StreamKind {
    /// Pictures.
    Video,
    /// Sound.
    Audio,
    /// Subtitles or captions.
    Subtitle,
    /// Timed metadata, chapters, hint tracks...
    Data,
}

/// One track of a media file.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[non_exhaustive]
pub struct Stream {
    /// Position among the file's streams, from 0 (ffprobe's `index`).
    pub index: u32,
    /// Video, audio, ...
    pub kind: Option<StreamKind>,
    /// Codec under ffprobe's `codec_name` spelling (`h264`, `hevc`, `aac`, `opus`...).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub codec_name: Option<String>,
    /// The container's codec code (`avc1`, `mp4a`, `V_MPEG4/ISO/AVC`...).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub codec_tag: Option<String>,
    /// Codec profile (`High`, `Main 10`, `LC`...).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub profile: Option<String>,
    /// Coded width in pixels.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub width: Option<u32>,
    /// Coded height in pixels.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub height: Option<u32>,
    /// Frames per second.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub frame_rate: Option<f64>,
    /// Samples per second.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub sample_rate: Option<u32>,
    /// Audio channels.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub channels: Option<u32>,
    /// Bits per sample (audio) or per component (video).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub bit_depth: Option<u32>,
    /// Average bit rate in bits per second.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub bit_rate: Option<u64>,
    /// Duration in seconds.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub duration: Option<f64>,
    /// Rotation in degrees, clockwise, to apply on display.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub rotation: Option<i32>,
    /// ISO 639 language code.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub language: Option<String>,
    /// Track title or handler name.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub title: Option<String>,
    /// HDR format (`HDR10`/PQ, `HLG`, `Dolby Vision`).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub hdr: Option<String>,
    /// A still picture attached to the file (cover art), listed as a video stream the way
    /// ffprobe lists it (its `disposition.attached_pic`).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "std::ops::Not::not"))]
    pub attached_picture: bool,
}

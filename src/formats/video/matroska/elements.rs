//! Matroska element IDs (from the Matroska/EBML specifications, RFC 8794 and RFC 9559) and
//! the table of simple elements emitted as tags, as data.

/// EBML header.
pub(crate) const EBML: u32 = 0x1A45_DFA3;
/// Segment, the one top-level element holding everything else.
pub(crate) const SEGMENT: u32 = 0x1853_8067;
/// Index of level-1 elements.
pub(crate) const SEEK_HEAD: u32 = 0x114D_9B74;
/// One SeekHead entry.
pub(crate) const SEEK: u32 = 0x4DBB;
/// The ID a Seek points at.
pub(crate) const SEEK_ID: u32 = 0x53AB;
/// Where it is, relative to the Segment data.
pub(crate) const SEEK_POSITION: u32 = 0x53AC;
/// Segment information.
pub(crate) const INFO: u32 = 0x1549_A966;
/// Track descriptions.
pub(crate) const TRACKS: u32 = 0x1654_AE6B;
/// Tags.
pub(crate) const TAGS: u32 = 0x1254_C367;
/// Chapters.
pub(crate) const CHAPTERS: u32 = 0x1043_A770;
/// Attached files.
pub(crate) const ATTACHMENTS: u32 = 0x1941_A469;
/// Media data: never read.
pub(crate) const CLUSTER: u32 = 0x1F43_B675;
/// Seek index into clusters: never read.
pub(crate) const CUES: u32 = 0x1C53_BB6B;

/// Info: TimestampScale (ns per tick).
pub(crate) const TIMECODE_SCALE: u32 = 0x2A_D7B1;
/// Info: Duration in ticks (float).
pub(crate) const DURATION: u32 = 0x4489;
/// Info: DateUTC, ns since 2001-01-01.
pub(crate) const DATE_UTC: u32 = 0x4461;

/// TrackEntry: CodecPrivate (for `V_MS/VFW/FOURCC`, a BITMAPINFOHEADER).
pub(crate) const CODEC_PRIVATE: u32 = 0x63A2;
/// Tracks: one track.
pub(crate) const TRACK_ENTRY: u32 = 0xAE;
/// TrackEntry: number.
pub(crate) const TRACK_NUMBER: u32 = 0xD7;
/// TrackEntry: UID.
pub(crate) const TRACK_UID: u32 = 0x73C5;
/// TrackEntry: type (1 video, 2 audio, 17 subtitle...).
pub(crate) const TRACK_TYPE: u32 = 0x83;
/// TrackEntry: DefaultDuration (ns per frame).
pub(crate) const DEFAULT_DURATION: u32 = 0x23_E383;
/// TrackEntry: name.
pub(crate) const TRACK_NAME: u32 = 0x536E;
/// TrackEntry: ISO 639-2 language.
pub(crate) const LANGUAGE: u32 = 0x22_B59C;
/// TrackEntry: BCP 47 language.
pub(crate) const LANGUAGE_IETF: u32 = 0x22_B59D;
/// TrackEntry: codec ID.
pub(crate) const CODEC_ID: u32 = 0x86;
/// TrackEntry: codec name.
pub(crate) const CODEC_NAME: u32 = 0x25_8688;
/// TrackEntry: BlockAdditionMapping (Dolby Vision configuration lives here).
pub(crate) const BLOCK_ADDITION_MAPPING: u32 = 0x41E4;
/// BlockAdditionMapping: BlockAddIDType.
pub(crate) const BLOCK_ADD_ID_TYPE: u32 = 0x41E7;
/// TrackEntry: Video.
pub(crate) const VIDEO: u32 = 0xE0;
/// TrackEntry: Audio.
pub(crate) const AUDIO: u32 = 0xE1;
/// Video: PixelWidth.
pub(crate) const PIXEL_WIDTH: u32 = 0xB0;
/// Video: PixelHeight.
pub(crate) const PIXEL_HEIGHT: u32 = 0xBA;
/// Video: FrameRate (deprecated, float).
pub(crate) const FRAME_RATE: u32 = 0x23_83E3;
/// Video: Colour.
pub(crate) const COLOUR: u32 = 0x55B0;
/// Colour: MasteringMetadata.
pub(crate) const MASTERING_METADATA: u32 = 0x55D0;
/// Colour: BitsPerChannel.
pub(crate) const BITS_PER_CHANNEL: u32 = 0x55B2;
/// Colour: TransferCharacteristics.
pub(crate) const TRANSFER_CHARACTERISTICS: u32 = 0x55BA;
/// Audio: SamplingFrequency.
pub(crate) const SAMPLING_FREQUENCY: u32 = 0xB5;
/// Audio: OutputSamplingFrequency.
pub(crate) const OUTPUT_SAMPLING_FREQUENCY: u32 = 0x78B5;
/// Audio: Channels.
pub(crate) const CHANNELS: u32 = 0x9F;
/// Audio: BitDepth.
pub(crate) const BIT_DEPTH: u32 = 0x6264;

/// Tags: one Tag.
pub(crate) const TAG: u32 = 0x7373;
/// Tag: Targets.
pub(crate) const TARGETS: u32 = 0x63C0;
/// Tag: SimpleTag (nests).
pub(crate) const SIMPLE_TAG: u32 = 0x67C8;
/// SimpleTag: TagName.
pub(crate) const TAG_NAME: u32 = 0x45A3;
/// SimpleTag: TagString.
pub(crate) const TAG_STRING: u32 = 0x4487;
/// SimpleTag: TagBinary.
pub(crate) const TAG_BINARY: u32 = 0x4485;

/// Chapters: EditionEntry.
pub(crate) const EDITION_ENTRY: u32 = 0x45B9;
/// ChapterAtom (nests).
pub(crate) const CHAPTER_ATOM: u32 = 0xB6;
/// ChapterDisplay.
pub(crate) const CHAPTER_DISPLAY: u32 = 0x80;

/// Attachments: AttachedFile.
pub(crate) const ATTACHED_FILE: u32 = 0x61A7;
/// AttachedFile: FileData.
pub(crate) const FILE_DATA: u32 = 0x465C;

/// How a simple element's data is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Unsigned integer.
    Uint,
    /// Float.
    Float,
    /// String (ASCII or UTF-8).
    Str,
    /// A UID, shown as hex up to the first zero byte.
    Uid,
    /// Nanoseconds, shown in seconds.
    Nanos,
    /// Binary, referenced by offset.
    Binary,
}

/// Simple elements emitted as `Matroska:<name>` wherever they occur: (ID, tag name, kind).
/// Names follow ExifTool's output where it shows them, the spec's element names otherwise.
/// Left out: what ExifTool 12.57 keeps hidden (EBMLMaxIDLength, EBMLMaxSizeLength,
/// SegmentUID show only with its `-u`) or does not know (CodecDelay, SeekPreRoll, the
/// Colour element and all it holds; the stream facts still read its transfer function).
pub(crate) const SIMPLE: &[(u32, &str, Kind)] = &[
    // EBML header
    (0x4286, "EBMLVersion", Kind::Uint),
    (0x42F7, "EBMLReadVersion", Kind::Uint),
    (0x4282, "DocType", Kind::Str),
    (0x4287, "DocTypeVersion", Kind::Uint),
    (0x4285, "DocTypeReadVersion", Kind::Uint),
    // Info
    (0x7BA9, "Title", Kind::Str),
    (0x4D80, "MuxingApp", Kind::Str),
    (0x5741, "WritingApp", Kind::Str),
    (0x7384, "SegmentFileName", Kind::Str),
    (0x3CB923, "PrevUID", Kind::Uid),
    (0x3C83AB, "PrevFileName", Kind::Str),
    (0x3EB923, "NextUID", Kind::Uid),
    (0x3E83BB, "NextFileName", Kind::Str),
    // TrackEntry
    (TRACK_NUMBER, "TrackNumber", Kind::Uint),
    (TRACK_UID, "TrackUID", Kind::Uid),
    (TRACK_TYPE, "TrackType", Kind::Uint),
    (0xB9, "TrackUsed", Kind::Uint),
    (0x88, "TrackDefault", Kind::Uint),
    (0x55AA, "TrackForced", Kind::Uint),
    (0x55AB, "TrackHearingImpaired", Kind::Uint),
    (0x55AC, "TrackVisualImpaired", Kind::Uint),
    (0x55AF, "TrackCommentary", Kind::Uint),
    (0x23_314F, "TrackTimecodeScale", Kind::Float),
    (TRACK_NAME, "TrackName", Kind::Str),
    (LANGUAGE, "TrackLanguage", Kind::Str),
    (LANGUAGE_IETF, "TrackLanguageIETF", Kind::Str),
    (0xAA, "CodecDecodeAll", Kind::Uint),
    // Video
    (0x9A, "VideoScanType", Kind::Uint),
    (PIXEL_WIDTH, "ImageWidth", Kind::Uint),
    (PIXEL_HEIGHT, "ImageHeight", Kind::Uint),
    (0x54AA, "CropBottom", Kind::Uint),
    (0x54BB, "CropTop", Kind::Uint),
    (0x54CC, "CropLeft", Kind::Uint),
    (0x54DD, "CropRight", Kind::Uint),
    (0x54B0, "DisplayWidth", Kind::Uint),
    (0x54BA, "DisplayHeight", Kind::Uint),
    (0x54B2, "DisplayUnit", Kind::Uint),
    (0x54B3, "AspectRatioType", Kind::Uint),
    (0x53B8, "StereoMode", Kind::Uint),
    (0x53C0, "AlphaMode", Kind::Uint),
    (FRAME_RATE, "VideoFrameRate", Kind::Float),
    // Audio
    (SAMPLING_FREQUENCY, "AudioSampleRate", Kind::Float),
    (OUTPUT_SAMPLING_FREQUENCY, "OutputAudioSampleRate", Kind::Float),
    (CHANNELS, "AudioChannels", Kind::Uint),
    (BIT_DEPTH, "AudioBitsPerSample", Kind::Uint),
    // Tags: Targets
    (0x68CA, "TargetTypeValue", Kind::Uint),
    (0x63CA, "TargetType", Kind::Str),
    (0x63C5, "TagTrackUID", Kind::Uid),
    (0x63C9, "TagEditionUID", Kind::Uid),
    (0x63C4, "TagChapterUID", Kind::Uid),
    (0x63C6, "TagAttachmentUID", Kind::Uid),
    // Chapters
    (0x91, "ChapterTimeStart", Kind::Nanos),
    (0x92, "ChapterTimeEnd", Kind::Nanos),
    (0x85, "ChapterString", Kind::Str),
    (0x437C, "ChapterLanguage", Kind::Str),
    (0x437E, "ChapterCountry", Kind::Str),
    // Attachments
    (0x467E, "AttachedFileDescription", Kind::Str),
    (0x466E, "AttachedFileName", Kind::Str),
    (0x4660, "AttachedFileMIMEType", Kind::Str),
    (FILE_DATA, "AttachedFileData", Kind::Binary),
    (0x46AE, "AttachedFileUID", Kind::Uid),
];

/// The table entry for a simple element.
pub(crate) fn simple(id: u32) -> Option<(&'static str, Kind)> {
    SIMPLE.iter().find(|(i, _, _)| *i == id).map(|(_, n, k)| (*n, *k))
}

/// Whether `id` is the EBML header, the Segment or a Segment child: an element that no
/// unknown-sized element below level 1 can contain.
pub(crate) fn is_top_level(id: u32) -> bool {
    matches!(id, EBML | SEGMENT | SEEK_HEAD | INFO | TRACKS | TAGS | CHAPTERS | ATTACHMENTS | CLUSTER | CUES)
}

/// ffprobe's `codec_name` for a Matroska CodecID (PCM needs the bit depth).
pub(crate) fn ffprobe_codec(codec_id: &str, bits: Option<u64>) -> Option<String> {
    let name = match codec_id {
        "V_MPEG4/ISO/AVC" => "h264",
        "V_MPEGH/ISO/HEVC" => "hevc",
        "V_MPEGI/ISO/VVC" => "vvc",
        "V_VP8" => "vp8",
        "V_VP9" => "vp9",
        "V_AV1" => "av1",
        "V_MPEG4/ISO/ASP" | "V_MPEG4/ISO/SP" | "V_MPEG4/ISO/AP" => "mpeg4",
        "V_MPEG4/MS/V3" => "msmpeg4v3",
        "V_MPEG1" => "mpeg1video",
        "V_MPEG2" => "mpeg2video",
        "V_MJPEG" => "mjpeg",
        "V_THEORA" => "theora",
        "V_PRORES" => "prores",
        "V_FFV1" => "ffv1",
        "V_DIRAC" => "dirac",
        "V_UNCOMPRESSED" => "rawvideo",
        "V_REAL/RV10" => "rv10",
        "V_REAL/RV20" => "rv20",
        "V_REAL/RV30" => "rv30",
        "V_REAL/RV40" => "rv40",
        "A_OPUS" => "opus",
        "A_VORBIS" => "vorbis",
        "A_FLAC" => "flac",
        "A_AC3" | "A_AC3/BSID9" | "A_AC3/BSID10" => "ac3",
        "A_EAC3" => "eac3",
        "A_DTS" | "A_DTS/EXPRESS" | "A_DTS/LOSSLESS" => "dts",
        "A_TRUEHD" => "truehd",
        "A_MLP" => "mlp",
        "A_ALAC" => "alac",
        "A_MPEG/L3" => "mp3",
        "A_MPEG/L2" => "mp2",
        "A_MPEG/L1" => "mp1",
        "A_WAVPACK4" => "wavpack",
        "A_TTA1" => "tta",
        "A_PCM/FLOAT/IEEE" => {
            return Some(if bits == Some(64) { "pcm_f64le" } else { "pcm_f32le" }.to_owned());
        }
        "A_PCM/INT/LIT" | "A_PCM/INT/BIG" => {
            let bits = bits.unwrap_or(16);
            if bits <= 8 {
                return Some("pcm_u8".to_owned());
            }
            let end = if codec_id.ends_with("LIT") { "le" } else { "be" };
            return Some(format!("pcm_s{bits}{end}"));
        }
        "S_TEXT/UTF8" | "S_TEXT/ASCII" => "subrip",
        "S_TEXT/ASS" | "S_TEXT/SSA" | "S_ASS" | "S_SSA" => "ass",
        "S_TEXT/WEBVTT" | "D_WEBVTT/SUBTITLES" | "D_WEBVTT/CAPTIONS" => "webvtt",
        "S_VOBSUB" => "dvd_subtitle",
        "S_HDMV/PGS" => "hdmv_pgs_subtitle",
        "S_HDMV/TEXTST" => "hdmv_text_subtitle",
        "S_DVBSUB" => "dvb_subtitle",
        "S_KATE" => "kate",
        "S_ARIBSUB" => "arib_caption",
        _ if codec_id.starts_with("A_AAC") => "aac",
        _ if codec_id.starts_with("A_REAL/COOK") => "cook",
        _ => return None,
    };
    Some(name.to_owned())
}

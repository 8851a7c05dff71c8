//! Audio files: MP3 (ID3v1/ID3v2, MPEG frame header, Xing/Info/VBRI), FLAC, Ogg
//! (Vorbis, Opus, FLAC, Theora), WAV (RIFF, RF64), AIFF/AIFC, and the lossless formats
//! that carry MP3's tag blocks: Monkey's Audio, WavPack and Musepack; RealMedia's
//! header chunks and ID3v1 tail.
//!
//! Every reader is bounded: it reads the headers at the start of the file and, where the
//! facts live at the end (ID3v1, the last Ogg granule position), a short tail; a 200 MiB
//! MP3 or FLAC costs a few tens of KiB. Tag names and `-n` values follow what ExifTool
//! prints; streams follow ffprobe (codec names, durations).
//!
//! We do not use `symphonia` here: it is a decoding framework that streams packets through
//! `Read + Seek`, whereas metadata needs only a few header fields, the tag blocks and the
//! last Ogg page. A bounded in-house parser reads less (tail reads instead of a scan),
//! allocates less, and keeps ExifTool's tag names and raw values that symphonia normalises
//! away.

mod aiff;
mod ape;
mod ape_tag;
pub(crate) mod dss;
mod flac;
mod id3;
pub(crate) mod mpeg;
mod musepack;
mod ogg;
mod picture;
mod real;
pub(crate) mod riff_wav;
mod tag_blocks;
mod vorbis_comment;
mod wavpack;

use crate::context::Ctx;
use crate::error::Result;
use crate::sniff::Format;

/// Runs the reader for an audio `format`.
pub(crate) fn parse(format: Format, cx: &mut Ctx) -> Result<()> {
    match format {
        Format::Mp3 => mpeg::parse(cx),
        Format::Flac => flac::parse(cx),
        Format::Ogg | Format::Opus | Format::Ogv => ogg::parse(cx),
        Format::Wav => riff_wav::parse(cx),
        Format::Aiff | Format::Aifc => aiff::parse(cx),
        Format::Ape => ape::parse(cx),
        Format::WavPack => wavpack::parse(cx),
        Format::Mpc => musepack::parse(cx),
        Format::Rm => real::parse(cx),
        _ => Ok(()),
    }
}

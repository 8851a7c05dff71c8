//! The tag blocks that Monkey's Audio, WavPack and Musepack files carry around their
//! audio, the way MP3 files do: ID3v2 at the start, an APEv2 tag and an ID3v1 tag at the
//! end. The audio readers get where the audio starts and ends.

use super::{ape_tag, id3};
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::Result;

/// Where the audio lies between the tags.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    /// First byte after the leading ID3v2 tags.
    pub start: u64,
    /// First byte of the trailing APE and ID3v1 tags (the file length without them).
    pub end: u64,
}

/// Reads the leading ID3v2 tags and the trailing APE and ID3v1 tags, records
/// `File:ID3Size` as ExifTool counts it, and says where the audio is.
pub(super) fn read(cx: &mut Ctx) -> Result<Span> {
    let lead = id3::leading_tags(cx)?;
    let len = cx.len();
    // One source read for the ID3v1 tag and the APE footer before it.
    let _ = cx.read_up_to(len.saturating_sub(160), 160);
    let v1 = if id3::parse_v1(cx) { 128 } else { 0 };
    let ape = ape_tag::parse(cx, len.saturating_sub(v1));
    let id3_size = lead.counted + v1;
    if id3_size > 0 {
        cx.add("File", "ID3Size", id3_size);
    }
    cx.date_fact(|tags| Fact::Id3Date { tags });
    Ok(Span { start: lead.end, end: len.saturating_sub(v1).saturating_sub(ape).max(lead.end) })
}

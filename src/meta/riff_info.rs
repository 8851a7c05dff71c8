//! RIFF pieces that WAV and AVI share: the `LIST` chunk of `INFO` (or `exif`) text
//! sub-chunks, and the WAVE format codes that name an audio codec.

use crate::base::bytes::le32;
use crate::base::date::exif_from_iso;
use crate::base::decode::fixed_text;
use crate::context::Ctx;
use crate::model::{BinaryRef, Tag, Value};

/// Group of every RIFF tag.
const GROUP: &str = "RIFF";

/// ExifTool's name for a LIST/INFO or LIST/exif sub-chunk.
fn info_name(id: &[u8]) -> Option<&'static str> {
    Some(match id {
        b"INAM" => "Title",
        b"IART" => "Artist",
        b"ICMT" => "Comment",
        b"ICOP" => "Copyright",
        b"ICRD" => "DateCreated",
        b"IGNR" => "Genre",
        b"IPRD" => "Product",
        b"ISFT" => "Software",
        b"IENG" => "Engineer",
        b"ITCH" => "Technician",
        b"IKEY" => "Keywords",
        b"ISBJ" => "Subject",
        b"ISRC" => "Source",
        b"ISRF" => "SourceForm",
        b"IMED" => "Medium",
        b"ICMS" => "Commissioned",
        b"ICRP" => "Cropped",
        b"IDIM" => "Dimensions",
        b"IDPI" => "DotsPerInch",
        b"ILGT" => "Lightness",
        b"IPLT" => "NumColors",
        b"ISHP" => "Sharpness",
        b"ILNG" => "Language",
        b"ICNT" => "Country",
        b"ITRK" | b"IPRT" => "TrackNumber",
        b"IARL" => "ArchivalLocation",
        b"ever" => "ExifVersion",
        b"erel" => "RelatedImageFile",
        b"etim" => "TimeCreated",
        b"ecor" => "Make",
        b"emdl" => "Model",
        b"emnt" => "MakerNotes",
        b"eucm" => "UserComment",
        _ => return None,
    })
}

/// A LIST chunk: INFO or exif sub-chunks.
pub(crate) fn list(cx: &mut Ctx, d: &[u8], at: u64) {
    let Some(kind) = d.get(..4) else { return };
    if kind != b"INFO" && kind != b"exif" {
        return;
    }
    let mut p = 4usize;
    for _ in 0..1024 {
        let (Some(id), Some(size)) = (d.get(p..p + 4), le32(d, p + 4)) else { break };
        let size = size as usize;
        let Some(v) = d.get(p + 8..(p + 8).saturating_add(size)) else {
            cx.warn(at + p as u64, "RIFF LIST sub-chunk runs past its list");
            break;
        };
        if let Some(name) = info_name(id) {
            let value = if id == b"emnt" {
                Value::Binary(BinaryRef { offset: at + p as u64 + 8, length: size as u64 })
            } else {
                let s = fixed_text(v);
                Value::from(if id == b"ICRD" { exif_from_iso(s.trim()) } else { s })
            };
            cx.push(Tag::new(GROUP, name, value));
        }
        p = p + 8 + size + (size & 1);
    }
}

/// ffprobe's `codec_name` for a WAVE format tag (WAV `fmt ` chunks, AVI audio `strf`).
pub(crate) fn codec(tag: u16, bits: u16) -> Option<String> {
    Some(match (tag, bits) {
        (1, 8) => "pcm_u8".into(),
        (1, b) => format!("pcm_s{b}le"),
        (3, 64) => "pcm_f64le".into(),
        (3, _) => "pcm_f32le".into(),
        (6, _) => "pcm_alaw".into(),
        (7, _) => "pcm_mulaw".into(),
        (2, _) => "adpcm_ms".into(),
        (0x11, _) => "adpcm_ima_wav".into(),
        (0x50, _) => "mp2".into(),
        (0x55, _) => "mp3".into(),
        (0xff, _) | (0x1610, _) => "aac".into(),
        (0x160, _) => "wmav1".into(),
        (0x161, _) => "wmav2".into(),
        (0x2000, _) => "ac3".into(),
        (0x2001, _) => "dts".into(),
        _ => return None,
    })
}

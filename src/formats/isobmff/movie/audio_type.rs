//! ExifTool's type for an audio-only movie: a file whose major brand is a generic ISO one
//! (`isom`, `iso2`..., `dash`, `f4v `) and that holds sound tracks but no video is `M4A`
//! (`audio/mp4`), while one branded `mp41`/`mp42` (or `avc1`, `mmp4`) stays `MP4`, as
//! ExifTool 12.57 prints them.

use super::Movie;
use crate::context::Ctx;
use crate::model::Value;

/// Major brands whose file type ExifTool takes from the tracks.
const GENERIC_BRANDS: [&str; 11] =
    ["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9", "dash", "f4v "];

/// Retypes an `MP4` that is audio only to `M4A`.
pub(super) fn retype(cx: &mut Ctx, m: &Movie) {
    let audio = m.tracks.iter().any(|t| &t.handler == b"soun");
    if !audio || m.tracks.iter().any(|t| &t.handler == b"vide") {
        return;
    }
    let is = |t: &crate::model::Tag, g: &str, n: &str| t.group == g && t.name == n;
    let generic = cx.tags.iter().any(|t| {
        is(t, "QuickTime", "MajorBrand") && t.value.as_str().is_some_and(|b| GENERIC_BRANDS.contains(&b))
    });
    let mp4 = cx.tags.iter().any(|t| is(t, "File", "FileType") && t.value.as_str() == Some("MP4"));
    if !(generic && mp4) {
        return;
    }
    for t in cx.tags.iter_mut().filter(|t| t.group == "File") {
        match &*t.name {
            "FileType" | "FileTypeExtension" => t.value = Value::from("M4A"),
            "MIMEType" => t.value = Value::from("audio/mp4"),
            _ => {}
        }
    }
}

//! ID3v2 frames: ExifTool's name for each frame ID and the decoding of text, URL, comment,
//! counter, private and picture frames into tags.

use super::text::{decode, split_term, text_value};
use crate::base::bytes::be_uint;
use crate::base::date::exif_from_iso;
use crate::base::decode::{fixed_text, latin1};
use crate::context::Ctx;
use crate::formats::audio::picture::{Picture, image_dims};
use crate::model::last_wins::LastWins;
use crate::model::{BinaryRef, IntoName, Tag, Value};

/// Group of every ID3 tag.
pub(super) const GROUP: &str = "ID3";

/// ExifTool's name for a frame ID (v2.2 three-letter IDs included).
fn frame_name(id: &str) -> Option<&'static str> {
    Some(match id {
        "TIT2" | "TT2" => "Title",
        "TPE1" | "TP1" => "Artist",
        "TALB" | "TAL" => "Album",
        "TPE2" | "TP2" => "Band",
        "TPE3" | "TP3" => "Conductor",
        "TPE4" | "TP4" => "InterpretedBy",
        "TCOM" | "TCM" => "Composer",
        "TCON" | "TCO" => "Genre",
        "TYER" | "TYE" => "Year",
        "TDAT" | "TDA" => "Date",
        "TIME" | "TIM" => "Time",
        "TRCK" | "TRK" => "Track",
        "TPOS" | "TPA" => "PartOfSet",
        "TCOP" | "TCR" => "Copyright",
        "TSSE" | "TSS" => "EncoderSettings",
        "TENC" | "TEN" => "EncodedBy",
        "TEXT" | "TXT" => "Lyricist",
        "TIT1" | "TT1" => "Grouping",
        "TIT3" | "TT3" => "Subtitle",
        "TBPM" | "TBP" => "BeatsPerMinute",
        "TKEY" | "TKE" => "InitialKey",
        "TLAN" | "TLA" => "Language",
        "TLEN" | "TLE" => "Length",
        "TMED" | "TMT" => "Media",
        "TOAL" | "TOT" => "OriginalAlbum",
        "TOFN" | "TOF" => "OriginalFileName",
        "TOLY" | "TOL" => "OriginalLyricist",
        "TOPE" | "TOA" => "OriginalArtist",
        "TORY" | "TOR" => "OriginalReleaseYear",
        "TPUB" | "TPB" => "Publisher",
        "TRDA" | "TRD" => "RecordingDates",
        "TSRC" | "TRC" => "ISRC",
        "TSIZ" | "TSI" => "Size",
        "TFLT" | "TFT" => "FileType",
        "TDLY" | "TDY" => "PlaylistDelay",
        "TOWN" => "FileOwner",
        "TRSN" => "InternetRadioStationName",
        "TRSO" => "InternetRadioStationOwner",
        "TCMP" | "TCP" => "Compilation",
        "TDRC" => "RecordingTime",
        "TDOR" => "OriginalReleaseTime",
        "TDRL" => "ReleaseTime",
        "TDEN" => "EncodingTime",
        "TDTG" => "TaggingTime",
        "TMOO" => "Mood",
        "TPRO" => "ProducedNotice",
        "TSOA" => "AlbumSortOrder",
        "TSOP" => "PerformerSortOrder",
        "TSOT" => "TitleSortOrder",
        "TSO2" => "AlbumArtistSortOrder",
        "TSOC" => "ComposerSortOrder",
        "TSST" => "SetSubtitle",
        "TIPL" | "IPLS" | "IPL" => "InvolvedPeople",
        "TMCL" => "MusicianCredits",
        "TXXX" | "TXX" => "UserDefinedText",
        "WXXX" | "WXX" => "UserDefinedURL",
        "WCOM" | "WCM" => "CommercialURL",
        "WCOP" | "WCP" => "CopyrightURL",
        "WOAF" | "WAF" => "FileURL",
        "WOAR" | "WAR" => "ArtistURL",
        "WOAS" | "WAS" => "SourceURL",
        "WORS" => "InternetRadioStationURL",
        "WPAY" => "PaymentURL",
        "WPUB" | "WPB" => "PublisherURL",
        "COMM" | "COM" => "Comment",
        "USLT" | "ULT" => "Lyrics",
        "PCNT" | "CNT" => "PlayCounter",
        "POPM" | "POP" => "Popularimeter",
        "RVAD" | "RVA" => "RelativeVolumeAdjustment",
        "PRIV" => "Private",
        _ => return None,
    })
}

/// Whether frame `id` holds text (and is read as far as `max_value_len` keeps it).
pub(super) fn is_text(id: &str) -> bool {
    id.starts_with(['T', 'W']) || matches!(id, "COMM" | "COM" | "USLT" | "ULT" | "IPLS" | "IPL")
}

/// Cuts the text value of tag `name` (found at `at`) to `max_value_len`, with a warning.
fn cut(cx: &mut Ctx, v: &mut String, at: u64, name: &str) {
    if v.len() > cx.opts.limits.max_value_len {
        cx.cut_value(v, at, format_args!("{GROUP}:{name}"));
    }
}

/// The tags of the ID3v2 tag being read (for the last-one-wins rule).
pub(super) type Since = LastWins;

fn add_at(cx: &mut Ctx, since: &mut Since, name: impl IntoName, value: impl Into<Value>) {
    cx.push(since.rank(Tag::new(GROUP, name, value)));
}

/// Emits the tags of one frame.
pub(super) fn frame(
    cx: &mut Ctx,
    since: &mut Since,
    major: u8,
    id: &str,
    d: &[u8],
    span: (u64, u64),
    pics: &mut Vec<Picture>,
) {
    let (at, full) = span;
    if id == "APIC" || id == "PIC" {
        picture(cx, since, major, d, span, pics);
        return;
    }
    let Some(name) = frame_name(id) else { return };
    let enc = d.first().copied().unwrap_or(0);
    let body = d.get(1..).unwrap_or_default();
    match id.as_bytes().first() {
        _ if (id.starts_with('T') && id != "TXXX" && id != "TXX") || matches!(id, "IPLS" | "IPL") => {
            let vals = text_value(enc, body);
            let conv = |s: String| {
                if matches!(id, "TDRC" | "TDOR" | "TDRL" | "TDEN" | "TDTG") { exif_from_iso(&s) } else { s }
            };
            let v: Vec<String> =
                vals.into_iter().map(conv).filter(|s| !s.is_empty() || id.starts_with('T')).collect();
            let mut v = v.join("/");
            cut(cx, &mut v, at, name);
            if matches!(id, "TLEN" | "TLE") {
                // Milliseconds, shown in seconds.
                if let Ok(ms) = v.trim().parse::<f64>() {
                    add_at(cx, since, name, ms / 1000.0);
                    return;
                }
            }
            add_at(cx, since, name, v);
            return;
        }
        Some(b'W') if id != "WXXX" && id != "WXX" => {
            let mut v = fixed_text(d);
            cut(cx, &mut v, at, name);
            add_at(cx, since, name, v);
            return;
        }
        _ => {}
    }
    match id {
        "TXXX" | "TXX" | "WXXX" | "WXX" => {
            let (desc, rest) = split_term(enc, body);
            let val = if id.starts_with('W') { fixed_text(rest) } else { text_value(enc, rest).join("/") };
            let mut v = format!("({}) {}", decode(enc, desc), val);
            cut(cx, &mut v, at, name);
            add_at(cx, since, name, v);
        }
        "COMM" | "COM" | "USLT" | "ULT" => {
            let (desc, rest) = split_term(enc, body.get(3..).unwrap_or_default());
            let text = text_value(enc, rest).join("/");
            let desc = decode(enc, desc);
            let mut v = if desc.is_empty() { text } else { format!("({desc}) {text}") };
            cut(cx, &mut v, at, name);
            // Languages other than English get their own name (`Comment-fra`).
            let lang = latin1(body.get(..3).unwrap_or_default()).to_ascii_lowercase();
            if lang.is_empty() || lang == "eng" || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
                add_at(cx, since, name, v);
            } else {
                add_at(cx, since, format!("{name}-{lang}"), v);
            }
        }
        "PCNT" | "CNT" => {
            let n = be_uint(d, 0, d.len().min(8)).unwrap_or(0);
            add_at(cx, since, name, n);
        }
        "POPM" | "POP" => {
            let (email, rest) = split_term(0, d);
            let rating = rest.first().copied().unwrap_or(0);
            let count = be_uint(rest, 1, rest.len().saturating_sub(1).min(8)).unwrap_or(0);
            let mut v = format!("{} {rating} {count}", latin1(email));
            cut(cx, &mut v, at, name);
            add_at(cx, since, name, v);
        }
        "RVAD" | "RVA" => {
            if let Some(s) = volume_adjustment(d) {
                add_at(cx, since, name, s);
            }
        }
        "PRIV" => {
            // Named after its owner identifier; an XMP owner holds an XMP packet.
            let (owner, rest) = split_term(0, d);
            if owner == b"XMP" {
                if let Err(e) = crate::meta::xmp::parse_packet(cx, rest) {
                    cx.warn_error(&e);
                }
                return;
            }
            let off = at + (d.len() - rest.len()) as u64;
            let len = full.saturating_sub((d.len() - rest.len()) as u64);
            let tag_name = owner_name(&latin1(owner));
            add_at(cx, since, tag_name, Value::Binary(BinaryRef { offset: off, length: len }));
        }
        _ => {}
    }
}

/// A tag name from a PRIV owner identifier: words capitalised, other characters dropped.
fn owner_name(owner: &str) -> String {
    let mut out = String::new();
    for word in owner.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = word.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Private");
    }
    out
}

/// RVAD/RVA: "+18.0% Right, +18.0% Left" from the first two channel changes.
fn volume_adjustment(d: &[u8]) -> Option<String> {
    let (flags, bits) = (*d.first()?, *d.get(1)?);
    let n = usize::from(bits).div_ceil(8);
    if n == 0 || n > 8 {
        return None;
    }
    let read = |i: usize| be_uint(d, 2 + i * n, n).map(|v| v as f64);
    let scale = 2f64.powi(i32::from(bits));
    let pct = |v: f64, inc: bool| format!("{}{:.1}%", if inc { "+" } else { "-" }, v / scale * 100.0);
    Some(format!("{} Right, {} Left", pct(read(0)?, flags & 1 != 0), pct(read(1)?, flags & 2 != 0)))
}

/// APIC (v2.3/2.4) and PIC (v2.2).
fn picture(cx: &mut Ctx, since: &mut Since, major: u8, d: &[u8], span: (u64, u64), pics: &mut Vec<Picture>) {
    let (at, full) = span;
    let Some(&enc) = d.first() else { return };
    let (mime, rest) = if major == 2 {
        (latin1(d.get(1..4).unwrap_or_default()), d.get(4..).unwrap_or_default())
    } else {
        let (m, r) = split_term(0, d.get(1..).unwrap_or_default());
        (latin1(m), r)
    };
    let ptype = rest.first().copied().unwrap_or(0);
    let (desc, data) = split_term(enc, rest.get(1..).unwrap_or_default());
    let head = (d.len() - data.len()) as u64;
    add_at(cx, since, if major == 2 { "PictureFormat" } else { "PictureMIMEType" }, mime.clone());
    add_at(cx, since, "PictureType", ptype);
    let mut desc = decode(enc, desc);
    cut(cx, &mut desc, at, "PictureDescription");
    add_at(cx, since, "PictureDescription", desc);
    add_at(
        cx,
        since,
        "Picture",
        Value::Binary(BinaryRef { offset: at + head, length: full.saturating_sub(head) }),
    );
    pics.push(Picture { mime, dims: image_dims(data) });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rvad() {
        assert_eq!(
            volume_adjustment(&[3, 16, 0x2e, 0x2e, 0x2e, 0x2e]).as_deref(),
            Some("+18.0% Right, +18.0% Left")
        );
    }
}

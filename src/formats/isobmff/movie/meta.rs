//! User data: QuickTime `udta` items (`©nam`, `©xyz`...), 3GPP assets (`titl`, `loci`...),
//! `meta` boxes with Apple `keys` or iTunes `ilst` items, and `XMP_`.

use super::{Movie, children, deep, num, xmp};
use crate::base::bytes::{be_uint, be16, be32, be64};
use crate::base::decode::{utf16, utf16_until_nul};
use crate::context::Ctx;
use crate::model::{BinaryRef, Value};
use std::borrow::Cow;

/// A cover picture (`covr` item) in the file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cover {
    /// ffprobe codec name (`mjpeg`, `png`, `bmp`).
    pub codec: &'static str,
    /// Picture size, when its header says.
    pub size: Option<(u32, u32)>,
}

/// Reads a `udta` box.
pub(super) fn udta(cx: &mut Ctx, m: &mut Movie, sub: &str, data: &[u8], base: u64, depth: u32) {
    if deep(cx, depth, base) {
        return;
    }
    for b in children(cx, data, base) {
        let k = b.kind;
        match &k {
            b"meta" => meta(cx, m, sub, b.body, b.body_offset, depth + 1),
            b"XMP_" => xmp(cx, b.body),
            b"loci" => loci(cx, m, sub, b.body),
            [0xa9, ..] => {
                let Some(name) = user_data_name(&k) else { continue };
                if b.body.get(4..8) == Some(b"data") {
                    // iTunes-style item inside udta.
                    item(cx, m, sub, Cow::Borrowed(name), &k, b.body, b.body_offset);
                } else if let Some(text) = qt_string(b.body) {
                    put_text(cx, m, sub, Cow::Borrowed(name), text);
                }
            }
            b"titl" | b"auth" | b"perf" | b"gnre" | b"dscp" | b"cprt" | b"albm" => {
                let name = match &k {
                    b"titl" => "Title",
                    b"auth" => "Author",
                    b"perf" => "Performer",
                    b"gnre" => "Genre",
                    b"dscp" => "Description",
                    b"albm" => "Album",
                    _ => "Copyright",
                };
                // version/flags, language, string (UTF-8 or UTF-16 with a BOM).
                if let Some(s) = b.body.get(6..) {
                    let text = decode_text(s);
                    if !text.is_empty() {
                        m.put(cx, sub, name, text);
                    }
                }
            }
            b"date" => {
                let text = decode_text(b.body);
                if !text.is_empty() {
                    m.put(cx, sub, "DateTimeOriginal", date(&text));
                }
            }
            b"FIRM" => {
                let text = decode_text(b.body);
                if !text.is_empty() {
                    m.put(cx, sub, "FirmwareVersion", text);
                }
            }
            b"yrrc" => {
                if let Some(y) = be16(b.body, 4) {
                    m.put(cx, sub, "Year", y);
                }
            }
            _ => {}
        }
    }
}

/// QuickTime user-data text: one or more (length, language, text) records; the first is
/// kept. Macintosh language codes (< 0x400) mean Mac Roman text.
fn qt_string(b: &[u8]) -> Option<String> {
    let len = usize::from(be16(b, 0)?);
    let lang = be16(b, 2)?;
    let raw = b.get(4..4 + len).or_else(|| b.get(4..))?;
    let text = if lang < 0x400 && raw.iter().any(|&c| c >= 0x80) && std::str::from_utf8(raw).is_err() {
        raw.iter().map(|&c| mac_roman(c)).collect()
    } else {
        decode_text(raw)
    };
    let text = text.trim_end_matches('\0').to_owned();
    (!text.is_empty()).then_some(text)
}

/// UTF-8, or UTF-16 when the text starts with a byte-order mark.
fn decode_text(b: &[u8]) -> String {
    match b {
        [0xfe, 0xff, rest @ ..] => return utf16_until_nul(rest, false),
        [0xff, 0xfe, rest @ ..] => return utf16_until_nul(rest, true),
        _ => {}
    }
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// Mac Roman to Unicode (the upper half; the lower half is ASCII).
fn mac_roman(c: u8) -> char {
    const HIGH: &str = "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u{A0}ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\u{F8FF}ÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ";
    if c < 0x80 { char::from(c) } else { HIGH.chars().nth(usize::from(c - 0x80)).unwrap_or('\u{FFFD}') }
}

/// Emits a text tag, converting dates and ISO 6709 locations as ExifTool does.
fn put_text(cx: &mut Ctx, m: &mut Movie, sub: &str, name: Cow<'static, str>, text: String) {
    let value: Value = match name.as_ref() {
        "GPSCoordinates" => iso6709(&text).map(Value::from).unwrap_or(Value::from(text)),
        "ContentCreateDate" | "CreationDate" | "Year" | "LocationDate" | "PurchaseDate" => date(&text),
        _ => Value::from(text),
    };
    m.put(cx, sub, name, value);
}

/// `YYYY-MM-DDTHH:MM:SS[.s][Z|+hhmm|+hh:mm]` as `YYYY:MM:DD HH:MM:SS[.s][Z|+hh:mm]`; a bare
/// year becomes a number.
fn date(s: &str) -> Value {
    let s = s.trim();
    if s.len() == 4 && s.bytes().all(|c| c.is_ascii_digit()) {
        return s.parse::<i64>().map(Value::Int).unwrap_or_else(|_| Value::from(s));
    }
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return Value::from(s);
    }
    let mut out = format!("{}:{}:{}", &s[0..4], &s[5..7], &s[8..10]);
    let Some(rest) = s.get(10..) else { return Value::from(out) };
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')).unwrap_or(rest);
    if rest.is_empty() {
        return Value::from(out);
    }
    let tz_at = rest.find(['Z', '+', '-']).unwrap_or(rest.len());
    let (time, tz) = rest.split_at(tz_at);
    out.push(' ');
    out.push_str(time);
    if tz.len() == 5 && tz[1..].bytes().all(|c| c.is_ascii_digit()) {
        out.push_str(&tz[..3]);
        out.push(':');
        out.push_str(&tz[3..]);
    } else {
        out.push_str(tz);
    }
    Value::from(out)
}

/// ISO 6709 (`+48.8584+002.2945+035.000/`) as ExifTool's `-n` GPSCoordinates
/// (`48.8584 2.2945 35`).
pub(super) fn iso6709(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('/');
    let mut parts = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c == '+' || c == '-' {
            if let Some(st) = start {
                parts.push(&s[st..i]);
            }
            start = Some(i);
        }
    }
    parts.push(s.get(start?..)?);
    if parts.len() < 2 {
        return None;
    }
    let mut out = Vec::new();
    for (i, p) in parts.iter().take(3).enumerate() {
        // Degrees (DD.D), degrees+minutes (DDMM.M) or +seconds (DDMMSS.S) by digit count.
        let (sign, digits) = p.split_at(1);
        let neg = sign == "-";
        let int_len = digits.find('.').unwrap_or(digits.len());
        let deg_len = if i == 1 { 3 } else { 2 };
        let v = if i < 2 && int_len >= deg_len + 2 {
            let d: f64 = digits.get(..deg_len)?.parse().ok()?;
            let mm: f64 = digits.get(deg_len..deg_len + 2)?.parse().ok()?;
            let rest = digits.get(deg_len + 2..)?;
            let extra = if int_len >= deg_len + 4 {
                let ss: f64 = rest.parse().ok()?;
                ss / 3600.0
            } else {
                format!("0{rest}").parse::<f64>().ok()? / 60.0
            };
            d + mm / 60.0 + extra
        } else {
            digits.parse().ok()?
        };
        out.push(num(if neg { -v } else { v }));
    }
    Some(out.join(" "))
}

/// `loci` (3GPP location): ExifTool's `LocationInformation` text.
fn loci(cx: &mut Ctx, m: &mut Movie, sub: &str, b: &[u8]) {
    let Some(rest) = b.get(6..) else { return };
    let name_end = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
    let name = decode_text(&rest[..name_end]);
    let p = name_end + 1;
    let (Some(&role), Some(lon), Some(lat), Some(alt)) =
        (rest.get(p), be32(rest, p + 1), be32(rest, p + 5), be32(rest, p + 9))
    else {
        return;
    };
    let tail = rest.get(p + 13..).unwrap_or_default();
    let body_end = tail.iter().position(|&c| c == 0).unwrap_or(tail.len());
    let body = decode_text(&tail[..body_end]);
    let notes = decode_text(tail.get(body_end + 1..).unwrap_or_default());
    let role = match role {
        0 => "shooting",
        1 => "real",
        2 => "fictional",
        _ => "unknown",
    };
    let f = |v: u32| f64::from(v as i32) / 65536.0;
    let name = if name.is_empty() { "(none)".to_owned() } else { name };
    let text = format!(
        "{name} Role={role} Lat={:.5} Lon={:.5} Alt={:.2} Body={body} Notes={notes}",
        f(lat),
        f(lon),
        f(alt)
    );
    m.put(cx, sub, "LocationInformation", text);
}

/// Reads a `meta` box (ISO full box, or QuickTime's plain container).
pub(super) fn meta(cx: &mut Ctx, m: &mut Movie, sub: &str, data: &[u8], base: u64, depth: u32) {
    if deep(cx, depth, base) {
        return;
    }
    let skip = if data.get(4..8) == Some(b"hdlr") { 0 } else { 4 };
    let body = data.get(skip..).unwrap_or_default();
    let mut keys: Vec<String> = Vec::new();
    let mut handler = [0u8; 4];
    for b in children(cx, body, base + skip as u64) {
        match &b.kind {
            b"hdlr" => {
                if let Some((h, _)) = super::track::hdlr(cx, m, sub, b.body) {
                    handler = h;
                }
            }
            b"keys" => keys = read_keys(cx, b.body, b.offset),
            b"ilst" => ilst(cx, m, sub, &keys, &handler, b.body, b.body_offset),
            _ => {}
        }
    }
}

fn read_keys(cx: &mut Ctx, b: &[u8], offset: u64) -> Vec<String> {
    let count = be32(b, 4).unwrap_or(0) as usize;
    let mut out = Vec::new();
    let mut p = 8;
    for _ in 0..count.min(10_000) {
        let Some(size) = be32(b, p).map(|s| s as usize) else { break };
        let Some(key) = (size >= 8).then(|| b.get(p + 8..p + size)).flatten() else {
            cx.warn(offset, "keys box entry is malformed");
            break;
        };
        // Keep 0xA9 codes byte-exact (Latin-1), everything else as UTF-8.
        let text = match std::str::from_utf8(key) {
            Ok(t) => t.to_owned(),
            Err(_) => key.iter().map(|&c| char::from(c)).collect(),
        };
        out.push(text);
        p += size;
    }
    out
}

fn ilst(cx: &mut Ctx, m: &mut Movie, sub: &str, keys: &[String], handler: &[u8; 4], data: &[u8], base: u64) {
    let sub = if handler == b"mdta" {
        "Keys"
    } else if sub == "UserData" {
        "ItemList"
    } else {
        sub
    };
    for b in children(cx, data, base) {
        let name: Option<Cow<'static, str>> = if handler == b"mdta" || !keys.is_empty() {
            let idx = be32(&b.kind, 0).unwrap_or(0) as usize;
            idx.checked_sub(1).and_then(|i| keys.get(i)).and_then(|k| match user_data_code(k) {
                // A QuickTime user-data code used as a key (namespace 'udta').
                Some(code) => user_data_name(&code).map(Cow::Borrowed),
                None => Some(key_name(k)),
            })
        } else if &b.kind == b"----" {
            freeform_name(cx, b.body, b.body_offset)
        } else {
            item_name(&b.kind).map(Cow::Borrowed)
        };
        let Some(name) = name else { continue };
        item(cx, m, sub, name, &b.kind, b.body, b.body_offset);
    }
}

/// Reads the `data` atoms of one item.
fn item(
    cx: &mut Ctx,
    m: &mut Movie,
    sub: &str,
    name: Cow<'static, str>,
    kind: &[u8; 4],
    data: &[u8],
    base: u64,
) {
    for d in children(cx, data, base) {
        if &d.kind != b"data" {
            continue;
        }
        let (Some(ty), Some(v)) = (be32(d.body, 0), d.body.get(8..)) else { continue };
        let ty = ty & 0x00ff_ffff;
        let offset = d.body_offset + 8;
        let value = match (kind, ty) {
            (b"trkn" | b"disk", 0) => match (be16(v, 2), be16(v, 4)) {
                (Some(n), Some(0)) | (Some(n), None) => Value::from(n.to_string()),
                (Some(n), Some(t)) => Value::from(format!("{n} of {t}")),
                _ => continue,
            },
            (_, 13 | 14 | 27) | (b"covr", 0) => {
                if name == "CoverArt" {
                    m.covers.push(cover(ty, v));
                }
                Value::Binary(BinaryRef { offset, length: v.len() as u64 })
            }
            (_, 1) => {
                put_text(cx, m, sub, name.clone(), decode_text(v));
                continue;
            }
            (_, 2) => {
                put_text(cx, m, sub, name.clone(), utf16(v, false));
                continue;
            }
            (_, 21) => match int_be(v, true) {
                Some(i) => Value::Int(i),
                None => continue,
            },
            (_, 22) | (_, 0) if v.len() <= 8 && !v.is_empty() => match int_be(v, ty == 21) {
                Some(i) => Value::Int(i),
                None => continue,
            },
            (_, 23) => match be32(v, 0) {
                Some(f) => Value::Float(f64::from(f32::from_bits(f))),
                None => continue,
            },
            (_, 24) => match be64(v, 0) {
                Some(f) => Value::Float(f64::from_bits(f)),
                None => continue,
            },
            _ => Value::Binary(BinaryRef { offset, length: v.len() as u64 }),
        };
        m.put(cx, sub, name.clone(), value);
    }
}

fn int_be(v: &[u8], signed: bool) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    let x = be_uint(v, 0, v.len())?;
    if signed && v.len() < 8 {
        let shift = 64 - 8 * v.len() as u32;
        return Some(((x << shift) as i64) >> shift);
    }
    Some(x as i64)
}

fn cover(ty: u32, v: &[u8]) -> Cover {
    let png = ty == 14 || v.starts_with(b"\x89PNG");
    let bmp = ty == 27 || v.starts_with(b"BM");
    if png {
        let size = (v.get(12..16) == Some(b"IHDR")).then(|| (be32(v, 16), be32(v, 20)));
        let size = size.and_then(|(w, h)| Some((w?, h?)));
        Cover { codec: "png", size }
    } else if bmp {
        Cover { codec: "bmp", size: None }
    } else {
        Cover { codec: "mjpeg", size: jpeg_size(v) }
    }
}

/// Picture size from a JPEG's start-of-frame marker.
fn jpeg_size(v: &[u8]) -> Option<(u32, u32)> {
    if !v.starts_with(&[0xff, 0xd8]) {
        return None;
    }
    let mut p = 2;
    for _ in 0..1000 {
        if *v.get(p)? != 0xff {
            return None;
        }
        let marker = *v.get(p + 1)?;
        if marker == 0xff {
            p += 1;
            continue;
        }
        let len = usize::from(be16(v, p + 2)?);
        if matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc) {
            let h = be16(v, p + 5)?;
            let w = be16(v, p + 7)?;
            return Some((w.into(), h.into()));
        }
        p += 2 + len;
    }
    None
}

fn freeform_name(cx: &mut Ctx, data: &[u8], base: u64) -> Option<Cow<'static, str>> {
    let name = children(cx, data, base)
        .into_iter()
        .find(|b| &b.kind == b"name")
        .map(|b| String::from_utf8_lossy(b.body.get(4..).unwrap_or_default()).into_owned())?;
    Some(match name.as_str() {
        "iTunNORM" => Cow::Borrowed("VolumeNormalization"),
        "iTunSMPB" => Cow::Borrowed("iTunSMPB"),
        _ => Cow::Owned(camel(&name)),
    })
}

/// A tag name from free text: words capitalised, other characters dropped.
fn camel(s: &str) -> String {
    let mut out = String::new();
    for word in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(f) = chars.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Tag");
    }
    out
}

/// The four bytes of a `©xxx` key kept as Latin-1 text.
fn user_data_code(k: &str) -> Option<[u8; 4]> {
    let mut code = [0u8; 4];
    let mut n = 0;
    for c in k.chars() {
        *code.get_mut(n)? = u8::try_from(u32::from(c)).ok()?;
        n += 1;
    }
    (n == 4 && code[0] == 0xa9).then_some(code)
}

/// ExifTool's name for an Apple `keys` key.
fn key_name(key: &str) -> Cow<'static, str> {
    let short = key.strip_prefix("com.apple.quicktime.").unwrap_or(key);
    let name = match short {
        "make" => "Make",
        "model" => "Model",
        "software" => "Software",
        "creationdate" => "CreationDate",
        "location.ISO6709" => "GPSCoordinates",
        "album" => "Album",
        "artist" => "Artist",
        "author" => "Author",
        "comment" => "Comment",
        "copyright" => "Copyright",
        "description" => "Description",
        "director" => "Director",
        "displayname" => "DisplayName",
        "genre" => "Genre",
        "information" => "Information",
        "keywords" => "Keywords",
        "producer" => "Producer",
        "publisher" => "Publisher",
        "title" => "Title",
        "year" => "Year",
        "location.name" => "LocationName",
        "location.body" => "LocationBody",
        "location.note" => "LocationNote",
        "location.role" => "LocationRole",
        "location.date" => "LocationDate",
        "content.identifier" => "ContentIdentifier",
        "rating.user" => "UserRating",
        "camera.identifier" => "CameraIdentifier",
        "camera.lens_model" => "CameraLensModel",
        "com.android.version" => "AndroidVersion",
        "com.android.capture.fps" => "AndroidCaptureFPS",
        "com.android.manufacturer" => "AndroidMake",
        "com.android.model" => "AndroidModel",
        _ => return Cow::Owned(camel(short)),
    };
    Cow::Borrowed(name)
}

/// ExifTool's names for QuickTime user-data items.
fn user_data_name(k: &[u8; 4]) -> Option<&'static str> {
    Some(match &k[1..] {
        b"nam" => "Title",
        b"ART" => "Artist",
        b"alb" => "Album",
        b"aut" => "Author",
        b"cmt" => "Comment",
        b"com" => "Composer",
        b"cpy" => "Copyright",
        b"day" => "ContentCreateDate",
        b"des" => "Description",
        b"dir" => "Director",
        b"dis" => "Disclaimer",
        b"enc" => "EncodedBy",
        b"fmt" => "Format",
        b"gen" => "Genre",
        b"grp" => "Grouping",
        b"hst" => "HostComputer",
        b"inf" => "Information",
        b"key" => "Keywords",
        b"lyr" => "Lyrics",
        b"mak" => "Make",
        b"mod" => "Model",
        b"ope" => "OriginalArtist",
        b"PRD" => "Product",
        b"prd" => "Producer",
        b"prf" => "Performers",
        b"pub" => "Publisher",
        b"req" => "PlaybackRequirements",
        b"src" => "SourceCredits",
        b"swr" => "SoftwareVersion",
        b"too" => "Encoder",
        b"url" => "URL",
        b"wrn" => "Warning",
        b"wrt" => "Composer",
        b"xyz" => "GPSCoordinates",
        _ => return None,
    })
}

/// ExifTool's names for iTunes `ilst` items.
fn item_name(k: &[u8; 4]) -> Option<&'static str> {
    if k[0] == 0xa9 {
        return Some(match &k[1..] {
            b"too" => "Encoder",
            b"st3" => "Subtitle",
            b"wrk" => "Work",
            b"mvn" => "MovementName",
            b"mvi" => "MovementNumber",
            b"mvc" => "MovementCount",
            b"nrt" => "Narrator",
            b"con" => "Conductor",
            b"sol" => "Soloist",
            b"arg" => "Arranger",
            b"ard" => "ArtDirector",
            _ => return user_data_name(k),
        });
    }
    Some(match k {
        b"aART" => "AlbumArtist",
        b"trkn" => "TrackNumber",
        b"disk" => "DiskNumber",
        b"cprt" => "Copyright",
        b"tmpo" => "BeatsPerMinute",
        b"cpil" => "Compilation",
        b"pgap" => "PlayGap",
        b"covr" => "CoverArt",
        b"gnre" => "Genre",
        b"desc" => "Description",
        b"ldes" => "LongDescription",
        b"tvsh" => "TVShow",
        b"tven" => "TVEpisodeID",
        b"tvsn" => "TVSeason",
        b"tves" => "TVEpisode",
        b"tvnn" => "TVNetworkName",
        b"purd" => "PurchaseDate",
        b"stik" => "MediaType",
        b"rtng" => "Rating",
        b"hdvd" => "HDVideo",
        b"soal" => "SortAlbum",
        b"soar" => "SortArtist",
        b"soaa" => "SortAlbumArtist",
        b"sonm" => "SortName",
        b"soco" => "SortComposer",
        b"sosn" => "SortShow",
        b"apID" => "AppleStoreAccount",
        b"cnID" => "AppleStoreCatalogID",
        b"sfID" => "AppleStoreCountry",
        b"akID" => "AppleStoreAccountType",
        b"plID" => "PlaylistID",
        b"geID" => "GenreID",
        b"atID" => "AlbumTitleID",
        b"cmID" => "ComposerID",
        b"keyw" => "Keyword",
        b"catg" => "Category",
        b"purl" => "PodcastURL",
        b"egid" => "EpisodeGlobalUniqueID",
        b"pcst" => "Podcast",
        b"shwm" => "ShowMovement",
        b"ownr" => "Owner",
        _ => return None,
    })
}

#[cfg(test)]
pub(super) fn test_date(s: &str) -> Value {
    date(s)
}

#[cfg(test)]
pub(super) fn test_mac(s: &[u8]) -> String {
    s.iter().map(|&c| mac_roman(c)).collect()
}

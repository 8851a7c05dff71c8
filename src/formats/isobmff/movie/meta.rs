//! User data: QuickTime `udta` items (`©nam`, `©xyz`...), 3GPP assets (`titl`, `loci`...),
//! `meta` boxes with Apple `keys` or iTunes `ilst` items, and `XMP_`.

use super::names::{camel, item_name, key_name, user_data_code, user_data_name};
use super::text::{date, decode_text, iso6709, qt_string};
use super::{Body, Movie, Node, deep, hdlr, nodes, xmp};
use crate::base::bytes::{be_uint, be16, be32, be64};
use crate::base::decode::utf16;
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

/// Bytes of a cover picture read for its size when it is not in memory.
const COVER_PREFIX: u64 = 256 << 10;
/// Longest name of a freeform (`----`) item read.
const MAX_FREEFORM_NAME: u64 = 255;
/// Longest QuickTime text record (its length is 16 bits), with its length and language.
const QT_STRING: u64 = 4 + 0xffff;

/// Reads a `udta` box.
pub(super) fn udta(cx: &mut Ctx, m: &mut Movie, sub: &str, data: Body<'_>, base: u64, depth: u32) {
    if deep(cx, depth, base) {
        return;
    }
    for b in nodes(cx, data, base) {
        let k = b.kind;
        match &k {
            b"meta" => {
                if let Some(o) = b.open(cx, m.whole) {
                    meta(cx, m, sub, o.body(), b.body_offset, depth + 1);
                }
            }
            b"XMP_" => {
                if let Some(body) = b.bytes(cx) {
                    xmp(cx, &body);
                }
            }
            // Pentax's camera record.
            b"TAGS" => {
                if let Some(body) = b.bytes(cx) {
                    crate::meta::exif::pentax_movie_tags(cx, &body);
                }
            }
            b"loci" => {
                if let Some(body) = b.bytes(cx) {
                    loci(cx, m, sub, &body);
                }
            }
            // Nero chapters.
            b"chpl" => {
                if let Some(body) = b.bytes(cx) {
                    super::chapters::chpl(cx, m, sub, &body);
                }
            }
            [0xa9, ..] => {
                let Some(name) = user_data_name(&k) else { continue };
                let Some(head) = b.range(cx, 0, 8) else { continue };
                if head.get(4..8) == Some(b"data") {
                    // iTunes-style item inside udta.
                    if let Some(o) = b.open(cx, m.whole) {
                        item(cx, m, sub, Cow::Borrowed(name), &k, o.body(), b.body_offset);
                    }
                } else if let Some(text) = b.range(cx, 0, QT_STRING).and_then(|r| qt_string(&r)) {
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
                if b.len() >= 6 {
                    let text = text_at(cx, &b, 6, name);
                    if !text.is_empty() {
                        m.put(cx, sub, name, text);
                    }
                }
            }
            b"date" => {
                let text = text_at(cx, &b, 0, "DateTimeOriginal");
                if !text.is_empty() {
                    m.put(cx, sub, "DateTimeOriginal", date(&text));
                }
            }
            // GoPro: the lens's serial number, a hash of the camera's, and the settings.
            b"LENS" => {
                let text = text_at(cx, &b, 0, "LensSerialNumber");
                if !text.is_empty() {
                    m.put(cx, sub, "LensSerialNumber", text);
                }
            }
            b"CAME" => {
                if let Some(d) = b.range(cx, 0, 64) {
                    m.put(cx, sub, "SerialNumberHash", crate::base::hash::hex(&d));
                }
            }
            b"GPMF" => {
                if let Some(body) = b.bytes(cx) {
                    for (name, value) in crate::meta::gpmf::settings(cx, &body) {
                        m.put(cx, "GoPro", name, value);
                    }
                }
            }
            b"FIRM" => {
                let text = text_at(cx, &b, 0, "FirmwareVersion");
                if !text.is_empty() {
                    m.put(cx, sub, "FirmwareVersion", text);
                }
            }
            b"yrrc" => {
                if let Some(y) = b.range(cx, 0, 6).and_then(|d| be16(&d, 4)) {
                    m.put(cx, sub, "Year", y);
                }
            }
            _ => {}
        }
    }
}

/// The text (UTF-8, or UTF-16 after a byte-order mark) of box `b` from byte `from` of its
/// payload, tag `name`: only what `max_value_len` keeps is read and decoded, and a longer
/// text is cut with a warning.
fn text_at(cx: &mut Ctx, b: &Node, from: u64, name: &str) -> String {
    let Some(raw) = b.range(cx, from, cx.value_read_len() as u64) else { return String::new() };
    let mut text = decode_text(&raw);
    cx.cut_value(&mut text, b.body_offset + from, name);
    text
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
pub(super) fn meta(cx: &mut Ctx, m: &mut Movie, sub: &str, data: Body<'_>, base: u64, depth: u32) {
    if deep(cx, depth, base) {
        return;
    }
    let plain = match data {
        Body::Mem(d) => d.get(4..8) == Some(b"hdlr"),
        Body::File(len) => len >= 8 && cx.read(base + 4, 4).is_ok_and(|h| h == b"hdlr"),
    };
    let skip = if plain { 0 } else { 4 };
    let body = data.skip(skip);
    let mut keys: Vec<String> = Vec::new();
    let mut handler = [0u8; 4];
    for b in nodes(cx, body, base + skip) {
        match &b.kind {
            b"hdlr" => {
                let Some(body) = b.bytes(cx) else { continue };
                if let Some((h, _)) = hdlr(cx, m, sub, &body) {
                    handler = h;
                }
            }
            b"keys" => {
                if let Some(body) = b.bytes(cx) {
                    keys = read_keys(cx, &body, b.offset);
                }
            }
            b"ilst" => {
                if let Some(o) = b.open(cx, m.whole) {
                    ilst(cx, m, sub, &keys, &handler, o.body(), b.body_offset);
                }
            }
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

fn ilst(
    cx: &mut Ctx,
    m: &mut Movie,
    sub: &str,
    keys: &[String],
    handler: &[u8; 4],
    data: Body<'_>,
    base: u64,
) {
    let sub = if handler == b"mdta" {
        "Keys"
    } else if sub == "UserData" {
        "ItemList"
    } else {
        sub
    };
    for b in nodes(cx, data, base) {
        let freeform = &b.kind == b"----";
        let name: Option<Cow<'static, str>> = if handler == b"mdta" || !keys.is_empty() {
            let idx = be32(&b.kind, 0).unwrap_or(0) as usize;
            idx.checked_sub(1).and_then(|i| keys.get(i)).and_then(|k| match user_data_code(k) {
                // A QuickTime user-data code used as a key (namespace 'udta').
                Some(code) => user_data_name(&code).map(Cow::Borrowed),
                None => Some(key_name(k)),
            })
        } else if freeform {
            None
        } else {
            item_name(&b.kind).map(Cow::Borrowed)
        };
        if name.is_none() && !freeform {
            continue;
        }
        let Some(o) = b.open(cx, m.whole) else { continue };
        let Some(name) = name.or_else(|| freeform_name(cx, o.body(), b.body_offset)) else { continue };
        item(cx, m, sub, name, &b.kind, o.body(), b.body_offset);
    }
}

/// Reads the `data` atoms of one item: numbers and the start of text read, pictures and
/// other binary data only referenced.
fn item(
    cx: &mut Ctx,
    m: &mut Movie,
    sub: &str,
    name: Cow<'static, str>,
    kind: &[u8; 4],
    data: Body<'_>,
    base: u64,
) {
    for d in nodes(cx, data, base) {
        if &d.kind != b"data" || d.len() < 8 {
            continue;
        }
        let Some(ty) = d.range(cx, 0, 4).and_then(|h| be32(&h, 0)) else { continue };
        let ty = ty & 0x00ff_ffff;
        let offset = d.body_offset + 8;
        let len = d.len() - 8;
        // The value, or its first `max` bytes.
        let value = |cx: &mut Ctx, max: u64| d.range(cx, 8, max);
        let value = match (kind, ty) {
            (b"trkn" | b"disk", 0) => {
                let Some(v) = value(cx, 6) else { continue };
                match (be16(&v, 2), be16(&v, 4)) {
                    (Some(n), Some(0)) | (Some(n), None) => Value::from(n.to_string()),
                    (Some(n), Some(t)) => Value::from(format!("{n} of {t}")),
                    _ => continue,
                }
            }
            (_, 13 | 14 | 27) | (b"covr", 0) => {
                if name == "CoverArt" {
                    // In memory the whole picture is there for its size; from the file its
                    // first bytes are read.
                    let want = if matches!(d.body, Body::Mem(_)) { u64::MAX } else { COVER_PREFIX };
                    let want = want.min(cx.opts.limits.max_alloc as u64);
                    let v = value(cx, want).unwrap_or_default();
                    m.covers.push(cover(ty, &v));
                }
                Value::Binary(BinaryRef { offset, length: len })
            }
            (_, 1 | 2) => {
                let Some(v) = value(cx, cx.value_read_len() as u64) else { continue };
                let mut text = if ty == 1 { decode_text(&v) } else { utf16(&v, false) };
                cx.cut_value(&mut text, offset, &name);
                put_text(cx, m, sub, name.clone(), text);
                continue;
            }
            (_, 21) => match value(cx, 9).and_then(|v| int_be(&v, true)) {
                Some(i) => Value::Int(i),
                None => continue,
            },
            (_, 22) | (_, 0) if len <= 8 && len > 0 => {
                match value(cx, 8).and_then(|v| int_be(&v, ty == 21)) {
                    Some(i) => Value::Int(i),
                    None => continue,
                }
            }
            (_, 23) => match value(cx, 4).and_then(|v| be32(&v, 0)) {
                Some(f) => Value::Float(f64::from(f32::from_bits(f))),
                None => continue,
            },
            (_, 24) => match value(cx, 8).and_then(|v| be64(&v, 0)) {
                Some(f) => Value::Float(f64::from_bits(f)),
                None => continue,
            },
            _ => Value::Binary(BinaryRef { offset, length: len }),
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

fn freeform_name(cx: &mut Ctx, data: Body<'_>, base: u64) -> Option<Cow<'static, str>> {
    let b = nodes(cx, data, base).into_iter().find(|b| &b.kind == b"name")?;
    let raw = b.range(cx, 4, MAX_FREEFORM_NAME)?;
    let name = String::from_utf8_lossy(&raw).into_owned();
    Some(match name.as_str() {
        "iTunNORM" => Cow::Borrowed("VolumeNormalization"),
        "iTunSMPB" => Cow::Borrowed("iTunSMPB"),
        _ => Cow::Owned(camel(&name)),
    })
}

//! User data: QuickTime `udta` items (`©nam`, `©xyz`...), 3GPP assets (`titl`, `loci`...),
//! `meta` boxes with Apple `keys` or iTunes `ilst` items, and `XMP_`.

use super::names::{camel, item_name, key_name, user_data_code, user_data_name};
use super::text::{date, decode_text, iso6709, qt_string};
use super::{Movie, children, deep, hdlr, xmp};
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
                if let Some((h, _)) = hdlr(cx, m, sub, b.body) {
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

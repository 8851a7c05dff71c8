//! Vendor APPn segments holding small TIFF-style directories or record lists: Kodak
//! "Meta" (APP3), Ricoh "RMETA" (APP5) and Epson "EPPIM" (APP6, a PrintIM pointer).

use crate::base::bytes::Endian;
use crate::context::Ctx;
use crate::model::Value;

/// One IFD entry: tag, type and its value bytes (inline or pointed to).
struct Entry<'a> {
    tag: u16,
    kind: u16,
    data: &'a [u8],
}

/// The entries of the first IFD of a TIFF-structured block (bounded; bad entries skipped).
fn ifd0(t: &[u8]) -> Option<(Endian, Vec<Entry<'_>>)> {
    let order = match t.get(..4)? {
        b"II*\0" => Endian::Little,
        b"MM\0*" => Endian::Big,
        _ => return None,
    };
    let u16_at = |i: usize| order.u16(t, i);
    let u32_at = |i: usize| order.u32(t, i);
    let at = u32_at(4)? as usize;
    let n = u16_at(at)?;
    let mut out = Vec::new();
    for k in 0..usize::from(n).min(256) {
        let e = at + 2 + 12 * k;
        let (Some(tag), Some(kind), Some(count)) = (u16_at(e), u16_at(e + 2), u32_at(e + 4)) else { break };
        let unit: u64 = match kind {
            1 | 2 | 6 | 7 => 1,
            3 | 8 => 2,
            4 | 9 | 11 => 4,
            5 | 10 | 12 => 8,
            _ => continue,
        };
        let size = unit * u64::from(count);
        let data = if size <= 4 {
            t.get(e + 8..e + 8 + size as usize)
        } else {
            u32_at(e + 8).and_then(|o| t.get(o as usize..(o as usize).checked_add(size as usize)?))
        };
        if let Some(data) = data {
            out.push(Entry { tag, kind, data });
        }
    }
    Some((order, out))
}

/// The value of an entry as ExifTool -n shows it: numbers (lists as space-separated
/// text), trimmed strings.
fn value(e: &Entry, order: Endian) -> Value {
    let ints: Vec<i64> = match e.kind {
        1 => e.data.iter().map(|b| i64::from(*b)).collect(),
        3 | 8 => e
            .data
            .chunks_exact(2)
            .filter_map(|c| order.u16(c, 0))
            .map(|u| if e.kind == 8 { i64::from(u as i16) } else { i64::from(u) })
            .collect(),
        4 | 9 => e
            .data
            .chunks_exact(4)
            .filter_map(|c| order.u32(c, 0))
            .map(|u| if e.kind == 9 { i64::from(u as i32) } else { i64::from(u) })
            .collect(),
        _ => {
            let end = e.data.iter().position(|b| *b == 0).unwrap_or(e.data.len());
            let s = String::from_utf8_lossy(e.data.get(..end).unwrap_or_default()).trim().to_owned();
            return match s.parse::<i64>() {
                Ok(i) if e.kind == 2 => Value::Int(i),
                _ => Value::from(s),
            };
        }
    };
    match ints[..] {
        [one] => Value::Int(one),
        _ => Value::from(ints.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")),
    }
}

/// Kodak "Meta" IFD (APP3; film scanner and DCS metadata).
pub(super) fn meta(cx: &mut Ctx, tiff: &[u8]) {
    let Some((order, entries)) = ifd0(tiff) else {
        cx.warn(None, "jpeg: Kodak Meta segment without a valid IFD");
        return;
    };
    for e in &entries {
        let name = match e.tag {
            0xC350 => "FilmProductCode",
            0xC351 => "ImageSourceEK",
            0xC352 => "CaptureConditionsPAR",
            0xC353 => "CameraOwner",
            0xC354 => "SerialNumber",
            0xC355 => "UserSelectGroupTitle",
            0xC356 => "DealerIDNumber",
            0xC357 => "CaptureDeviceFID",
            0xC358 => "EnvelopeNumber",
            0xC359 => "FrameNumber",
            0xC35A => "FilmCategory",
            0xC35B => "FilmGencode",
            0xC35C => "ModelAndVersion",
            0xC35D => "FilmSize",
            0xC35E => "SBA_RGBShifts",
            0xC35F => "SBAInputImageColorspace",
            0xC360 => "SBAInputImageBitDepth",
            0xC363 => "ImageRotationStatus",
            0xC364 => "RollGuidElements",
            0xC365 => "MetadataNumber",
            _ => continue,
        };
        let v = match e.tag {
            // Undefined bytes that are text.
            0xC364 | 0xC365 => Value::from(String::from_utf8_lossy(e.data).trim_end_matches('\0')),
            _ => value(e, order),
        };
        cx.add("Meta", name, v);
    }
}

/// Epson "EPPIM": an IFD whose 0xC4A5 entry holds a PrintIM block.
pub(super) fn printim_ifd(cx: &mut Ctx, tiff: &[u8]) {
    let Some((_, entries)) = ifd0(tiff) else { return };
    for e in entries.iter().filter(|e| e.tag == 0xC4A5) {
        if e.data.starts_with(b"PrintIM\0") {
            if let Some(v) = e.data.get(8..12) {
                cx.add("PrintIM", "PrintIMVersion", String::from_utf8_lossy(v).into_owned());
            }
        }
    }
}

/// Ricoh "RMETA": (u16 type, u16 length incl. itself, data) records after a short header;
/// type 1 lists NUL-separated field names, type 3 their numeric values (type 2 as text).
pub(super) fn rmeta(cx: &mut Ctx, b: &[u8]) {
    let order = Endian::little_if(b.starts_with(b"II"));
    let u16_at = |i: usize| order.u16(b, i);
    // Find the name record: type 1 followed by a chain reaching a type 2 record.
    let start = (2..b.len().min(64)).find(|&p| {
        u16_at(p) == Some(1)
            && u16_at(p + 2).is_some_and(|l| l >= 2 && u16_at(p + 2 + usize::from(l)) == Some(2))
    });
    let Some(mut p) = start else { return };
    let (mut names, mut texts, mut nums) = (None, None, None);
    for _ in 0..16 {
        let (Some(kind), Some(len)) = (u16_at(p), u16_at(p + 2)) else { break };
        if len < 2 {
            break;
        }
        let Some(data) = b.get(p + 4..p + 2 + usize::from(len)) else { break };
        match kind {
            1 => names = Some(data),
            2 => texts = Some(data),
            3 => nums = Some(data),
            _ => break,
        }
        p += 2 + usize::from(len);
    }
    let Some(names) = names else { return };
    let names: Vec<&[u8]> = names.split(|c| *c == 0).take_while(|n| !n.is_empty()).collect();
    let texts: Vec<&[u8]> = texts.map(|t| t.split(|c| *c == 0).collect()).unwrap_or_default();
    for (i, n) in names.iter().enumerate().take(64) {
        let mut name = String::new();
        for word in String::from_utf8_lossy(n).split(|c: char| !c.is_ascii_alphanumeric()) {
            let mut cs = word.chars();
            if let Some(f) = cs.next() {
                name.push(f.to_ascii_uppercase());
                name.push_str(cs.as_str());
            }
        }
        if name.is_empty() {
            continue;
        }
        let v = match nums.and_then(|d| order.u16(d, 2 * i)) {
            Some(n) => Value::Int(i64::from(n)),
            None => match texts.get(i) {
                Some(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
                None => continue,
            },
        };
        cx.push(crate::model::Tag::new("APP5", name, v));
    }
}

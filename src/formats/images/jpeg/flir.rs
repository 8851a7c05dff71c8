//! FLIR thermal cameras: APP1 "FLIR\0" segments (8-byte header: signature, version, chunk
//! index, last chunk index) whose payloads concatenate into an FFF file. The FFF header
//! ("FFF\0", creator, version, directory offset and entry count, big-endian) lists records
//! (32-byte entries: type, subtype, version, id, offset, length). CameraInfo (0x20),
//! PaletteInfo (0x22) and RawData (0x01) records give `APP1:` tags; their field offsets were
//! read from sample files. Record data is little-endian when its first u16 reads 2.

use crate::base::bytes::{Endian, array, be16, be32};
use crate::base::date::exif_datetime;
use crate::context::Ctx;
use crate::model::{BinaryRef, Tag, Value};

/// Largest FFF file assembled.
const MAX_FFF: usize = 64 << 20;

/// The FLIR chunks of one JPEG.
#[derive(Default)]
pub(super) struct Flir {
    chunks: Vec<(u8, u64, Vec<u8>)>,
    size: usize,
}

impl Flir {
    /// Takes one APP1 body starting with "FLIR\0" at file offset `off`.
    pub(super) fn segment(&mut self, cx: &mut Ctx, body: &[u8], off: u64) {
        let (Some(&index), Some(data)) = (body.get(6), body.get(8..)) else {
            cx.warn(off, "jpeg: short FLIR segment");
            return;
        };
        if self.size + data.len() > MAX_FFF || self.chunks.len() >= 256 {
            cx.warn(off, "jpeg: FLIR data too large");
            return;
        }
        self.size += data.len();
        self.chunks.push((index, off + 8, data.to_vec()));
    }

    /// Parses the assembled FFF file.
    #[allow(clippy::disallowed_methods)] // sizes of segments already read, within the JPEG payload budget
    pub(super) fn finish(mut self, cx: &mut Ctx) {
        if self.chunks.is_empty() {
            return;
        }
        self.chunks.sort_by_key(|c| c.0);
        let mut fff = Vec::with_capacity(self.size);
        // File offset of each chunk start within the assembled data, for binary refs.
        let mut map = Vec::with_capacity(self.chunks.len());
        for (_, off, d) in &self.chunks {
            map.push((fff.len(), *off, d.len()));
            fff.extend_from_slice(d);
        }
        fff_file(cx, &fff, &map);
    }
}

fn fff_file(cx: &mut Ctx, f: &[u8], map: &[(usize, u64, usize)]) {
    if !f.starts_with(b"FFF\0") {
        cx.warn(None, "jpeg: FLIR data is not an FFF file");
        return;
    }
    let creator = f.get(4..20).unwrap_or_default();
    let end = creator.iter().position(|c| *c == 0).unwrap_or(creator.len());
    add(
        cx,
        "CreatorSoftware",
        Value::from(String::from_utf8_lossy(creator.get(..end).unwrap_or_default()).into_owned()),
    );
    let (Some(dir), Some(n)) = (be32(f, 24), be32(f, 28)) else { return };
    for k in 0..(n as usize).min(1024) {
        let e = dir as usize + 32 * k;
        let (Some(_), Some(kind), Some(off), Some(len)) =
            (f.get(e..e + 32), be16(f, e), be32(f, e + 12), be32(f, e + 16))
        else {
            cx.warn(None, "jpeg: FLIR record directory truncated");
            break;
        };
        let (off, len) = (off as usize, len as usize);
        if kind == 0 {
            continue;
        }
        let Some(r) = f.get(off..off.saturating_add(len)) else {
            cx.warn(None, "jpeg: FLIR record out of range");
            continue;
        };
        match kind {
            0x01 => raw_data(cx, r, file_offset(map, off)),
            0x20 => camera_info(cx, r),
            0x22 => palette_info(cx, r, file_offset(map, off)),
            _ => {}
        }
    }
}

/// The file offset of byte `pos` of the assembled data, when its chunk is contiguous.
fn file_offset(map: &[(usize, u64, usize)], pos: usize) -> Option<u64> {
    map.iter().find(|(s, _, l)| pos >= *s && pos < s + l).map(|(s, o, _)| o + (pos - s) as u64)
}

fn add(cx: &mut Ctx, name: &'static str, v: Value) {
    cx.push(Tag::new("APP1", name, v).in_subgroup("FLIR"));
}

/// Little-endian unless the record's leading u16 says otherwise.
struct Rec<'a> {
    r: &'a [u8],
    order: Endian,
}

impl Rec<'_> {
    fn new(r: &[u8]) -> Rec<'_> {
        Rec { r, order: Endian::little_if(r.get(..2) != Some(&[0, 2])) }
    }
    fn u16(&self, i: usize) -> Option<u16> {
        self.order.u16(self.r, i)
    }
    fn u32(&self, i: usize) -> Option<u32> {
        self.order.u32(self.r, i)
    }
    fn f32(&self, i: usize) -> Option<f64> {
        self.u32(i).map(|u| f64::from(f32::from_bits(u)))
    }
    fn text(&self, i: usize, n: usize) -> Option<String> {
        let s = self.r.get(i..i + n)?;
        let end = s.iter().position(|c| *c == 0).unwrap_or(n);
        Some(String::from_utf8_lossy(s.get(..end)?).into_owned())
    }
}

fn camera_info(cx: &mut Ctx, r: &[u8]) {
    let r = Rec::new(r);
    let floats: &[(usize, &'static str, bool)] = &[
        (32, "Emissivity", false),
        (36, "ObjectDistance", false),
        (40, "ReflectedApparentTemperature", true),
        (44, "AtmosphericTemperature", true),
        (48, "IRWindowTemperature", true),
        (52, "IRWindowTransmission", false),
        (60, "RelativeHumidity", false),
        (88, "PlanckR1", false),
        (92, "PlanckB", false),
        (96, "PlanckF", false),
        (112, "AtmosphericTransAlpha1", false),
        (116, "AtmosphericTransAlpha2", false),
        (120, "AtmosphericTransBeta1", false),
        (124, "AtmosphericTransBeta2", false),
        (128, "AtmosphericTransX", false),
        (144, "CameraTemperatureRangeMax", true),
        (148, "CameraTemperatureRangeMin", true),
        (152, "CameraTemperatureMaxClip", true),
        (156, "CameraTemperatureMinClip", true),
        (160, "CameraTemperatureMaxWarn", true),
        (164, "CameraTemperatureMinWarn", true),
        (168, "CameraTemperatureMaxSaturated", true),
        (172, "CameraTemperatureMinSaturated", true),
    ];
    for &(at, name, kelvin) in floats {
        if let Some(v) = r.f32(at) {
            add(cx, name, Value::Float(if kelvin { v - 273.15 } else { v }));
        }
    }
    let texts: &[(usize, usize, &'static str)] = &[
        (212, 32, "CameraModel"),
        (244, 16, "CameraPartNumber"),
        (260, 16, "CameraSerialNumber"),
        (276, 16, "CameraSoftware"),
        (368, 32, "LensModel"),
        (400, 16, "LensPartNumber"),
        (416, 16, "LensSerialNumber"),
    ];
    for &(at, n, name) in texts {
        if let Some(t) = r.text(at, n) {
            let v = match t.parse::<i64>() {
                Ok(i) if name == "CameraSerialNumber" => Value::Int(i),
                _ => Value::from(t),
            };
            add(cx, name, v);
        }
    }
    if let Some(v) = r.f32(436) {
        add(cx, "FieldOfView", Value::Float(v));
    }
    for &(at, n, name) in
        &[(492, 16, "FilterModel"), (508, 32, "FilterPartNumber"), (540, 32, "FilterSerialNumber")]
    {
        if let Some(t) = r.text(at, n) {
            add(cx, name, Value::from(t));
        }
    }
    if let Some(v) = r.u32(776) {
        add(cx, "PlanckO", Value::Int(i64::from(v as i32)));
    }
    if let Some(v) = r.f32(780) {
        add(cx, "PlanckR2", Value::Float(v));
    }
    for &(at, name) in &[
        (784, "RawValueRangeMin"),
        (786, "RawValueRangeMax"),
        (824, "RawValueMedian"),
        (828, "RawValueRange"),
    ] {
        if let Some(v) = r.u16(at) {
            add(cx, name, Value::Int(v.into()));
        }
    }
    // Seconds since 1970 (UTC), milliseconds, then the zone as minutes west of UTC.
    if let (Some(t), Some(ms), Some(tz)) = (r.u32(900), r.u32(904), r.u16(908)) {
        let east = -i64::from(tz as i16);
        if t != 0 && ms < 1000 && east.abs() <= 14 * 60 {
            let local = exif_datetime(i64::from(t) + east * 60);
            let sign = if east < 0 { '-' } else { '+' };
            let zone = format!("{sign}{:02}:{:02}", east.abs() / 60, east.abs() % 60);
            add(cx, "DateTimeOriginal", Value::from(format!("{local}.{ms:03}{zone}")));
        }
    }
    if let Some(v) = r.u16(1114) {
        add(cx, "FocusStepCount", Value::Int(v.into()));
    }
    if let Some(v) = r.f32(1116) {
        add(cx, "FocusDistance", Value::Float(v));
    }
    if let Some(v) = r.u16(1124) {
        add(cx, "FrameRate", Value::Int(v.into()));
    }
}

fn palette_info(cx: &mut Ctx, r: &[u8], at: Option<u64>) {
    let Some(&colors) = r.first() else { return };
    add(cx, "PaletteColors", Value::Int(colors.into()));
    for (i, name) in [
        (6, "AboveColor"),
        (9, "BelowColor"),
        (12, "OverflowColor"),
        (15, "UnderflowColor"),
        (18, "Isotherm1Color"),
        (21, "Isotherm2Color"),
    ] {
        if let Some([a, b, c]) = array::<3>(r, i) {
            add(cx, name, Value::from(format!("{a} {b} {c}")));
        }
    }
    let rec = Rec::new(r);
    if let (Some(m), Some(s)) = (r.get(26), r.get(27)) {
        add(cx, "PaletteMethod", Value::Int((*m).into()));
        add(cx, "PaletteStretch", Value::Int((*s).into()));
    }
    if let Some(t) = rec.text(48, 32) {
        add(cx, "PaletteFileName", Value::from(t));
    }
    if let Some(t) = rec.text(80, 32) {
        add(cx, "PaletteName", Value::from(t));
    }
    let n = usize::from(colors) * 3;
    if let (Some(at), true) = (at, r.len() >= 112 + n) {
        add(cx, "Palette", Value::Binary(BinaryRef { offset: at + 112, length: n as u64 }));
    }
}

fn raw_data(cx: &mut Ctx, r: &[u8], at: Option<u64>) {
    let rec = Rec::new(r);
    if let (Some(w), Some(h)) = (rec.u16(2), rec.u16(4)) {
        add(cx, "RawThermalImageWidth", Value::Int(w.into()));
        add(cx, "RawThermalImageHeight", Value::Int(h.into()));
    }
    let Some(img) = r.get(32..) else { return };
    let kind = if img.starts_with(b"\x89PNG") { "PNG" } else { "TIFF" };
    add(cx, "RawThermalImageType", Value::Text(kind.into()));
    if let Some(at) = at {
        add(cx, "RawThermalImage", Value::Binary(BinaryRef { offset: at + 32, length: img.len() as u64 }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_byte_order() {
        let r = [2u8, 0, 0x78, 0];
        let rec = Rec::new(&r);
        assert_eq!(rec.u16(2), Some(120));
        assert_eq!(rec.u16(3), None);
    }
}

//! Canon CRW raw files: the Camera Image File Format (CIFF 1.0), a tree of heaps. A heap
//! ends with the offset of its record table (count, then 10-byte records: tag, size,
//! offset from the heap's start); records whose tag says "in record" keep up to 8 bytes
//! in the size and offset fields; heap-typed records are heaps themselves. The tag's
//! bits 11-13 give the data type, the low 14 bits the record's identity.
//!
//! The records become ExifTool's `MakerNotes` tags of group `CanonRaw`; the Canon blocks
//! (CameraSettings, ShotInfo...) are read by the Canon maker-note tables.

use crate::base::bytes::Endian;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::{Tag, Text, Value};

/// Deepest heap nesting followed.
const MAX_DEPTH: u32 = 8;
/// Most records read from one heap.
const MAX_RECORDS: u64 = 512;
/// Largest value record read (image data records are skipped by type first).
const MAX_VALUE: u64 = 64 << 10;

/// Family-1 group of the CIFF records' own tags.
const GROUP: &str = "CanonRaw";

/// Reads a CRW file.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    // A Canon optional-data trailer (with the XMP packet) ends the CIFF structure.
    let trailer = super::canon_vrd::find(cx);
    let r = read_ciff(cx, 0, trailer.unwrap_or(cx.len()), GROUP);
    if let Some(at) = trailer {
        super::canon_vrd::read(cx, at);
    }
    r
}

/// Reads the CIFF block a few cameras put in a JPEG's APP0 segment (`len` bytes at
/// `base`); ExifTool files its records under the family-1 group `CIFF`.
pub(crate) fn parse_in_jpeg(cx: &mut Ctx, base: u64, len: u64) {
    if let Err(e) = read_ciff(cx, base, len, "CIFF") {
        cx.warn_error(&e);
    }
}

/// Whether an APP0 body is a CIFF block.
pub(crate) fn is_ciff(body: &[u8]) -> bool {
    matches!(body.get(..2), Some(b"II" | b"MM")) && body.get(6..10) == Some(b"HEAP".as_slice())
}

/// Reads the CIFF structure of `len` bytes at `base`: a header (byte order, header
/// length, `HEAP` and a type), then the root heap up to the end.
fn read_ciff(cx: &mut Ctx, base: u64, len: u64, group: &'static str) -> Result<()> {
    let h = cx.read_array::<14>(base)?;
    let le = match h.get(..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return Err(Error::malformed(base, "CRW: no byte-order mark")),
    };
    if h.get(6..10) != Some(b"HEAP".as_slice()) {
        return Err(Error::malformed(base, "CRW: no HEAP signature"));
    }
    let order = Endian::little_if(le);
    let start = u64::from(order.u32(&h, 2).unwrap_or(0));
    let end = base.saturating_add(len).min(cx.len());
    let root = base.saturating_add(start);
    let mut walk = Walk { order, tags: Vec::new(), blocks: Vec::new(), model: String::new() };
    walk.heap(cx, root, end.saturating_sub(root), 0, 0);
    let Walk { tags, blocks, model, .. } = walk;
    let records: Vec<(u16, &[u8])> = blocks.iter().map(|(t, d)| (*t, d.as_slice())).collect();
    // The Canon blocks come first: where a name repeats (MeasuredEV), ExifTool shows
    // the one its walk meets last, and those sit at the end of the tree.
    crate::meta::exif::read_canon_ciff(cx, &records, le, &model);
    for (name, value) in tags {
        cx.push(Tag::new("MakerNotes", name, value).in_subgroup(group));
    }
    Ok(())
}

/// What the walk gathers.
struct Walk {
    order: Endian,
    tags: Vec<(&'static str, Value)>,
    /// Canon block records (tag, bytes).
    blocks: Vec<(u16, Vec<u8>)>,
    /// `Model` from the make/model record, for the model-dependent blocks.
    model: String,
}

impl Walk {
    /// Reads the heap of `len` bytes at `start`; `parent` is the record tag it came from.
    fn heap(&mut self, cx: &mut Ctx, start: u64, len: u64, parent: u16, depth: u32) {
        if depth > MAX_DEPTH || len < 6 {
            return;
        }
        let Some(end) = start.checked_add(len) else { return };
        let Ok(t) = cx.read_array::<4>(end - 4) else { return };
        let table = start.saturating_add(u64::from(self.order.u32(&t, 0).unwrap_or(0)));
        let Ok(c) = cx.read_array::<2>(table) else { return };
        let count = u64::from(self.order.u16(&c, 0).unwrap_or(0));
        if count > MAX_RECORDS || table.saturating_add(2 + count * 10) > end {
            cx.warn(table, "CRW heap record table runs past its heap");
            return;
        }
        for i in 0..count {
            let at = table + 2 + i * 10;
            let Ok(r) = cx.read_array::<10>(at) else { return };
            let tag = self.order.u16(&r, 0).unwrap_or(0);
            let kind = tag & 0x3800;
            if tag & 0xC000 == 0x4000 {
                // Stored in the record itself.
                if let Some(d) = r.get(2..10) {
                    self.value(tag, d, parent);
                }
                continue;
            }
            let size = u64::from(self.order.u32(&r, 2).unwrap_or(0));
            let off = start.saturating_add(u64::from(self.order.u32(&r, 6).unwrap_or(0)));
            if off.saturating_add(size) > end {
                cx.warn(at, "CRW record runs past its heap");
                continue;
            }
            match kind {
                0x2800 | 0x3000 => self.heap(cx, off, size, tag & 0x3FFF, depth + 1),
                // Image data, previews and unknown binaries are not read.
                0x2000 => {}
                _ if size <= MAX_VALUE => {
                    if let Ok(d) = cx.read_cow(off, size) {
                        self.value(tag, &d, parent);
                    }
                }
                _ => {}
            }
        }
    }

    /// Keeps one value record.
    fn value(&mut self, tag: u16, d: &[u8], parent: u16) {
        let id = tag & 0x3FFF;
        if matches!(id, 0x102D | 0x102A | 0x1029 | 0x10A9 | 0x1038 | 0x1031 | 0x1093) {
            self.blocks.push((id, d.to_vec()));
            return;
        }
        match id {
            0x0805 if parent == 0x2804 => self.text("CanonFileDescription", d),
            0x0805 => self.text("UserComment", d),
            0x0815 => self.text("CanonImageType", d),
            0x0816 => self.text("OriginalFileName", d),
            0x0817 => self.text("ThumbnailFileName", d),
            0x0810 => self.text("OwnerName", d),
            0x080A => self.make_model(d),
            0x080B => self.text("CanonFirmwareVersion", d),
            0x080D => self.text("ROMOperationMode", d),
            0x100A => self.u16s(d, &[(0, "TargetImageType")]),
            0x101C => self.u16s(d, &[(0, "BaseISO")]),
            0x10AE => self.u16s(d, &[(0, "ColorTemperature")]),
            0x10B4 => self.u16s(d, &[(0, "ColorSpace")]),
            0x10B5 => self
                .u16s(d, &[(1, "RawJpgQuality"), (2, "RawJpgSize"), (3, "RawJpgWidth"), (4, "RawJpgHeight")]),
            0x1803 => {
                self.u32s(d, &[(0, "FileFormat")]);
                self.float(d, 4, "TargetCompressionRatio", 0.0);
            }
            0x1804 => self.u32s(d, &[(0, "RecordID")]),
            0x180B => self.u32s(d, &[(0, "SerialNumber")]),
            0x180E => self.timestamp(d),
            0x1810 => {
                self.u32s(d, &[(0, "ImageWidth"), (1, "ImageHeight")]);
                self.float(d, 8, "PixelAspectRatio", 0.0);
                if let Some(r) = self.order.u32(d, 12) {
                    self.tags.push(("Rotation", Value::Int(i64::from(r as i32))));
                }
                self.u32s(d, &[(4, "ComponentBitDepth"), (5, "ColorBitDepth"), (6, "ColorBW")]);
            }
            // Measured EV, stored 5 below the value shown.
            0x1814 => self.float(d, 0, "MeasuredEV", 5.0),
            0x1817 => self.u32s(d, &[(0, "FileNumber")]),
            0x1834 => self.u32s(d, &[(0, "CanonModelID")]),
            0x1835 => self.u32s(
                d,
                &[(0, "DecoderTableNumber"), (2, "CompressedDataOffset"), (3, "CompressedDataLength")],
            ),
            0x183B => self.u32s(d, &[(0, "SerialNumberFormat")]),
            _ => {}
        }
    }

    fn text(&mut self, name: &'static str, d: &[u8]) {
        let end = d.iter().position(|b| *b == 0).unwrap_or(d.len());
        let s = String::from_utf8_lossy(d.get(..end).unwrap_or_default()).into_owned();
        self.tags.push((name, Value::Text(Text::from(s))));
    }

    /// `Make` and `Model`, two NUL-terminated strings.
    fn make_model(&mut self, d: &[u8]) {
        let mut parts = d.split(|b| *b == 0);
        let make = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
        let model = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
        self.tags.push(("Make", Value::Text(Text::from(make))));
        self.model.clone_from(&model);
        self.tags.push(("Model", Value::Text(Text::from(model))));
    }

    fn u16s(&mut self, d: &[u8], fields: &[(usize, &'static str)]) {
        for (i, name) in fields {
            if let Some(v) = self.order.u16(d, i * 2) {
                self.tags.push((name, Value::Int(i64::from(v))));
            }
        }
    }

    fn u32s(&mut self, d: &[u8], fields: &[(usize, &'static str)]) {
        for (i, name) in fields {
            if let Some(v) = self.order.u32(d, i * 4) {
                self.tags.push((name, Value::Int(i64::from(v))));
            }
        }
    }

    /// An IEEE single at byte `at`, plus `add`.
    fn float(&mut self, d: &[u8], at: usize, name: &'static str, add: f64) {
        if let Some(v) = self.order.u32(d, at) {
            let f = f64::from(f32::from_bits(v)) + add;
            if f.is_finite() {
                self.tags.push((name, Value::Float(f)));
            }
        }
    }

    /// TimeStamp: Unix time of capture, the time zone in seconds, time zone info.
    fn timestamp(&mut self, d: &[u8]) {
        if let Some(t) = self.order.u32(d, 0) {
            let date = crate::base::date::exif_datetime(i64::from(t));
            self.tags.push(("DateTimeOriginal", Value::Text(Text::from(date))));
        }
        if let Some(z) = self.order.u32(d, 4) {
            self.tags.push(("TimeZoneCode", Value::Float(f64::from(z as i32) / 3600.0)));
        }
        self.u32s(d, &[(2, "TimeZoneInfo")]);
    }
}

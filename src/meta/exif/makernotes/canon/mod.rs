//! Canon maker notes: a bare IFD (no header) whose value offsets count from the parent
//! TIFF header, holding text tags and SHORT/LONG arrays that are binary blocks of named
//! fields (CameraSettings, ShotInfo, FileInfo, ColorData...). CRW files carry the same
//! blocks in CIFF records; [`read_ciff_blocks`] reads them with the same tables.
//!
//! Several blocks repeat a name (`FocusDistanceUpper` in ShotInfo, FileInfo and
//! CameraInfo): the note's tags are gathered in [`Out`] first, where a later block's
//! value replaces an earlier one, as ExifTool reports them.

mod af;
mod blocks;
mod camera_info;
mod color;
mod conv;
mod cr3;
mod custom;
mod main_ifd;
mod settings;

pub(crate) use cr3::{read_cmp1, read_cncv, read_ctmd};

use super::Note;
use super::binary::{Block, read_field};
use super::ifd::push;
use crate::base::hash::{IdBuild, bytes_hash};
use crate::context::Ctx;
use crate::model::Value;
use std::collections::HashMap;

/// Family-1 group of every Canon tag.
const GROUP: &str = "Canon";

/// Reads a Canon maker note.
pub(super) fn read(cx: &mut Ctx, note: &Note) {
    let mut out = Out::new();
    main_ifd::read(cx, note, &mut out);
    out.flush(cx);
}

/// Reads the Canon blocks a CRW file keeps in CIFF records, each given as its record
/// tag and bytes: CameraSettings (0x102D), ShotInfo (0x102A), FocalLength (0x1029),
/// ColorBalance (0x10A9), AFInfo (0x1038), SensorInfo (0x1031)
/// and FileInfo (0x1093). Pushes them as `MakerNotes:` tags of group
/// `Canon`, as ExifTool reports them.
pub(crate) fn read_ciff_blocks(cx: &mut Ctx, records: &[(u16, &[u8])], le: bool, model: &str) {
    let mut out = Out::new();
    for (tag, data) in records {
        // The top two bits of a CIFF record tag say where its data is stored; the low
        // 14 bits name the record.
        match tag & 0x3FFF {
            0x102D => out.block(&settings::CAMERA_SETTINGS, data, le),
            0x102A => settings::shot_info(&mut out, data, le, model),
            0x1029 => out.block(&settings::FOCAL_LENGTH, data, le),
            0x10A9 => out.block(&color::COLOR_BALANCE, data, le),
            0x1038 => af::af_info(&mut out, data, le),
            0x1031 => out.block(&blocks::SENSOR_INFO, data, le),
            0x1093 => settings::file_info(&mut out, data, le, model),
            _ => {}
        }
    }
    out.flush(cx);
}

/// The note's tags, in the order found; a name seen again takes the later value.
pub(super) struct Out {
    /// Family-1 group, name and value of each tag.
    tags: Vec<(&'static str, &'static str, Value)>,
    /// Where each name is in `tags`, by the name's hash (names come from the crate's
    /// tables: unseeded; a hash shared by two names falls back to a search).
    index: HashMap<u64, u32, IdBuild>,
}

/// Room `Out` starts with: a full note of a recent body holds a few hundred tags.
const TYPICAL_TAGS: usize = 512;

impl Out {
    /// An empty set of tags, with room for a full note (no regrowth on the way).
    #[allow(clippy::disallowed_methods)] // a constant
    fn new() -> Self {
        Out {
            tags: Vec::with_capacity(TYPICAL_TAGS),
            index: HashMap::with_capacity_and_hasher(TYPICAL_TAGS, IdBuild::default()),
        }
    }

    /// Sets `name` (replacing a value an earlier block gave it).
    fn set(&mut self, name: &'static str, value: Value) {
        self.set_in(GROUP, name, value);
    }

    /// Sets `name` in family-1 group `group`.
    fn set_in(&mut self, group: &'static str, name: &'static str, value: Value) {
        let h = bytes_hash(0, name.as_bytes());
        match self.position(h, name).and_then(|i| self.tags.get_mut(i)) {
            Some(slot) => *slot = (group, name, value),
            None => {
                self.index.entry(h).or_insert(self.tags.len() as u32);
                self.tags.push((group, name, value));
            }
        }
    }

    /// Where `name` (of hash `h`) is in `tags`.
    fn position(&self, h: u64, name: &str) -> Option<usize> {
        let i = *self.index.get(&h)? as usize;
        if self.tags.get(i).is_some_and(|(_, n, _)| *n == name) {
            return Some(i);
        }
        self.tags.iter().position(|(_, n, _)| *n == name)
    }

    /// The value found so far for `name`.
    fn get(&self, name: &str) -> Option<&Value> {
        let i = self.position(bytes_hash(0, name.as_bytes()), name)?;
        self.tags.get(i).map(|(_, _, v)| v)
    }

    /// The integer found so far for `name`.
    fn int(&self, name: &str) -> Option<i64> {
        match self.get(name)? {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// Sets every field of `block` that `data` holds.
    fn block(&mut self, block: &Block, data: &[u8], le: bool) {
        for field in block.fields {
            let Some(v) = read_field(data, block.unit, field, le) else { continue };
            let v = match field.conv {
                Some(conv) => match conv(v) {
                    Some(v) => v,
                    None => continue,
                },
                None => v,
            };
            self.set(field.name, v);
        }
    }

    /// Pushes the tags gathered, with the focal lengths in millimetres: CameraSettings
    /// counts them in `FocalUnits` per millimetre.
    fn flush(mut self, cx: &mut Ctx) {
        if let Some(units) = self.int("FocalUnits").filter(|u| *u > 1) {
            for (_, name, v) in &mut self.tags {
                if matches!(*name, "MaxFocalLength" | "MinFocalLength" | "FocalLength")
                    && let Value::Int(i) = *v
                {
                    *v = Value::Float(i as f64 / units as f64);
                }
            }
        }
        // Bounded by the tables' names, each once.
        #[allow(clippy::disallowed_methods)]
        cx.tags.reserve(self.tags.len());
        for (group, name, value) in self.tags {
            push(cx, group, name, value);
        }
    }
}

#[cfg(test)]
mod tests;

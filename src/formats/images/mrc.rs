//! MRC (electron microscopy image stacks, MRC2014): the 1024-byte header of 56 words
//! (sizes, grid, cell, axes, density statistics, the extended header's size and type),
//! and, when the extended header is FEI's (`FEI1`/`FEI2`), the metadata block of the
//! first frame (microscope, stage, optics, camera). The byte order is the machine stamp's
//! (`DD` little-endian, `\x11\x11` big-endian).

use crate::base::bytes::{Endian, array};
use crate::base::decode::fixed_text;
use crate::base::number::g;
use crate::composite::facts::Fact;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Value;

/// Group of every tag here (ExifTool files these under `File`).
const G: &str = "File";
/// Size of the main header.
const HEADER: usize = 1024;
/// Bytes of the FEI metadata block read (its first version's fields end before this).
const FEI_BLOCK: u64 = 768;

/// How a field is stored.
#[derive(Clone, Copy)]
enum Kind {
    U8,
    U32,
    F32,
    F64,
    /// Several values of one kind, printed space-separated.
    U8x(usize),
    U32x(usize),
    F32x(usize),
    /// A fixed-width text field cut at its first NUL.
    Str(usize),
    /// Days since 1899-12-30 (a spreadsheet date), as a date.
    Days,
}

use Kind::*;

/// The main header: name, byte offset, kind.
const MAIN: &[(&str, usize, Kind)] = &[
    ("ImageWidth", 0x0, U32),
    ("ImageHeight", 0x4, U32),
    ("ImageDepth", 0x8, U32),
    ("ImageMode", 0xc, U32),
    ("StartPoint", 0x10, U32x(3)),
    ("GridSize", 0x1c, U32x(3)),
    ("CellWidth", 0x28, F32),
    ("CellHeight", 0x2c, F32),
    ("CellDepth", 0x30, F32),
    ("CellAlpha", 0x34, F32),
    ("CellBeta", 0x38, F32),
    ("CellGamma", 0x3c, F32),
    ("ImageWidthAxis", 0x40, U32),
    ("ImageHeightAxis", 0x44, U32),
    ("ImageDepthAxis", 0x48, U32),
    ("DensityMin", 0x4c, F32),
    ("DensityMax", 0x50, F32),
    ("DensityMean", 0x54, F32),
    ("SpaceGroupNumber", 0x58, U32),
    ("ExtendedHeaderSize", 0x5c, U32),
    ("ExtendedHeaderType", 0x68, Str(4)),
    ("MRCVersion", 0x6c, U32),
    ("Origin", 0xc4, F32x(3)),
    ("MachineStamp", 0xd4, U8x(4)),
    ("RMSDeviation", 0xd8, F32),
    ("NumberOfLabels", 0xdc, U32),
];

/// FEI's metadata block (first frame): name, byte offset in the block, kind.
const FEI: &[(&str, usize, Kind)] = &[
    ("MetadataSize", 0x0, U32),
    ("MetadataVersion", 0x4, U32),
    ("Bitmask1", 0x8, U32),
    ("TimeStamp", 0xc, Days),
    ("MicroscopeType", 0x14, Str(16)),
    ("MicroscopeID", 0x24, Str(16)),
    ("Application", 0x34, Str(16)),
    ("AppVersion", 0x44, Str(16)),
    ("HighTension", 0x54, F64),
    ("Dose", 0x5c, F64),
    ("AlphaTilt", 0x64, F64),
    ("BetaTilt", 0x6c, F64),
    ("XStage", 0x74, F64),
    ("YStage", 0x7c, F64),
    ("ZStage", 0x84, F64),
    ("TiltAxisAngle", 0x8c, F64),
    ("DualAxisRot", 0x94, F64),
    ("PixelSizeX", 0x9c, F64),
    ("PixelSizeY", 0xa4, F64),
    ("Defocus", 0xdc, F64),
    ("STEMDefocus", 0xe4, F64),
    ("AppliedDefocus", 0xec, F64),
    ("InstrumentMode", 0xf4, U32),
    ("ProjectionMode", 0xf8, U32),
    ("ObjectiveLens", 0xfc, Str(16)),
    ("HighMagnificationMode", 0x10c, Str(16)),
    ("ProbeMode", 0x11c, U32),
    ("EFTEMOn", 0x120, U8),
    ("Magnification", 0x121, F64),
    ("Bitmask2", 0x129, U32),
    ("CameraLength", 0x12d, F64),
    ("SpotIndex", 0x135, U32),
    ("IlluminationArea", 0x139, F64),
    ("Intensity", 0x141, F64),
    ("ConvergenceAngle", 0x149, F64),
    ("ShiftOffsetX", 0x183, F64),
    ("ShiftOffsetY", 0x18b, F64),
    ("ShiftX", 0x193, F64),
    ("ShiftY", 0x19b, F64),
    ("IntegrationTime", 0x1a3, F64),
    ("BinningWidth", 0x1ab, U32),
    ("BinningHeight", 0x1af, U32),
    ("CameraName", 0x1b3, Str(16)),
    ("ReadoutAreaLeft", 0x1c3, U32),
    ("ReadoutAreaTop", 0x1c7, U32),
    ("ReadoutAreaRight", 0x1cb, U32),
    ("ReadoutAreaBottom", 0x1cf, U32),
    ("DirectDetElectronCounting", 0x1d8, U8),
    ("DirectDetAlignFrames", 0x1d9, U8),
    ("Bitmask3", 0x1ea, U32),
    ("PhasePlate", 0x206, U8),
    ("DwellTime", 0x23b, F64),
    ("ScanSizeLeft", 0x24b, U32),
    ("ScanSizeTop", 0x24f, U32),
    ("ScanSizeRight", 0x253, U32),
    ("ScanSizeBottom", 0x257, U32),
    ("FullScanFOV_X", 0x25b, F64),
    ("FullScanFOV_Y", 0x263, F64),
    ("Bitmask4", 0x2ec, U32),
];

/// Reads an MRC file's header and, for FEI files, the first frame's metadata.
pub(crate) fn parse(cx: &mut Ctx) -> Result<()> {
    let h = cx.read_up_to(0, HEADER as u64)?;
    if h.len() < HEADER {
        return Err(Error::malformed(0u64, "MRC header truncated"));
    }
    // The machine stamp's first byte: 0x44 for little-endian writers, 0x11 for big.
    let order = Endian::little_if(h.get(0xd4) != Some(&0x11));
    fields(cx, &h, MAIN, order);
    let (w, hh) = (order.u32(&h, 0).unwrap_or(0), order.u32(&h, 4).unwrap_or(0));
    cx.fact(Fact::ImageSize(w.into(), hh.into()));
    let ext = order.u32(&h, 0x5c).unwrap_or(0);
    let kind = h.get(0x68..0x6c).unwrap_or_default();
    if (kind == b"FEI1" || kind == b"FEI2") && u64::from(ext) >= FEI_BLOCK {
        let b = cx.read_up_to(HEADER as u64, FEI_BLOCK)?;
        fields(cx, &b, FEI, order);
    }
    Ok(())
}

/// Adds each field of `table` that `d` holds whole.
fn fields(cx: &mut Ctx, d: &[u8], table: &[(&'static str, usize, Kind)], order: Endian) {
    for &(name, at, kind) in table {
        if let Some(v) = value(d, at, kind, order) {
            cx.add(G, name, v);
        }
    }
}

/// The value of one field, `None` when `d` ends before it.
fn value(d: &[u8], at: usize, kind: Kind, o: Endian) -> Option<Value> {
    let f32_at = |p: usize| array::<4>(d, p).map(|b| f32::from_bits(o.u32_from(b)));
    let f64_at = |p: usize| array::<8>(d, p).map(|b| f64::from_bits(o.u64_from(b)));
    let list = |n: usize, size: usize, one: &dyn Fn(usize) -> Option<String>| -> Option<Value> {
        let items: Option<Vec<String>> = (0..n).map(|i| one(at + i * size)).collect();
        Some(Value::from(items?.join(" ")))
    };
    Some(match kind {
        U8 => Value::from(*d.get(at)?),
        U32 => Value::from(o.u32(d, at)?),
        F32 => Value::from(f32_at(at)?),
        F64 => Value::from(f64_at(at)?),
        U8x(n) => list(n, 1, &|p| d.get(p).map(|b| b.to_string()))?,
        U32x(n) => list(n, 4, &|p| o.u32(d, p).map(|v| v.to_string()))?,
        F32x(n) => list(n, 4, &|p| f32_at(p).map(|v| g(f64::from(v), 15)))?,
        Str(n) => Value::from(fixed_text(d.get(at..at.checked_add(n)?)?)),
        Days => {
            let days = f64_at(at)?;
            // 25569 days from 1899-12-30 to 1970-01-01; whole seconds, rounded.
            let secs = ((days - 25_569.0) * 86_400.0).round();
            if !secs.is_finite() || secs.abs() > 1e13 {
                return None;
            }
            Value::from(crate::base::date::exif_datetime(secs as i64))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{get, run};

    #[test]
    fn header_little_endian_and_truncations() {
        let mut f = vec![0u8; 1024];
        f[0..4].copy_from_slice(&640u32.to_le_bytes());
        f[4..8].copy_from_slice(&480u32.to_le_bytes());
        f[0x34..0x38].copy_from_slice(&90f32.to_le_bytes());
        f[0xd0..0xd6].copy_from_slice(b"MAP DD");
        let t = run(&f, parse);
        assert_eq!(get(&t, "File:ImageWidth"), Some(&Value::Int(640)));
        assert_eq!(get(&t, "File:ImageHeight"), Some(&Value::Int(480)));
        assert_eq!(get(&t, "File:CellAlpha"), Some(&Value::Float(90.0)));
        assert_eq!(get(&t, "File:MachineStamp"), Some(&Value::from("68 68 0 0")));
        assert_eq!(get(&t, "File:Origin"), Some(&Value::from("0 0 0")));
        assert!(get(&t, "File:MetadataSize").is_none());
        for n in 0..f.len() {
            let _ = run(&f[..n], parse);
        }
    }

    #[test]
    fn spreadsheet_days_as_date() {
        let d = 44_125.579_479_166_7f64.to_le_bytes();
        let v = value(&d, 0, Days, Endian::Little);
        assert_eq!(v, Some(Value::from("2020:10:21 13:54:27")));
    }
}

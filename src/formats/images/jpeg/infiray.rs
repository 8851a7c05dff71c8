//! InfiRay thermal cameras: a run of fixed-layout, little-endian APP2..APP9 segments
//! introduced by an APP2 whose body carries "IJPEG\0" after a 4-byte version. The layout of
//! each segment was read from sample files; fields are listed in [`FIELDS`].

use crate::base::bytes::{array, le_f32, le16, le32};
use crate::context::Ctx;
use crate::model::Value;

/// How a field is stored.
#[derive(Clone, Copy)]
enum F {
    U8,
    I8,
    U16,
    U32,
    F32,
    /// Four bytes shown as "a b c d".
    Version,
    /// NUL-padded text in a 64-byte slot.
    Text,
    /// 30 floats shown as a list.
    Floats30,
}

/// (marker, offset, storage, ExifTool group, name).
static FIELDS: &[(u8, usize, F, &str, &str)] = &[
    (0xE2, 0, F::Version, "APP2", "IJPEGVersion"),
    (0xE2, 12, F::U8, "APP2", "IJPEGOrgType"),
    (0xE2, 13, F::U8, "APP2", "IJPEGDispType"),
    (0xE2, 14, F::U8, "APP2", "IJPEGRotate"),
    (0xE2, 15, F::U8, "APP2", "IJPEGMirrorFlip"),
    (0xE2, 16, F::U8, "APP2", "ImageColorSwitchable"),
    (0xE2, 17, F::U8, "APP2", "ThermalColorPalette"),
    (0xE2, 32, F::U32, "APP2", "IRDataSize"),
    (0xE2, 36, F::U16, "APP2", "IRDataFormat"),
    (0xE2, 42, F::U16, "APP2", "IRImageWidth"),
    (0xE2, 44, F::U16, "APP2", "IRImageHeight"),
    (0xE2, 46, F::U8, "APP2", "IRImageBpp"),
    (0xE2, 48, F::U32, "APP2", "TempDataSize"),
    (0xE2, 52, F::U16, "APP2", "TempDataFormat"),
    (0xE2, 58, F::U16, "APP2", "TempImageWidth"),
    (0xE2, 60, F::U16, "APP2", "TempImageHeight"),
    (0xE2, 62, F::U8, "APP2", "TempImageBpp"),
    (0xE2, 64, F::U32, "APP2", "VisibleDataSize"),
    (0xE2, 68, F::U16, "APP2", "VisibleDataFormat"),
    (0xE2, 74, F::U16, "APP2", "VisibleImageWidth"),
    (0xE2, 76, F::U16, "APP2", "VisibleImageHeight"),
    (0xE2, 78, F::U8, "APP2", "VisibleImageBpp"),
    (0xE4, 0, F::Version, "APP4", "IJPEGTempVersion"),
    (0xE4, 4, F::I8, "APP4", "FactDefEmissivity"),
    (0xE4, 5, F::I8, "APP4", "FactDefTau"),
    (0xE4, 6, F::U16, "APP4", "FactDefTa"),
    (0xE4, 8, F::U16, "APP4", "FactDefTu"),
    (0xE4, 10, F::U16, "APP4", "FactDefDist"),
    (0xE4, 12, F::U32, "APP4", "FactDefA0"),
    (0xE4, 16, F::U32, "APP4", "FactDefB0"),
    (0xE4, 20, F::U32, "APP4", "FactDefA1"),
    (0xE4, 24, F::U32, "APP4", "FactDefB1"),
    (0xE4, 28, F::U32, "APP4", "FactDefP0"),
    (0xE4, 32, F::U32, "APP4", "FactDefP1"),
    (0xE4, 36, F::U32, "APP4", "FactDefP2"),
    (0xE4, 68, F::U16, "APP4", "FactRelSensorTemp"),
    (0xE4, 70, F::U16, "APP4", "FactRelShutterTemp"),
    (0xE4, 72, F::U16, "APP4", "FactRelLensTemp"),
    (0xE4, 100, F::U8, "APP4", "FactStatusGain"),
    (0xE4, 101, F::U8, "APP4", "FactStatusEnvOK"),
    (0xE4, 102, F::U8, "APP4", "FactStatusDistOK"),
    (0xE4, 103, F::U8, "APP4", "FactStatusTempMap"),
    (0xE5, 0, F::F32, "APP5", "EnvironmentTemp"),
    (0xE5, 4, F::F32, "APP5", "Distance"),
    (0xE5, 8, F::F32, "APP5", "Emissivity"),
    (0xE5, 12, F::F32, "APP5", "Humidity"),
    (0xE5, 16, F::F32, "APP5", "ReferenceTemp"),
    (0xE5, 32, F::U8, "APP5", "TempUnit"),
    (0xE5, 33, F::U8, "APP5", "ShowCenterTemp"),
    (0xE5, 34, F::U8, "APP5", "ShowMaxTemp"),
    (0xE5, 35, F::U8, "APP5", "ShowMinTemp"),
    (0xE5, 36, F::U16, "APP5", "TempMeasureCount"),
    (0xE6, 0, F::U8, "APP6", "MixMode"),
    (0xE6, 1, F::F32, "APP6", "FusionIntensity"),
    (0xE6, 5, F::F32, "APP6", "OffsetAdjustment"),
    (0xE6, 9, F::Floats30, "APP6", "CorrectionAsix"),
    (0xE7, 0, F::U8, "APP7", "WorkingMode"),
    (0xE7, 1, F::U32, "APP7", "IntegralTime"),
    (0xE7, 5, F::U32, "APP7", "IntegratTimeHdr"),
    (0xE7, 9, F::U8, "APP7", "GainStable"),
    (0xE7, 10, F::U8, "APP7", "TempControlEnable"),
    (0xE7, 11, F::F32, "APP7", "DeviceTemp"),
    (0xE8, 0, F::F32, "APP8", "IsothermalMax"),
    (0xE8, 4, F::F32, "APP8", "IsothermalMin"),
    (0xE8, 8, F::F32, "APP8", "ChromaBarMax"),
    (0xE8, 12, F::F32, "APP8", "ChromaBarMin"),
    (0xE9, 0, F::Text, "APP9", "IRSensorManufacturer"),
    (0xE9, 64, F::Text, "APP9", "IRSensorName"),
    (0xE9, 128, F::Text, "APP9", "IRSensorPartNumber"),
    (0xE9, 192, F::Text, "APP9", "IRSensorSerialNumber"),
    (0xE9, 256, F::Text, "APP9", "IRSensorFirmware"),
    (0xE9, 320, F::F32, "APP9", "IRSensorAperture"),
    (0xE9, 324, F::F32, "APP9", "IRFocalLength"),
    (0xE9, 384, F::Text, "APP9", "VisibleSensorManufacturer"),
    (0xE9, 448, F::Text, "APP9", "VisibleSensorName"),
    (0xE9, 512, F::Text, "APP9", "VisibleSensorPartNumber"),
    (0xE9, 576, F::Text, "APP9", "VisibleSensorSerialNumber"),
    (0xE9, 640, F::Text, "APP9", "VisibleSensorFirmware"),
    (0xE9, 704, F::F32, "APP9", "VisibleSensorAperture"),
    (0xE9, 708, F::F32, "APP9", "VisibleFocalLength"),
];

/// Whether an APP2 body opens an InfiRay segment run.
pub(super) fn is_header(body: &[u8]) -> bool {
    body.get(4..10) == Some(b"IJPEG\0")
}

/// Reads the fields of one InfiRay segment (APP2..APP9).
pub(super) fn segment(cx: &mut Ctx, marker: u8, b: &[u8]) {
    for &(_, at, kind, group, name) in FIELDS.iter().filter(|f| f.0 == marker) {
        if let Some(v) = field(b, at, kind) {
            cx.add(group, name, v);
        }
    }
}

fn field(b: &[u8], at: usize, kind: F) -> Option<Value> {
    let f32_at = |i: usize| le_f32(b, i).map(f64::from);
    Some(match kind {
        F::U8 => Value::Int(i64::from(*b.get(at)?)),
        F::I8 => Value::Int(i64::from(*b.get(at)? as i8)),
        F::U16 => Value::Int(i64::from(le16(b, at)?)),
        F::U32 => Value::Int(i64::from(le32(b, at)?)),
        F::F32 => Value::Float(f32_at(at)?),
        F::Version => {
            let [v0, v1, v2, v3] = array::<4>(b, at)?;
            Value::from(format!("{v0} {v1} {v2} {v3}"))
        }
        F::Text => {
            let slot = b.get(at..b.len().min(at + 64))?;
            let end = slot.iter().position(|c| *c == 0).unwrap_or(slot.len());
            Value::from(String::from_utf8_lossy(slot.get(..end)?).into_owned())
        }
        F::Floats30 => {
            let vals: Option<Vec<String>> =
                (0..30).map(|k| f32_at(at + 4 * k).map(|f| f.to_string())).collect();
            Value::from(vals?.join(" "))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_decode() {
        let b = [0u8, 0, 0xC8, 0x41, 0x80];
        assert_eq!(field(&b, 0, F::F32), Some(Value::Float(25.0)));
        assert_eq!(field(&b, 4, F::I8), Some(Value::Int(-128)));
        assert_eq!(field(&b, 3, F::U32), None);
        assert!(is_header(b"\0\x02\0\x01IJPEG\0"));
    }
}

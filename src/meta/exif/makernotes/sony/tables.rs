//! Sony's main maker-note IFD: tag codes, ExifTool's names, and the `-n` conversions
//! ExifTool applies to them (checked against ExifTool's output on notes built for the
//! purpose, see `tests/fixtures/makernotes/sony/`).

use super::super::conv::number_if_numeric;
use super::super::ifd::{Named, Table};
use crate::model::{Text, Value};

/// Tags every Sony body writes the same way. Model-dependent and value-dependent tags
/// are decided in `mod.rs` (`Gated`).
pub(super) const MAIN: Table = &[
    (0x0102, Named::Plain("Quality")),
    (0x0104, Named::Plain("FlashExposureComp")),
    (0x0105, Named::Plain("Teleconverter")),
    (0x0112, Named::Plain("WhiteBalanceFineTune")),
    (0x0115, Named::Plain("WhiteBalance")),
    (0x1000, Named::Plain("MultiBurstMode")),
    (0x1001, Named::Plain("MultiBurstImageWidth")),
    (0x1002, Named::Plain("MultiBurstImageHeight")),
    (0x2001, Named::Binary("PreviewImage")),
    (0x2002, Named::Plain("Rating")),
    (0x2004, Named::Plain("Contrast")),
    (0x2005, Named::Plain("Saturation")),
    (0x2006, Named::Plain("Sharpness")),
    (0x2007, Named::Plain("Brightness")),
    (0x2008, Named::Plain("LongExposureNoiseReduction")),
    (0x2009, Named::Plain("HighISONoiseReduction")),
    (0x200B, Named::Plain("MultiFrameNoiseReduction")),
    (0x200E, Named::Plain("PictureEffect")),
    (0x200F, Named::Plain("SoftSkinEffect")),
    (0x2011, Named::Plain("VignettingCorrection")),
    (0x2012, Named::Plain("LateralChromaticAberration")),
    (0x2013, Named::Plain("DistortionCorrectionSetting")),
    (0x2014, Named::Plain("WBShiftAB_GM")),
    (0x2016, Named::Plain("AutoPortraitFramed")),
    (0x2017, Named::Plain("FlashAction")),
    (0x201A, Named::Plain("ElectronicFrontCurtainShutter")),
    (0x2023, Named::Plain("MultiFrameNREffect")),
    (0x2026, Named::Plain("WBShiftAB_GM_Precise")),
    (0x2027, Named::Plain("FocusLocation")),
    (0x2028, Named::Plain("VariableLowPassFilter")),
    (0x2029, Named::Plain("RAWFileType")),
    (0x202B, Named::Plain("PrioritySetInAWB")),
    (0x202C, Named::Plain("MeteringMode2")),
    (0x202D, Named::Plain("ExposureStandardAdjustment")),
    (0x202E, Named::Plain("Quality")),
    (0x2031, Named::Conv("SerialNumber", serial_number)),
    (0x2032, Named::Plain("Shadows")),
    (0x2033, Named::Plain("Highlights")),
    (0x2034, Named::Plain("Fade")),
    (0x2035, Named::Plain("SharpnessRange")),
    (0x2036, Named::Plain("Clarity")),
    (0x2037, Named::Plain("FocusFrameSize")),
    (0x2039, Named::Plain("JPEG-HEIFSwitch")),
    (0xB000, Named::Plain("FileFormat")),
    (0xB001, Named::Plain("SonyModelID")),
    (0xB020, Named::Plain("CreativeStyle")),
    (0xB021, Named::Plain("ColorTemperature")),
    (0xB022, Named::Plain("ColorCompensationFilter")),
    (0xB023, Named::Plain("SceneMode")),
    (0xB024, Named::Plain("ZoneMatching")),
    (0xB025, Named::Plain("DynamicRangeOptimizer")),
    (0xB026, Named::Plain("ImageStabilization")),
    (0xB027, Named::Plain("LensType")),
    (0xB029, Named::Plain("ColorMode")),
    (0xB02A, Named::Conv("LensSpec", lens_spec)),
    (0xB02B, Named::Conv("FullImageSize", swap_pair)),
    (0xB02C, Named::Conv("PreviewImageSize", swap_pair)),
    (0xB040, Named::Plain("Macro")),
    (0xB041, Named::Plain("ExposureMode")),
    (0xB044, Named::Plain("AFIlluminator")),
    (0xB047, Named::Plain("JPEGQuality")),
    (0xB048, Named::Plain("FlashLevel")),
    (0xB049, Named::Plain("ReleaseMode")),
    (0xB04A, Named::Plain("SequenceNumber")),
    (0xB04B, Named::Plain("Anti-Blur")),
    (0xB052, Named::Plain("IntelligentAuto")),
];

/// The body's serial number: when it opens with eight digits, they are four byte-sized
/// pairs stored lowest first, shown highest first; ExifTool then drops one leading zero.
pub(super) fn serial_number(v: Value) -> Option<Value> {
    let text = v.as_str()?;
    let mut s = String::new();
    match text.get(..8) {
        Some(head) if head.bytes().all(|b| b.is_ascii_digit()) => {
            for pair in (0..4).rev() {
                s.push_str(head.get(2 * pair..2 * pair + 2)?);
            }
            s.push_str(text.get(8..)?);
        }
        _ => s.push_str(text),
    }
    let s = s.strip_prefix('0').unwrap_or(&s);
    if s.is_empty() {
        return None;
    }
    number_if_numeric(Value::Text(Text::from(s)))
}

/// Width and height stored height first.
pub(super) fn swap_pair(v: Value) -> Option<Value> {
    let text = v.as_str()?;
    let mut it = text.split(' ');
    let (a, b) = (it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    Some(Value::Text(Text::from(format!("{b} {a}"))))
}

/// Eight bytes of lens description: flags, shortest and longest focal lengths and the
/// widest apertures at each (binary-coded decimal, apertures in tenths), more flags.
/// Bytes that are not decimal digits are left out rather than guessed at.
pub(super) fn lens_spec(v: Value) -> Option<Value> {
    let text = v.as_str()?;
    let bytes: Vec<u8> = text.split(' ').map(|n| n.parse::<u8>().ok()).collect::<Option<_>>()?;
    let [flags, f1, f2, l1, l2, a1, a2, flags2] = bytes.as_slice() else { return None };
    let bcd = |bytes: &[u8]| -> Option<u32> {
        bytes.iter().try_fold(0u32, |acc, b| {
            let (hi, lo) = (b >> 4, b & 0x0F);
            (hi < 10 && lo < 10).then(|| acc * 100 + u32::from(hi) * 10 + u32::from(lo))
        })
    };
    let aperture = |b: u8| -> Option<String> {
        let tenths = bcd(&[b])?;
        Some(if tenths % 10 == 0 {
            (tenths / 10).to_string()
        } else {
            format!("{}.{}", tenths / 10, tenths % 10)
        })
    };
    let short = bcd(&[*f1, *f2])?;
    let long = bcd(&[*l1, *l2])?;
    Some(Value::Text(Text::from(format!(
        "{flags:02x} {short} {long} {} {} {flags2:02x}",
        aperture(*a1)?,
        aperture(*a2)?
    ))))
}

/// 32-bit words each shown as its low half, then its high half.
pub(super) fn halves(v: Value) -> Option<Value> {
    let text = v.to_text();
    let mut out = Vec::new();
    for word in text.split(' ') {
        let n: u32 = word.parse().ok()?;
        out.push((n & 0xFFFF).to_string());
        out.push((n >> 16).to_string());
    }
    Some(Value::Text(Text::from(out.join(" "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: Option<Value>) -> String {
        v.map(|v| v.to_text()).unwrap_or_default()
    }

    #[test]
    fn serial_numbers_as_exiftool_shows_them() {
        // Values ExifTool 12.57 printed for notes holding these strings.
        assert_eq!(serial_number(Value::from("00012345")), Some(Value::Int(45_230_100)));
        assert_eq!(text(serial_number(Value::from("12345600"))), "0563412");
        assert_eq!(serial_number(Value::from("123456789")), Some(Value::Int(785_634_129)));
        assert_eq!(text(serial_number(Value::from("0x123456"))), "x123456");
        assert_eq!(text(serial_number(Value::from("1234567a"))), "1234567a");
    }

    #[test]
    fn lens_spec_reads_decimal_digits_only() {
        let v = |s: &str| text(lens_spec(Value::from(s)));
        // 0x00 0x24 0x70 0x28 0x28 as decimal byte values.
        assert_eq!(v("0 0 36 0 112 40 40 0"), "00 24 70 2.8 2.8 00");
        assert_eq!(v("128 0 0 24 0 64 53 128"), "80 0 1800 4 3.5 80");
        assert_eq!(v("0 0 0 0 0 0 0 0"), "00 0 0 0 0 00");
        assert_eq!(lens_spec(Value::from("0 160 188 0 0 0 0 0")), None);
    }

    #[test]
    fn halves_and_pairs() {
        assert_eq!(text(halves(Value::from("131075 327684"))), "3 2 4 5");
        assert_eq!(text(swap_pair(Value::from("4000 6000"))), "6000 4000");
    }
}

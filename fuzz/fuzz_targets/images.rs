//! The image header parsers of the misc family (BMP, ICO/CUR, PCX, Netpbm, JPEG 2000,
//! JPEG XL codestream, EXR, HDR, DPX, SVG, BPG, FLIF, MIFF, XCF, PSP): the first byte picks
//! the format, the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use metasift::Format;

/// Formats exercised, indexed by the first input byte (keep in step with tests/robustness.rs).
const FORMATS: &[Format] = &[
    Format::Bmp,
    Format::Ico,
    Format::Cur,
    Format::Pcx,
    Format::Ppm,
    Format::Pbm,
    Format::Jp2,
    Format::J2c,
    Format::JxlCodestream,
    Format::Exr,
    Format::Hdr,
    Format::Dpx,
    Format::Svg,
    Format::Bpg,
    Format::Flif,
    Format::Miff,
    Format::Xcf,
    Format::Psp,
    Format::Mrw,
    Format::X3f,
];

fuzz_target!(|data: &[u8]| {
    if let Some((&sel, rest)) = data.split_first() {
        metasift::fuzzing::parse_as(FORMATS[usize::from(sel) % FORMATS.len()], rest);
    }
});

//! The simple raster header parsers (BMP, ICO/CUR, PCX, Netpbm, ...): the first byte picks
//! the format, the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use metasift::Format;

/// Formats exercised, indexed by the first input byte (keep in step with tests/robustness.rs).
const FORMATS: &[Format] = &[Format::Bmp, Format::Ico, Format::Cur, Format::Pcx, Format::Ppm, Format::Pbm];

fuzz_target!(|data: &[u8]| {
    if let Some((&sel, rest)) = data.split_first() {
        metasift::fuzzing::parse_as(FORMATS[usize::from(sel) % FORMATS.len()], rest);
    }
});

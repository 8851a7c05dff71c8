//! The image header parsers of the misc family (BMP, ICO/CUR, PCX, Netpbm, PFM, PICT, JPEG 2000,
//! JPEG XL codestream, EXR, HDR, DPX, SVG, BPG, FLIF, MIFF, XCF, PSP, MRW, X3F): the first
//! byte picks the format, the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    metasift::fuzzing::parse_image_header(data);
});

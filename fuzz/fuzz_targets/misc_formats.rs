//! The readers of the less common formats (MRC, PGF, PMP, DjVu, CRW, EPS, PFA, PFB, AFM,
//! INDD, INX, RealMedia, EIP): the first byte picks the format, the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    metasift::fuzzing::parse_misc_format(data);
});

//! The container parsers for Monkey's Audio, WavPack and Musepack, each on the same
//! input, without sniffing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in [metasift::Format::Ape, metasift::Format::WavPack, metasift::Format::Mpc] {
        metasift::fuzzing::parse_as(format, data);
    }
});

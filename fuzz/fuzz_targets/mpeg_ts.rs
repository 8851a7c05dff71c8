//! The container parser for `Format::M2ts`, without sniffing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    metasift::fuzzing::parse_as(metasift::Format::M2ts, data);
});

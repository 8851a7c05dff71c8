//! The container parser for `Format::Mpeg`, without sniffing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    metasift::fuzzing::parse_as(metasift::Format::Mpeg, data);
});

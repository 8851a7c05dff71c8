//! The shared Xmp payload parser on raw bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    metasift::fuzzing::parse_payload(metasift::fuzzing::Payload::Xmp, data);
});

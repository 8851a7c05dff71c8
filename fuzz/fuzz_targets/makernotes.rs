//! The maker-note reader of every maker (and the CRW container of Canon's blocks) on
//! raw bytes, and the same bytes as a CR3 timed-metadata (CTMD) sample.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    metasift::fuzzing::parse_maker_note(data);
    metasift::fuzzing::parse_canon_ctmd(data);
});

//! The PNG tail search (used for large PNGs read from a file): its fast route, from the
//! `IDAT`/`fdAT` kind codes, must give what the full byte-by-byte pass gives.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    assert!(metasift::fuzzing::png_tail_searches_agree(data));
});

//! Any input through the front door: sniffing, then whichever parser it picks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = metasift::extract_bytes(data);
});

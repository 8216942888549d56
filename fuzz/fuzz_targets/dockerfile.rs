#![no_main]
//! Fuzz target: `berth::fuzzing::dockerfile` (see its documentation for the properties checked).

libfuzzer_sys::fuzz_target!(|data: &[u8]| berth::fuzzing::dockerfile(data));

#![no_main]
//! Fuzz target: `berth::fuzzing::layer_path` (see its documentation for the properties checked).

libfuzzer_sys::fuzz_target!(|data: &[u8]| berth::fuzzing::layer_path(data));

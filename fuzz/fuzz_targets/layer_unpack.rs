#![no_main]
//! Fuzz target: `berth::fuzzing::layer_unpack` (see its documentation for the properties checked).

libfuzzer_sys::fuzz_target!(|data: &[u8]| berth::fuzzing::layer_unpack(data));

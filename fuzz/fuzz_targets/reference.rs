#![no_main]
//! Fuzz target: `berth::fuzzing::reference` (see its documentation for the properties checked).

libfuzzer_sys::fuzz_target!(|data: &[u8]| berth::fuzzing::reference(data));

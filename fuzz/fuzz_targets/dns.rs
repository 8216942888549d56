#![no_main]
//! Fuzz target: `berth::fuzzing::dns` (see its documentation for the properties checked).

libfuzzer_sys::fuzz_target!(|data: &[u8]| berth::fuzzing::dns(data));

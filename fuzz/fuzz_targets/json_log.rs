#![no_main]
//! Fuzz target: `berth::fuzzing::json_log` (see its documentation for the properties checked).

libfuzzer_sys::fuzz_target!(|data: &[u8]| berth::fuzzing::json_log(data));

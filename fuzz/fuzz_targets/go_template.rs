#![no_main]
//! Fuzz target: `berth::fuzzing::go_template` (see its documentation for the properties checked).

libfuzzer_sys::fuzz_target!(|data: &[u8]| berth::fuzzing::go_template(data));

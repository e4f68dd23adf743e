//! Arbitrary bytes, and mutations of our specs and fixtures (the seed
//! corpus), through the whole generator: it must answer with a crate or with
//! diagnostics, never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let options = apigen::Options { crate_name: "fuzzed".into(), spec_label: "fuzz.yaml".into() };
    let _ = apigen::generate(&source, &options);
    let json = apigen::Options { crate_name: "fuzzed".into(), spec_label: "fuzz.json".into() };
    let _ = apigen::generate(&source, &json);
});

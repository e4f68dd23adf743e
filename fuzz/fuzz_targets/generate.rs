//! Arbitrary bytes, and mutations of our specs and fixtures (the seed
//! corpus), through the whole generator: it must answer with a crate or with
//! diagnostics about the spec. A panic anywhere (the generator turns those
//! of its threads into internal-error diagnostics) and any internal error
//! (such as an emitted file that does not parse) are crashes here.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let options = apigen::Options::new("fuzzed".into(), "fuzz.yaml".into()).with_runtime(apigen::Runtime::Vendored);
    let json = apigen::Options::new("fuzzed".into(), "fuzz.json".into()).with_runtime(apigen::Runtime::Vendored);
    for options in [&options, &json] {
        if let Err(diags) = apigen::generate(&source, options) {
            assert!(!diags.has_internal_error(), "internal error:\n{diags}");
        }
    }
});

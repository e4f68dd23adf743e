//! In-process timings of the generator on the project's specs, for
//! `cargo xtask bench` (`cargo bench -p apigen --bench pipeline`). The
//! whole-process figures next to the peers come from the xtask itself.

use apigen::Options;

// As in the CLI.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const SPECS: &[(&str, &str)] = &[
    ("genesys-cloud-usage", include_str!("../../specs/genesys-cloud-usage.yaml")),
    ("notehub-usage", include_str!("../../specs/notehub-usage.yaml")),
    ("thousandeyes-usage", include_str!("../../specs/thousandeyes-usage.yaml")),
];

fn spec(name: &str) -> &'static str {
    SPECS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s).expect("a known spec")
}

/// Parsing, `$ref` resolution, checks and lowering to the IR.
#[divan::bench(args = ["genesys-cloud-usage", "notehub-usage", "thousandeyes-usage"])]
fn load_and_lower(name: &str) -> apigen::ir::Api {
    let label = format!("{name}.yaml");
    apigen::check(&label, divan::black_box(spec(name))).expect("our specs are valid").0
}

/// Everything but writing: load, lower, emit and format every file.
#[divan::bench(args = ["genesys-cloud-usage", "notehub-usage", "thousandeyes-usage"])]
fn generate(name: &str) -> Vec<apigen::GeneratedFile> {
    let options = Options::new(name.into(), format!("specs/{name}.yaml")).with_runtime(apigen::Runtime::Crate { path: Some("../../runtime".into()) });
    apigen::generate(divan::black_box(spec(name)), &options).expect("our specs generate").files
}

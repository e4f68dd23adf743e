//! Our specs pass an OpenAPI validator that is not our own parser, and
//! `apigen check` agrees with that validator on every spec and fixture,
//! except where `DELIBERATE` says why.

use std::path::{Path, PathBuf};

/// A spec file, not a README beside the specs.
fn is_spec(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
}

#[test]
fn specs_pass_openapi_spec_validator() {
    let specs_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut specs: Vec<_> = std::fs::read_dir(&specs_dir).unwrap().map(|e| e.unwrap().path()).filter(|p| is_spec(p)).collect();
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

/// Where `apigen check` and openapi-spec-validator disagree on purpose.
const DELIBERATE: &[(&str, &str)] = &[
    ("tests/invalid/swagger_20.yaml", "the validator also reads Swagger 2.0; apigen reads OpenAPI 3.0 and 3.1 only"),
    (
        "tests/fixtures/pointer_refs.yaml",
        "a `$ref` into `definitions` nested in a schema, as JSON Schema tools write them, is read: real specs do this, though OpenAPI 3.0's schema object has no `definitions`",
    ),
    (
        "tests/fixtures/inheritance_cycle.yaml",
        "openapi-spec-validator 0.9.0 recurses without end (RecursionError) on a base whose `oneOf` lists subtypes that extend the base with `allOf`, a pattern OpenAPI's own discriminator examples use",
    ),
    (
        "tests/fixtures/warnings.yaml",
        "an unknown key in a schema (here a YAML value split at `, `) is a warning that names it, not an error: real-world specs carry many such keys, and refusing them would refuse those specs",
    ),
];

/// Every spec, fixture and bad spec gets the same verdict from apigen as
/// from the independent validator, or is listed in [`DELIBERATE`].
#[test]
fn apigen_check_agrees_with_the_validator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["specs", "tests/fixtures", "tests/invalid"] {
        files.extend(std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).filter(|p| is_spec(p)));
    }
    files.sort();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/validate_each.py");
    let output = apigen_tests::tools::python_with_validator().arg(script).args(&files).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let mut disagreements = Vec::new();
    let mut seen = 0;
    for line in stdout.lines() {
        let mut fields = line.splitn(3, '\t');
        let (verdict, path, reason) = (fields.next().unwrap(), fields.next().unwrap(), fields.next().unwrap_or(""));
        seen += 1;
        let label = Path::new(path).strip_prefix(&root).unwrap_or(Path::new(path)).to_string_lossy().replace('\\', "/");
        let apigen_ok = apigen::check_file(&label, Path::new(path)).is_ok();
        let validator_ok = verdict == "valid";
        let listed = DELIBERATE.iter().any(|(p, _)| *p == label);
        if (apigen_ok != validator_ok) != listed {
            disagreements.push(format!("{label}: validator {verdict} {reason}, apigen {}, listed: {listed}", if apigen_ok { "ok" } else { "refuses" }));
        }
    }
    assert_eq!(seen, files.len(), "the validator gave a verdict on every file:\n{stdout}");
    assert!(disagreements.is_empty(), "unlisted disagreements (or listed ones that agree now):\n{}", disagreements.join("\n"));
}

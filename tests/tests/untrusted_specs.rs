//! Specs written by an attacker. Spec text must stay data: it never becomes
//! a doctest, raw HTML or a script link, never reads a file outside the
//! spec's folder, and never exhausts the stack or memory. Each attack ends in
//! a crate whose doctests are only the generator's own examples, or in a
//! located diagnostic; the snapshots record which.

use std::path::{Path, PathBuf};

use apigen::output::{ensure_crate, Mode};
use apigen::{Options, Runtime};
use apigen_tests::scratch::{cargo, runtime_path, text, write_workspace};

fn untrusted(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("untrusted").join(name)
}

/// Every piece of spec text that reaches docs, the README or Cargo.toml
/// holds code blocks of every form CommonMark knows (each a
/// `compile_error!`), raw HTML, script links, control and bidi characters;
/// the spec's label holds a line break and Rust code. The crate must pass
/// clippy and rustdoc with warnings denied, and `cargo test --doc` must run
/// exactly the generator's examples.
#[test]
fn spec_text_never_becomes_code_or_markup() {
    let spec = untrusted("doc_injection.json");
    let options = Options::new("untrusted-docs".into(), "tests/untrusted/doc\ncompile_error!(\"label\"); // injection.json".into()).with_runtime(Runtime::Crate { path: Some(runtime_path()) });
    let generated = apigen::generate_file(&spec, &options).unwrap_or_else(|d| panic!("{d}"));
    let operations = generated.files.iter().filter(|f| f.path.starts_with("src/operations/") && !f.path.ends_with("mod.rs")).count();
    assert_eq!(operations, 4);

    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("untrusted-crates");
    ensure_crate(&workspace.join("untrusted-docs"), &generated.files, Mode::Write).unwrap();
    write_workspace(&workspace, &["untrusted-docs".to_string()]);
    // The fixture crates' target directory: the same dependencies, built once.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates/target");
    let cargo = |args: &[&str]| cargo(&workspace, &target, args);

    let clippy = cargo(&["clippy", "--offline", "--all-features", "--quiet", "--", "-D", "warnings"]);
    assert!(clippy.status.success(), "clippy failed:\n{}", text(&clippy));
    let doc = cargo(&["doc", "--offline", "--all-features", "--no-deps", "--quiet"]);
    assert!(doc.status.success(), "rustdoc failed:\n{}", text(&doc));

    // The generator's examples: one per client method, the crate's
    // getting-started example, the mock module's, and the same in the
    // README, which also has the request-control example.
    let doctests = cargo(&["test", "--offline", "--all-features", "--doc"]);
    let out = text(&doctests);
    assert!(doctests.status.success(), "a doctest failed, so spec text was compiled:\n{out}");
    let expected = format!("test result: ok. {} passed; 0 failed", 2 * operations + 5);
    assert!(out.contains(&expected), "expected `{expected}`:\n{out}");
    let list = cargo(&["test", "--offline", "--all-features", "--doc", "--", "--list"]);
    let mut names: Vec<String> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .filter(|l| l.ends_with(": test"))
        // Line numbers move with any change of the docs; the names do not.
        .map(|l| l.split(" (line").next().unwrap_or(l).to_string())
        .collect();
    names.sort();
    insta::assert_snapshot!(names.join("\n"));

    // No markup from the spec in the rendered docs: its tags and links are text.
    let html_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates/target/doc/untrusted_docs");
    let mut pages = vec![html_dir];
    let mut checked = 0;
    while let Some(path) = pages.pop() {
        if path.is_dir() {
            pages.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).unwrap();
            for needle in ["href=\"javascript:", "src=\"javascript:", "<script>alert", "<img src=x", "<b onclick"] {
                assert!(!html.contains(needle), "{} holds `{needle}`", path.display());
            }
            checked += 1;
        }
    }
    assert!(checked > 5, "rustdoc wrote the pages");

    let manifest = std::fs::read_to_string(workspace.join("untrusted-docs/Cargo.toml")).unwrap();
    assert!(manifest.lines().all(|l| !l.starts_with("compile_error")), "{manifest}");
}

/// `$ref`s that leave the spec's folder, name devices, or build chains
/// longer than any real spec: each gets a located diagnostic that quotes no
/// file, and nothing hangs, overflows or reads past the limits.
#[test]
fn references_stay_inside_the_spec_folder() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("untrusted-refs");
    let _ = std::fs::remove_dir_all(&scratch);
    let dir = scratch.join("spec");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(scratch.join("secret.yaml"), "Secret: {type: string, description: 'the secret text'}\n").unwrap();
    std::fs::write(dir.join("models.yaml"), "Pet: {type: object, properties: {name: {type: string}}}\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(scratch.join("secret.yaml"), dir.join("link.yaml")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero.yaml")).unwrap();
    }
    // A chain of 10,000 references inside a referenced file.
    let chain: String = (0..10_000).map(|i| format!("S{i}: {{$ref: '#/S{}'}}\n", i + 1)).collect();
    std::fs::write(dir.join("chain.yaml"), format!("{chain}S10000: {{type: string}}\n")).unwrap();

    let mut report = String::new();
    for reference in [
        "/etc/passwd#/root",
        "../secret.yaml#/Secret",
        "sub/../../secret.yaml#/Secret",
        "missing/../../secret.yaml#/Secret",
        "file:///etc/passwd",
        "link.yaml#/Secret",
        "zero.yaml#/X",
        "/dev/zero",
        "/dev/stdin",
        "sub",
        "chain.yaml#/S0",
        // Inside the folder: read, and once however it is spelled.
        "sub/../models.yaml#/Pet",
    ] {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '{reference}'}}\n"
        );
        std::fs::write(dir.join("api.yaml"), spec).unwrap();
        let options = Options::new("refs".into(), "api.yaml".into()).with_runtime(Runtime::Vendored);
        let outcome = match apigen::generate_file(&dir.join("api.yaml"), &options) {
            Ok(g) => format!("generated, {} type(s) in src/types.rs", g.files.iter().find(|f| f.path == "src/types.rs").map_or(0, |f| f.contents.matches("pub struct").count())),
            Err(d) => d.to_string(),
        };
        assert!(!outcome.contains("secret text") && !outcome.contains("root:"), "{reference} quoted a file: {outcome}");
        assert!(!outcome.contains(&*scratch.to_string_lossy()), "{reference}: absolute path in {outcome}");
        report.push_str(&format!("== $ref: {reference}\n{outcome}\n"));
    }
    insta::assert_snapshot!(report);
}

/// A chain of references in one file, 2,000 schemas deep through object
/// properties and through `allOf`: a located diagnostic, not a stack
/// overflow.
#[test]
fn deep_reference_chains_end_in_a_diagnostic() {
    let mut report = String::new();
    for (kind, schema) in [
        ("alias", "{$ref: '#/components/schemas/S%'}"),
        ("property", "{type: object, properties: {next: {$ref: '#/components/schemas/S%'}}}"),
        ("allOf", "{allOf: [{$ref: '#/components/schemas/S%'}]}"),
    ] {
        let mut spec = String::from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S0'}\ncomponents:\n  schemas:\n",
        );
        for i in 0..2_000 {
            spec.push_str(&format!("    S{i}: {}\n", schema.replace('%', &(i + 1).to_string())));
        }
        spec.push_str("    S2000: {type: object, properties: {x: {type: string}}}\n");
        let options = Options::new("deep".into(), format!("{kind}.yaml")).with_runtime(Runtime::Vendored);
        let err = apigen::generate(&spec, &options).expect_err("too deep");
        report.push_str(&format!("== {kind}\n{err}\n"));
    }
    insta::assert_snapshot!(report);
}

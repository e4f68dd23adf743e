//! `--vendor-runtime` output stands alone: each usage spec's crate, made
//! with the runtime copied in and placed outside this workspace, builds
//! without warnings, documents cleanly and passes its doctests, depending on
//! nothing of apigen's.

use std::path::Path;

use apigen::output::{ensure_crate, Mode};
use apigen::{Options, Runtime};
use apigen_tests::scratch::{cargo, text, write_workspace};

#[test]
fn vendored_crates_build_and_pass_their_doctests_outside_the_workspace() {
    // Outside the repository, so no workspace above can claim the crates.
    let workspace = std::env::temp_dir().join(format!("apigen-vendored-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&workspace);
    std::fs::create_dir_all(&workspace).unwrap();
    let specs = ["genesys-cloud-usage", "notehub-usage", "thousandeyes-usage"];
    for spec in specs {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../specs/{spec}.yaml"));
        let options =
            Options::new(spec.into(), format!("specs/{spec}.yaml")).with_runtime(Runtime::Vendored);
        let generated = apigen::generate_file(&path, &options).unwrap_or_else(|d| panic!("{d}"));
        let manifest = &generated.files.iter().find(|f| f.path == "Cargo.toml").unwrap().contents;
        assert!(
            !manifest.contains("apigen-runtime"),
            "{spec}: a vendored crate depends on the runtime crate:\n{manifest}"
        );
        assert!(generated.files.iter().any(|f| f.path == "src/apigen_runtime/mod.rs"), "{spec}: no runtime copy");
        ensure_crate(&workspace.join(spec), &generated.files, Mode::Write).unwrap();
    }
    write_workspace(&workspace, &specs.map(String::from));
    // The fixture crates' target directory: the same dependencies, built once.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates/target");
    let cargo = |args: &[&str]| cargo(&workspace, &target, args);

    let clippy =
        cargo(&["clippy", "--offline", "--workspace", "--all-targets", "--all-features", "--quiet", "--", "-D", "warnings"]);
    assert!(clippy.status.success(), "clippy failed:\n{}", text(&clippy));
    let doc = cargo(&["doc", "--offline", "--workspace", "--all-features", "--no-deps", "--quiet"]);
    assert!(doc.status.success(), "rustdoc failed:\n{}", text(&doc));
    // The doctests, and the runtime's own unit tests in their copies.
    let tests = cargo(&["test", "--offline", "--workspace", "--all-features"]);
    let out = text(&tests);
    assert!(tests.status.success(), "tests failed:\n{out}");
    let doctests = out.lines().filter(|l| l.starts_with("test result: ok.") && !l.contains(" 0 passed")).count();
    assert!(doctests >= 6, "expected unit tests and doctests in each crate:\n{out}");
    let _ = std::fs::remove_dir_all(&workspace);
}

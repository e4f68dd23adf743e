//! `--vendor-runtime` output stands alone: each usage spec's crate, made
//! with the runtime copied in and placed outside this workspace, builds
//! without warnings, documents cleanly and passes its doctests, depending on
//! nothing of apigen's.

use std::path::Path;
use std::process::Command;

use apigen::output::{ensure_crate, Mode};
use apigen::{Options, Runtime};

fn cargo(workspace: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(workspace)
        // The fixture crates' target directory: the same dependencies, built once.
        .env("CARGO_TARGET_DIR", Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates/target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap()
}

fn text(output: &std::process::Output) -> String {
    format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

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
            Options { crate_name: spec.into(), spec_label: format!("specs/{spec}.yaml"), runtime: Runtime::Vendored };
        let generated = apigen::generate_file(&path, &options).unwrap_or_else(|d| panic!("{d}"));
        let manifest = &generated.files.iter().find(|f| f.path == "Cargo.toml").unwrap().contents;
        assert!(
            !manifest.contains("apigen-runtime"),
            "{spec}: a vendored crate depends on the runtime crate:\n{manifest}"
        );
        assert!(generated.files.iter().any(|f| f.path == "src/apigen_runtime/mod.rs"), "{spec}: no runtime copy");
        ensure_crate(&workspace.join(spec), &generated.files, Mode::Write).unwrap();
    }
    let members: Vec<String> = specs.iter().map(|s| format!("\"{s}\"")).collect();
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )
    .unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"), workspace.join("Cargo.lock")).unwrap();

    let clippy =
        cargo(&workspace, &["clippy", "--offline", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    assert!(clippy.status.success(), "clippy failed:\n{}", text(&clippy));
    let doc = cargo(&workspace, &["doc", "--offline", "--workspace", "--no-deps", "--quiet"]);
    assert!(doc.status.success(), "rustdoc failed:\n{}", text(&doc));
    // The doctests, and the runtime's own unit tests in their copies.
    let tests = cargo(&workspace, &["test", "--offline", "--workspace"]);
    let out = text(&tests);
    assert!(tests.status.success(), "tests failed:\n{out}");
    let doctests = out.lines().filter(|l| l.starts_with("test result: ok.") && !l.contains(" 0 passed")).count();
    assert!(doctests >= 6, "expected unit tests and doctests in each crate:\n{out}");
    let _ = std::fs::remove_dir_all(&workspace);
}

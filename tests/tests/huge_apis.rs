//! Huge APIs compile in parts (issue 16). GitHub's client has 1,200
//! operations in about 50 tag groups, each a Cargo feature. Here an
//! application turns on one small group: the crate compiles without
//! rustc's warnings, the group's operation is there, and another group's is
//! not.
//! The whole crate's check takes minutes; `cargo xtask corpus` runs it and
//! `cargo xtask bench --only huge` measures it.

use std::path::Path;

use apigen::output::{ensure_crate, Mode};
use apigen::{Options, Runtime};
use apigen_tests::scratch::{cargo, runtime_path, text, write_workspace};

/// An application of the GitHub crate with only `emojis` on, calling `call`.
fn application(dir: &Path, call: &str) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\ngithub = { path = \"../github\", default-features = false, features = [\"emojis\"] }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/lib.rs"),
        format!("pub async fn run(client: &github::Client) -> bool {{\n    client.{call}.send().await.is_ok()\n}}\n"),
    )
    .unwrap();
}

#[test]
fn one_group_of_github_compiles_alone() {
    let spec = apigen_tests::tools::github_spec();
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("huge-apis");
    let options = Options::new("github".into(), "api.github.com.json".into())
        .with_runtime(Runtime::Crate { path: Some(runtime_path()) });
    let generated = apigen::generate_file(&spec, &options).unwrap_or_else(|d| panic!("{d}"));
    ensure_crate(&workspace.join("github"), &generated.files, Mode::Write).unwrap();

    let manifest = std::fs::read_to_string(workspace.join("github/Cargo.toml")).unwrap();
    let default = manifest.split("default = [").nth(1).and_then(|rest| rest.split(']').next()).unwrap_or_default();
    for group in ["\"emojis\",", "\"repos\",", "\"actions\","] {
        assert!(default.contains(group), "`default` turns on every group, {group} too:\n{manifest}");
    }
    assert!(!default.contains("unreferenced-types"), "`default` leaves out types no operation uses:\n{manifest}");
    let readme = std::fs::read_to_string(workspace.join("github/README.md")).unwrap();
    assert!(readme.contains("| `emojis` | operations tagged `emojis` | 1 |"), "the README lists the groups");

    // Builds share the fixture crates' target directory: same dependencies.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates/target");
    application(&workspace.join("app"), "emojis_get()");
    write_workspace(&workspace, &["github".into(), "app".into()]);
    // rustc's warnings, not clippy's: clippy's Markdown lints also read the
    // docs of the operations left out, which are GitHub's text.
    let out = cargo(&workspace, &target, &["check", "--offline", "-p", "github", "-p", "app", "--message-format=short"]);
    let output = text(&out);
    assert!(out.status.success(), "GitHub's crate with `emojis` alone does not compile:\n{output}");
    assert!(!output.contains("warning"), "GitHub's crate with `emojis` alone has warnings:\n{output}");

    // `repos/get` is in the `repos` group, which is off.
    application(&workspace.join("app"), "repos_get(\"octocat\", \"hello-world\")");
    let out = cargo(&workspace, &target, &["check", "--offline", "-p", "app", "--message-format=short"]);
    let output = text(&out);
    assert!(!out.status.success(), "an operation of a group that is off compiled:\n{output}");
    assert!(output.contains("no method named `repos_get`"), "{output}");
}

//! Scratch workspaces of generated crates, built and tested with cargo the
//! way an application would.

use std::path::Path;
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The folder of the workspace's runtime crate, for a generated crate's
/// `apigen-runtime` dependency.
pub fn runtime_path() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime").display().to_string()
}

/// Makes `dir` a workspace of `members`, with the main workspace's lock
/// file, so the same dependency versions are used and nothing is downloaded.
pub fn write_workspace(dir: &Path, members: &[String]) {
    let list: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    std::fs::write(dir.join("Cargo.toml"), format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", list.join(", ")))
        .unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// Runs `cargo args` in `workspace`, building into `target` (a directory of
/// its own: the outer `cargo test` holds the main workspace's), with
/// rustdoc warnings denied.
pub fn cargo(workspace: &Path, target: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap()
}

/// A command's output, for a failure message.
pub fn text(output: &Output) -> String {
    format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// Runs `command` with `input` as JSON on its stdin and reads the JSON it
/// writes; `what` names it in an error. The programs and scripts it runs
/// read all their input before writing.
pub fn json_through(mut command: Command, what: &str, input: &serde_json::Value) -> Result<serde_json::Value, String> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    child.stdin.take().expect("piped").write_all(input.to_string().as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("{what} failed:\n{}", text(&out)));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("{what} wrote no JSON: {e}"))
}

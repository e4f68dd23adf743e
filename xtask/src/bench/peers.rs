//! The generators and SDKs we compare with, installed on first use into
//! `~/.cache/apigen-bench`. Nothing of theirs is committed.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Crates installed with `cargo install`, and PyPI packages, by exact version.
const PROGENITOR: (&str, &str) = ("cargo-progenitor", "0.15.1");
const HYPERFINE: (&str, &str) = ("hyperfine", "1.19.0");
const OPENAPI_GENERATOR: (&str, &str) = ("openapi-generator-cli", "7.26.0");
/// The official Genesys Cloud Python SDK, the version our spec was checked against.
const GENESYS_PYTHON_SDK: (&str, &str) = ("purecloudplatformclientv2", "269.0.0");

pub fn cache_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".cache").join("apigen-bench")
}

/// `cargo-progenitor`, built from crates.io.
pub fn progenitor() -> Result<PathBuf> {
    Ok(ensure(PROGENITOR, cargo_install)?.join("bin/cargo-progenitor"))
}

/// hyperfine: the one on `PATH`, or one built from crates.io.
pub fn hyperfine() -> Result<PathBuf> {
    if Command::new("hyperfine").arg("--version").output().is_ok_and(|o| o.status.success()) {
        return Ok(PathBuf::from("hyperfine"));
    }
    Ok(ensure(HYPERFINE, cargo_install)?.join("bin/hyperfine"))
}

/// openapi-generator's CLI from PyPI (its wheel carries the jar; Java 17 runs it).
/// Returns the directory to put on `PYTHONPATH`.
pub fn openapi_generator() -> Result<PathBuf> {
    ensure(OPENAPI_GENERATOR, pip_install)
}

/// The Genesys Cloud Python SDK. Returns the directory to put on `PYTHONPATH`.
pub fn genesys_python_sdk() -> Result<PathBuf> {
    ensure(GENESYS_PYTHON_SDK, pip_install)
}

/// The directory holding `package` at `version`, installed on first use:
/// into a scratch directory, renamed into place only when the install
/// succeeded, so an interrupted install is never mistaken for a finished one.
fn ensure((package, version): (&str, &str), install: fn(&Path, &str, &str) -> Command) -> Result<PathBuf> {
    let dir = cache_dir().join(format!("{package}-{version}"));
    if dir.exists() {
        return Ok(dir);
    }
    let scratch = cache_dir().join(format!("{package}-{version}.partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let status = install(&scratch, package, version).status().with_context(|| format!("installing {package}"))?;
    if !status.success() {
        bail!("installing {package} {version} failed");
    }
    if std::fs::rename(&scratch, &dir).is_err() {
        // Another run finished first; its copy is as good as ours.
        let _ = std::fs::remove_dir_all(&scratch);
    }
    Ok(dir)
}

fn cargo_install(root: &Path, package: &str, version: &str) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.args(["install", "--locked", "--quiet", &format!("{package}@{version}"), "--root"]).arg(root);
    cmd
}

fn pip_install(target: &Path, package: &str, version: &str) -> Command {
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target"])
        .arg(target)
        .arg(format!("{package}=={version}"))
        .env("PIP_ROOT_USER_ACTION", "ignore");
    cmd
}

/// A copy of `spec` that progenitor 0.15 accepts: it panics on operations
/// with more than one success or error body type (`response_types.len() <= 1`)
/// and on responses with several media types. The copy keeps the first
/// success response and the first error response of each operation, drops
/// `default` (which progenitor counts as both) and keeps one media type.
pub fn progenitor_copy(spec: &Path, out: &Path) -> Result<()> {
    let text = std::fs::read_to_string(spec)?;
    let mut doc: serde_json::Value = serde_yaml::from_str(&text).with_context(|| format!("reading {}", spec.display()))?;
    if let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_object_mut()) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for (method, op) in item.iter_mut() {
                if !matches!(method.as_str(), "get" | "put" | "post" | "delete" | "patch" | "head" | "options") {
                    continue;
                }
                let Some(responses) = op.get_mut("responses").and_then(|r| r.as_object_mut()) else { continue };
                let first = |class: char| responses.keys().find(|k| k.starts_with(class)).cloned();
                let keep: Vec<String> =
                    [first('2'), first('4').or_else(|| first('5'))].into_iter().flatten().collect();
                responses.retain(|k, _| keep.contains(k));
                for response in responses.values_mut() {
                    if let Some(content) = response.get_mut("content").and_then(|c| c.as_object_mut()) {
                        let chosen = if content.contains_key("application/json") {
                            Some("application/json".to_string())
                        } else {
                            content.keys().next().cloned()
                        };
                        content.retain(|k, _| Some(k) == chosen.as_ref());
                    }
                }
            }
        }
    }
    std::fs::write(out, serde_json::to_string_pretty(&doc)?)?;
    Ok(())
}

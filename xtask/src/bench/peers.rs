//! The generators and SDKs we compare with, installed on first use into
//! `~/.cache/apigen-bench`. Nothing of theirs is committed.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

const PROGENITOR: &str = "cargo-progenitor@0.15.1";
const HYPERFINE: &str = "hyperfine@1.19.0";
const OPENAPI_GENERATOR: &str = "openapi-generator-cli==7.26.0";
/// The official Genesys Cloud Python SDK, the version our spec was checked against.
const GENESYS_PYTHON_SDK: &str = "purecloudplatformclientv2==269.0.0";

pub fn cache_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".cache").join("apigen-bench")
}

/// `cargo-progenitor`, built from crates.io.
pub fn progenitor() -> Result<PathBuf> {
    let root = cache_dir().join("progenitor");
    let bin = root.join("bin/cargo-progenitor");
    if !bin.exists() {
        let status = Command::new("cargo")
            .args(["install", "--locked", "--quiet", PROGENITOR, "--root"])
            .arg(&root)
            .status()
            .context("cargo install cargo-progenitor")?;
        if !status.success() {
            bail!("installing cargo-progenitor failed");
        }
    }
    Ok(bin)
}

/// openapi-generator's CLI from PyPI (its wheel carries the jar; Java 17 runs it).
/// Returns the directory to put on `PYTHONPATH`.
pub fn openapi_generator() -> Result<PathBuf> {
    let dir = cache_dir().join("openapi-generator");
    if !dir.join("bin/openapi-generator-cli").exists() {
        pip_install(&dir, OPENAPI_GENERATOR)?;
    }
    Ok(dir)
}

/// The Genesys Cloud Python SDK. Returns the directory to put on `PYTHONPATH`.
pub fn genesys_python_sdk() -> Result<PathBuf> {
    let dir = cache_dir().join("python-sdk");
    if !dir.join("PureCloudPlatformClientV2").exists() {
        pip_install(&dir, GENESYS_PYTHON_SDK)?;
    }
    Ok(dir)
}

fn pip_install(dir: &Path, package: &str) -> Result<()> {
    let status = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target"])
        .arg(dir)
        .arg(package)
        .env("PIP_ROOT_USER_ACTION", "ignore")
        .status()
        .with_context(|| format!("pip install {package}"))?;
    if !status.success() {
        bail!("installing {package} failed");
    }
    Ok(())
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

/// hyperfine: the one on `PATH`, or one built from crates.io.
pub fn hyperfine() -> Result<PathBuf> {
    if Command::new("hyperfine").arg("--version").output().is_ok_and(|o| o.status.success()) {
        return Ok(PathBuf::from("hyperfine"));
    }
    let root = cache_dir().join("hyperfine");
    let bin = root.join("bin/hyperfine");
    if !bin.exists() {
        let status = Command::new("cargo")
            .args(["install", "--locked", "--quiet", HYPERFINE, "--root"])
            .arg(&root)
            .status()
            .context("cargo install hyperfine")?;
        if !status.success() {
            bail!("installing hyperfine failed");
        }
    }
    Ok(bin)
}

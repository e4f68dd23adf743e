//! Each generated crate's version and `CHANGELOG.md` from its spec's
//! history in git (`apigen::release` does the rest): the base is the
//! changelog as committed, and the spec an entry was made from is found
//! among the committed versions of the spec by the hash the entry names.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};
use apigen::output::Mode;
use apigen::release::{release, spec_hash, Release};

/// The release of the crate `name` generated from `spec`. Prints what
/// changed: when regenerating, since the last entry; when checking, in the
/// last commit (the change CI looks at).
pub fn of(root: &Path, spec: &Path, label: &str, name: &str, mode: Mode) -> Result<Release> {
    let text = std::fs::read_to_string(spec).with_context(|| format!("cannot read {label}"))?;
    let (api, _) = apigen::check(label, &text).map_err(|d| anyhow::anyhow!("{d}"))?;
    let changelog = format!("generated/{name}/CHANGELOG.md");
    // Outside a git checkout, the changelog on disk is the base.
    let base = git_show(root, "HEAD", &changelog).or_else(|| std::fs::read_to_string(root.join(&changelog)).ok());
    let previous = |hash: &str| {
        committed_versions(root, label).into_iter().find(|t| spec_hash(t) == hash).and_then(|t| apigen::check(label, &t).ok()).map(|(a, _)| a)
    };
    let release = release(name, label, "cargo xtask regen", &changelog, base.as_deref(), (&api, &text), previous)?;
    if mode == Mode::Write && !release.changes.is_empty() {
        eprint!("regen: {name} {}: {}", release.version, apigen::diff::report(&release.changes));
    }
    if mode == Mode::Check {
        if let Some(before) = git_show(root, "HEAD~1", label).filter(|b| *b != text) {
            if let Ok((old, _)) = apigen::check(label, &before) {
                let changes = apigen::diff::diff(&old, &api);
                eprint!("regen: {label} changed in the last commit: {}", apigen::diff::report(&changes));
            }
        }
    }
    Ok(release)
}

/// A file as committed at `rev`, if git has it.
fn git_show(root: &Path, rev: &str, path: &str) -> Option<String> {
    let out = Command::new("git").arg("-C").arg(root).args(["show", &format!("{rev}:{path}")]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Every committed version of the file at `path`, newest first.
fn committed_versions(root: &Path, path: &str) -> Vec<String> {
    let Ok(out) = Command::new("git").arg("-C").arg(root).args(["log", "--format=%H", "--", path]).output() else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out.stdout).lines().filter_map(|commit| git_show(root, commit, path)).collect()
}

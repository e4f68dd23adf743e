//! apigen turns an OpenAPI 3.0 or 3.1 spec into a self-contained Rust client crate.
//!
//! The pipeline is `load` (text to `openapiv3`), `lower` (to the IR in [`ir`]),
//! `emit` (IR to files), `output` (files to disk, or a staleness check). See
//! ARCHITECTURE.md.

mod bundle;
pub mod diagnostic;
pub mod diff;
mod emit;
pub mod ident;
pub mod ir;
mod load;
mod locate;
mod lower;
mod normalize;
pub mod output;
mod paths;
pub mod release;
pub mod reserved;
mod structure;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};

/// What to generate. Made with [`Options::new`]; more settings may come, so
/// it cannot be built as a struct literal outside this crate.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// Name of the crate (`notehub-usage`).
    pub crate_name: String,
    /// How the spec is named in file headers (`specs/notehub-usage.yaml`):
    /// a relative path or a file name, never an absolute path.
    pub spec_label: String,
    /// Where the crate's runtime comes from.
    pub runtime: Runtime,
    /// The command that regenerates the crate, named in every file's header;
    /// `None`: `apigen generate <spec> --out <dir>`.
    pub regenerate: Option<String>,
    /// Where an application finds the crate, for the README's
    /// `[dependencies]` line; `None`: `path/to/<crate name>`.
    pub dependency_path: Option<String>,
    /// The crate's version (`0.1.0` unless set).
    pub version: Option<String>,
    /// The crate's license, an SPDX expression (`MIT OR Apache-2.0` unless set).
    pub license: Option<String>,
}

impl Options {
    /// Options for a crate named `crate_name` from the spec named
    /// `spec_label`, depending on the `apigen-runtime` crate from crates.io.
    pub fn new(crate_name: String, spec_label: String) -> Self {
        Options {
            crate_name,
            spec_label,
            runtime: Runtime::Crate { path: None },
            regenerate: None,
            dependency_path: None,
            version: None,
            license: None,
        }
    }

    /// These options with the runtime from `runtime`.
    pub fn with_runtime(mut self, runtime: Runtime) -> Self {
        self.runtime = runtime;
        self
    }

    /// The command named in headers to regenerate the crate.
    pub(crate) fn regenerate_command(&self) -> String {
        self.regenerate.clone().unwrap_or_else(|| format!("apigen generate {} --out <dir>", self.spec_label))
    }
}

/// Where a generated crate's runtime (transport, retries, auth, errors,
/// pagination, polling) comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// A dependency on the `apigen-runtime` crate, shared by every client an
    /// application uses. With `path`, the dependency also names the crate's
    /// folder, as written into `Cargo.toml` (relative to the generated crate,
    /// or absolute).
    Crate {
        /// The `path` key of the dependency, if any.
        path: Option<String>,
    },
    /// The runtime's source copied into the crate, which then depends on
    /// nothing of apigen's: for a client copied out on its own.
    Vendored,
}

/// One file of a generated crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path inside the crate, with `/` separators.
    pub path: String,
    /// Full contents.
    pub contents: String,
}

/// A generated crate and the warnings its spec produced.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Warnings (no errors: those fail generation).
    pub warnings: Diagnostics,
}

/// Reads and lowers a spec without generating code: the `check` command.
/// References to other files are an error here; see [`check_file`].
pub fn check(spec_label: &str, source: &str) -> Result<(ir::Api, Diagnostics), Diagnostics> {
    let loaded = load::load(spec_label, source, None)?;
    lower::lower(spec_label, &loaded)
}

/// Like [`check`], reading `path` and the files its `$ref`s name.
pub fn check_file(spec_label: &str, path: &std::path::Path) -> Result<(ir::Api, Diagnostics), Diagnostics> {
    lower::lower(spec_label, &load_file(spec_label, path)?)
}

/// Reads the spec at `path` and the files its `$ref`s name.
fn load_file(spec_label: &str, path: &std::path::Path) -> Result<load::Loaded, Diagnostics> {
    let source = bundle::read_spec_file(path, bundle::MAX_FILE_BYTES).map_err(|e| {
        let mut d = Diagnostics::new(spec_label);
        d.push(Diagnostic::error("", format!("cannot read the spec: {e}")).with_hint("give the path of a YAML or JSON file"));
        d
    })?;
    load::load(spec_label, &source, Some(path))
}

/// A failure that is the generator's fault, not the spec's.
pub(crate) fn internal_error(spec_label: &str, message: String) -> Diagnostics {
    let mut diags = Diagnostics::new(spec_label);
    diags.push(Diagnostic::error("", message).with_hint(diagnostic::INTERNAL_ERROR_HINT));
    diags
}

/// Generates a crate from the text of a spec. Nothing touches the disk.
pub fn generate(source: &str, options: &Options) -> Result<Generated, Diagnostics> {
    let checked = check(&options.spec_label, source)?;
    emit_checked(checked, options)
}

/// Generates a crate from the spec at `path`, reading the files its `$ref`s
/// name. Nothing is written.
pub fn generate_file(path: &std::path::Path, options: &Options) -> Result<Generated, Diagnostics> {
    generate_file_timed(path, options).0
}

/// Where generation spends its time, for benchmarks.
#[derive(Clone, Copy, Debug, Default)]
pub struct PhaseTimes {
    /// Reading, parsing and bundling the spec.
    pub load: std::time::Duration,
    /// Building the IR.
    pub lower: std::time::Duration,
    /// Building the files, formatting included (wall time; the work is
    /// spread over the cores).
    pub emit: std::time::Duration,
    /// Of which formatting the tokens (syn and prettyplease): CPU time summed
    /// over the threads, so it can exceed `emit`.
    pub format: std::time::Duration,
}

/// Like [`generate_file`], measuring each phase.
pub fn generate_file_timed(path: &std::path::Path, options: &Options) -> (Result<Generated, Diagnostics>, PhaseTimes) {
    use std::time::Instant;
    let mut times = PhaseTimes::default();
    if let Err(d) = check_options(options) {
        return (Err(d), times);
    }
    let started = Instant::now();
    let loaded = load_file(&options.spec_label, path);
    times.load = started.elapsed();
    let loaded = match loaded {
        Ok(l) => l,
        Err(d) => return (Err(d), times),
    };
    let started = Instant::now();
    let lowered = lower::lower(&options.spec_label, &loaded);
    times.lower = started.elapsed();
    let (api, warnings) = match lowered {
        Ok(l) => l,
        Err(d) => return (Err(d), times),
    };
    // The parsed document is no longer needed; freeing it first takes a third
    // off the peak memory of a large spec.
    drop(loaded);
    let started = Instant::now();
    let emitted = emit::emit_timed(&api, options);
    times.emit = started.elapsed();
    match emitted {
        Ok((files, format)) => {
            times.format = format;
            (Ok(Generated { files, warnings }), times)
        }
        Err(message) => (Err(internal_error(&options.spec_label, message)), times),
    }
}

/// Checks what the caller chose (the crate name), before anything is emitted.
fn check_options(options: &Options) -> Result<(), Diagnostics> {
    let name = &options.crate_name;
    // crates.io's limit is 64 characters, Cargo's own is none; a directory
    // name must fit the file system.
    let valid = name.len() <= 200
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !ident::is_keyword(&name.replace('-', "_"))
        && !["std", "core", "alloc", "proc_macro", "test"].contains(&name.as_str());
    if valid {
        return Ok(());
    }
    let mut diags = Diagnostics::new(&options.spec_label);
    diags.push(
        Diagnostic::error("", format!("`{}` is not a valid crate name", diagnostic::terminal_safe(name))).with_hint(
            "a crate name starts with an ASCII letter, has only ASCII letters, digits, `-` and `_`, \
             is at most 200 characters (64 to publish on crates.io), and is not a Rust keyword or a standard crate's name",
        ),
    );
    Err(diags)
}

fn emit_checked((api, warnings): (ir::Api, Diagnostics), options: &Options) -> Result<Generated, Diagnostics> {
    check_options(options)?;
    match emit::emit(&api, options) {
        Ok(files) => Ok(Generated { files, warnings }),
        Err(message) => Err(internal_error(&options.spec_label, message)),
    }
}

/// The default crate name for a spec file: its stem (`specs/notehub-usage.yaml`
/// gives `notehub-usage`).
pub fn crate_name_for(spec_path: &std::path::Path) -> String {
    let stem = spec_path.file_stem().and_then(|s| s.to_str()).unwrap_or("api-client");
    let name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("api-{name}")
    }
}

//! Relative `$ref`s to other files (`models.yaml#/Pet`): each referenced node
//! is copied into the right `components` section of the root document and
//! the reference rewritten to point there. References inside a copied node
//! are resolved relative to the file it came from.
//!
//! Referenced files are untrusted input like the spec: only regular files
//! inside the root spec's folder are read (after resolving symlinks and
//! `..`), each at most [`MAX_FILE_BYTES`] and [`MAX_TOTAL_BYTES`] in all,
//! each once, and their text is never quoted in a diagnostic. The walk keeps
//! its own work list, so a chain of references of any length cannot
//! overflow the stack.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostic::{escape_token, Diagnostic, Diagnostics};
use crate::ident::camel;
use crate::structure::Role;

/// The `components` section a referenced node of this role is placed in;
/// `None` for a role that has none.
fn section(role: Role) -> Option<&'static str> {
    Some(match role {
        Role::Schema => "schemas",
        Role::Parameter => "parameters",
        Role::Response => "responses",
        Role::RequestBody => "requestBodies",
        Role::Header => "headers",
        Role::Example => "examples",
        Role::Link => "links",
        Role::Callback => "callbacks",
        Role::SecurityScheme => "securitySchemes",
        Role::Document | Role::MediaType | Role::PathItem | Role::Operation | Role::Other => return None,
    })
}

/// How a diagnostic names a node of `role`.
fn role_name(role: Role) -> &'static str {
    match role {
        Role::PathItem => "a path item",
        Role::Operation => "an operation",
        Role::MediaType => "a media type",
        Role::Document => "the document",
        _ => "an object of this kind",
    }
}

/// The largest spec file read, the root's or a referenced one's.
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// The most read from referenced files in all.
pub const MAX_TOTAL_BYTES: u64 = 256 << 20;

struct Bundler<'d> {
    /// The root spec, resolved.
    root_file: PathBuf,
    /// Its folder, resolved: no file outside it is read.
    root_dir: PathBuf,
    /// Parsed files by resolved path, each read once; `None` for one that failed.
    files: HashMap<PathBuf, Option<Value>>,
    bytes_read: u64,
    placed: HashMap<(PathBuf, String), String>,
    names: BTreeSet<String>,
    /// Copied nodes whose own references are still to be rewritten.
    /// (index in `pending`, its file, where the first reference to it stands).
    to_walk: Vec<(usize, PathBuf, String)>,
    /// Copied nodes: their role, `components` section, name and content.
    pending: Vec<(Role, &'static str, String, Value)>,
    diags: &'d mut Diagnostics,
}

/// Reads a spec file: a regular file (not a device, a pipe or a folder) of
/// at most `limit` bytes, as UTF-8 text.
pub fn read_spec_file(path: &Path, limit: u64) -> Result<String, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("it is not a regular file".into());
    }
    if meta.len() > limit {
        return Err(format!("it is larger than the limit of {} MiB", limit >> 20));
    }
    let mut text = String::new();
    // The size can change between the check and the read; never read more.
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_string(&mut text))
        .map_err(|e| if e.kind() == std::io::ErrorKind::InvalidData { "it is not UTF-8 text".to_string() } else { e.to_string() })?;
    if text.len() as u64 > limit {
        return Err(format!("it is larger than the limit of {} MiB", limit >> 20));
    }
    Ok(text)
}

/// Copies every node that `root` refers to in other files into `root`.
pub fn bundle(root: &mut Value, root_file: &Path, diags: &mut Diagnostics) {
    bundle_counting(root, root_file, diags);
}

/// [`bundle`], returning how many files it read.
fn bundle_counting(root: &mut Value, root_file: &Path, diags: &mut Diagnostics) -> usize {
    // Most documents refer to no other file: a scan without allocation
    // spares them the walk.
    if !has_external_ref(root) {
        return 0;
    }
    let Ok(root_file) = root_file.canonicalize() else {
        diags.push(Diagnostic::error("", "cannot resolve the spec's own path").with_hint("check the path of the spec"));
        return 0;
    };
    let root_dir = root_file.parent().unwrap_or(Path::new("/")).to_path_buf();
    let mut bundler = Bundler {
        root_file: root_file.clone(),
        root_dir,
        files: HashMap::new(),
        bytes_read: 0,
        placed: HashMap::new(),
        names: existing_names(root),
        to_walk: Vec::new(),
        pending: Vec::new(),
        diags,
    };
    bundler.walk(root, &root_file, Role::Document, "");
    // Nodes copied from other files, walked in turn rather than inside one
    // another: a chain of references is a loop here, not a recursion.
    while let Some((index, file, pointer)) = bundler.to_walk.pop() {
        let role = bundler.pending[index].0;
        let mut node = std::mem::take(&mut bundler.pending[index].3);
        bundler.walk(&mut node, &file, role, &pointer);
        bundler.pending[index].3 = node;
    }
    let reads = bundler.files.len();
    if bundler.pending.is_empty() {
        return reads;
    }
    let Some(doc) = root.as_object_mut() else { return reads };
    let components = doc.entry("components").or_insert_with(|| Value::Object(Map::new()));
    for (_, section, name, node) in std::mem::take(&mut bundler.pending) {
        if let Some(components) = components.as_object_mut() {
            let section = components.entry(section).or_insert_with(|| Value::Object(Map::new()));
            if let Some(section) = section.as_object_mut() {
                section.insert(name, node);
            }
        }
    }
    reads
}

fn has_external_ref(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            map.get("$ref").and_then(Value::as_str).is_some_and(|r| !r.starts_with('#'))
                || map.values().any(has_external_ref)
        }
        Value::Array(items) => items.iter().any(has_external_ref),
        _ => false,
    }
}

fn existing_names(root: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    if let Some(components) = root.get("components").and_then(Value::as_object) {
        for section in components.values().filter_map(Value::as_object) {
            names.extend(section.keys().cloned());
        }
    }
    names
}

impl Bundler<'_> {
    /// Rewrites the references under `value`, a node of `role` from `file`
    /// (found at `pointer` of the root document), each placed by the role of
    /// the node it stands in, as the document's shape says.
    fn walk(&mut self, value: &mut Value, file: &Path, role: Role, pointer: &str) {
        crate::structure::visit_mut(value, role, &mut |node, role, path| {
            let Some(Value::String(reference)) = node.get("$ref").cloned() else { return };
            let at = format!("{pointer}{}", crate::diagnostic::pointer(path));
            if let Some(local) = self.rewrite(&reference, file, role, &at) {
                node["$ref"] = Value::String(local);
            }
        });
    }

    /// The local reference replacing `reference`, for references that leave
    /// the root document (or are local to another file).
    fn rewrite(&mut self, reference: &str, file: &Path, role: Role, pointer: &str) -> Option<String> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file_part.is_empty() && file == self.root_file {
            return None;
        }
        if file_part.starts_with("http://") || file_part.starts_with("https://") {
            self.error(pointer, format!("`$ref: {reference}` points to a URL, which is not fetched"), "download the file and refer to it by a relative path");
            return None;
        }
        let target = if file_part.is_empty() { file.to_path_buf() } else { self.confine(file, file_part, reference, pointer)? };
        if target == self.root_file {
            return Some(format!("#{fragment}"));
        }
        let Some(section) = section(role) else {
            self.error(
                pointer,
                format!("`$ref: {reference}` stands for {}, which is not read from another file", role_name(role)),
                "move it into the spec; schemas, parameters, responses, request bodies, headers, examples, links, callbacks and security schemes may come from other files",
            );
            return None;
        };
        let key = (target.clone(), fragment.to_string());
        if let Some(local) = self.placed.get(&key) {
            return Some(local.clone());
        }
        let node = self.load(&target, pointer)?.pointer(fragment).cloned();
        let Some(node) = node else {
            let shown = self.shown(&target);
            self.error(pointer, format!("`$ref: {reference}` points to nothing in {shown}"), "correct the JSON pointer after `#`");
            return None;
        };
        let stem = fragment.rsplit('/').next().filter(|s| !s.is_empty()).map(str::to_string).unwrap_or_else(|| {
            target.file_stem().and_then(|s| s.to_str()).unwrap_or("External").to_string()
        });
        let mut name = camel(&stem).trim_start_matches("r#").to_string();
        let mut n = 2;
        while self.names.contains(&name) {
            name = format!("{}{n}", camel(&stem).trim_start_matches("r#"));
            n += 1;
        }
        self.names.insert(name.clone());
        let local = format!("#/components/{section}/{}", escape_token(&name));
        // Recorded before the node is walked, so references back to it end here.
        self.placed.insert(key, local.clone());
        self.pending.push((role, section, name, node));
        self.to_walk.push((self.pending.len() - 1, target, pointer.to_string()));
        Some(local)
    }

    /// The resolved path `file_part` names from `file`, if it is a file
    /// inside the root spec's folder.
    fn confine(&mut self, file: &Path, file_part: &str, reference: &str, pointer: &str) -> Option<PathBuf> {
        let outside = |b: &mut Self| {
            b.error(
                pointer,
                format!("`$ref: {reference}` names a file outside the spec's folder"),
                "only files in the folder of the spec, or below it, are read; copy the file there",
            );
            None
        };
        if Path::new(file_part).is_absolute() || file_part.contains(':') {
            return outside(self);
        }
        let joined = file.parent().unwrap_or(&self.root_dir).join(file_part);
        let resolved = match joined.canonicalize() {
            Ok(p) => p,
            // Say nothing of whether a file outside exists.
            Err(_) if !crate::paths::lexically_normal(&joined).starts_with(&self.root_dir) => return outside(self),
            Err(e) => {
                let shown = self.shown(&joined);
                self.error(pointer, format!("cannot read the referenced file {shown}: {e}"), "check the relative path of the `$ref`");
                return None;
            }
        };
        if !resolved.starts_with(&self.root_dir) {
            return outside(self);
        }
        Some(resolved)
    }

    /// A path as diagnostics show it: relative to the spec's folder.
    fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.root_dir).unwrap_or(path).display().to_string()
    }

    fn load(&mut self, path: &Path, pointer: &str) -> Option<&Value> {
        if !self.files.contains_key(path) {
            let left = MAX_TOTAL_BYTES.saturating_sub(self.bytes_read);
            let text = read_spec_file(path, MAX_FILE_BYTES.min(left));
            if let Ok(t) = &text {
                self.bytes_read += t.len() as u64;
            }
            // The file's text is not quoted: it may not be a spec at all.
            let parsed = text.and_then(|t| {
                serde_yaml::from_str::<Value>(&t).map_err(|e| match e.location() {
                    Some(l) => format!("it is not YAML or JSON (line {}, column {})", l.line(), l.column()),
                    None => "it is not YAML or JSON".to_string(),
                })
            });
            let value = match parsed {
                Ok(value) => Some(value),
                Err(e) => {
                    let shown = self.shown(path);
                    self.error(pointer, format!("cannot read the referenced file {shown}: {e}"), "check the relative path of the `$ref`");
                    None
                }
            };
            self.files.insert(path.to_path_buf(), value);
        }
        self.files.get(path).and_then(Option::as_ref)
    }

    fn error(&mut self, pointer: &str, message: String, hint: &str) {
        self.diags.push(Diagnostic::error(pointer, message).with_hint(hint));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each reference is placed by the role of the node it stands in, as the
    /// document's shape says: a header goes to `headers`, a schema in a
    /// header to `schemas`, a `$ref` inside an example is data and stays,
    /// and a path item from another file is refused with its reason.
    #[test]
    fn references_are_placed_by_where_they_stand() {
        let dir = std::env::temp_dir().join(format!("apigen-bundle-roles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("m.yaml"), "Rate: {description: rate, schema: {$ref: '#/Int'}}\nInt: {type: integer}\nItem: {get: {responses: {}}}\n")
            .unwrap();
        let root = serde_json::json!({
            "openapi": "3.0.3",
            "paths": {
                "/a": {"get": {"responses": {"200": {
                    "description": "ok",
                    "headers": {"X-Rate": {"$ref": "m.yaml#/Rate"}},
                    "content": {"application/json": {"example": {"$ref": "not-a-file.yaml#/x"}}}
                }}}},
                "/b": {"$ref": "m.yaml#/Item"}
            }
        });
        std::fs::write(dir.join("api.yaml"), root.to_string()).unwrap();
        let mut value = root.clone();
        let mut diags = Diagnostics::new("api.yaml");
        bundle_counting(&mut value, &dir.join("api.yaml"), &mut diags);
        let ok = &value["paths"]["/a"]["get"]["responses"]["200"];
        assert_eq!(ok["headers"]["X-Rate"]["$ref"], "#/components/headers/Rate");
        assert_eq!(value["components"]["headers"]["Rate"]["schema"]["$ref"], "#/components/schemas/Int");
        assert_eq!(value["components"]["schemas"]["Int"]["type"], "integer");
        assert_eq!(ok["content"]["application/json"]["example"]["$ref"], "not-a-file.yaml#/x", "examples are data");
        let errors: Vec<_> = diags.items.iter().map(|d| (d.pointer.as_str(), d.message.as_str())).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, "/paths/~1b");
        assert!(errors[0].1.contains("a path item"), "{}", errors[0].1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Only regular files, and only up to the limit.
    #[test]
    fn reads_only_regular_files_within_the_limit() {
        let dir = std::env::temp_dir().join(format!("apigen-bundle-limit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("big.yaml"), "x".repeat(100)).unwrap();
        assert!(read_spec_file(&dir.join("big.yaml"), 100).is_ok());
        assert!(read_spec_file(&dir.join("big.yaml"), 99).unwrap_err().contains("larger than the limit"));
        assert!(read_spec_file(&dir, 1 << 20).unwrap_err().contains("not a regular file"));
        #[cfg(unix)]
        assert!(read_spec_file(Path::new("/dev/zero"), 1 << 20).unwrap_err().contains("not a regular file"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// However a file is spelled (`sub/../m.yaml`, `./m.yaml`, `m.yaml`),
    /// it is read once, and so is the root when it refers to itself.
    #[test]
    fn each_file_is_read_once() {
        let dir = std::env::temp_dir().join(format!("apigen-bundle-once-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("m.yaml"), "A: {type: string}\nB: {type: integer}\n").unwrap();
        let refs: Vec<String> = (0..200)
            .map(|i| {
                let spelling = ["m.yaml", "./m.yaml", "sub/../m.yaml", "sub/./../sub/../m.yaml", "api.yaml", "sub/../api.yaml"][i % 6];
                let target = if spelling.contains("api") { "#/components/schemas/Root" } else if i % 2 == 0 { "#/A" } else { "#/B" };
                format!("\"p{i}\": {{\"$ref\": \"{spelling}{target}\"}}")
            })
            .collect();
        let root = format!(
            "{{\"openapi\": \"3.0.3\", \"components\": {{\"schemas\": {{\"Root\": {{\"type\": \"object\", \"properties\": {{{}}}}}}}}}}}",
            refs.join(", ")
        );
        std::fs::write(dir.join("api.yaml"), &root).unwrap();
        let mut value: Value = serde_json::from_str(&root).unwrap();
        let mut diags = Diagnostics::new("api.yaml");
        let reads = bundle_counting(&mut value, &dir.join("api.yaml"), &mut diags);
        assert!(!diags.has_errors(), "{diags}");
        assert_eq!(reads, 1, "m.yaml once; the root is never read again");
        let schemas = value.pointer("/components/schemas").unwrap().as_object().unwrap();
        assert_eq!(schemas.len(), 3, "Root, A and B: {:?}", schemas.keys().collect::<Vec<_>>());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

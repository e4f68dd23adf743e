//! Relative `$ref`s to other files (`models.yaml#/Pet`): each referenced node
//! is copied into the right `components` section of the root document and
//! the reference rewritten to point there. References inside a copied node
//! are resolved relative to the file it came from.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostic::{escape_token, Diagnostic, Diagnostics};
use crate::ident::camel;

/// What a referenced node is, from where the reference stands.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Schema,
    Parameter,
    Response,
    RequestBody,
}

impl Kind {
    fn section(self) -> &'static str {
        match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Response => "responses",
            Kind::RequestBody => "requestBodies",
        }
    }
}

struct Bundler<'d> {
    root_file: PathBuf,
    files: HashMap<PathBuf, Value>,
    placed: HashMap<(PathBuf, String), String>,
    names: BTreeSet<String>,
    pending: Vec<(Kind, String, Value)>,
    diags: &'d mut Diagnostics,
}

/// Copies every node that `root` refers to in other files into `root`.
pub fn bundle(root: &mut Value, root_file: &Path, diags: &mut Diagnostics) {
    let root_file = root_file.to_path_buf();
    let mut bundler = Bundler {
        root_file: root_file.clone(),
        files: HashMap::new(),
        placed: HashMap::new(),
        names: existing_names(root),
        pending: Vec::new(),
        diags,
    };
    // Most documents refer to no other file: a scan without allocation
    // spares them the walk.
    if !has_external_ref(root) {
        return;
    }
    bundler.walk(root, &root_file, Kind::Schema, "");
    if bundler.pending.is_empty() {
        return;
    }
    let Some(doc) = root.as_object_mut() else { return };
    let components = doc.entry("components").or_insert_with(|| Value::Object(Map::new()));
    for (kind, name, node) in std::mem::take(&mut bundler.pending) {
        if let Some(components) = components.as_object_mut() {
            let section = components.entry(kind.section()).or_insert_with(|| Value::Object(Map::new()));
            if let Some(section) = section.as_object_mut() {
                section.insert(name, node);
            }
        }
    }
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
    fn walk(&mut self, value: &mut Value, file: &Path, kind: Kind, pointer: &str) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref").cloned() {
                    if let Some(local) = self.rewrite(&reference, file, kind, pointer) {
                        map.insert("$ref".into(), Value::String(local));
                    }
                    return;
                }
                for (key, child) in map.iter_mut() {
                    // Nothing to rewrite below a plain value.
                    if !child.is_object() && !child.is_array() {
                        continue;
                    }
                    let child_kind = match key.as_str() {
                        "parameters" => Kind::Parameter,
                        "requestBody" => Kind::RequestBody,
                        "responses" => Kind::Response,
                        "schema" | "items" | "properties" | "additionalProperties" | "allOf" | "oneOf" | "anyOf" | "not" => Kind::Schema,
                        "content" => Kind::Schema,
                        _ if key.starts_with(|c: char| c.is_ascii_digit()) || key == "default" => kind,
                        _ => kind,
                    };
                    let child_pointer = format!("{pointer}/{}", escape_token(key));
                    self.walk(child, file, child_kind, &child_pointer);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let item_pointer = format!("{pointer}/{i}");
                    self.walk(item, file, kind, &item_pointer);
                }
            }
            _ => {}
        }
    }

    /// The local reference replacing `reference`, for references that leave
    /// the root document (or are local to another file).
    fn rewrite(&mut self, reference: &str, file: &Path, kind: Kind, pointer: &str) -> Option<String> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file_part.is_empty() && file == self.root_file {
            return None;
        }
        if file_part.starts_with("http://") || file_part.starts_with("https://") {
            self.error(pointer, format!("`$ref: {reference}` points to a URL, which is not fetched"), "download the file and refer to it by a relative path");
            return None;
        }
        let target = if file_part.is_empty() { file.to_path_buf() } else { file.parent().unwrap_or(Path::new(".")).join(file_part) };
        if target == self.root_file {
            return Some(format!("#{fragment}"));
        }
        let key = (target.clone(), fragment.to_string());
        if let Some(local) = self.placed.get(&key) {
            return Some(local.clone());
        }
        let node = self.load(&target, pointer)?.pointer(fragment).cloned();
        let Some(mut node) = node else {
            self.error(pointer, format!("`$ref: {reference}` points to nothing in {}", target.display()), "correct the JSON pointer after `#`");
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
        let local = format!("#/components/{}/{}", kind.section(), escape_token(&name));
        // Recorded before walking the node, so references back to it end here.
        self.placed.insert(key, local.clone());
        self.walk(&mut node, &target, kind, pointer);
        self.pending.push((kind, name, node));
        Some(local)
    }

    fn load(&mut self, path: &Path, pointer: &str) -> Option<&Value> {
        if !self.files.contains_key(path) {
            let parsed = std::fs::read_to_string(path)
                .map_err(|e| e.to_string())
                .and_then(|text| serde_yaml::from_str::<Value>(&text).map_err(|e| e.to_string()));
            match parsed {
                Ok(value) => {
                    self.files.insert(path.to_path_buf(), value);
                }
                Err(e) => {
                    self.error(pointer, format!("cannot read the referenced file {}: {e}", path.display()), "check the relative path of the `$ref`");
                    return None;
                }
            }
        }
        self.files.get(path)
    }

    fn error(&mut self, pointer: &str, message: String, hint: &str) {
        self.diags.push(Diagnostic::error(pointer, message).with_hint(hint));
    }
}

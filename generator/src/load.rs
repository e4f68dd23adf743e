//! Reading a spec file: text to JSON value to `openapiv3` document, with every
//! failure located in the file.

use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{escape_token, Diagnostic, Diagnostics};
use crate::locate::SourceLines;

/// A parsed spec with what is needed to locate its parts.
pub struct Loaded {
    /// The typed document.
    pub doc: OpenAPI,
    /// The source, to find the line of a diagnostic.
    pub lines: SourceLines,
    /// Problems that do not stop generation.
    pub warnings: Vec<Diagnostic>,
    /// The document as JSON, for `$ref`s that point outside `components`.
    pub raw: Value,
}

/// Parses `source` (YAML or JSON; YAML is a superset, so both go the same way
/// unless the name says `.json`, which gives JSON's own error messages).
/// With `path`, relative `$ref`s to other files are read and bundled in.
pub fn load(file_name: &str, source: &str, path: Option<&std::path::Path>) -> Result<Loaded, Diagnostics> {
    let mut diags = Diagnostics::new(file_name);
    let lines = SourceLines::new(source);
    let value: Value = if file_name.ends_with(".json") {
        match serde_json::from_str(source) {
            Ok(v) => v,
            Err(e) => {
                let hint = if e.to_string().contains("recursion limit") {
                    "the document nests deeper than 128 levels; flatten it with named schemas"
                } else {
                    "fix the syntax at the line shown; a YAML spec should end in .yaml"
                };
                let mut d = Diagnostic::error("", format!("the file is not valid JSON: {e}")).with_hint(hint);
                d.line = Some(e.line());
                diags.push(d);
                return Err(diags);
            }
        }
    } else {
        match serde_yaml::from_str(source) {
            Ok(v) => v,
            Err(e) => {
                let mut d = Diagnostic::error("", format!("the file is not valid YAML: {e}"))
                    .with_hint("fix the syntax at the line shown (indentation, quoting of `:` `{` `#`)");
                d.line = e.location().map(|l| l.line());
                diags.push(d);
                return Err(diags);
            }
        }
    };

    let mut value = value;
    if let Some(path) = path {
        crate::bundle::bundle(&mut value, path, &mut diags);
        if diags.has_errors() {
            lines.locate(&mut diags.items);
            return Err(diags);
        }
    }
    let version = value.get("openapi").and_then(Value::as_str).map(str::to_string);
    let is_31 = version.as_deref().is_some_and(crate::normalize::is_31);
    match version.as_deref() {
        Some(v) if v.starts_with("3.0.") || v == "3.0" => {}
        Some(v) if crate::normalize::is_31(v) => crate::normalize::normalize_31(&mut value),
        Some(v) => {
            let mut d = Diagnostic::error("/openapi", format!("OpenAPI version `{v}` is not supported"))
                .with_hint("this generator reads OpenAPI 3.0.x and 3.1.x documents");
            d.line = lines.line("/openapi");
            diags.push(d);
            return Err(diags);
        }
        None => {
            let d = Diagnostic::error("", "the document has no `openapi` version field")
                .with_hint("start the document with `openapi: 3.0.3`; Swagger 2.0 documents must be converted first");
            diags.push(d);
            return Err(diags);
        }
    }

    inline_pointer_refs(&mut value);
    // openapiv3 drops path keys that do not start with `/`; say so instead.
    if let Some(Value::Object(paths)) = value.get("paths") {
        for key in paths.keys().filter(|k| !k.starts_with('/') && !k.starts_with("x-")) {
            let pointer = format!("/paths/{}", escape_token(key));
            let d = Diagnostic::error(pointer, format!("the path `{key}` does not start with `/`"))
                .with_hint(format!("write it as `/{key}`"));
            diags.push(d);
        }
        if diags.has_errors() {
            lines.locate(&mut diags.items);
            return Err(diags);
        }
    }
    // Plain serde first, from a borrow: the path is only needed to say where
    // a failure is, and cloning the document to track it took 230 of the
    // 720 ms GitHub's spec needed to load.
    let parsed = match OpenAPI::deserialize(&value) {
        Ok(doc) => Ok(doc),
        Err(_) => serde_path_to_error::deserialize::<_, OpenAPI>(value.clone()),
    };
    // Fields serde would drop without a word; reported with any parse errors.
    let shape = crate::structure::check(&value, is_31);
    diags.items.extend(shape.errors);
    match parsed {
        Ok(_) if diags.has_errors() => {
            lines.locate(&mut diags.items);
            Err(diags)
        }
        Ok(doc) => {
            let mut warnings = shape.warnings;
            lines.locate(&mut warnings);
            Ok(Loaded { doc, lines, warnings, raw: value })
        }
        Err(e) => {
            let pointer = path_to_pointer(e.path());
            // openapiv3 reads `paths` and some maps with its own code, which
            // hides where inside them a value is wrong; check their entries
            // one by one to point at each bad one.
            let mut found = Vec::new();
            for (base, check) in ENTRY_CHECKS {
                if let Some(Value::Object(entries)) = value.pointer(base) {
                    for (key, entry) in entries {
                        if key.starts_with("x-") {
                            continue;
                        }
                        if let Err((inner, message)) = check(entry.clone()) {
                            found.push((format!("{base}/{}{inner}", escape_token(key)), message));
                        }
                    }
                }
            }
            if found.is_empty() {
                found.push((pointer, e.into_inner().to_string()));
            }
            for (pointer, message) in found {
                let message = if message.contains("ParameterSchemaOrContent") {
                    "a parameter needs a `schema` or a `content`".to_string()
                } else if message.contains("untagged enum") {
                    "this is neither a `$ref` nor a valid object of the expected kind".to_string()
                } else {
                    message
                };
                let d = Diagnostic::error(pointer.clone(), format!("the document does not follow OpenAPI: {message}"))
                    .with_hint("check this node against the OpenAPI 3.0 or 3.1 specification (field names, types, required fields)");
                diags.push(d);
            }
            lines.locate(&mut diags.items);
            Err(diags)
        }
    }
}

type EntryCheck = fn(Value) -> Result<(), (String, String)>;

/// Maps whose entries are checked one by one when the document does not parse.
const ENTRY_CHECKS: &[(&str, EntryCheck)] = &[
    ("/paths", check::<openapiv3::PathItem>),
    ("/components/schemas", check::<openapiv3::ReferenceOr<openapiv3::Schema>>),
    ("/components/parameters", check::<openapiv3::ReferenceOr<openapiv3::Parameter>>),
    ("/components/responses", check::<openapiv3::ReferenceOr<openapiv3::Response>>),
    ("/components/requestBodies", check::<openapiv3::ReferenceOr<openapiv3::RequestBody>>),
    ("/components/securitySchemes", check::<openapiv3::ReferenceOr<openapiv3::SecurityScheme>>),
];

fn check<T: serde::de::DeserializeOwned>(value: Value) -> Result<(), (String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .map(drop)
        .map_err(|e| (path_to_pointer(e.path()), e.into_inner().to_string()))
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&format!("/{}", escape_token(key))),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// Parameters, responses and request bodies given as `$ref`s to a place
/// outside `components` (another operation's: `#/paths/~1jobs~1{id}/get/responses/401`)
/// are copied in where they are used, so lowering finds them as it finds
/// any other. A chain of such references is followed a few steps; one that
/// goes further, or nowhere, is left for lowering to report.
fn inline_pointer_refs(doc: &mut Value) {
    const HOPS: usize = 8;
    let mut slots: Vec<String> = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return };
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        let item_pointer = format!("/paths/{}", escape_token(path));
        for (key, value) in item {
            let at = format!("{item_pointer}/{}", escape_token(key));
            if key == "parameters" {
                slots.extend((0..value.as_array().map_or(0, Vec::len)).map(|i| format!("{at}/{i}")));
                continue;
            }
            let Some(op) = value.as_object() else { continue };
            slots.extend((0..op.get("parameters").and_then(Value::as_array).map_or(0, Vec::len)).map(|i| format!("{at}/parameters/{i}")));
            if op.contains_key("requestBody") {
                slots.push(format!("{at}/requestBody"));
            }
            if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                slots.extend(responses.keys().map(|k| format!("{at}/responses/{}", escape_token(k))));
            }
        }
    }
    for slot in slots {
        let mut replacement = None;
        let mut current = doc.pointer(&slot);
        for _ in 0..HOPS {
            let Some(reference) = current.and_then(|v| v.get("$ref")).and_then(Value::as_str) else { break };
            let decoded = crate::lower::decoded_fragment(reference);
            let Some(target) = decoded.strip_prefix('#').filter(|t| !t.starts_with("/components/") && t.starts_with('/')) else {
                break;
            };
            current = doc.pointer(target);
            replacement = current.cloned();
        }
        // What is copied in is a definition or a reference into `components`.
        let resolved = |r: &Value| r.get("$ref").and_then(Value::as_str).map_or(true, |to| to.starts_with("#/components/"));
        if let (Some(new), Some(place)) = (replacement.filter(resolved), doc.pointer_mut(&slot)) {
            *place = new;
        }
    }
}

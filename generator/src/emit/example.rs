//! Example programs for the docs: one per operation and one to get started.
//! Built as tokens and formatted by prettyplease like all generated code; the
//! README shows the whole program, rustdoc hides the wrapper.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ident::ident;
use crate::ir::{Api, Operation, Param, SecurityKind, TypeDef, TypeKind, TypeRef};

/// An example, as the README's complete program and as rustdoc lines.
#[derive(Clone)]
pub struct Example {
    /// A complete program with `#[tokio::main]`.
    pub program: String,
    /// The same, with the wrapper hidden (`# ` lines), for a `no_run` doctest.
    pub doctest: String,
}

/// How an example builds a client: with the credentials the spec asks for.
fn client_expr(api: &Api) -> TokenStream {
    let builder = client_builder(api);
    quote!(#builder.build()?)
}

/// The client's builder with the credentials the spec asks for, not built.
fn client_builder(api: &Api) -> TokenStream {
    let oauth = api.security.iter().any(|s| matches!(s.kind, SecurityKind::OAuth2ClientCredentials { .. }));
    let region = api.servers.first().and_then(|s| s.variables.iter().find(|v| !v.allowed.is_empty()));
    let region_call = region.map(|v| {
        let setter = ident(&v.rust_name);
        let ty = ident(&v.type_name);
        let variant = ident(&v.allowed[0].rust_name);
        quote!(.#setter(#ty::#variant))
    });
    if oauth {
        quote! {
            Client::builder()
                #region_call
                .client_credentials(std::env::var("CLIENT_ID")?, std::env::var("CLIENT_SECRET")?)
        }
    } else if api.security.iter().any(|s| matches!(s.kind, SecurityKind::Bearer)) || api.security.is_empty() {
        quote!(Client::builder().bearer_token(std::env::var("API_TOKEN")?))
    } else if let Some(setter) = api.security.iter().find_map(|s| match &s.kind {
        SecurityKind::ApiKey { setter, .. } => Some(ident(setter)),
        _ => None,
    }) {
        quote!(Client::builder().#setter(std::env::var("API_KEY")?))
    } else if api.security.iter().any(|s| matches!(s.kind, SecurityKind::Basic)) {
        quote!(Client::builder().basic_auth(std::env::var("API_USER")?, std::env::var("API_PASSWORD")?))
    } else {
        quote!(Client::builder().bearer_token(std::env::var("API_TOKEN")?))
    }
}

/// What every example of one API needs, computed once.
pub struct Examples<'a> {
    api: &'a Api,
    crate_name: &'a str,
    types: BTreeMap<&'a str, &'a TypeDef>,
    defaults: BTreeSet<String>,
    /// Each operation's example, made once for rustdoc and the README.
    made: std::cell::RefCell<BTreeMap<String, Example>>,
}

impl<'a> Examples<'a> {
    pub fn new(api: &'a Api, crate_name: &'a str) -> Self {
        Examples {
            api,
            crate_name,
            types: api.types.iter().map(|t| (t.rust_name.as_str(), t)).collect(),
            defaults: super::types::types_with_default(api),
            made: Default::default(),
        }
    }
}

impl Examples<'_> {
    /// A fresh set of example values, for one program.
    fn values(&self) -> Values<'_> {
        Values { types: &self.types, defaults: &self.defaults, used: BTreeSet::new(), uses_chrono: false, uses_upload: false }
    }
}

struct Values<'a> {
    types: &'a BTreeMap<&'a str, &'a TypeDef>,
    defaults: &'a BTreeSet<String>,
    used: BTreeSet<String>,
    uses_chrono: bool,
    uses_upload: bool,
}

impl<'a> Values<'a> {
    /// A plausible value of `ty`; `into` when the place takes `impl Into<_>`.
    fn of(&mut self, ty: &TypeRef, example: Option<&serde_json::Value>, placeholder: &str, into: bool, depth: usize) -> TokenStream {
        match ty {
            TypeRef::String => {
                // Without an example, a placeholder that reads as one.
                let text = example
                    .and_then(|e| e.as_str())
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("<{}>", heck::ToKebabCase::to_kebab_case(placeholder)));
                if into { quote!(#text) } else { quote!(#text.to_string()) }
            }
            TypeRef::Bool => quote!(true),
            TypeRef::I32 | TypeRef::I64 => {
                // A name that speaks of time takes a Unix time (2023-11-14).
                let lower = placeholder.to_ascii_lowercase();
                let timely = ["date", "time", "since", "until", "start", "end", "before", "after"].iter().any(|w| lower.contains(w));
                let n = example.and_then(|e| e.as_i64()).unwrap_or(if timely { 1_700_000_000 } else { 10 });
                let n = if *ty == TypeRef::I32 { i64::from(i32::try_from(n).unwrap_or(10)) } else { n };
                let n = Literal::i64_unsuffixed(n);
                quote!(#n)
            }
            TypeRef::F32 | TypeRef::F64 => quote!(1.0),
            TypeRef::Bytes => quote!(b"data".to_vec()),
            // A file, read as it is sent: what uploads are mostly for.
            TypeRef::Upload => {
                self.uses_upload = true;
                quote!(Upload::from_path("report.csv"))
            }
            TypeRef::DateTime => {
                self.uses_chrono = true;
                quote!(chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default())
            }
            TypeRef::Date => {
                self.uses_chrono = true;
                quote!(chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap_or_default())
            }
            TypeRef::Json | TypeRef::JsonObject | TypeRef::Map(_) => quote!(Default::default()),
            TypeRef::Array(item) => {
                let item_example = example.and_then(|e| e.as_array()).and_then(|a| a.first());
                let item = self.of(item, item_example, placeholder, false, depth);
                quote!(vec![#item])
            }
            TypeRef::Named(name) => self.named(name, into, depth),
            TypeRef::Nullable(inner) => {
                let inner = self.of(inner, example, placeholder, false, depth);
                quote!(Some(#inner))
            }
        }
    }

    fn named(&mut self, name: &str, into: bool, depth: usize) -> TokenStream {
        let Some(def) = self.types.get(name).copied() else { return quote!(Default::default()) };
        self.used.insert(name.to_string());
        let id = ident(name);
        match &def.kind {
            TypeKind::Enum { variants } => {
                let variant = ident(&variants[0].rust_name);
                quote!(#id::#variant)
            }
            TypeKind::Alias(target) => {
                self.used.remove(name);
                self.of(&target.clone(), None, name, into, depth)
            }
            TypeKind::Union { variants, .. } => {
                let variant = &variants[0];
                let v = ident(&variant.rust_name);
                let value = self.of(&variant.ty.clone(), None, name, false, depth + 1);
                let value = if variant.boxed { quote!(Box::new(#value)) } else { value };
                quote!(#id::#v(#value))
            }
            TypeKind::Struct { fields } => {
                let has_default = self.defaults.contains(name);
                if depth > 3 && has_default {
                    return quote!(#id::default());
                }
                // The struct's `new`, which takes the required fields.
                let mut args = Vec::new();
                for f in fields.iter().filter(|f| f.required) {
                    if f.nullable {
                        args.push(quote!(None));
                    } else {
                        args.push(self.of(&f.ty, f.example.as_ref(), &f.api_name, f.ty == TypeRef::String, depth + 1));
                    }
                }
                if args.is_empty() && has_default {
                    quote!(#id::default())
                } else {
                    quote!(#id::new(#(#args),*))
                }
            }
        }
    }
}

/// The values of an operation's required arguments, its body last.
fn required_arguments(values: &mut Values<'_>, op: &Operation) -> Vec<TokenStream> {
    let mut args: Vec<TokenStream> = op.params.iter().filter(|p| p.required).map(|p| argument(values, p)).collect();
    args.extend(op.body.as_ref().filter(|b| b.required).map(|b| values.of(&b.ty, None, "body", false, 0)));
    args
}

/// An argument's value: the spec's example, else its default, else one
/// made from its type and name.
fn argument(values: &mut Values<'_>, p: &Param) -> TokenStream {
    let default = p.default.as_ref().map(|d| serde_json::from_str(d).unwrap_or_else(|_| serde_json::Value::String(d.clone())));
    values.of(&p.ty, p.example.as_ref().or(default.as_ref()), &p.api_name, true, 0)
}

/// The example for one operation: build a client, call it, use the reply.
pub fn operation_example(examples: &Examples<'_>, op: &Operation) -> Example {
    if let Some(made) = examples.made.borrow().get(&op.rust_name) {
        return made.clone();
    }
    let example = make_example(examples, op);
    examples.made.borrow_mut().insert(op.rust_name.clone(), example.clone());
    example
}

fn make_example(examples: &Examples<'_>, op: &Operation) -> Example {
    let (api, crate_name) = (examples.api, examples.crate_name);
    let mut values = examples.values();
    let method = ident(&op.rust_name);
    let args = required_arguments(&mut values, op);
    let setters: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| !p.required && !p.deprecated)
        .take(2)
        .map(|p| {
            let setter = ident(&p.rust_name);
            let value = argument(&mut values, p);
            quote!(.#setter(#value))
        })
        .collect();
    let client = client_expr(api);
    let call = quote! {
        let client = #client;
        let reply = client
            .#method(#(#args),*)
            #(#setters)*
            .send()
            .await?;
        println!("{} {:?}", reply.status(), reply.body());
    };
    render(api, crate_name, &values, Kind::Call, quote!(), call)
}

/// The operation the crate-wide examples call: one without required
/// arguments if there is one.
fn first_operation(api: &Api) -> Option<&Operation> {
    api.operations.iter().find(|o| o.params.iter().all(|p| !p.required) && o.body.is_none()).or_else(|| api.operations.first())
}

/// The crate's getting-started example.
pub fn getting_started(examples: &Examples<'_>) -> Option<Example> {
    Some(operation_example(examples, first_operation(examples.api)?))
}

/// Retries, timeouts, a deadline, an interceptor and a per-request header,
/// on the getting-started operation.
pub fn request_control(examples: &Examples<'_>) -> Option<Example> {
    let (api, crate_name) = (examples.api, examples.crate_name);
    let op = first_operation(api)?;
    let mut values = examples.values();
    let method = ident(&op.rust_name);
    let args = required_arguments(&mut values, op);
    let builder = client_builder(api);
    let items = quote! {
        /// Adds a header to every attempt of every request, and logs each outcome.
        struct Tagging;

        impl Interceptor for Tagging {
            fn before_attempt(&self, request: &mut OutgoingRequest<'_>) -> Result<(), BoxError> {
                request.headers_mut().insert("x-job", "nightly-report".parse()?);
                Ok(())
            }

            fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
                eprintln!("{} attempt {}: {:?} in {:?}", outcome.operation_id(), outcome.attempt(), outcome.status(), outcome.elapsed());
            }
        }
    };
    let call = quote! {
        let client = #builder
            .retry(RetryPolicy::new(5).with_max_backoff(Duration::from_secs(30)))
            .timeout(Some(Duration::from_secs(60)))
            .deadline(Duration::from_secs(180))
            .interceptor(Tagging)
            .build()?;
        let reply = client
            .#method(#(#args),*)
            .with_header("X-Correlation-Id", "report-2024-06-01")
            .with_timeout(Duration::from_secs(5))
            .with_deadline(Duration::from_secs(20))
            .send()
            .await?;
        println!("{} after {} attempt(s)", reply.status(), reply.attempts());
    };
    let extra = [quote!(AttemptOutcome), quote!(BoxError), quote!(Interceptor), quote!(OutgoingRequest), quote!(RetryPolicy)];
    Some(render(api, crate_name, &values, Kind::Control(&extra), items, call))
}

/// What a program shows, which decides what it imports from the crate root.
#[derive(Clone, Copy)]
enum Kind<'a> {
    /// A client and a call: `Client`.
    Call,
    /// Request control: `Client` and these.
    Control(&'a [TokenStream]),
    /// A test against the mock server: `mock::MockServer`.
    Mock,
}

/// A test of application code against the `mock` feature's server: expect
/// the getting-started call, answer it with a typed body, make the call.
pub fn mock(examples: &Examples<'_>) -> Option<Example> {
    let (api, crate_name) = (examples.api, examples.crate_name);
    let op = first_operation(api)?;
    let mut values = examples.values();
    let method = ident(&op.rust_name);
    let args = required_arguments(&mut values, op);
    let (status, body) = super::mock::first_success(op);
    let status = Literal::u16_unsuffixed(status);
    let reply = match body {
        None => quote!(()),
        Some(b) => match b.encoding {
            crate::ir::Encoding::Json => values.of(&b.ty, None, "reply", false, 0),
            crate::ir::Encoding::Text => quote!("text".to_string()),
            _ => quote!(b"data".to_vec()),
        },
    };
    let call = quote! {
        let server = MockServer::start().await;
        server.#method(#(#args),*).times(1).respond(#reply).await;
        // The application's code, given the server's client (or its `uri()`).
        let reply = server.client().#method(#(#args),*).send().await?;
        assert_eq!(reply.status(), #status);
    };
    Some(render(api, crate_name, &values, Kind::Mock, quote!(), call))
}

/// The program: imports, `items`, and `main` running `body`.
fn render(api: &Api, crate_name: &str, values: &Values<'_>, kind: Kind<'_>, items: TokenStream, body: TokenStream) -> Example {
    let used = &values.used;
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let mut root = match kind {
        Kind::Call => vec![quote!(Client)],
        Kind::Control(extra) => std::iter::once(quote!(Client)).chain(extra.iter().cloned()).collect(),
        Kind::Mock => vec![quote!(mock::MockServer)],
    };
    if values.uses_upload {
        root.push(quote!(Upload));
    }
    let time_import = if matches!(kind, Kind::Control(_)) { quote!(use std::time::Duration;) } else { quote!() };
    if let Some(var) = api.servers.first().and_then(|s| s.variables.iter().find(|v| !v.allowed.is_empty())) {
        // `client_builder` names the server variable's enum.
        let oauth = api.security.iter().any(|s| matches!(s.kind, SecurityKind::OAuth2ClientCredentials { .. }));
        if oauth && !matches!(kind, Kind::Mock) {
            let ty = ident(&var.type_name);
            root.push(quote!(#ty));
        }
    }
    let types = used.iter().map(|n| ident(n));
    let types_import = if used.is_empty() { quote!() } else { quote!(use #krate::types::{#(#types),*};) };
    let chrono_import = if values.uses_chrono { quote!(use #krate::chrono;) } else { quote!() };
    let program: syn::File = syn::parse2(quote! {
        #time_import
        use #krate::{#(#root),*};
        #types_import
        #chrono_import

        #items

        #[tokio::main]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            #body
            Ok(())
        }
    })
    .expect("example tokens form a file");
    let program = super::space_items(&prettyplease::unparse(&program));
    let mut doctest = Vec::new();
    for line in program.lines() {
        let hidden = line.starts_with("#[tokio::main]")
            || line.starts_with("async fn main")
            || line == "    Ok(())"
            || line == "}";
        if line.starts_with("async fn main") {
            // rustdoc examples have no tokio runtime: the function is only compiled,
            // and not called `main`, which rustdoc would take for the program's.
            doctest.push("# async fn run() -> Result<(), Box<dyn std::error::Error>> {".to_string());
            continue;
        }
        if hidden {
            if !line.starts_with("#[tokio::main]") {
                doctest.push(format!("# {line}"));
            }
            continue;
        }
        doctest.push(line.strip_prefix("    ").unwrap_or(line).to_string());
    }
    Example { program, doctest: doctest.join("\n") }
}

//! `Client`, its builder, server-variable enums, and one method per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::escape::{code, doc_attrs, line, paragraphs, prose};
use super::operation::{argument_type, named_imports};
use super::rust_type::Uses;
use crate::ident::ident;
use crate::ir::{Api, SecurityKind, Server, ServerVariable};

pub fn client_file(api: &Api, examples: &super::example::Examples<'_>) -> TokenStream {
    let mut in_scope: Vec<&str> = crate::reserved::CLIENT_FILE_TYPES.to_vec();
    let server = api.servers.first();
    let variables: &[ServerVariable] = server.map(|s| s.variables.as_slice()).unwrap_or_default();
    in_scope.extend(variables.iter().map(|v| v.type_name.as_str()));
    let mut uses = Uses::qualifying(&Uses::operation_names(api), &in_scope);
    // Methods are gated by feature: every model type they name is written
    // `types::Name`, so no import depends on which features are on.
    uses.qualify_all = !api.features.is_empty();
    let default_url = server.map(|s| s.default_url.clone()).unwrap_or_default();
    let defaults = super::defaults::get();
    let timeout_doc = format!(
        " How long one attempt may take in all, from connecting to the last\n byte of the reply ({} unless set; `None` for no limit).",
        defaults.timeout
    );
    let deadline_doc = format!(
        " How long all attempts of a request may take together, waits between\n them included. Unless set, only the retry policy and\n [`timeout`](Self::timeout) bound it: with the defaults, {} attempts of\n up to {} each, and waits of up to {} (a server's `Retry-After`)\n between them. A retry that would start after the deadline is not made.",
        defaults.attempts, defaults.timeout, defaults.max_retry_after
    );
    let connect_timeout_doc = format!(" How long connecting may take ({} unless set).", defaults.connect_timeout);
    let max_response_size_doc = format!(
        " The largest reply body the client reads, in bytes ({} unless\n set); a larger one is [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge).\n Token replies are held to the same limit.",
        defaults.max_response_size
    );
    let methods = api.operations.iter().map(|op| {
        let name = ident(&op.rust_name);
        let builder = ident(&op.type_name);
        let (args, values): (Vec<_>, Vec<_>) = arguments(api, op, &mut uses).into_iter().map(|(arg, _, value)| (arg, value)).unzip();
        let example = super::example::operation_example(examples, op);
        let docs = doc_attrs(&format!("{}\n\n# Example\n\n```no_run\n{}\n```", operation_doc(op), example.doctest));
        let deprecated = if op.deprecated { quote!(#[deprecated]) } else { quote!() };
        let gate = super::gate::operation(op);
        let builder = if uses.qualify_all { quote!(crate::operations::#builder) } else { quote!(#builder) };
        quote! {
            #docs
            #deprecated
            #gate
            #[inline]
            pub fn #name(&self, #(#args),*) -> #builder<'_> {
                #builder::new(self, #(#values),*)
            }
        }
    }).collect::<Vec<_>>();

    let builders: Vec<_> = api.operations.iter().map(|op| ident(&op.type_name)).collect();
    let builders_import =
        if builders.is_empty() || uses.qualify_all { quote!() } else { quote!(use crate::operations::{#(#builders),*};) };
    let named_imports = named_imports(&uses);
    let std_imports = uses.std_imports();
    let allow_unused = super::gate::allow_unused_imports(api);
    let server_enums = variables.iter().filter(|v| !v.allowed.is_empty()).map(server_enum);
    let (var_fields, var_setters, var_values) = server_variable_parts(variables);
    // The checked values, as locals of `build` named apart from its own.
    let var_locals: Vec<_> =
        var_values.iter().map(|f| quote::format_ident!("server_{}", f.to_string().trim_start_matches("r#"))).collect();
    let base_url_expr = base_url_expr(server, &var_locals);
    let Credentials { methods: credential_methods, token_url } = client_credentials(api, &var_locals);
    let auth_methods = auth_methods(api);
    let request_id_headers = &api.request_id_headers;
    let runtime_imports = quote!(use crate::runtime::{self, Auth, BuildError, Config, Interceptor, RetryPolicy, TokenProvider};);
    let var_checks = server_variable_checks(variables, &var_values, &var_locals);

    let client_doc = doc_attrs(&format!(
        "Client for the {}.\n\nCloning is cheap: clones share one connection pool, configuration and token cache. \
         Its `Debug` output never shows credentials.",
        line(&api.title)
    ));
    let url_doc = doc_attrs(&format!(
        "The base URL requests go to unless [`ClientBuilder::base_url`] sets another: {}.",
        code(&default_url)
    ));
    let token_doc = doc_attrs(&format!(
        "Sends `Authorization: Bearer <token>` with every request.{}\n\nThe token never appears in `Debug` output, errors or logs.",
        auth_doc(api)
    ));

    // Every non-generic function written here, in `operation.rs` and in
    // `types.rs` is `#[inline]`: like generic code, its machine code is made
    // in the application that calls it, so an application pays codegen for
    // the operations it uses (ARCHITECTURE.md).
    quote! {
        //! The client and its configuration.
        #allow_unused
        use std::sync::Arc;
        use std::time::Duration;
        #std_imports
        #builders_import
        #named_imports
        #runtime_imports

        #url_doc
        pub const DEFAULT_BASE_URL: &str = #default_url;

        /// Response headers that carry this API's request id.
        const REQUEST_ID_HEADERS: &[&str] = &[#(#request_id_headers),*];

        #(#server_enums)*

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            config: Arc<Config>,
        }

        impl Client {
            /// A client for [`DEFAULT_BASE_URL`] without credentials, with the
            /// default retry policy and timeouts.
            ///
            /// # Panics
            ///
            /// Like `reqwest::Client::new`, if the TLS backend cannot be initialised;
            /// [`ClientBuilder::build`] reports that as an error instead.
            #[inline]
            pub fn new() -> Self {
                Client::builder().build().expect("the TLS backend initialises")
            }

            /// Starts configuring a client.
            #[inline]
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The base URL requests go to.
            #[inline]
            pub fn base_url(&self) -> &str {
                &self.config.base_url
            }

            // Unused only by an API without operations.
            #[allow(dead_code)]
            #[inline]
            pub(crate) fn config(&self) -> &Config {
                &self.config
            }

            #(#methods)*
        }

        impl Default for Client {
            #[inline]
            fn default() -> Self {
                Client::new()
            }
        }

        /// Configures a [`Client`]: server, credentials, retries and timeouts.
        #[derive(Default)]
        pub struct ClientBuilder {
            settings: runtime::ClientSettings,
            #(#var_fields,)*
        }

        impl std::fmt::Debug for ClientBuilder {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.settings.debug("ClientBuilder", f)
            }
        }

        impl ClientBuilder {
            /// Sends requests to `url` instead of the spec's server, for a proxy,
            /// a test server or another deployment.
            #[inline]
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.settings.base_url = Some(url.into());
                self
            }

            #(#var_setters)*

            #token_doc
            #[inline]
            pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
                self.settings.auth = Auth::bearer(&token.into());
                self
            }

            /// Asks `provider` for a token before every request, for applications
            /// that obtain and refresh tokens themselves.
            #[inline]
            pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
                self.settings.auth = Auth::Provider(Arc::new(provider));
                self
            }

            #credential_methods

            #(#auth_methods)*

            /// Uses an existing `reqwest::Client` (its proxy, TLS and connection
            /// settings; [`connect_timeout`](Self::connect_timeout) then does not apply).
            ///
            /// Its redirect policy applies too. The client this builder makes
            /// otherwise follows redirects only within the origin of the request
            /// and sends no `Referer`, so no credential reaches another host;
            /// give yours `reqwest::redirect::Policy::none()` or a policy as strict.
            #[inline]
            pub fn http_client(mut self, client: reqwest::Client) -> Self {
                self.settings.http = Some(client);
                self
            }

            /// How requests are retried; [`RetryPolicy::default`] unless set.
            /// [`RetryPolicy::disabled`] turns retries off.
            #[inline]
            pub fn retry(mut self, policy: RetryPolicy) -> Self {
                self.settings.retry = Some(policy);
                self
            }

            #[doc = #timeout_doc]
            #[inline]
            pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
                self.settings.timeout = Some(timeout);
                self
            }

            #[doc = #connect_timeout_doc]
            #[inline]
            pub fn connect_timeout(mut self, timeout: Duration) -> Self {
                self.settings.connect_timeout = Some(timeout);
                self
            }

            #[doc = #max_response_size_doc]
            #[inline]
            pub fn max_response_size(mut self, bytes: u64) -> Self {
                self.settings.max_response_size = Some(bytes);
                self
            }

            #[doc = #deadline_doc]
            #[inline]
            pub fn deadline(mut self, deadline: Duration) -> Self {
                self.settings.deadline = Some(deadline);
                self
            }

            /// Runs `interceptor` before each attempt of every request is sent
            /// and after its reply arrives, for signing, metrics and logging;
            /// several run in the order they were added. See [`Interceptor`].
            #[inline]
            pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
                self.settings.interceptors.0.push(Arc::new(interceptor));
                self
            }

            /// Allows credentials over plain `http://` to hosts other than this
            /// machine. Without it, [`build`](Self::build) refuses a base URL or
            /// token URL that would send a token or secret in clear text.
            #[inline]
            pub fn allow_insecure_http(mut self, allow: bool) -> Self {
                self.settings.allow_insecure_http = allow;
                self
            }

            /// Builds the client.
            ///
            /// # Errors
            ///
            /// When a server variable set here could change the server's host or
            /// path (it holds `/ ? # @ :`, `%` or whitespace); when credentials
            /// would go over plain HTTP to another machine (see
            /// [`allow_insecure_http`](Self::allow_insecure_http)); or when no HTTP
            /// client was given and one cannot be created (the TLS backend fails
            /// to initialise).
            #[inline]
            pub fn build(self) -> Result<Client, BuildError> {
                #(#var_checks)*
                let spec = runtime::SpecDefaults {
                    base_url: #base_url_expr,
                    token_url: #token_url,
                    request_id_headers: REQUEST_ID_HEADERS,
                    user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
                };
                let config = self.settings.build(spec)?;
                Ok(Client { config: Arc::new(config) })
            }
        }
    }
}

/// The operation method's arguments, its required parameters and body: for
/// each, `name: type`, the name, and the value its builder takes.
pub fn arguments(api: &Api, op: &crate::ir::Operation, uses: &mut Uses) -> Vec<(TokenStream, TokenStream, TokenStream)> {
    let mut out = Vec::new();
    let body = op.body.as_ref().filter(|b| b.required).map(|b| (format_ident!("body"), &b.ty));
    let params = op.params.iter().filter(|p| p.required).map(|p| (ident(&p.rust_name), &p.ty));
    for (name, ty) in params.chain(body) {
        let (arg_ty, value) = argument_type(ty, api, uses, &name);
        out.push((quote!(#name: #arg_ty), quote!(#name), value));
    }
    out
}

fn operation_doc(op: &crate::ir::Operation) -> String {
    let mut text = paragraphs([op.summary.as_deref(), op.description.as_deref()]);
    text.push_str(&format!("\n\nSends {}.", code(&format!("{} {}", op.method.as_str(), op.path))));
    if let Some(perms) = &op.permissions {
        let list: Vec<String> = perms.names.iter().map(|n| code(n)).collect();
        text.push_str(&format!("\n\nRequires {} of the permissions {}.", perms.kind.to_lowercase(), list.join(", ")));
    }
    let required: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| format!("- `{}`: {}", p.rust_name.trim_start_matches("r#"), super::operation::param_doc(p).replace("\n\n", " ")))
        .collect();
    if !required.is_empty() {
        text.push_str(&format!("\n\n# Arguments\n\n{}", required.join("\n")));
    }
    text
}

/// A server variable with allowed values as an enum.
fn server_enum(var: &ServerVariable) -> TokenStream {
    let name = ident(&var.type_name);
    let docs = doc_attrs(&format!(
        "{}\n\nThe {} of the server URL; `Unknown` takes a value the spec does not list.",
        super::escape::or_else(var.description.as_deref(), || format!("Values of {}.", code(&var.name))),
        code(&format!("{{{}}}", var.name))
    ));
    let idents: Vec<_> = var.allowed.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<&str> = var.allowed.iter().map(|v| v.api_name.as_str()).collect();
    let variant_docs = values.iter().map(|v| doc_attrs(&code(v)));
    let default = var.allowed.iter().find(|v| v.api_name == var.default).map(|v| ident(&v.rust_name));
    let default_impl = default.map(|d| {
        quote! {
            impl Default for #name {
                /// The spec's default.
                #[inline]
                fn default() -> Self {
                    #name::#d
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value the spec does not list.
            Unknown(String),
        }

        impl #name {
            /// The value put into the URL.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#idents => #values, )*
                    #name::Unknown(value) => value,
                }
            }
        }

        #default_impl
    }
}

/// Builder fields, setters, and the expressions giving each variable's value.
fn server_variable_parts(variables: &[ServerVariable]) -> (Vec<TokenStream>, Vec<TokenStream>, Vec<proc_macro2::Ident>) {
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut names = Vec::new();
    for var in variables {
        let field = ident(&var.rust_name);
        let docs = doc_attrs(&format!(
            "Sets {} of the server URL (default {}).{}",
            code(&format!("{{{}}}", var.name)),
            code(&var.default),
            var.description.as_deref().map(|d| format!("\n\n{}", prose(d))).unwrap_or_default()
        ));
        if var.allowed.is_empty() {
            fields.push(quote!(#field: Option<String>));
            setters.push(quote! {
                #docs
                #[inline]
                pub fn #field(mut self, value: impl Into<String>) -> Self {
                    self.#field = Some(value.into());
                    self
                }
            });
        } else {
            let ty = ident(&var.type_name);
            fields.push(quote!(#field: Option<#ty>));
            setters.push(quote! {
                #docs
                #[inline]
                pub fn #field(mut self, value: #ty) -> Self {
                    self.#field = Some(value);
                    self
                }
            });
        }
        names.push(field);
    }
    (fields, setters, names)
}

/// The default server URL with the builder's variable values put in.
fn base_url_expr(server: Option<&Server>, var_fields: &[proc_macro2::Ident]) -> TokenStream {
    let Some(server) = server.filter(|s| !s.variables.is_empty()) else {
        return quote!(DEFAULT_BASE_URL.to_string());
    };
    fill_template(&server.template, &server.variables, var_fields)
}

/// `template` with `{variable}` replaced by each variable's checked value
/// (the locals [`server_variable_checks`] makes).
fn fill_template(template: &str, variables: &[ServerVariable], var_fields: &[proc_macro2::Ident]) -> TokenStream {
    let replacements = variables.iter().zip(var_fields).map(|(var, field)| {
        let placeholder = format!("{{{}}}", var.name);
        quote!(.replace(#placeholder, #field))
    });
    quote!(#template.to_string() #(#replacements)*)
}

/// `let region = ...;` for each server variable in `build`: the spec's
/// default, a listed value, or the application's own value once checked, so
/// that no value can change the server's host or path.
fn server_variable_checks(
    variables: &[ServerVariable],
    var_fields: &[proc_macro2::Ident],
    locals: &[proc_macro2::Ident],
) -> Vec<TokenStream> {
    variables
        .iter()
        .zip(var_fields.iter().zip(locals))
        .map(|(var, (field, local))| {
            let (name, default) = (&var.name, &var.default);
            if var.allowed.is_empty() {
                quote! {
                    let #local: &str = match self.#field.as_deref() {
                        Some(value) => runtime::server_variable(#name, value)?,
                        None => #default,
                    };
                }
            } else {
                let ty = ident(&var.type_name);
                quote! {
                    let #local: &str = match &self.#field {
                        Some(#ty::Unknown(value)) => runtime::server_variable(#name, value)?,
                        Some(listed) => listed.as_str(),
                        None => #default,
                    };
                }
            }
        })
        .collect()
}

/// The parts of `ClientBuilder` for OAuth 2 client credentials, present only
/// when the spec declares them: the setters, and the spec's token URL (an
/// `Option<String>` expression) for `build`.
struct Credentials {
    methods: TokenStream,
    token_url: TokenStream,
}

fn client_credentials(api: &Api, var_fields: &[proc_macro2::Ident]) -> Credentials {
    let scheme = api.security.iter().find_map(|s| match &s.kind {
        SecurityKind::OAuth2ClientCredentials { token_url, token_url_template } => Some((s, token_url, token_url_template)),
        _ => None,
    });
    let Some((scheme, url, template)) = scheme else {
        return Credentials { methods: quote!(), token_url: quote!(None) };
    };
    let variables: &[ServerVariable] = api.servers.first().map(|s| s.variables.as_slice()).unwrap_or_default();
    let (default_url, where_from) = match template {
        Some(t) => (fill_template(t, variables, var_fields), format!("{}, with the server variables put in", code(t))),
        None => (quote!(#url.to_string()), code(url)),
    };
    let docs = doc_attrs(&format!(
        "Authenticates with OAuth 2 client credentials (the spec's {} scheme): fetches an access token from {where_from}, \
         caches it, and fetches a new one shortly before it expires. Concurrent requests share one fetch.\n\n\
         The secret never appears in `Debug` output, errors or logs.",
        code(&scheme.name)
    ));
    Credentials {
        methods: quote! {
            #docs
            #[inline]
            pub fn client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                self.settings.client_credentials = Some((client_id.into(), runtime::Secret(client_secret.into())));
                self
            }

            /// Fetches client-credentials tokens from `url` instead of the spec's token URL.
            #[inline]
            pub fn token_url(mut self, url: impl Into<String>) -> Self {
                self.settings.token_url = Some(url.into());
                self
            }
        },
        token_url: quote!(Some(#default_url)),
    }
}

/// `basic_auth` when the spec has an HTTP Basic scheme, and a setter per
/// API key scheme.
fn auth_methods(api: &Api) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if let Some(scheme) = api.security.iter().find(|s| matches!(s.kind, SecurityKind::Basic)) {
        let docs = doc_attrs(&format!(
            "Sends `Authorization: Basic` with `user` and `password` with every request (the spec's {} scheme), \
             in place of a bearer token.\n\nThe password never appears in `Debug` output, errors or logs.",
            code(&scheme.name)
        ));
        out.push(quote! {
            #docs
            #[inline]
            pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
                self.settings.auth = Auth::basic(&user.into(), &password.into());
                self
            }
        });
    }
    for scheme in &api.security {
        let SecurityKind::ApiKey { param, place, setter } = &scheme.kind else { continue };
        let docs = doc_attrs(&format!(
            "Sends `key` in the {} with every request (the spec's {} scheme), beside any token or Basic \
             credentials; calling it again replaces the key.\n\nThe key never appears in `Debug` output, errors or logs.",
            super::manifest::key_place(*place, param),
            code(&scheme.name)
        ));
        let method = ident(setter);
        let place = match place {
            crate::ir::KeyPlace::Header => quote!(Header),
            crate::ir::KeyPlace::Query => quote!(Query),
            crate::ir::KeyPlace::Cookie => quote!(Cookie),
        };
        out.push(quote! {
            #docs
            #[inline]
            pub fn #method(mut self, key: impl Into<String>) -> Self {
                let key = runtime::ApiKey { place: runtime::KeyPlace::#place, name: #param, value: runtime::Secret(key.into()) };
                runtime::set_api_key(&mut self.settings.api_keys, key);
                self
            }
        });
    }
    out
}

fn auth_doc(api: &Api) -> String {
    let mut out = String::new();
    for s in &api.security {
        let how = match &s.kind {
            SecurityKind::Bearer => "a bearer token".to_string(),
            SecurityKind::OAuth2ClientCredentials { .. } => {
                "an OAuth 2 access token; see also [`client_credentials`](Self::client_credentials)".to_string()
            }
            SecurityKind::Basic => "HTTP Basic credentials; see [`basic_auth`](Self::basic_auth)".to_string(),
            SecurityKind::ApiKey { setter, .. } => match setter.strip_prefix("r#") {
                // rustdoc cannot resolve a raw identifier.
                Some(plain) => format!("an API key; see `{plain}`"),
                None => format!("an API key; see [`{setter}`](Self::{setter})"),
            },
            SecurityKind::Other { summary } => line(summary),
        };
        out.push_str(&format!("\n\nThe API's {} scheme takes {how}.", code(&s.name)));
        if let Some(d) = &s.description {
            out.push_str("\n\n");
            out.push_str(&prose(d));
        }
    }
    out
}

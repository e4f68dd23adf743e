//! `Client`, its builder, and one method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, paragraphs};
use super::operation::argument_type;
use super::rust_type::Uses;
use crate::ident::ident;
use crate::ir::{Api, SecurityKind};

/// Names `client.rs` uses itself.
const NAMES_IN_SCOPE: &[&str] = &["Arc", "Client", "ClientBuilder", "Config", "Secret"];

pub fn client_file(api: &Api) -> TokenStream {
    let mut uses = Uses::qualifying(api, NAMES_IN_SCOPE);
    let default_url = api.servers.first().map(|s| s.default_url.clone()).unwrap_or_default();
    let methods = api.operations.iter().map(|op| {
        let name = ident(&op.rust_name);
        let builder = ident(&op.type_name);
        let mut args = Vec::new();
        let mut values = Vec::new();
        for p in op.params.iter().filter(|p| p.required) {
            let pname = ident(&p.rust_name);
            let (ty, into) = argument_type(&p.ty, api, &mut uses);
            let converted = if into { quote!(#pname.into()) } else { quote!(#pname) };
            args.push(quote!(#pname: #ty));
            values.push(converted);
        }
        if let Some(body) = op.body.as_ref().filter(|b| b.required) {
            let ty = uses.ty(&body.ty);
            args.push(quote!(body: #ty));
            values.push(quote!(body));
        }
        let mut text = paragraphs([op.summary.as_deref(), op.description.as_deref()]);
        text.push_str(&format!("\n\nSends `{} {}`.", op.method.as_str(), op.path));
        if let Some(perms) = &op.permissions {
            let list: Vec<String> = perms.names.iter().map(|n| format!("`{n}`")).collect();
            text.push_str(&format!("\n\nRequires {} of the permissions {}.", perms.kind.to_lowercase(), list.join(", ")));
        }
        let required: Vec<String> = op.params.iter().filter(|p| p.required).map(|p| format!("- `{}`: {}", p.rust_name.trim_start_matches("r#"), super::operation::param_doc(p).replace("\n\n", " "))).collect();
        if !required.is_empty() {
            text.push_str(&format!("\n\n# Arguments\n\n{}", required.join("\n")));
        }
        let docs = doc_attrs(&text);
        let deprecated = if op.deprecated { quote!(#[deprecated]) } else { quote!() };
        quote! {
            #docs
            #deprecated
            pub fn #name(&self, #(#args),*) -> #builder<'_> {
                #builder::new(self, #(#values),*)
            }
        }
    }).collect::<Vec<_>>();

    let builders = api.operations.iter().map(|op| ident(&op.type_name));
    let named_imports = super::operation::named_imports(&uses);
    let std_imports = uses.std_imports();

    let auth_doc = auth_doc(api);
    let client_doc = doc_attrs(&format!(
        "Client for the {}.\n\nCloning is cheap: clones share one connection pool and configuration.",
        api.title
    ));
    let url_doc = doc_attrs(&format!("The base URL requests go to unless [`ClientBuilder::base_url`] sets another: `{default_url}`."));
    let token_doc = doc_attrs(&format!("Sends `Authorization: Bearer <token>` with every request.{auth_doc}\n\nThe token never appears in `Debug` output."));

    quote! {
        //! The client and its configuration.
        use std::sync::Arc;
        #std_imports
        use crate::operations::{#(#builders),*};
        #named_imports
        use crate::runtime::{Config, Secret};

        #url_doc
        pub const DEFAULT_BASE_URL: &str = #default_url;

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            config: Arc<Config>,
        }

        impl Client {
            /// A client for [`DEFAULT_BASE_URL`] without credentials.
            ///
            /// # Panics
            ///
            /// Like `reqwest::Client::new`, if the TLS backend cannot be initialised.
            pub fn new() -> Self {
                Client::from_parts(DEFAULT_BASE_URL.to_string(), None, reqwest::Client::new())
            }

            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.config.base_url
            }

            fn from_parts(base_url: String, bearer_token: Option<Secret>, http: reqwest::Client) -> Self {
                Client { config: Arc::new(Config { base_url, bearer_token, http }) }
            }

            pub(crate) fn config(&self) -> &Config {
                &self.config
            }

            #(#methods)*
        }

        impl Default for Client {
            fn default() -> Self {
                Client::new()
            }
        }

        /// Configures a [`Client`].
        #[derive(Debug, Default)]
        pub struct ClientBuilder {
            base_url: Option<String>,
            bearer_token: Option<Secret>,
            http: Option<reqwest::Client>,
        }

        impl ClientBuilder {
            /// Sends requests to `url` instead of [`DEFAULT_BASE_URL`].
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.base_url = Some(url.into());
                self
            }

            #token_doc
            pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
                self.bearer_token = Some(Secret(token.into()));
                self
            }

            /// Uses an existing `reqwest::Client` (its proxy, TLS and timeout settings).
            pub fn http_client(mut self, client: reqwest::Client) -> Self {
                self.http = Some(client);
                self
            }

            /// Builds the client.
            ///
            /// # Errors
            ///
            /// When no HTTP client was given and one cannot be created (the TLS
            /// backend fails to initialise).
            pub fn build(self) -> Result<Client, reqwest::Error> {
                let http = match self.http {
                    Some(http) => http,
                    None => reqwest::Client::builder().build()?,
                };
                let base_url = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
                Ok(Client::from_parts(base_url, self.bearer_token, http))
            }
        }
    }
}

fn auth_doc(api: &Api) -> String {
    let mut out = String::new();
    for s in &api.security {
        let how = match &s.kind {
            SecurityKind::Bearer => "a bearer token".to_string(),
            SecurityKind::OAuth2ClientCredentials { token_url } => {
                format!("an OAuth 2 access token (client credentials, from `{token_url}`)")
            }
            SecurityKind::Other { summary } => summary.clone(),
        };
        out.push_str(&format!("\n\nThe API's `{}` scheme takes {how}.", s.name));
        if let Some(d) = &s.description {
            out.push(' ');
            out.push_str(&super::docs::clean(d));
        }
    }
    out
}

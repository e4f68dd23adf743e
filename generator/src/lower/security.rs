//! Servers and security schemes.

use openapiv3::{ReferenceOr, SecurityScheme as OaScheme};

use super::Lowerer;
use crate::diagnostic::escape_token;
use crate::ident::{camel, snake, Namespace};
use crate::ir::{KeyPlace, SecurityKind, SecurityScheme, Server, ServerVariable};

impl<'a> Lowerer<'a> {
    pub(super) fn lower_servers(&mut self) -> Vec<Server> {
        let doc = self.doc;
        let mut servers = Vec::new();
        for (i, s) in doc.servers.iter().enumerate() {
            let mut variables = Vec::new();
            let mut default_url = s.url.clone();
            let mut setter_names = Namespace::with_reserved(crate::reserved::CLIENT_BUILDER_METHODS);
            for (name, v) in s.variables.iter().flatten() {
                default_url = default_url.replace(&format!("{{{name}}}"), &v.default);
                let names: Vec<String> = v
                    .extensions
                    .get("x-enum-varnames")
                    .and_then(|n| n.as_array())
                    .map(|n| n.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
                    .unwrap_or_default();
                let values: Vec<&str> = v.enumeration.iter().map(String::as_str).collect();
                variables.push(ServerVariable {
                    name: name.clone(),
                    rust_name: setter_names.claim(&snake(name)),
                    type_name: self.type_names.claim(&camel(name)),
                    default: v.default.clone(),
                    allowed: super::schema::variants_named(&values, &names),
                    description: v.description.clone(),
                });
            }
            if default_url.contains('{') {
                // Generated all the same: `ClientBuilder::base_url` gives the
                // full URL, and without it requests fail before being sent.
                self.warning(
                    &format!("/servers/{i}/url"),
                    format!(
                        "the server URL `{}` uses a variable that `variables` does not define, so the client cannot use it as is",
                        s.url
                    ),
                    "define every `{name}` of the URL under the server's `variables`, with a default; until then applications call `ClientBuilder::base_url`",
                );
            }
            if !default_url.contains("://") {
                self.warning(
                    &format!("/servers/{i}/url"),
                    format!("the server URL `{default_url}` is relative, so the client cannot use it as is"),
                    "give an absolute URL, or have applications call `ClientBuilder::base_url`",
                );
            }
            servers.push(Server {
                default_url,
                template: s.url.clone(),
                description: s.description.clone(),
                variables,
            });
        }
        servers
    }

    /// The schemes, with the builder setters of API keys claimed apart from
    /// the builder's own methods and the server variables' setters.
    pub(super) fn lower_security_schemes(&mut self, servers: &[Server]) -> Vec<SecurityScheme> {
        let doc = self.doc;
        let Some(components) = &doc.components else { return Vec::new() };
        let mut setters = Namespace::with_reserved(crate::reserved::CLIENT_BUILDER_METHODS);
        for var in servers.iter().flat_map(|s| &s.variables) {
            setters.claim(&var.rust_name);
        }
        let key_schemes = components
            .security_schemes
            .values()
            .filter(|s| matches!(s, ReferenceOr::Item(OaScheme::APIKey { .. })))
            .count();
        let mut out = Vec::new();
        for (name, scheme) in &components.security_schemes {
            let pointer = format!("/components/securitySchemes/{}", escape_token(name));
            let scheme = match scheme {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { .. } => {
                    self.error(&pointer, "a security scheme given as a `$ref` is not supported", "define the scheme in place");
                    continue;
                }
            };
            let (description, kind) = match scheme {
                OaScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    (description.clone(), SecurityKind::Bearer)
                }
                OaScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (description.clone(), SecurityKind::Basic)
                }
                OaScheme::HTTP { scheme, description, .. } => {
                    (description.clone(), SecurityKind::Other { summary: format!("HTTP {scheme} authentication") })
                }
                OaScheme::OAuth2 { flows, description, extensions } => match &flows.client_credentials {
                    Some(cc) => (
                        description.clone(),
                        SecurityKind::OAuth2ClientCredentials {
                            token_url: cc.token_url.clone(),
                            token_url_template: extensions.get("x-apigen-token-url").and_then(|v| v.as_str()).map(str::to_string),
                        },
                    ),
                    None => (description.clone(), SecurityKind::Bearer),
                },
                OaScheme::APIKey { location, name: key, description, .. } => {
                    let place = match location {
                        openapiv3::APIKeyLocation::Header => KeyPlace::Header,
                        openapiv3::APIKeyLocation::Query => KeyPlace::Query,
                        openapiv3::APIKeyLocation::Cookie => KeyPlace::Cookie,
                    };
                    if place == KeyPlace::Header && !is_header_name(key) {
                        self.warning(
                            &format!("{pointer}/name"),
                            format!(
                                "the API key's header name `{}` is not a valid HTTP header name, so the client cannot send it",
                                key.escape_debug()
                            ),
                            "use letters, digits and `-`, as in `X-API-Key`; until then the scheme is only documented",
                        );
                        let summary = format!("API key in a header the client cannot send ({})", key.escape_debug());
                        out.push(SecurityScheme { name: name.clone(), description: description.clone(), kind: SecurityKind::Other { summary } });
                        continue;
                    }
                    // One key: `api_key`; several: one setter per scheme, after its name.
                    let wanted = if key_schemes == 1 { "api_key".to_string() } else { snake(name) };
                    let kind = SecurityKind::ApiKey { param: key.clone(), place, setter: setters.claim(&wanted) };
                    (description.clone(), kind)
                }
                OaScheme::OpenIDConnect { description, .. } => (description.clone(), SecurityKind::Bearer),
            };
            out.push(SecurityScheme { name: name.clone(), description, kind });
        }
        out
    }
}

/// A header name HTTP allows (RFC 9110's token).
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

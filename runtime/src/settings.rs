//! What every generated `ClientBuilder` collects, and how it becomes a
//! client's [`Config`]. No spec changes this part of a builder, so it lives
//! here, compiled once for every client, and a generated builder holds only
//! what its spec decides: the server URL and its variables, the token URL.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::auth::{ApiKey, Auth};
use super::defaults;
use super::error::{BuildError, Secret};
use super::guard::{check_secure, redirect_policy};
use super::intercept::Interceptors;
use super::oauth::ClientCredentials;
use super::retry::RetryPolicy;
use super::transport::Config;

/// The settings of a client builder, as the application gave them.
#[derive(Default)]
#[doc(hidden)]
pub struct ClientSettings {
    #[doc(hidden)]
    pub base_url: Option<String>,
    #[doc(hidden)]
    pub auth: Auth,
    /// Client id and secret for OAuth 2 client credentials; they take the
    /// place of `auth` when set.
    #[doc(hidden)]
    pub client_credentials: Option<(String, Secret)>,
    #[doc(hidden)]
    pub token_url: Option<String>,
    #[doc(hidden)]
    pub http: Option<reqwest::Client>,
    #[doc(hidden)]
    pub retry: Option<RetryPolicy>,
    #[doc(hidden)]
    pub timeout: Option<Option<Duration>>,
    #[doc(hidden)]
    pub connect_timeout: Option<Duration>,
    #[doc(hidden)]
    pub max_response_size: Option<u64>,
    #[doc(hidden)]
    pub allow_insecure_http: bool,
    #[doc(hidden)]
    pub deadline: Option<Duration>,
    #[doc(hidden)]
    pub interceptors: Interceptors,
    /// API keys, sent with every request beside `auth`.
    #[doc(hidden)]
    pub api_keys: Vec<ApiKey>,
}

/// What the spec decides about a client: the values used where the
/// application set none.
#[doc(hidden)]
pub struct SpecDefaults {
    /// The spec's server URL, its variables put in.
    #[doc(hidden)]
    pub base_url: String,
    /// The spec's client-credentials token URL, its variables put in; `None`
    /// when the spec has no such scheme.
    #[doc(hidden)]
    pub token_url: Option<String>,
    #[doc(hidden)]
    pub request_id_headers: &'static [&'static str],
    /// The generated crate's name and version.
    #[doc(hidden)]
    pub user_agent: &'static str,
}

impl ClientSettings {
    /// Writes the settings as `name { .. }`, credentials left out.
    #[doc(hidden)]
    pub fn debug(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth: &dyn fmt::Debug = match &self.client_credentials {
            Some(_) => &"ClientCredentials(..)",
            None => &self.auth,
        };
        f.debug_struct(name)
            .field("base_url", &self.base_url)
            .field("auth", auth)
            .field("api_keys", &self.api_keys)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }

    /// The client's configuration: the application's settings, the spec's
    /// values and the runtime's [`defaults`] where it gave none.
    ///
    /// # Errors
    ///
    /// When credentials would go over plain HTTP to another machine, or no
    /// HTTP client was given and one cannot be created.
    #[doc(hidden)]
    pub fn build(self, spec: SpecDefaults) -> Result<Config, BuildError> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(defaults::CONNECT_TIMEOUT))
                .redirect(redirect_policy())
                .referer(false)
                .build()
                .map_err(BuildError::http_client)?,
        };
        let base_url = self.base_url.unwrap_or(spec.base_url);
        let retry = self.retry.unwrap_or_default();
        let timeout = self.timeout.unwrap_or(Some(defaults::TIMEOUT));
        let max_response_bytes = self.max_response_size.unwrap_or(defaults::MAX_RESPONSE_SIZE);
        let auth = match (self.client_credentials, self.token_url.or(spec.token_url)) {
            (Some((client_id, secret)), Some(token_url)) => {
                check_secure("token URL", &token_url, self.allow_insecure_http)?;
                Auth::ClientCredentials(Arc::new(ClientCredentials::new(
                    token_url,
                    client_id,
                    secret.0,
                    http.clone(),
                    timeout.unwrap_or(defaults::TIMEOUT),
                    max_response_bytes,
                )))
            }
            (Some(_), None) => {
                return Err(BuildError::new("client credentials were given without a token URL; set one with `token_url`"))
            }
            (None, _) => self.auth,
        };
        if !matches!(auth, Auth::None) || !self.api_keys.is_empty() {
            check_secure("base URL", &base_url, self.allow_insecure_http)?;
        }
        Ok(Config {
            base_url,
            auth,
            http,
            retry,
            timeout,
            request_id_headers: spec.request_id_headers,
            user_agent: spec.user_agent,
            max_response_bytes,
            deadline: self.deadline,
            interceptors: self.interceptors,
            api_keys: self.api_keys,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> SpecDefaults {
        SpecDefaults {
            base_url: "https://api.example.com/v1".into(),
            token_url: Some("https://login.example.com/token".into()),
            request_id_headers: &[],
            user_agent: "test/0",
        }
    }

    #[test]
    fn unset_values_come_from_the_spec_and_the_runtime_defaults() {
        let config = ClientSettings::default().build(spec()).unwrap();
        assert_eq!(config.base_url, "https://api.example.com/v1");
        assert_eq!(config.timeout, Some(defaults::TIMEOUT));
        assert_eq!(config.max_response_bytes, defaults::MAX_RESPONSE_SIZE);
        assert_eq!(config.retry.max_attempts(), defaults::ATTEMPTS);
        assert!(matches!(config.auth, Auth::None));
    }

    #[test]
    fn credentials_over_plain_http_to_another_host_are_refused() {
        let settings = ClientSettings {
            base_url: Some("http://api.example.com".into()),
            auth: Auth::bearer("t"),
            ..ClientSettings::default()
        };
        let error = settings.build(spec()).unwrap_err().to_string();
        assert!(error.contains("base URL `http://api.example.com`"), "{error}");

        let settings = ClientSettings {
            client_credentials: Some(("id".into(), Secret("secret".into()))),
            token_url: Some("http://login.example.com/token".into()),
            ..ClientSettings::default()
        };
        let error = settings.build(spec()).unwrap_err().to_string();
        assert!(error.contains("token URL `http://login.example.com/token`"), "{error}");
    }

    #[test]
    fn client_credentials_replace_the_bearer_token_and_stay_out_of_debug() {
        let settings = ClientSettings {
            auth: Auth::bearer("t"),
            client_credentials: Some(("id".into(), Secret("hunter2".into()))),
            ..ClientSettings::default()
        };
        struct Shown<'a>(&'a ClientSettings);
        impl fmt::Debug for Shown<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.debug("ClientBuilder", f)
            }
        }
        let shown = format!("{:?}", Shown(&settings));
        assert!(shown.starts_with("ClientBuilder {") && shown.contains("ClientCredentials(..)"), "{shown}");
        assert!(!shown.contains("hunter2") && !shown.contains("\"id\""), "{shown}");
        let config = settings.build(spec()).unwrap();
        assert!(matches!(config.auth, Auth::ClientCredentials(_)));
    }

    #[test]
    fn client_credentials_without_a_token_url_are_an_error() {
        let settings = ClientSettings {
            client_credentials: Some(("id".into(), Secret("secret".into()))),
            ..ClientSettings::default()
        };
        let error = settings.build(SpecDefaults { token_url: None, ..spec() }).unwrap_err().to_string();
        assert!(error.contains("token URL"), "{error}");
    }
}

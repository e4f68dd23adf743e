//! Credentials: a static bearer token, a token provider the application
//! supplies, or OAuth 2 client credentials fetched, cached and refreshed here.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::error::{excerpt, Secret};

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<String, AuthError>> + Send + 'a>>;

/// Supplies bearer tokens, for applications that manage tokens themselves.
///
/// The client calls [`token`](TokenProvider::token) before every request, so
/// an implementation should cache; after a `401` it calls
/// [`invalidate`](TokenProvider::invalidate) once and retries.
pub trait TokenProvider: Send + Sync {
    /// A currently valid access token.
    fn token(&self) -> TokenFuture<'_>;

    /// Forget a cached token: the server rejected it.
    fn invalidate(&self) {}
}

/// No access token could be obtained.
#[derive(Debug)]
pub struct AuthError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl AuthError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        AuthError { message: message.into(), source: None }
    }

    /// An error caused by another.
    pub fn with_source(message: impl Into<String>, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        AuthError { message: message.into(), source: Some(Box::new(source)) }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e.as_ref() as &(dyn std::error::Error + 'static))
    }
}

/// How the client authenticates.
#[derive(Clone, Default)]
pub(crate) enum Auth {
    #[default]
    None,
    Static(Secret),
    Provider(Arc<dyn TokenProvider>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Static(_) => f.write_str("BearerToken(<redacted>)"),
            Auth::Provider(_) => f.write_str("TokenProvider(..)"),
        }
    }
}

impl Auth {
    /// The token to send, if any.
    pub(crate) async fn token(&self) -> Result<Option<Secret>, AuthError> {
        match self {
            Auth::None => Ok(None),
            Auth::Static(token) => Ok(Some(token.clone())),
            Auth::Provider(provider) => provider.token().await.map(|t| Some(Secret(t))),
        }
    }

    /// Whether a new token may fix a `401`.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self, Auth::Provider(_))
    }

    pub(crate) fn invalidate(&self) {
        if let Auth::Provider(provider) = self {
            provider.invalidate();
        }
    }
}

/// OAuth 2 client credentials: fetches a token from the token URL, caches it,
/// and fetches a new one shortly before it expires. Concurrent requests that
/// find no valid token wait for one fetch instead of each making their own.
pub(crate) struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    http: reqwest::Client,
    cached: tokio::sync::Mutex<Option<CachedToken>>,
}

struct CachedToken {
    token: Secret,
    refresh_at: Instant,
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// A token without `expires_in` is used for this long.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// Refresh this long before expiry at most (and a tenth of the lifetime at least).
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

impl ClientCredentials {
    pub(crate) fn new(token_url: String, client_id: String, client_secret: String, http: reqwest::Client) -> Self {
        ClientCredentials {
            token_url,
            client_id,
            client_secret: Secret(client_secret),
            http,
            cached: tokio::sync::Mutex::new(None),
        }
    }

    async fn fetch(&self) -> Result<CachedToken, AuthError> {
        let started = Instant::now();
        let reply = self
            .http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(&self.client_secret.0))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|e| AuthError::with_source(format!("cannot reach the token URL {}", self.token_url), e))?;
        let status = reply.status();
        let body = reply
            .bytes()
            .await
            .map_err(|e| AuthError::with_source("cannot read the token reply", e))?;
        if !status.is_success() {
            return Err(AuthError::new(format!("the token URL answered {status}: {}", excerpt(&body))));
        }
        let reply: TokenReply = serde_json::from_slice(&body)
            .map_err(|e| AuthError::with_source("the token reply has no `access_token`", e))?;
        let lifetime = reply.expires_in.map(Duration::from_secs).unwrap_or(DEFAULT_LIFETIME);
        let margin = REFRESH_MARGIN.min(lifetime / 10);
        tracing::debug!(target: "apigen::auth", lifetime_s = lifetime.as_secs(), "fetched an access token");
        Ok(CachedToken { token: Secret(reply.access_token), refresh_at: started + lifetime - margin })
    }
}

impl TokenProvider for ClientCredentials {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            // Holding the lock while fetching makes concurrent callers share one fetch.
            let mut cached = self.cached.lock().await;
            if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.refresh_at) {
                return Ok(token.token.0.clone());
            }
            let fresh = self.fetch().await?;
            let token = fresh.token.0.clone();
            *cached = Some(fresh);
            Ok(token)
        })
    }

    fn invalidate(&self) {
        if let Ok(mut cached) = self.cached.try_lock() {
            *cached = None;
        }
    }
}

//! Credentials: a static bearer token, a token provider the application
//! supplies, or OAuth 2 client credentials (`oauth.rs`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::error::Secret;
use super::oauth::ClientCredentials;

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
    ClientCredentials(Arc<ClientCredentials>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Static(_) => f.write_str("BearerToken(<redacted>)"),
            Auth::Provider(_) => f.write_str("TokenProvider(..)"),
            Auth::ClientCredentials(_) => f.write_str("ClientCredentials(..)"),
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
            Auth::ClientCredentials(credentials) => credentials.token().await.map(|t| Some(Secret(t))),
        }
    }

    /// Whether a new token may fix a `401`.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self, Auth::Provider(_) | Auth::ClientCredentials(_))
    }

    pub(crate) fn invalidate(&self) {
        match self {
            Auth::Provider(provider) => provider.invalidate(),
            Auth::ClientCredentials(credentials) => credentials.invalidate(),
            Auth::None | Auth::Static(_) => {}
        }
    }
}

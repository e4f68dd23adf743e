//! Credentials: a static bearer token, a token provider the application
//! supplies, or OAuth 2 client credentials (`oauth.rs`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use reqwest::header::HeaderValue;

use super::error::SendError;
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

/// One provider shared by several clients: pass each a clone of the `Arc`.
impl<P: TokenProvider + ?Sized> TokenProvider for Arc<P> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }

    fn invalidate(&self) {
        (**self).invalidate()
    }
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
#[doc(hidden)]
pub enum Auth {
    #[default]
    None,
    /// The `Authorization` header itself, made once; `None` when the token
    /// cannot be a header value (reported on each request).
    Static(Option<HeaderValue>),
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
    /// A static bearer token.
    #[doc(hidden)]
    pub fn bearer(token: &str) -> Self {
        Auth::Static(bearer_header(token))
    }

    /// The `Authorization` header to send, if any.
    #[doc(hidden)]
    pub async fn header(&self) -> Result<Option<HeaderValue>, SendError> {
        let token = match self {
            Auth::None => return Ok(None),
            Auth::Static(header) => return header.clone().map(Some).ok_or_else(invalid_token),
            Auth::Provider(provider) => provider.token().await,
            Auth::ClientCredentials(credentials) => credentials.token().await,
        };
        let token = token.map_err(SendError::Auth)?;
        bearer_header(&token).map(Some).ok_or_else(invalid_token)
    }

    /// Whether a new token may fix a `401`.
    #[doc(hidden)]
    pub fn can_refresh(&self) -> bool {
        matches!(self, Auth::Provider(_) | Auth::ClientCredentials(_))
    }

    #[doc(hidden)]
    pub fn invalidate(&self) {
        match self {
            Auth::Provider(provider) => provider.invalidate(),
            Auth::ClientCredentials(credentials) => credentials.invalidate(),
            Auth::None | Auth::Static(_) => {}
        }
    }
}

fn bearer_header(token: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

fn invalid_token() -> SendError {
    SendError::InvalidRequest("the access token is not a valid header value".into())
}

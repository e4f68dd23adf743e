//! Credentials: a static bearer token or Basic credentials, a token
//! provider the application supplies, OAuth 2 client credentials
//! (`oauth.rs`), and API keys in a header, the query or a cookie.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use reqwest::header::HeaderValue;

use super::error::{Secret, SendError};
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
            Auth::Static(_) => f.write_str("Static(<redacted>)"),
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

    /// HTTP Basic credentials (RFC 7617): `user:password`, UTF-8, in Base64.
    #[doc(hidden)]
    pub fn basic(user: &str, password: &str) -> Self {
        let mut value = HeaderValue::from_str(&format!("Basic {}", base64(format!("{user}:{password}").as_bytes())));
        if let Ok(value) = &mut value {
            value.set_sensitive(true);
        }
        Auth::Static(value.ok())
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

/// Base64 with padding (RFC 4648 section 4), for Basic credentials.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Where the spec sends an API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub enum KeyPlace {
    Header,
    Query,
    Cookie,
}

/// An API key and where it goes; the value never shows in `Debug` output.
#[derive(Clone)]
#[doc(hidden)]
pub struct ApiKey {
    #[doc(hidden)]
    pub place: KeyPlace,
    #[doc(hidden)]
    pub name: &'static str,
    #[doc(hidden)]
    pub value: Secret,
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({:?} {}: <redacted>)", self.place, self.name)
    }
}

/// Sets `key` in `keys`, in place of a key of the same name and place.
#[doc(hidden)]
pub fn set_api_key(keys: &mut Vec<ApiKey>, key: ApiKey) {
    keys.retain(|k| !(k.place == key.place && k.name.eq_ignore_ascii_case(key.name)));
    keys.push(key);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_follows_rfc_4648() {
        let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")];
        for (plain, encoded) in vectors {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain:?}");
        }
        // RFC 7617's example.
        assert!(matches!(Auth::basic("Aladdin", "open sesame"), Auth::Static(Some(v)) if v == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
        // A line break cannot reach the header: Base64 has none.
        assert!(matches!(Auth::basic("a\r\nX-Evil: 1", "p"), Auth::Static(Some(_))));
    }

    #[test]
    fn setting_a_key_again_replaces_it() {
        let key = |value: &str| ApiKey { place: KeyPlace::Header, name: "X-Api-Key", value: Secret(value.into()) };
        let mut keys = Vec::new();
        set_api_key(&mut keys, key("one"));
        set_api_key(&mut keys, key("two"));
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].value.0, "two");
        assert!(!format!("{keys:?}").contains("two"));
    }
}

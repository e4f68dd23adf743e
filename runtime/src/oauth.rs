//! OAuth 2 client credentials: the token is fetched from the token URL,
//! cached, and fetched again shortly before it expires.

use std::time::{Duration, Instant};

use super::auth::AuthError;
use super::error::{excerpt, Secret};

/// OAuth 2 client credentials: fetches a token from the token URL, caches it,
/// and fetches a new one shortly before it expires. Concurrent requests that
/// find no valid token wait for one fetch instead of each making their own.
#[doc(hidden)]
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    http: reqwest::Client,
    /// How long one token request may take in all.
    timeout: Duration,
    /// The largest token reply read, in bytes.
    max_reply_bytes: u64,
    cached: std::sync::Mutex<Option<CachedToken>>,
    /// One fetch at a time: callers that find no valid token queue here and
    /// find the token the first one fetched, or share its failure.
    fetching: tokio::sync::Semaphore,
    /// Fetches finished so far, and how the last one failed, if it did.
    fetches: std::sync::Mutex<(u64, Option<String>)>,
}

struct CachedToken {
    token: Secret,
    refresh_at: Instant,
}

/// A token without `expires_in` is used for this long.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// Refresh this long before expiry at most (and a tenth of the lifetime at least).
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

impl ClientCredentials {
    #[doc(hidden)]
    pub fn new(
        token_url: String,
        client_id: String,
        client_secret: String,
        http: reqwest::Client,
        timeout: Duration,
        max_reply_bytes: u64,
    ) -> Self {
        ClientCredentials {
            token_url,
            client_id,
            client_secret: Secret(client_secret),
            http,
            timeout,
            max_reply_bytes,
            cached: std::sync::Mutex::new(None),
            fetching: tokio::sync::Semaphore::new(1),
            fetches: std::sync::Mutex::new((0, None)),
        }
    }

    async fn fetch(&self) -> Result<CachedToken, AuthError> {
        let started = Instant::now();
        let reply = self
            .http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(&self.client_secret.0))
            .header(reqwest::header::ACCEPT, "application/json")
            // Written out rather than through `.form(..)`, and the reply read
            // as a `Value` with serde_json's own `FromStr`: both keep serde's
            // generic machinery from being compiled into this crate for one
            // small request (see `cargo xtask bench --only build`).
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            // Bounded: every request waiting for a token waits for this one.
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| AuthError::with_source(format!("cannot reach the token URL {}", self.token_url), e))?;
        let status = reply.status();
        let body = super::guard::read_body(reply, self.max_reply_bytes, false).await.map_err(|e| match e {
            super::error::SendError::TooLarge { limit, .. } => {
                AuthError::new(format!("the token reply is larger than the limit of {limit} bytes"))
            }
            super::error::SendError::Transport(e) | super::error::SendError::Timeout(e) => {
                AuthError::with_source("cannot read the token reply", e)
            }
            other => AuthError::new(format!("cannot read the token reply: {other:?}")),
        })?;
        if !status.is_success() {
            return Err(AuthError::new(format!("the token URL answered {status}: {}", excerpt(&body))));
        }
        let reply: serde_json::Value = String::from_utf8_lossy(&body)
            .parse()
            .map_err(|e| AuthError::with_source("the token reply is not JSON", e))?;
        let access_token = reply
            .get("access_token")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| AuthError::new("the token reply has no `access_token`"))?;
        let lifetime = reply.get("expires_in").and_then(serde_json::Value::as_u64).map_or(DEFAULT_LIFETIME, Duration::from_secs);
        let margin = REFRESH_MARGIN.min(lifetime / 10);
        tracing::debug!(target: "apigen::auth", lifetime_s = lifetime.as_secs(), "fetched an access token");
        Ok(CachedToken { token: Secret(access_token.to_string()), refresh_at: started + lifetime - margin })
    }
}

impl ClientCredentials {
    /// The cached token, while it is not due for refresh.
    fn valid(&self) -> Option<String> {
        let cached = self.cached.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        cached.as_ref().filter(|t| Instant::now() < t.refresh_at).map(|t| t.token.0.clone())
    }
}

impl ClientCredentials {
    /// A valid access token: the cached one, or a fresh one.
    ///
    /// A plain `async fn`, not a boxed `TokenProvider` future: a boxed future
    /// is compiled into the crate whether used or not (it was half of the
    /// Genesys crate's build time), where an `async fn` is compiled with the
    /// rest of the request path, where the application awaits an operation.
    #[doc(hidden)]
    pub async fn token(&self) -> Result<String, AuthError> {
        if let Some(token) = self.valid() {
            return Ok(token);
        }
        let fetches_before = self.fetches.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).0;
        let _permit = self.fetching.acquire().await.map_err(|_| AuthError::new("the token cache was closed"))?;
        // Another caller may have fetched while this one waited: share its
        // token, or its failure, rather than wait for a fetch of its own.
        if let Some(token) = self.valid() {
            return Ok(token);
        }
        let shared_failure = {
            let fetches = self.fetches.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if fetches.0 != fetches_before { fetches.1.clone() } else { None }
        };
        if let Some(failure) = shared_failure {
            return Err(AuthError::new(failure));
        }
        let fetched = self.fetch().await;
        let mut fetches = self.fetches.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        fetches.0 += 1;
        fetches.1 = fetched.as_ref().err().map(describe);
        drop(fetches);
        let fresh = fetched?;
        let token = fresh.token.0.clone();
        *self.cached.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(fresh);
        Ok(token)
    }

    /// Forget the cached token: the server rejected it.
    #[doc(hidden)]
    pub fn invalidate(&self) {
        *self.cached.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }
}

/// An error and its causes on one line, for the callers that share it.
fn describe(error: &AuthError) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

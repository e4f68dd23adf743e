//! Sending a request: URL, headers, authentication, timeouts, retries and a
//! tracing span per request.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::{Method, StatusCode};
use tracing::Instrument;

use super::auth::Auth;
use super::error::SendError;
use super::guard::{check_path, encode_cookie, read_body};
use super::params::Query;
use super::response::RawResponse;
use super::retry::{is_retryable_status, RetryPolicy};

/// Headers that carry a request or correlation id in many APIs; a spec adds
/// its own with `x-apigen-request-id-headers`.
const COMMON_REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "x-correlation-id", "request-id"];

/// What every request of a client shares.
#[derive(Clone, Debug)]
#[doc(hidden)]
pub struct Config {
    #[doc(hidden)]
    pub base_url: String,
    #[doc(hidden)]
    pub auth: Auth,
    #[doc(hidden)]
    pub http: reqwest::Client,
    #[doc(hidden)]
    pub retry: RetryPolicy,
    #[doc(hidden)]
    pub timeout: Option<Duration>,
    #[doc(hidden)]
    pub request_id_headers: &'static [&'static str],
    /// The `User-Agent` sent: the generated crate's name and version.
    #[doc(hidden)]
    pub user_agent: &'static str,
    /// The largest reply body read, in bytes.
    #[doc(hidden)]
    pub max_response_bytes: u64,
}

/// Settings one request overrides.
#[derive(Clone, Debug, Default)]
#[doc(hidden)]
pub struct RequestOptions {
    #[doc(hidden)]
    pub retry: Option<RetryPolicy>,
    #[doc(hidden)]
    pub timeout: Option<Duration>,
}

/// One request, ready to send.
#[doc(hidden)]
pub struct Request {
    #[doc(hidden)]
    pub operation_id: &'static str,
    #[doc(hidden)]
    pub path_template: &'static str,
    #[doc(hidden)]
    pub method: Method,
    #[doc(hidden)]
    pub path: String,
    #[doc(hidden)]
    pub query: Query,
    #[doc(hidden)]
    pub headers: Vec<(&'static str, String)>,
    #[doc(hidden)]
    pub cookies: Vec<(&'static str, String)>,
    #[doc(hidden)]
    pub accept: Option<&'static str>,
    #[doc(hidden)]
    pub body: Option<(&'static str, Vec<u8>)>,
}

impl Request {
    #[doc(hidden)]
    pub fn new(operation_id: &'static str, method: Method, path_template: &'static str, path: String) -> Self {
        Request {
            operation_id,
            path_template,
            method,
            path,
            query: Query::default(),
            headers: Vec::new(),
            cookies: Vec::new(),
            accept: None,
            body: None,
        }
    }

    /// Serializes `body` as JSON with the given content type.
    #[doc(hidden)]
    pub fn json_body<T: serde::Serialize>(&mut self, content_type: &'static str, body: &T) -> Result<(), SendError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| SendError::InvalidRequest(format!("the body cannot be serialized: {e}")))?;
        self.body = Some((content_type, bytes));
        Ok(())
    }

    /// Serializes `body` as `application/x-www-form-urlencoded`.
    #[doc(hidden)]
    pub fn form_body<T: serde::Serialize>(&mut self, content_type: &'static str, body: &T) -> Result<(), SendError> {
        let text = serde_urlencoded::to_string(body)
            .map_err(|e| SendError::InvalidRequest(format!("the body cannot be form-encoded: {e}")))?;
        self.body = Some((content_type, text.into_bytes()));
        Ok(())
    }

    /// Sends `bytes` as they are.
    #[doc(hidden)]
    pub fn raw_body(&mut self, content_type: &'static str, bytes: Vec<u8>) {
        self.body = Some((content_type, bytes));
    }
}

/// Sends `request`, retrying as the policy allows, and reads the whole reply.
/// Not generic, so it is compiled once for all operations; `?` turns its
/// error into each operation's [`Error`](super::Error).
#[doc(hidden)]
pub async fn send(config: &Config, request: Request, options: &RequestOptions) -> Result<RawResponse, SendError> {
    let span = tracing::info_span!(
        "request",
        operation = request.operation_id,
        method = %request.method,
        path = request.path_template,
        status = tracing::field::Empty,
        attempt = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    send_in_span(config, request, options, &span).instrument(span.clone()).await
}

async fn send_in_span(
    config: &Config,
    request: Request,
    options: &RequestOptions,
    span: &tracing::Span,
) -> Result<RawResponse, SendError> {
    check_path(&request.path, request.path_template)?;
    let base = config.base_url.trim_end_matches('/');
    let url_text = format!("{base}{}", request.path);
    let mut url = reqwest::Url::parse(&url_text)
        .map_err(|e| SendError::InvalidRequest(format!("`{url_text}` is not a valid URL: {e}")))?;
    if !request.query.pairs.is_empty() {
        let query = match url.query() {
            Some(existing) if !existing.is_empty() => format!("{existing}&{}", request.query.encoded()),
            _ => request.query.encoded(),
        };
        url.set_query(Some(&query));
    }
    let policy = options.retry.as_ref().unwrap_or(&config.retry);
    let timeout = options.timeout.or(config.timeout);
    // A POST or PATCH may have been processed before the connection dropped.
    let idempotent = !matches!(request.method, Method::POST | Method::PATCH);
    let mut attempt = 0;
    let mut refreshed_token = false;
    loop {
        attempt += 1;
        let mut builder = config
            .http
            .request(request.method.clone(), url.clone())
            // Static header values: no copy, no validation per request.
            .header(USER_AGENT, HeaderValue::from_static(config.user_agent));
        if let Some(accept) = request.accept {
            builder = builder.header(ACCEPT, static_value(accept)?);
        }
        if let Some(value) = config.auth.header().await? {
            builder = builder.header(AUTHORIZATION, value);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if !request.cookies.is_empty() {
            let cookies: Vec<String> =
                request.cookies.iter().map(|(name, value)| format!("{}={}", encode_cookie(name), encode_cookie(value))).collect();
            builder = builder.header(reqwest::header::COOKIE, cookies.join("; "));
        }
        if let Some((content_type, bytes)) = &request.body {
            builder = builder.header(CONTENT_TYPE, static_value(content_type)?).body(bytes.clone());
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }

        let started = Instant::now();
        let outcome = builder.send().await;
        let latency_ms = started.elapsed().as_millis() as u64;
        span.record("attempt", attempt);
        span.record("latency_ms", latency_ms);
        let response = match outcome {
            Ok(response) => response,
            Err(e) => {
                let retry = idempotent && !e.is_timeout() && !e.is_builder() && attempt < policy.max_attempts();
                tracing::debug!(attempt, latency_ms, error = %e, retry, "request failed");
                if retry {
                    tokio::time::sleep(policy.backoff(attempt)).await;
                    continue;
                }
                return Err(SendError::from_reqwest(e));
            }
        };
        let status = response.status();
        span.record("status", status.as_u16());
        tracing::debug!(attempt, latency_ms, status = status.as_u16(), "reply received");
        if status == StatusCode::UNAUTHORIZED && config.auth.can_refresh() && !refreshed_token {
            // The token may have been revoked early: fetch a new one, once.
            refreshed_token = true;
            config.auth.invalidate();
            attempt -= 1;
            continue;
        }
        if is_retryable_status(status) && attempt < policy.max_attempts() {
            let wait = policy.retry_after(response.headers()).unwrap_or_else(|| policy.backoff(attempt));
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying after {status}");
            tokio::time::sleep(wait).await;
            continue;
        }
        let mut response = response;
        // Taken, not cloned: the body is read next and the reply dropped.
        let headers = std::mem::take(response.headers_mut());
        let request_id = request_id(&headers, config.request_id_headers);
        let body = read_body(response, config.max_response_bytes).await?;
        return Ok(RawResponse { status, headers, body, request_id });
    }
}

/// A media type from the spec as a header value, without copying it.
fn static_value(value: &'static str) -> Result<HeaderValue, SendError> {
    // What `from_static` accepts; it panics on anything else.
    if value.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b)) {
        Ok(HeaderValue::from_static(value))
    } else {
        Err(SendError::InvalidRequest(format!("`{value}` is not a valid header value")))
    }
}

fn request_id(headers: &HeaderMap, api_headers: &[&str]) -> Option<String> {
    // Compared by name rather than looked up: a lookup by `&str` parses and
    // hashes each name, which costs more than scanning a reply's few headers.
    api_headers
        .iter()
        .chain(COMMON_REQUEST_ID_HEADERS)
        .find_map(|wanted| headers.iter().find(|(name, _)| name.as_str().eq_ignore_ascii_case(wanted)))
        .and_then(|(_, value)| value.to_str().ok())
        .map(str::to_string)
}

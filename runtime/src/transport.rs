//! Sending a request: URL, headers, authentication, timeouts, retries and a
//! tracing span per request.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};
use reqwest::{Method, StatusCode};
use tracing::Instrument;

use super::auth::{ApiKey, Auth, KeyPlace};
use super::body::{ByteStream, Multipart, Payload, Upload};
use super::error::{SendError, TransportError};
use super::form::FormField;
use super::intercept::{extra_headers, AttemptOutcome, Interceptors, OutgoingRequest};
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
    /// The time allowed for all attempts of a request together.
    #[doc(hidden)]
    pub deadline: Option<Duration>,
    #[doc(hidden)]
    pub interceptors: Interceptors,
    #[doc(hidden)]
    pub api_keys: Vec<ApiKey>,
}

/// Settings one request overrides.
#[derive(Clone, Debug, Default)]
#[doc(hidden)]
pub struct RequestOptions {
    #[doc(hidden)]
    pub retry: Option<RetryPolicy>,
    #[doc(hidden)]
    pub timeout: Option<Duration>,
    #[doc(hidden)]
    pub deadline: Option<Duration>,
    /// Headers the application adds, checked when the request is sent.
    #[doc(hidden)]
    pub headers: Vec<(String, String)>,
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
    pub body: Option<Payload>,
    /// Whether a successful reply's body is handed over unread, as a
    /// [`ByteStream`].
    #[doc(hidden)]
    pub stream_reply: bool,
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
            stream_reply: false,
        }
    }

    /// Serializes `body` as JSON with the given content type.
    #[doc(hidden)]
    pub fn json_body<T: serde::Serialize>(&mut self, content_type: &'static str, body: &T) -> Result<(), SendError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| SendError::InvalidRequest(format!("the body cannot be serialized: {e}")))?;
        self.body = Some(Payload::Bytes(content_type, bytes.into()));
        Ok(())
    }

    /// Serializes `body` as `application/x-www-form-urlencoded`, each field
    /// by its entry of the media type's `encoding` object in `fields`.
    #[doc(hidden)]
    pub fn form_body<T: serde::Serialize>(&mut self, content_type: &'static str, body: &T, fields: &[FormField]) -> Result<(), SendError> {
        let value =
            serde_json::to_value(body).map_err(|e| SendError::InvalidRequest(format!("the body cannot be form-encoded: {e}")))?;
        let text = super::form::encode(&value, fields)?;
        self.body = Some(Payload::Bytes(content_type, text.into_bytes().into()));
        Ok(())
    }

    /// Sends `text` as it is.
    #[doc(hidden)]
    pub fn text_body(&mut self, content_type: &'static str, text: &str) {
        self.body = Some(Payload::Bytes(content_type, bytes::Bytes::copy_from_slice(text.as_bytes())));
    }

    /// Sends raw bytes from memory, a file or a stream.
    #[doc(hidden)]
    pub fn upload_body(&mut self, content_type: &'static str, upload: &Upload) {
        self.body = Some(Payload::Upload(content_type, upload.clone()));
    }

    /// Sends a `multipart/form-data` body.
    #[doc(hidden)]
    pub fn multipart_body(&mut self, form: Multipart) {
        self.body = Some(Payload::Multipart(form));
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
    let mut key_in_query = false;
    for key in config.api_keys.iter().filter(|k| k.place == KeyPlace::Query) {
        url.query_pairs_mut().append_pair(key.name, &key.value.0);
        key_in_query = true;
    }
    // An error of the HTTP library names the URL: not when it holds a key.
    // Neither an error, a log line nor an interceptor's view sees it then.
    let hide_url = |e: reqwest::Error| if key_in_query { e.without_url() } else { e };
    // Headers made once for all attempts.
    let fixed = fixed_headers(config, &request)?;
    let extra = extra_headers(&options.headers)?;
    let policy = options.retry.as_ref().unwrap_or(&config.retry);
    let timeout = options.timeout.or(config.timeout);
    let deadline = options.deadline.or(config.deadline);
    let deadline_at = deadline.map(|d| Instant::now() + d);
    // A POST or PATCH may have been processed before the connection dropped.
    let idempotent = !matches!(request.method, Method::POST | Method::PATCH);
    // A body read from a stream is gone once sent: no second attempt.
    let replayable = request.body.as_ref().map_or(true, Payload::is_replayable);
    // Whether waiting `wait` before another attempt still leaves time for it.
    let time_for = |wait: Duration| deadline_at.map_or(true, |at| Instant::now() + wait < at);
    // `attempt` counts against the retry policy; `sent` counts requests sent,
    // a repeat with a fresh token included, and is what replies report.
    let (mut attempt, mut sent) = (0, 0);
    let mut refreshed_token = false;
    loop {
        attempt += 1;
        sent += 1;
        // Each attempt gets its timeout, cut to what is left of the deadline.
        let mut attempt_timeout = timeout;
        if let (Some(at), Some(deadline)) = (deadline_at, deadline) {
            let left = at.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(SendError::Timeout(TransportError::deadline(deadline, sent - 1)));
            }
            attempt_timeout = Some(attempt_timeout.map_or(left, |t| t.min(left)));
        }
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
        for (name, value) in &fixed {
            builder = builder.header(name.clone(), value.clone());
        }
        if let Some(payload) = &request.body {
            builder = payload.attach_to(builder).await.map_err(|e| e.with_attempts(sent))?;
        }
        // reqwest's timeout covers reading the body too; a streamed body
        // is bounded chunk by chunk instead (`ByteStream`).
        if let Some(timeout) = attempt_timeout.filter(|_| !request.stream_reply) {
            builder = builder.timeout(timeout);
        }
        let mut outgoing = builder.build().map_err(|e| SendError::from_reqwest(hide_url(e)))?;
        // The application's headers replace the client's of the same name.
        for (name, value) in &extra {
            outgoing.headers_mut().insert(name.clone(), value.clone());
        }
        if !config.interceptors.0.is_empty() {
            intercept(config, request.operation_id, sent, &mut outgoing)?;
        }

        let started = Instant::now();
        let outcome = match attempt_timeout.filter(|_| request.stream_reply) {
            Some(limit) => match tokio::time::timeout(limit, config.http.execute(outgoing)).await {
                Ok(outcome) => outcome.map_err(|e| Failure::Http(hide_url(e))),
                Err(_) => Err(Failure::NoReply(TransportError::no_reply(limit))),
            },
            None => config.http.execute(outgoing).await.map_err(|e| Failure::Http(hide_url(e))),
        };
        let elapsed = started.elapsed();
        let latency_ms = elapsed.as_millis() as u64;
        span.record("attempt", sent);
        span.record("latency_ms", latency_ms);
        for interceptor in &config.interceptors.0 {
            let reply = match &outcome {
                Ok(response) => Ok((response.status(), response.headers())),
                Err(Failure::Http(e)) => Err(e as &(dyn std::error::Error + 'static)),
                Err(Failure::NoReply(e)) => Err(e as &(dyn std::error::Error + 'static)),
            };
            interceptor.after_attempt(&AttemptOutcome { operation_id: request.operation_id, attempt: sent, elapsed, reply });
        }
        let response = match outcome {
            Ok(response) => response,
            Err(Failure::NoReply(e)) => return Err(SendError::Timeout(e.with_attempts(sent))),
            Err(Failure::Http(e)) => {
                let wait = policy.backoff(attempt);
                let retry = idempotent
                    && replayable
                    && !e.is_timeout()
                    && !e.is_builder()
                    && attempt < policy.max_attempts()
                    && time_for(wait);
                tracing::debug!(attempt, latency_ms, error = %e, retry, "request failed");
                if retry {
                    tokio::time::sleep(wait).await;
                    continue;
                }
                return Err(SendError::from_reqwest(e).with_attempts(sent));
            }
        };
        let status = response.status();
        span.record("status", status.as_u16());
        tracing::debug!(attempt, latency_ms, status = status.as_u16(), "reply received");
        if status == StatusCode::UNAUTHORIZED && config.auth.can_refresh() && !refreshed_token && replayable {
            // The token may have been revoked early: fetch a new one, once.
            refreshed_token = true;
            config.auth.invalidate();
            attempt -= 1;
            continue;
        }
        if is_retryable_status(status) && attempt < policy.max_attempts() && replayable {
            let wait = policy.retry_after(response.headers()).unwrap_or_else(|| policy.backoff(attempt));
            if time_for(wait) {
                tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying after {status}");
                tokio::time::sleep(wait).await;
                continue;
            }
        }
        let mut response = response;
        // Taken, not cloned: the body is read next and the reply dropped.
        let headers = std::mem::take(response.headers_mut());
        let request_id = request_id(&headers, config.request_id_headers);
        if request.stream_reply && status.is_success() {
            let stream = ByteStream::from_reply(response, config.max_response_bytes, attempt_timeout, key_in_query);
            let body = bytes::Bytes::new();
            return Ok(RawResponse { status, headers, body, request_id, attempts: sent, stream: Some(stream) });
        }
        let body = read_body(response, config.max_response_bytes, key_in_query).await.map_err(|e| e.with_attempts(sent))?;
        return Ok(RawResponse { status, headers, body, request_id, attempts: sent, stream: None });
    }
}

/// Why an attempt got no reply.
enum Failure {
    Http(reqwest::Error),
    /// No reply's head within the attempt's timeout (a streamed reply).
    NoReply(TransportError),
}

/// The API keys that go in headers, and the `Cookie` header (the request's
/// cookies and the keys that go in cookies), checked once for all attempts.
fn fixed_headers(config: &Config, request: &Request) -> Result<Vec<(HeaderName, HeaderValue)>, SendError> {
    let mut headers = Vec::new();
    for key in config.api_keys.iter().filter(|k| k.place == KeyPlace::Header) {
        let name = HeaderName::from_bytes(key.name.as_bytes())
            .map_err(|_| SendError::InvalidRequest(format!("`{}` is not a valid header name", key.name)))?;
        let mut value = HeaderValue::from_str(&key.value.0).map_err(|_| {
            SendError::InvalidRequest(format!("the API key for the `{}` header is not a valid header value", key.name))
        })?;
        value.set_sensitive(true);
        headers.push((name, value));
    }
    let key_cookies = config.api_keys.iter().filter(|k| k.place == KeyPlace::Cookie).map(|k| (k.name, &k.value.0));
    let cookies: Vec<String> = request
        .cookies
        .iter()
        .map(|(name, value)| (*name, value))
        .chain(key_cookies)
        .map(|(name, value)| format!("{}={}", encode_cookie(name), encode_cookie(value)))
        .collect();
    if !cookies.is_empty() {
        // Percent-encoded, so always a valid value.
        let mut value = HeaderValue::from_str(&cookies.join("; "))
            .map_err(|_| SendError::InvalidRequest("a cookie is not a valid header value".into()))?;
        value.set_sensitive(config.api_keys.iter().any(|k| k.place == KeyPlace::Cookie));
        headers.push((reqwest::header::COOKIE, value));
    }
    Ok(headers)
}

/// Runs the client's interceptors on one attempt, in order.
fn intercept(
    config: &Config,
    operation_id: &'static str,
    attempt: u32,
    outgoing: &mut reqwest::Request,
) -> Result<(), SendError> {
    // Taken out and put back, so the URL and body can be lent beside them.
    let mut headers = std::mem::take(outgoing.headers_mut());
    let result = {
        let mut view = OutgoingRequest {
            operation_id,
            attempt,
            method: outgoing.method(),
            url: outgoing.url().as_str(),
            headers: &mut headers,
            body: outgoing.body().and_then(reqwest::Body::as_bytes),
        };
        config.interceptors.0.iter().try_for_each(|i| i.before_attempt(&mut view))
    };
    *outgoing.headers_mut() = headers;
    result.map_err(SendError::Interceptor)
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

/// An operation's `send`: the request its builder made, sent, and the reply
/// decoded by the operation's `decode`. The one `async` function behind
/// every operation: its state machine is made, generic, only where an
/// application sends the operation, instead of an `async fn send` per
/// operation that every build of a huge crate checks (issue 16).
pub async fn call<T, E>(
    config: &Config,
    request: Result<Request, SendError>,
    options: RequestOptions,
    decode: fn(RawResponse) -> Result<T, super::error::Error<E>>,
) -> Result<T, super::error::Error<E>> {
    let response = send(config, request?, &options).await?;
    decode(response)
}

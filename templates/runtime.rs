//! Plumbing shared by every operation: sending a request, reading the reply,
//! and the error and response types. The same file goes into every crate
//! apigen generates.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

/// The `User-Agent` the client sends: crate name and version.
pub(crate) const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// How many bytes of an undecodable body an error keeps.
const EXCERPT_LEN: usize = 256;

/// A successful reply: the decoded body with the status and headers it came with.
#[derive(Clone, Debug)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> ApiResponse<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers (rate-limit and correlation headers, for example).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse { status: self.status, headers: self.headers, body: f(self.body) }
    }
}

/// A documented error reply: the operation's error body with status and headers.
#[derive(Clone, Debug)]
pub struct ApiError<E> {
    status: StatusCode,
    headers: HeaderMap,
    body: E,
}

impl<E> ApiError<E> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded error body, one variant per documented status.
    pub fn body(&self) -> &E {
        &self.body
    }

    /// The decoded error body.
    pub fn into_body(self) -> E {
        self.body
    }
}

/// Why an operation failed. `E` is the operation's own enum of documented
/// error replies.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The base URL and path do not form a valid URL.
    InvalidUrl(String),
    /// The request could not be sent or the reply not received (DNS, TLS,
    /// connection reset).
    Transport(reqwest::Error),
    /// The server did not answer in time.
    Timeout(reqwest::Error),
    /// The server answered with a documented error status.
    Api(ApiError<E>),
    /// The server answered with a status the spec does not document.
    UnexpectedStatus {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body.
        body: Vec<u8>,
    },
    /// The reply's body does not match the documented type.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body, for diagnosis.
        excerpt: String,
        /// What serde reported.
        source: serde_json::Error,
    },
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport(e) | Error::Timeout(e) => e.status(),
            Error::InvalidUrl(_) => None,
        }
    }

    /// The documented error reply, when that is what failed.
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    fn from_reqwest(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            Error::Timeout(e)
        } else {
            Error::Transport(e)
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidUrl(url) => write!(f, "invalid request URL `{url}`"),
            Error::Transport(e) => write!(f, "request failed: {e}"),
            Error::Timeout(_) => write!(f, "request timed out"),
            Error::Api(e) => write!(f, "the server answered {}: {:?}", e.status, e.body),
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "the server answered with undocumented status {status}: {}", excerpt(body))
            }
            Error::Decode { status, excerpt, source } => {
                write!(f, "could not decode the {status} reply ({source}): {excerpt}")
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) | Error::Timeout(e) => Some(e),
            Error::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A bearer token that never shows in `Debug` output.
#[derive(Clone)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// What every request of a client shares.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) base_url: String,
    pub(crate) bearer_token: Option<Secret>,
    pub(crate) http: reqwest::Client,
}

/// One request, ready to send.
pub(crate) struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Query,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) accept: Option<&'static str>,
    pub(crate) body: Option<(&'static str, Vec<u8>)>,
}

impl Request {
    pub(crate) fn new(method: Method, path: String) -> Self {
        Request { method, path, query: Query::default(), headers: Vec::new(), accept: None, body: None }
    }

    /// Serializes `body` as JSON with the given content type.
    pub(crate) fn json_body<T: serde::Serialize, E>(&mut self, content_type: &'static str, body: &T) -> Result<(), Error<E>> {
        let bytes = serde_json::to_vec(body).map_err(|source| Error::Decode {
            status: StatusCode::OK,
            excerpt: String::from("(request body)"),
            source,
        })?;
        self.body = Some((content_type, bytes));
        Ok(())
    }
}

/// Sends `request` and reads the whole reply.
pub(crate) async fn send<E>(config: &Config, request: Request) -> Result<RawResponse, Error<E>> {
    let base = config.base_url.trim_end_matches('/');
    let url_text = format!("{base}{}", request.path);
    let mut url = reqwest::Url::parse(&url_text).map_err(|_| Error::InvalidUrl(url_text.clone()))?;
    if !request.query.pairs.is_empty() {
        url.query_pairs_mut().extend_pairs(request.query.pairs.iter().map(|(k, v)| (*k, v.as_str())));
    }
    let mut builder = config.http.request(request.method, url).header(USER_AGENT, DEFAULT_USER_AGENT);
    if let Some(accept) = request.accept {
        builder = builder.header(ACCEPT, accept);
    }
    if let Some(token) = &config.bearer_token {
        let mut value = HeaderValue::from_str(&format!("Bearer {}", token.0))
            .map_err(|_| Error::InvalidUrl(String::from("(bearer token is not a valid header value)")))?;
        value.set_sensitive(true);
        builder = builder.header(AUTHORIZATION, value);
    }
    for (name, value) in request.headers {
        builder = builder.header(name, value);
    }
    if let Some((content_type, bytes)) = request.body {
        builder = builder.header(CONTENT_TYPE, content_type).body(bytes);
    }
    let response = builder.send().await.map_err(Error::from_reqwest)?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(Error::from_reqwest)?.to_vec();
    Ok(RawResponse { status, headers, body })
}

/// A reply as received, before decoding.
pub(crate) struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl RawResponse {
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    fn decode<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        // An empty body decodes as `null`, so optional bodies still work.
        let bytes: &[u8] = if self.body.is_empty() { b"null" } else { &self.body };
        serde_json::from_slice(bytes).map_err(|source| Error::Decode {
            status: self.status,
            excerpt: excerpt(&self.body),
            source,
        })
    }

    /// A success with a JSON body.
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<ApiResponse<T>, Error<E>> {
        let body = self.decode()?;
        Ok(ApiResponse { status: self.status, headers: self.headers, body })
    }

    /// A success whose body is not decoded.
    pub(crate) fn empty<E>(self) -> Result<ApiResponse<()>, Error<E>> {
        Ok(ApiResponse { status: self.status, headers: self.headers, body: () })
    }

    /// A documented error with a JSON body, wrapped into the operation's error enum.
    pub(crate) fn api_error<B: DeserializeOwned, E>(self, wrap: impl FnOnce(B) -> E) -> Error<E> {
        match self.decode::<B, E>() {
            Ok(body) => Error::Api(ApiError { status: self.status, headers: self.headers, body: wrap(body) }),
            Err(e) => e,
        }
    }

    /// A documented error without a body.
    pub(crate) fn api_error_empty<E>(self, body: E) -> Error<E> {
        Error::Api(ApiError { status: self.status, headers: self.headers, body })
    }

    /// A status the operation does not document.
    pub(crate) fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus { status: self.status, headers: self.headers, body: self.body }
    }
}

fn excerpt(body: &[u8]) -> String {
    let end = body.len().min(EXCERPT_LEN);
    let mut text = String::from_utf8_lossy(&body[..end]).into_owned();
    if body.len() > EXCERPT_LEN {
        text.push('…');
    }
    text
}

/// How a value is written in a path, query or header.
pub(crate) trait ToParam {
    fn to_param(&self) -> String;
}

impl ToParam for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl ToParam for bool {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ToParam for i32 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ToParam for i64 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ToParam for f32 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ToParam for f64 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ToParam for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl ToParam for chrono::NaiveDate {
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl ToParam for serde_json::Value {
    fn to_param(&self) -> String {
        match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// Query pairs in the order they are added; encoded when the URL is built.
#[derive(Default)]
pub(crate) struct Query {
    pairs: Vec<(&'static str, String)>,
}

impl Query {
    /// `name=value`.
    pub(crate) fn push<T: ToParam>(&mut self, name: &'static str, value: &T) {
        self.pairs.push((name, value.to_param()));
    }

    /// `name=a&name=b` (`style: form`, `explode: true`).
    pub(crate) fn push_each<T: ToParam>(&mut self, name: &'static str, values: &[T]) {
        for v in values {
            self.push(name, v);
        }
    }

    /// `name=a<sep>b` (comma for `form` without explode, space, or pipe).
    pub(crate) fn push_joined<T: ToParam>(&mut self, name: &'static str, values: &[T], separator: &str) {
        let joined: Vec<String> = values.iter().map(ToParam::to_param).collect();
        self.pairs.push((name, joined.join(separator)));
    }
}

/// Percent-encodes a path parameter so that it stays one path segment:
/// everything but RFC 3986 unreserved characters is encoded.
pub(crate) fn encode_segment<T: ToParam>(value: &T) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    percent_encoding::utf8_percent_encode(&value.to_param(), SEGMENT).to_string()
}

/// Writes a list of values as one header or path value (`simple` style).
pub(crate) fn join_simple<T: ToParam>(values: &[T]) -> String {
    values.iter().map(ToParam::to_param).collect::<Vec<_>>().join(",")
}

//! The error every operation returns.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::auth::AuthError;
use super::intercept::BoxError;
use super::response::ApiError;

/// Why an operation failed. `E` is the operation's own enum of documented
/// error replies.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request could not be built: the base URL and path do not form a
    /// URL, or a header value is not valid.
    InvalidRequest(String),
    /// No access token could be obtained.
    Auth(AuthError),
    /// The request could not be sent or the reply not received (DNS, TLS,
    /// refused or dropped connection), after any retries.
    Transport(TransportError),
    /// The server did not answer within the timeout.
    Timeout(TransportError),
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
        /// The vendor's request or correlation id, if the reply carried one.
        request_id: Option<String>,
        /// How many attempts were made, this one included.
        attempts: u32,
    },
    /// The reply's body is larger than the client accepts (the client
    /// builder's `max_response_size`).
    ResponseTooLarge {
        /// The HTTP status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: u64,
        /// How many attempts were made, this one included.
        attempts: u32,
    },
    /// The reply's body does not match the documented type.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// Where in the body decoding failed, as a path of fields and
        /// indexes (`data[0].period`); empty at the top.
        path: String,
        /// The start of the body, for diagnosis.
        excerpt: String,
        /// What serde reported.
        source: serde_json::Error,
        /// The vendor's request or correlation id, if the reply carried one.
        request_id: Option<String>,
        /// How many attempts were made, this one included.
        attempts: u32,
    },
    /// An [`Interceptor`](crate::Interceptor) stopped the request before it
    /// was sent.
    Interceptor(BoxError),
    /// A paginated listing stopped because the server gave a cursor it had
    /// given before: following it would loop, so the pages so far may not
    /// be all of them.
    RepeatedCursor {
        /// The cursor, as text safe to log.
        cursor: String,
        /// How many pages were received.
        pages: usize,
    },
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => {
                Some(*status)
            }
            Error::Transport(_)
            | Error::Timeout(_)
            | Error::InvalidRequest(_)
            | Error::Auth(_)
            | Error::Interceptor(_)
            | Error::RepeatedCursor { .. } => None,
        }
    }

    /// How many attempts were made: 1 unless the request was retried.
    /// `None` when the request failed before it was sent.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(e) => Some(e.attempts()),
            Error::Transport(e) | Error::Timeout(e) => Some(e.attempts()),
            Error::UnexpectedStatus { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::ResponseTooLarge { attempts, .. } => Some(*attempts),
            Error::InvalidRequest(_) | Error::Auth(_) | Error::Interceptor(_) | Error::RepeatedCursor { .. } => None,
        }
    }

    /// The documented error reply, when that is what failed.
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The vendor's request or correlation id of the failed reply, for
    /// support tickets and logs.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id(),
            Error::UnexpectedStatus { request_id, .. } | Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// True for a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(what) => write!(f, "invalid request: {what}"),
            Error::Auth(e) => write!(f, "authentication failed: {e}"),
            Error::Transport(e) => write!(f, "request failed: {e}"),
            Error::Timeout(e) => write!(f, "request timed out: {e}"),
            Error::Api(e) => write!(f, "the server answered {}: {:?}", e.status(), e.body()),
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "the server answered with undocumented status {status}: {}", excerpt(body))
            }
            Error::Decode { status, path, excerpt, source, .. } if !path.is_empty() => {
                write!(f, "could not decode the {status} reply at `{path}` ({source}): {excerpt}")
            }
            Error::Decode { status, excerpt, source, .. } => {
                write!(f, "could not decode the {status} reply ({source}): {excerpt}")
            }
            Error::ResponseTooLarge { status, limit, .. } => {
                write!(f, "the {status} reply is larger than the limit of {limit} bytes")
            }
            Error::Interceptor(e) => write!(f, "an interceptor stopped the request: {e}"),
            Error::RepeatedCursor { cursor, pages } => write!(
                f,
                "the listing stopped after {pages} page(s): the server gave the cursor `{cursor}` a second time, so more pages may exist"
            ),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) | Error::Timeout(e) => Some(e),
            Error::Decode { source, .. } => Some(source),
            Error::Auth(e) => Some(e),
            Error::Interceptor(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// Why a request could not be sent or its reply not received.
///
/// Its message names the cause as the operating system or TLS library gave
/// it ("connection refused", "dns error: ..."); [`kind`](Self::kind) sorts it,
/// and [`source`](std::error::Error::source) holds the underlying error. The
/// HTTP library's own error type is not part of this API, so that upgrading
/// it changes no client's API.
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Box<dyn std::error::Error + Send + Sync>,
    attempts: u32,
}

/// What kind of transport failure a [`TransportError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: DNS, refused, unreachable, TLS handshake.
    Connect,
    /// The time allowed ran out.
    Timeout,
    /// The reply's body could not be read to its end.
    Body,
    /// Redirects could not be followed (a loop, or one the client refuses).
    Redirect,
    /// Something else: a dropped connection, a protocol error.
    Other,
}

impl TransportError {
    #[doc(hidden)]
    pub fn from_reqwest(e: reqwest::Error) -> Self {
        let kind = if e.is_timeout() {
            TransportErrorKind::Timeout
        } else if e.is_connect() {
            TransportErrorKind::Connect
        } else if e.is_body() || e.is_decode() {
            TransportErrorKind::Body
        } else if e.is_redirect() {
            TransportErrorKind::Redirect
        } else {
            TransportErrorKind::Other
        };
        // reqwest's message says what failed ("error sending request for url
        // (...)"); the innermost source says why ("Connection refused").
        let mut message = e.to_string();
        let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&e);
        let mut innermost = None;
        while let Some(c) = cause {
            innermost = Some(c.to_string());
            cause = c.source();
        }
        if let Some(why) = innermost.filter(|why| !message.contains(why.as_str())) {
            message = format!("{message}: {why}");
        }
        TransportError { kind, message, source: Box::new(e), attempts: 1 }
    }

    /// A failure this crate finds itself, such as a reply body that stops
    /// arriving.
    pub(crate) fn new(kind: TransportErrorKind, message: String) -> Self {
        TransportError { kind, source: Box::new(Failure(message.clone())), message, attempts: 1 }
    }

    /// No reply's head arrived within an attempt's timeout.
    pub(crate) fn no_reply(timeout: std::time::Duration) -> Self {
        TransportError::new(TransportErrorKind::Timeout, format!("no reply within the timeout of {timeout:?}"))
    }

    /// The time allowed for all attempts ran out before another could start.
    #[doc(hidden)]
    pub fn deadline(deadline: std::time::Duration, attempts: u32) -> Self {
        TransportError {
            kind: TransportErrorKind::Timeout,
            message: format!("the deadline of {deadline:?} passed after {attempts} attempt(s)"),
            source: Box::new(DeadlineElapsed(deadline)),
            attempts,
        }
    }

    #[doc(hidden)]
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// How many attempts were made, the failed one included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// The source of a [`TransportError`] this crate finds itself.
#[derive(Debug)]
struct Failure(String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

/// The source of a [`TransportError`] for an overall deadline.
#[derive(Debug)]
struct DeadlineElapsed(std::time::Duration);

impl fmt::Display for DeadlineElapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "deadline of {:?} elapsed", self.0)
    }
}

impl std::error::Error for DeadlineElapsed {}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// A failure before any reply: the part of [`Error`] that does not depend on
/// the operation. Sending returns it so that the sending code, the largest
/// part of the runtime, is compiled once rather than once per operation.
#[derive(Debug)]
#[doc(hidden)]
pub enum SendError {
    InvalidRequest(String),
    Auth(AuthError),
    Transport(TransportError),
    Timeout(TransportError),
    TooLarge { status: StatusCode, limit: u64, attempts: u32 },
    Interceptor(BoxError),
}

impl SendError {
    /// The error, saying how many attempts were made.
    pub(crate) fn with_attempts(self, attempts: u32) -> Self {
        match self {
            SendError::Transport(e) => SendError::Transport(e.with_attempts(attempts)),
            SendError::Timeout(e) => SendError::Timeout(e.with_attempts(attempts)),
            SendError::TooLarge { status, limit, .. } => SendError::TooLarge { status, limit, attempts },
            other => other,
        }
    }

    #[doc(hidden)]
    pub fn from_reqwest(e: reqwest::Error) -> Self {
        let e = TransportError::from_reqwest(e);
        if e.kind() == TransportErrorKind::Timeout {
            SendError::Timeout(e)
        } else {
            SendError::Transport(e)
        }
    }
}

impl<E> From<SendError> for Error<E> {
    fn from(e: SendError) -> Self {
        match e {
            SendError::InvalidRequest(what) => Error::InvalidRequest(what),
            SendError::Auth(e) => Error::Auth(e),
            SendError::Transport(e) => Error::Transport(e),
            SendError::Timeout(e) => Error::Timeout(e),
            SendError::TooLarge { status, limit, attempts } => Error::ResponseTooLarge { status, limit, attempts },
            SendError::Interceptor(e) => Error::Interceptor(e),
        }
    }
}

/// How many bytes of an undecodable body an error keeps.
const EXCERPT_LEN: usize = 256;

/// The start of a body, as text. Control and bidirectional-override
/// characters are escaped (`\n`, `\u{1b}`), so a reply cannot forge lines
/// of a log or drive the terminal that shows the error.
#[doc(hidden)]
pub fn excerpt(body: &[u8]) -> String {
    let end = body.len().min(EXCERPT_LEN);
    let mut text = String::new();
    for c in String::from_utf8_lossy(&body[..end]).chars() {
        let unsafe_char = c.is_control() || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if unsafe_char {
            text.extend(c.escape_default());
        } else {
            text.push(c);
        }
    }
    if body.len() > EXCERPT_LEN {
        text.push('…');
    }
    text
}

/// Why a client could not be built.
#[derive(Debug)]
pub struct BuildError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl BuildError {
    #[doc(hidden)]
    pub fn new(message: impl Into<String>) -> Self {
        BuildError { message: message.into(), source: None }
    }

    /// The HTTP client could not be created; not a `From` impl, so that the
    /// HTTP library's type stays out of this API.
    #[doc(hidden)]
    pub fn http_client(e: reqwest::Error) -> Self {
        BuildError { message: "the HTTP client cannot be created".into(), source: Some(Box::new(e)) }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e.as_ref() as &(dyn std::error::Error + 'static))
    }
}

/// A credential that never shows in `Debug` output.
#[derive(Clone)]
#[doc(hidden)]
pub struct Secret(#[doc(hidden)] pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

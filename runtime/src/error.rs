//! The error every operation returns.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::auth::AuthError;
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
    Transport(reqwest::Error),
    /// The server did not answer within the timeout.
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
        /// The vendor's request or correlation id, if the reply carried one.
        request_id: Option<String>,
    },
    /// The reply's body is larger than the client accepts (the client
    /// builder's `max_response_size`).
    ResponseTooLarge {
        /// The HTTP status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The reply's body does not match the documented type.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body, for diagnosis.
        excerpt: String,
        /// What serde reported.
        source: serde_json::Error,
        /// The vendor's request or correlation id, if the reply carried one.
        request_id: Option<String>,
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
            Error::Transport(e) | Error::Timeout(e) => e.status(),
            Error::InvalidRequest(_) | Error::Auth(_) => None,
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
            Error::Timeout(_) => write!(f, "request timed out"),
            Error::Api(e) => write!(f, "the server answered {}: {:?}", e.status(), e.body()),
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "the server answered with undocumented status {status}: {}", excerpt(body))
            }
            Error::Decode { status, excerpt, source, .. } => {
                write!(f, "could not decode the {status} reply ({source}): {excerpt}")
            }
            Error::ResponseTooLarge { status, limit } => {
                write!(f, "the {status} reply is larger than the limit of {limit} bytes")
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) | Error::Timeout(e) => Some(e),
            Error::Decode { source, .. } => Some(source),
            Error::Auth(e) => Some(e),
            _ => None,
        }
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
    Transport(reqwest::Error),
    Timeout(reqwest::Error),
    TooLarge { status: StatusCode, limit: u64 },
}

impl SendError {
    #[doc(hidden)]
    pub fn from_reqwest(e: reqwest::Error) -> Self {
        if e.is_timeout() {
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
            SendError::TooLarge { status, limit } => Error::ResponseTooLarge { status, limit },
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
}

impl From<reqwest::Error> for BuildError {
    fn from(e: reqwest::Error) -> Self {
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

//! Hooks an application runs around every attempt of every request, for
//! signing, metrics and logging, and the headers one request adds.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use super::error::SendError;

/// The error an interceptor returns to stop a request.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Runs before each attempt of a request is sent and after its reply (or
/// failure) arrives; retries run it again. Set on the client builder with
/// `interceptor(..)`; several run in the order they were added.
///
/// The methods are synchronous, as in aws-sdk-rust's interceptors: anything
/// slow (fetching a signing key) belongs in a [`TokenProvider`](crate::TokenProvider)
/// or before the call.
pub trait Interceptor: Send + Sync {
    /// Sees the request as it will go out and may change its headers (a
    /// signature, a trace id). An error stops the request: the operation
    /// fails with [`Error::Interceptor`](crate::Error::Interceptor), unsent.
    fn before_attempt(&self, request: &mut OutgoingRequest<'_>) -> Result<(), BoxError> {
        let _ = request;
        Ok(())
    }

    /// Sees the outcome of one attempt: its reply's status and headers, or
    /// the transport failure. The body is not read yet.
    fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
        let _ = outcome;
    }
}

/// One interceptor, shared: by several clients of an application, or with
/// the code that reads what it recorded.
impl<I: Interceptor + ?Sized> Interceptor for Arc<I> {
    fn before_attempt(&self, request: &mut OutgoingRequest<'_>) -> Result<(), BoxError> {
        (**self).before_attempt(request)
    }

    fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
        (**self).after_attempt(outcome)
    }
}

/// One attempt of a request, before it is sent.
pub struct OutgoingRequest<'a> {
    pub(crate) operation_id: &'static str,
    pub(crate) attempt: u32,
    pub(crate) method: &'a Method,
    pub(crate) url: &'a str,
    pub(crate) headers: &'a mut HeaderMap,
    pub(crate) body: Option<&'a [u8]>,
}

impl OutgoingRequest<'_> {
    /// The spec's `operationId` of the operation (or the name apigen gave it).
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// Which attempt this is, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The full URL, query included.
    pub fn url(&self) -> &str {
        self.url
    }

    /// The headers to be sent (`Authorization` included, when the client
    /// authenticates).
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The headers to be sent, to change.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers
    }

    /// The body, when there is one.
    pub fn body(&self) -> Option<&[u8]> {
        self.body
    }
}

/// What one attempt of a request came to.
pub struct AttemptOutcome<'a> {
    pub(crate) operation_id: &'static str,
    pub(crate) attempt: u32,
    pub(crate) elapsed: Duration,
    pub(crate) reply: Result<(StatusCode, &'a HeaderMap), &'a (dyn std::error::Error + 'static)>,
}

impl AttemptOutcome<'_> {
    /// The operation, as [`OutgoingRequest::operation_id`].
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// Which attempt this was, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// From sending to the reply's headers (or the failure).
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// The reply's status; `None` when no reply came.
    pub fn status(&self) -> Option<StatusCode> {
        self.reply.as_ref().ok().map(|(status, _)| *status)
    }

    /// The reply's headers; `None` when no reply came.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.reply.as_ref().ok().map(|(_, headers)| *headers)
    }

    /// Why no reply came; `None` when one did.
    pub fn failure(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.reply.as_ref().err().copied()
    }
}

/// The interceptors of a client, in order.
#[derive(Clone, Default)]
#[doc(hidden)]
pub struct Interceptors(#[doc(hidden)] pub Vec<Arc<dyn Interceptor>>);

impl fmt::Debug for Interceptors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} interceptor(s)]", self.0.len())
    }
}

/// Headers the client sets from the request itself; an application's
/// header of these names would change how the request is framed or routed.
const FRAMING: &[HeaderName] = &[
    reqwest::header::HOST,
    reqwest::header::CONTENT_LENGTH,
    reqwest::header::TRANSFER_ENCODING,
    reqwest::header::CONNECTION,
];

/// The headers an application set on one request, checked: a valid name,
/// a value without line breaks or other control characters, and not a
/// header that frames the request.
pub(crate) fn extra_headers(headers: &[(String, String)]) -> Result<Vec<(HeaderName, HeaderValue)>, SendError> {
    headers
        .iter()
        .map(|(name, value)| {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| SendError::InvalidRequest(format!("`{}` is not a valid header name", name.escape_debug())))?;
            if FRAMING.contains(&header) {
                return Err(SendError::InvalidRequest(format!(
                    "the `{header}` header is set by the client from the request; it cannot be set with `with_header`"
                )));
            }
            let value = HeaderValue::from_str(value).map_err(|_| {
                SendError::InvalidRequest(format!(
                    "the value of the `{header}` header is not a valid header value (it holds a line break or another control character)"
                ))
            })?;
            Ok((header, value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(name: &str, value: &str) -> Result<Vec<(HeaderName, HeaderValue)>, SendError> {
        extra_headers(&[(name.to_string(), value.to_string())])
    }

    #[test]
    fn an_application_header_cannot_split_or_reframe_the_request() {
        assert!(one("Idempotency-Key", "abc-123").is_ok());
        assert!(one("X-Trace", "a\r\nHost: evil.example").is_err());
        assert!(one("X-Trace\r\nHost", "x").is_err());
        assert!(one("Bad Name", "x").is_err());
        for framing in ["host", "Content-Length", "transfer-encoding", "Connection"] {
            let error = one(framing, "1").unwrap_err();
            assert!(matches!(&error, SendError::InvalidRequest(m) if m.contains("set by the client")), "{error:?}");
        }
    }
}

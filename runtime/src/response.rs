//! Replies: the raw reply as received, and the decoded success or error.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::body::ByteStream;
use super::error::{excerpt, Error};

/// A successful reply: the decoded body with the status and headers it came with.
#[derive(Clone, Debug)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    attempts: u32,
    body: T,
}

impl<T> ApiResponse<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers (rate-limit headers, for example).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The vendor's request or correlation id, if the reply carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many attempts the request took: 1 unless it was retried.
    pub fn attempts(&self) -> u32 {
        self.attempts
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

    #[doc(hidden)]
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            attempts: self.attempts,
            body: f(self.body),
        }
    }
}

/// A documented error reply: the operation's error body with status and headers.
#[derive(Clone, Debug)]
pub struct ApiError<E> {
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    attempts: u32,
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

    /// The vendor's request or correlation id, if the reply carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many attempts the request took, this reply's included.
    pub fn attempts(&self) -> u32 {
        self.attempts
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

/// Where in `bytes` decoding as `T` fails (`data[0].period`), found by
/// decoding again with the path tracked: a failure's cost only, not every
/// reply's. Empty when it fails at the top.
fn failed_path<T: DeserializeOwned>(bytes: &[u8]) -> String {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        // The path holds the body's own keys: escaped like an excerpt.
        Err(e) if e.path().iter().next().is_some() => excerpt(e.path().to_string().as_bytes()),
        _ => String::new(),
    }
}

/// A reply as received, before decoding.
#[doc(hidden)]
pub struct RawResponse {
    #[doc(hidden)]
    pub status: StatusCode,
    #[doc(hidden)]
    pub headers: HeaderMap,
    /// reqwest's buffer itself: decoding reads it in place.
    #[doc(hidden)]
    pub body: bytes::Bytes,
    #[doc(hidden)]
    pub request_id: Option<String>,
    /// How many attempts the request took.
    #[doc(hidden)]
    pub attempts: u32,
    /// A successful reply's body, unread, when the request asked for it so.
    #[doc(hidden)]
    pub stream: Option<ByteStream>,
}

impl RawResponse {
    #[doc(hidden)]
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    fn decode<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        // An empty body decodes as `null`, so optional bodies still work.
        let bytes: &[u8] = if self.body.is_empty() { b"null" } else { &self.body };
        serde_json::from_slice(bytes).map_err(|source| Error::Decode {
            status: self.status,
            path: failed_path::<T>(bytes),
            excerpt: excerpt(&self.body),
            source,
            request_id: self.request_id.clone(),
            attempts: self.attempts,
        })
    }

    /// A success with a JSON body.
    #[doc(hidden)]
    pub fn json<T: DeserializeOwned, E>(self) -> Result<ApiResponse<T>, Error<E>> {
        let body = self.decode()?;
        Ok(self.success(body))
    }

    /// A success with a text body.
    #[doc(hidden)]
    pub fn text<E>(self) -> Result<ApiResponse<String>, Error<E>> {
        let body = String::from_utf8_lossy(&self.body).into_owned();
        Ok(self.success(body))
    }

    /// A success with a raw body.
    #[doc(hidden)]
    pub fn bytes<E>(mut self) -> Result<ApiResponse<Vec<u8>>, Error<E>> {
        let body = Vec::from(std::mem::take(&mut self.body));
        Ok(self.success(body))
    }

    /// A success whose body is read as it arrives.
    #[doc(hidden)]
    pub fn stream<E>(mut self) -> Result<ApiResponse<ByteStream>, Error<E>> {
        let body = match self.stream.take() {
            Some(stream) => stream,
            None => ByteStream::from_bytes(std::mem::take(&mut self.body)),
        };
        Ok(self.success(body))
    }

    /// A success whose body is not decoded.
    #[doc(hidden)]
    pub fn empty<E>(self) -> Result<ApiResponse<()>, Error<E>> {
        Ok(self.success(()))
    }

    /// A documented error with a text body.
    #[doc(hidden)]
    pub fn api_error_text<E>(self, wrap: impl FnOnce(String) -> E) -> Error<E> {
        let text = String::from_utf8_lossy(&self.body).into_owned();
        self.api_error_empty(wrap(text))
    }

    /// A documented error with a raw body.
    #[doc(hidden)]
    pub fn api_error_bytes<E>(mut self, wrap: impl FnOnce(Vec<u8>) -> E) -> Error<E> {
        let body = Vec::from(std::mem::take(&mut self.body));
        self.api_error_empty(wrap(body))
    }

    /// A documented error with a JSON body, wrapped into the operation's error enum.
    #[doc(hidden)]
    pub fn api_error_json<B: DeserializeOwned, E>(self, wrap: impl FnOnce(B) -> E) -> Error<E> {
        match self.decode::<B, E>() {
            Ok(body) => self.api_error_empty(wrap(body)),
            Err(e) => e,
        }
    }

    /// A documented error without a body.
    #[doc(hidden)]
    pub fn api_error_empty<E>(self, body: E) -> Error<E> {
        Error::Api(ApiError {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            attempts: self.attempts,
            body,
        })
    }

    /// A status the operation does not document.
    #[doc(hidden)]
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus {
            status: self.status,
            headers: self.headers,
            body: Vec::from(self.body),
            request_id: self.request_id,
            attempts: self.attempts,
        }
    }

    fn success<T>(self, body: T) -> ApiResponse<T> {
        ApiResponse { status: self.status, headers: self.headers, request_id: self.request_id, attempts: self.attempts, body }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        data: Vec<Item>,
        #[serde(default)]
        totals: std::collections::BTreeMap<String, i64>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        count: i64,
    }

    fn decode_error(body: &str) -> Error<()> {
        decode::<Page>(body)
    }

    fn decode<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> Error<()> {
        let raw = RawResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: bytes::Bytes::from(body.to_string()),
            request_id: None,
            attempts: 1,
            stream: None,
        };
        raw.json::<T, ()>().unwrap_err()
    }

    #[test]
    fn a_decode_error_names_the_field_it_failed_on() {
        let error = decode_error(r#"{"data": [{"count": 1}, {"count": "many"}]}"#);
        assert!(matches!(&error, Error::Decode { path, .. } if path == "data[1].count"), "{error:?}");
        assert!(error.to_string().contains("at `data[1].count`"), "{error}");
        // A failure at the top has no path.
        assert!(matches!(decode_error("[]"), Error::Decode { path, .. } if path.is_empty()));
        // A map key from the body is part of the path, escaped.
        let error = decode_error(r#"{"data": [], "totals": {"red\u001b[31m": "many"}}"#);
        assert!(matches!(&error, Error::Decode { path, .. } if path == r"totals.red\u{1b}[31m"), "{error:?}");
        assert!(!error.to_string().contains('\u{1b}'), "{error}");
    }
}

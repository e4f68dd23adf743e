//! Test support for applications (the `mock` feature): a real local HTTP
//! server, wiremock's, that answers an operation's requests as a test
//! tells it. A generated crate's `mock::MockServer` has one method per
//! operation, which returns a [`Mock`] built from the operation's own
//! request builder, so a test states the request in the client's terms and
//! the reply as the operation's typed body.

use std::fmt;

use super::body::Payload;
use super::error::SendError;
use super::transport::Request;

pub use wiremock::{self, ResponseTemplate};

/// How a typed reply body goes on the wire: its media type and bytes.
#[doc(hidden)]
pub type Encode<R> = fn(&R) -> (Option<&'static str>, Vec<u8>);

/// A JSON reply body.
#[doc(hidden)]
pub fn json<R: serde::Serialize>(reply: &R) -> (Option<&'static str>, Vec<u8>) {
    (Some("application/json"), serde_json::to_vec(reply).expect("a reply body serializes as JSON"))
}

/// A text reply body.
#[doc(hidden)]
// An `Encode<String>`: it takes what the reply type is.
#[allow(clippy::ptr_arg)]
pub fn text(reply: &String) -> (Option<&'static str>, Vec<u8>) {
    (Some("text/plain"), reply.clone().into_bytes())
}

/// A raw reply body.
#[doc(hidden)]
// An `Encode<Vec<u8>>`: it takes what the reply type is.
#[allow(clippy::ptr_arg)]
pub fn bytes(reply: &Vec<u8>) -> (Option<&'static str>, Vec<u8>) {
    (Some("application/octet-stream"), reply.clone())
}

/// No reply body.
#[doc(hidden)]
pub fn empty(_: &()) -> (Option<&'static str>, Vec<u8>) {
    (None, Vec::new())
}

/// One expected request of one operation, and the reply it gets.
///
/// The request matches when its method and path are the operation's, and
/// it carries every query pair, header and JSON body that the operation's
/// builder (as [`with`](Self::with) left it) would send. Query pairs and
/// headers the builder does not set are not looked at, so a mock for
/// `list(…)` also answers `list(…).limit(10)` unless the test sets `limit`.
#[must_use = "a mock answers nothing until `.respond(…).await` or `.respond_with(…).await`"]
pub struct Mock<'s, Op, R> {
    server: &'s wiremock::MockServer,
    operation: Op,
    request: fn(&Op) -> Result<Request, SendError>,
    status: u16,
    encode: Encode<R>,
    times: Option<u64>,
}

impl<'s, Op, R> Mock<'s, Op, R> {
    #[doc(hidden)]
    pub fn new(
        server: &'s wiremock::MockServer,
        operation: Op,
        request: fn(&Op) -> Result<Request, SendError>,
        status: u16,
        encode: Encode<R>,
    ) -> Self {
        Mock { server, operation, request, status, encode, times: None }
    }

    /// Sets more of the request to expect with the operation builder's own
    /// setters: `.with(|op| op.limit(10))`.
    pub fn with(mut self, set: impl FnOnce(Op) -> Op) -> Self {
        self.operation = set(self.operation);
        self
    }

    /// Expects exactly `n` such requests; the server's drop (the end of the
    /// test) fails the test otherwise, as wiremock's `expect` does.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Answers [`respond`](Self::respond) with `status` in place of the
    /// operation's first documented success status (another success of
    /// the same body, say).
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Answers with the operation's first documented success status (or
    /// the one [`status`](Self::status) set) and `reply` as its body.
    pub async fn respond(self, reply: R) {
        let (media_type, body) = (self.encode)(&reply);
        let mut template = ResponseTemplate::new(self.status);
        if let Some(media_type) = media_type {
            template = template.set_body_raw(body, media_type);
        }
        self.respond_with(template).await
    }

    /// Answers with `status` and `body` as JSON: a documented error, say.
    pub async fn respond_error(self, status: u16, body: &impl serde::Serialize) {
        let body = serde_json::to_vec(body).expect("an error body serializes as JSON");
        self.respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json")).await
    }

    /// Answers with wiremock's `template`: any status, headers, body or
    /// delay.
    pub async fn respond_with(self, template: ResponseTemplate) {
        let expected = match (self.request)(&self.operation) {
            Ok(request) => Expected::from(request),
            Err(e) => panic!("the mocked request cannot be built: {e:?}"),
        };
        let name = format!("{} {}", expected.operation_id, expected.path);
        let mut mock = wiremock::Mock::given(expected).respond_with(template).named(name);
        if let Some(n) = self.times {
            mock = mock.expect(n);
        }
        mock.mount(self.server).await
    }
}

impl<Op: fmt::Debug, R> fmt::Debug for Mock<'_, Op, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mock").field("operation", &self.operation).field("status", &self.status).finish_non_exhaustive()
    }
}

/// What a request must carry to match.
struct Expected {
    operation_id: &'static str,
    method: String,
    /// Percent-decoded, so `%3A` and `:` are one path.
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<ExpectedBody>,
}

enum ExpectedBody {
    Json(serde_json::Value),
    Raw(bytes::Bytes),
}

impl From<Request> for Expected {
    fn from(request: Request) -> Self {
        let query = match request.query.pairs.is_empty() {
            true => Vec::new(),
            false => decoded_pairs(&request.query.encoded()),
        };
        let body = match request.body {
            Some(Payload::Bytes(media_type, bytes)) if media_type.contains("json") => {
                serde_json::from_slice(&bytes).ok().map(ExpectedBody::Json)
            }
            Some(Payload::Bytes(_, bytes)) => Some(ExpectedBody::Raw(bytes)),
            // Files, streams and forms are not compared.
            _ => None,
        };
        Expected {
            operation_id: request.operation_id,
            method: request.method.as_str().to_string(),
            path: decoded(&request.path),
            query,
            headers: request.headers,
            body,
        }
    }
}

impl wiremock::Match for Expected {
    fn matches(&self, request: &wiremock::Request) -> bool {
        if request.method.as_str() != self.method || decoded(request.url.path()) != self.path {
            return false;
        }
        let sent = decoded_pairs(request.url.query().unwrap_or(""));
        if !self.query.iter().all(|pair| sent.contains(pair)) {
            return false;
        }
        let header_matches = |(name, value): &(&'static str, String)| {
            request.headers.get_all(*name).iter().any(|v| v.to_str().is_ok_and(|v| v == value))
        };
        if !self.headers.iter().all(header_matches) {
            return false;
        }
        match &self.body {
            None => true,
            Some(ExpectedBody::Json(value)) => {
                serde_json::from_slice::<serde_json::Value>(&request.body).is_ok_and(|sent| &sent == value)
            }
            Some(ExpectedBody::Raw(bytes)) => request.body == bytes.as_ref(),
        }
    }
}

fn decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// A query string's pairs, decoded as a server reads them (`+` is a space).
fn decoded_pairs(query: &str) -> Vec<(String, String)> {
    let mut url = reqwest::Url::parse("http://localhost/").expect("a valid URL");
    url.set_query(Some(query));
    url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_compare_decoded() {
        assert_eq!(
            decoded_pairs("a=x%20y&b=1,2&c=a+b"),
            [("a".into(), "x y".into()), ("b".into(), "1,2".into()), ("c".into(), "a b".into())]
        );
        assert_eq!(decoded("/v1/app%3A1/x"), "/v1/app:1/x");
    }
}

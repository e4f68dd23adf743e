//! Helpers for talking to a real local HTTP server (wiremock on loopback).

#![allow(dead_code)]

use wiremock::matchers::any;
use std::sync::atomic::{AtomicUsize, Ordering};

use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A server on 127.0.0.1 that answers every request with `status` and `body`.
pub async fn server_answering(status: u16, content_type: &str, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).insert_header("content-type", content_type).set_body_string(body))
        .mount(&server)
        .await;
    server
}

/// The one request the server received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// A header of the request, as text.
pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|v| v.to_str().expect("ASCII header"))
}

/// Checks what every generated client sends with every request.
pub fn assert_common_headers(request: &Request, crate_name: &str, accept: &str) {
    assert_eq!(header(request, "authorization"), Some("Bearer test-token"));
    assert_eq!(header(request, "accept"), Some(accept));
    assert_eq!(header(request, "user-agent"), Some(format!("{crate_name}/0.1.0").as_str()));
}

/// A Genesys client for `server`, with a bearer token.
pub fn genesys(server: &MockServer) -> genesys_cloud_usage::Client {
    genesys_cloud_usage::Client::builder().base_url(server.uri()).bearer_token("test-token").build().unwrap()
}

/// The smallest valid organization usage query.
pub fn query() -> genesys_cloud_usage::types::ApiUsageOrganizationQuery {
    genesys_cloud_usage::types::ApiUsageOrganizationQuery::new("2024-05-01T00:00:00/2024-05-02T00:00:00")
}

/// Answers with each template in turn, then repeats the last.
pub struct Sequence {
    replies: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Sequence {
    pub fn new(replies: Vec<ResponseTemplate>) -> Self {
        Sequence { replies, next: AtomicUsize::new(0) }
    }
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst).min(self.replies.len() - 1);
        self.replies[i].clone()
    }
}

/// Three attempts, 10 ms apart: retries that keep a test quick. The policy
/// is the shared runtime's, so it serves every client.
pub fn fast_retries() -> genesys_cloud_usage::RetryPolicy {
    genesys_cloud_usage::RetryPolicy::new(3).with_initial_backoff(std::time::Duration::from_millis(10))
}

//! Values an application passes to a generated client, and replies a server
//! sends, are untrusted too: none may change where a request goes, carry a
//! credential elsewhere or in clear text, or exhaust memory. Each case runs
//! against real local servers.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use genesys_cloud_usage::{Error, Region};
use wiremock::matchers::{method, path};
use common::{genesys, query};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

#[tokio::test]
async fn a_dot_segment_path_value_is_refused_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&server).await;
    for value in ["..", "."] {
        let err = genesys(&server).get_oauth_client_usage_summary(value).send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{value}: {err}");
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
    // Dots inside a segment are ordinary characters.
    genesys(&server).get_oauth_client_usage_summary("..x").send().await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent[0].url.path(), "/api/v2/oauth/clients/..x/usage/summary");
}

#[tokio::test]
async fn server_variables_cannot_change_the_host() {
    for hostile in ["evil.test/", "evil.test?", "evil.test#", "x@evil.test", "evil.test:444", "a b", ""] {
        let built = genesys_cloud_usage::Client::builder()
            .region(Region::Unknown(hostile.into()))
            .client_credentials("id", "secret")
            .build();
        assert!(built.is_err(), "{hostile:?} was accepted");
    }
    let client = genesys_cloud_usage::Client::builder().region(Region::Unknown("inindca.com".into())).build().unwrap();
    assert_eq!(client.base_url(), "https://api.inindca.com");
}

#[tokio::test]
async fn credentials_are_not_sent_over_plain_http_to_another_machine() {
    let insecure = genesys_cloud_usage::Client::builder().base_url("http://api.example.test").bearer_token("t").build();
    let err = insecure.unwrap_err().to_string();
    assert!(err.contains("not HTTPS") && err.contains("allow_insecure_http"), "{err}");
    let token = genesys_cloud_usage::Client::builder().client_credentials("id", "secret").token_url("http://login.example.test/token").build();
    assert!(token.unwrap_err().to_string().contains("token URL"));
    // Loopback, an explicit opt-in, or no credentials at all are fine.
    genesys_cloud_usage::Client::builder().base_url("http://127.0.0.1:9").bearer_token("t").build().unwrap();
    genesys_cloud_usage::Client::builder().base_url("http://api.example.test").bearer_token("t").allow_insecure_http(true).build().unwrap();
    genesys_cloud_usage::Client::builder().base_url("http://api.example.test").build().unwrap();
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&elsewhere).await;
    let server = MockServer::start().await;
    let target = format!("{}/api/v2/usage/query", elsewhere.uri());
    Mock::given(method("POST"))
        .and(path("/api/v2/usage/query"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", target.as_str()))
        .mount(&server)
        .await;
    let err = genesys(&server).post_usage_query(query()).send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(307), "{err}");
    assert!(elsewhere.received_requests().await.unwrap().is_empty(), "no request, so no credential, reached the other origin");

    // Within the origin, redirects are followed, and the token goes along.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/usage/query"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/moved"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/moved"))
        .respond_with(ResponseTemplate::new(202).insert_header("content-type", "application/json").set_body_string(r#"{"executionId": "e"}"#))
        .mount(&server)
        .await;
    genesys(&server).post_usage_query(query()).send().await.unwrap();
    let moved = server.received_requests().await.unwrap().into_iter().find(|r| r.url.path() == "/moved").unwrap();
    assert_eq!(moved.headers.get("authorization").unwrap(), "Bearer test-token");
    assert!(moved.headers.get("referer").is_none());
}

#[tokio::test]
async fn a_reply_larger_than_the_limit_is_an_error() {
    let server = MockServer::start().await;
    let big = format!(r#"{{"executionId": "{}"}}"#, "x".repeat(300_000));
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(202).set_body_string(big)).mount(&server).await;
    let client = genesys_cloud_usage::Client::builder().base_url(server.uri()).max_response_size(100_000).build().unwrap();
    let err = client.post_usage_query(query()).send().await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 100_000, .. }), "{err}");
    // Under the limit, the same reply decodes.
    let client = genesys_cloud_usage::Client::builder().base_url(server.uri()).max_response_size(400_000).build().unwrap();
    client.post_usage_query(query()).send().await.unwrap();
}

/// A body with no `Content-Length` (chunked) is cut off while it is read.
#[tokio::test]
async fn a_chunked_reply_larger_than_the_limit_is_an_error() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let sent = Arc::new(AtomicUsize::new(0));
    let sent_by_server = sent.clone();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        // Up to 64 MB, far more than the limit; the client stops reading early.
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..1024 {
            let frame = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk.clone(), b"\r\n".to_vec()].concat();
            if socket.write_all(&frame).await.is_err() {
                break;
            }
            sent_by_server.fetch_add(chunk.len(), Ordering::SeqCst);
        }
    });
    let client = genesys_cloud_usage::Client::builder().base_url(format!("http://{address}")).max_response_size(1 << 20).build().unwrap();
    let err = client.post_usage_query(query()).send().await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err}");
    assert!(sent.load(Ordering::SeqCst) < 32 << 20, "the client stopped reading");
}

/// A token endpoint that answers `status` after `delay`, counting calls.
struct SlowToken {
    delay: Duration,
    status: u16,
    calls: Arc<AtomicUsize>,
}

impl Respond for SlowToken {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.calls.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(self.status)
            .insert_header("content-type", "application/json")
            .set_body_string(r#"{"access_token": "t", "expires_in": 3600}"#)
            .set_delay(self.delay)
    }
}

fn with_credentials(server: &MockServer, timeout: Duration) -> genesys_cloud_usage::Client {
    genesys_cloud_usage::Client::builder()
        .base_url(server.uri())
        .client_credentials("id", "secret")
        .token_url(format!("{}/oauth/token", server.uri()))
        .timeout(Some(timeout))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_token_endpoint_that_does_not_answer_is_bounded_by_the_timeout() {
    let server = MockServer::start().await;
    let token = SlowToken { delay: Duration::from_secs(6), status: 200, calls: Arc::default() };
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token).mount(&server).await;
    let started = Instant::now();
    let err = with_credentials(&server, Duration::from_secs(1)).get_usage_query_execution_id_results("e").send().await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3), "waited {:?}", started.elapsed());
}

#[tokio::test]
async fn concurrent_callers_share_a_failed_token_fetch() {
    let server = MockServer::start().await;
    let fetches = Arc::new(AtomicUsize::new(0));
    let token = SlowToken { delay: Duration::from_millis(300), status: 500, calls: fetches.clone() };
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token).mount(&server).await;
    let client = with_credentials(&server, Duration::from_secs(5));
    let callers: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_usage_query_execution_id_results("e").send().await })
        })
        .collect();
    for caller in callers {
        let err = caller.await.unwrap().unwrap_err();
        assert!(matches!(err, Error::Auth(_)), "{err}");
    }
    // Each waiting caller would otherwise fetch again after the failure.
    assert_eq!(fetches.load(Ordering::SeqCst), 1, "one fetch served every caller");
}

#[tokio::test]
async fn error_excerpts_escape_control_characters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(418).set_body_string("bad\u{1b}[2J\nFORGED LOG LINE\u{202e}"))
        .mount(&server)
        .await;
    let err = genesys(&server).get_usage_query_execution_id_results("e").send().await.unwrap_err();
    let text = err.to_string();
    assert!(!text.contains(['\u{1b}', '\n', '\u{202e}']), "{text:?}");
    assert!(text.contains("\\u{1b}[2J\\nFORGED"), "{text}");
}

//! What production users expect of the generated clients, each shown against
//! a real local server: retries, timeouts, OAuth 2 client credentials,
//! pagination, polling, request ids, and secrets kept out of output.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use genesys_cloud_usage::types::ApiUsageQueryResultQueryStatus;
use genesys_cloud_usage::{PollError, PollOptions, Region};
use thousandeyes_usage::futures_util::{StreamExt, TryStreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use common::{genesys, query, Sequence, fast_retries};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("content-type", "application/json").set_body_string(body)
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_waiting() {
    let server = MockServer::start().await;
    let replies = vec![
        json(429, r#"{"message": "slow down", "status": 429}"#).insert_header("retry-after", "1"),
        json(200, r#"{"queryStatus": "Complete"}"#),
    ];
    Mock::given(method("GET")).respond_with(Sequence::new(replies)).mount(&server).await;
    let started = Instant::now();
    let reply = genesys(&server).get_usage_query_execution_id_results("e-1").send().await.unwrap();
    let waited = started.elapsed();
    assert_eq!(reply.body().query_status, Some(ApiUsageQueryResultQueryStatus::Complete));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(waited >= Duration::from_millis(950) && waited < Duration::from_secs(3), "waited {waited:?}");
}

#[tokio::test]
async fn retries_stop_at_the_limit_and_can_be_turned_off() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let policy = thousandeyes_usage::RetryPolicy::new(3).with_initial_backoff(Duration::from_millis(10));
    let client = thousandeyes_usage::Client::builder().base_url(server.uri()).retry(policy).build().unwrap();
    let err = client.get_usage().send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "3 attempts in all");

    server.reset().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let err = client.get_usage().with_retry(thousandeyes_usage::RetryPolicy::disabled()).send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "per-request policy wins");
}

/// A server that reads each request and closes the connection without
/// answering; counts the connections.
async fn dropping_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, connections)
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_get_but_not_for_post() {
    let (url, connections) = dropping_server().await;
    let client = genesys_cloud_usage::Client::builder().base_url(&url).retry(fast_retries()).build().unwrap();
    let err = client.get_usage_query_execution_id_results("e-1").send().await.unwrap_err();
    assert!(matches!(err, genesys_cloud_usage::Error::Transport(_)), "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 3, "GET is idempotent: retried");

    let (url, connections) = dropping_server().await;
    let client = genesys_cloud_usage::Client::builder().base_url(&url).retry(fast_retries()).build().unwrap();
    let err = client.post_usage_query(query()).send().await.unwrap_err();
    assert!(matches!(err, genesys_cloud_usage::Error::Transport(_)), "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1, "POST may have been processed: not retried");
}

#[tokio::test]
async fn a_slow_server_gives_the_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json(200, r#"{"data": []}"#).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let client = notehub_usage::Client::builder()
        .base_url(server.uri())
        .timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.get_events_usage("app:x", "day").send().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(1), "timeouts are not retried");

    let client = notehub_usage::Client::builder().base_url(server.uri()).build().unwrap();
    let err = client
        .get_events_usage("app:x", "day")
        .with_timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, notehub_usage::Error::Timeout(_)), "per-request timeout: {err:?}");
}

#[tokio::test]
async fn one_token_fetch_serves_concurrent_calls_and_a_new_one_follows_expiry() {
    let server = MockServer::start().await;
    let tokens = Sequence::new(vec![
        json(200, r#"{"access_token": "tok-1", "token_type": "bearer", "expires_in": 1}"#),
        json(200, r#"{"access_token": "tok-2", "token_type": "bearer", "expires_in": 3600}"#),
    ]);
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(tokens).mount(&server).await;
    Mock::given(method("GET")).respond_with(json(200, r#"{"queryStatus": "Running"}"#)).mount(&server).await;
    let client = genesys_cloud_usage::Client::builder()
        .base_url(server.uri())
        .client_credentials("my-client", "secret-value")
        .token_url(format!("{}/oauth/token", server.uri()))
        .build()
        .unwrap();

    let calls = (0..50).map(|_| client.get_usage_query_execution_id_results("e-1").send());
    let replies = thousandeyes_usage::futures_util::future::join_all(calls).await;
    assert!(replies.iter().all(Result::is_ok));
    let requests = server.received_requests().await.unwrap();
    let token_requests: Vec<_> = requests.iter().filter(|r| r.url.path() == "/oauth/token").collect();
    assert_eq!(token_requests.len(), 1, "one fetch for 50 concurrent calls");
    let token_request = token_requests[0];
    // Basic base64("my-client:secret-value")
    assert_eq!(
        token_request.headers.get("authorization").unwrap(),
        "Basic bXktY2xpZW50OnNlY3JldC12YWx1ZQ=="
    );
    assert_eq!(String::from_utf8_lossy(&token_request.body), "grant_type=client_credentials");
    let api_requests: Vec<_> = requests.iter().filter(|r| r.url.path() != "/oauth/token").collect();
    assert_eq!(api_requests.len(), 50);
    assert!(api_requests.iter().all(|r| r.headers.get("authorization").unwrap() == "Bearer tok-1"));

    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.get_usage_query_execution_id_results("e-1").send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.iter().filter(|r| r.url.path() == "/oauth/token").count(), 2, "refreshed after expiry");
    assert_eq!(requests.last().unwrap().headers.get("authorization").unwrap(), "Bearer tok-2");
}

#[tokio::test]
async fn a_rejected_token_is_refreshed_once() {
    let server = MockServer::start().await;
    let tokens = Sequence::new(vec![
        json(200, r#"{"access_token": "revoked", "expires_in": 3600}"#),
        json(200, r#"{"access_token": "fresh", "expires_in": 3600}"#),
    ]);
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(tokens).mount(&server).await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer revoked"))
        .respond_with(json(401, r#"{"message": "token revoked", "status": 401}"#))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer fresh"))
        .respond_with(json(200, r#"{"queryStatus": "Complete"}"#))
        .mount(&server)
        .await;
    let client = genesys_cloud_usage::Client::builder()
        .base_url(server.uri())
        .client_credentials("id", "secret")
        .token_url(format!("{}/oauth/token", server.uri()))
        .build()
        .unwrap();
    let reply = client.get_usage_query_execution_id_results("e-1").send().await.unwrap();
    assert_eq!(reply.body().query_status, Some(ApiUsageQueryResultQueryStatus::Complete));
}

#[tokio::test]
async fn regions_choose_the_server_and_any_base_url_overrides() {
    let client = genesys_cloud_usage::Client::builder().region(Region::EuWest1).build().unwrap();
    assert_eq!(client.base_url(), "https://api.mypurecloud.ie");
    let client = genesys_cloud_usage::Client::builder().region(Region::Unknown("example.test".into())).build().unwrap();
    assert_eq!(client.base_url(), "https://api.example.test");
    assert_eq!(genesys_cloud_usage::Client::new().base_url(), "https://api.mypurecloud.com");
    assert_eq!(Region::default(), Region::UsEast1);
}

fn te_page(items: &[&str], next: Option<&str>) -> ResponseTemplate {
    let breakdowns: Vec<String> = items.iter().map(|id| format!(r#"{{"testId": "{id}"}}"#)).collect();
    let links = match next {
        Some(cursor) => format!(r#", "_links": {{"next": {{"href": "https://api.thousandeyes.com/v7/usage/units/tests?aid=1&cursor={cursor}"}}}}"#),
        None => String::new(),
    };
    ResponseTemplate::new(200)
        .insert_header("content-type", "application/hal+json")
        .set_body_string(format!(r#"{{"breakdowns": [{}]{links}}}"#, breakdowns.join(",")))
}

#[tokio::test]
async fn pagination_walks_three_pages_and_stops() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor")).respond_with(te_page(&["t1", "t2"], Some("c2"))).mount(&server).await;
    Mock::given(query_param("cursor", "c2")).respond_with(te_page(&["t3"], Some("c3"))).mount(&server).await;
    Mock::given(query_param("cursor", "c3")).respond_with(te_page(&["t4"], None)).mount(&server).await;
    let client = thousandeyes_usage::Client::builder().base_url(server.uri()).build().unwrap();

    let items: Vec<_> = client.get_tests_units_usage().aid("1").into_items().try_collect().await.unwrap();
    let ids: Vec<_> = items.iter().map(|t| t.test_id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["t1", "t2", "t3", "t4"]);
    let requests = server.received_requests().await.unwrap();
    let queries: Vec<_> = requests.iter().map(|r| r.url.query().unwrap_or("").to_string()).collect();
    assert_eq!(queries, ["aid=1", "aid=1&cursor=c2", "aid=1&cursor=c3"]);

    let pages: Vec<_> = client.get_tests_units_usage().into_pages().collect().await;
    assert_eq!(pages.len(), 3);
    assert!(pages.iter().all(|p| p.as_ref().unwrap().status() == 200));
}

#[tokio::test]
async fn a_repeated_cursor_ends_pagination_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor")).respond_with(te_page(&["t1"], Some("c2"))).mount(&server).await;
    Mock::given(query_param("cursor", "c2")).respond_with(te_page(&["t2"], Some("c2"))).mount(&server).await;
    let client = thousandeyes_usage::Client::builder().base_url(server.uri()).build().unwrap();
    let pages: Vec<_> = client.get_enterprise_agents_units_usage().into_pages().collect().await;
    assert_eq!(pages.len(), 3, "two pages, then the error");
    assert!(pages[0].is_ok() && pages[1].is_ok());
    match &pages[2] {
        Err(thousandeyes_usage::Error::RepeatedCursor { cursor, pages }) => {
            assert_eq!((cursor.as_str(), *pages), ("c2", 2));
        }
        other => panic!("expected RepeatedCursor, got {other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "the loop is not followed");

    // `take` bounds a listing without an error.
    let items: Vec<_> = client.get_enterprise_agents_units_usage().into_pages().take(1).collect().await;
    assert_eq!(items.len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "one more request, not two");
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_its_error() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor")).respond_with(te_page(&["t1"], Some("c2"))).mount(&server).await;
    Mock::given(query_param("cursor", "c2"))
        .respond_with(ResponseTemplate::new(404).insert_header("content-type", "application/problem+json").set_body_string(r#"{"status": 404}"#))
        .mount(&server)
        .await;
    let client = thousandeyes_usage::Client::builder().base_url(server.uri()).build().unwrap();
    let items: Vec<_> = client.get_tests_units_usage().into_items().collect().await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert_eq!(items[1].as_ref().unwrap_err().status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn genesys_search_results_follow_the_after_cursor() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("after"))
        .respond_with(json(200, r#"{"results": [{"clientId": "a"}], "cursors": {"after": "n2"}}"#))
        .mount(&server)
        .await;
    Mock::given(query_param("after", "n2"))
        .respond_with(json(200, r#"{"results": [{"clientId": "b"}], "cursors": {}}"#))
        .mount(&server)
        .await;
    let rows: Vec<_> = genesys(&server)
        .get_usage_simplesearch_execution_id_results("e-1")
        .page_size(1000)
        .into_items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows.iter().map(|r| r.client_id.as_deref().unwrap()).collect::<Vec<_>>(), ["a", "b"]);
    let queries: Vec<_> =
        server.received_requests().await.unwrap().iter().map(|r| r.url.query().unwrap().to_string()).collect();
    assert_eq!(queries, ["pageSize=1000", "after=n2&pageSize=1000"]);
}

fn quick_polls() -> PollOptions {
    PollOptions::default().with_initial_delay(Duration::from_millis(10)).with_max_delay(Duration::from_millis(20))
}

#[tokio::test]
async fn a_query_goes_running_running_complete() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/api/v2/usage/query")).respond_with(json(202, r#"{"executionId": "e-9"}"#)).mount(&server).await;
    let statuses = Sequence::new(vec![
        json(200, r#"{"queryStatus": "Running"}"#),
        json(200, r#"{"queryStatus": "Running"}"#),
        json(200, r#"{"queryStatus": "Complete", "results": [{"requests": 42}]}"#),
    ]);
    Mock::given(method("GET")).and(path("/api/v2/usage/query/e-9/results")).respond_with(statuses).mount(&server).await;
    let reply = genesys(&server).post_usage_query(query()).send_and_poll(quick_polls()).await.unwrap();
    assert_eq!(reply.body().results.as_ref().unwrap()[0].requests, Some(42));
    let polls = server.received_requests().await.unwrap().iter().filter(|r| r.method.as_str() == "GET").count();
    assert_eq!(polls, 3);
}

#[tokio::test]
async fn a_client_query_polls_with_the_client_id_of_the_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(json(202, r#"{"executionId": "e-1"}"#)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/v2/oauth/clients/c-7/usage/query/results/e-1"))
        .respond_with(json(200, r#"{"queryStatus": "Complete"}"#))
        .mount(&server)
        .await;
    let query = genesys_cloud_usage::types::ApiUsageClientQuery::new("x");
    let reply = genesys(&server).post_oauth_client_usage_query("c-7", query).send_and_poll(quick_polls()).await.unwrap();
    assert_eq!(reply.status(), 200);
}

#[tokio::test]
async fn a_failed_query_gives_the_typed_failure() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(json(202, r#"{"executionId": "e-1"}"#)).mount(&server).await;
    Mock::given(method("GET")).respond_with(json(200, r#"{"queryStatus": "Failed"}"#)).mount(&server).await;
    let err = genesys(&server).post_usage_query(query()).send_and_poll(quick_polls()).await.unwrap_err();
    match err {
        PollError::Failed(reply) => assert_eq!(reply.body().query_status, Some(ApiUsageQueryResultQueryStatus::Failed)),
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[tokio::test]
async fn polling_gives_up_at_the_deadline_and_reports_a_missing_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(json(202, r#"{"executionId": "e-1"}"#)).mount(&server).await;
    Mock::given(method("GET")).respond_with(json(200, r#"{"queryStatus": "Running"}"#)).mount(&server).await;
    let options = quick_polls().with_deadline(Duration::from_millis(200));
    let err = genesys(&server).post_usage_query(query()).send_and_poll(options).await.unwrap_err();
    assert!(matches!(err, PollError::DeadlineExceeded(Some(_))), "{err:?}");

    server.reset().await;
    Mock::given(method("POST")).respond_with(json(202, r#"{}"#)).mount(&server).await;
    let err = genesys(&server).post_usage_query(query()).send_and_poll(quick_polls()).await.unwrap_err();
    assert!(matches!(err, PollError::MissingId("/executionId")), "{err:?}");
}

#[tokio::test]
async fn the_vendor_request_id_is_reachable_from_errors_and_replies() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json(404, r#"{"message": "no such execution", "status": 404}"#).insert_header("ININ-Correlation-Id", "corr-123"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json(202, r#"{"executionId": "e"}"#).insert_header("ININ-Correlation-Id", "corr-456"))
        .mount(&server)
        .await;
    let client = genesys(&server);
    let err = client.get_usage_query_execution_id_results("e-1").send().await.unwrap_err();
    assert_eq!(err.request_id(), Some("corr-123"));
    assert_eq!(client.post_usage_query(query()).send().await.unwrap().request_id(), Some("corr-456"));
}

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_never_appear_in_debug_output_errors_or_traces() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/oauth/token"))
        .respond_with(json(200, r#"{"access_token": "tok-SECRET-1", "expires_in": 3600}"#))
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(json(403, r#"{"message": "forbidden", "status": 403}"#)).mount(&server).await;
    let builder = genesys_cloud_usage::Client::builder()
        .base_url(server.uri())
        .client_credentials("my-client", "client-SECRET-2")
        .token_url(format!("{}/oauth/token", server.uri()));
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let err = client.get_usage_query_execution_id_results("e-1").send().await.unwrap_err();

    let bearer = thousandeyes_usage::Client::builder().bearer_token("bearer-SECRET-3").build().unwrap();
    let trace = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let outputs = [builder_debug, format!("{client:?}"), format!("{err:?}"), err.to_string(), format!("{bearer:?}"), trace.clone()];
    for output in &outputs {
        assert!(!output.contains("SECRET"), "a secret leaked into: {output}");
    }
    // The trace does carry what operators need.
    assert!(trace.contains("operation=\"getUsageQueryExecutionIdResults\""), "{trace}");
    assert!(trace.contains("path=\"/api/v2/usage/query/{executionId}/results\""), "{trace}");
    assert!(trace.contains("status=403") && trace.contains("attempt=1") && trace.contains("latency_ms="), "{trace}");
}

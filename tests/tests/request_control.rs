//! What an application controls per request and per client, each shown
//! against a real local server: headers of its own, interceptors around
//! every attempt, an overall deadline, and how many attempts a reply took.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

use common::{fast_retries, Sequence};
use notehub_usage::{AttemptOutcome, BoxError, Error, Interceptor, OutgoingRequest};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const EVENTS: &str = r#"{"data": []}"#;

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", "application/json").set_body_string(EVENTS)
}

fn client(server: &MockServer) -> notehub_usage::ClientBuilder {
    notehub_usage::Client::builder().base_url(server.uri()).bearer_token("t").retry(fast_retries())
}

fn header<'r>(request: &'r Request, name: &str) -> Vec<&'r str> {
    request.headers.get_all(name).iter().map(|v| v.to_str().unwrap()).collect()
}

#[tokio::test]
async fn a_request_sends_the_headers_the_application_adds() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok()).mount(&server).await;
    let client = client(&server).build().unwrap();
    client
        .get_events_usage("app:1", "day")
        .with_header("Idempotency-Key", "key-1")
        .with_header("Accept", "application/json; v=2")
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(header(&requests[0], "idempotency-key"), ["key-1"]);
    assert_eq!(header(&requests[0], "accept"), ["application/json; v=2"], "replaces the client's, not added beside it");
    assert_eq!(header(&requests[0], "authorization"), ["Bearer t"]);

    // Another request of the same client carries none of them.
    client.get_events_usage("app:1", "day").send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(header(&requests[1], "idempotency-key").is_empty());
}

#[tokio::test]
async fn a_header_that_could_split_or_reframe_the_request_is_refused_unsent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok()).mount(&server).await;
    let client = client(&server).build().unwrap();
    for (name, value) in [
        ("X-Trace", "a\r\nX-Injected: 1"),
        ("X-Trace\r\nX-Injected", "1"),
        ("Host", "evil.example"),
        ("Content-Length", "0"),
        ("Transfer-Encoding", "chunked"),
    ] {
        let err = client.get_events_usage("app:1", "day").with_header(name, value).send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{name:?}: {err}");
        assert_eq!(err.attempts(), None);
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
}

/// Signs each attempt and records each outcome.
#[derive(Default)]
struct Recorder {
    outcomes: Mutex<Vec<(u32, Option<u16>, bool)>>,
}

impl Interceptor for Recorder {
    fn before_attempt(&self, request: &mut OutgoingRequest<'_>) -> Result<(), BoxError> {
        assert_eq!(request.operation_id(), "getEventsUsage");
        assert_eq!(request.method(), "GET");
        assert!(request.url().contains("/usage/events"), "{}", request.url());
        assert!(request.headers().contains_key("authorization"));
        let signature = format!("attempt-{}", request.attempt());
        request.headers_mut().insert("x-signature", signature.parse().unwrap());
        Ok(())
    }

    fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
        let status = outcome.status().map(|s| s.as_u16());
        self.outcomes.lock().unwrap().push((outcome.attempt(), status, outcome.failure().is_some()));
    }
}

#[tokio::test]
async fn interceptors_run_around_every_attempt_in_order() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(Sequence::new(vec![ResponseTemplate::new(503), ok()])).mount(&server).await;
    let recorder = Arc::new(Recorder::default());
    struct Second;
    impl Interceptor for Second {
        fn before_attempt(&self, request: &mut OutgoingRequest<'_>) -> Result<(), BoxError> {
            // Runs after the recorder: sees its header.
            let first = request.headers()["x-signature"].to_str()?.to_string();
            request.headers_mut().insert("x-second", first.parse()?);
            Ok(())
        }
    }
    let client = client(&server).interceptor(recorder.clone()).interceptor(Second).build().unwrap();
    let reply = client.get_events_usage("app:1", "day").send().await.unwrap();
    assert_eq!(reply.attempts(), 2);

    let requests = server.received_requests().await.unwrap();
    let signatures: Vec<_> = requests.iter().map(|r| header(r, "x-signature")[0]).collect();
    assert_eq!(signatures, ["attempt-1", "attempt-2"]);
    assert_eq!(header(&requests[1], "x-second"), ["attempt-2"]);
    assert_eq!(*recorder.outcomes.lock().unwrap(), [(1, Some(503), false), (2, Some(200), false)]);
}

#[tokio::test]
async fn an_interceptor_error_stops_the_request_unsent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok()).mount(&server).await;
    struct Refuse;
    impl Interceptor for Refuse {
        fn before_attempt(&self, _: &mut OutgoingRequest<'_>) -> Result<(), BoxError> {
            Err("no signing key".into())
        }
    }
    let client = client(&server).interceptor(Refuse).build().unwrap();
    let err = client.get_events_usage("app:1", "day").send().await.unwrap_err();
    assert!(matches!(err, Error::Interceptor(_)), "{err}");
    assert!(err.to_string().contains("no signing key"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_interceptor_sees_a_transport_failure() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let recorder = Arc::new(Recorder::default());
    let client = notehub_usage::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer_token("t")
        .retry(fast_retries())
        .interceptor(recorder.clone())
        .build()
        .unwrap();
    let err = client.get_events_usage("app:1", "day").send().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err}");
    assert_eq!(err.attempts(), Some(3), "a refused connection is retried");
    assert_eq!(*recorder.outcomes.lock().unwrap(), [(1, None, true), (2, None, true), (3, None, true)]);
}

#[tokio::test]
async fn replies_and_errors_say_how_many_attempts_they_took() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = client(&server).build().unwrap();
    let err = client.get_events_usage("app:1", "day").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), Some(3));

    server.reset().await;
    Mock::given(method("GET")).respond_with(ok()).mount(&server).await;
    assert_eq!(client.get_events_usage("app:1", "day").send().await.unwrap().attempts(), 1);
}

#[tokio::test]
async fn a_retry_that_would_start_after_the_deadline_is_not_made() {
    let server = MockServer::start().await;
    let busy = ResponseTemplate::new(503).insert_header("retry-after", "5");
    Mock::given(method("GET")).respond_with(Sequence::new(vec![busy, ok()])).mount(&server).await;
    let client = client(&server).deadline(Duration::from_secs(2)).build().unwrap();
    let started = Instant::now();
    let err = client.get_events_usage("app:1", "day").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "the last reply, not a timeout");
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    // It did not wait the 5 s the server asked for.
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());

    // With time left for the wait (Retry-After capped by the policy to
    // 100 ms), the same reply is retried.
    server.reset().await;
    let busy = ResponseTemplate::new(503).insert_header("retry-after", "5");
    Mock::given(method("GET")).respond_with(Sequence::new(vec![busy, ok()])).mount(&server).await;
    let policy = fast_retries().with_max_retry_after(Duration::from_millis(100));
    let reply = client.get_events_usage("app:1", "day").with_retry(policy).send().await.unwrap();
    assert_eq!(reply.attempts(), 2);
}

#[tokio::test]
async fn the_deadline_cuts_a_slow_attempt_short() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok().set_delay(Duration::from_secs(10))).mount(&server).await;
    let client = client(&server).build().unwrap();
    let started = Instant::now();
    let err = client.get_events_usage("app:1", "day").with_deadline(Duration::from_millis(300)).send().await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert_eq!(err.attempts(), Some(1), "a timed-out attempt is not retried");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

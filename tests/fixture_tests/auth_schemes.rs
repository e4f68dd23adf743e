//! Copied into the crate generated from `tests/fixtures/auth_schemes.yaml`
//! and run there, against a plain local server that records the raw
//! request: API keys go in their header, query parameter and cookie, Basic
//! credentials in `Authorization`, and none of them shows in `Debug` output
//! or errors.

mod raw_server;

use raw_server::one_request_server;

fn line<'h>(head: &'h str, name: &str) -> Vec<&'h str> {
    let prefix = format!("{}:", name.to_ascii_lowercase());
    head.lines().filter(|l| l.to_ascii_lowercase().starts_with(&prefix)).collect()
}

#[tokio::test]
async fn api_keys_go_where_the_spec_says() {
    let (address, request) = one_request_server("[]");
    let client = fixtures_auth_schemes::Client::builder()
        .base_url(address)
        .app_key("old")
        .app_key("header-key")
        .account_key("query key&x=1")
        .tracking("cookie;key")
        .build()
        .unwrap();
    client.list_things().q("a b").session("s1").send().await.unwrap();
    let (head, _) = request.recv().unwrap();
    let request_line = head.lines().next().unwrap();
    assert_eq!(request_line, "GET /things?q=a+b&account_key=query+key%26x%3D1 HTTP/1.1", "{head}");
    assert_eq!(line(&head, "x-app-key"), ["x-app-key: header-key"], "set twice, sent once: {head}");
    assert_eq!(line(&head, "cookie"), ["cookie: session=s1; tracking=cookie%3Bkey"], "{head}");
    assert!(line(&head, "authorization").is_empty(), "{head}");
}

#[tokio::test]
async fn basic_credentials_go_in_authorization() {
    let (address, request) = one_request_server("[]");
    let client =
        fixtures_auth_schemes::Client::builder().base_url(address).basic_auth("Aladdin", "open sesame").build().unwrap();
    client.list_things().send().await.unwrap();
    let (head, _) = request.recv().unwrap();
    assert_eq!(line(&head, "authorization"), ["authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="], "{head}");
}

#[tokio::test]
async fn keys_and_passwords_stay_out_of_debug_output_and_errors() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let builder = fixtures_auth_schemes::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .app_key("SECRET-HEADER")
        .account_key("SECRET-QUERY")
        .tracking("SECRET-COOKIE")
        .basic_auth("user", "SECRET-PASSWORD")
        .retry(fixtures_auth_schemes::RetryPolicy::disabled());
    let shown = format!("{builder:?}");
    let client = builder.build().unwrap();
    let err = client.list_things().send().await.unwrap_err();
    let error_text = format!("{err} {err:?}");
    for text in [shown, format!("{client:?}"), error_text] {
        assert!(!text.contains("SECRET"), "{text}");
    }
}

#[tokio::test]
async fn a_key_is_not_sent_over_plain_http_to_another_host() {
    let err = fixtures_auth_schemes::Client::builder()
        .base_url("http://example.test")
        .account_key("k")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("clear text"), "{err}");
}

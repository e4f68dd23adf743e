//! Copied into the crate generated from `tests/fixtures/header_params.yaml`
//! and run there, against a plain local server that records the raw
//! request: a cookie value cannot end its cookie and add another.

mod raw_server;

use raw_server::one_request_server;

#[tokio::test]
async fn a_cookie_value_cannot_add_cookies() {
    let (address, request) = one_request_server("[]");
    let client = fixtures_header_params::Client::builder().base_url(address).build().unwrap();
    client.list_things("id-1").session("abc; admin=1, x=\"y\"").send().await.unwrap();
    let (head, _) = request.recv().unwrap();
    let cookie = head.lines().find(|l| l.to_ascii_lowercase().starts_with("cookie:")).expect("a Cookie header");
    assert_eq!(cookie, "cookie: session=abc%3B%20admin=1%2C%20x=%22y%22", "{head}");
}

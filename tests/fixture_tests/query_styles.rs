//! Copied into the crate generated from `tests/fixtures/query_styles.yaml`
//! and run there: every query style reaches the wire as OpenAPI 3 defines
//! it, with delimiters as they are and delimiters inside values encoded.

mod raw_server;

use fixtures_query_styles::types::{SearchColor, SearchFiltersItem};
use raw_server::one_request_server;

#[tokio::test]
async fn every_style_is_written_as_openapi_defines() {
    let (address, request) = one_request_server("[]");
    let client = fixtures_query_styles::Client::builder().base_url(address).build().unwrap();
    client
        .search("a b,c")
        .tag(["x,y", "z"])
        .ids([1, 2, 3])
        .words(["one two", "three"])
        .flags(vec![true, false])
        .color({
            let mut color = SearchColor::new();
            (color.r, color.g) = (Some(100), Some(200));
            color
        })
        .filters(vec![{
            let mut item = SearchFiltersItem::new();
            item.field = Some("a".into());
            item
        }])
        .send()
        .await
        .unwrap();
    let (head, _) = request.recv().unwrap();
    let request_line = head.lines().next().unwrap();
    assert_eq!(
        request_line,
        "GET /search?q=a+b%2Cc&tag=x%2Cy&tag=z&ids=1,2,3&words=one+two%20three&flags=true|false&filters=%7B%22field%22%3A%22a%22%7D&color=R,100,G,200 HTTP/1.1"
    );
}

//! Copied into the crate generated from `tests/fixtures/form_bodies.yaml`
//! and run there: a URL-encoded form body reaches the wire as its media
//! type's `encoding` object says, byte for byte: nested objects, lists and
//! maps as `deepObject` brackets, a pipe-delimited list, a field as JSON
//! text, reserved characters kept where allowed, the rest `form` exploded.

mod raw_server;

use fixtures_form_bodies::types::{
    CreateCustomerRequest, CreateCustomerRequestAddress, CreateCustomerRequestAddressGeo, CreateCustomerRequestFilter,
    CreateCustomerRequestItemsItem, CreateCustomerRequestPoint,
};
use raw_server::one_request_server;

#[tokio::test]
async fn every_field_is_written_as_its_encoding_says() {
    let (address, request) = one_request_server(r#"{"id":"cus_1"}"#);
    let client = fixtures_form_bodies::Client::builder().base_url(address).build().unwrap();
    let mut body = CreateCustomerRequest::new("Ada L");
    body.balance = Some(-5);
    body.address = Some({
        let mut a = CreateCustomerRequestAddress::new();
        a.line1 = Some("1 Main St".into());
        a.geo = Some({
            let mut g = CreateCustomerRequestAddressGeo::new();
            g.lat = Some(51.5);
            g
        });
        a
    });
    body.metadata = Some([("order".to_string(), "6735".to_string()), ("a&b".to_string(), "c=d".to_string())].into());
    body.expand = Some(vec!["customer".into(), "invoice.subscription".into()]);
    body.items = Some(vec![{
        let mut item = CreateCustomerRequestItemsItem::new();
        item.price = Some("price_1".into());
        item.quantity = Some(2);
        item
    }]);
    body.tags = Some(vec!["x".into(), "y z".into()]);
    body.codes = Some(vec!["a".into(), "b".into()]);
    body.filter = Some({
        let mut f = CreateCustomerRequestFilter::new();
        f.active = Some(true);
        f
    });
    body.callback = Some("https://hooks.test/a?b=c".into());
    body.point = Some({
        let mut p = CreateCustomerRequestPoint::new();
        (p.x, p.y) = (Some(1), Some(2));
        p
    });
    let reply = client.create_customer(body).send().await.unwrap();
    assert_eq!(reply.body().id.as_deref(), Some("cus_1"));
    let (head, sent) = request.recv().unwrap();
    assert!(head.to_ascii_lowercase().contains("content-type: application/x-www-form-urlencoded"), "{head}");
    let expected = [
        "name=Ada+L",
        "balance=-5",
        "address%5Bline1%5D=1+Main+St",
        "address%5Bgeo%5D%5Blat%5D=51.5",
        "metadata%5Ba%26b%5D=c%3Dd",
        "metadata%5Border%5D=6735",
        "expand%5B0%5D=customer",
        "expand%5B1%5D=invoice.subscription",
        "items%5B0%5D%5Bprice%5D=price_1",
        "items%5B0%5D%5Bquantity%5D=2",
        "tags=x",
        "tags=y+z",
        "codes=a%7Cb",
        "filter=%7B%22active%22%3Atrue%7D",
        "callback=https://hooks.test/a?b%3Dc",
        "x=1",
        "y=2",
    ]
    .join("&");
    assert_eq!(sent, expected);
}

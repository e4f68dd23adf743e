//! Copied into the crate generated from `tests/fixtures/client_features.yaml`
//! and run there, against a plain local server that records the raw
//! request: API keys go in their header, query parameter and cookie, Basic
//! credentials in `Authorization`, and none of them shows in `Debug` output
//! or errors; a multipart form carries its files and fields, a file is sent
//! without being read into memory, and a download is read as it arrives.

mod raw_server;

use std::time::Duration;

use fixtures_client_features::types::FileUploadMetadata;
use fixtures_client_features::futures_util;
use fixtures_client_features::{ByteStream, Bytes, Client, Error, RetryPolicy, TransportErrorKind, Upload};
use raw_server::{one_request_server, serve, Reply};

fn line<'h>(head: &'h str, name: &str) -> Vec<&'h str> {
    let prefix = format!("{}:", name.to_ascii_lowercase());
    head.lines().filter(|l| l.to_ascii_lowercase().starts_with(&prefix)).collect()
}

#[tokio::test]
async fn api_keys_go_where_the_spec_says() {
    let (address, request) = one_request_server("[]");
    let client = fixtures_client_features::Client::builder()
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
        fixtures_client_features::Client::builder().base_url(address).basic_auth("Aladdin", "open sesame").build().unwrap();
    client.list_things().send().await.unwrap();
    let (head, _) = request.recv().unwrap();
    assert_eq!(line(&head, "authorization"), ["authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="], "{head}");
}

#[tokio::test]
async fn keys_and_passwords_stay_out_of_debug_output_and_errors() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let builder = fixtures_client_features::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .app_key("SECRET-HEADER")
        .account_key("SECRET-QUERY")
        .tracking("SECRET-COOKIE")
        .basic_auth("user", "SECRET-PASSWORD")
        .retry(fixtures_client_features::RetryPolicy::disabled());
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
    let err = fixtures_client_features::Client::builder()
        .base_url("http://example.test")
        .account_key("k")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("clear text"), "{err}");
}

/// One field of a multipart body: its `Content-Disposition` and
/// `Content-Type` lines and its content.
#[derive(Debug)]
struct Part {
    disposition: String,
    content_type: Option<String>,
    content: Vec<u8>,
}

/// The parts of a `multipart/form-data` body, split by the boundary that
/// its `Content-Type` header names.
fn parts(head: &str, body: &[u8]) -> Vec<Part> {
    let content_type = line(head, "content-type")[0].to_string();
    let boundary = content_type.split("boundary=").nth(1).expect("a boundary").trim().to_string();
    let delimiter = format!("--{boundary}");
    let text = body.to_vec();
    let mut out = Vec::new();
    let mut rest: &[u8] = &text;
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    rest = &rest[find(rest, delimiter.as_bytes()).unwrap() + delimiter.len()..];
    while !rest.starts_with(b"--") {
        rest = &rest[2..]; // CRLF after the delimiter
        let end = find(rest, format!("\r\n{delimiter}").as_bytes()).unwrap();
        let part = &rest[..end];
        let split = find(part, b"\r\n\r\n").unwrap();
        let headers = String::from_utf8(part[..split].to_vec()).unwrap();
        let header = |name: &str| {
            headers.lines().find_map(|l| l.split_once(':').filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_string()))
        };
        out.push(Part {
            disposition: header("content-disposition").unwrap(),
            content_type: header("content-type"),
            content: part[split + 4..].to_vec(),
        });
        rest = &rest[end + 2 + delimiter.len()..];
    }
    out
}

fn client(address: &str) -> Client {
    Client::builder().base_url(address).app_key("k").retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1))).build().unwrap()
}

#[tokio::test]
async fn a_multipart_form_carries_its_files_and_fields() {
    let stored = Reply { status: 201, ..Reply::json(r#"{"id":"f1"}"#) };
    let (address, requests) = serve(vec![stored]);
    let dir = std::env::temp_dir().join(format!("apigen-multipart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let on_disk = dir.join("notes.txt");
    std::fs::write(&on_disk, b"from a file").unwrap();
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("from ")), Ok(Bytes::from("a stream"))]);
    let mut metadata = FileUploadMetadata::default();
    metadata.camera = Some("x100".into());
    metadata.iso = Some(200);
    let reply = client(&address)
        .upload_file(Upload::from(vec![0x89, b'P', b'N', b'G', 0, 255]).file_name("photo.png"), "a \"quoted\" title")
        .tags(["one", "two"])
        .attachments([Upload::from_path(&on_disk), Upload::from_stream(chunks).content_type("text/plain")])
        .metadata(metadata)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.body().id.as_deref(), Some("f1"));
    let (head, body) = requests.recv().unwrap();
    assert!(head.starts_with("POST /files HTTP/1.1"), "{head}");
    assert!(line(&head, "content-type")[0].contains("multipart/form-data; boundary="), "{head}");
    let parts = parts(&head, &body);
    let summary: Vec<(String, Option<String>, Vec<u8>)> =
        parts.into_iter().map(|p| (p.disposition, p.content_type, p.content)).collect();
    assert_eq!(
        summary,
        vec![
            // The spec's `encoding` gives the file field its media type.
            (r#"form-data; name="file"; filename="photo.png""#.into(), Some("image/png".into()), vec![0x89, b'P', b'N', b'G', 0, 255]),
            (r#"form-data; name="title""#.into(), None, br#"a "quoted" title"#.to_vec()),
            (r#"form-data; name="tags""#.into(), None, b"one".to_vec()),
            (r#"form-data; name="tags""#.into(), None, b"two".to_vec()),
            (r#"form-data; name="attachments"; filename="notes.txt""#.into(), Some("application/octet-stream".into()), b"from a file".to_vec()),
            (r#"form-data; name="attachments"; filename="attachments""#.into(), Some("text/plain".into()), b"from a stream".to_vec()),
            (r#"form-data; name="metadata""#.into(), Some("application/json".into()), br#"{"camera":"x100","iso":200}"#.to_vec()),
        ]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_file_is_sent_with_its_length_and_again_on_a_retry() {
    let busy = || Reply { status: 503, content_type: "text/plain", body: b"busy".to_vec(), stall: None };
    let done = Reply { status: 204, content_type: "text/plain", body: Vec::new(), stall: None };
    let (address, requests) = serve(vec![busy(), done]);
    let path = std::env::temp_dir().join(format!("apigen-upload-{}.bin", std::process::id()));
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &content).unwrap();
    let reply = client(&address).replace_file("f1", Upload::from_path(&path)).send().await.unwrap();
    assert_eq!(reply.attempts(), 2);
    for _ in 0..2 {
        let (head, body) = requests.recv().unwrap();
        assert_eq!(line(&head, "content-length"), ["content-length: 200000"], "{head}");
        assert_eq!(line(&head, "content-type"), ["content-type: application/octet-stream"], "{head}");
        assert!(body == content, "the file's bytes, whole, on each attempt");
    }
    std::fs::remove_file(path).unwrap();
}

#[tokio::test]
async fn a_stream_is_sent_once_and_not_retried() {
    let busy = Reply { status: 503, content_type: "text/plain", body: b"busy".to_vec(), stall: None };
    let (address, requests) = serve(vec![busy]);
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("streamed"))]);
    let err = client(&address).replace_file("f1", Upload::from_stream(chunks)).send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err}");
    assert_eq!(err.attempts(), Some(1), "{err}");
    let (head, body) = requests.recv().unwrap();
    assert_eq!(line(&head, "transfer-encoding"), ["transfer-encoding: chunked"], "{head}");
    assert_eq!(body, b"streamed");
}

#[tokio::test]
async fn a_download_is_read_as_it_arrives() {
    let content: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    let file = Reply { status: 200, content_type: "application/octet-stream", body: content.clone(), stall: None };
    let (address, _requests) = serve(vec![file]);
    // Larger than the client reads into memory, and still written whole.
    let client = Client::builder().base_url(&address).app_key("k").max_response_size(1_000_000).build().unwrap();
    let reply = client.download_file("f1").send().await.unwrap();
    assert_eq!(reply.body().content_length(), Some(3_000_000));
    let mut written = Vec::new();
    let count = reply.into_body().write_to(&mut written).await.unwrap();
    assert_eq!(count, 3_000_000);
    assert!(written == content);

    let file = Reply { status: 200, content_type: "application/octet-stream", body: content.clone(), stall: None };
    let (address, _requests) = serve(vec![file]);
    let client = Client::builder().base_url(&address).app_key("k").max_response_size(1_000_000).build().unwrap();
    let err = client.download_file("f1").send().await.unwrap().into_body().collect().await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Body, "{err}");
    assert!(err.to_string().contains("read it as a stream"), "{err}");
}

#[tokio::test]
async fn a_download_that_fails_decodes_its_error_and_one_that_stalls_times_out() {
    let missing = Reply { status: 404, content_type: "application/json", body: br#"{"message":"gone"}"#.to_vec(), stall: None };
    let stalls = Reply {
        status: 200,
        content_type: "application/octet-stream",
        body: vec![1; 64],
        stall: Some(Duration::from_secs(3)),
    };
    let (address, _requests) = serve(vec![missing, stalls]);
    let client = client(&address);
    match client.download_file("nope").send().await.unwrap_err() {
        Error::Api(e) => match e.body() {
            fixtures_client_features::operations::DownloadFileError::NotFound(body) => {
                assert_eq!(body.message.as_deref(), Some("gone"))
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    let reply = client.download_file("f1").with_timeout(Duration::from_millis(300)).send().await.unwrap();
    let mut stream = reply.into_body();
    use futures_util::StreamExt;
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.len(), 32);
    let stalled = stream.next().await.unwrap().unwrap_err();
    assert_eq!(stalled.kind(), TransportErrorKind::Timeout, "{stalled}");
    assert!(stream.next().await.is_none());
    // A body held in memory reads the same way, for an application's own tests.
    assert_eq!(ByteStream::from(b"abc".to_vec()).collect().await.unwrap().as_ref(), b"abc");
}

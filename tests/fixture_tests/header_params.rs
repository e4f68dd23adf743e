//! Copied into the crate generated from `tests/fixtures/header_params.yaml`
//! and run there, against a plain local server that records the raw
//! request: a cookie value cannot end its cookie and add another.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

/// Answers one request with `[]` and hands back its head as sent.
fn one_request_server() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).unwrap() == 1 {
            head.push(byte[0]);
        }
        let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]";
        socket.write_all(reply.as_bytes()).unwrap();
        sender.send(String::from_utf8_lossy(&head).into_owned()).unwrap();
    });
    (address, receiver)
}

#[tokio::test]
async fn a_cookie_value_cannot_add_cookies() {
    let (address, head) = one_request_server();
    let client = fixtures_header_params::Client::builder().base_url(address).build().unwrap();
    client.list_things("id-1").session("abc; admin=1, x=\"y\"").send().await.unwrap();
    let head = head.recv().unwrap();
    let cookie = head.lines().find(|l| l.to_ascii_lowercase().starts_with("cookie:")).expect("a Cookie header");
    assert_eq!(cookie, "cookie: session=abc%3B%20admin=1%2C%20x=%22y%22", "{head}");
}

//! A plain local HTTP server for the fixture tests, which records the
//! request head (and body) exactly as the client sent it. Copied into each fixture
//! crate's `tests/raw_server/`.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

/// Answers one request with the JSON `reply` and hands back its head and
/// body as sent (the body by its `Content-Length`).
pub fn one_request_server(reply: &'static str) -> (String, mpsc::Receiver<(String, String)>) {
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
        let head = String::from_utf8_lossy(&head).into_owned();
        let length = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap()))
            .unwrap_or(0);
        let mut body = vec![0u8; length];
        socket.read_exact(&mut body).unwrap();
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
            reply.len()
        );
        socket.write_all(answer.as_bytes()).unwrap();
        sender.send((head, String::from_utf8(body).unwrap())).unwrap();
    });
    (address, receiver)
}

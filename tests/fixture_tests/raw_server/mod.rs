//! A plain local HTTP server for the fixture tests, which records the
//! request head exactly as the client sent it. Copied into each fixture
//! crate's `tests/raw_server/`.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

/// Answers one request with `[]` and hands back its head as sent.
pub fn one_request_server() -> (String, mpsc::Receiver<String>) {
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

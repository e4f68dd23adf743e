//! A plain local HTTP server for the fixture tests, which records each
//! request's head and body exactly as the client sent them (a chunked body
//! decoded). Copied into each fixture crate's `tests/raw_server/`.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

/// One reply: the status line's code, the content type and the body, sent
/// at once or, with `stall`, in two halves with a pause between.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub stall: Option<Duration>,
}

impl Reply {
    pub fn json(body: &'static str) -> Self {
        Reply { status: 200, content_type: "application/json", body: body.as_bytes().to_vec(), stall: None }
    }
}

/// Answers one request with the JSON `reply` and hands back its head and
/// body as sent (the body as text).
pub fn one_request_server(reply: &'static str) -> (String, mpsc::Receiver<(String, String)>) {
    let (address, requests) = serve(vec![Reply::json(reply)]);
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for (head, body) in requests {
            let _ = sender.send((head, String::from_utf8(body).unwrap()));
        }
    });
    (address, receiver)
}

/// Answers one request per reply, in order, one connection each, and hands
/// back each request's head and body.
pub fn serve(replies: Vec<Reply>) -> (String, mpsc::Receiver<(String, Vec<u8>)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for reply in replies {
            let (socket, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(socket.try_clone().unwrap());
            let mut head = String::new();
            while !head.ends_with("\r\n\r\n") {
                if reader.read_line(&mut head).unwrap() == 0 {
                    break;
                }
            }
            let header = |name: &str| {
                head.lines().find_map(|l| {
                    let (n, v) = l.split_once(':')?;
                    n.eq_ignore_ascii_case(name).then(|| v.trim().to_ascii_lowercase())
                })
            };
            let mut body = Vec::new();
            if header("transfer-encoding").as_deref() == Some("chunked") {
                loop {
                    let mut size = String::new();
                    reader.read_line(&mut size).unwrap();
                    let size = usize::from_str_radix(size.trim(), 16).unwrap();
                    let mut chunk = vec![0u8; size + 2];
                    reader.read_exact(&mut chunk).unwrap();
                    if size == 0 {
                        break;
                    }
                    body.extend_from_slice(&chunk[..size]);
                }
            } else if let Some(length) = header("content-length") {
                body = vec![0u8; length.parse().unwrap()];
                reader.read_exact(&mut body).unwrap();
            }
            let mut socket = socket;
            let head_out = format!(
                "HTTP/1.1 {} X\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                reply.status,
                reply.content_type,
                reply.body.len()
            );
            socket.write_all(head_out.as_bytes()).unwrap();
            match reply.stall {
                None => {
                    let _ = socket.write_all(&reply.body);
                }
                Some(pause) => {
                    let half = reply.body.len() / 2;
                    let _ = socket.write_all(&reply.body[..half]);
                    let _ = socket.flush();
                    std::thread::sleep(pause);
                    let _ = socket.write_all(&reply.body[half..]);
                }
            }
            let _ = sender.send((head, body));
        }
    });
    (address, receiver)
}

//! A local HTTP/1.1 server for the client benchmark. It prints its port,
//! then answers the two benchmarked Genesys Cloud usage operations with
//! canned bodies, as fast as it can, until killed.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("{}", listener.local_addr()?.port());
    let results = Bytes::from(apigen_bench::results_body());
    let execution = Bytes::from(apigen_bench::execution_body());
    loop {
        let (stream, _) = listener.accept().await?;
        let (results, execution) = (results.clone(), execution.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let (results, execution) = (results.clone(), execution.clone());
                async move {
                    let (parts, body) = request.into_parts();
                    // Read the whole request, as a real server would.
                    let _ = body.collect().await;
                    let reply = match (parts.method, parts.uri.path()) {
                        (Method::GET, path) if path.starts_with("/api/v2/usage/query/") => Some(results),
                        (Method::POST, "/api/v2/usage/query") => Some(execution),
                        _ => None,
                    };
                    let response = match reply {
                        Some(body) => Response::builder()
                            .header("content-type", "application/json")
                            .body(Full::new(body)),
                        None => Response::builder().status(StatusCode::NOT_FOUND).body(Full::new(Bytes::new())),
                    };
                    Ok::<_, Infallible>(response.expect("a valid response"))
                }
            });
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

//! Times one client making requests to `bench-server`, one after another on
//! a single-threaded runtime, and prints wall and CPU time as JSON.
//!
//! `bench-client <generated|reqwest> <get|post> <base-url> <requests>`
//!
//! `generated` is the generated Genesys Cloud client; `reqwest` is the call
//! one would write by hand with reqwest, with the same timeouts, decoding
//! into the same model types, so the difference is what the generated client
//! adds: the builder, path encoding, auth, the retry loop, the tracing span,
//! request ids and error mapping.

use std::time::{Duration, Instant};

use apigen_bench::{cpu_seconds, EXECUTION_ID};
use genesys_cloud_usage::types::{ApiUsageOrganizationQuery, ApiUsageQueryResult, Granularity, UsageExecutionResult};
use genesys_cloud_usage::Client;

const WARM_UP: usize = 500;

fn query() -> ApiUsageOrganizationQuery {
    let mut query = ApiUsageOrganizationQuery::new("2024-05-01T00:00:00/2024-05-08T00:00:00");
    query.granularity = Some(Granularity::Day);
    query
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, op, base, requests] = args.as_slice() else {
        eprintln!("usage: bench-client <generated|reqwest> <get|post> <base-url> <requests>");
        std::process::exit(2);
    };
    let requests: usize = requests.parse().expect("a number of requests");
    let generated = Client::builder().base_url(base.as_str()).bearer_token("bench-token").build().expect("client");
    // What a careful hand-written client sets too: the generated client's
    // default timeouts (30 s per request, 10 s to connect).
    let plain = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client");

    // One request of the chosen kind; checks the reply so no client can skip work.
    let one = || async {
        match (mode.as_str(), op.as_str()) {
            ("generated", "get") => {
                let reply = generated.get_usage_query_execution_id_results(EXECUTION_ID).send().await.expect("reply");
                reply.body().results.as_ref().map_or(0, Vec::len)
            }
            ("generated", "post") => {
                let reply = generated.post_usage_query(query()).send().await.expect("reply");
                reply.body().execution_id.as_ref().map_or(0, String::len)
            }
            ("reqwest", "get") => {
                let body: ApiUsageQueryResult = plain
                    .get(format!("{base}/api/v2/usage/query/{EXECUTION_ID}/results"))
                    .bearer_auth("bench-token")
                    .header("accept", "application/json")
                    .send()
                    .await
                    .and_then(|r| r.error_for_status())
                    .expect("reply")
                    .json()
                    .await
                    .expect("body");
                body.results.as_ref().map_or(0, Vec::len)
            }
            ("reqwest", "post") => {
                let body: UsageExecutionResult = plain
                    .post(format!("{base}/api/v2/usage/query"))
                    .bearer_auth("bench-token")
                    .header("accept", "application/json")
                    .json(&query())
                    .send()
                    .await
                    .and_then(|r| r.error_for_status())
                    .expect("reply")
                    .json()
                    .await
                    .expect("body");
                body.execution_id.as_ref().map_or(0, String::len)
            }
            _ => panic!("unknown mode or operation: {mode} {op}"),
        }
    };
    for _ in 0..WARM_UP {
        assert!(one().await > 0);
    }
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    for _ in 0..requests {
        assert!(one().await > 0);
    }
    let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    println!("{}", serde_json::json!({ "requests": requests, "wall_s": wall, "cpu_s": cpu }));
}

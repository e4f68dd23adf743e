//! What the server sends and the clients send, shared so every client does
//! the same work. See `cargo xtask bench --only runtime`.

/// `executionId` of the canned query.
pub const EXECUTION_ID: &str = "2f9cd3e1-7f3a-4e0b-9d36-5c1c0b8e1a42";

/// The reply to `GET /api/v2/usage/query/{executionId}/results`: a finished
/// query with 20 rows, about 5 KB, the size of a day of grouped usage.
pub fn results_body() -> String {
    let rows: Vec<serde_json::Value> = (0..20)
        .map(|i| {
            serde_json::json!({
                "clientId": format!("5f1e0c9d-8a8b-4c39-b8b7-3f6c2b1d{i:04}"),
                "clientName": format!("integration-{i}"),
                "organizationId": "6d0b4b1e-0d3f-4c5e-9a65-2b7f1c3e9d10",
                "templateUri": "api/v2/analytics/conversations/details/query",
                "httpMethod": "POST",
                "status200": 1200 + i,
                "status300": 0,
                "status400": 3,
                "status500": 1,
                "status429": 7,
                "requests": 1211 + i,
                "date": "2024-05-01T00:00:00Z"
            })
        })
        .collect();
    serde_json::json!({ "results": rows, "queryStatus": "Complete" }).to_string()
}

/// The reply to `POST /api/v2/usage/query`.
pub fn execution_body() -> String {
    serde_json::json!({
        "executionId": EXECUTION_ID,
        "resultsUri": format!("/api/v2/usage/query/{EXECUTION_ID}/results")
    })
    .to_string()
}

/// CPU time this process has used, user and system, in seconds.
pub fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

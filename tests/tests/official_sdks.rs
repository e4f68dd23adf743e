//! Our specs and clients checked against the vendors' official Python SDKs,
//! which are generated from the vendors' own API descriptions: the public
//! record of these APIs' fields, enums and wire encoding.
//!
//! - `spec_models_match_the_sdk_models` compares every schema, field, type,
//!   enum, required and nullable flag and default of our specs with the
//!   SDKs' model classes (`scripts/sdk_models.py`).
//! - `clients_and_sdks_agree_on_the_wire` makes the same calls through an
//!   SDK and through our client against one recording server
//!   (`official_sdks/cases.json`, every parameter of every operation) and
//!   compares method, path, query, the headers that carry meaning, the body
//!   and the decoded reply.
//!
//! Every difference either finds must be listed, with its reason, in the
//! table of `specs/README.md`; a listed difference that no longer occurs
//! fails too, so the table stays true.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Map, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One difference: which spec, where (a schema field or an operation), what
/// kind, and the detail shown when it is not listed.
#[derive(Debug)]
struct Difference {
    spec: String,
    location: String,
    kind: String,
    detail: String,
}

impl Difference {
    fn key(&self) -> (String, String, String) {
        (self.spec.clone(), self.location.clone(), self.kind.clone())
    }
}

const MODEL_KINDS: &[&str] = &["model", "field", "type", "enum", "required", "nullable", "default"];

/// The rows of the deliberate-differences table in `specs/README.md`:
/// `| spec | where | kind | why |`.
fn deliberate() -> BTreeMap<(String, String, String), String> {
    let readme = std::fs::read_to_string(root().join("specs/README.md")).unwrap();
    let table = readme
        .split("<!-- deliberate differences -->")
        .nth(1)
        .expect("specs/README.md marks its table with <!-- deliberate differences -->");
    let mut rows = BTreeMap::new();
    for line in table.lines().map(str::trim).take_while(|l| l.is_empty() || l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() != 4 || cells[0] == "spec" || cells[0].starts_with("---") {
            continue;
        }
        let unquote = |s: &str| s.trim_matches('`').to_string();
        let why = cells[3].to_string();
        assert!(!why.is_empty(), "a deliberate difference needs its reason: {line}");
        rows.insert((unquote(cells[0]), unquote(cells[1]), unquote(cells[2])), why);
    }
    rows
}

/// Fails unless `found` and the listed rows of the kinds this check covers
/// are the same set.
fn assert_all_listed(found: &[Difference], covers: impl Fn(&str) -> bool) {
    let listed: BTreeMap<_, _> = deliberate().into_iter().filter(|((_, _, kind), _)| covers(kind)).collect();
    let mut unlisted = Vec::new();
    let mut seen = BTreeSet::new();
    for d in found {
        seen.insert(d.key());
        if !listed.contains_key(&d.key()) {
            unlisted.push(format!("| {} | {} | {} | … |\n    {}", d.spec, d.location, d.kind, d.detail));
        }
    }
    let stale: Vec<_> = listed.keys().filter(|k| !seen.contains(*k)).map(|k| format!("{k:?}")).collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "differences from the official SDKs that specs/README.md does not list (fix the spec or the client, or list it with its reason):\n{}\n\nlisted differences that no longer occur (remove them):\n{}",
        unlisted.join("\n"),
        stale.join("\n")
    );
}

#[test]
fn spec_models_match_the_sdk_models() {
    let output = apigen_tests::tools::python_with_official_sdks()
        .arg(root().join("tests/scripts/sdk_models.py"))
        .arg(root().join("specs"))
        .output()
        .unwrap();
    assert!(output.status.success(), "sdk_models.py failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let diffs: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<Difference> = diffs
        .iter()
        .map(|d| Difference {
            spec: d["spec"].as_str().unwrap().into(),
            location: d["where"].as_str().unwrap().into(),
            kind: d["kind"].as_str().unwrap().into(),
            detail: format!("ours: {}, SDK: {}", d["ours"], d["sdk"]),
        })
        .collect();
    assert_all_listed(&found, |kind| MODEL_KINDS.contains(&kind));
}

// ------------------------------------------------------------------ the wire

#[derive(Debug, serde::Deserialize)]
struct Case {
    name: String,
    spec: String,
    operation: String,
    args: Map<String, Value>,
    reply: Reply,
}

#[derive(Debug, Clone, serde::Deserialize)]
struct Reply {
    status: u16,
    #[serde(default = "json_type")]
    content_type: String,
    body: Value,
}

fn json_type() -> String {
    "application/json".into()
}

/// Answers the n-th request with the reply of case n (mod the number of
/// cases): the SDK's calls and ours are made one at a time, in case order.
struct Replies {
    next: AtomicUsize,
    replies: Vec<Reply>,
}

impl Respond for Replies {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let reply = &self.replies[self.next.fetch_add(1, Ordering::SeqCst) % self.replies.len()];
        ResponseTemplate::new(reply.status).set_body_raw(serde_json::to_vec(&reply.body).unwrap(), &reply.content_type)
    }
}

fn cases() -> Vec<Case> {
    serde_json::from_str(&std::fs::read_to_string(root().join("tests/official_sdks/cases.json")).unwrap()).unwrap()
}

const TOKEN: &str = "differential-token";

fn text(args: &Map<String, Value>, name: &str) -> String {
    args[name].as_str().unwrap_or_else(|| panic!("{name} is a string")).to_string()
}

fn texts(args: &Map<String, Value>, name: &str) -> Vec<String> {
    args[name].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

fn time(args: &Map<String, Value>, name: &str) -> chrono::DateTime<chrono::Utc> {
    text(args, name).parse().unwrap()
}

/// Our decoded reply as JSON, or the error's message. The three crates'
/// replies are the runtime's one `ApiResponse`.
fn decoded<T: serde::Serialize, E: std::fmt::Display>(result: Result<apigen_runtime::ApiResponse<T>, E>) -> Value {
    match result {
        Ok(reply) => serde_json::to_value(reply.body()).unwrap(),
        Err(e) => serde_json::json!({ "error": e.to_string() }),
    }
}

/// Makes one case's call through our client; the arguments a case may give
/// are exactly the operation's parameters, and every one given is sent.
async fn call_ours(base: &str, case: &Case) -> Value {
    let a = &case.args;
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let mut has = |name: &'static str| {
        used.insert(name);
        a.contains_key(name)
    };
    let reply = match case.spec.as_str() {
        "genesys-cloud-usage" => {
            use genesys_cloud_usage::types::*;
            let c = genesys_cloud_usage::Client::builder().base_url(base).bearer_token(TOKEN).build().unwrap();
            match case.operation.as_str() {
                "getOauthClientUsageQueryResult" => {
                    has("executionId");
                    has("clientId");
                    decoded(
                        c.get_oauth_client_usage_query_result(text(a, "executionId"), text(a, "clientId")).send().await,
                    )
                }
                "getOauthClientUsageSummary" => {
                    has("clientId");
                    let mut op = c.get_oauth_client_usage_summary(text(a, "clientId"));
                    if has("days") {
                        op = op.days(text(a, "days"));
                    }
                    decoded(op.send().await)
                }
                "getUsageQueryExecutionIdResults" => {
                    has("executionId");
                    decoded(c.get_usage_query_execution_id_results(text(a, "executionId")).send().await)
                }
                "getUsageSimplesearchExecutionIdResults" => {
                    has("executionId");
                    let mut op = c.get_usage_simplesearch_execution_id_results(text(a, "executionId"));
                    if has("after") {
                        op = op.after(text(a, "after"));
                    }
                    if has("pageSize") {
                        op = op.page_size(a["pageSize"].as_i64().unwrap() as i32);
                    }
                    decoded(op.send().await)
                }
                "postOauthClientUsageQuery" => {
                    has("clientId");
                    has("body");
                    let body: ApiUsageClientQuery = serde_json::from_value(a["body"].clone()).unwrap();
                    decoded(c.post_oauth_client_usage_query(text(a, "clientId"), body).send().await)
                }
                "postUsageQuery" => {
                    has("body");
                    let body: ApiUsageOrganizationQuery = serde_json::from_value(a["body"].clone()).unwrap();
                    decoded(c.post_usage_query(body).send().await)
                }
                "postUsageSimplesearch" => {
                    has("body");
                    let body: ApiUsageSimpleSearch = serde_json::from_value(a["body"].clone()).unwrap();
                    decoded(c.post_usage_simplesearch(body).send().await)
                }
                other => panic!("{}: no operation {other}", case.name),
            }
        }
        "notehub-usage" => {
            let c = notehub_usage::Client::builder().base_url(base).bearer_token(TOKEN).build().unwrap();
            has("projectOrProductUID");
            has("period");
            let (project, period) = (text(a, "projectOrProductUID"), text(a, "period"));
            // The three operations share their parameters but for two.
            macro_rules! common {
                ($op:expr) => {{
                    let mut op = $op;
                    if has("startDate") {
                        op = op.start_date(a["startDate"].as_i64().unwrap());
                    }
                    if has("endDate") {
                        op = op.end_date(a["endDate"].as_i64().unwrap());
                    }
                    if has("deviceUID") {
                        op = op.device_uid(texts(a, "deviceUID"));
                    }
                    if has("fleetUID") {
                        op = op.fleet_uid(texts(a, "fleetUID"));
                    }
                    if has("limit") {
                        op = op.limit(a["limit"].as_i64().unwrap() as i32);
                    }
                    if has("aggregate") {
                        op = op.aggregate(text(a, "aggregate").as_str());
                    }
                    op
                }};
            }
            match case.operation.as_str() {
                "getDataUsage" => decoded(common!(c.get_data_usage(project, period.as_str())).send().await),
                "getEventsUsage" => {
                    let mut op = common!(c.get_events_usage(project, period.as_str()));
                    if has("notefile") {
                        op = op.notefile(texts(a, "notefile"));
                    }
                    if has("skipRecentData") {
                        op = op.skip_recent_data(a["skipRecentData"].as_bool().unwrap());
                    }
                    if has("includeNotefiles") {
                        op = op.include_notefiles(a["includeNotefiles"].as_bool().unwrap());
                    }
                    decoded(op.send().await)
                }
                "getSessionsUsage" => {
                    let mut op = common!(c.get_sessions_usage(project, period.as_str()));
                    if has("skipRecentData") {
                        op = op.skip_recent_data(a["skipRecentData"].as_bool().unwrap());
                    }
                    decoded(op.send().await)
                }
                other => panic!("{}: no operation {other}", case.name),
            }
        }
        "thousandeyes-usage" => {
            use thousandeyes_usage::types::ExpandUsageOptions;
            let c = thousandeyes_usage::Client::builder().base_url(base).bearer_token(TOKEN).build().unwrap();
            macro_rules! range {
                ($op:expr) => {{
                    let mut op = $op;
                    if has("startDate") {
                        op = op.start_date(time(a, "startDate"));
                    }
                    if has("endDate") {
                        op = op.end_date(time(a, "endDate"));
                    }
                    if has("cursor") {
                        op = op.cursor(text(a, "cursor"));
                    }
                    op
                }};
            }
            match case.operation.as_str() {
                "getEnterpriseAgentsUnitsUsage" => decoded(range!(c.get_enterprise_agents_units_usage()).send().await),
                "getTestsUnitsUsage" => {
                    let mut op = range!(c.get_tests_units_usage());
                    if has("aid") {
                        op = op.aid(text(a, "aid"));
                    }
                    decoded(op.send().await)
                }
                "getUsage" => {
                    let mut op = c.get_usage();
                    if has("aid") {
                        op = op.aid(text(a, "aid"));
                    }
                    if has("expand") {
                        op = op.expand(texts(a, "expand").into_iter().map(ExpandUsageOptions::from));
                    }
                    decoded(op.send().await)
                }
                other => panic!("{}: no operation {other}", case.name),
            }
        }
        other => panic!("{}: no spec {other}", case.name),
    };
    let unused: Vec<_> = a.keys().filter(|k| !used.contains(k.as_str())).collect();
    assert!(unused.is_empty(), "{}: arguments our call did not send: {unused:?}", case.name);
    reply
}

/// A request as the server saw it, reduced to what carries meaning.
#[derive(Debug, PartialEq)]
struct Seen {
    method: String,
    /// The path's segments, percent-decoded: a `/` that was data stays
    /// inside its segment, one that was not makes a new segment.
    path: Vec<String>,
    /// The query's pairs, form-decoded, in order within each name.
    query: Vec<(String, String)>,
    /// The query's raw pairs with only the bytes that can be delimiters
    /// (`,` `|` space `+` `&` `=` `%` `#`) left percent-encoded, so `a,b`
    /// and `a%2Cb` differ while `app:x` and `app%3Ax` do not.
    query_delimiters: Vec<(String, String)>,
    headers: BTreeMap<String, String>,
    body: Value,
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Decodes `%XX` except for delimiter bytes, which stay encoded (upper
/// case); a `+` means a space in a query, so it becomes `%20`.
fn delimiters_only(raw: &str) -> String {
    const KEEP: &[u8] = b",| +&=%#";
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], escaped) {
            (b'%', Some(b)) => {
                if KEEP.contains(&b) {
                    out.extend(format!("%{b:02X}").bytes());
                } else {
                    out.push(b);
                }
                i += 3;
            }
            (b'+', _) => {
                out.extend(b"%20");
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Sorts pairs by name, keeping the order of values within one name: the
/// order of different parameters carries no meaning, the order of one
/// exploded array's values does.
fn by_name(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

fn seen(request: &Request) -> Seen {
    let raw_query = request.url.query().unwrap_or("");
    let raw_pairs: Vec<(&str, &str)> =
        raw_query.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, ""))).collect();
    let headers = ["accept", "content-type", "authorization"]
        .iter()
        .filter_map(|name| request.headers.get(*name).map(|v| (name.to_string(), v.to_str().unwrap().to_string())))
        .collect();
    let body = if request.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&request.body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&request.body).into()))
    };
    Seen {
        method: request.method.to_string(),
        path: request.url.path().split('/').map(decode).collect(),
        query: by_name(request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()),
        query_delimiters: by_name(raw_pairs.iter().map(|(k, v)| (delimiters_only(k), delimiters_only(v))).collect()),
        headers,
        body,
    }
}

/// Decoded replies compare as JSON, with two normalisations: a date-time is
/// compared as the instant it names (Python writes `+00:00`, we write `Z`),
/// and a `null` is the same as an absent field.
fn normalised(value: &Value) -> Value {
    match value {
        Value::String(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => Value::String(t.with_timezone(&chrono::Utc).to_rfc3339()),
            Err(_) => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(normalised).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), normalised(v))).collect())
        }
        _ => value.clone(),
    }
}

/// The cases give every parameter and body of every operation, read from
/// the specs, so a parameter added to a spec must be added to a case.
#[test]
fn the_cases_cover_every_parameter_of_every_operation() {
    let cases = cases();
    let mut missing = Vec::new();
    for spec in ["genesys-cloud-usage", "notehub-usage", "thousandeyes-usage"] {
        let path = root().join(format!("specs/{spec}.yaml"));
        let (api, _) = apigen::check_file(spec, &path).unwrap_or_else(|d| panic!("{d}"));
        for op in &api.operations {
            let given: BTreeSet<&str> = cases
                .iter()
                .filter(|c| c.spec == spec && c.operation == op.api_name)
                .flat_map(|c| c.args.keys())
                .map(String::as_str)
                .collect();
            let mut wanted: Vec<&str> = op.params.iter().map(|p| p.api_name.as_str()).collect();
            if op.body.is_some() {
                wanted.push("body");
            }
            missing.extend(
                wanted.into_iter().filter(|w| !given.contains(w)).map(|w| format!("{spec} {} {w}", op.api_name)),
            );
        }
    }
    assert!(missing.is_empty(), "parameters no case of official_sdks/cases.json gives:\n{}", missing.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn clients_and_sdks_agree_on_the_wire() {
    let cases = cases();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(Replies { next: AtomicUsize::new(0), replies: cases.iter().map(|c| c.reply.clone()).collect() })
        .mount(&server)
        .await;

    // The SDKs first, one call per case in order.
    let base = server.uri();
    let cases_path = root().join("tests/official_sdks/cases.json");
    let script = root().join("tests/scripts/sdk_calls.py");
    let output = tokio::task::spawn_blocking(move || {
        apigen_tests::tools::python_with_official_sdks().arg(script).arg(&base).arg(cases_path).output().unwrap()
    })
    .await
    .unwrap();
    assert!(output.status.success(), "sdk_calls.py failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let sdk_replies: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(sdk_replies.len(), cases.len());

    // Then ours, against the same server.
    let mut our_replies = Vec::new();
    for case in &cases {
        our_replies.push(call_ours(&server.uri(), case).await);
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2 * cases.len(), "one request per case from each side");
    let (sdk_requests, our_requests) = requests.split_at(cases.len());

    let mut found = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let (sdk, ours) = (seen(&sdk_requests[i]), seen(&our_requests[i]));
        let mut differ = |kind: String, sdk: String, ours: String| {
            if sdk != ours {
                found.push(Difference {
                    spec: case.spec.clone(),
                    location: case.operation.clone(),
                    kind,
                    detail: format!("case {:?}:\n      SDK:  {sdk}\n      ours: {ours}", case.name),
                });
            }
        };
        differ("method".into(), sdk.method.clone(), ours.method.clone());
        differ("path".into(), format!("{:?}", sdk.path), format!("{:?}", ours.path));
        differ("query".into(), format!("{:?}", sdk.query), format!("{:?}", ours.query));
        differ(
            "query delimiters".into(),
            format!("{:?}", sdk.query_delimiters),
            format!("{:?}", ours.query_delimiters),
        );
        for name in ["accept", "content-type", "authorization"] {
            differ(
                format!("header {name}"),
                format!("{:?}", sdk.headers.get(name)),
                format!("{:?}", ours.headers.get(name)),
            );
        }
        // JSON compares as values: the order of an object's keys is no difference.
        let (sdk_body, our_body) = (sdk.body.clone(), ours.body.clone());
        if sdk_body != our_body {
            differ("body".into(), sdk_body.to_string(), our_body.to_string());
        }
        let (sdk_reply, our_reply) = (normalised(&sdk_replies[i]), normalised(&our_replies[i]));
        if sdk_reply != our_reply {
            differ("reply".into(), sdk_reply.to_string(), our_reply.to_string());
        }
    }
    assert_all_listed(&found, |kind| !MODEL_KINDS.contains(&kind));
}

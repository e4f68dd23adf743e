//! The non-Rust files of a crate, from the templates in `templates/`.

use super::operation::{accept_header, success, Success};
use crate::ir::{Api, SecurityKind, StatusMatch};
use crate::{GeneratedFile, Options};

const CARGO_TOML: &str = include_str!("../../../templates/Cargo.toml.in");
const README: &str = include_str!("../../../templates/README.md.in");

/// Fills `{{key}}` placeholders.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{{{key}}}}}"), value);
    }
    out
}

pub fn cargo_toml(api: &Api, options: &Options) -> GeneratedFile {
    let description = format!("Client for the {}, generated from its OpenAPI spec", api.title).replace('"', "'");
    GeneratedFile {
        path: "Cargo.toml".into(),
        contents: fill(
            CARGO_TOML,
            &[("spec", &options.spec_label), ("name", &options.crate_name), ("description", &description)],
        ),
    }
}

pub fn readme(api: &Api, options: &Options, examples: &super::example::Examples<'_>) -> GeneratedFile {
    let crate_name = &options.crate_name;
    let getting_started = match super::example::getting_started(examples) {
        Some(example) => format!("```rust,no_run\n{}```", example.program),
        None => "The spec has no operations.".to_string(),
    };
    let server = api.servers.first();
    GeneratedFile {
        path: "README.md".into(),
        contents: fill(
            README,
            &[
                ("spec", &options.spec_label),
                ("name", crate_name),
                ("title", &api.title),
                ("description", api.description.as_deref().unwrap_or("").trim()),
                ("getting_started", &getting_started),
                ("operations", &operations_table(api)),
                ("authentication", &authentication(api)),
                ("servers", &servers(server)),
                ("request_id_headers", &request_id_note(api)),
                ("pagination", &pagination(api)),
                ("polling", &polling(api)),
                ("details", &details(api, examples)),
            ],
        ),
    }
}

fn cell(text: &str) -> String {
    text.trim().replace('|', "\\|").replace('\n', " ")
}

fn operations_table(api: &Api) -> String {
    let mut table = String::from("| Method | HTTP request | Summary |\n| --- | --- | --- |\n");
    for op in &api.operations {
        table.push_str(&format!(
            "| [`{}`](#{}) | `{} {}` | {} |\n",
            op.rust_name,
            op.rust_name,
            op.method.as_str(),
            op.path,
            cell(op.summary.as_deref().unwrap_or(""))
        ));
    }
    table.trim_end().to_string()
}

fn authentication(api: &Api) -> String {
    if api.security.is_empty() {
        return "The spec declares no authentication.".into();
    }
    let mut out = String::new();
    for s in &api.security {
        let how = match &s.kind {
            SecurityKind::Bearer => "a bearer token: `Client::builder().bearer_token(token)`".to_string(),
            SecurityKind::OAuth2ClientCredentials { token_url, token_url_template } => format!(
                "OAuth 2 client credentials: `Client::builder().client_credentials(client_id, client_secret)`. \
                 The client fetches a token from `{}`, caches it, fetches a new one shortly before it expires, \
                 and makes one fetch serve all concurrent requests. `token_url(url)` overrides the token URL.",
                token_url_template.as_deref().unwrap_or(token_url)
            ),
            SecurityKind::Other { summary } => format!("{summary} (not handled by the client; send it with your own `reqwest::Client`)"),
        };
        out.push_str(&format!("- `{}`: {how}.", s.name));
        if let Some(d) = &s.description {
            out.push_str(&format!(" {}", cell(d)));
        }
        out.push('\n');
    }
    out.trim_end().to_string()
}

fn servers(server: Option<&crate::ir::Server>) -> String {
    let Some(server) = server else { return "The spec names no server; set one with `base_url`.".into() };
    let mut out = format!("Requests go to `{}` by default", server.default_url);
    if server.variables.is_empty() {
        out.push('.');
        return out;
    }
    out.push_str(&format!(" (the template `{}`).", server.template));
    for var in &server.variables {
        out.push_str(&format!(
            "\n\n`{{{}}}` is set with `Client::builder().{}(..)`{}",
            var.name,
            var.rust_name,
            var.description.as_deref().map(|d| format!(": {}", cell(d))).unwrap_or_else(|| ".".into())
        ));
        if !var.allowed.is_empty() {
            out.push_str(&format!("\n\n| `{}` | Value |\n| --- | --- |\n", var.type_name));
            for v in &var.allowed {
                let default = if v.api_name == var.default { " (default)" } else { "" };
                out.push_str(&format!("| `{}::{}`{default} | `{}` |\n", var.type_name, v.rust_name, v.api_name));
            }
            out.push_str(&format!("\n`{}::Other(value)` takes any other value.", var.type_name));
        }
    }
    out
}

fn request_id_note(api: &Api) -> String {
    let mut headers: Vec<String> = api.request_id_headers.iter().map(|h| format!("`{h}`")).collect();
    headers.extend(["`x-request-id`", "`x-correlation-id`", "`request-id`"].map(str::to_string));
    format!(", from the first of the headers {}", headers.join(", "))
}

fn pagination(api: &Api) -> String {
    let paginated: Vec<_> = api.operations.iter().filter(|o| o.pagination.is_some()).collect();
    if paginated.is_empty() {
        return "No operation of this API is paginated.".into();
    }
    let mut out = String::from(
        "Paginated operations have `into_pages()`, a `Stream` of pages, and `into_items()`, a `Stream` of the \
         pages' items. Each next request carries the cursor the previous reply gave; the stream stops after a \
         page without one, when a cursor repeats, or at the first error, which is its last item.\n\n\
         | Operation | Cursor parameter | Next cursor | Items |\n| --- | --- | --- | --- |\n",
    );
    for op in paginated {
        let p = op.pagination.as_ref().expect("filtered");
        let next = match &p.next {
            crate::ir::NextPage::Cursor(path) => format!("`{}`", path.pointer),
            crate::ir::NextPage::Link(path) => format!("the `{}` of the URL at `{}`", op.params[p.cursor_param].api_name, path.pointer),
        };
        out.push_str(&format!("| `{}` | `{}` | {next} | `{}` |\n", op.rust_name, op.params[p.cursor_param].api_name, p.items.pointer));
    }
    out.push_str("\n```rust,ignore\nuse futures_util::TryStreamExt; // re-exported as `CRATE::futures_util`\n\nlet all: Vec<_> = client.some_operation().into_items().try_collect().await?;\n```");
    out
}

fn polling(api: &Api) -> String {
    let polled: Vec<_> = api.operations.iter().filter(|o| o.poll.is_some()).collect();
    if polled.is_empty() {
        return "No operation of this API starts long-running work.".into();
    }
    let mut out = String::from(
        "These operations start work that finishes later. Their builders have `send_and_poll(PollOptions)`, which \
         sends the request, then calls the status operation with growing waits (500 ms doubling to 10 s unless \
         configured) until the status says done or failed, or the deadline (5 minutes unless configured) passes. \
         It returns the final reply, or a `PollError` that tells submit and poll failures, a failed status \
         (`PollError::Failed`, with the reply) and the deadline apart.\n\n\
         | Operation | Polls | Status field | Done | Failed |\n| --- | --- | --- | --- | --- |\n",
    );
    for op in polled {
        let p = op.poll.as_ref().expect("filtered");
        out.push_str(&format!(
            "| `{}` | `{}` | `{}` | {} | {} |\n",
            op.rust_name,
            p.operation,
            p.status.pointer,
            p.done.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", "),
            p.failed.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    out
}

fn type_name(ty: &crate::ir::TypeRef) -> String {
    super::manifest_type_name(ty)
}

fn details(api: &Api, examples: &super::example::Examples<'_>) -> String {
    let mut out = String::new();
    for op in &api.operations {
        out.push_str(&format!("### {}\n\n`{} {}`", op.rust_name, op.method.as_str(), op.path));
        if op.deprecated {
            out.push_str(" (deprecated)");
        }
        out.push_str("\n\n");
        if let Some(summary) = &op.summary {
            out.push_str(&format!("{}\n\n", summary.trim()));
        }
        if let Some(d) = &op.description {
            out.push_str(&format!("{}\n\n", d.trim()));
        }
        if let Some(perms) = &op.permissions {
            out.push_str(&format!("Requires {} of these permissions:\n\n", perms.kind.to_uppercase()));
            for p in &perms.names {
                out.push_str(&format!("- `{p}`\n"));
            }
            out.push('\n');
        }
        if !op.params.is_empty() {
            out.push_str("| Parameter | In | Type | Required | Default | Description |\n| --- | --- | --- | --- | --- | --- |\n");
            for p in &op.params {
                let location = match p.location {
                    crate::ir::ParamLocation::Path => "path",
                    crate::ir::ParamLocation::Query => "query",
                    crate::ir::ParamLocation::Header => "header",
                    crate::ir::ParamLocation::Cookie => "cookie",
                };
                out.push_str(&format!(
                    "| `{}` (`{}`) | {location} | `{}` | {} | {} | {} |\n",
                    p.rust_name.trim_start_matches("r#"),
                    p.api_name,
                    type_name(&p.ty),
                    if p.required { "required" } else { "optional" },
                    p.default.as_deref().map(|d| format!("`{d}`")).unwrap_or_default(),
                    cell(p.description.as_deref().unwrap_or(""))
                ));
            }
            out.push('\n');
        }
        let body = match &op.body {
            Some(b) => format!("`{}` ({}, `Content-Type: {}`)", type_name(&b.ty), if b.required { "required" } else { "optional" }, b.media_type),
            None => "none".into(),
        };
        let returns = match success(op) {
            Success::Empty => "`()`".to_string(),
            Success::One(t) => format!("`{}`", type_name(t)),
            Success::Several(_) => format!("`{}Response`", op.type_name),
        };
        let auth = if op.security.is_empty() { "none".to_string() } else { op.security.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" or ") };
        out.push_str(&format!("- Request body: {body}\n- Returns: {returns}\n- Errors: `{}Error`\n- Authentication: {auth}\n", op.type_name));
        if let Some(accept) = accept_header(op) {
            out.push_str(&format!("- `Accept: {accept}`\n"));
        }
        out.push_str("\n| Status | Meaning | Body |\n| --- | --- | --- |\n");
        for r in &op.responses {
            let status = match r.status {
                StatusMatch::Code(c) => c.to_string(),
                StatusMatch::Range(d) => format!("{d}XX"),
                StatusMatch::Default => "other".into(),
            };
            let body = r.body.as_ref().map(|b| format!("`{}`", type_name(&b.ty))).unwrap_or_default();
            out.push_str(&format!("| {status} | {} | {body} |\n", cell(&r.description)));
        }
        let example = super::example::operation_example(examples, op);
        out.push_str(&format!("\n```rust,no_run\n{}```\n\n", example.program));
    }
    out.trim_end().to_string()
}

//! The non-Rust files of a crate, from the templates in `templates/`.

use super::operation::{accept_header, success, Success};
use crate::ir::{Api, StatusMatch};
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

pub fn readme(api: &Api, options: &Options) -> GeneratedFile {
    let mut table = String::from("| Method | HTTP request | Summary |\n| --- | --- | --- |\n");
    for op in &api.operations {
        table.push_str(&format!(
            "| `{}` | `{} {}` | {} |\n",
            op.rust_name,
            op.method.as_str(),
            op.path,
            op.summary.as_deref().unwrap_or("").replace('|', "\\|")
        ));
    }
    let mut details = String::new();
    for op in &api.operations {
        details.push_str(&format!("### `{}`\n\n`{} {}`\n\n", op.rust_name, op.method.as_str(), op.path));
        if let Some(d) = op.description.as_deref().or(op.summary.as_deref()) {
            details.push_str(d.trim());
            details.push_str("\n\n");
        }
        let returns = match success(op) {
            Success::Empty => "nothing".to_string(),
            Success::One(t) => format!("`{}`", super::manifest_type_name(t)),
            Success::Several(_) => format!("`{}Response`", op.type_name),
        };
        details.push_str(&format!("Returns {returns}"));
        if let Some(accept) = accept_header(op) {
            details.push_str(&format!(" (`Accept: {accept}`)"));
        }
        details.push_str(".\n\n| Status | Meaning |\n| --- | --- |\n");
        for r in &op.responses {
            let status = match r.status {
                StatusMatch::Code(c) => c.to_string(),
                StatusMatch::Range(d) => format!("{d}XX"),
                StatusMatch::Default => "default".into(),
            };
            details.push_str(&format!("| {status} | {} |\n", r.description.trim().replace('|', "\\|")));
        }
        details.push('\n');
    }
    let server = api.servers.first().map(|s| s.default_url.as_str()).unwrap_or("");
    GeneratedFile {
        path: "README.md".into(),
        contents: fill(
            README,
            &[
                ("spec", &options.spec_label),
                ("name", &options.crate_name),
                ("title", &api.title),
                ("server", server),
                ("operations", table.trim_end()),
                ("details", details.trim_end()),
            ],
        ),
    }
}

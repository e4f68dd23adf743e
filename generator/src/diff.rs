//! `apigen diff`: what a spec change means to a caller, found by comparing
//! the clients the two specs generate (their IRs), not their text. Each
//! change has a kind, a place, and whether code written against the old
//! client may stop compiling or behaving as before.
//!
//! What breaks follows from the generated crate's shape: required
//! parameters are the method's arguments and optional ones its setters;
//! structs are `#[non_exhaustive]` with a `new` of their required fields;
//! enums, error enums and success enums are `#[non_exhaustive]`. So an added
//! optional field, enum value, error status or optional parameter breaks
//! nothing, and what changes a signature or a type does.

use std::collections::BTreeMap;
use std::fmt;

use crate::ir::{Api, Field, Operation, Param, ParamLocation, Response, SecurityKind, StatusMatch, TypeDef, TypeKind, TypeRef};

/// How a change affects callers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Code written against the old client may not compile, or may do
    /// something else.
    Breaking,
    /// Something new; old code compiles and works as before.
    Addition,
    /// Something changes on the wire or in behaviour, but not in the API
    /// callers write against.
    Change,
    /// Only documentation changes.
    Docs,
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Change {
    /// What happened, as a short tag: `operation-removed`, `field-added`...
    pub kind: &'static str,
    /// Where: `operation getUser`, `operation getUser / query parameter id`,
    /// `type User / field name`...
    pub path: String,
    /// Whether it breaks callers.
    pub breaking: bool,
    /// Its impact, finer than `breaking`.
    pub impact: Impact,
    /// What changed, in words.
    pub detail: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.impact {
            Impact::Breaking => "breaking",
            Impact::Addition => "addition",
            Impact::Change => "change",
            Impact::Docs => "docs",
        };
        write!(f, "{tag:<9} {:<22} {}: {}", self.kind, self.path, self.detail)
    }
}

/// The semver bump a set of changes calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Docs only.
    Patch,
    /// Additions or compatible changes.
    Minor,
    /// Something breaks.
    Major,
}

/// The text report: a summary line, then one line per change.
pub fn report(changes: &[Change]) -> String {
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let bump = match bump(changes) {
        Bump::None => "none",
        Bump::Patch => "patch",
        Bump::Minor => "minor",
        Bump::Major => "major",
    };
    let mut out = format!("{} change(s), {breaking} breaking; semver bump: {bump}\n", changes.len());
    for c in changes {
        out.push_str(&format!("{c}\n"));
    }
    out
}

/// The bump `changes` call for.
pub fn bump(changes: &[Change]) -> Bump {
    changes
        .iter()
        .map(|c| match c.impact {
            Impact::Breaking => Bump::Major,
            Impact::Addition | Impact::Change => Bump::Minor,
            Impact::Docs => Bump::Patch,
        })
        .max()
        .unwrap_or(Bump::None)
}

/// Every change from `old` to `new`, in a fixed order: operations in the new
/// spec's order (removed ones first), then types by name, then servers and
/// security schemes.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Changes(Vec::new());
    out.operations(old, new);
    out.types(old, new);
    out.servers(old, new);
    out.security(old, new);
    out.features(old, new);
    if old.description != new.description || old.title != new.title {
        out.push("api-docs", "api".into(), Impact::Docs, "the API's title or description changed".into());
    }
    out.0
}

struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, kind: &'static str, path: String, impact: Impact, detail: String) {
        self.0.push(Change { kind, path, breaking: impact == Impact::Breaking, impact, detail });
    }

    fn operations(&mut self, old: &Api, new: &Api) {
        let before: BTreeMap<&str, &Operation> = old.operations.iter().map(|o| (o.api_name.as_str(), o)).collect();
        let after: BTreeMap<&str, &Operation> = new.operations.iter().map(|o| (o.api_name.as_str(), o)).collect();
        // An operation is the same one under another operationId when its
        // method and path are those of one that is gone.
        let gone: Vec<&Operation> = old.operations.iter().filter(|o| !after.contains_key(o.api_name.as_str())).collect();
        let came: Vec<&Operation> = new.operations.iter().filter(|o| !before.contains_key(o.api_name.as_str())).collect();
        let same_place = |a: &Operation, b: &Operation| a.method == b.method && a.path == b.path;
        let renamed = |op: &Operation| came.iter().copied().find(|n| same_place(op, n));
        for op in &gone {
            if renamed(op).is_none() {
                let detail = format!("`{}` ({} {}) is gone", op.rust_name, op.method.as_str(), op.path);
                self.push("operation-removed", operation_path(op), Impact::Breaking, detail);
            }
        }
        for op in &new.operations {
            match before.get(op.api_name.as_str()) {
                Some(was) => self.operation(was, op),
                None => match gone.iter().copied().find(|o| same_place(o, op)) {
                    Some(was) => {
                        let detail = format!("operationId `{}` is now `{}`", was.api_name, op.api_name);
                        self.push("operation-id-changed", operation_path(op), Impact::Change, detail);
                        self.operation(was, op);
                    }
                    None => {
                        let detail = format!("`{}` ({} {})", op.rust_name, op.method.as_str(), op.path);
                        self.push("operation-added", operation_path(op), Impact::Addition, detail);
                    }
                },
            }
        }
    }

    /// A crate whose operations become groups, or one group: `default`
    /// then turns on the groups instead of `serde-all`, or the reverse.
    fn features(&mut self, old: &Api, new: &Api) {
        match (old.features.is_empty(), new.features.is_empty()) {
            (true, false) => self.push(
                "features-added",
                "features".into(),
                Impact::Breaking,
                "the operations are now in groups, each a feature; `default` turns them on and no longer `serde-all`".into(),
            ),
            (false, true) => self.push(
                "features-removed",
                "features".into(),
                Impact::Breaking,
                "the operations are now one group: the group features are gone".into(),
            ),
            _ => {}
        }
    }

    fn operation(&mut self, was: &Operation, now: &Operation) {
        let at = operation_path(now);
        if let (Some(a), Some(b)) = (&was.feature, &now.feature) {
            if a != b {
                // An application that turns on only `a` loses the method.
                let detail = format!("`{}` is now in the feature `{b}`, no longer `{a}`", now.rust_name);
                self.push("operation-regrouped", at.clone(), Impact::Breaking, detail);
            }
        }
        if was.rust_name != now.rust_name {
            let detail = format!("the method `{}` is now `{}`", was.rust_name, now.rust_name);
            self.push("operation-renamed", at.clone(), Impact::Breaking, detail);
        }
        if was.method != now.method || was.path != now.path {
            let detail = format!("{} {} is now {} {}", was.method.as_str(), was.path, now.method.as_str(), now.path);
            self.push("operation-moved", at.clone(), Impact::Change, detail);
        }
        if !was.deprecated && now.deprecated {
            self.push("operation-deprecated", at.clone(), Impact::Docs, "marked deprecated".into());
        }
        if was.summary != now.summary || was.description != now.description {
            self.push("operation-docs", at.clone(), Impact::Docs, "summary or description changed".into());
        }
        self.params(&at, &was.params, &now.params);
        match (&was.body, &now.body) {
            (None, None) => {}
            (Some(_), None) => self.push("body-removed", format!("{at} / body"), Impact::Breaking, "the request body is gone".into()),
            (None, Some(b)) => {
                let impact = if b.required { Impact::Breaking } else { Impact::Addition };
                let detail = format!("{} `{}` body", if b.required { "a required" } else { "an optional" }, type_text(&b.ty));
                self.push("body-added", format!("{at} / body"), impact, detail);
            }
            (Some(a), Some(b)) => {
                if a.ty != b.ty {
                    let detail = format!("`{}` is now `{}`", type_text(&a.ty), type_text(&b.ty));
                    self.push("body-type-changed", format!("{at} / body"), Impact::Breaking, detail);
                }
                if a.required != b.required {
                    let detail = if b.required { "now required: an argument of the method" } else { "now optional: a setter" };
                    self.push("body-required-changed", format!("{at} / body"), Impact::Breaking, detail.into());
                }
                if a.media_type != b.media_type {
                    let detail = format!("sent as `{}`, was `{}`", b.media_type, a.media_type);
                    self.push("body-media-type-changed", format!("{at} / body"), Impact::Change, detail);
                }
            }
        }
        self.responses(&at, was, now);
    }

    fn params(&mut self, at: &str, was: &[Param], now: &[Param]) {
        let key = |p: &Param| (location(p.location), p.api_name.clone());
        let before: BTreeMap<_, &Param> = was.iter().map(|p| (key(p), p)).collect();
        let after: BTreeMap<_, &Param> = now.iter().map(|p| (key(p), p)).collect();
        for p in was {
            if !after.contains_key(&key(p)) {
                let detail = format!("`{}` is gone", p.rust_name);
                self.push("parameter-removed", param_path(at, p), Impact::Breaking, detail);
            }
        }
        // The method's arguments are the required parameters in order: a
        // new order breaks calls even when each parameter stays.
        let order = |ps: &[Param]| ps.iter().filter(|p| p.required).map(key).collect::<Vec<_>>();
        let (old_order, new_order) = (order(was), order(now));
        for p in now {
            let Some(q) = before.get(&key(p)) else {
                let (impact, detail) = if p.required {
                    (Impact::Breaking, format!("`{}`, required: a new argument of the method", p.rust_name))
                } else {
                    (Impact::Addition, format!("`{}`, optional: a new setter", p.rust_name))
                };
                self.push("parameter-added", param_path(at, p), impact, detail);
                continue;
            };
            let here = param_path(at, p);
            if q.rust_name != p.rust_name {
                let detail = format!("`{}` is now `{}`", q.rust_name, p.rust_name);
                self.push("parameter-renamed", here.clone(), Impact::Breaking, detail);
            }
            if q.required != p.required {
                let detail = if p.required {
                    "now required: an argument of the method, no longer a setter"
                } else {
                    "now optional: a setter, no longer an argument of the method"
                };
                self.push("parameter-required-changed", here.clone(), Impact::Breaking, detail.into());
            }
            if q.ty != p.ty {
                let detail = format!("`{}` is now `{}`", type_text(&q.ty), type_text(&p.ty));
                self.push("parameter-type-changed", here.clone(), Impact::Breaking, detail);
            }
            if q.style != p.style {
                self.push("parameter-style-changed", here.clone(), Impact::Change, "written differently in the query".into());
            }
            if !q.deprecated && p.deprecated {
                self.push("parameter-deprecated", here.clone(), Impact::Docs, "marked deprecated".into());
            }
            if q.description != p.description || q.default != p.default {
                self.push("parameter-docs", here, Impact::Docs, "description or default changed".into());
            }
        }
        let kept = |order: &[(&'static str, String)], other: &BTreeMap<(&'static str, String), &Param>| {
            order.iter().filter(|k| other.get(*k).is_some_and(|p| p.required)).cloned().collect::<Vec<_>>()
        };
        if kept(&old_order, &after) != kept(&new_order, &before) {
            self.push("arguments-reordered", at.to_string(), Impact::Breaking, "the method's arguments come in another order".into());
        }
    }

    fn responses(&mut self, at: &str, was: &Operation, now: &Operation) {
        let before: BTreeMap<StatusMatch, &Response> = was.responses.iter().map(|r| (r.status, r)).collect();
        let after: BTreeMap<StatusMatch, &Response> = now.responses.iter().map(|r| (r.status, r)).collect();
        for r in &was.responses {
            if !after.contains_key(&r.status) {
                let what = if r.success { "a success" } else { "an error variant" };
                let detail = format!("{what} (`{}`) is gone", r.variant_name);
                self.push("status-removed", status_path(at, r.status), Impact::Breaking, detail);
            }
        }
        for r in &now.responses {
            let here = status_path(at, r.status);
            match before.get(&r.status) {
                None if r.success => {
                    // A success of a new body type changes what `send` returns.
                    let same = was.single_success_type().is_some() && was.single_success_type() == now.single_success_type();
                    let impact = if same { Impact::Addition } else { Impact::Breaking };
                    self.push("status-added", here, impact, "a new success status".into());
                }
                None => {
                    let detail = format!("a new error variant `{}`", r.variant_name);
                    self.push("status-added", here, Impact::Addition, detail);
                }
                Some(q) => {
                    let (a, b) = (q.body.as_ref().map(|b| &b.ty), r.body.as_ref().map(|b| &b.ty));
                    if a != b {
                        let text = |t: Option<&TypeRef>| t.map_or("no body".to_string(), |t| format!("`{}`", type_text(t)));
                        let detail = format!("the body {} is now {}", text(a), text(b));
                        self.push("response-type-changed", here.clone(), Impact::Breaking, detail);
                    }
                    if q.variant_name != r.variant_name {
                        let detail = format!("the variant `{}` is now `{}`", q.variant_name, r.variant_name);
                        self.push("response-renamed", here.clone(), Impact::Breaking, detail);
                    }
                    if q.description != r.description {
                        self.push("response-docs", here, Impact::Docs, "description changed".into());
                    }
                }
            }
        }
    }

    fn types(&mut self, old: &Api, new: &Api) {
        let before: BTreeMap<&str, &TypeDef> = old.types.iter().map(|t| (t.rust_name.as_str(), t)).collect();
        let after: BTreeMap<&str, &TypeDef> = new.types.iter().map(|t| (t.rust_name.as_str(), t)).collect();
        for (name, t) in &before {
            if !after.contains_key(name) {
                let detail = format!("`{}` is gone", t.rust_name);
                self.push("type-removed", format!("type {name}"), Impact::Breaking, detail);
            }
        }
        for (name, t) in &after {
            let at = format!("type {name}");
            let Some(was) = before.get(name) else {
                self.push("type-added", at, Impact::Addition, format!("`{}`, {}", t.rust_name, kind_text(&t.kind)));
                continue;
            };
            if was.description != t.description {
                self.push("type-docs", at.clone(), Impact::Docs, "description changed".into());
            }
            match (&was.kind, &t.kind) {
                (TypeKind::Struct { fields: a }, TypeKind::Struct { fields: b }) => self.fields(&at, a, b),
                (TypeKind::Enum { variants: a }, TypeKind::Enum { variants: b }) => {
                    let names = |vs: &[crate::ir::Variant]| vs.iter().map(|v| v.api_name.clone()).collect::<Vec<_>>();
                    let (a_names, b_names) = (names(a), names(b));
                    for v in a.iter().filter(|v| !b_names.contains(&v.api_name)) {
                        let detail = format!("`{}` (`{}`) is gone; the value decodes into `Unknown`", v.rust_name, v.api_name);
                        self.push("enum-value-removed", format!("{at} / value {}", v.api_name), Impact::Breaking, detail);
                    }
                    for v in b.iter().filter(|v| !a_names.contains(&v.api_name)) {
                        let detail = format!("`{}` (`{}`)", v.rust_name, v.api_name);
                        self.push("enum-value-added", format!("{at} / value {}", v.api_name), Impact::Addition, detail);
                    }
                    for v in b {
                        if let Some(w) = a.iter().find(|w| w.api_name == v.api_name && w.rust_name != v.rust_name) {
                            let detail = format!("`{}` is now `{}`", w.rust_name, v.rust_name);
                            self.push("enum-value-renamed", format!("{at} / value {}", v.api_name), Impact::Breaking, detail);
                        }
                    }
                }
                (TypeKind::Union { variants: a, .. }, TypeKind::Union { variants: b, .. }) => {
                    for v in a.iter().filter(|v| !b.iter().any(|w| w.rust_name == v.rust_name && w.ty == v.ty)) {
                        let detail = format!("`{}({})` is gone or changed", v.rust_name, type_text(&v.ty));
                        self.push("union-variant-removed", format!("{at} / variant {}", v.rust_name), Impact::Breaking, detail);
                    }
                    for v in b.iter().filter(|v| !a.iter().any(|w| w.rust_name == v.rust_name && w.ty == v.ty)) {
                        let detail = format!("`{}({})`", v.rust_name, type_text(&v.ty));
                        self.push("union-variant-added", format!("{at} / variant {}", v.rust_name), Impact::Addition, detail);
                    }
                }
                (TypeKind::Alias(a), TypeKind::Alias(b)) if a == b => {}
                (a, b) => {
                    let detail = format!("{} is now {}", kind_text(a), kind_text(b));
                    self.push("type-changed", at, Impact::Breaking, detail);
                }
            }
        }
    }

    fn fields(&mut self, at: &str, was: &[Field], now: &[Field]) {
        let before: BTreeMap<&str, &Field> = was.iter().map(|f| (f.api_name.as_str(), f)).collect();
        let after: BTreeMap<&str, &Field> = now.iter().map(|f| (f.api_name.as_str(), f)).collect();
        for f in was {
            if !after.contains_key(f.api_name.as_str()) {
                let detail = format!("`{}` is gone", f.rust_name);
                self.push("field-removed", format!("{at} / field {}", f.api_name), Impact::Breaking, detail);
            }
        }
        for f in now {
            let here = format!("{at} / field {}", f.api_name);
            let Some(g) = before.get(f.api_name.as_str()) else {
                let (impact, detail) = if f.required {
                    (Impact::Breaking, format!("`{}`, required: a new argument of `new`", f.rust_name))
                } else {
                    (Impact::Addition, format!("`{}`, optional", f.rust_name))
                };
                self.push("field-added", here, impact, detail);
                continue;
            };
            if g.rust_name != f.rust_name {
                let detail = format!("`{}` is now `{}`", g.rust_name, f.rust_name);
                self.push("field-renamed", here.clone(), Impact::Breaking, detail);
            }
            if g.required != f.required {
                let detail = if f.required { "now required" } else { "now optional: an `Option`" };
                self.push("field-required-changed", here.clone(), Impact::Breaking, detail.into());
            }
            if g.ty != f.ty || g.nullable != f.nullable || g.send_null != f.send_null {
                let detail = format!("`{}` is now `{}`", field_type_text(g), field_type_text(f));
                self.push("field-type-changed", here.clone(), Impact::Breaking, detail);
            }
            if !g.deprecated && f.deprecated {
                self.push("field-deprecated", here.clone(), Impact::Docs, "marked deprecated".into());
            }
            if g.description != f.description {
                self.push("field-docs", here, Impact::Docs, "description changed".into());
            }
        }
    }

    fn servers(&mut self, old: &Api, new: &Api) {
        let (a, b) = (old.servers.first(), new.servers.first());
        if a.map(|s| &s.default_url) != b.map(|s| &s.default_url) {
            let url = |s: Option<&crate::ir::Server>| s.map_or("none".to_string(), |s| s.default_url.clone());
            let detail = format!("the default base URL {} is now {}", url(a), url(b));
            self.push("server-changed", "server".into(), Impact::Change, detail);
        }
        let vars = |s: Option<&crate::ir::Server>| s.map(|s| s.variables.clone()).unwrap_or_default();
        let (va, vb) = (vars(a), vars(b));
        for v in va.iter().filter(|v| !vb.iter().any(|w| w.rust_name == v.rust_name)) {
            let detail = format!("the builder's `{}` is gone", v.rust_name);
            self.push("server-variable-removed", format!("server / variable {}", v.name), Impact::Breaking, detail);
        }
        for v in vb.iter().filter(|v| !va.iter().any(|w| w.rust_name == v.rust_name)) {
            let detail = format!("the builder's `{}`", v.rust_name);
            self.push("server-variable-added", format!("server / variable {}", v.name), Impact::Addition, detail);
        }
    }

    fn security(&mut self, old: &Api, new: &Api) {
        for s in &old.security {
            match new.security.iter().find(|t| t.name == s.name) {
                None => {
                    self.push("security-removed", format!("security {}", s.name), Impact::Breaking, security_text(&s.kind));
                }
                Some(t) if t.kind != s.kind => {
                    let detail = format!("{} is now {}", security_text(&s.kind), security_text(&t.kind));
                    self.push("security-changed", format!("security {}", s.name), Impact::Breaking, detail);
                }
                Some(_) => {}
            }
        }
        for t in new.security.iter().filter(|t| !old.security.iter().any(|s| s.name == t.name)) {
            self.push("security-added", format!("security {}", t.name), Impact::Addition, security_text(&t.kind));
        }
    }
}

fn operation_path(op: &Operation) -> String {
    format!("operation {}", op.api_name)
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path parameter",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Part => "form field",
    }
}

fn param_path(at: &str, p: &Param) -> String {
    format!("{at} / {} {}", location(p.location), p.api_name)
}

fn status_path(at: &str, status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => format!("{at} / status {c}"),
        StatusMatch::Range(d) => format!("{at} / status {d}XX"),
        StatusMatch::Default => format!("{at} / status default"),
    }
}

/// A type as a caller writes it: as the README names it.
fn type_text(ty: &TypeRef) -> String {
    crate::emit::manifest_type_name(ty)
}

fn field_type_text(f: &Field) -> String {
    let mut text = type_text(&f.ty);
    if !f.required || f.nullable {
        text = format!("Option<{text}>");
    }
    if f.send_null {
        text = format!("Option<{text}>");
    }
    text
}

fn kind_text(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Struct { .. } => "a struct".into(),
        TypeKind::Enum { .. } => "an enum".into(),
        TypeKind::Alias(t) => format!("another name for `{}`", type_text(t)),
        TypeKind::Union { .. } => "a union".into(),
    }
}

fn security_text(kind: &SecurityKind) -> String {
    match kind {
        SecurityKind::Bearer => "a bearer token".into(),
        SecurityKind::OAuth2ClientCredentials { .. } => "OAuth 2 client credentials".into(),
        SecurityKind::Basic => "HTTP Basic".into(),
        SecurityKind::ApiKey { param, setter, .. } => format!("an API key in `{param}`, set by `{setter}`"),
        SecurityKind::Other { summary } => summary.clone(),
    }
}

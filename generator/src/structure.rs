//! The shape of an OpenAPI document: which fields each kind of object has,
//! and what kind each field holds. One walk over the document checks it.
//!
//! `openapiv3` reads with serde, which drops fields it does not know, so a
//! misspelt `summmary` or a Swagger 2.0 `schema` directly under a response
//! would pass without a word while the client silently lost what they meant.
//! OpenAPI's objects are closed (only `x-` extensions may be added), so an
//! unknown field in one is an error, as it is for an OpenAPI validator. A
//! schema is JSON Schema, where unknown keywords are annotations: there an
//! unknown keyword is a warning.
//!
//! The tables follow the OpenAPI 3.0.3 and 3.1.0 specifications' field
//! lists; fields that only 3.1 has are accepted only in a 3.1 document.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;

/// What a node of the document is.
#[derive(Clone, Copy)]
enum Kind {
    Object(&'static Shape),
    /// A map whose values are of one kind (`paths`, `responses`, ...).
    MapOf(&'static Kind),
    /// A list whose items are of one kind.
    ListOf(&'static Kind),
    /// A Callback Object: path items by expression.
    Callback,
    Schema,
    /// Data, or a structure this walk does not look into.
    Any,
}

/// An OpenAPI object: its name in the specification and its fields.
struct Shape {
    name: &'static str,
    role: Role,
    fields: &'static [(&'static str, &'static Kind)],
    /// Fields only OpenAPI 3.1 has.
    fields_31: &'static [(&'static str, &'static Kind)],
}

// Statics, not consts: the shapes refer to each other in cycles (a path item
// holds operations, whose callbacks hold path items).
static ANY: Kind = Kind::Any;
static SCHEMA: Kind = Kind::Schema;

macro_rules! shape {
    ($name:ident, $label:literal, $role:ident, [$($field:literal => $kind:expr),* $(,)?] $(, 31: [$($field31:literal => $kind31:expr),* $(,)?])?) => {
        static $name: Shape = Shape {
            name: $label,
            role: Role::$role,
            fields: &[$(($field, &$kind)),*],
            fields_31: &[$($(($field31, &$kind31)),*)?],
        };
    };
}

shape!(DOCUMENT, "OpenAPI Object", Document, [
    "openapi" => ANY, "info" => Kind::Object(&INFO), "servers" => Kind::ListOf(&SERVER_K), "paths" => Kind::MapOf(&PATH_ITEM_K),
    "components" => Kind::Object(&COMPONENTS), "security" => ANY, "tags" => Kind::ListOf(&TAG_K),
    "externalDocs" => Kind::Object(&EXTERNAL_DOCS),
], 31: ["webhooks" => Kind::MapOf(&PATH_ITEM_K), "jsonSchemaDialect" => ANY]);
shape!(INFO, "Info Object", Other, [
    "title" => ANY, "description" => ANY, "termsOfService" => ANY, "contact" => Kind::Object(&CONTACT),
    "license" => Kind::Object(&LICENSE), "version" => ANY,
], 31: ["summary" => ANY]);
shape!(CONTACT, "Contact Object", Other, ["name" => ANY, "url" => ANY, "email" => ANY]);
shape!(LICENSE, "License Object", Other, ["name" => ANY, "url" => ANY], 31: ["identifier" => ANY]);
shape!(SERVER, "Server Object", Other, ["url" => ANY, "description" => ANY, "variables" => Kind::MapOf(&SERVER_VARIABLE_K)]);
shape!(SERVER_VARIABLE, "Server Variable Object", Other, ["enum" => ANY, "default" => ANY, "description" => ANY]);
shape!(COMPONENTS, "Components Object", Other, [
    "schemas" => Kind::MapOf(&SCHEMA), "responses" => Kind::MapOf(&RESPONSE_K), "parameters" => Kind::MapOf(&PARAMETER_K),
    "examples" => Kind::MapOf(&EXAMPLE_K), "requestBodies" => Kind::MapOf(&REQUEST_BODY_K), "headers" => Kind::MapOf(&HEADER_K),
    "securitySchemes" => Kind::MapOf(&SECURITY_SCHEME_K), "links" => Kind::MapOf(&LINK_K), "callbacks" => Kind::MapOf(&CALLBACK_K),
], 31: ["pathItems" => Kind::MapOf(&PATH_ITEM_K)]);
shape!(PATH_ITEM, "Path Item Object", PathItem, [
    "$ref" => ANY, "summary" => ANY, "description" => ANY, "get" => OPERATION_K, "put" => OPERATION_K, "post" => OPERATION_K,
    "delete" => OPERATION_K, "options" => OPERATION_K, "head" => OPERATION_K, "patch" => OPERATION_K, "trace" => OPERATION_K,
    "servers" => Kind::ListOf(&SERVER_K), "parameters" => Kind::ListOf(&PARAMETER_K),
]);
shape!(OPERATION, "Operation Object", Operation, [
    "tags" => ANY, "summary" => ANY, "description" => ANY, "externalDocs" => Kind::Object(&EXTERNAL_DOCS),
    "operationId" => ANY, "parameters" => Kind::ListOf(&PARAMETER_K), "requestBody" => REQUEST_BODY_K,
    "responses" => Kind::MapOf(&RESPONSE_K), "callbacks" => Kind::MapOf(&CALLBACK_K), "deprecated" => ANY,
    "security" => ANY, "servers" => Kind::ListOf(&SERVER_K),
]);
shape!(EXTERNAL_DOCS, "External Documentation Object", Other, ["description" => ANY, "url" => ANY]);
shape!(PARAMETER, "Parameter Object", Parameter, [
    "name" => ANY, "in" => ANY, "description" => ANY, "required" => ANY, "deprecated" => ANY, "allowEmptyValue" => ANY,
    "style" => ANY, "explode" => ANY, "allowReserved" => ANY, "schema" => SCHEMA, "example" => ANY,
    "examples" => Kind::MapOf(&EXAMPLE_K), "content" => Kind::MapOf(&MEDIA_TYPE_K),
]);
shape!(HEADER, "Header Object", Header, [
    "description" => ANY, "required" => ANY, "deprecated" => ANY, "allowEmptyValue" => ANY,
    "style" => ANY, "explode" => ANY, "allowReserved" => ANY, "schema" => SCHEMA, "example" => ANY,
    "examples" => Kind::MapOf(&EXAMPLE_K), "content" => Kind::MapOf(&MEDIA_TYPE_K),
]);
shape!(REQUEST_BODY, "Request Body Object", RequestBody, ["description" => ANY, "content" => Kind::MapOf(&MEDIA_TYPE_K), "required" => ANY]);
shape!(MEDIA_TYPE, "Media Type Object", MediaType, [
    "schema" => SCHEMA, "example" => ANY, "examples" => Kind::MapOf(&EXAMPLE_K), "encoding" => Kind::MapOf(&ENCODING_K),
]);
shape!(ENCODING, "Encoding Object", Other, [
    "contentType" => ANY, "headers" => Kind::MapOf(&HEADER_K), "style" => ANY, "explode" => ANY, "allowReserved" => ANY,
]);
shape!(RESPONSE, "Response Object", Response, [
    "description" => ANY, "headers" => Kind::MapOf(&HEADER_K), "content" => Kind::MapOf(&MEDIA_TYPE_K),
    "links" => Kind::MapOf(&LINK_K),
]);
shape!(EXAMPLE, "Example Object", Example, ["summary" => ANY, "description" => ANY, "value" => ANY, "externalValue" => ANY]);
shape!(LINK, "Link Object", Link, [
    "operationRef" => ANY, "operationId" => ANY, "parameters" => ANY, "requestBody" => ANY, "description" => ANY,
    "server" => Kind::Object(&SERVER),
]);
shape!(TAG, "Tag Object", Other, ["name" => ANY, "description" => ANY, "externalDocs" => Kind::Object(&EXTERNAL_DOCS)]);
shape!(SECURITY_SCHEME, "Security Scheme Object", SecurityScheme, [
    "type" => ANY, "description" => ANY, "name" => ANY, "in" => ANY, "scheme" => ANY, "bearerFormat" => ANY,
    "flows" => Kind::Object(&OAUTH_FLOWS), "openIdConnectUrl" => ANY,
]);
shape!(OAUTH_FLOWS, "OAuth Flows Object", Other, [
    "implicit" => OAUTH_FLOW_K, "password" => OAUTH_FLOW_K, "clientCredentials" => OAUTH_FLOW_K,
    "authorizationCode" => OAUTH_FLOW_K,
]);
shape!(OAUTH_FLOW, "OAuth Flow Object", Other, ["authorizationUrl" => ANY, "tokenUrl" => ANY, "refreshUrl" => ANY, "scopes" => ANY]);

static SERVER_K: Kind = Kind::Object(&SERVER);
static SERVER_VARIABLE_K: Kind = Kind::Object(&SERVER_VARIABLE);
static PATH_ITEM_K: Kind = Kind::Object(&PATH_ITEM);
static OPERATION_K: Kind = Kind::Object(&OPERATION);
static PARAMETER_K: Kind = Kind::Object(&PARAMETER);
static HEADER_K: Kind = Kind::Object(&HEADER);
static REQUEST_BODY_K: Kind = Kind::Object(&REQUEST_BODY);
static MEDIA_TYPE_K: Kind = Kind::Object(&MEDIA_TYPE);
static ENCODING_K: Kind = Kind::Object(&ENCODING);
static RESPONSE_K: Kind = Kind::Object(&RESPONSE);
static EXAMPLE_K: Kind = Kind::Object(&EXAMPLE);
static LINK_K: Kind = Kind::Object(&LINK);
static TAG_K: Kind = Kind::Object(&TAG);
static SECURITY_SCHEME_K: Kind = Kind::Object(&SECURITY_SCHEME);
static OAUTH_FLOW_K: Kind = Kind::Object(&OAUTH_FLOW);
static CALLBACK_K: Kind = Kind::Callback;

/// Keywords of the Schema Object: OpenAPI 3.0's, and the JSON Schema
/// keywords 3.1 allows (read or ignored, but not mistakes).
const SCHEMA_KEYWORDS: &[&str] = &[
    "$anchor",
    "$comment",
    "$defs",
    "$id",
    "$schema",
    "contains",
    "contentEncoding",
    "contentMediaType",
    "definitions",
    "dependentRequired",
    "dependentSchemas",
    "else",
    "if",
    "maxContains",
    "minContains",
    "patternProperties",
    "prefixItems",
    "propertyNames",
    "then",
    "unevaluatedItems",
    "unevaluatedProperties",
    "$ref",
    "additionalProperties",
    "allOf",
    "anyOf",
    "default",
    "deprecated",
    "description",
    "discriminator",
    "enum",
    "example",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "externalDocs",
    "format",
    "items",
    "maxItems",
    "maxLength",
    "maxProperties",
    "maximum",
    "minItems",
    "minLength",
    "minProperties",
    "minimum",
    "multipleOf",
    "not",
    "nullable",
    "oneOf",
    "pattern",
    "properties",
    "readOnly",
    "required",
    "title",
    "type",
    "uniqueItems",
    "writeOnly",
    "xml",
];

/// What a node of the document is, for the passes that act on one kind of
/// node: the bundler places a referenced node by it, the 3.1 normalizer
/// rewrites schemas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Document,
    Schema,
    Parameter,
    Header,
    RequestBody,
    MediaType,
    Response,
    Example,
    Link,
    Callback,
    PathItem,
    Operation,
    SecurityScheme,
    /// Any other OpenAPI object (info, server, tag, ...).
    Other,
}

impl Role {
    fn kind(self) -> Kind {
        match self {
            Role::Document => Kind::Object(&DOCUMENT),
            Role::Schema => Kind::Schema,
            Role::Parameter => PARAMETER_K,
            Role::Header => HEADER_K,
            Role::RequestBody => REQUEST_BODY_K,
            Role::MediaType => MEDIA_TYPE_K,
            Role::Response => RESPONSE_K,
            Role::Example => EXAMPLE_K,
            Role::Link => LINK_K,
            Role::Callback => Kind::Callback,
            Role::PathItem => PATH_ITEM_K,
            Role::Operation => OPERATION_K,
            Role::SecurityScheme => SECURITY_SCHEME_K,
            Role::Other => Kind::Any,
        }
    }
}

/// Visits every OpenAPI object and schema under `value`, which is a node
/// of kind `at`, top-down: `visitor` gets each with its role and the tokens
/// of its path below `value`, and may change it before the walk goes into
/// what it then holds. Fields of both 3.0 and 3.1 are followed; unknown
/// fields, extensions and data (examples, defaults, enums) are not.
pub fn visit_mut(value: &mut Value, at: Role, visitor: &mut dyn FnMut(&mut Value, Role, &[String])) {
    let mut path = Vec::new();
    node_mut(value, at.kind(), &mut path, visitor);
}

fn node_mut(
    value: &mut Value,
    kind: Kind,
    path: &mut Vec<String>,
    visitor: &mut dyn FnMut(&mut Value, Role, &[String]),
) {
    match kind {
        Kind::Object(shape) => visitor(value, shape.role, path),
        Kind::Schema => visitor(value, Role::Schema, path),
        Kind::Callback => visitor(value, Role::Callback, path),
        _ => {}
    }
    let mut child = |path: &mut Vec<String>, token: &str, value: &mut Value, kind: Kind| {
        path.push(token.to_string());
        node_mut(value, kind, path, visitor);
        path.pop();
    };
    match (kind, value) {
        (Kind::Object(shape), Value::Object(map)) => {
            if map.contains_key("$ref") && shape.role != Role::PathItem {
                return;
            }
            for (key, value) in map.iter_mut() {
                if let Some((_, kind)) = shape.fields.iter().chain(shape.fields_31).find(|(name, _)| name == key) {
                    child(path, key, value, **kind);
                }
            }
        }
        (Kind::MapOf(inner), Value::Object(map)) => {
            for (key, value) in map.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
                child(path, key, value, *inner);
            }
        }
        (Kind::Callback, Value::Object(map)) if !map.contains_key("$ref") => {
            for (key, value) in map.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
                child(path, key, value, PATH_ITEM_K);
            }
        }
        (Kind::ListOf(inner), Value::Array(items)) => {
            for (i, value) in items.iter_mut().enumerate() {
                child(path, &i.to_string(), value, *inner);
            }
        }
        (Kind::Schema, Value::Object(map)) => {
            for (key, value) in map.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
                let kind = schema_child(key, value);
                child(path, key, value, kind);
            }
        }
        _ => {}
    }
}

/// The kind of a schema keyword's value.
fn schema_child(key: &str, value: &Value) -> Kind {
    match key {
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => Kind::MapOf(&SCHEMA),
        "allOf" | "oneOf" | "anyOf" | "prefixItems" => Kind::ListOf(&SCHEMA),
        // `items` is one schema (a list of them in old JSON Schema).
        "items" if value.is_array() => Kind::ListOf(&SCHEMA),
        // `additionalProperties: false` is a plain flag in 3.0 too.
        "additionalProperties" if value.is_boolean() => Kind::Any,
        "items"
        | "not"
        | "additionalProperties"
        | "contains"
        | "propertyNames"
        | "if"
        | "then"
        | "else"
        | "unevaluatedItems"
        | "unevaluatedProperties" => Kind::Schema,
        "externalDocs" => Kind::Object(&EXTERNAL_DOCS),
        _ => Kind::Any,
    }
}

/// What the walk found.
#[derive(Default)]
pub struct Findings {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// Checks `doc` against the shape of an OpenAPI document. `is_31` admits
/// the fields only 3.1 has.
pub fn check(doc: &Value, is_31: bool) -> Findings {
    let mut walk = Walk { is_31, path: Vec::new(), found: Findings::default() };
    walk.node(doc, Kind::Object(&DOCUMENT));
    walk.found
}

struct Walk<'v> {
    is_31: bool,
    /// The tokens down to the current node; a pointer string is made only for
    /// a finding, since a large spec has millions of nodes.
    path: Vec<Cow<'v, str>>,
    found: Findings,
}

impl<'v> Walk<'v> {
    fn pointer(&self, key: &str) -> String {
        crate::diagnostic::pointer(self.path.iter().map(|t| t.as_ref()).chain([key]))
    }

    fn child(&mut self, token: impl Into<Cow<'v, str>>, value: &'v Value, kind: Kind) {
        self.path.push(token.into());
        self.node(value, kind);
        self.path.pop();
    }

    fn node(&mut self, value: &'v Value, kind: Kind) {
        match (kind, value) {
            (Kind::Object(shape), Value::Object(map)) => self.object(shape, map),
            (Kind::MapOf(inner), Value::Object(map)) => {
                for (key, child) in map {
                    if !key.starts_with("x-") {
                        self.child(key.as_str(), child, *inner);
                    }
                }
            }
            (Kind::Callback, Value::Object(map)) if !map.contains_key("$ref") => {
                for (key, child) in map {
                    if !key.starts_with("x-") {
                        self.child(key.as_str(), child, PATH_ITEM_K);
                    }
                }
            }
            (Kind::ListOf(inner), Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.child(i.to_string(), item, *inner);
                }
            }
            (Kind::Schema, Value::Object(map)) => self.schema(map),
            // A value of the wrong type is for the typed parse to report.
            _ => {}
        }
    }

    fn object(&mut self, shape: &'static Shape, map: &'v Map<String, Value>) {
        // A Reference Object stands in for the object; its siblings are
        // ignored by OpenAPI 3.0 and are summaries in 3.1.
        if map.contains_key("$ref") && shape.role != Role::PathItem {
            return;
        }
        for (key, child) in map {
            if key.starts_with("x-") {
                continue;
            }
            let field =
                shape.fields.iter().chain(if self.is_31 { shape.fields_31 } else { &[] }).find(|(name, _)| name == key);
            match field {
                Some((_, kind)) => self.child(key.as_str(), child, **kind),
                None => {
                    let error =
                        Diagnostic::error(self.pointer(key), format!("`{key}` is not a field of the {}", shape.name))
                            .with_hint(unknown_field_hint(shape, key, self.is_31));
                    self.found.errors.push(error);
                }
            }
        }
    }

    fn schema(&mut self, map: &'v Map<String, Value>) {
        for (key, child) in map {
            if key.starts_with("x-") {
                continue;
            }
            if !SCHEMA_KEYWORDS.contains(&key.as_str()) {
                let warning =
                    Diagnostic::warning(self.pointer(key), format!("`{key}` is not a schema keyword; it is ignored"))
                        .with_hint(
                        "fix the spelling, or quote a YAML value that contains `, ` so it is not split into a new key",
                    );
                self.found.warnings.push(warning);
                continue;
            }
            let kind = schema_child(key, child);
            self.child(key.as_str(), child, kind);
        }
    }
}

/// Advice for an unknown field: a near spelling, a field from Swagger 2.0
/// or from 3.1, or the extension prefix.
fn unknown_field_hint(shape: &Shape, key: &str, is_31: bool) -> String {
    if !is_31 && shape.fields_31.iter().any(|(name, _)| *name == key) {
        return format!("`{key}` is an OpenAPI 3.1 field; declare `openapi: 3.1.0`, or remove it");
    }
    match (shape.name, key) {
        ("Response Object", "schema") => {
            return "Swagger 2.0 put a response's schema here; in OpenAPI 3 it goes under `content: {<media type>: {schema: ...}}`".into()
        }
        ("Operation Object", "produces" | "consumes") => {
            return "Swagger 2.0's media type lists are gone in OpenAPI 3; name media types under each `content`".into()
        }
        ("Parameter Object", "type" | "format" | "items" | "enum" | "default" | "collectionFormat") => {
            return format!("Swagger 2.0 put `{key}` on the parameter; in OpenAPI 3 it belongs in the parameter's `schema`")
        }
        _ => {}
    }
    let near = shape
        .fields
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| edit_distance(name, key) <= 2)
        .min_by_key(|name| edit_distance(name, key));
    match near {
        Some(name) => {
            format!("did you mean `{name}`? To keep a field of your own, name it `x-{key}`")
        }
        None => {
            let names: Vec<_> = shape.fields.iter().map(|(name, _)| format!("`{name}`")).collect();
            format!("its fields are {}; to keep a field of your own, name it `x-{key}`", names.join(", "))
        }
    }
}

/// Levenshtein distance, for spelling suggestions between short names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(doc: Value) -> Vec<(String, String)> {
        check(&doc, false).errors.into_iter().map(|d| (d.pointer, d.hint.unwrap_or_default())).collect()
    }

    #[test]
    fn a_misspelt_operation_field_is_an_error_with_a_suggestion() {
        let found = errors(json!({"openapi": "3.0.3", "paths": {"/x": {"get": {"summmary": "s", "responses": {}}}}}));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "/paths/~1x/get/summmary");
        assert!(found[0].1.contains("did you mean `summary`"), "{}", found[0].1);
    }

    #[test]
    fn swagger_2_fields_get_their_open_api_3_place() {
        let doc = json!({"openapi": "3.0.3", "paths": {"/x": {"get": {
            "parameters": [{"name": "q", "in": "query", "type": "string"}],
            "responses": {"200": {"description": "ok", "schema": {"type": "string"}}}}}}});
        let found = errors(doc);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().any(|(p, h)| p == "/paths/~1x/get/parameters/0/type" && h.contains("`schema`")));
        assert!(found.iter().any(|(p, h)| p == "/paths/~1x/get/responses/200/schema" && h.contains("content")));
    }

    #[test]
    fn extensions_references_and_schema_property_names_are_not_fields() {
        let doc = json!({"openapi": "3.0.3", "x-top": 1, "paths": {"/x": {"x-any": {"weird": 1}, "get": {
            "x-apigen-poll": {"anything": true},
            "responses": {"200": {"$ref": "#/components/responses/Ok", "note": "ignored"}},
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"summmary": {"type": "string"}, "const": {"type": "string"}}}}}}}}},
            "components": {"schemas": {"A": {"properties": {"in": {"type": "string"}}}}}});
        assert_eq!(errors(doc), vec![]);
    }

    #[test]
    fn fields_of_3_1_are_accepted_only_in_3_1() {
        let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1", "summary": "s"}, "webhooks": {}});
        assert!(check(&doc, true).errors.is_empty());
        let found = errors(doc);
        assert_eq!(found.len(), 2);
        assert!(found[0].1.contains("OpenAPI 3.1 field"));
    }

    #[test]
    fn unknown_schema_keywords_are_warnings_at_any_depth() {
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {"A": {"type": "object",
            "properties": {"b": {"type": "array", "items": {"allOf": [{"tpye": "string"}]}}}}}}});
        let found = check(&doc, false);
        assert!(found.errors.is_empty());
        let pointers: Vec<_> = found.warnings.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["/components/schemas/A/properties/b/items/allOf/0/tpye"]);
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("summary", "summmary"), 1);
        assert_eq!(edit_distance("operationId", "operationID"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}

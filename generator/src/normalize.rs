//! OpenAPI 3.1 into the 3.0 form that `openapiv3` reads. The rewrites keep
//! meaning: `type: [T, "null"]` becomes `type: T` with `nullable: true`,
//! several types become `anyOf`, `const` becomes a one-value `enum`, a
//! schema's `examples` array gives `example`, numeric `exclusiveMinimum` /
//! `exclusiveMaximum` become the boolean form, and `null` members of `oneOf`
//! / `anyOf` become `nullable`.

use serde_json::{json, Map, Value};

/// Whether `version` is an OpenAPI 3.1 version string.
pub fn is_31(version: &str) -> bool {
    version.starts_with("3.1.") || version == "3.1"
}

/// Rewrites a 3.1 document in place.
pub fn normalize_31(doc: &mut Value) {
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("openapi".into(), Value::String("3.0.3".into()));
        // 3.1 documents may have only webhooks or components.
        obj.entry("paths").or_insert_with(|| json!({}));
    }
    // Top-down over every schema the document holds, wherever it stands:
    // property names are names, not keywords, so a property called `const`
    // or `type` stays one.
    crate::structure::visit_mut(doc, crate::structure::Role::Document, &mut |node, role, _| {
        if role == crate::structure::Role::Schema {
            rewrite(node);
        }
    });
}

fn rewrite(node: &mut Value) {
    match node {
        // 3.1's boolean schemas: `true` allows anything, `false` nothing.
        Value::Bool(allows) => *node = if *allows { json!({}) } else { json!({"not": {}}) },
        Value::Object(map) => rewrite_schema(map),
        _ => {}
    }
}

fn rewrite_schema(map: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let mut names: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        let nullable = map.get("type").and_then(Value::as_array).is_some_and(|t| t.iter().any(|x| x == "null"));
        map.remove("type");
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
        match names.len() {
            0 => {}
            1 => {
                map.insert("type".into(), names.remove(0));
            }
            _ => {
                let members: Vec<Value> = names.into_iter().map(|t| json!({ "type": t })).collect();
                map.insert("anyOf".into(), Value::Array(members));
            }
        }
    }
    if map.get("type").is_some_and(|t| t == "null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
    }
    if let Some(constant) = map.remove("const") {
        if !map.contains_key("type") {
            let kind = match &constant {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                Value::Number(_) => Some("number"),
                _ => None,
            };
            if let Some(kind) = kind {
                map.insert("type".into(), Value::String(kind.into()));
            }
        }
        map.insert("enum".into(), Value::Array(vec![constant]));
    }
    if let Some(Value::Array(examples)) = map.get("examples") {
        if let Some(first) = examples.first().cloned() {
            map.entry("example").or_insert(first);
        }
        map.remove("examples");
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(n) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    for combinator in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.get_mut(combinator) {
            let before = members.len();
            members.retain(|m| !(m.get("type").is_some_and(|t| t == "null") && m.as_object().is_some_and(|o| o.len() == 1)));
            if members.len() < before {
                map.insert("nullable".into(), Value::Bool(true));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_31_schemas() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"A": {"type": "object", "properties": {
                "a": {"type": ["string", "null"]},
                "b": {"type": ["string", "integer"]},
                "c": {"const": "x", "examples": ["x"]},
                "d": {"type": "integer", "exclusiveMinimum": 0},
                "e": {"oneOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}]},
                "const": {"type": "string"},
                "type": {"type": ["integer", "null"]},
                "examples": {"type": "array", "items": {"type": "string"}},
                "never": false,
                "anything": true
            }, "additionalProperties": false, "example": {"type": ["kept"], "const": 1}}}}
        });
        normalize_31(&mut doc);
        let p = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(p["a"], json!({"type": "string", "nullable": true}));
        assert_eq!(p["b"], json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}));
        assert_eq!(p["c"], json!({"type": "string", "enum": ["x"], "example": "x"}));
        assert_eq!(p["d"], json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true}));
        assert_eq!(p["e"], json!({"oneOf": [{"$ref": "#/components/schemas/B"}], "nullable": true}));
        assert_eq!(p["never"], json!({"not": {}}));
        assert_eq!(p["anything"], json!({}));
        assert_eq!(doc["components"]["schemas"]["A"]["additionalProperties"], json!(false));
        // Property names are names, and examples are data.
        assert_eq!(p["const"], json!({"type": "string"}));
        assert_eq!(p["type"], json!({"type": "integer", "nullable": true}));
        assert_eq!(p["examples"], json!({"type": "array", "items": {"type": "string"}}));
        assert_eq!(doc["components"]["schemas"]["A"]["example"], json!({"type": ["kept"], "const": 1}));
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["paths"], json!({}));
    }

    /// Schemas are found wherever the document's shape puts them: under a
    /// parameter, a header, a callback's operation and a webhook; not in
    /// an extension, which is data.
    #[test]
    fn rewrites_schemas_wherever_they_stand() {
        let nullable = json!({"type": ["string", "null"]});
        let op = json!({"parameters": [{"name": "q", "in": "query", "schema": nullable}],
            "responses": {"200": {"description": "ok", "headers": {"H": {"schema": nullable}},
                "content": {"application/json": {"schema": nullable}}}},
            "callbacks": {"done": {"{$request.body#/url}": {"post": {"requestBody": {"content": {"application/json": {"schema": nullable}}}, "responses": {}}}}},
            "x-data": {"schema": nullable}});
        let mut doc = json!({"openapi": "3.1.0", "paths": {"/a": {"get": op}}, "webhooks": {"w": {"post": {"requestBody": {"content": {"application/json": {"schema": nullable}}}, "responses": {}}}}});
        normalize_31(&mut doc);
        let rewritten = json!({"type": "string", "nullable": true});
        let get = &doc["paths"]["/a"]["get"];
        assert_eq!(get["parameters"][0]["schema"], rewritten);
        assert_eq!(get["responses"]["200"]["headers"]["H"]["schema"], rewritten);
        assert_eq!(get["responses"]["200"]["content"]["application/json"]["schema"], rewritten);
        assert_eq!(get["callbacks"]["done"]["{$request.body#/url}"]["post"]["requestBody"]["content"]["application/json"]["schema"], rewritten);
        assert_eq!(doc["webhooks"]["w"]["post"]["requestBody"]["content"]["application/json"]["schema"], rewritten);
        assert_eq!(get["x-data"]["schema"], nullable, "extensions are data");
    }
}

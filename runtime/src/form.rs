//! `application/x-www-form-urlencoded` bodies as OpenAPI's `encoding`
//! object describes them: each field of the body's object written by its
//! `style` and `explode` (`form` and exploded unless the spec says other),
//! nested objects and lists as `deepObject` brackets, a field given a JSON
//! `contentType` as JSON text.

use std::borrow::Cow;

use super::error::SendError;

/// How a form field's value is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub enum FormStyle {
    /// `k=a&k=b` exploded, `k=a,b` not; an object's members as fields of
    /// their own exploded, `k=p1,a,p2,b` not.
    Form,
    /// A list as `k=a b`.
    SpaceDelimited,
    /// A list as `k=a|b`.
    PipeDelimited,
    /// `k[p1]=a&k[p2][q]=b&k[list][0]=c`: brackets for every level, lists
    /// by index.
    DeepObject,
}

/// One field's entry of the media type's `encoding` object.
#[derive(Clone, Copy, Debug)]
#[doc(hidden)]
pub struct FormField {
    /// The field's name.
    pub name: &'static str,
    /// Its style.
    pub style: FormStyle,
    /// Whether lists and objects are exploded.
    pub explode: bool,
    /// Whether reserved characters (RFC 3986) are sent as they are.
    pub allow_reserved: bool,
    /// Whether the value is sent as JSON text (`contentType` JSON).
    pub json: bool,
}

impl FormField {
    /// The entry of a field the `encoding` object does not name.
    const DEFAULT: FormField = FormField { name: "", style: FormStyle::Form, explode: true, allow_reserved: false, json: false };
}

/// The body `value` (a JSON object) encoded by `fields`; a field without an
/// entry is `form`, exploded.
#[doc(hidden)]
pub fn encode(value: &serde_json::Value, fields: &[FormField]) -> Result<String, SendError> {
    let serde_json::Value::Object(members) = value else {
        return Err(SendError::InvalidRequest("the body cannot be form-encoded: it is not an object".into()));
    };
    let mut pairs: Vec<(Cow<'_, str>, String, bool)> = Vec::new();
    for (name, value) in members {
        if value.is_null() {
            continue;
        }
        let field = fields.iter().find(|f| f.name == name).copied().unwrap_or(FormField::DEFAULT);
        let reserved = field.allow_reserved;
        if field.json {
            pairs.push((Cow::Borrowed(name), value.to_string(), reserved));
            continue;
        }
        match (field.style, value) {
            (FormStyle::DeepObject, _) => deep(Cow::Borrowed(name), value, reserved, &mut pairs),
            (_, serde_json::Value::Array(items)) if field.explode => {
                pairs.extend(items.iter().map(|item| (Cow::Borrowed(name.as_str()), scalar(item), reserved)));
            }
            (style, serde_json::Value::Array(items)) => {
                let delimiter = match style {
                    FormStyle::SpaceDelimited => " ",
                    FormStyle::PipeDelimited => "|",
                    _ => ",",
                };
                pairs.push((Cow::Borrowed(name), items.iter().map(scalar).collect::<Vec<_>>().join(delimiter), reserved));
            }
            (_, serde_json::Value::Object(object)) if field.explode => {
                pairs.extend(object.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (Cow::Borrowed(k.as_str()), scalar(v), reserved)));
            }
            (_, serde_json::Value::Object(object)) => {
                let flat: Vec<String> = object.iter().filter(|(_, v)| !v.is_null()).flat_map(|(k, v)| [k.clone(), scalar(v)]).collect();
                pairs.push((Cow::Borrowed(name), flat.join(","), reserved));
            }
            (_, scalar_value) => pairs.push((Cow::Borrowed(name), scalar(scalar_value), reserved)),
        }
    }
    let mut out = String::new();
    for (key, value, reserved) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        super::params::form_encode(&key, false, &mut out);
        out.push('=');
        super::params::form_encode(&value, reserved, &mut out);
    }
    Ok(out)
}

/// `deepObject`: every level in brackets, list items by index.
fn deep<'v>(key: Cow<'v, str>, value: &'v serde_json::Value, reserved: bool, pairs: &mut Vec<(Cow<'v, str>, String, bool)>) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Object(object) => {
            for (k, v) in object {
                deep(Cow::Owned(format!("{key}[{k}]")), v, reserved, pairs);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                deep(Cow::Owned(format!("{key}[{i}]")), v, reserved, pairs);
            }
        }
        other => pairs.push((key, scalar(other), reserved)),
    }
}

/// A value as form text: strings as they are, an object or list inside a
/// list as JSON text.
fn scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(name: &'static str, style: FormStyle, explode: bool) -> FormField {
        FormField { name, style, explode, allow_reserved: false, json: false }
    }

    /// Each row: the body, the encoding entries, the form.
    #[test]
    fn fields_are_written_by_their_encoding() {
        let cases: Vec<(serde_json::Value, Vec<FormField>, &str)> = vec![
            (json!({"a": "x y", "b": 1, "c": true, "d": null}), vec![], "a=x+y&b=1&c=true"),
            (json!({"tags": ["a", "b,c"]}), vec![], "tags=a&tags=b%2Cc"),
            (json!({"tags": ["a", "b"]}), vec![field("tags", FormStyle::Form, false)], "tags=a%2Cb"),
            (json!({"tags": ["a", "b"]}), vec![field("tags", FormStyle::SpaceDelimited, false)], "tags=a+b"),
            (json!({"tags": ["a", "b"]}), vec![field("tags", FormStyle::PipeDelimited, false)], "tags=a%7Cb"),
            (json!({"point": {"x": 1, "y": 2}}), vec![], "x=1&y=2"),
            (json!({"point": {"x": 1, "y": 2}}), vec![field("point", FormStyle::Form, false)], "point=x%2C1%2Cy%2C2"),
            (
                json!({"address": {"line1": "1 Main", "geo": {"lat": 1.5}}, "expand": ["a", "b"], "metadata": {}}),
                vec![field("address", FormStyle::DeepObject, true), field("expand", FormStyle::DeepObject, true)],
                "address%5Bline1%5D=1+Main&address%5Bgeo%5D%5Blat%5D=1.5&expand%5B0%5D=a&expand%5B1%5D=b",
            ),
            (
                json!({"items": [{"price": "p_1", "quantity": 2}]}),
                vec![field("items", FormStyle::DeepObject, true)],
                "items%5B0%5D%5Bprice%5D=p_1&items%5B0%5D%5Bquantity%5D=2",
            ),
            (
                json!({"filter": {"a": [1, 2]}}),
                vec![FormField { name: "filter", style: FormStyle::Form, explode: true, allow_reserved: false, json: true }],
                "filter=%7B%22a%22%3A%5B1%2C2%5D%7D",
            ),
            (
                json!({"url": "https://x.test/a?b=c&d"}),
                vec![FormField { name: "url", style: FormStyle::Form, explode: true, allow_reserved: true, json: false }],
                "url=https://x.test/a?b%3Dc%26d",
            ),
        ];
        for (body, fields, expected) in cases {
            assert_eq!(encode(&body, &fields).unwrap(), expected, "{body}");
        }
    }

    #[test]
    fn a_body_that_is_not_an_object_is_refused() {
        assert!(encode(&json!([1]), &[]).is_err());
    }
}

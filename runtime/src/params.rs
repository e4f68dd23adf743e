//! How values are written into paths, query strings and headers.

use std::borrow::Cow;

use super::error::SendError;

/// How a value is written in a path, query or header.
#[doc(hidden)]
pub trait ToParam {
    fn to_param(&self) -> String;
}

macro_rules! to_param_by_display {
    ($($t:ty),*) => {
        $(impl ToParam for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
        })*
    };
}

to_param_by_display!(String, bool, i32, i64, f32, f64);

impl ToParam for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl ToParam for chrono::NaiveDate {
    fn to_param(&self) -> String {
        // `YYYY-MM-DD`; Display is compiled in chrono, where `format` would
        // instantiate chrono's whole formatter in every generated crate.
        self.to_string()
    }
}

impl ToParam for serde_json::Value {
    /// Strings as they are, arrays comma-joined (`simple` style), anything
    /// else as JSON text.
    fn to_param(&self) -> String {
        match self {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(items) => items.iter().map(ToParam::to_param).collect::<Vec<_>>().join(","),
            other => other.to_string(),
        }
    }
}

/// Query pairs in the order they are added; encoded when the URL is built.
///
/// A pair's value is one or more parts joined by a delimiter (`,` for
/// `form` without explode, `%20` for `spaceDelimited`, `|` for
/// `pipeDelimited`): each part is percent-encoded, the delimiter is not, so
/// a `,` inside a value stays apart from the `,` between values.
#[derive(Clone, Debug, Default)]
#[doc(hidden)]
pub struct Query {
    #[doc(hidden)]
    pub pairs: Vec<QueryPair>,
}

/// One `key=value` of a query.
#[derive(Clone, Debug)]
#[doc(hidden)]
pub struct QueryPair {
    #[doc(hidden)]
    pub key: Cow<'static, str>,
    #[doc(hidden)]
    pub parts: Vec<String>,
    /// Written as is between the parts.
    #[doc(hidden)]
    pub delimiter: &'static str,
}

/// `application/x-www-form-urlencoded` as browsers and `url` write it:
/// everything but ASCII letters, digits and `*-._` is percent-encoded.
const FORM: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');

/// [`FORM`] with `allowReserved`: RFC 3986's reserved characters stay, but
/// those that delimit a form (`&`, `=`, `+`).
const FORM_RESERVED: &percent_encoding::AsciiSet = &FORM
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'#')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b';');

/// `text` form-encoded, with RFC 3986's reserved characters kept where
/// `allow_reserved` (a form body's `allowReserved`).
pub(crate) fn form_encode(text: &str, allow_reserved: bool, out: &mut String) {
    let set = if allow_reserved { FORM_RESERVED } else { FORM };
    for piece in percent_encoding::utf8_percent_encode(text, set) {
        // A space is `+` in a form-encoded query.
        if piece == "%20" {
            out.push('+');
        } else {
            out.push_str(piece);
        }
    }
}

impl Query {
    /// `name=value`.
    #[doc(hidden)]
    pub fn push<T: ToParam>(&mut self, name: &'static str, value: &T) {
        self.pairs.push(QueryPair { key: Cow::Borrowed(name), parts: vec![value.to_param()], delimiter: "" });
    }

    /// An object: one pair per property (`style: form`, exploded), or
    /// `name[property]=value` pairs (`style: deepObject`). Absent and null
    /// properties are left out; arrays repeat the key.
    #[doc(hidden)]
    pub fn push_object<T: serde::Serialize>(&mut self, name: &'static str, value: &T, deep: bool) -> Result<(), SendError> {
        for (key, value) in object_properties(name, value)? {
            let key: Cow<'static, str> = if deep { Cow::Owned(format!("{name}[{key}]")) } else { Cow::Owned(key) };
            match value {
                serde_json::Value::Array(items) => {
                    for item in items {
                        self.pairs.push(QueryPair { key: key.clone(), parts: vec![item.to_param()], delimiter: "" });
                    }
                }
                other => self.pairs.push(QueryPair { key, parts: vec![other.to_param()], delimiter: "" }),
            }
        }
        Ok(())
    }

    /// An object as one pair (`style: form`, `explode: false`):
    /// `name=p1,a,p2,b`. Absent and null properties are left out.
    #[doc(hidden)]
    pub fn push_object_joined<T: serde::Serialize>(&mut self, name: &'static str, value: &T) -> Result<(), SendError> {
        let mut parts = Vec::new();
        for (key, value) in object_properties(name, value)? {
            parts.push(key);
            parts.push(value.to_param());
        }
        self.pairs.push(QueryPair { key: Cow::Borrowed(name), parts, delimiter: "," });
        Ok(())
    }

    /// `name=a&name=b` (`style: form`, `explode: true`).
    #[doc(hidden)]
    pub fn push_each<T: ToParam>(&mut self, name: &'static str, values: &[T]) {
        for v in values {
            self.push(name, v);
        }
    }

    /// `name=a<sep>b` (comma for `form` without explode, space, or pipe).
    #[doc(hidden)]
    pub fn push_joined<T: ToParam>(&mut self, name: &'static str, values: &[T], separator: &str) {
        let delimiter = match separator {
            " " => "%20",
            "|" => "|",
            _ => ",",
        };
        let parts = values.iter().map(ToParam::to_param).collect();
        self.pairs.push(QueryPair { key: Cow::Borrowed(name), parts, delimiter });
    }

    /// The encoded query, without the `?`.
    #[doc(hidden)]
    pub fn encoded(&self) -> String {
        let mut out = String::new();
        for (i, pair) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            form_encode(&pair.key, false, &mut out);
            out.push('=');
            for (j, part) in pair.parts.iter().enumerate() {
                if j > 0 {
                    out.push_str(pair.delimiter);
                }
                form_encode(part, false, &mut out);
            }
        }
        out
    }
}

/// The non-null properties of an object parameter, in order.
fn object_properties<T: serde::Serialize>(name: &str, value: &T) -> Result<Vec<(String, serde_json::Value)>, SendError> {
    let value = serde_json::to_value(value)
        .map_err(|e| SendError::InvalidRequest(format!("parameter `{name}` cannot be serialized: {e}")))?;
    let serde_json::Value::Object(properties) = value else {
        return Err(SendError::InvalidRequest(format!("parameter `{name}` is not an object")));
    };
    Ok(properties.into_iter().filter(|(_, v)| !v.is_null()).collect())
}

/// Items without a parameter form of their own (objects, lists) as JSON
/// values, which are written as JSON text.
#[doc(hidden)]
pub fn json_values<T: serde::Serialize>(values: &[T]) -> Result<Vec<serde_json::Value>, SendError> {
    values
        .iter()
        .map(|v| serde_json::to_value(v).map_err(|e| SendError::InvalidRequest(format!("a parameter value cannot be serialized: {e}"))))
        .collect()
}

/// Percent-encodes a path parameter so that it stays one path segment:
/// everything but RFC 3986 unreserved characters is encoded.
#[doc(hidden)]
pub fn encode_segment<T: ToParam>(value: &T) -> String {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    percent_encoding::utf8_percent_encode(&value.to_param(), SEGMENT).to_string()
}

/// Writes a list of values as one header or path value (`simple` style).
#[doc(hidden)]
pub fn join_simple<T: ToParam>(values: &[T]) -> String {
    values.iter().map(ToParam::to_param).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every query style and explode combination of OpenAPI 3, with
    /// OpenAPI's own examples (`color` as a string, an array and an object)
    /// and values holding the delimiters, which must stay data.
    #[test]
    fn every_query_style_encodes_as_openapi_defines() {
        let array = vec!["blue".to_string(), "black".to_string(), "brown".to_string()];
        // Properties come in name order (serde_json's map).
        let object = serde_json::json!({"B": 150, "G": 200, "R": 100});
        type Case = (&'static str, fn(&mut Query, &[String], &serde_json::Value), &'static str);
        let cases: [Case; 11] = [
            ("form, explode, string", |q, _, _| q.push("color", &"blue".to_string()), "color=blue"),
            ("form, explode, array", |q, a, _| q.push_each("color", a), "color=blue&color=black&color=brown"),
            ("form, array", |q, a, _| q.push_joined("color", a, ","), "color=blue,black,brown"),
            ("spaceDelimited, array", |q, a, _| q.push_joined("color", a, " "), "color=blue%20black%20brown"),
            ("pipeDelimited, array", |q, a, _| q.push_joined("color", a, "|"), "color=blue|black|brown"),
            ("form, explode, object", |q, _, o| q.push_object::<_>("color", o, false).unwrap(), "B=150&G=200&R=100"),
            ("form, object", |q, _, o| q.push_object_joined::<_>("color", o).unwrap(), "color=B,150,G,200,R,100"),
            ("deepObject, object", |q, _, o| q.push_object::<_>("color", o, true).unwrap(), "color%5BB%5D=150&color%5BG%5D=200&color%5BR%5D=100"),
            ("form, delimiters in data", |q, _, _| {
                q.push_joined("v", &["a,b".to_string(), "c|d".to_string(), "e f".to_string()], ",")
            }, "v=a%2Cb,c%7Cd,e+f"),
            ("pipeDelimited, delimiters in data", |q, _, _| {
                q.push_joined("v", &["a,b".to_string(), "c|d".to_string()], "|")
            }, "v=a%2Cb|c%7Cd"),
            ("spaceDelimited, delimiters in data", |q, _, _| {
                q.push_joined("v", &["e f".to_string(), "g".to_string()], " ")
            }, "v=e+f%20g"),
        ];
        for (name, add, expected) in cases {
            let mut query = Query::default();
            add(&mut query, &array, &object);
            assert_eq!(query.encoded(), expected, "{name}");
        }
        // Absent and null properties are left out; arrays in objects repeat the key.
        let mut query = Query::default();
        query.push_object::<_>("filter", &serde_json::json!({"status": "open", "tags": ["a", "b"], "gone": null}), true).unwrap();
        assert_eq!(query.encoded(), "filter%5Bstatus%5D=open&filter%5Btags%5D=a&filter%5Btags%5D=b");
    }

    #[test]
    fn path_segments_keep_reserved_characters_inside() {
        assert_eq!(encode_segment(&"a/b?c#d%e f\u{e9}".to_string()), "a%2Fb%3Fc%23d%25e%20f%C3%A9");
    }
}

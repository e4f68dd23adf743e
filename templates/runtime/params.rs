//! How values are written into paths, query strings and headers.

use std::borrow::Cow;

use super::error::Error;

/// How a value is written in a path, query or header.
pub(crate) trait ToParam {
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
#[derive(Clone, Debug, Default)]
pub(crate) struct Query {
    pub(crate) pairs: Vec<(Cow<'static, str>, String)>,
}

impl Query {
    /// `name=value`.
    pub(crate) fn push<T: ToParam>(&mut self, name: &'static str, value: &T) {
        self.pairs.push((Cow::Borrowed(name), value.to_param()));
    }

    /// An object: one pair per property (`style: form`, exploded), or
    /// `name[property]=value` pairs (`style: deepObject`). Absent and null
    /// properties are left out; arrays repeat the key.
    pub(crate) fn push_object<T: serde::Serialize, E>(&mut self, name: &'static str, value: &T, deep: bool) -> Result<(), Error<E>> {
        let value = serde_json::to_value(value)
            .map_err(|e| Error::InvalidRequest(format!("parameter `{name}` cannot be serialized: {e}")))?;
        let serde_json::Value::Object(properties) = value else {
            return Err(Error::InvalidRequest(format!("parameter `{name}` is not an object")));
        };
        for (key, value) in properties {
            let key: Cow<'static, str> = if deep { Cow::Owned(format!("{name}[{key}]")) } else { Cow::Owned(key) };
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::Array(items) => {
                    for item in items {
                        self.pairs.push((key.clone(), item.to_param()));
                    }
                }
                other => self.pairs.push((key, other.to_param())),
            }
        }
        Ok(())
    }

    /// `name=a&name=b` (`style: form`, `explode: true`).
    pub(crate) fn push_each<T: ToParam>(&mut self, name: &'static str, values: &[T]) {
        for v in values {
            self.push(name, v);
        }
    }

    /// `name=a<sep>b` (comma for `form` without explode, space, or pipe).
    pub(crate) fn push_joined<T: ToParam>(&mut self, name: &'static str, values: &[T], separator: &str) {
        let joined: Vec<String> = values.iter().map(ToParam::to_param).collect();
        self.pairs.push((Cow::Borrowed(name), joined.join(separator)));
    }
}

/// Percent-encodes a path parameter so that it stays one path segment:
/// everything but RFC 3986 unreserved characters is encoded.
pub(crate) fn encode_segment<T: ToParam>(value: &T) -> String {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    percent_encoding::utf8_percent_encode(&value.to_param(), SEGMENT).to_string()
}

/// Writes a list of values as one header or path value (`simple` style).
pub(crate) fn join_simple<T: ToParam>(values: &[T]) -> String {
    values.iter().map(ToParam::to_param).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_become_pairs() {
        let filter = serde_json::json!({"status": "open", "tags": ["a", "b"], "gone": null});
        let mut query = Query::default();
        query.push_object::<_, ()>("filter", &filter, true).unwrap();
        query.push_object::<_, ()>("page", &serde_json::json!({"number": 2}), false).unwrap();
        let pairs: Vec<(String, String)> = query.pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let expected = [("filter[status]", "open"), ("filter[tags]", "a"), ("filter[tags]", "b"), ("number", "2")];
        assert_eq!(pairs, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    }

    #[test]
    fn path_segments_keep_reserved_characters_inside() {
        assert_eq!(encode_segment(&"a/b?c#d%e f\u{e9}".to_string()), "a%2Fb%3Fc%23d%25e%20f%C3%A9");
    }
}

//! How values are written into paths, query strings and headers.

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
        self.format("%Y-%m-%d").to_string()
    }
}

impl ToParam for serde_json::Value {
    fn to_param(&self) -> String {
        match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// Query pairs in the order they are added; encoded when the URL is built.
#[derive(Clone, Debug, Default)]
pub(crate) struct Query {
    pub(crate) pairs: Vec<(&'static str, String)>,
}

impl Query {
    /// `name=value`.
    pub(crate) fn push<T: ToParam>(&mut self, name: &'static str, value: &T) {
        self.pairs.push((name, value.to_param()));
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
        self.pairs.push((name, joined.join(separator)));
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

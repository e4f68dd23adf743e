//! `Option<Option<T>>` fields, for members a spec marks optional and
//! nullable in a body the client sends: `None` leaves the member out,
//! `Some(None)` sends `null`, `Some(Some(v))` sends `v`. Used with
//! `#[serde(default, skip_serializing_if = "Option::is_none", with = "...")]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[doc(hidden)]
pub fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(inner) => inner.serialize(serializer),
        // Left out by `skip_serializing_if`; `null` if a caller serializes it anyway.
        None => serializer.serialize_none(),
    }
}

/// A member that is present decodes as `Some`: `null` as `Some(None)`. An
/// absent one never gets here (`default` makes it `None`).
#[doc(hidden)]
pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Profile {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super")]
        bio: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_a_value_stay_apart_both_ways() {
        for (value, json) in [(None, "{}"), (Some(None), r#"{"bio":null}"#), (Some(Some("hi".to_string())), r#"{"bio":"hi"}"#)] {
            let profile = Profile { bio: value };
            assert_eq!(serde_json::to_string(&profile).unwrap(), json);
            assert_eq!(serde_json::from_str::<Profile>(json).unwrap(), profile);
        }
    }
}

//! Decoding a JSON object into a generated struct with little code per
//! struct. serde's derive writes seven functions for each struct (an enum of
//! its fields and that enum's visitor, a visitor of sequences and one of
//! maps); a huge API has thousands of structs, and those functions were the
//! largest part of its compile time and memory (issue 16). Here a struct
//! says only where field `i` goes and how the struct is made from its
//! fields; walking the map is this module's, written once.
//!
//! Unknown members are skipped, or kept by a struct that keeps the members
//! no field names (`additionalProperties` beside `properties`); a member
//! given twice keeps its last value.
//! Errors are serde's own (`missing field `id``), and a wrapping
//! deserializer (`serde_path_to_error`) still sees every key.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A generated struct, decoded member by member.
pub trait Object: Sized {
    /// One slot per field, filled as its member is read.
    type Slots;
    /// The struct's name, for messages.
    const NAME: &'static str;
    /// The JSON member names, in slot order.
    const FIELDS: &'static [&'static str];
    /// Empty slots.
    fn slots() -> Self::Slots;
    /// Reads the value of member `field` into its slot.
    fn set<'de, A: MapAccess<'de>>(slots: &mut Self::Slots, field: usize, map: &mut A) -> Result<(), A::Error>;
    /// The struct, or the error of a required member that was absent.
    fn finish<E: de::Error>(slots: Self::Slots) -> Result<Self, E>;
    /// Whether the struct keeps the members no field names
    /// (`additionalProperties`), through [`rest`](Self::rest).
    const REST: bool = false;
    /// Reads the value of member `key`, which no field names.
    #[inline]
    fn rest<'de, A: MapAccess<'de>>(slots: &mut Self::Slots, key: String, map: &mut A) -> Result<(), A::Error> {
        let _ = (slots, key);
        map.next_value::<IgnoredAny>()?;
        Ok(())
    }
}

/// Decodes `T` from a JSON object.
#[inline]
pub fn deserialize<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor::<T>(PhantomData))
}

/// The value of a required member, or serde's error for its absence.
#[inline]
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut slots = T::slots();
        while let Some(key) = map.next_key_seed(FieldIndex { fields: T::FIELDS, keep: T::REST })? {
            match key {
                Key::Field(i) => T::set(&mut slots, i, &mut map)?,
                Key::Other(name) => T::rest(&mut slots, name, &mut map)?,
                Key::Skipped => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        T::finish(slots)
    }
}

/// A member name: the index of its field, or, for a struct that keeps the
/// others, the name itself (allocated only then).
enum Key {
    Field(usize),
    Other(String),
    Skipped,
}

/// A member name to its [`Key`].
struct FieldIndex {
    fields: &'static [&'static str],
    keep: bool,
}

impl FieldIndex {
    fn other(&self, name: &str) -> Key {
        if self.keep { Key::Other(name.to_string()) } else { Key::Skipped }
    }
}

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
        Ok(self.fields.iter().position(|f| *f == name).map_or_else(|| self.other(name), Key::Field))
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Key, E> {
        match self.fields.iter().position(|f| f.as_bytes() == name) {
            Some(i) => Ok(Key::Field(i)),
            None => Ok(self.other(&String::from_utf8_lossy(name))),
        }
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Key, E> {
        Ok(usize::try_from(index).ok().filter(|i| *i < self.fields.len()).map_or(Key::Skipped, Key::Field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the generator writes for a struct with a required member, an
    /// optional one and a required but nullable one.
    #[derive(Debug, PartialEq)]
    struct Pet {
        id: String,
        tag: Option<String>,
        owner: Option<Box<Pet>>,
    }

    impl<'de> serde::Deserialize<'de> for Pet {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::deserialize(deserializer)
        }
    }

    impl Object for Pet {
        type Slots = (Option<String>, Option<String>, Option<Box<Pet>>);
        const NAME: &'static str = "Pet";
        const FIELDS: &'static [&'static str] = &["id", "tag", "owner"];
        fn slots() -> Self::Slots {
            (None, None, None)
        }
        fn set<'de, A: MapAccess<'de>>(slots: &mut Self::Slots, field: usize, map: &mut A) -> Result<(), A::Error> {
            match field {
                0 => slots.0 = Some(map.next_value()?),
                1 => slots.1 = map.next_value()?,
                _ => slots.2 = map.next_value()?,
            }
            Ok(())
        }
        fn finish<E: de::Error>(slots: Self::Slots) -> Result<Self, E> {
            Ok(Pet { id: required(slots.0, "id")?, tag: slots.1, owner: slots.2 })
        }
    }

    #[test]
    fn members_fill_fields_and_unknown_ones_are_skipped() {
        let pet: Pet =
            serde_json::from_str(r#"{"extra":[1,{"a":null}],"owner":{"id":"o"},"id":"p","tag":null,"id":"q"}"#).unwrap();
        let owner = Pet { id: "o".into(), tag: None, owner: None };
        assert_eq!(pet, Pet { id: "q".into(), tag: None, owner: Some(Box::new(owner)) });
    }

    #[test]
    fn errors_are_serdes_and_name_the_place() {
        let missing = serde_json::from_str::<Pet>(r#"{"tag":"x"}"#).unwrap_err().to_string();
        assert!(missing.starts_with("missing field `id`"), "{missing}");
        let wrong = serde_json::from_str::<Pet>("[1]").unwrap_err().to_string();
        assert!(wrong.contains("expected struct Pet"), "{wrong}");
        let mut deserializer = serde_json::Deserializer::from_str(r#"{"id":"p","owner":{"id":7}}"#);
        let error = serde_path_to_error::deserialize::<_, Pet>(&mut deserializer).unwrap_err();
        assert_eq!(error.path().to_string(), "owner.id");
    }

    /// A struct that keeps the members no field names, as the generator
    /// writes it for `additionalProperties` beside `properties`.
    #[derive(Debug, PartialEq)]
    struct Labels {
        id: String,
        rest: Option<std::collections::BTreeMap<String, i64>>,
    }

    impl Object for Labels {
        type Slots = (Option<String>, Option<std::collections::BTreeMap<String, i64>>);
        const NAME: &'static str = "Labels";
        const FIELDS: &'static [&'static str] = &["id"];
        fn slots() -> Self::Slots {
            (None, None)
        }
        fn set<'de, A: MapAccess<'de>>(slots: &mut Self::Slots, _field: usize, map: &mut A) -> Result<(), A::Error> {
            slots.0 = Some(map.next_value()?);
            Ok(())
        }
        fn finish<E: de::Error>(slots: Self::Slots) -> Result<Self, E> {
            Ok(Labels { id: required(slots.0, "id")?, rest: slots.1 })
        }
        const REST: bool = true;
        fn rest<'de, A: MapAccess<'de>>(slots: &mut Self::Slots, key: String, map: &mut A) -> Result<(), A::Error> {
            slots.1.get_or_insert_with(Default::default).insert(key, map.next_value()?);
            Ok(())
        }
    }

    #[test]
    fn the_other_members_are_kept_where_the_struct_keeps_them() {
        let labels: Labels = deserialize(&mut serde_json::Deserializer::from_str(r#"{"a":1,"id":"x","b":2}"#)).unwrap();
        assert_eq!(labels, Labels { id: "x".into(), rest: Some([("a".to_string(), 1), ("b".to_string(), 2)].into()) });
        let none: Labels = deserialize(serde_json::json!({"id": "y"})).unwrap();
        assert_eq!(none.rest, None);
        let wrong = deserialize::<Labels, _>(serde_json::json!({"id": "y", "c": "text"})).unwrap_err().to_string();
        assert!(wrong.contains("expected i64"), "{wrong}");
    }

    #[test]
    fn a_json_value_decodes_too() {
        let value = serde_json::json!({"id": "v", "tag": "t"});
        let pet: Pet = serde_json::from_value(value).unwrap();
        assert_eq!(pet, Pet { id: "v".into(), tag: Some("t".into()), owner: None });
    }
}

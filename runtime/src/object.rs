//! Decoding a JSON object into a generated struct with little code per
//! struct. serde's derive writes seven functions for each struct (an enum of
//! its fields and that enum's visitor, a visitor of sequences and one of
//! maps); a huge API has thousands of structs, and those functions were the
//! largest part of its compile time and memory (issue 16). Here a struct
//! says only where field `i` goes and how the struct is made from its
//! fields; walking the map is this module's, written once.
//!
//! Unknown members are skipped; a member given twice keeps its last value.
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
        while let Some(field) = map.next_key_seed(FieldIndex(T::FIELDS))? {
            match field {
                Some(i) => T::set(&mut slots, i, &mut map)?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        T::finish(slots)
    }
}

/// A member name to its field's index, without allocating.
struct FieldIndex(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|f| *f == name))
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|f| f.as_bytes() == name))
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Option<usize>, E> {
        Ok(usize::try_from(index).ok().filter(|i| *i < self.0.len()))
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

    #[test]
    fn a_json_value_decodes_too() {
        let value = serde_json::json!({"id": "v", "tag": "t"});
        let pet: Pet = serde_json::from_value(value).unwrap();
        assert_eq!(pet, Pet { id: "v".into(), tag: Some("t".into()), owner: None });
    }
}

//! Copied into the crate generated from `tests/fixtures/unions.yaml` and run
//! there: unions decode by discriminator or by trying each alternative, and
//! keep what they do not know.

use fixtures_unions::types::{Cat, GetValueResponse, Nested, Nested2, Pet, Shape};
use serde_json::json;

#[test]
fn the_discriminator_chooses_the_variant() {
    let cat: Pet = serde_json::from_value(json!({"petType": "kitty", "name": "Tom", "lives": 9})).unwrap();
    assert_eq!(cat, Pet::Cat({
        let mut cat = Cat::new("kitty", "Tom");
        cat.lives = Some(9);
        cat
    }));
    let dog: Pet = serde_json::from_value(json!({"petType": "Dog", "barks": true})).unwrap();
    assert!(matches!(dog, Pet::Dog(ref d) if d.barks == Some(true)));
    let bird: Pet = serde_json::from_value(json!({"petType": "bird", "wings": 2})).unwrap();
    assert_eq!(bird, Pet::Unknown(json!({"petType": "bird", "wings": 2})));
    // A tagged value that does not fit its variant is an error, not a guess.
    assert!(serde_json::from_value::<Pet>(json!({"petType": "cat"})).is_err());
    // Serializing writes the variant as it is, tag field included.
    assert_eq!(serde_json::to_value(&cat).unwrap(), json!({"petType": "kitty", "name": "Tom", "lives": 9}));
}

#[test]
fn untagged_unions_take_the_first_alternative_that_fits() {
    let value = |v| serde_json::from_value::<GetValueResponse>(v).unwrap();
    assert_eq!(value(json!("text")), GetValueResponse::String("text".into()));
    assert_eq!(value(json!(5)), GetValueResponse::Integer(5));
    assert_eq!(value(json!(["a", "b"])), GetValueResponse::StringList(vec!["a".into(), "b".into()]));
    assert!(matches!(value(json!({"sides": 3})), GetValueResponse::Shape(Shape { sides: Some(3), .. })));
    assert_eq!(value(json!(true)), GetValueResponse::Unknown(json!(true)));
}

#[test]
fn recursive_unions_are_boxed_and_decode() {
    let nested: Nested = serde_json::from_value(json!({"next": {"next": "end"}})).unwrap();
    // Every edge of the cycle is boxed: the variant and the field.
    let end = Nested::String("end".into());
    let inner = Nested::Nested2(Box::new(Nested2::new(end)));
    let expected = Nested::Nested2(Box::new(Nested2::new(inner)));
    assert_eq!(nested, expected);
}

//! The generated crate's lean `Deserialize` derive (`rt::Deserialize`) decodes every JSON object
//! exactly as serde's own derive would: the same value, or an error with the same message and
//! position. Twin structs, one per derive, carry every attribute the generator writes; a
//! property test feeds both the same objects. Where the two derives differ on purpose (the
//! sequence form), a test pins the difference.
//!
//! Longer run: `PROPTEST_CASES=20000 cargo test --release -p tests --test lean_deserialize`.

use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};

/// The same structs twice, with the derive given.
macro_rules! twins {
    ($($derive:tt)*) => {
        #[derive(Debug, $($derive)*)]
        #[allow(dead_code)] // Read through Debug only.
        pub struct Outer {
            pub required: i64,
            #[serde(rename = "wireName")]
            pub renamed: String,
            pub optional: Option<Vec<String>>,
            #[serde(default)]
            pub defaulted: i32,
            #[serde(
                rename = "lenientNumber",
                with = "open_platform_clients::runtime::lenient::number_or_string::option",
                default
            )]
            pub lenient: Option<i64>,
            #[serde(with = "open_platform_clients::runtime::csv")]
            pub csv: Vec<i32>,
            #[serde(default, with = "open_platform_clients::runtime::nullable")]
            pub nullable: Option<Option<String>>,
            #[serde(skip)]
            pub skipped: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            pub nested: Option<Inner>,
            pub r#type: Option<bool>,
        }

        #[derive(Debug, $($derive)*)]
        #[allow(dead_code)]
        pub struct Inner {
            pub id: String,
            pub count: Option<u8>,
        }
    };
}

mod by_serde {
    twins!(serde::Deserialize);
}

mod by_lean {
    twins!(open_platform_runtime_derive::Deserialize);
}

/// A decode's outcome as text: the value's Debug form (both twins print alike), or the error.
fn outcome<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    match serde_json::from_str::<T>(text) {
        Ok(value) => format!("Ok({value:?})"),
        Err(error) => format!("Err({error})"),
    }
}

fn both(text: &str) -> (String, String) {
    (
        outcome::<by_serde::Outer>(text),
        outcome::<by_lean::Outer>(text),
    )
}

fn complete() -> Value {
    json!({
        "required": 7,
        "wireName": "w",
        "optional": ["a", "b"],
        "defaulted": 3,
        "lenientNumber": "42",
        "csv": "1,2,3",
        "nullable": null,
        "skipped": "ignored",
        "nested": {"id": "i", "count": 2, "extra": [1, {"deep": null}]},
        "type": true,
        "unknown": {"a": [1, 2, {"b": "c"}]}
    })
}

#[test]
fn complete_object_decodes_alike() {
    let (serde, lean) = both(&complete().to_string());
    assert!(serde.starts_with("Ok("), "{serde}");
    assert_eq!(serde, lean);
    assert!(lean.contains("lenient: Some(42)"), "{lean}");
    assert!(lean.contains("csv: [1, 2, 3]"), "{lean}");
    assert!(lean.contains("nullable: Some(None)"), "{lean}");
    assert!(lean.contains("skipped: \"\""), "{lean}");
}

#[test]
fn missing_required_field_is_named() {
    let mut value = complete();
    value.as_object_mut().map(|o| o.remove("wireName"));
    let (serde, lean) = both(&value.to_string());
    assert!(lean.starts_with("Err(missing field `wireName`"), "{lean}");
    assert_eq!(serde, lean);
}

#[test]
fn repeated_key_is_an_error() {
    let text = r#"{"required": 1, "wireName": "a", "csv": "", "required": 2}"#;
    let (serde, lean) = both(text);
    assert!(lean.starts_with("Err(duplicate field `required`"), "{lean}");
    assert_eq!(serde, lean);
    let text =
        r#"{"required": 1, "wireName": "a", "csv": "", "lenientNumber": 1, "lenientNumber": 2}"#;
    let (serde, lean) = both(text);
    assert!(
        lean.starts_with("Err(duplicate field `lenientNumber`"),
        "{lean}"
    );
    assert_eq!(serde, lean);
}

#[test]
fn escaped_keys_are_matched() {
    // `\u0061` is `a`: serde_json hands such a key over as an owned string, not a borrow.
    let text = r#"{"required": 1, "wireN\u0061me": "a", "csv": "4", "nested": {"\u0069d": "x"}}"#;
    let (serde, lean) = both(text);
    assert!(lean.contains("renamed: \"a\""), "{lean}");
    assert!(lean.contains("id: \"x\""), "{lean}");
    assert_eq!(serde, lean);
    // From bytes through a reader, every key is owned.
    let lean = serde_json::from_reader::<_, by_lean::Outer>(text.as_bytes()).map(|v| v.renamed);
    assert_eq!(lean.ok().as_deref(), Some("a"));
}

#[test]
fn wrong_types_fail_with_serde_messages() {
    for text in [
        r#""a string""#,
        "null",
        "12",
        r#"{"required": "7", "wireName": "a", "csv": ""}"#,
        r#"{"required": 1, "wireName": "a", "csv": "", "nested": {"id": 5}}"#,
    ] {
        let (serde, lean) = both(text);
        assert!(lean.starts_with("Err("), "{text}: {lean}");
        assert_eq!(serde, lean, "{text}");
    }
}

/// The one intended difference: serde's derive also reads a struct from a JSON array of its
/// fields in order; the lean derive reads objects only, as every documented response is one.
#[test]
fn sequence_form_is_rejected() {
    let text = r#"[1, "a", null, 0, null, "", null, null, null]"#;
    let (serde, lean) = both(text);
    assert!(serde.starts_with("Ok("), "{serde}");
    assert_eq!(
        lean,
        "Err(invalid type: sequence, expected struct Outer at line 1 column 1)"
    );
    let text = r#"{"required": 1, "wireName": "a", "csv": "", "nested": []}"#;
    let (serde, lean) = both(text);
    assert!(serde.starts_with("Err(invalid length 0"), "{serde}");
    assert!(lean.starts_with(SEQUENCE_REJECTED), "{lean}");
}

#[test]
fn keys_owned_by_the_deserializer_are_matched() {
    let value = complete();
    // `from_value` hands over owned keys, `&Value` borrowed ones.
    let serde = format!(
        "{:?}",
        serde_json::from_value::<by_serde::Outer>(value.clone())
    );
    let owned = format!(
        "{:?}",
        serde_json::from_value::<by_lean::Outer>(value.clone())
    );
    let borrowed = format!("{:?}", by_lean::Outer::deserialize(&value));
    assert!(owned.starts_with("Ok("), "{owned}");
    assert_eq!(serde, owned);
    assert_eq!(serde, borrowed);
}

/// A parent with serde's derive that flattens a derived struct next to a catch-all map: the
/// struct must take only its own keys, leaving the rest to the map, as serde's derive does.
macro_rules! flattening_parent {
    ($inner:ty) => {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)] // Read through Debug only.
        pub struct Parent {
            pub name: String,
            #[serde(flatten)]
            pub inner: $inner,
            #[serde(flatten)]
            pub rest: std::collections::BTreeMap<String, serde_json::Value>,
        }
    };
}

mod serde_parent {
    flattening_parent!(super::by_serde::Inner);
}

mod lean_parent {
    flattening_parent!(super::by_lean::Inner);
}

#[test]
fn flattened_struct_takes_only_its_own_keys() {
    let text = r#"{"name": "n", "id": "i", "count": 3, "other": [1], "more": {"a": null}}"#;
    let serde = outcome::<serde_parent::Parent>(text);
    let lean = outcome::<lean_parent::Parent>(text);
    assert!(
        lean.contains(r#"rest: {"more": Object {"a": Null}, "other": Array [Number(1)]}"#),
        "{lean}"
    );
    assert_eq!(serde, lean);
}

/// How the lean derive's rejection of the sequence form starts.
const SEQUENCE_REJECTED: &str = "Err(invalid type: sequence, expected struct";

/// The same outcome, or the intended difference: an array where a struct goes, which only
/// serde's derive may accept (or reject for another reason).
fn alike(serde: &str, lean: &str) -> bool {
    serde == lean || lean.starts_with(SEQUENCE_REJECTED)
}

/// The error path through nested structs is the one `serde_path_to_error` reports for serde's
/// derive, which is what the runtime puts in decode errors.
#[test]
fn error_paths_match() {
    let text =
        r#"{"required": 1, "wireName": "a", "csv": "", "nested": {"id": "x", "count": 300}}"#;
    let path = |result: Result<(), serde_path_to_error::Error<serde_json::Error>>| {
        result.err().map(|e| e.path().to_string())
    };
    let serde = path(
        serde_path_to_error::deserialize::<_, by_serde::Outer>(
            &mut serde_json::Deserializer::from_str(text),
        )
        .map(drop),
    );
    let lean = path(
        serde_path_to_error::deserialize::<_, by_lean::Outer>(
            &mut serde_json::Deserializer::from_str(text),
        )
        .map(drop),
    );
    assert_eq!(lean.as_deref(), Some("nested.count"));
    assert_eq!(serde, lean);
}

/// Any JSON value, small: what a server might put under a key.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (0u16..400).prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop_oneof![
            Just("".to_owned()),
            Just("42".to_owned()),
            Just("1,2".to_owned()),
            Just("x".to_owned()),
            "[a-z0-9,]{0,6}",
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::vec((key(), inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// Keys of both structs, keys of neither, and near misses.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "required",
            "wireName",
            "renamed",
            "optional",
            "defaulted",
            "lenientNumber",
            "lenient",
            "csv",
            "nullable",
            "skipped",
            "nested",
            "type",
            "r#type",
            "id",
            "count",
            "Required",
            "",
        ])
        .prop_map(str::to_owned),
        "[a-z]{1,4}",
    ]
}

/// An object with keys in any order, some repeated (JSON text can repeat keys; a map cannot).
fn any_object_text() -> impl Strategy<Value = String> {
    prop::collection::vec((key(), any_value()), 0..12).prop_map(|entries| {
        let body: Vec<String> = entries
            .iter()
            .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), v))
            .collect();
        format!("{{{}}}", body.join(","))
    })
}

/// An object that decodes, then perturbed: the interesting cases are near success.
fn near_valid_text() -> impl Strategy<Value = String> {
    (
        any::<i64>(),
        "[a-z]{0,3}",
        prop::option::of(prop::collection::vec("[a-z]{0,2}", 0..3)),
        prop::option::of(any_value()),
        prop::option::of((key(), any_value())),
        prop::option::of(("[a-z]{0,2}", prop::option::of(0u16..300))),
    )
        .prop_map(|(required, renamed, optional, lenient, extra, nested)| {
            let mut object = json!({"required": required, "wireName": renamed, "csv": "1,2"});
            let map = object.as_object_mut().expect("an object literal");
            if let Some(optional) = optional {
                map.insert("optional".into(), json!(optional));
            }
            if let Some(lenient) = lenient {
                map.insert("lenientNumber".into(), lenient);
            }
            if let Some((id, count)) = nested {
                map.insert("nested".into(), json!({"id": id, "count": count}));
            }
            if let Some((key, value)) = extra {
                map.insert(key, value);
            }
            object.to_string()
        })
}

proptest! {
    // proptest's default of 256 cases, or `PROPTEST_CASES`; failures print their input and
    // are not written to `proptest-regressions/`.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn decodes_any_object_like_serde(text in any_object_text()) {
        let (serde, lean) = both(&text);
        prop_assert!(alike(&serde, &lean), "input: {}\nserde: {}\nlean: {}", text, serde, lean);
    }

    #[test]
    fn decodes_near_valid_objects_like_serde(text in near_valid_text()) {
        let (serde, lean) = both(&text);
        prop_assert!(alike(&serde, &lean), "input: {}\nserde: {}\nlean: {}", text, serde, lean);
    }
}

//! Decoders for fields whose JSON type differs from the documented one, selected per field in
//! the specs (`lenient: ...`). Each accepts the documented form and the form the server really
//! sends, and always writes the documented form.
//!
//! Used through `#[serde(with = "rt::lenient::<kind>")]`, or `<kind>::option` for
//! optional fields.

use std::fmt::Display;
use std::str::FromStr;

use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

fn from_value<T: DeserializeOwned, E: de::Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Generates the `option` module of a lenient codec from its `deserialize` function.
macro_rules! option_module {
    ($($bounds:tt)*) => {
        /// The same codec for an optional field: `null` and absence are `None`.
        pub mod option {
            use super::*;

            /// Writes `Some` values as the documented form.
            pub fn serialize<S: Serializer, T: Serialize>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
                value.serialize(serializer)
            }

            /// Reads `null` as `None`, anything else as the codec does.
            pub fn deserialize<'de, D: Deserializer<'de>, T: $($bounds)*>(deserializer: D) -> Result<Option<T>, D::Error> {
                match Value::deserialize(deserializer)? {
                    Value::Null => Ok(None),
                    value => super::decode(value).map(Some),
                }
            }
        }
    };
}

/// A number that may arrive as a numeric string (`"1"`). Read in one pass without building an
/// intermediate value, because it sits in large listings (a department's `display_order`).
pub mod number_or_string {
    use std::marker::PhantomData;

    use serde::de::{IntoDeserializer, Visitor};

    use super::*;

    /// Writes the number.
    pub fn serialize<S: Serializer, T: Serialize>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    /// Reads a number or a numeric string.
    pub fn deserialize<'de, D: Deserializer<'de>, T>(deserializer: D) -> Result<T, D::Error>
    where
        T: Deserialize<'de> + FromStr,
        T::Err: Display,
    {
        deserializer.deserialize_any(NumberVisitor(PhantomData))
    }

    struct NumberVisitor<T>(PhantomData<T>);

    impl<'de, T> Visitor<'de> for NumberVisitor<T>
    where
        T: Deserialize<'de> + FromStr,
        T::Err: Display,
    {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a number or a numeric string")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            T::deserialize(v.into_deserializer())
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            T::deserialize(v.into_deserializer())
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
            T::deserialize(v.into_deserializer())
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            v.trim()
                .parse()
                .map_err(|err| E::custom(format_args!("`{v}` is not a number: {err}")))
        }
    }

    /// The same codec for an optional field: `null` and absence are `None`.
    pub mod option {
        use super::*;

        /// Writes `Some` values as the number.
        pub fn serialize<S: Serializer, T: Serialize>(
            value: &Option<T>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            value.serialize(serializer)
        }

        /// Reads `null` as `None`, anything else as the codec does.
        pub fn deserialize<'de, D: Deserializer<'de>, T>(
            deserializer: D,
        ) -> Result<Option<T>, D::Error>
        where
            T: Deserialize<'de> + FromStr,
            T::Err: Display,
        {
            deserializer.deserialize_option(OptionVisitor(PhantomData))
        }

        struct OptionVisitor<T>(PhantomData<T>);

        impl<'de, T> Visitor<'de> for OptionVisitor<T>
        where
            T: Deserialize<'de> + FromStr,
            T::Err: Display,
        {
            type Value = Option<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("null, a number or a numeric string")
            }

            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }

            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Option<T>, D::Error> {
                super::deserialize(deserializer).map(Some)
            }
        }
    }
}

/// A boolean that may arrive as `"true"`/`"false"`, `0`/`1` or `"0"`/`"1"`.
pub mod bool_or_string {
    use super::*;

    /// Writes the boolean.
    pub fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(*value)
    }

    /// Reads a boolean in any of the accepted forms.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        decode(Value::deserialize(deserializer)?)
    }

    pub(super) fn decode<T: From<bool>, E: de::Error>(value: Value) -> Result<T, E> {
        let parsed = match &value {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => match n.as_i64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => None,
            },
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        };
        parsed
            .map(T::from)
            .ok_or_else(|| E::custom(format_args!("expected a boolean, got {value}")))
    }

    option_module!(From<bool>);
}

/// A list that may arrive as a single item.
pub mod one_or_many {
    use super::*;

    /// Writes the list.
    pub fn serialize<S: Serializer, T: Serialize>(
        value: &[T],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    /// Reads a list, or one item as a list of one.
    pub fn deserialize<'de, D: Deserializer<'de>, T: DeserializeOwned>(
        deserializer: D,
    ) -> Result<Vec<T>, D::Error> {
        decode(Value::deserialize(deserializer)?)
    }

    pub(super) fn decode<T: DeserializeOwned, E: de::Error>(value: Value) -> Result<T, E> {
        match value {
            Value::Array(_) => from_value(value),
            one => from_value(Value::Array(vec![one])),
        }
    }

    option_module!(DeserializeOwned);
}

/// A model with one list member, which a bare JSON list stands for when the field reading it
/// is `lenient: object_or_list`. The generated code implements it for such models.
pub trait ListMember {
    /// The wire name of the list member that a bare list fills.
    const LIST_MEMBER: &'static str;
}

/// An object that may arrive as a bare list of what its one list member holds: tze documents
/// `result` as `json[]` of departments while its example sends `{"count": 3, "list": [...]}`.
/// A bare list is read as that member ([`ListMember::LIST_MEMBER`]), the object's other
/// members absent. Read in one pass without building an intermediate value: the list can be
/// long (every department of an organisation).
pub mod object_or_list {
    use std::marker::PhantomData;

    use serde::de::value::MapAccessDeserializer;
    use serde::de::{DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

    use super::*;

    /// Writes the object.
    pub fn serialize<S: Serializer, T: Serialize>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    /// Reads the object, or a bare list as its list member.
    pub fn deserialize<'de, D: Deserializer<'de>, T>(deserializer: D) -> Result<T, D::Error>
    where
        T: Deserialize<'de> + ListMember,
    {
        deserializer.deserialize_any(ObjectOrListVisitor(PhantomData))
    }

    struct ObjectOrListVisitor<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de> + ListMember> Visitor<'de> for ObjectOrListVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "an object, or a list of its `{}`", T::LIST_MEMBER)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
            T::deserialize(MapAccessDeserializer::new(OneMember {
                key: Some(T::LIST_MEMBER),
                list: Some(seq),
            }))
        }
    }

    /// The object `{"<key>": <list>}` over a list being read.
    struct OneMember<A> {
        key: Option<&'static str>,
        list: Option<A>,
    }

    impl<'de, A: SeqAccess<'de>> MapAccess<'de> for OneMember<A> {
        type Error = A::Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, A::Error> {
            self.key
                .take()
                .map(|key| seed.deserialize(key.into_deserializer()))
                .transpose()
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(
            &mut self,
            seed: V,
        ) -> Result<V::Value, A::Error> {
            match self.list.take() {
                Some(list) => seed.deserialize(List(list)),
                None => Err(de::Error::custom("the list was read already")),
            }
        }
    }

    /// The list being read, as the value of the list member: a sequence, and `Some` for a
    /// member that is an `Option` (serde's `SeqAccessDeserializer` offers no option).
    struct List<A>(A);

    impl<'de, A: SeqAccess<'de>> Deserializer<'de> for List<A> {
        type Error = A::Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
            visitor.visit_seq(self.0)
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
            visitor.visit_some(self)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
            identifier ignored_any
        }
    }

    /// The same codec for an optional field: `null` and absence are `None`.
    pub mod option {
        use super::*;

        /// Writes `Some` values as the object.
        pub fn serialize<S: Serializer, T: Serialize>(
            value: &Option<T>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            value.serialize(serializer)
        }

        /// Reads `null` as `None`, anything else as the codec does.
        pub fn deserialize<'de, D: Deserializer<'de>, T>(
            deserializer: D,
        ) -> Result<Option<T>, D::Error>
        where
            T: Deserialize<'de> + ListMember,
        {
            deserializer.deserialize_option(OptionVisitor(PhantomData))
        }

        struct OptionVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de> + ListMember> Visitor<'de> for OptionVisitor<T> {
            type Value = Option<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "null, an object, or a list of its `{}`", T::LIST_MEMBER)
            }

            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }

            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Option<T>, D::Error> {
                super::deserialize(deserializer).map(Some)
            }
        }
    }
}

/// A value carried as JSON text inside a string (`"{\"a\":1}"`); an object is accepted too.
pub mod json_string {
    use super::*;

    /// Writes the value as JSON text in a string, as the server expects it.
    pub fn serialize<S: Serializer, T: Serialize>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    /// Reads JSON text in a string, or the value itself.
    pub fn deserialize<'de, D: Deserializer<'de>, T: DeserializeOwned>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        decode(Value::deserialize(deserializer)?)
    }

    pub(super) fn decode<T: DeserializeOwned, E: de::Error>(value: Value) -> Result<T, E> {
        match value {
            Value::String(text) => serde_json::from_str(&text).map_err(E::custom),
            other => from_value(other),
        }
    }

    /// The same codec for an optional field: `null` and absence are `None`.
    pub mod option {
        use super::*;

        /// Writes `Some` values as JSON text in a string.
        pub fn serialize<S: Serializer, T: Serialize>(
            value: &Option<T>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads `null` as `None`, anything else as the codec does.
        pub fn deserialize<'de, D: Deserializer<'de>, T: DeserializeOwned>(
            deserializer: D,
        ) -> Result<Option<T>, D::Error> {
            match Value::deserialize(deserializer)? {
                Value::Null => Ok(None),
                value => super::decode(value).map(Some),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::ListMember;

    /// tze's `result`: a count beside the list of departments.
    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Page {
        count: Option<i32>,
        list: Option<Vec<Department>>,
    }

    impl ListMember for Page {
        const LIST_MEMBER: &'static str = "list";
    }

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Department {
        org_id: String,
    }

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Required {
        #[serde(with = "super::object_or_list")]
        result: Page,
    }

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Optional {
        #[serde(with = "super::object_or_list::option", default)]
        result: Option<Page>,
    }

    fn departments(ids: &[&str]) -> Option<Vec<Department>> {
        Some(
            ids.iter()
                .map(|id| Department {
                    org_id: (*id).to_owned(),
                })
                .collect(),
        )
    }

    #[test]
    fn object_or_list_reads_the_object_as_it_is() {
        let read: Required = serde_json::from_value(
            json!({ "result": { "count": 3, "list": [{ "org_id": "1" }] } }),
        )
        .unwrap();
        assert_eq!(
            read.result,
            Page {
                count: Some(3),
                list: departments(&["1"])
            }
        );
    }

    #[test]
    fn object_or_list_reads_a_bare_list_as_the_list_member() {
        let text = r#"{ "result": [{ "org_id": "1" }, { "org_id": "2" }] }"#;
        let read: Required = serde_json::from_str(text).unwrap();
        assert_eq!(
            read.result,
            Page {
                count: None,
                list: departments(&["1", "2"])
            }
        );
        let empty: Required = serde_json::from_str(r#"{ "result": [] }"#).unwrap();
        assert_eq!(empty.result.list, departments(&[]));
    }

    #[test]
    fn object_or_list_reports_what_does_not_fit() {
        let item = serde_json::from_str::<Required>(r#"{ "result": [{ "name": "x" }] }"#)
            .unwrap_err()
            .to_string();
        assert!(item.contains("missing field `org_id`"), "{item}");
        let text = serde_json::from_str::<Required>(r#"{ "result": "x" }"#)
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("an object, or a list of its `list`"),
            "{text}"
        );
    }

    #[test]
    fn object_or_list_option_reads_null_absence_and_both_shapes() {
        let read = |text: &str| serde_json::from_str::<Optional>(text).unwrap().result;
        assert_eq!(read("{}"), None);
        assert_eq!(read(r#"{ "result": null }"#), None);
        assert_eq!(
            read(r#"{ "result": [{ "org_id": "1" }] }"#).and_then(|p| p.list),
            departments(&["1"])
        );
        assert_eq!(
            read(r#"{ "result": { "count": 0 } }"#),
            Some(Page {
                count: Some(0),
                list: None
            })
        );
    }

    #[test]
    fn object_or_list_writes_the_object() {
        let page = Page {
            count: None,
            list: departments(&["1"]),
        };
        let written = serde_json::to_value(Required { result: page }).unwrap();
        assert_eq!(
            written,
            json!({ "result": { "count": null, "list": [{ "org_id": "1" }] } })
        );
    }
}

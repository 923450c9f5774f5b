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

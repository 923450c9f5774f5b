//! Lists carried in one comma-separated string (`"2,3,5,-1"`).
//!
//! Used by generated code through `#[serde(with = "rt::csv")]`. Decoding is
//! lenient: a server that sends a JSON array instead is accepted too.

use std::fmt::{self, Display};
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serializer};

/// A list to be sent as one comma-separated query or header value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Csv<'a, T>(pub &'a [T]);

impl<T: Display> Display for Csv<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

/// Writes the list as one comma-separated string.
pub fn serialize<S: Serializer, T: Display>(value: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&Csv(value))
}

/// Reads a comma-separated string (or, leniently, a JSON array) into a list.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr + Deserialize<'de>,
    T::Err: Display,
{
    deserializer.deserialize_any(CsvVisitor(PhantomData))
}

/// The same for an optional field.
pub mod option {
    use super::*;

    /// Writes `Some(list)` as one comma-separated string.
    pub fn serialize<S: Serializer, T: Display>(
        value: &Option<Vec<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(list) => super::serialize(list, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads `null` as `None` and anything else as [`super::deserialize`] does.
    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: FromStr + Deserialize<'de>,
        T::Err: Display,
    {
        deserializer.deserialize_option(OptionVisitor(PhantomData))
    }

    struct OptionVisitor<T>(PhantomData<T>);

    impl<'de, T> Visitor<'de> for OptionVisitor<T>
    where
        T: FromStr + Deserialize<'de>,
        T::Err: Display,
    {
        type Value = Option<Vec<T>>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("null, a comma-separated string or an array")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            super::deserialize(deserializer).map(Some)
        }
    }
}

struct CsvVisitor<T>(PhantomData<T>);

impl<'de, T> Visitor<'de> for CsvVisitor<T>
where
    T: FromStr + Deserialize<'de>,
    T::Err: Display,
{
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a comma-separated string or an array")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        if value.trim().is_empty() {
            return Ok(Vec::new());
        }
        value
            .split(',')
            .map(|item| {
                item.trim()
                    .parse::<T>()
                    .map_err(|err| E::custom(format!("bad list item `{item}`: {err}")))
            })
            .collect()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }
}

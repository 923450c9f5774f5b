//! Optional fields where `null` means something: `None` is absent, `Some(None)` is `null`.
//!
//! Used through `#[serde(default, with = "rt::nullable", skip_serializing_if = "Option::is_none")]`;
//! serde alone reads a `null` as an absent field.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `Some(None)` as `null` and `Some(Some(v))` as `v` (`None` is skipped by the field's
/// `skip_serializing_if`).
pub fn serialize<S, T>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
{
    match value {
        Some(inner) => inner.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

/// Reads a present field, `null` included, as `Some(..)`.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

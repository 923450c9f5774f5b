//! Optional fields where `null` means something: `None` is absent, `Some(None)` is `null`.
//!
//! Used through `#[serde(default, deserialize_with = "crate::runtime::nullable::deserialize")]`;
//! serde alone reads a `null` as an absent field.

use serde::{Deserialize, Deserializer};

/// Reads a present field, `null` included, as `Some(..)`.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

//! What `#[derive(rt::Deserialize)]` expands to calls: the lean map-only decoding of generated
//! structs (see the `open-platform-runtime-derive` crate for why it is not serde's derive).
//!
//! Not part of the public API: the expansion is its only caller (in the crates that derive
//! `rt::Deserialize`, the generated one among them, and in the tests that compare it with
//! serde's derive).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, Visitor};

/// A struct decoded from the entries of a map.
pub trait FromMap: Sized {
    /// The struct's name, for "expected struct X" errors.
    const NAME: &'static str;
    /// The keys it reads (what a flattening parent hands over).
    const FIELDS: &'static [&'static str];
    /// Reads every entry of `map`.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The one visitor of every derived struct: it accepts a map and nothing else.
pub struct MapVisitor<T>(PhantomData<T>);

impl<T> MapVisitor<T> {
    /// The visitor (a constant, so the expansion names no constructor).
    pub const NEW: Self = MapVisitor(PhantomData);
}

impl<'de, T: FromMap> Visitor<'de> for MapVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// A map key: borrowed from the input where it can be, owned where it had escapes.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("field identifier")
            }

            fn visit_borrowed_str<E: Error>(self, value: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(value)))
            }

            fn visit_str<E: Error>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value.to_owned())))
            }

            fn visit_string<E: Error>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value)))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Decodes the current entry's value into `slot`; a key seen twice is an error.
#[inline]
pub fn field<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    key: &'static str,
) -> Result<(), A::Error> {
    vacant(slot, key)?;
    *slot = Some(map.next_value()?);
    Ok(())
}

/// An error if `slot` already holds the value of `key`.
#[inline]
pub fn vacant<T, E: Error>(slot: &Option<T>, key: &'static str) -> Result<(), E> {
    match slot {
        Some(_) => Err(E::duplicate_field(key)),
        None => Ok(()),
    }
}

/// The value of a required `key`, or a `missing field` error.
#[inline]
pub fn required<T, E: Error>(slot: Option<T>, key: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(key))
}

/// Skips the current entry's value (an unknown key).
#[inline]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

//! Reading enum values for the generated enums, which keep values they do not know.

use std::fmt;

use serde::de::{self, Visitor};
use serde::Deserializer;

/// Reads a string enum value; an integer is accepted too and read as its decimal text.
pub fn read_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer.deserialize_any(TextVisitor)
}

/// Reads an integer enum value; a numeric string is accepted too.
pub fn read_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let text = deserializer.deserialize_any(TextVisitor)?;
    text.trim().parse().map_err(|_| {
        de::Error::custom(format_args!("expected an integer enum value, got `{text}`"))
    })
}

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an integer")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

//! Reading and writing tagged unions, for the generated `Serialize`/`Deserialize` impls.
//!
//! serde's derive cannot keep an unknown tag together with its data (serde-rs/serde#912), so
//! generated unions read the object once into a `serde_json::Value`, pick the variant by its
//! tag, and keep the raw value for tags this version does not know.

use serde::de::{self, DeserializeOwned};
use serde::ser::{self, SerializeMap};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A union object split into its tag and its content.
#[derive(Debug)]
pub struct Tagged {
    /// The tag's value.
    pub tag: String,
    /// The content field's value (`null` when absent), or the whole object when the union's
    /// variant fields sit beside the tag.
    pub content: Value,
}

/// Reads a union object. `content_field` is `None` when variant fields sit beside the tag.
pub fn read_tagged<'de, D: Deserializer<'de>>(
    deserializer: D,
    tag_field: &'static str,
    content_field: Option<&'static str>,
) -> Result<Tagged, D::Error> {
    let Value::Object(mut object) = Value::deserialize(deserializer)? else {
        return Err(de::Error::custom(format_args!(
            "expected an object with a `{tag_field}` tag"
        )));
    };
    let tag = match object.get(tag_field) {
        Some(Value::String(tag)) => tag.clone(),
        Some(other) => {
            return Err(de::Error::custom(format_args!(
                "the `{tag_field}` tag is not a string: {other}"
            )))
        }
        None => return Err(de::Error::missing_field(tag_field)),
    };
    let content = match content_field {
        Some(field) => object.remove(field).unwrap_or(Value::Null),
        None => Value::Object(object),
    };
    Ok(Tagged { tag, content })
}

/// Decodes a variant's content.
pub fn decode_variant<T: DeserializeOwned, E: de::Error>(
    tag: &str,
    content: Value,
) -> Result<T, E> {
    serde_json::from_value(content).map_err(|err| E::custom(format_args!("variant `{tag}`: {err}")))
}

/// Writes a known variant: `{tag: .., content: ..}`, or the variant's fields beside the tag.
pub fn write_variant<S: Serializer, T: Serialize>(
    serializer: S,
    tag_field: &'static str,
    tag: &str,
    content_field: Option<&'static str>,
    value: &T,
) -> Result<S::Ok, S::Error> {
    match content_field {
        Some(field) => {
            let mut map = serializer.serialize_map(Some(2))?;
            map.serialize_entry(tag_field, tag)?;
            map.serialize_entry(field, value)?;
            map.end()
        }
        None => {
            let Value::Object(fields) = serde_json::to_value(value).map_err(ser::Error::custom)?
            else {
                return Err(ser::Error::custom(
                    "a union variant without a content field must be an object",
                ));
            };
            write_beside_tag(serializer, tag_field, tag, &fields)
        }
    }
}

/// Writes an object's fields with the tag first (replacing any tag it already holds).
fn write_beside_tag<S: Serializer>(
    serializer: S,
    tag_field: &'static str,
    tag: &str,
    fields: &serde_json::Map<String, Value>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(fields.len() + 1))?;
    map.serialize_entry(tag_field, tag)?;
    for (key, value) in fields.iter().filter(|(key, _)| key.as_str() != tag_field) {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

/// Writes an unknown variant back as it was received.
pub fn write_unknown<S: Serializer>(
    serializer: S,
    tag_field: &'static str,
    tag: &str,
    content_field: Option<&'static str>,
    content: &Value,
) -> Result<S::Ok, S::Error> {
    match content_field {
        Some(field) => {
            let mut map = serializer.serialize_map(Some(2))?;
            map.serialize_entry(tag_field, tag)?;
            map.serialize_entry(field, content)?;
            map.end()
        }
        // A value decoded from the wire already holds its tag; one built by hand may not.
        None => match content {
            Value::Object(fields) if fields.get(tag_field).and_then(Value::as_str) != Some(tag) => {
                write_beside_tag(serializer, tag_field, tag, fields)
            }
            other => other.serialize(serializer),
        },
    }
}

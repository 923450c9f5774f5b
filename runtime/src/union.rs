//! Reading and writing tagged unions, for the generated `Serialize`/`Deserialize` impls.
//!
//! serde's derive cannot keep an unknown tag together with its data (serde-rs/serde#912), so
//! generated unions implement [`Union`] and read through [`read`]: when the tag comes first
//! (as every platform sends it) the variant is decoded straight from the rest of the object,
//! with nothing buffered; only members that come before the tag, and the content of a tag
//! this version does not know, are kept as `serde_json::Value`.

mod beside;

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::de::Key;

/// A generated union: its wire layout and its known variants.
pub trait Union: Sized {
    /// The member whose string value selects the variant.
    const TAG: &'static str;
    /// The member holding the variant's value; `None` when the variant's fields sit beside
    /// the tag.
    const CONTENT: Option<&'static str>;
    /// The tag values this version knows.
    const VARIANTS: &'static [&'static str];

    /// Decodes the variant of a known `tag` (one of [`VARIANTS`](Self::VARIANTS)) from `d`:
    /// the content member's value, or the object's other members.
    fn read_variant<'de, D: Deserializer<'de>>(tag: &str, d: D) -> Result<Self, D::Error>;

    /// The variant of a tag this version does not know, keeping its raw content: the content
    /// member's value (`null` when absent), or the whole object when fields sit beside the tag.
    fn unknown(tag: String, content: Value) -> Self;
}

/// Reads a union object.
pub fn read<'de, U: Union, D: Deserializer<'de>>(d: D) -> Result<U, D::Error> {
    d.deserialize_map(UnionVisitor::<U>(PhantomData))
}

struct UnionVisitor<U>(PhantomData<U>);

impl<'de, U: Union> Visitor<'de> for UnionVisitor<U> {
    type Value = U;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with a `{}` tag", U::TAG)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<U, A::Error> {
        // Members before the tag, kept until the tag says what they are.
        let mut before = Map::new();
        let tag = loop {
            // Keys are borrowed from the input where they can be: the common case allocates
            // nothing until the variant's own fields.
            let Some(key) = map.next_key::<Key<'de>>()? else {
                return Err(de::Error::missing_field(U::TAG));
            };
            if key.as_str() == U::TAG {
                break map.next_value_seed(TagSeed(U::TAG))?;
            }
            let value = map.next_value::<Value>()?;
            before.insert(key.as_str().to_owned(), value);
        };
        let known = U::VARIANTS.contains(&&*tag);
        match U::CONTENT {
            Some(field) => read_content::<U, A>(map, &tag, field, known, before),
            None if known && before.is_empty() => {
                // The common case: the variant's fields follow the tag; decode them in place.
                U::read_variant(&tag, MapAccessDeserializer::new(map))
            }
            None => {
                let tag = tag.into_owned();
                let mut object = before;
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    object.insert(key, value);
                }
                if known {
                    from_value(&tag, Value::Object(object))
                } else {
                    object.insert(U::TAG.to_owned(), Value::String(tag.clone()));
                    Ok(U::unknown(tag, Value::Object(object)))
                }
            }
        }
    }
}

/// Reads the tag's value, which must be a string: borrowed from the input when it has no
/// escapes.
struct TagSeed(&'static str);

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for TagSeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the `{}` tag as a string", self.0)
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(text))
    }
}

/// The rest of a union whose variant sits in its `field` member.
fn read_content<'de, U: Union, A: MapAccess<'de>>(
    mut map: A,
    tag: &str,
    field: &'static str,
    known: bool,
    mut before: Map<String, Value>,
) -> Result<U, A::Error> {
    let mut decoded = match before.remove(field) {
        Some(content) => Some(decode_buffered::<U, A::Error>(tag, known, content)?),
        None => None,
    };
    while let Some(key) = map.next_key::<Key<'de>>()? {
        if key.as_str() == field && decoded.is_none() {
            decoded = Some(map.next_value_seed(ContentSeed::<U> {
                tag,
                known,
                union: PhantomData,
            })?);
        } else {
            map.next_value::<IgnoredAny>()?;
        }
    }
    match decoded {
        Some(union) => Ok(union),
        None => decode_buffered::<U, A::Error>(tag, known, Value::Null),
    }
}

/// Decodes the content member's value where it stands.
struct ContentSeed<'t, U> {
    tag: &'t str,
    known: bool,
    union: PhantomData<U>,
}

impl<'de, U: Union> DeserializeSeed<'de> for ContentSeed<'_, U> {
    type Value = U;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<U, D::Error> {
        if self.known {
            U::read_variant(self.tag, d)
        } else {
            Value::deserialize(d).map(|content| U::unknown(self.tag.to_owned(), content))
        }
    }
}

fn decode_buffered<U: Union, E: de::Error>(tag: &str, known: bool, content: Value) -> Result<U, E> {
    if known {
        from_value(tag, content)
    } else {
        Ok(U::unknown(tag.to_owned(), content))
    }
}

/// Decodes a known variant from a kept value, naming the variant in the error (a kept value
/// has no position to report).
fn from_value<U: Union, E: de::Error>(tag: &str, content: Value) -> Result<U, E> {
    U::read_variant(tag, content).map_err(|err| E::custom(format_args!("variant `{tag}`: {err}")))
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
            // The variant's own members are written straight into the union's object after
            // the tag (a member named like the tag is left out), with nothing built between.
            let mut map = serializer.serialize_map(None)?;
            map.serialize_entry(tag_field, tag)?;
            value.serialize(beside::Members::new(&mut map, tag_field))?;
            map.end()
        }
    }
}

/// Writes an object's fields with the tag first (replacing any tag it already holds).
fn write_beside_tag<S: Serializer>(
    serializer: S,
    tag_field: &'static str,
    tag: &str,
    fields: &Map<String, Value>,
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Link {
        url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        msgtype: Option<String>,
    }

    #[derive(Debug, PartialEq)]
    enum Beside {
        Link(Link),
        Unknown { tag: String, content: Value },
    }

    impl Union for Beside {
        const TAG: &'static str = "msgtype";
        const CONTENT: Option<&'static str> = None;
        const VARIANTS: &'static [&'static str] = &["link"];
        fn read_variant<'de, D: Deserializer<'de>>(tag: &str, d: D) -> Result<Self, D::Error> {
            match tag {
                "link" => Link::deserialize(d).map(Self::Link),
                _ => Err(de::Error::unknown_variant(tag, Self::VARIANTS)),
            }
        }
        fn unknown(tag: String, content: Value) -> Self {
            Self::Unknown { tag, content }
        }
    }

    #[derive(Debug, PartialEq)]
    enum Adjacent {
        Link(Link),
        Unknown { tag: String, content: Value },
    }

    impl Union for Adjacent {
        const TAG: &'static str = "type";
        const CONTENT: Option<&'static str> = Some("data");
        const VARIANTS: &'static [&'static str] = &["LINK"];
        fn read_variant<'de, D: Deserializer<'de>>(tag: &str, d: D) -> Result<Self, D::Error> {
            match tag {
                "LINK" => Link::deserialize(d).map(Self::Link),
                _ => Err(de::Error::unknown_variant(tag, Self::VARIANTS)),
            }
        }
        fn unknown(tag: String, content: Value) -> Self {
            Self::Unknown { tag, content }
        }
    }

    fn beside(text: &str) -> Result<Beside, serde_json::Error> {
        read(&mut serde_json::Deserializer::from_str(text))
    }

    fn adjacent(text: &str) -> Result<Adjacent, serde_json::Error> {
        read(&mut serde_json::Deserializer::from_str(text))
    }

    fn link(url: &str) -> Link {
        Link {
            url: url.into(),
            msgtype: None,
        }
    }

    #[test]
    fn a_variant_beside_its_tag_reads_wherever_the_tag_stands() {
        let first = beside(r#"{"msgtype": "link", "url": "u"}"#).unwrap();
        let after = beside(r#"{"url": "u", "msgtype": "link"}"#).unwrap();
        assert_eq!(first, Beside::Link(link("u")));
        assert_eq!(after, Beside::Link(link("u")));
    }

    #[test]
    fn an_unknown_tag_beside_keeps_the_whole_object_with_its_tag() {
        let read = beside(r#"{"msgtype": "card", "x": 1}"#).unwrap();
        assert_eq!(
            read,
            Beside::Unknown {
                tag: "card".into(),
                content: json!({"msgtype": "card", "x": 1})
            }
        );
    }

    #[test]
    fn content_reads_before_or_after_the_tag_and_unknown_content_is_kept() {
        let expected = Adjacent::Link(link("u"));
        let first = adjacent(r#"{"type": "LINK", "x": [1], "data": {"url": "u"}}"#).unwrap();
        let after = adjacent(r#"{"data": {"url": "u"}, "type": "LINK"}"#).unwrap();
        assert_eq!((first, after), (expected, Adjacent::Link(link("u"))));
        let unknown = adjacent(r#"{"type": "NEW", "data": [1, 2]}"#).unwrap();
        assert_eq!(
            unknown,
            Adjacent::Unknown {
                tag: "NEW".into(),
                content: json!([1, 2])
            }
        );
        // No content member: the variant reads from `null`, which a struct refuses.
        assert!(adjacent(r#"{"type": "LINK"}"#).is_err());
    }

    #[test]
    fn a_missing_or_non_string_tag_and_a_non_object_are_errors() {
        let missing = beside(r#"{"url": "u"}"#).unwrap_err().to_string();
        assert!(missing.contains("missing field `msgtype`"), "{missing}");
        let number = beside(r#"{"msgtype": 3}"#).unwrap_err().to_string();
        assert!(
            number.contains("expected the `msgtype` tag as a string"),
            "{number}"
        );
        assert!(beside(r#"["link"]"#).is_err());
        // A variant that does not fit names what does not.
        let bad = beside(r#"{"msgtype": "link", "url": 5}"#)
            .unwrap_err()
            .to_string();
        assert!(bad.contains("invalid type"), "{bad}");
        let kept = beside(r#"{"url": 5, "msgtype": "link"}"#)
            .unwrap_err()
            .to_string();
        assert!(kept.contains("variant `link`"), "{kept}");
    }

    struct Written<'a, T>(&'a T, Option<&'static str>);

    impl<T: Serialize> Serialize for Written<'_, T> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            write_variant(s, "msgtype", "link", self.1, self.0)
        }
    }

    #[test]
    fn a_variant_is_written_beside_its_tag_once() {
        let value = Link {
            url: "u".into(),
            msgtype: Some("stale".into()),
        };
        let text = serde_json::to_string(&Written(&value, None)).unwrap();
        assert_eq!(text, r#"{"msgtype":"link","url":"u"}"#);
        let text = serde_json::to_string(&Written(&value, Some("data"))).unwrap();
        assert_eq!(
            text,
            r#"{"msgtype":"link","data":{"url":"u","msgtype":"stale"}}"#
        );
        // A map (as a struct with a flattened member writes) goes through too.
        let map = std::collections::BTreeMap::from([("a", 1)]);
        let text = serde_json::to_string(&Written(&map, None)).unwrap();
        assert_eq!(text, r#"{"msgtype":"link","a":1}"#);
    }

    #[test]
    fn only_an_object_can_be_written_beside_a_tag() {
        let error = serde_json::to_string(&Written(&"text", None)).unwrap_err();
        assert!(error.to_string().contains("must be an object"), "{error}");
        assert!(serde_json::to_string(&Written(&[1, 2], None)).is_err());
        assert_eq!(
            serde_json::to_string(&Written(&(), None)).unwrap(),
            r#"{"msgtype":"link"}"#
        );
    }
}

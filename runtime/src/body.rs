//! Request bodies: JSON, form-urlencoded and multipart, with file parts that are streamed
//! rather than read into memory.

use std::fmt;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::io::AsyncRead;

use crate::HttpRequest;

/// The body of a request, as the operation's encoding produced it.
///
/// Form fields and multipart parts stay separate values until the transport sends them, so
/// that the runtime can add the token or a signature to them and a test can inspect them.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// A JSON document (`application/json`).
    Json(Vec<u8>),
    /// Name-value pairs (`application/x-www-form-urlencoded`), in order.
    Form(Vec<(String, String)>),
    /// Parts (`multipart/form-data`), in order.
    Multipart(Vec<Part>),
}

impl Body {
    /// Whether there is no body.
    pub fn is_empty(&self) -> bool {
        matches!(self, Body::Empty)
    }

    /// The JSON bytes, for a JSON body.
    pub fn as_json(&self) -> Option<&[u8]> {
        match self {
            Body::Json(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// Whether a file part reads from a reader that an earlier attempt already took: such a
    /// body cannot be sent again, so the call is neither retried nor replayed.
    pub(crate) fn reader_consumed(&self) -> bool {
        match self {
            Body::Multipart(parts) => parts.iter().any(|part| match &part.content {
                PartContent::File(file) => file.reader_consumed(),
                PartContent::Text(_) => false,
            }),
            Body::Empty | Body::Json(_) | Body::Form(_) => false,
        }
    }

    /// The value of the first form field called `name`, for a form body.
    pub fn form_field(&self, name: &str) -> Option<&str> {
        match self {
            Body::Form(fields) => fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The part's name (`media`).
    pub name: String,
    /// Its content.
    pub content: PartContent,
}

/// What a multipart part holds.
#[derive(Debug, Clone, PartialEq)]
pub enum PartContent {
    /// A text value.
    Text(String),
    /// A file.
    File(FilePart),
}

/// A file sent as a multipart part: from bytes in memory, from a path (opened and streamed
/// when the request is sent, so a large file is never read whole into memory, and opened again
/// for a retry), or from an async reader (streamed once: a call whose reader was consumed is
/// not retried).
#[derive(Clone)]
pub struct FilePart {
    pub(crate) source: FileSource,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
}

/// Where a file part's bytes come from.
#[derive(Clone)]
pub(crate) enum FileSource {
    Bytes(bytes::Bytes),
    Path(PathBuf),
    Reader(SharedReader),
}

/// A reader that the first attempt takes; `None` once taken.
pub(crate) type SharedReader = Arc<Mutex<Option<BoxedReader>>>;

/// The reader of a file part.
pub(crate) type BoxedReader = Pin<Box<dyn AsyncRead + Send + Sync>>;

impl FilePart {
    /// A file from bytes in memory.
    pub fn from_bytes(bytes: impl Into<bytes::Bytes>) -> Self {
        Self::new(FileSource::Bytes(bytes.into()))
    }

    /// The file at `path`, streamed when the request is sent; its file name is the path's
    /// last component unless [`FilePart::file_name`] sets another.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        Self {
            file_name,
            ..Self::new(FileSource::Path(path))
        }
    }

    /// A file read from `reader` while the request is sent. It can be sent once: a call whose
    /// first attempt consumed it is not retried.
    pub fn from_reader(reader: impl AsyncRead + Send + Sync + 'static) -> Self {
        let reader: BoxedReader = Box::pin(reader);
        Self::new(FileSource::Reader(Arc::new(Mutex::new(Some(reader)))))
    }

    /// Whether this part reads from a reader that an attempt already took.
    fn reader_consumed(&self) -> bool {
        match &self.source {
            FileSource::Reader(slot) => lock(slot).is_none(),
            FileSource::Bytes(_) | FileSource::Path(_) => false,
        }
    }

    fn new(source: FileSource) -> Self {
        Self {
            source,
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent with the part (`filename="..."`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's content type (default `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name sent with the part, if any.
    pub fn name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type sent with the part, if set.
    pub fn mime(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The bytes, when the part was made from bytes in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.source {
            FileSource::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// The path, when the part streams a file.
    pub fn path(&self) -> Option<&std::path::Path> {
        match &self.source {
            FileSource::Path(path) => Some(path),
            _ => None,
        }
    }
}

/// The reader's slot; a panic elsewhere while it was held leaves the slot usable.
fn lock(slot: &SharedReader) -> std::sync::MutexGuard<'_, Option<BoxedReader>> {
    slot.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Takes the reader out of its slot for the attempt that sends it.
#[cfg(feature = "files")]
pub(crate) fn take_reader(slot: &SharedReader) -> Result<BoxedReader, String> {
    lock(slot).take().ok_or_else(|| {
        "the file part's reader was consumed by an earlier attempt; a file read from a reader \
         can be sent once (use FilePart::from_path or from_bytes for a call that may be retried)"
            .to_owned()
    })
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            FileSource::Bytes(bytes) => format!("{} bytes", bytes.len()),
            FileSource::Path(path) => format!("path {}", path.display()),
            FileSource::Reader(_) => "reader".to_owned(),
        };
        f.debug_struct("FilePart")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// Equal when both hold the same bytes, the same path or the very same reader.
impl PartialEq for FilePart {
    fn eq(&self, other: &Self) -> bool {
        let same_source = match (&self.source, &other.source) {
            (FileSource::Bytes(a), FileSource::Bytes(b)) => a == b,
            (FileSource::Path(a), FileSource::Path(b)) => a == b,
            (FileSource::Reader(a), FileSource::Reader(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        same_source && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

/// Adds a member to a JSON object body, a field to a form body or a text part to a multipart
/// body (the token or a signature that travels in the body). An empty body becomes a JSON
/// object holding just this member, declared as JSON like every JSON body (the content type of
/// a body built with the request is set by `ApiRequest::http_request_at`).
pub(crate) fn add_field(request: &mut HttpRequest, name: &str, value: &str) -> Result<(), String> {
    let body = &mut request.body;
    match body {
        Body::Empty => {
            let object = serde_json::json!({ name: value });
            *body = Body::Json(object.to_string().into_bytes());
            if request.header("content-type").is_none() {
                request.headers.push((
                    "content-type".to_owned(),
                    "application/json;charset=UTF-8".to_owned(),
                ));
            }
        }
        Body::Json(bytes) => {
            // Splice the member in after the opening brace rather than parsing and re-encoding
            // the whole body: generated bodies are always objects.
            let open = bytes
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .filter(|&i| bytes[i] == b'{')
                .ok_or_else(|| {
                    format!("cannot add `{name}` to a JSON body that is not an object")
                })?;
            let empty = bytes[open + 1..]
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|&b| b == b'}');
            let member = format!(
                "{}:{}{}",
                serde_json::Value::from(name),
                serde_json::Value::from(value),
                if empty { "" } else { "," }
            );
            bytes.splice(open + 1..open + 1, member.into_bytes());
        }
        Body::Form(fields) => fields.push((name.to_owned(), value.to_owned())),
        Body::Multipart(parts) => parts.push(Part {
            name: name.to_owned(),
            content: PartContent::Text(value.to_owned()),
        }),
    }
    Ok(())
}

/// The result of encoding a request's body.
pub type EncodedBody = Result<Body, serde_json::Error>;

/// Encodes a request's body members as JSON; non-body members are marked `#[serde(skip)]`.
pub fn json_body<T: Serialize>(request: &T) -> EncodedBody {
    serde_json::to_vec(request).map(Body::Json)
}

/// Encodes a request's body members as form fields: strings as they are, numbers and booleans
/// as their JSON text, objects and lists as JSON text (as the platforms' form endpoints read
/// them); absent (`null`) members are left out.
pub fn form_body<T: Serialize>(request: &T) -> EncodedBody {
    Ok(Body::Form(fields(request)?))
}

/// Encodes a request as multipart: its serialized members as text parts (as [`form_body`]
/// writes them), then its files.
pub fn multipart_body<T: Serialize + HasFiles>(request: &T) -> EncodedBody {
    let mut parts: Vec<Part> = fields(request)?
        .into_iter()
        .map(|(name, value)| Part {
            name,
            content: PartContent::Text(value),
        })
        .collect();
    parts.extend(request.file_parts());
    Ok(Body::Multipart(parts))
}

/// A request with file parts; implemented by generated requests of multipart operations.
pub trait HasFiles {
    /// The file parts, named by their wire names, in the spec's order.
    fn file_parts(&self) -> Vec<Part>;
}

/// A file part named `name`, for [`HasFiles`] implementations; `None` when the optional file
/// is absent.
pub fn file_part(name: &str, file: Option<&FilePart>) -> Option<Part> {
    file.map(|file| Part {
        name: name.to_owned(),
        content: PartContent::File(file.clone()),
    })
}

/// The top-level members of `request` in the order it serializes them (serde_json's own map
/// would sort them), with string values unquoted.
fn fields<T: Serialize>(request: &T) -> Result<Vec<(String, String)>, serde_json::Error> {
    let json = serde_json::to_vec(request)?;
    let Members(members) = serde_json::from_slice(&json)?;
    let mut fields = Vec::with_capacity(members.len());
    for (name, value) in members {
        let text = value.get();
        let text = match text.as_bytes().first() {
            Some(b'n') => continue,
            Some(b'"') => serde_json::from_str::<String>(text)?,
            _ => text.to_owned(),
        };
        fields.push((name, text));
    }
    Ok(fields)
}

/// An object's members in document order, each value kept as its JSON text.
struct Members(Vec<(String, Box<serde_json::value::RawValue>)>);

impl<'de> serde::Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a form or multipart body as an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::{add_field, Body};
    use crate::{HttpRequest, Method};

    fn request(body: Body, headers: Vec<(String, String)>) -> HttpRequest {
        HttpRequest {
            method: Method::Get,
            url: "https://example.com/ping".parse().expect("a URL"),
            headers,
            body,
        }
    }

    #[test]
    fn a_field_added_to_an_empty_body_makes_a_declared_json_body() {
        let mut http = request(Body::Empty, Vec::new());
        add_field(&mut http, "access_token", "tok").expect("added");
        assert_eq!(http.body, Body::Json(br#"{"access_token":"tok"}"#.to_vec()));
        assert_eq!(
            http.header("content-type"),
            Some("application/json;charset=UTF-8")
        );
        // A second field joins the object; the content type is not repeated.
        add_field(&mut http, "sign", "s").expect("added");
        assert_eq!(
            http.body,
            Body::Json(br#"{"sign":"s","access_token":"tok"}"#.to_vec())
        );
        let declared = http
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .count();
        assert_eq!(declared, 1);
    }

    #[test]
    fn a_field_added_to_a_form_keeps_the_transports_content_type() {
        let mut http = request(Body::Form(vec![("a".into(), "1".into())]), Vec::new());
        add_field(&mut http, "access_token", "tok").expect("added");
        assert_eq!(
            http.body,
            Body::Form(vec![
                ("a".into(), "1".into()),
                ("access_token".into(), "tok".into())
            ])
        );
        assert_eq!(http.header("content-type"), None, "set by the transport");
    }
}

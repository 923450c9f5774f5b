//! The hand-written runtime that every generated platform module stands on: HTTP, auth,
//! response envelopes, errors, validation and the few serde helpers the specs need.
//!
//! Generated code only describes operations (as constants and small trait impls) and calls
//! into this module, so the behaviour of a call is ordinary reviewed Rust, written once.

mod client;
pub mod csv;
#[doc(hidden)]
pub mod de;
mod declare;
pub mod enums;
mod envelope;
mod error;
mod http;
pub mod lenient;
#[cfg(feature = "mock")]
pub mod mock;
pub mod nullable;
mod pagination;
mod request;
mod retry;
mod secret;
mod service;
mod token;
mod transport;
pub mod union;
mod validate;

#[doc(hidden)]
pub use crate::{__builder as builder, __client as client, __setter};
pub use client::{CallOptions, Client, ClientBuilder, Platform};
pub use csv::Csv;
pub use envelope::{decode_response, EnvelopeCode};
pub use error::{
    ApiError, Error, InvalidRequest, ReceivedCode, TransportError, TransportErrorKind,
};
pub use http::{HttpRequest, HttpResponse, Method};
/// serde's `Deserialize`, derived for the map form only; see [`open_platform_clients_derive`].
#[doc(hidden)]
pub use open_platform_clients_derive::Deserialize;
pub use pagination::{ItemStream, Paginated};
pub use request::{
    encode_path_segment, fill_path, json_body, ApiRequest, EnvelopeCodeOf, JsonBody, JsonBodyOf,
    ParamValue, Params,
};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use service::{AuthPlacement, Base, Code, Envelope, ErrorMeaning, KnownCode, Operation};
pub use token::{
    token_fn, FetchedToken, FnToken, InMemoryTokenStore, IssuedToken, StaticToken, StoredToken,
    TokenRequest, TokenSource, TokenStore,
};
pub use transport::{BoxFuture, ReqwestTransport, Transport};
pub use validate::{validate, Validate, Validator};

/// The result of a call: the response, or what went wrong.
pub type Result<T, E = Error> = ::std::result::Result<T, E>;

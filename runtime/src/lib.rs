//! The hand-written runtime that the generated clients of `open-platform-clients` stand on:
//! HTTP, auth, response envelopes, errors, validation and the few serde helpers the specs need.
//!
//! Generated code only describes operations (as constants and small trait impls) and calls
//! into this crate, so the behaviour of a call is ordinary reviewed Rust, written once. Users
//! of the generated crate reach it as `open_platform_clients::runtime`; generated code names
//! it `::open_platform_runtime`, through one `rt` alias per file.

#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod body;
#[cfg(feature = "callback")]
#[cfg_attr(docsrs, doc(cfg(feature = "callback")))]
pub mod callback;
mod client;
mod code;
pub mod csv;
#[doc(hidden)]
pub mod de;
mod declare;
mod download;
pub mod enums;
mod envelope;
mod error;
mod event;
mod http;
pub mod lenient;
mod millis;
#[cfg(feature = "mock")]
pub mod mock;
pub mod nullable;
mod pagination;
mod pushed;
mod rate;
#[cfg(feature = "redis")]
mod redis_store;
mod request;
mod retry;
mod secret;
mod service;
mod sign;
mod spans;
#[cfg(feature = "stream")]
#[cfg_attr(docsrs, doc(cfg(feature = "stream")))]
pub mod stream;
mod token;
mod transport;
pub mod union;
mod validate;

#[doc(hidden)]
pub use crate::{__builder as builder, __client as client};
pub use body::{
    file_part, form_body, json_body, multipart_body, Body, EncodedBody, FilePart, HasFiles, Part,
    PartContent,
};
pub use client::{CallOptions, Client, ClientBuilder, Platform};
pub use code::{Code, ErrorMeaning, KnownCode, ReceivedCode};
pub use csv::Csv;
pub use download::{Download, DownloadStream};
pub use envelope::{decode_response, EnvelopeCode};
pub use error::{ApiError, Error, InvalidRequest, PageKind, TransportError, TransportErrorKind};
pub use event::{decode_event_payload, EventError, Events};
pub use http::{HttpRequest, HttpResponse, Method};
pub use millis::Millis;
/// serde's `Deserialize`, derived for the map form only; see [`open_platform_runtime_derive`].
#[doc(hidden)]
pub use open_platform_runtime_derive::Deserialize;
pub use pagination::{ItemStream, Page, PageStream, Paginated};
pub use pushed::PushedValues;
#[cfg(feature = "rate")]
#[cfg_attr(docsrs, doc(cfg(feature = "rate")))]
pub use rate::InProcessRateLimiter;
#[cfg(all(feature = "rate", feature = "redis"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "rate", feature = "redis"))))]
pub use rate::{RateDecision, RedisRateLimiter};
pub use rate::{RateKey, RateLimitError, RateLimiter};
/// The redis-rs crate the `redis` feature stands on, so that the connection given to
/// `RedisRateLimiter::new` (features `rate` and `redis`) comes from the same version without a dependency of one's own.
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis_store::{RedisStoreError, RedisTokenStore};
pub use request::{
    encode_path_segment, fill_path, ApiRequest, BodyOf, EnvelopeCodeOf, JsonText, ParamValue,
    Params,
};
/// The URL type of [`HttpRequest::url`], so that a custom [`Transport`] needs no `reqwest` of
/// its own.
pub use reqwest::Url;
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use service::{
    AuthPlacement, Base, Credential, DigestAlgorithm, Envelope, Operation, Place, RateLimit,
    RateScope, Signing, SigningStyle, TimestampFormat,
};
pub use sign::SigningKey;
#[cfg(feature = "signing")]
#[cfg_attr(docsrs, doc(cfg(feature = "signing")))]
pub use sign::{sign, SignError};
pub use token::{
    token_fn, FetchLock, FetchedToken, FnToken, InMemoryTokenStore, IssuedToken, LockOwner,
    StaticToken, StoredToken, TokenKey, TokenRequest, TokenSource, TokenStore,
};
pub use transport::{BoxFuture, ByteStream, ReqwestTransport, StreamingResponse, Transport};
#[cfg(feature = "pattern")]
pub use validate::Pattern;
pub use validate::{validate, Validate, Validator};

/// The result of a call: the response, or what went wrong.
pub type Result<T, E = Error> = ::std::result::Result<T, E>;

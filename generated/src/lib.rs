//! Typed async clients for Chinese enterprise open platforms, generated from the YAML specs in
//! `specs/` by `cargo xtask codegen`.
//!
//! Each platform is a module behind a cargo feature of the same name. A platform module has a
//! `Client` with one sub-client per API group and one method per documented operation, request
//! types that can be built and inspected without a server, and response types that tolerate
//! unknown fields.
//!
//! ```no_run
//! # async fn demo() -> Result<(), open_platform_clients::runtime::Error> {
//! use open_platform_clients::dingtalk::{self, blackboard};
//! use open_platform_clients::runtime::StaticToken;
//!
//! let dt: dingtalk::Client = dingtalk::Client::builder()
//!     .token(StaticToken::new("access-token"))
//!     .build()
//!     .expect("TLS backend available");
//! let categories = dt
//!     .blackboard()
//!     .list_categories(blackboard::ListCategoriesRequest::new("manager01"))
//!     .await?;
//! println!("{:?}", categories.result);
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod runtime;

// Platform modules are generated and formatted by prettyplease, not rustfmt. Each compiles
// under the hidden `_<platform>` feature, which the platform feature and every one of its
// group features (`dingtalk-report`, ...) enable; see the generated [features] in Cargo.toml.
#[cfg(feature = "_chengxun")]
#[rustfmt::skip]
pub mod chengxun;
#[cfg(feature = "_dingtalk")]
#[rustfmt::skip]
pub mod dingtalk;
#[cfg(feature = "_tze")]
#[rustfmt::skip]
pub mod tze;

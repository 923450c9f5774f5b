//! The workspace test crate. Its library part compiles the code generated for the
//! `tests/fixtures/kitchen_sink` platform, which uses every construct of the spec format, so
//! that emitter paths the real specs do not reach yet are compiled and called by tests.
//! The tests themselves live in `tests/tests/*.rs`.

/// Generated code refers to `crate::runtime`; here that is the product's runtime.
pub use open_platform_clients::runtime;

#[rustfmt::skip]
#[path = "../fixtures/kitchen_sink/out/src/kitchen_sink/mod.rs"]
pub mod kitchen_sink;

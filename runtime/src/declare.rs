//! Declarations that generated code makes as one line per item instead of a method each: the
//! constructor and setters of every type callers build ([`builder!`](crate::builder)),
//! and a group's sub-client with one method per operation ([`client!`](crate::client)).
//!
//! These methods have one shape each, repeated thousands of times on a large platform.
//! Declaring them keeps the generated files short and their diffs to one line per field or
//! operation, and the expansion is the same code the generator would otherwise write out.
//!
//! ```ignore
//! rt::builder!(ListRequest {
//!     new(dept_id: i64, name: impl Into<String>);
//!     cursor: i64;
//!     new_: bool => with_new;
//! });
//! ```
//!
//! `new` takes the required fields in order; every other line is an optional field (stored as
//! `Option<T>`) with the argument type of its setter. A setter is named after its field unless
//! the line ends with `=> setter`. Arguments are converted with `Into`, which is the identity
//! for every argument type except `impl Into<_>`.
//!
//! The constructor and setters are `#[inline]`, like the client methods: a setter that takes
//! a concrete type is otherwise compiled to machine code whenever the generated crate is
//! built, for every field of every type, whether or not anything calls it.

/// The constructor and setters of a type; see the module documentation.
#[doc(hidden)]
#[macro_export]
macro_rules! __builder {
    ($ty:ident {
        new($($required:ident: $required_ty:ty),* $(,)?);
        $($optional:ident: $optional_ty:ty $(=> $setter:ident)?;)*
    }) => {
        impl $ty {
            /// Creates a value with the required fields; optional ones start empty.
            #[allow(clippy::new_without_default, clippy::too_many_arguments, clippy::useless_conversion)]
            #[inline]
            pub fn new($($required: $required_ty),*) -> Self {
                Self {
                    $($required: ::core::convert::Into::into($required),)*
                    $($optional: ::core::option::Option::None,)*
                }
            }
            $($crate::__setter!($optional: $optional_ty $(, $setter)?);)*
        }
    };
}

/// One setter of [`__builder`]: named after the field, or as given.
#[doc(hidden)]
#[macro_export]
macro_rules! __setter {
    ($field:ident: $ty:ty) => {
        $crate::__setter!($field: $ty, $field);
    };
    ($field:ident: $ty:ty, $setter:ident) => {
        #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ").")]
        #[allow(clippy::useless_conversion)]
        #[inline]
        pub fn $setter(mut self, $field: $ty) -> Self {
            self.$field = ::core::option::Option::Some(::core::convert::Into::into($field));
            self
        }
    };
}

/// A group's sub-client: a borrowed [`Client`](crate::Client) with one method per
/// operation, each sending its request type and returning a future of its response type.
///
/// ```ignore
/// rt::client!(
///     /// The operations of 公告.
///     BlackboardClient {
///         /// 创建公告
///         fn create(CreateRequest) -> CreateResponse;
///     }
/// );
/// ```
///
/// The methods are `#[inline]`: a call's request encoding and response decoding are compiled
/// in the crate that makes the call, for the operations it calls, rather than for every
/// operation whenever the generated crate is built. They return [`Client::send`]'s future
/// rather than being `async fn`s of their own: a thousand one-line `async fn`s made the
/// compiler build and borrow-check a thousand state machines (62 s -> 45 s for the crate at
/// 1,000 synthetic operations). The future borrows only the client, not the sub-client.
///
/// [`Client::send`]: crate::Client::send
#[doc(hidden)]
#[macro_export]
macro_rules! __client {
    ($(#[$meta:meta])* $client:ident {
        $($(#[$method_meta:meta])* fn $method:ident($request:ty) -> $response:ty;)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        pub struct $client<'a> {
            client: &'a $crate::Client,
        }

        impl<'a> $client<'a> {
            pub(crate) fn new(client: &'a $crate::Client) -> Self {
                Self { client }
            }
            $(
                $(#[$method_meta])*
                #[inline]
                pub fn $method(
                    &self,
                    request: $request,
                ) -> impl ::core::future::Future<Output = $crate::Result<$response>> + 'a {
                    self.client.send(request)
                }
            )*
        }
    };
}

//! The constructor and setters of every type callers build (requests and the models they
//! carry), declared by generated code as one list instead of a method per field.
//!
//! A setter is four lines of identical shape; a thousand-endpoint platform has thousands of
//! them. Declaring them keeps the generated files short and their diffs to one line per field,
//! and the expansion is the same code the generator would otherwise have written out.
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

/// See the [module documentation](self).
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
            pub fn new($($required: $required_ty),*) -> Self {
                Self {
                    $($required: ::core::convert::Into::into($required),)*
                    $($optional: ::core::option::Option::None,)*
                }
            }
            $($crate::runtime::__setter!($optional: $optional_ty $(, $setter)?);)*
        }
    };
}

/// One setter of [`__builder`]: named after the field, or as given.
#[doc(hidden)]
#[macro_export]
macro_rules! __setter {
    ($field:ident: $ty:ty) => {
        $crate::runtime::__setter!($field: $ty, $field);
    };
    ($field:ident: $ty:ty, $setter:ident) => {
        #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ").")]
        #[allow(clippy::useless_conversion)]
        pub fn $setter(mut self, $field: $ty) -> Self {
            self.$field = ::core::option::Option::Some(::core::convert::Into::into($field));
            self
        }
    };
}

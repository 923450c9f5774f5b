//! The spec format's choices, lowered to the IR's own enums.

use crate::ir;
use crate::spec;

impl From<spec::AuthLocation> for ir::AuthLocation {
    fn from(location: spec::AuthLocation) -> Self {
        match location {
            spec::AuthLocation::Query => Self::Query,
            spec::AuthLocation::Header => Self::Header,
            spec::AuthLocation::None => Self::None,
        }
    }
}

impl From<spec::CodeType> for ir::CodeType {
    fn from(ty: spec::CodeType) -> Self {
        match ty {
            spec::CodeType::Integer => Self::Integer,
            spec::CodeType::String => Self::String,
        }
    }
}

impl From<spec::EnumType> for ir::EnumType {
    fn from(ty: spec::EnumType) -> Self {
        match ty {
            spec::EnumType::String => Self::String,
            spec::EnumType::Integer => Self::Integer,
        }
    }
}

impl From<spec::ErrorMeaning> for ir::ErrorMeaning {
    fn from(meaning: spec::ErrorMeaning) -> Self {
        match meaning {
            spec::ErrorMeaning::TokenInvalid => Self::TokenInvalid,
            spec::ErrorMeaning::Busy => Self::Busy,
            spec::ErrorMeaning::RateLimited => Self::RateLimited,
            spec::ErrorMeaning::QuotaExceeded => Self::QuotaExceeded,
            spec::ErrorMeaning::Banned => Self::Banned,
            spec::ErrorMeaning::PermissionDenied => Self::PermissionDenied,
            spec::ErrorMeaning::IpNotAllowed => Self::IpNotAllowed,
            spec::ErrorMeaning::SeeSubCode => Self::SeeSubCode,
        }
    }
}

impl From<spec::PaginationStyle> for ir::PaginationStyle {
    fn from(style: spec::PaginationStyle) -> Self {
        match style {
            spec::PaginationStyle::Cursor => Self::Cursor,
            spec::PaginationStyle::Offset => Self::Offset,
            spec::PaginationStyle::Page => Self::Page,
        }
    }
}

impl From<spec::Lenient> for ir::Lenient {
    fn from(lenient: spec::Lenient) -> Self {
        match lenient {
            spec::Lenient::NumberOrString => Self::NumberOrString,
            spec::Lenient::BoolOrString => Self::BoolOrString,
            spec::Lenient::OneOrMany => Self::OneOrMany,
            spec::Lenient::JsonString => Self::JsonString,
            spec::Lenient::ObjectOrList => Self::ObjectOrList,
        }
    }
}

impl From<spec::Stability> for ir::Stability {
    fn from(stability: spec::Stability) -> Self {
        match stability {
            spec::Stability::Stable => Self::Stable,
            spec::Stability::InDevelopment => Self::InDevelopment,
            spec::Stability::Deprecated => Self::Deprecated,
        }
    }
}

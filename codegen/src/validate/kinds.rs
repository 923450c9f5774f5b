//! The spec format's choices, lowered to the IR's own enums.

use crate::ir;
use crate::spec;

impl From<spec::AuthLocation> for ir::AuthLocation {
    fn from(location: spec::AuthLocation) -> Self {
        match location {
            spec::AuthLocation::Query => Self::Query,
            spec::AuthLocation::Header => Self::Header,
            spec::AuthLocation::Body => Self::Body,
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

impl From<spec::BodyEncoding> for ir::BodyEncoding {
    fn from(encoding: spec::BodyEncoding) -> Self {
        match encoding {
            spec::BodyEncoding::Json => Self::Json,
            spec::BodyEncoding::Form => Self::Form,
            spec::BodyEncoding::Multipart => Self::Multipart,
        }
    }
}

impl From<spec::DigestAlgorithm> for ir::DigestAlgorithm {
    fn from(algorithm: spec::DigestAlgorithm) -> Self {
        match algorithm {
            spec::DigestAlgorithm::Md5 => Self::Md5,
            spec::DigestAlgorithm::HmacMd5 => Self::HmacMd5,
            spec::DigestAlgorithm::HmacSha256 => Self::HmacSha256,
        }
    }
}

impl From<spec::TimestampFormat> for ir::TimestampFormat {
    fn from(format: spec::TimestampFormat) -> Self {
        match format {
            spec::TimestampFormat::UnixMs => Self::UnixMs,
            spec::TimestampFormat::UnixS => Self::UnixS,
            spec::TimestampFormat::DatetimeUtc8 => Self::DatetimeUtc8,
        }
    }
}

impl From<spec::ValueLocation> for ir::ValueLocation {
    fn from(location: spec::ValueLocation) -> Self {
        match location {
            spec::ValueLocation::Query => Self::Query,
            spec::ValueLocation::Header => Self::Header,
            spec::ValueLocation::Body => Self::Body,
        }
    }
}

impl From<spec::RateScope> for ir::RateScope {
    fn from(scope: spec::RateScope) -> Self {
        match scope {
            spec::RateScope::App => ir::RateScope::App,
            spec::RateScope::Tenant => ir::RateScope::Tenant,
            spec::RateScope::Api => ir::RateScope::Api,
        }
    }
}

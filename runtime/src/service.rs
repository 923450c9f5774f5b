//! Descriptions of bases and operations, emitted as constants by the generator.

use crate::code::{Code, KnownCode, ReceivedCode};
use crate::Method;

/// A base URL with its token placement, response envelope and known error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Base {
    /// The spec's id of the base (`oapi`).
    pub id: &'static str,
    /// The production URL, without a trailing slash.
    pub url: &'static str,
    /// Where the access token travels.
    pub auth: AuthPlacement,
    /// How responses signal success.
    pub envelope: Envelope,
    /// What values of the envelope's sub-code field mean, for codes whose meaning is
    /// [`ErrorMeaning::SeeSubCode`](crate::ErrorMeaning::SeeSubCode).
    pub sub_codes: &'static [KnownCode],
    /// The spec's error-code catalogue for this base.
    pub error_codes: &'static [KnownCode],
}

impl Base {
    /// What the spec says a code means on this base, if it says anything.
    pub fn meaning_of(&self, code: &ReceivedCode) -> Option<&'static KnownCode> {
        self.error_codes.iter().find(|known| code.is(&known.code))
    }
}

/// Where the access token travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthPlacement {
    /// A query parameter with this name.
    Query(&'static str),
    /// A header with this name.
    Header(&'static str),
    /// Calls carry no token.
    None,
}

/// How a response says whether the call succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// HTTP 200 with a code in the body; `success` is the code of a successful call.
    BodyCode {
        /// The member holding the code (`errcode`).
        code_field: &'static str,
        /// The code of a successful call (`0`).
        success: Code,
        /// The member holding the message (`errmsg`).
        message_field: &'static str,
        /// The member holding the request id, if the platform sends one.
        request_id_field: Option<&'static str>,
        /// The member holding a finer code (DingTalk's `sub_code` for `errcode` 88).
        sub_code_field: Option<&'static str>,
        /// The member holding the finer code's message.
        sub_message_field: Option<&'static str>,
    },
    /// HTTP 2xx with the bare payload on success; 4xx/5xx with a code in the body otherwise.
    HttpStatus {
        /// The member of an error body holding the code (`code`).
        code_field: &'static str,
        /// The member of an error body holding the message.
        message_field: &'static str,
        /// The member holding the request id, if the platform sends one.
        request_id_field: Option<&'static str>,
    },
}

/// One documented endpoint, as the generator describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// `<group>.<operation>` (`blackboard.list_ids`), for errors and traces.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The base that serves it.
    pub base: &'static Base,
    /// The path below the base URL, with `{name}` placeholders for path parameters.
    pub path: &'static str,
    /// Whether the call carries an access token.
    pub auth: bool,
    /// Whether sending the request twice has the effect of sending it once, so that it may be
    /// retried after a failure that leaves open whether the server processed it.
    pub idempotent: bool,
    /// Whether response bodies hold secrets (such as a token endpoint's), so that error
    /// messages must not quote them.
    /// (The request sends a secret, which an error page could echo, counts too.)
    pub secret_response: bool,
}

impl Operation {
    /// An operation that carries an access token, is not idempotent and whose responses hold
    /// no secrets; the methods below change each of these.
    pub const fn new(
        id: &'static str,
        method: Method,
        base: &'static Base,
        path: &'static str,
    ) -> Self {
        Self {
            id,
            method,
            base,
            path,
            auth: true,
            idempotent: false,
            secret_response: false,
        }
    }

    /// Called without an access token.
    pub const fn without_auth(mut self) -> Self {
        self.auth = false;
        self
    }

    /// Safe to send twice; see [`Operation::idempotent`](#structfield.idempotent).
    pub const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Responses hold secrets; see [`Operation::secret_response`](#structfield.secret_response).
    pub const fn secret_response(mut self) -> Self {
        self.secret_response = true;
        self
    }
}

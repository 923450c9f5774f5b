//! Hand-written bases, operations and requests for the runtime's own tests: the runtime is
//! tested without the generated crate, whose generator may be mid-change.

#![allow(dead_code)]

use std::time::Duration;

use open_platform_runtime::{
    AuthPlacement, Base, Body, Client, ClientBuilder, Code, EncodedBody, Envelope, EnvelopeCode,
    EnvelopeCodeOf, ErrorMeaning, KnownCode, Method, Operation, Params, Platform, RetryPolicy,
    Signing,
};

/// The codes the tests' base knows.
pub const ERROR_CODES: &[KnownCode] = &[
    KnownCode {
        code: Code::Integer(40014),
        meaning: ErrorMeaning::TokenInvalid,
        description: "invalid access token",
    },
    KnownCode {
        code: Code::Integer(-1),
        meaning: ErrorMeaning::Busy,
        description: "system busy",
    },
];

/// A DingTalk-like base: token in the query, `errcode`/`errmsg` envelope.
pub const fn base(signing: Option<&'static Signing>, auth: AuthPlacement) -> Base {
    Base {
        id: "oapi",
        url: "https://oapi.example.invalid",
        auth,
        envelope: Envelope::BodyCode {
            code_field: "errcode",
            success: Code::Integer(0),
            message_field: "errmsg",
            request_id_field: Some("request_id"),
            sub_code_field: None,
            sub_message_field: None,
            success_field: None,
            payload: None,
        },
        sub_codes: &[],
        error_codes: ERROR_CODES,
        signing,
        credential: None,
        rate_limit: None,
    }
}

pub static OAPI: Base = base(None, AuthPlacement::Query("access_token"));

/// `GET /media/download?media_id=...`: a file on success.
pub static DOWNLOAD: Operation =
    Operation::new("media.download", Method::Get, &OAPI, "/media/download")
        .idempotent()
        .download();

/// `POST /media/upload`: a multipart upload, idempotent so that the retry rules would allow a
/// retry.
pub static UPLOAD: Operation =
    Operation::new("media.upload", Method::Post, &OAPI, "/media/upload").idempotent();

/// A response with the hidden envelope code, as generated response types have.
#[derive(Debug, serde::Deserialize)]
pub struct Answer {
    #[serde(default)]
    pub errcode: EnvelopeCode,
    #[serde(default)]
    pub media_id: Option<String>,
}

/// The envelope code of an [`Answer`].
pub const ANSWER_CODE: EnvelopeCodeOf<Answer> = Some(|answer: &Answer| &answer.errcode);

/// A download request of [`DOWNLOAD`] (or another operation).
pub struct DownloadRequest {
    pub media_id: &'static str,
}

impl open_platform_runtime::ApiRequest for DownloadRequest {
    type Response = serde_json::Value;
    const OPERATION: &'static Operation = &DOWNLOAD;

    fn write_params(&self, params: &mut Params) {
        params.query("media_id", self.media_id);
    }
}

/// An upload request of [`UPLOAD`] with the given body.
pub struct UploadRequest(pub Body);

impl open_platform_runtime::ApiRequest for UploadRequest {
    type Response = Answer;
    const OPERATION: &'static Operation = &UPLOAD;
    const ENVELOPE_CODE: EnvelopeCodeOf<Answer> = ANSWER_CODE;

    fn body(&self) -> EncodedBody {
        Ok(self.0.clone())
    }
}

/// The tests' platform: the runtime client itself.
pub struct TestPlatform(pub Client);

impl Platform for TestPlatform {
    const BASES: &'static [&'static Base] = &[&OAPI];

    fn from_runtime(client: Client) -> Self {
        Self(client)
    }
}

/// A builder with retries that do not wait, pointing `base` at `url`.
pub fn builder(base: &'static Base, url: &str) -> ClientBuilder<TestPlatform> {
    ClientBuilder::<TestPlatform>::new()
        .retry(RetryPolicy::default().with_delays(Duration::ZERO, Duration::ZERO, Duration::ZERO))
        .base_url(base, url)
}

/// A JSON envelope body.
pub fn envelope(code: i64, message: &str) -> serde_json::Value {
    serde_json::json!({ "errcode": code, "errmsg": message })
}

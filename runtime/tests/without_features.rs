//! What a runtime built without its optional features says when a call needs one.

mod support;

#[cfg(not(feature = "files"))]
#[tokio::test]
async fn multipart_needs_the_files_feature() {
    use open_platform_runtime::{
        Body, FilePart, Part, PartContent, StaticToken, TransportErrorKind,
    };

    let server = wiremock::MockServer::start().await;
    let client = support::builder(&support::OAPI, &server.uri())
        .token(StaticToken::new("tok"))
        .build()
        .expect("client builds")
        .0;
    let body = Body::Multipart(vec![Part {
        name: "media".to_owned(),
        content: PartContent::File(FilePart::from_bytes(&b"x"[..])),
    }]);

    let err = client
        .send(support::UploadRequest(body))
        .await
        .expect_err("no multipart without the feature");

    match &err {
        open_platform_runtime::Error::Transport { source, .. } => {
            assert_eq!(source.kind, TransportErrorKind::Local);
            assert!(source.message.contains("`files` feature"), "{err}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    let received = server.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "nothing was sent, nothing retried");
}

#[cfg(not(feature = "signing"))]
#[tokio::test]
async fn a_signed_operation_needs_the_signing_feature() {
    use open_platform_runtime::{
        AuthPlacement, Base, Method, Operation, Place, Signing, SigningKey, SigningStyle,
        TimestampFormat,
    };

    static ROBOT_SIGNING: Signing = Signing {
        id: "robot",
        style: SigningStyle::HmacTimestamp,
        timestamp: Place::Query("timestamp"),
        timestamp_format: TimestampFormat::UnixMillis,
        signature: Place::Query("sign"),
        key_id: None,
    };
    static ROBOT: Base = support::base(Some(&ROBOT_SIGNING), AuthPlacement::None);
    static SEND: Operation =
        Operation::new("robot.send", Method::Post, &ROBOT, "/robot/send").without_auth();
    struct SendRequest;
    impl open_platform_runtime::ApiRequest for SendRequest {
        type Response = serde_json::Value;
        const OPERATION: &'static Operation = &SEND;
    }

    let server = wiremock::MockServer::start().await;
    let client = support::builder(&ROBOT, &server.uri())
        .signing_key(SigningKey::new("SECxxx"))
        .build()
        .expect("client builds")
        .0;

    let err = client.send(SendRequest).await.expect_err("cannot sign");

    assert!(
        matches!(err, open_platform_runtime::Error::Auth { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("`robot`"), "{err}");
    assert!(err.to_string().contains("`signing` feature"), "{err}");
    let received = server.received_requests().await.expect("recording is on");
    assert!(received.is_empty());
}

//! The generated code of the made-up `kitchen_sink` platform (every construct of the spec
//! format) against a local HTTP server: path, query, header and body parameters together,
//! the three envelope styles, keywords and clashing names, nested limits.

use std::collections::BTreeMap;

use open_platform_clients::runtime::{
    ApiRequest, Error, Method, ReceivedCode, RetryPolicy, StaticToken,
};
use serde_json::json;
use tests::kitchen_sink::{self, owners, things};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> kitchen_sink::Client {
    kitchen_sink::Client::builder()
        .retry(RetryPolicy::none())
        .token(StaticToken::new("tok"))
        .base_url(&kitchen_sink::CLASSIC, server.uri())
        .base_url(&kitchen_sink::MODERN, server.uri())
        .base_url(&kitchen_sink::OPEN, server.uri())
        .build()
        .expect("client")
}

fn update_request() -> things::UpdateThingRequest {
    things::UpdateThingRequest::new(42, "a b/c", 7, "widget")
        .tags(vec!["x".into(), "y".into()])
        .dry_run(true)
        .with_validate(false)
        .labels(BTreeMap::from([("k".to_owned(), "v".to_owned())]))
        .extra(json!({"free": [1, 2]}))
        .at("2020-01-01 00:00:00")
        .parts(vec![things::Part::new("bolt").count(3).ids(vec![1, 2])])
        .owner(owners::Owner::new().nick_name("nick"))
}

#[test]
fn path_query_header_and_body_parameters_are_placed() {
    let http = update_request().http_request().expect("valid request");
    assert_eq!(http.method, Method::Put);
    // The path parameter is percent-encoded so that it stays one segment.
    assert_eq!(http.url.path(), "/v1/things/42/parts/a%20b%2Fc");
    assert_eq!(http.url.host_str(), Some("modern.example.com"));
    assert_eq!(http.query("tags").as_deref(), Some("x,y"));
    assert_eq!(http.query("dryRun").as_deref(), Some("true"));
    assert_eq!(http.header("x-trace"), Some("7"));
    assert_eq!(
        http.header("User-Agent"),
        None,
        "unset optional header is not sent"
    );
    let body = http.json().expect("a body").expect("JSON");
    assert_eq!(
        body,
        json!({
            "type": "widget",
            "validate": false,
            "labels": {"k": "v"},
            "extra": {"free": [1, 2]},
            "at": "2020-01-01 00:00:00",
            "parts": [{"name": "bolt", "count": 3, "ids": "1,2"}],
            "owner": {"nick-name": "nick"}
        })
    );
}

#[test]
fn nested_limits_report_the_field_path() {
    let request =
        update_request().parts(vec![things::Part::new("ok"), things::Part::new("too long")]);
    match request.http_request() {
        Err(Error::InvalidRequest { operation, source }) => {
            assert_eq!(operation, "things.update_thing");
            assert_eq!(source.path, "parts[1].name");
            assert!(source.reason.contains("8 characters"), "{}", source.reason);
        }
        other => panic!("expected an invalid request, got {other:?}"),
    }
    let too_many = update_request().parts(vec![
        things::Part::new("a"),
        things::Part::new("b"),
        things::Part::new("c"),
    ]);
    let err = too_many.validate().expect_err("three parts");
    assert!(err.to_string().contains("`parts` has 3 items"), "{err}");
    let header_limit = things::UpdateThingRequest::new(1, "p", 0, "t");
    let err = header_limit.validate().expect_err("x-trace below 1");
    assert!(err.to_string().contains("`x-trace` is 0"), "{err}");
    let window = |first: i32, last: i32| {
        update_request()
            .parts(vec![things::Part::new("a").first_day(first).last_day(last)])
            .validate()
    };
    assert!(window(1, 8).is_ok() && window(8, 1).is_ok(), "7 apart");
    let err = window(1, 9).expect_err("8 apart");
    assert!(
        err.to_string()
            .contains("`parts[0].last_day` is more than 7 from `first_day`"),
        "{err}"
    );
    let half = update_request().parts(vec![things::Part::new("a").last_day(100)]);
    assert!(half.validate().is_ok(), "checked only when both are set");
    let csv_limit = things::UpdateThingRequest::new(1, "p", 1, "t").tags(vec!["a".into(); 4]);
    assert!(
        csv_limit.validate().is_err(),
        "four tags where three are allowed"
    );
}

#[tokio::test]
async fn header_token_and_http_status_envelope() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/things/42/parts/a%20b%2Fc"))
        .and(header("x-token", "tok"))
        .and(header("x-trace", "7"))
        .and(query_param("tags", "x,y"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "thing": {"id": 5, "partList": [{"name": "bolt", "ids": "3,4"}], "owner": {"nick-name": "n"}},
            "unknown": "ignored"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server)
        .await
        .things()
        .update_thing(update_request())
        .await
        .expect("success");
    assert_eq!(response.thing.id, 5);
    let parts = response.thing.part_list.expect("parts");
    assert_eq!(parts[0].ids, Some(vec![3, 4]));
    assert_eq!(
        response.thing.owner.and_then(|o| o.nick_name).as_deref(),
        Some("n")
    );
}

#[tokio::test]
async fn http_status_error_with_string_code() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({
            "code": "Throttled", "message": "slow down", "requestid": "r-1"
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .await
        .things()
        .update_thing(update_request())
        .await
        .expect_err("429");
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 429);
    assert_eq!(api.code, ReceivedCode::String("Throttled".into()));
    assert_eq!(api.request_id.as_deref(), Some("r-1"));
    assert!(err.is_rate_limited());
}

#[tokio::test]
async fn a_required_response_field_that_is_missing_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"thing": {"partList": []}})))
        .mount(&server)
        .await;
    let err = client(&server)
        .await
        .things()
        .update_thing(update_request())
        .await
        .expect_err("no id");
    match err {
        Error::Decode {
            operation,
            path,
            message,
            ..
        } => {
            assert_eq!(operation, "things.update_thing");
            assert_eq!(path, "thing");
            assert!(message.contains("missing field `id`"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn query_token_delete_and_body_code_envelope() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/things/delete"))
        .and(query_param("id", "t1"))
        .and(query_param("access_token", "tok"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"err_code": 0, "err_msg": "ok", "deleted": true})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server)
        .await
        .things()
        .delete_thing(things::DeleteThingRequest::new("t1"))
        .await
        .expect("ok");
    assert_eq!(response.deleted, Some(true));
}

#[tokio::test]
async fn body_code_error_is_typed_and_keeps_its_meaning() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"err_code": -1, "err_msg": "busy", "request_id": "q"})),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .await
        .things()
        .delete_thing(things::DeleteThingRequest::new("t1"))
        .await
        .expect_err("busy");
    let api = err.api().expect("API error");
    assert_eq!(api.code, ReceivedCode::Integer(-1));
    assert_eq!(
        api.meaning,
        Some(open_platform_clients::runtime::ErrorMeaning::Busy)
    );
    assert_eq!(api.request_id.as_deref(), Some("q"));
}

#[tokio::test]
async fn string_success_code_and_no_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/list"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "code": "000000", "message": "ok", "result": [{"id": 1}, {"id": 2}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    // No token source at all: the operation does not need one.
    let anonymous = kitchen_sink::Client::builder()
        .retry(RetryPolicy::none())
        .base_url(&kitchen_sink::OPEN, server.uri())
        .build()
        .expect("client");
    let response = anonymous
        .things()
        .list_open(things::ListOpenRequest::new())
        .await
        .expect("ok");
    let ids: Vec<i64> = response
        .result
        .expect("result")
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids, [1, 2]);
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(
        requests[0].url.query(),
        None,
        "no token parameter on an unauthenticated call"
    );
}

#[tokio::test]
async fn string_failure_code_is_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"code": "100001", "message": "失败"})),
        )
        .mount(&server)
        .await;
    let anonymous = kitchen_sink::Client::builder()
        .retry(RetryPolicy::none())
        .base_url(&kitchen_sink::OPEN, server.uri())
        .build()
        .expect("client");
    let err = anonymous
        .things()
        .list_open(things::ListOpenRequest::new())
        .await
        .expect_err("failure code");
    assert_eq!(
        err.api().map(|a| a.code.clone()),
        Some(ReceivedCode::String("100001".into()))
    );
    assert_eq!(err.api().map(|a| a.message.as_str()), Some("失败"));
}

#[tokio::test]
async fn secret_bodies_and_token_responses_are_never_quoted() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(body_json(json!({"app_secret": "s3cr3t"})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"err_code": 0, "token": 12345})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let request = things::IssueTokenRequest::new("s3cr3t");
    assert!(
        !format!("{request:?}").contains("s3cr3t"),
        "Debug shows the secret"
    );
    let err = client(&server)
        .await
        .things()
        .issue_token(request)
        .await
        .expect_err("token is a number");
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::Decode { .. }), "{text}");
    assert!(
        !text.contains("12345"),
        "the body of a token response was quoted: {text}"
    );
}

#[tokio::test]
async fn token_response_is_a_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"err_code": 0, "token": "abc", "expires_in": 7200})),
        )
        .mount(&server)
        .await;
    let response = client(&server)
        .await
        .things()
        .issue_token(things::IssueTokenRequest::new("s"))
        .await
        .expect("ok");
    assert_eq!(response.token.expose(), "abc");
    assert!(!format!("{response:?}").contains("abc"));
    assert_eq!(response.expires_in, Some(7200));
}

#[tokio::test]
async fn cross_group_model_and_patch() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/owners/get"))
        .and(body_json(json!({"owner_id": "o1"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"err_code": 0, "owner": {"name": "N", "nick-name": "K"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server)
        .await
        .owners()
        .get_owner(owners::GetOwnerRequest::new("o1"))
        .await
        .expect("ok");
    let owner = response.owner.expect("owner");
    assert_eq!(
        (owner.name.as_deref(), owner.nick_name.as_deref()),
        (Some("N"), Some("K"))
    );
}

fn event_request() -> things::RecordEventRequest {
    let created = things::Event::Created(things::EventCreated::new(7));
    things::RecordEventRequest::new(created, things::Colour::Green, None)
}

#[test]
fn internal_union_integer_enum_and_required_nullable_are_encoded() {
    let body = event_request()
        .aliases(vec!["a".into()])
        .meta(json!({"k": 1}))
        .score(5)
        .http_request()
        .expect("valid")
        .json()
        .expect("body")
        .expect("JSON");
    // The variant's fields sit beside the tag; a required nullable field is sent as null;
    // json_string sends JSON text; the enum sends its integer.
    assert_eq!(
        body,
        json!({
            "event": {"kind": "created", "id": 7},
            "colour": 2,
            "note": null,
            "aliases": ["a"],
            "meta": "{\"k\":1}",
            "score": 5
        })
    );
}

#[test]
fn union_variants_inside_a_field_are_validated_with_their_path() {
    let deleted = things::Event::Deleted(things::EventDeleted::new(1).reason("four"));
    let request = things::RecordEventRequest::new(deleted, things::Colour::Red, Some("n".into()));
    let err = request.validate().expect_err("reason longer than 3");
    assert!(
        err.to_string().contains("`event.reason` has 4 characters"),
        "{err}"
    );
    let ok = things::Event::Deleted(things::EventDeleted::new(1).reason("abc"));
    assert!(
        things::RecordEventRequest::new(ok, things::Colour::Red, None)
            .validate()
            .is_ok()
    );
}

/// The path and message of the decode error `record_event` fails with against `server`.
async fn event_decode_error(server: &MockServer) -> (String, String) {
    let err = client(server)
        .await
        .things()
        .record_event(event_request())
        .await
        .expect_err("a response that does not decode");
    match err {
        Error::Decode { path, message, .. } => (path, message),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn lenient_response_fields_and_unknown_values_decode() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "err_code": 0,
            "colour": "9",
            "events": [
                {"kind": "created", "id": "1x"},
                {"kind": "renamed", "id": 3, "to": "x"}
            ],
            "count": "12",
            "flag": "1",
            "tags": "solo",
            "meta": "{\"nick-name\":\"n\"}"
        })))
        .mount(&server)
        .await;
    // A variant that does not fit is a decode error naming the union's field. `json!` sorts
    // the members, so `id` comes before the tag: the object is kept and decoded once the tag
    // is known, and the message names the variant.
    let (at, message) = event_decode_error(&server).await;
    assert_eq!(at, "events[0]");
    assert!(message.contains("variant `created`"), "{message}");

    // With the tag first, as the platforms send it, the variant is decoded in place and the
    // error's path goes down to the member that does not fit.
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/events"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"err_code": 0, "events": [{"kind": "created", "id": "1x"}]}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let (at, message) = event_decode_error(&server).await;
    assert_eq!(at, "events[0].id");
    assert!(message.contains("invalid"), "{message}");

    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "err_code": 0,
            "colour": "9",
            "events": [{"kind": "created", "id": 1}, {"kind": "renamed", "id": 3, "to": "x"}],
            "count": "12",
            "flag": "1",
            "tags": "solo",
            "meta": "{\"nick-name\":\"n\"}"
        })))
        .mount(&server)
        .await;
    let response = client(&server)
        .await
        .things()
        .record_event(event_request())
        .await
        .expect("decodes");
    assert_eq!(response.colour, Some(things::Colour::Unknown(9)));
    assert_eq!(response.count, 12);
    assert_eq!(response.flag, Some(true));
    assert_eq!(response.tags, Some(vec!["solo".to_owned()]));
    assert_eq!(
        response.meta.and_then(|m| m.nick_name).as_deref(),
        Some("n")
    );
    let events = response.events.expect("events");
    assert_eq!(
        events[0],
        things::Event::Created(things::EventCreated::new(1))
    );
    match &events[1] {
        things::Event::Unknown { tag, content } => {
            assert_eq!(tag, "renamed");
            assert_eq!(content, &json!({"kind": "renamed", "id": 3, "to": "x"}));
        }
        other => panic!("expected an unknown event, got {other:?}"),
    }
    // Unknown values go back out unchanged.
    assert_eq!(
        serde_json::to_value(&events[1]).expect("encode"),
        json!({"kind": "renamed", "id": 3, "to": "x"})
    );
    assert_eq!(
        serde_json::to_value(things::Colour::Unknown(9)).expect("encode"),
        json!(9)
    );
}

#[test]
fn generated_docs_mark_stability_support_and_coverage() {
    let things = include_str!("../fixtures/kitchen_sink/out/src/kitchen_sink/things.rs");
    assert!(
        things.contains("**Deprecated**"),
        "stability is not in the rustdoc"
    );
    assert!(
        things.contains("**Not supported yet**"),
        "unsupported variants are not marked"
    );
    let module = include_str!("../fixtures/kitchen_sink/out/src/kitchen_sink/mod.rs");
    assert!(
        module.contains("Coverage: 16 of 18 endpoints"),
        "coverage line missing"
    );
}

#[test]
fn a_hand_built_unknown_variant_keeps_its_tag() {
    let built = things::Event::Unknown {
        tag: "renamed".into(),
        content: json!({"id": 3}),
    };
    assert_eq!(
        serde_json::to_value(&built).expect("encode"),
        json!({"kind": "renamed", "id": 3})
    );
}

#[tokio::test]
async fn an_integer_code_is_not_a_string_success_code_with_another_spelling() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "?"})))
        .mount(&server)
        .await;
    let anonymous = kitchen_sink::Client::builder()
        .retry(RetryPolicy::none())
        .base_url(&kitchen_sink::OPEN, server.uri())
        .build()
        .expect("client");
    let err = anonymous
        .things()
        .list_open(things::ListOpenRequest::new())
        .await
        .expect_err("0 is not 000000");
    assert_eq!(
        err.api().map(|a| a.code.clone()),
        Some(ReceivedCode::Integer(0))
    );
}

/// `lenient: object_or_list` on a model of another group: the object, or a bare list of
/// its `names`; the impl that names the list member is generated once, beside the model.
#[test]
fn a_bare_list_stands_for_its_page() {
    let read = |page: serde_json::Value| {
        serde_json::from_value::<things::RecordEventResponse>(json!({"count": 1, "page": page}))
            .expect("decodes")
            .page
    };
    let object = read(json!({"total": 9, "names": ["a"]})).expect("page");
    assert_eq!(object.total, Some(9));
    assert_eq!(object.names, Some(vec!["a".to_owned()]));
    let bare = read(json!(["a", "b"])).expect("page");
    assert_eq!(bare.total, None);
    assert_eq!(bare.names, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(read(serde_json::Value::Null), None);
    assert_eq!(
        <owners::NamePage as open_platform_clients::runtime::lenient::ListMember>::LIST_MEMBER,
        "names"
    );
}

/// The platform's events: a declared type decodes into its payload model, any other type is
/// kept as `Unknown` with its JSON, and a broken event is a typed error, never a panic.
#[test]
fn events_decode_by_their_type_and_keep_unknown_ones() {
    use open_platform_runtime::{EventError, Events as _};
    use tests::kitchen_sink::events::{self, Event};

    let added =
        Event::from_json(r#"{"EventType":"thing_added","ThingIds":[1,2],"TimeStamp":"1546"}"#)
            .expect("a declared event");
    assert_eq!(added.event_type(), "thing_added");
    let Event::ThingAdded(payload) = &added else {
        panic!("not ThingAdded: {added:?}");
    };
    assert_eq!(payload.thing_ids, [1, 2]);
    assert_eq!(payload.time_stamp, Some(1546), "a number sent as a string");

    // Stream mode gives the type beside the payload.
    let left = Event::decode("owner_left", serde_json::json!({"owner": {"name": "Li"}}))
        .expect("a declared event");
    assert!(
        matches!(&left, Event::OwnerLeft(events::OwnerLeft { owner, .. }) if owner.name.as_deref() == Some("Li")),
        "{left:?}"
    );

    let unknown = Event::from_json(r#"{"EventType":"thing_painted","colour":"red"}"#)
        .expect("an undeclared type is no error");
    assert_eq!(unknown.event_type(), "thing_painted");
    assert_eq!(
        unknown,
        Event::Unknown {
            event_type: "thing_painted".to_owned(),
            payload: serde_json::json!({"EventType": "thing_painted", "colour": "red"}),
        }
    );

    let no_type = Event::from_json(r#"{"ThingIds":[1]}"#).expect_err("no type");
    assert!(
        matches!(no_type, EventError::NoType { field: "EventType" }),
        "{no_type}"
    );
    let not_json = Event::from_json("{\"EventType\":").expect_err("cut off");
    assert!(matches!(not_json, EventError::NotJson(_)), "{not_json}");
    let bad = Event::from_json(r#"{"EventType":"thing_added","ThingIds":["one"]}"#)
        .expect_err("a list of numbers holding text");
    match bad {
        EventError::Payload {
            event_type, path, ..
        } => assert_eq!(
            (event_type.as_str(), path.as_str()),
            ("thing_added", "ThingIds[0]")
        ),
        other => panic!("not a payload error: {other}"),
    }
}

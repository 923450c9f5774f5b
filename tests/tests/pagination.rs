//! The `<method>_stream` walk of every DingTalk operation with a `pagination:` declaration, against a local wiremock server: three pages with the right cursor on each request and a stop on the operation's end signal, plus repeated cursors, empty pages and errors mid-walk; fetching only when needed, one page at a time, runs against an in-process transport on a paused tokio clock. The `<method>_pages` walk yields the same pages whole, each with the request to resume from, and a new walk from a saved resume point fetches only the pages after it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use open_platform_clients::dingtalk::{self, blackboard, checkin, hrm, report};
use open_platform_clients::runtime::{
    BoxFuture, Error, HttpRequest, HttpResponse, ItemStream, Millis, Page, PageStream, Paginated,
    RetryPolicy, StaticToken, Transport, TransportError,
};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "page-token";
const START: Millis = Millis(1_507_564_800_000);
const END: Millis = Millis(1_507_651_200_000);

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/// A client against `server` with a fixed token; calls are single attempts, so that request
/// counts are exact.
fn client_for(server: &MockServer) -> dingtalk::Client {
    dingtalk::Client::builder()
        .retry(RetryPolicy::none())
        .token(StaticToken::new(TOKEN))
        .base_url(&dingtalk::OAPI, server.uri())
        .base_url(&dingtalk::API, server.uri())
        .build()
        .expect("client builds")
}

/// Matches a request whose JSON body holds `expected` at `pointer` (`None`: holds nothing
/// there), so that each page's mock answers only its own cursor.
fn body_at(
    pointer: &'static str,
    expected: Option<Value>,
) -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    move |request: &Request| {
        serde_json::from_slice::<Value>(&request.body)
            .is_ok_and(|body| body.pointer(pointer).cloned() == expected)
    }
}

/// The value at `pointer` in the body of each request to `p`, in arrival order.
async fn sent_cursors(server: &MockServer, p: &str, pointer: &str) -> Vec<Option<Value>> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .iter()
        .filter(|r| r.url.path() == p)
        .map(|r| {
            let body: Value = serde_json::from_slice(&r.body).expect("JSON body");
            body.pointer(pointer).cloned()
        })
        .collect()
}

/// The JSON bodies of the requests to `p`, in arrival order.
async fn sent_bodies(server: &MockServer, p: &str) -> Vec<Value> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .iter()
        .filter(|r| r.url.path() == p)
        .map(|r| serde_json::from_slice(&r.body).expect("JSON body"))
        .collect()
}

/// Mounts one page of an `oapi` listing: a POST to `p` carrying the token and `cursor` at
/// `pointer`, answered with `result` in a success envelope; `expect` requests of it.
async fn oapi_page(
    server: &MockServer,
    p: &str,
    pointer: &'static str,
    cursor: Option<Value>,
    result: Value,
    expect: u64,
) {
    Mock::given(method("POST"))
        .and(path(p))
        .and(query_param("access_token", TOKEN))
        .and(body_at(pointer, cursor))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 0,
            "errmsg": "ok",
            "result": result,
            "request_id": "req"
        })))
        .expect(expect)
        .mount(server)
        .await;
}

/// More items than any walk here yields: a walk that gets past it is looping.
const MAX_ITEMS: usize = 100;

/// Every item of `stream`; fails the test if the stream goes on past `MAX_ITEMS` items instead
/// of ending (a walk that loops yields items all the while, since it stops on an empty page).
async fn collect<T>(stream: ItemStream<T>) -> Vec<Result<T, Error>> {
    let items: Vec<_> = stream.take(MAX_ITEMS + 1).collect().await;
    assert!(
        items.len() <= MAX_ITEMS,
        "the stream goes on instead of ending"
    );
    items
}

/// The items of a walk that must not fail.
async fn items<T>(stream: ItemStream<T>) -> Vec<T> {
    collect(stream)
        .await
        .into_iter()
        .map(|item| item.expect("no error in the walk"))
        .collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|&v| v.to_owned()).collect()
}

// ---------------------------------------------------------------------------------------------
// blackboard.list_ids: page numbers, ends on a short page
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn blackboard_list_ids_walks_pages_until_a_short_page() {
    const P: &str = "/topapi/blackboard/listids";
    const AT: &str = "/query_request/page";
    let server = MockServer::start().await;
    oapi_page(&server, P, AT, Some(json!(1)), json!(["a", "b"]), 1).await;
    oapi_page(&server, P, AT, Some(json!(2)), json!(["c", "d"]), 1).await;
    oapi_page(&server, P, AT, Some(json!(3)), json!(["e"]), 1).await;
    oapi_page(&server, P, AT, Some(json!(4)), json!(["never"]), 0).await;
    let dt = client_for(&server);
    let request = blackboard::ListIdsRequest::new(blackboard::OapiBlackboardQueryVo::new(
        "manager4220",
        2,
        1,
    ));

    let ids = items(dt.blackboard().list_ids_stream(request)).await;

    assert_eq!(ids, strings(&["a", "b", "c", "d", "e"]));
    assert_eq!(
        sent_cursors(&server, P, AT).await,
        [Some(json!(1)), Some(json!(2)), Some(json!(3))]
    );
    for body in sent_bodies(&server, P).await {
        assert_eq!(body["query_request"]["page_size"], json!(2));
        assert_eq!(
            body["query_request"]["operation_userid"],
            json!("manager4220")
        );
    }
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// report: cursor and offset listings ending on has_more false or an absent next_cursor
// ---------------------------------------------------------------------------------------------

fn report_vo(id: &str) -> Value {
    json!({"report_id": id, "creator_id": "user123", "template_name": "日报"})
}

#[tokio::test]
async fn report_list_walks_cursors_until_has_more_is_false() {
    const P: &str = "/topapi/report/list";
    const AT: &str = "/cursor";
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: i64, more: bool| {
        json!({
            "data_list": ids.iter().map(|id| report_vo(id)).collect::<Vec<_>>(),
            "size": 2,
            "next_cursor": next,
            "has_more": more
        })
    };
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(0)),
        page(&["r1", "r2"], 10, true),
        1,
    )
    .await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(10)),
        page(&["r3", "r4"], 20, true),
        1,
    )
    .await;
    // The last page still names a next cursor: has_more false is the end signal.
    oapi_page(&server, P, AT, Some(json!(20)), page(&["r5"], 30, false), 1).await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(30)),
        page(&["never"], 40, false),
        0,
    )
    .await;
    let dt = client_for(&server);

    let reports = items(
        dt.report()
            .list_stream(report::ListRequest::new(START, END, 0, 2).userid("user123")),
    )
    .await;

    let ids: Vec<_> = reports.iter().filter_map(|r| r.report_id.clone()).collect();
    assert_eq!(ids, strings(&["r1", "r2", "r3", "r4", "r5"]));
    assert_eq!(
        sent_cursors(&server, P, AT).await,
        [Some(json!(0)), Some(json!(10)), Some(json!(20))]
    );
    for body in sent_bodies(&server, P).await {
        assert_eq!(body["start_time"], json!(START));
        assert_eq!(body["size"], json!(2));
        assert_eq!(body["userid"], json!("user123"));
    }
    server.verify().await;
}

#[tokio::test]
async fn report_list_simple_walks_cursors_until_has_more_is_false() {
    const P: &str = "/topapi/report/simplelist";
    const AT: &str = "/cursor";
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: i64, more: bool| {
        json!({
            "data_list": ids.iter().map(|id| report_vo(id)).collect::<Vec<_>>(),
            "size": 2,
            "next_cursor": next,
            "has_more": more
        })
    };
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(5)),
        page(&["s1", "s2"], 15, true),
        1,
    )
    .await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(15)),
        page(&["s3", "s4"], 25, true),
        1,
    )
    .await;
    oapi_page(&server, P, AT, Some(json!(25)), page(&["s5"], 35, false), 1).await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(35)),
        page(&["never"], 45, false),
        0,
    )
    .await;
    let dt = client_for(&server);

    // The walk starts at the page the request asks for.
    let reports = items(
        dt.report()
            .list_simple_stream(report::ListSimpleRequest::new(START, END, 5, 2)),
    )
    .await;

    let ids: Vec<_> = reports.iter().filter_map(|r| r.report_id.clone()).collect();
    assert_eq!(ids, strings(&["s1", "s2", "s3", "s4", "s5"]));
    assert_eq!(
        sent_cursors(&server, P, AT).await,
        [Some(json!(5)), Some(json!(15)), Some(json!(25))]
    );
    server.verify().await;
}

/// A page of user ids as the report listings return it.
fn userid_page(ids: &[&str], next: i64, more: bool) -> Value {
    json!({"userid_list": ids, "next_cursor": next, "has_more": more})
}

#[tokio::test]
async fn report_list_statistics_by_type_walks_offsets_until_has_more_is_false() {
    const P: &str = "/topapi/report/statistics/listbytype";
    const AT: &str = "/offset";
    let server = MockServer::start().await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(0)),
        userid_page(&["u1", "u2"], 2, true),
        1,
    )
    .await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(2)),
        userid_page(&["u3", "u4"], 4, true),
        1,
    )
    .await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(4)),
        userid_page(&["u5"], 6, false),
        1,
    )
    .await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(6)),
        userid_page(&["never"], 8, false),
        0,
    )
    .await;
    let dt = client_for(&server);

    let users = items(
        dt.report().list_statistics_by_type_stream(
            report::ListStatisticsByTypeRequest::new("report-1", 0)
                .offset(0)
                .size(2),
        ),
    )
    .await;

    assert_eq!(users, strings(&["u1", "u2", "u3", "u4", "u5"]));
    assert_eq!(
        sent_cursors(&server, P, AT).await,
        [Some(json!(0)), Some(json!(2)), Some(json!(4))]
    );
    for body in sent_bodies(&server, P).await {
        assert_eq!(body["report_id"], json!("report-1"));
        assert_eq!(body["type"], json!(0));
        assert_eq!(body["size"], json!(2));
    }
    server.verify().await;
}

#[tokio::test]
async fn report_list_receivers_walks_offsets_from_an_absent_offset() {
    const P: &str = "/topapi/report/receiver/list";
    const AT: &str = "/offset";
    let server = MockServer::start().await;
    // The first request leaves the offset out (the server's default is 0).
    oapi_page(
        &server,
        P,
        AT,
        None,
        userid_page(&["u1", "u2"], 100, true),
        1,
    )
    .await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(100)),
        userid_page(&["u3", "u4"], 200, true),
        1,
    )
    .await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(200)),
        userid_page(&["u5"], 300, false),
        1,
    )
    .await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(300)),
        userid_page(&["never"], 400, false),
        0,
    )
    .await;
    let dt = client_for(&server);

    let users = items(
        dt.report()
            .list_receivers_stream(report::ListReceiversRequest::new("report-1")),
    )
    .await;

    assert_eq!(users, strings(&["u1", "u2", "u3", "u4", "u5"]));
    assert_eq!(
        sent_cursors(&server, P, AT).await,
        [None, Some(json!(100)), Some(json!(200))]
    );
    server.verify().await;
}

#[tokio::test]
async fn report_list_comments_walks_offsets_until_has_more_is_false() {
    const P: &str = "/topapi/report/comment/list";
    const AT: &str = "/offset";
    let server = MockServer::start().await;
    let page = |contents: &[&str], next: i64, more: bool| {
        let comments: Vec<Value> = contents
            .iter()
            .map(|c| json!({"content": c, "userid": "user456", "create_time": "2020-09-08 00:26:37"}))
            .collect();
        json!({"comments": comments, "next_cursor": next, "has_more": more})
    };
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(0)),
        page(&["c1", "c2"], 20, true),
        1,
    )
    .await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(20)),
        page(&["c3", "c4"], 40, true),
        1,
    )
    .await;
    oapi_page(&server, P, AT, Some(json!(40)), page(&["c5"], 60, false), 1).await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(60)),
        page(&["never"], 80, false),
        0,
    )
    .await;
    let dt = client_for(&server);

    let comments = items(
        dt.report()
            .list_comments_stream(report::ListCommentsRequest::new("report-1").offset(0)),
    )
    .await;

    let contents: Vec<_> = comments.iter().filter_map(|c| c.content.clone()).collect();
    assert_eq!(contents, strings(&["c1", "c2", "c3", "c4", "c5"]));
    assert_eq!(
        sent_cursors(&server, P, AT).await,
        [Some(json!(0)), Some(json!(20)), Some(json!(40))]
    );
    server.verify().await;
}

#[tokio::test]
async fn report_list_templates_by_user_walks_offsets_until_next_cursor_is_absent() {
    const P: &str = "/topapi/report/template/listbyuserid";
    const AT: &str = "/offset";
    let server = MockServer::start().await;
    let templates = |names: &[&str]| -> Vec<Value> {
        names
            .iter()
            .map(|n| json!({"name": n, "report_code": format!("code-{n}")}))
            .collect()
    };
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(0)),
        json!({"template_list": templates(&["t1", "t2"]), "next_cursor": 2}),
        1,
    )
    .await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(2)),
        json!({"template_list": templates(&["t3", "t4"]), "next_cursor": 4}),
        1,
    )
    .await;
    oapi_page(
        &server,
        P,
        AT,
        Some(json!(4)),
        json!({"template_list": templates(&["t5"])}),
        1,
    )
    .await;
    let dt = client_for(&server);

    let found = items(
        dt.report().list_templates_by_user_stream(
            report::ListTemplatesByUserRequest::new()
                .userid("manager7078")
                .offset(0)
                .size(2),
        ),
    )
    .await;

    let names: Vec<_> = found.iter().filter_map(|t| t.name.clone()).collect();
    assert_eq!(names, strings(&["t1", "t2", "t3", "t4", "t5"]));
    assert_eq!(
        sent_cursors(&server, P, AT).await,
        [Some(json!(0)), Some(json!(2)), Some(json!(4))]
    );
    for body in sent_bodies(&server, P).await {
        assert_eq!(body["userid"], json!("manager7078"));
        assert_eq!(body["size"], json!(2));
    }
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// hrm: offset listings ending on an absent next_cursor; the v1.0 dismissions on hasMore
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn hrm_list_pre_entry_walks_offsets_until_next_cursor_is_absent() {
    const P: &str = "/topapi/smartwork/hrm/employee/querypreentry";
    const AT: &str = "/offset";
    let server = MockServer::start().await;
    let pages = [
        (0, json!({"data_list": ["p1", "p2"], "next_cursor": 2})),
        (2, json!({"data_list": ["p3", "p4"], "next_cursor": 4})),
        (4, json!({"data_list": ["p5"]})),
    ];
    for (offset, result) in pages {
        oapi_page(&server, P, AT, Some(json!(offset)), result, 1).await;
    }
    let dt = client_for(&server);

    let users = items(
        dt.hrm()
            .list_pre_entry_stream(hrm::ListPreEntryRequest::new(0, 2)),
    )
    .await;

    assert_eq!(users, strings(&["p1", "p2", "p3", "p4", "p5"]));
    assert_eq!(
        sent_cursors(&server, P, AT).await,
        [Some(json!(0)), Some(json!(2)), Some(json!(4))]
    );
    for body in sent_bodies(&server, P).await {
        assert_eq!(body["size"], json!(2));
    }
    server.verify().await;
}

#[tokio::test]
async fn hrm_list_on_job_walks_offsets_until_next_cursor_is_absent() {
    const P: &str = "/topapi/smartwork/hrm/employee/queryonjob";
    const AT: &str = "/offset";
    let server = MockServer::start().await;
    let pages = [
        (0, json!({"data_list": ["j1", "j2"], "next_cursor": 50})),
        (50, json!({"data_list": ["j3", "j4"], "next_cursor": 100})),
        (100, json!({"data_list": ["j5"], "next_cursor": null})),
    ];
    for (offset, result) in pages {
        oapi_page(&server, P, AT, Some(json!(offset)), result, 1).await;
    }
    let dt = client_for(&server);

    let users = items(
        dt.hrm()
            .list_on_job_stream(hrm::ListOnJobRequest::new(vec![2, 3], 0, 2)),
    )
    .await;

    assert_eq!(users, strings(&["j1", "j2", "j3", "j4", "j5"]));
    assert_eq!(
        sent_cursors(&server, P, AT).await,
        [Some(json!(0)), Some(json!(50)), Some(json!(100))]
    );
    for body in sent_bodies(&server, P).await {
        assert_eq!(body["status_list"], json!("2,3"));
    }
    server.verify().await;
}

#[tokio::test]
async fn hrm_list_dismissions_walks_next_tokens_until_has_more_is_false() {
    const P: &str = "/v1.0/hrm/employees/dismissions";
    let server = MockServer::start().await;
    let get = || {
        Mock::given(method("GET"))
            .and(path(P))
            .and(header("x-acs-dingtalk-access-token", TOKEN))
            .and(query_param("maxResults", "2"))
    };
    get()
        .and(query_param_is_missing("nextToken"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"userIdList": ["d1", "d2"], "nextToken": 100, "hasMore": true}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    get()
        .and(query_param("nextToken", "100"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"userIdList": ["d3", "d4"], "nextToken": 200, "hasMore": true}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    get()
        .and(query_param("nextToken", "200"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"userIdList": ["d5"], "nextToken": 300, "hasMore": false})),
        )
        .expect(1)
        .mount(&server)
        .await;
    get()
        .and(query_param("nextToken", "300"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"userIdList": ["never"], "hasMore": false})),
        )
        .expect(0)
        .mount(&server)
        .await;
    let dt = client_for(&server);

    let users = items(
        dt.hrm()
            .list_dismissions_stream(hrm::ListDismissionsRequest::new().max_results(2)),
    )
    .await;

    assert_eq!(users, strings(&["d1", "d2", "d3", "d4", "d5"]));
    let tokens: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "nextToken")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert_eq!(
        tokens,
        [None, Some("100".to_owned()), Some("200".to_owned())]
    );
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// checkin.list_records: cursor listing ending on a null next_cursor
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn checkin_list_records_walks_cursors_until_next_cursor_is_null() {
    const P: &str = "/topapi/checkin/record/get";
    const AT: &str = "/cursor";
    let server = MockServer::start().await;
    let records = |users: &[&str]| -> Vec<Value> {
        users
            .iter()
            .map(|u| json!({"userid": u, "checkin_time": 1_494_852_872_446_i64, "place": "绿城未来park"}))
            .collect()
    };
    let pages = [
        (
            0,
            json!({"page_list": records(&["k1", "k2"]), "next_cursor": 100}),
        ),
        (
            100,
            json!({"page_list": records(&["k3", "k4"]), "next_cursor": 200}),
        ),
        (
            200,
            json!({"page_list": records(&["k5"]), "next_cursor": null}),
        ),
    ];
    for (cursor, result) in pages {
        oapi_page(&server, P, AT, Some(json!(cursor)), result, 1).await;
    }
    let dt = client_for(&server);

    let found = items(
        dt.checkin()
            .list_records_stream(checkin::ListRecordsRequest::new(
                vec!["manager4220".to_owned(), "user2".to_owned()],
                START,
                END,
                0,
                2,
            )),
    )
    .await;

    let users: Vec<_> = found.iter().filter_map(|r| r.userid.clone()).collect();
    assert_eq!(users, strings(&["k1", "k2", "k3", "k4", "k5"]));
    assert_eq!(
        sent_cursors(&server, P, AT).await,
        [Some(json!(0)), Some(json!(100)), Some(json!(200))]
    );
    for body in sent_bodies(&server, P).await {
        assert_eq!(body["userid_list"], json!("manager4220,user2"));
        assert_eq!(body["size"], json!(2));
    }
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// end conditions and failure modes of the walk
// ---------------------------------------------------------------------------------------------

const LIST: &str = "/topapi/report/list";

fn list_page(ids: &[&str], next: i64, more: bool) -> Value {
    json!({
        "data_list": ids.iter().map(|id| report_vo(id)).collect::<Vec<_>>(),
        "next_cursor": next,
        "has_more": more
    })
}

fn report_ids(results: &[Result<report::ReportOapiVo, Error>]) -> Vec<String> {
    results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .filter_map(|r| r.report_id.clone())
        .collect()
}

#[tokio::test]
async fn repeated_cursor_ends_the_stream_with_an_error_after_the_items() {
    let server = MockServer::start().await;
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(0)),
        list_page(&["r1", "r2"], 10, true),
        1,
    )
    .await;
    // Page 2 points back at page 1.
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(10)),
        list_page(&["r3"], 0, true),
        1,
    )
    .await;
    let dt = client_for(&server);

    let results = collect(
        dt.report()
            .list_stream(report::ListRequest::new(START, END, 0, 2)),
    )
    .await;

    assert_eq!(results.len(), 4, "three items and one error");
    assert_eq!(report_ids(&results), strings(&["r1", "r2", "r3"]));
    assert!(results[..3].iter().all(Result::is_ok));
    match &results[3] {
        Err(Error::RepeatedCursor { operation, cursor }) => {
            assert_eq!(*operation, "report.list");
            assert_eq!(cursor, "0");
        }
        other => panic!("expected a repeated cursor error, got {other:?}"),
    }
    assert_eq!(
        sent_cursors(&server, LIST, "/cursor").await,
        [Some(json!(0)), Some(json!(10))]
    );
    server.verify().await;
}

#[tokio::test]
async fn cursor_that_does_not_move_ends_the_stream_with_an_error() {
    const P: &str = "/topapi/smartwork/hrm/employee/querypreentry";
    let server = MockServer::start().await;
    // The server answers offset 0 with next_cursor 0, forever.
    oapi_page(
        &server,
        P,
        "/offset",
        Some(json!(0)),
        json!({"data_list": ["p1", "p2"], "next_cursor": 0}),
        1,
    )
    .await;
    let dt = client_for(&server);

    let results = collect(
        dt.hrm()
            .list_pre_entry_stream(hrm::ListPreEntryRequest::new(0, 2)),
    )
    .await;

    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().unwrap(), "p1");
    assert_eq!(results[1].as_ref().unwrap(), "p2");
    assert!(
        matches!(&results[2], Err(Error::RepeatedCursor { operation: "hrm.list_pre_entry", cursor }) if cursor == "0"),
        "{:?}",
        results[2]
    );
    server.verify().await;
}

#[tokio::test]
async fn empty_page_ends_the_stream() {
    let server = MockServer::start().await;
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(0)),
        list_page(&["r1", "r2"], 10, true),
        1,
    )
    .await;
    // An empty page that still claims more: the walk stops rather than asking again.
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(10)),
        list_page(&[], 20, true),
        1,
    )
    .await;
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(20)),
        list_page(&["never"], 30, false),
        0,
    )
    .await;
    let dt = client_for(&server);

    let results = collect(
        dt.report()
            .list_stream(report::ListRequest::new(START, END, 0, 2)),
    )
    .await;

    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(report_ids(&results), strings(&["r1", "r2"]));
    assert_eq!(
        sent_cursors(&server, LIST, "/cursor").await,
        [Some(json!(0)), Some(json!(10))]
    );
    server.verify().await;
}

#[tokio::test]
async fn first_page_without_items_gives_an_empty_stream() {
    let server = MockServer::start().await;
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(0)),
        json!({"has_more": false}),
        1,
    )
    .await;
    let dt = client_for(&server);

    let results = collect(
        dt.report()
            .list_stream(report::ListRequest::new(START, END, 0, 2)),
    )
    .await;

    assert!(results.is_empty(), "{results:?}");
    server.verify().await;
}

#[tokio::test]
async fn error_on_page_two_is_yielded_and_ends_the_stream() {
    let server = MockServer::start().await;
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(0)),
        list_page(&["r1", "r2"], 10, true),
        1,
    )
    .await;
    Mock::given(method("POST"))
        .and(path(LIST))
        .and(body_at("/cursor", Some(json!(10))))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 90001,
            "errmsg": "您的服务器调用钉钉开放平台所有接口的请求都被暂时禁用了"
        })))
        .expect(1)
        .mount(&server)
        .await;
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(20)),
        list_page(&["never"], 30, false),
        0,
    )
    .await;
    let dt = client_for(&server);

    let results = collect(
        dt.report()
            .list_stream(report::ListRequest::new(START, END, 0, 2)),
    )
    .await;

    assert_eq!(results.len(), 3, "two items and one error");
    assert_eq!(report_ids(&results), strings(&["r1", "r2"]));
    let err = results[2].as_ref().unwrap_err();
    assert!(err.is_banned(), "{err:?}");
    assert_eq!(err.operation(), "report.list");
    assert_eq!(
        sent_cursors(&server, LIST, "/cursor").await,
        [Some(json!(0)), Some(json!(10))]
    );
    server.verify().await;
}

#[tokio::test]
async fn error_on_page_two_is_yielded_after_the_retries_are_spent() {
    let server = MockServer::start().await;
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(0)),
        list_page(&["r1"], 10, true),
        1,
    )
    .await;
    Mock::given(method("POST"))
        .and(path(LIST))
        .and(body_at("/cursor", Some(json!(10))))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .expect(3)
        .mount(&server)
        .await;
    // Two retries without waiting: the test counts attempts (the delays are tested in
    // runtime.rs on a paused clock).
    let no_wait =
        RetryPolicy::default().with_delays(Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let dt = client_for(&server).with_retry(no_wait.with_max_retries(2));

    let results = collect(
        dt.report()
            .list_stream(report::ListRequest::new(START, END, 0, 2)),
    )
    .await;

    assert_eq!(results.len(), 2);
    assert_eq!(report_ids(&results), strings(&["r1"]));
    assert!(
        matches!(results[1], Err(Error::NotJson { status: 503, .. })),
        "{:?}",
        results[1]
    );
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// fetching only when needed, one page at a time (an in-process server on a paused clock)
// ---------------------------------------------------------------------------------------------

/// How long each in-process page takes on the tokio clock.
const PAGE_TIME: Duration = Duration::from_millis(200);

/// `blackboard.list_ids` served in process: pages 1 and 2 hold two ids, page 3 one (the short
/// last page), and each answer takes `PAGE_TIME` on the tokio clock. It records the page
/// each request asked for and the most requests in flight at once.
///
/// The tests run it on a paused clock (`start_paused`): time moves only when every task waits
/// and costs no real time, so "an hour later" is instant, and page numbers (unlike cursors
/// taken from a response) would let a walk fetch ahead or in parallel if it tried.
#[derive(Clone, Default)]
struct InProcessPages(Arc<PageCounters>);

#[derive(Default)]
struct PageCounters {
    requested: Mutex<Vec<i64>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

impl InProcessPages {
    /// The page number of each request, in order.
    fn requested(&self) -> Vec<i64> {
        self.0.requested.lock().unwrap().clone()
    }

    fn most_in_flight(&self) -> usize {
        self.0.most_in_flight.load(Ordering::SeqCst)
    }

    /// A client sending through these pages with a fixed token, one attempt per call.
    fn client(&self) -> dingtalk::Client {
        dingtalk::Client::builder()
            .transport(self.clone())
            .retry(RetryPolicy::none())
            .token(StaticToken::new(TOKEN))
            .build()
            .expect("client builds")
    }
}

impl Transport for InProcessPages {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let page = request
            .json()
            .and_then(Result::ok)
            .and_then(|body| body.pointer("/query_request/page").and_then(Value::as_i64))
            .expect("a list_ids request with a page number");
        self.0.requested.lock().unwrap().push(page);
        let ids: &[&str] = match page {
            1 => &["a", "b"],
            2 => &["c", "d"],
            3 => &["e"],
            _ => &["never"],
        };
        let body = serde_json::to_vec(&json!({"errcode": 0, "result": ids})).unwrap();
        Box::pin(async move {
            let now = self.0.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.0.most_in_flight.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(PAGE_TIME).await;
            self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
            Ok(HttpResponse::new(200, body))
        })
    }
}

fn list_ids_from_page_one() -> blackboard::ListIdsRequest {
    blackboard::ListIdsRequest::new(blackboard::OapiBlackboardQueryVo::new("manager4220", 2, 1))
}

/// Long enough for anything a walk could do in the background; instant on a paused clock.
const AN_HOUR: Duration = Duration::from_secs(3600);

#[tokio::test(start_paused = true)]
async fn pages_are_fetched_one_after_another_and_only_when_needed() {
    let pages = InProcessPages::default();
    let dt = pages.client();
    let mut stream = dt.blackboard().list_ids_stream(list_ids_from_page_one());

    // The first item needs only the first page; nothing is fetched ahead, however long the
    // caller takes to ask for more.
    assert_eq!(stream.next().await.unwrap().unwrap(), "a");
    tokio::time::sleep(AN_HOUR).await;
    assert_eq!(pages.requested(), [1]);
    // The second item comes from the buffered first page.
    assert_eq!(stream.next().await.unwrap().unwrap(), "b");
    assert_eq!(pages.requested(), [1]);

    assert_eq!(items(stream).await, strings(&["c", "d", "e"]));
    assert_eq!(pages.requested(), [1, 2, 3]);
    assert_eq!(pages.most_in_flight(), 1, "pages fetched in parallel");
}

#[tokio::test(start_paused = true)]
async fn dropping_the_stream_stops_the_walk() {
    let pages = InProcessPages::default();
    let dt = pages.client();

    let taken: Vec<_> = dt
        .blackboard()
        .list_ids_stream(list_ids_from_page_one())
        .take(2)
        .collect()
        .await;

    let taken: Vec<String> = taken.into_iter().map(Result::unwrap).collect();
    assert_eq!(taken, strings(&["a", "b"]));
    tokio::time::sleep(AN_HOUR).await;
    assert_eq!(pages.requested(), [1]);
}

// ---------------------------------------------------------------------------------------------
// page streams: whole pages, each with the request to resume from
// ---------------------------------------------------------------------------------------------

/// Every page of `stream`; fails the test if the stream goes on past `MAX_ITEMS` pages.
async fn collect_pages<R: Paginated>(stream: PageStream<R>) -> Vec<Result<Page<R>, Error>> {
    let pages: Vec<_> = stream.take(MAX_ITEMS + 1).collect().await;
    assert!(
        pages.len() <= MAX_ITEMS,
        "the stream goes on instead of ending"
    );
    pages
}

/// The pages of a walk that must not fail.
async fn pages<R: Paginated>(stream: PageStream<R>) -> Vec<Page<R>> {
    collect_pages(stream)
        .await
        .into_iter()
        .map(|page| page.expect("no error in the walk"))
        .collect()
}

/// The report ids of a page of `report.list`.
fn page_report_ids(page: &Page<report::ListRequest>) -> Vec<String> {
    page.items
        .iter()
        .filter_map(|r| r.report_id.clone())
        .collect()
}

/// The cursor each page's `resume_from` asks for.
fn resume_cursors(pages: &[Page<report::ListRequest>]) -> Vec<Option<i64>> {
    pages
        .iter()
        .map(|p| p.resume_from.as_ref().map(|next| next.cursor))
        .collect()
}

#[tokio::test]
async fn page_stream_yields_each_page_with_its_resume_point() {
    const P: &str = "/topapi/blackboard/listids";
    const AT: &str = "/query_request/page";
    let server = MockServer::start().await;
    oapi_page(&server, P, AT, Some(json!(1)), json!(["a", "b"]), 1).await;
    oapi_page(&server, P, AT, Some(json!(2)), json!(["c", "d"]), 1).await;
    oapi_page(&server, P, AT, Some(json!(3)), json!(["e"]), 1).await;
    oapi_page(&server, P, AT, Some(json!(4)), json!(["never"]), 0).await;
    let dt = client_for(&server);

    let pages = pages(dt.blackboard().list_ids_pages(list_ids_from_page_one())).await;

    let items: Vec<Vec<String>> = pages.iter().map(|p| p.items.clone()).collect();
    assert_eq!(
        items,
        [strings(&["a", "b"]), strings(&["c", "d"]), strings(&["e"])]
    );
    // Each page names the page number it was fetched with and the request for the next; the
    // short last page has none.
    let fetched_with: Vec<&str> = pages.iter().map(|p| p.cursor.as_str()).collect();
    assert_eq!(fetched_with, ["1", "2", "3"]);
    let resume: Vec<Option<i32>> = pages
        .iter()
        .map(|p| p.resume_from.as_ref().map(|next| next.query_request.page))
        .collect();
    assert_eq!(resume, [Some(2), Some(3), None]);
    // A resume point is the whole next request, with the members the caller set.
    let next = pages[0].resume_from.as_ref().expect("a second page");
    assert_eq!(next.cursor(), "2");
    assert_eq!(next.query_request.page_size, 2);
    assert_eq!(next.query_request.operation_userid, "manager4220");
    // The items were moved out of the response, not copied.
    assert!(pages.iter().all(|p| p.response.result.is_none()));
    assert_eq!(
        sent_cursors(&server, P, AT).await,
        [Some(json!(1)), Some(json!(2)), Some(json!(3))]
    );
    server.verify().await;
}

#[tokio::test]
async fn page_stream_resumes_from_a_saved_resume_point() {
    let server = MockServer::start().await;
    let pages_at = [
        (0, list_page(&["r1", "r2"], 10, true)),
        (10, list_page(&["r3", "r4"], 20, true)),
        (20, list_page(&["r5"], 30, false)),
    ];
    // Each page is fetched once across both runs.
    for (cursor, page) in pages_at {
        oapi_page(&server, LIST, "/cursor", Some(json!(cursor)), page, 1).await;
    }
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(30)),
        list_page(&["never"], 40, false),
        0,
    )
    .await;
    let dt = client_for(&server);

    // The first run takes page 1, saves where to resume as JSON, and stops.
    let first = report::ListRequest::new(START, END, 0, 2).userid("user123");
    let mut first_run = dt.report().list_pages(first);
    let page = first_run
        .next()
        .await
        .expect("a first page")
        .expect("no error");
    assert_eq!(page_report_ids(&page), strings(&["r1", "r2"]));
    assert_eq!(page.cursor, "0");
    let saved = serde_json::to_string(page.resume_from.as_ref().expect("more pages"))
        .expect("the request serializes");
    drop(first_run);
    assert_eq!(
        sent_cursors(&server, LIST, "/cursor").await,
        [Some(json!(0))],
        "nothing fetched ahead of the first page"
    );

    // After a restart, a new walk from the saved request fetches pages 2 and 3 only.
    let resumed: report::ListRequest =
        serde_json::from_str(&saved).expect("the saved request reads back");
    assert_eq!(resumed.cursor(), "10");
    let pages = pages(dt.report().list_pages(resumed)).await;

    let ids: Vec<Vec<String>> = pages.iter().map(page_report_ids).collect();
    assert_eq!(ids, [strings(&["r3", "r4"]), strings(&["r5"])]);
    let fetched_with: Vec<&str> = pages.iter().map(|p| p.cursor.as_str()).collect();
    assert_eq!(fetched_with, ["10", "20"]);
    assert_eq!(resume_cursors(&pages), [Some(20), None]);
    // The last page's response still says why it was the last.
    let last = pages[1].response.result.as_ref().expect("a result");
    assert_eq!(last.has_more, Some(false));
    assert_eq!(
        sent_cursors(&server, LIST, "/cursor").await,
        [Some(json!(0)), Some(json!(10)), Some(json!(20))]
    );
    for body in sent_bodies(&server, LIST).await {
        assert_eq!(body["userid"], json!("user123"));
        assert_eq!(body["size"], json!(2));
        assert_eq!(body["start_time"], json!(START));
    }
    server.verify().await;
}

#[tokio::test]
async fn page_stream_yields_page_one_then_the_error_on_page_two() {
    let server = MockServer::start().await;
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(0)),
        list_page(&["r1", "r2"], 10, true),
        1,
    )
    .await;
    Mock::given(method("POST"))
        .and(path(LIST))
        .and(body_at("/cursor", Some(json!(10))))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 90001,
            "errmsg": "您的服务器调用钉钉开放平台所有接口的请求都被暂时禁用了"
        })))
        .expect(1)
        .mount(&server)
        .await;
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(20)),
        list_page(&["never"], 30, false),
        0,
    )
    .await;
    let dt = client_for(&server);

    let results = collect_pages(
        dt.report()
            .list_pages(report::ListRequest::new(START, END, 0, 2)),
    )
    .await;

    assert_eq!(results.len(), 2, "one page and one error");
    let first = results[0].as_ref().expect("page 1 is delivered");
    assert_eq!(page_report_ids(first), strings(&["r1", "r2"]));
    // Page 1's resume point is where a retry picks up.
    assert_eq!(first.resume_from.as_ref().map(|next| next.cursor), Some(10));
    let err = results[1].as_ref().unwrap_err();
    assert!(err.is_banned(), "{err:?}");
    assert_eq!(err.operation(), "report.list");
    assert_eq!(
        sent_cursors(&server, LIST, "/cursor").await,
        [Some(json!(0)), Some(json!(10))]
    );
    server.verify().await;
}

#[tokio::test]
async fn page_stream_ends_with_an_error_on_a_repeated_cursor() {
    let server = MockServer::start().await;
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(0)),
        list_page(&["r1", "r2"], 10, true),
        1,
    )
    .await;
    // Page 2 points back at page 1.
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(10)),
        list_page(&["r3"], 0, true),
        1,
    )
    .await;
    let dt = client_for(&server);

    let results = collect_pages(
        dt.report()
            .list_pages(report::ListRequest::new(START, END, 0, 2)),
    )
    .await;

    assert_eq!(results.len(), 3, "two pages and one error");
    let pages: Vec<&Page<report::ListRequest>> = results[..2]
        .iter()
        .map(|page| page.as_ref().expect("a page"))
        .collect();
    assert_eq!(page_report_ids(pages[0]), strings(&["r1", "r2"]));
    assert_eq!(page_report_ids(pages[1]), strings(&["r3"]));
    // Page 2 offers no resume point: resuming there would walk the listing again.
    assert_eq!(
        pages[0].resume_from.as_ref().map(|next| next.cursor),
        Some(10)
    );
    assert!(pages[1].resume_from.is_none());
    assert!(
        matches!(&results[2], Err(Error::RepeatedCursor { operation: "report.list", cursor }) if cursor == "0"),
        "{:?}",
        results[2]
    );
    server.verify().await;
}

#[tokio::test]
async fn page_stream_ends_after_an_empty_page() {
    let server = MockServer::start().await;
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(0)),
        list_page(&["r1", "r2"], 10, true),
        1,
    )
    .await;
    // An empty page that still claims more: the walk stops rather than asking again.
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(10)),
        list_page(&[], 20, true),
        1,
    )
    .await;
    oapi_page(
        &server,
        LIST,
        "/cursor",
        Some(json!(20)),
        list_page(&["never"], 30, false),
        0,
    )
    .await;
    let dt = client_for(&server);

    let pages = pages(
        dt.report()
            .list_pages(report::ListRequest::new(START, END, 0, 2)),
    )
    .await;

    // The empty page is fetched, so it is yielded, as the last page.
    assert_eq!(pages.len(), 2);
    assert_eq!(page_report_ids(&pages[0]), strings(&["r1", "r2"]));
    assert!(pages[1].items.is_empty());
    assert_eq!(resume_cursors(&pages), [Some(10), None]);
    server.verify().await;
}

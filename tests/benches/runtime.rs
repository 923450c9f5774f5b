//! Runtime cost of generated code against hand-written serde structs, in one run:
//! `request_encode` builds and encodes `blackboard.create` with 1,000 receivers, and
//! `response_decode` reads a 10,000-entry `org.get_org_child_list` response with lenient
//! fields and an enum. Compare the `generated` and `hand_written` lines of each group; the
//! ratio is what `cargo xtask bench` reports.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use open_platform_clients::dingtalk::blackboard;
use open_platform_clients::runtime::ApiRequest;
use open_platform_clients::tze::org;
use serde::{Deserialize, Serialize};

/// What a careful hand-written client would send for `blackboard.create`.
#[derive(Serialize)]
struct HandCreate<'a> {
    create_request: HandCreateVo<'a>,
}

#[derive(Serialize)]
struct HandCreateVo<'a> {
    operation_userid: &'a str,
    author: Option<&'a str>,
    blackboard_receiver: HandReceiver<'a>,
    title: &'a str,
    content: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    push_top: Option<bool>,
}

#[derive(Serialize)]
struct HandReceiver<'a> {
    deptid_list: &'a [i64],
    userid_list: &'a [String],
}

/// What a careful hand-written client would read for `org.get_org_child_list`, checking the
/// envelope code in the same pass.
#[derive(Deserialize)]
#[allow(dead_code)]
struct HandOrgResponse {
    code: String,
    message: Option<String>,
    result: Option<HandOrgList>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandOrgList {
    count: Option<i32>,
    list: Option<Vec<HandOrg>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandOrg {
    org_id: String,
    org_name: String,
    parent_id: String,
    org_type: String,
    #[serde(deserialize_with = "number_or_string")]
    display_order: i32,
}

fn number_or_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(i32),
        Text(String),
    }
    match Either::deserialize(d)? {
        Either::Number(n) => Ok(n),
        Either::Text(t) => t.trim().parse().map_err(serde::de::Error::custom),
    }
}

fn user_ids() -> Vec<String> {
    (0..1000).map(|i| format!("user{i:04}")).collect()
}

fn request_encoding(c: &mut Criterion) {
    let users = user_ids();
    let depts: Vec<i64> = (1..=20).collect();
    let mut group = c.benchmark_group("request_encode");
    group.bench_function("generated", |b| {
        b.iter_batched(
            || users.clone(),
            |users| {
                let receiver = blackboard::BlackboardReceiverOpenVo::new()
                    .deptid_list(depts.clone())
                    .userid_list(users);
                let body = blackboard::OapiCreateBlackboardVo::new(
                    "manager01",
                    receiver,
                    "入职须知",
                    "欢迎加入我们的大家庭",
                )
                .author("杨xx")
                .push_top(true);
                let request = blackboard::CreateRequest::new(body);
                request.body().map(|body| body.as_json().map(<[u8]>::len))
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("hand_written", |b| {
        b.iter_batched(
            || users.clone(),
            |users| {
                let body = HandCreate {
                    create_request: HandCreateVo {
                        operation_userid: "manager01",
                        author: Some("杨xx"),
                        blackboard_receiver: HandReceiver {
                            deptid_list: &depts,
                            userid_list: &users,
                        },
                        title: "入职须知",
                        content: "欢迎加入我们的大家庭",
                        push_top: Some(true),
                    },
                };
                serde_json::to_vec(&body).map(|b| b.len())
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn large_response() -> Vec<u8> {
    let list: Vec<serde_json::Value> = (0..10_000)
        .map(|i| {
            // Half the orders arrive as strings, as tze's example sends them.
            let order = if i % 2 == 0 {
                serde_json::json!(i)
            } else {
                serde_json::json!(i.to_string())
            };
            serde_json::json!({
                "org_id": format!("org{i}"),
                "org_name": format!("部门{i}"),
                "parent_id": "root",
                "org_type": ((i % 10) + 1).to_string(),
                "display_order": order,
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "code": "000000",
        "message": "成功",
        "result": {"count": 10_000, "list": list},
    }))
    .unwrap_or_default()
}

fn response_decoding(c: &mut Criterion) {
    let body = large_response();
    let mut group = c.benchmark_group("response_decode");
    group.bench_function("generated", |b| {
        b.iter(|| {
            let response = open_platform_clients::runtime::decode_response::<
                org::GetOrgChildListRequest,
            >(200, &body);
            response.map(|r| r.result.and_then(|r| r.list).map_or(0, |l| l.len()))
        })
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            let response: Result<HandOrgResponse, _> = serde_json::from_slice(&body);
            response.map(|r| r.result.and_then(|r| r.list).map_or(0, |l| l.len()))
        })
    });
    group.finish();
}

criterion_group!(benches, request_encoding, response_decoding);
criterion_main!(benches);

//! The runtime's cost, case by case, against what a careful engineer writes by hand with
//! serde's derive (`hand.rs`), in one run: `cargo bench -p tests --bench runtime`, or
//! `cargo xtask bench`, which reads criterion's estimates and prints the ratios with their
//! intervals.
//!
//! Each case is a criterion group whose functions measure the generated code and its baseline
//! in both orders (`r1_1_generated`, `r1_2_hand_written`, `r1_3_hand_written`,
//! `r1_4_generated`), so that a machine warming up or slowing down weighs on both sides alike.
//! One process runs one round of the suite, named by `OPC_BENCH_ROUND` (default 1); `cargo
//! xtask bench` runs several rounds, each in a process of its own, because the ratio of a
//! sub-microsecond case depends on where the process's code and data happen to lie (address
//! randomisation): two rounds in one process agreed within criterion's interval, two
//! processes differed by up to 9%. Without `--bench` (`cargo test`, which runs this target)
//! each function runs once, so the suite cannot rot.

mod hand;
mod payloads;
mod whole_call;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Bencher, Criterion};
use open_platform_clients::chengxun::card;
use open_platform_clients::dingtalk::{auth, blackboard, report, work_notification as notice};
use open_platform_clients::runtime::{decode_response, ApiRequest};
use open_platform_clients::tze::org;

/// Both sides of a case must do the same work: a benchmark of a failing decode or of a
/// different body measures nothing (checked before measuring, in `cargo test` too).
fn same_json(generated: &[u8], hand: &[u8]) {
    let read = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes).expect("JSON");
    assert_eq!(
        read(generated),
        read(hand),
        "the two sides encode different bodies"
    );
}

/// The round this process measures, from `OPC_BENCH_ROUND` (set by `cargo xtask bench`).
fn round() -> u32 {
    match std::env::var("OPC_BENCH_ROUND") {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("OPC_BENCH_ROUND={value:?} is not a round number")),
        Err(_) => 1,
    }
}

/// Registers one case of one round: `generated` and `hand` measured in both orders.
fn pair(
    c: &mut Criterion,
    round: u32,
    case: &str,
    mut generated: impl FnMut(&mut Bencher),
    mut hand: impl FnMut(&mut Bencher),
) {
    let mut group = c.benchmark_group(case);
    group.bench_function(format!("r{round}_1_generated"), &mut generated);
    group.bench_function(format!("r{round}_2_hand_written"), &mut hand);
    group.bench_function(format!("r{round}_3_hand_written"), &mut hand);
    group.bench_function(format!("r{round}_4_generated"), &mut generated);
    group.finish();
}

fn responses(c: &mut Criterion, round: u32) {
    let body = payloads::unread_count();
    let count = decode_response::<report::GetUnreadCountRequest>(200, &body).map(|r| r.count);
    assert_eq!(count.ok(), hand::unread_count(&body).ok());
    pair(
        c,
        round,
        "decode_small_response",
        |b| {
            b.iter(|| decode_response::<report::GetUnreadCountRequest>(200, &body).map(|r| r.count))
        },
        |b| b.iter(|| hand::unread_count(&body)),
    );
    let body = payloads::org_list();
    let count = decode_response::<org::GetOrgChildListRequest>(200, &body)
        .map(|r| r.result.and_then(|r| r.list).map_or(0, |l| l.len()));
    assert_eq!(
        (count.ok(), hand::org_list(&body).ok()),
        (Some(10_000), Some(10_000))
    );
    pair(
        c,
        round,
        "decode_listing_10k",
        |b| {
            b.iter(|| {
                decode_response::<org::GetOrgChildListRequest>(200, &body)
                    .map(|r| r.result.and_then(|r| r.list).map_or(0, |l| l.len()))
            })
        },
        |b| b.iter(|| hand::org_list(&body)),
    );
    let body = payloads::blackboard();
    let users = decode_response::<blackboard::GetRequest>(200, &body)
        .map(|r| r.result.and_then(|r| r.user_list).map_or(0, |l| l.len()));
    assert_eq!(
        (users.ok(), hand::blackboard(&body).ok()),
        (Some(200), Some(200))
    );
    pair(
        c,
        round,
        "decode_nested_response",
        |b| {
            b.iter(|| {
                decode_response::<blackboard::GetRequest>(200, &body)
                    .map(|r| r.result.and_then(|r| r.user_list).map_or(0, |l| l.len()))
            })
        },
        |b| b.iter(|| hand::blackboard(&body)),
    );
    let body = payloads::token();
    let token = decode_response::<auth::GetTokenRequest>(200, &body)
        .ok()
        .and_then(|r| r.access_token)
        .map(|t| t.expose().to_owned());
    assert_eq!(token, hand::token(&body).ok().flatten());
    pair(
        c,
        round,
        "decode_secret_response",
        |b| b.iter(|| decode_response::<auth::GetTokenRequest>(200, &body).map(|r| r.access_token)),
        |b| b.iter(|| hand::token(&body)),
    );
}

fn unions(c: &mut Criterion, round: u32) {
    let link = || {
        notice::NotificationMessage::Link(notice::NotificationLinkMessage::new(
            notice::NotificationLink::new(
                "https://www.dingtalk.com/notice/1",
                "@lALOACZwe2Rk",
                "入职须知",
                "欢迎加入我们的大家庭，请在本周内完成入职手续。",
            ),
        ))
    };
    let hand_link = || hand::Notification::Link {
        link: hand::Link {
            message_url: "https://www.dingtalk.com/notice/1".into(),
            pic_url: "@lALOACZwe2Rk".into(),
            title: "入职须知".into(),
            text: "欢迎加入我们的大家庭，请在本周内完成入职手续。".into(),
        },
    };
    let (message, hand_message) = (link(), hand_link());
    same_json(
        &serde_json::to_vec(&message).expect("JSON"),
        &serde_json::to_vec(&hand_message).expect("JSON"),
    );
    pair(
        c,
        round,
        "encode_union_beside_tag",
        |b| b.iter(|| serde_json::to_vec(&message)),
        |b| b.iter(|| serde_json::to_vec(&hand_message)),
    );
    let body = payloads::link_notification();
    assert_eq!(
        serde_json::from_slice::<notice::NotificationMessage>(&body).ok(),
        Some(link())
    );
    assert!(serde_json::from_slice::<hand::Notification>(&body).is_ok());
    pair(
        c,
        round,
        "decode_union_beside_tag",
        |b| b.iter(|| serde_json::from_slice::<notice::NotificationMessage>(&body).is_ok()),
        |b| b.iter(|| serde_json::from_slice::<hand::Notification>(&body).is_ok()),
    );
    let (card, hand_card) = (card_data(), hand_card());
    same_json(
        &serde_json::to_vec(&card).expect("JSON"),
        &serde_json::to_vec(&hand_card).expect("JSON"),
    );
    pair(
        c,
        round,
        "encode_union_in_content",
        |b| b.iter(|| serde_json::to_vec(&card)),
        |b| b.iter(|| serde_json::to_vec(&hand_card)),
    );
    let body = payloads::card();
    assert_eq!(
        serde_json::from_slice::<card::CardData>(&body).ok(),
        Some(card_data())
    );
    assert!(serde_json::from_slice::<hand::Card>(&body).is_ok());
    pair(
        c,
        round,
        "decode_union_in_content",
        |b| b.iter(|| serde_json::from_slice::<card::CardData>(&body).is_ok()),
        |b| b.iter(|| serde_json::from_slice::<hand::Card>(&body).is_ok()),
    );
}

fn card_data() -> card::CardData {
    let items = payloads::card_items()
        .into_iter()
        .map(|(text, jump_url, action)| {
            card::CardListItem::new()
                .text(text)
                .jump_url(jump_url)
                .action(action)
        })
        .collect();
    card::CardData::List(card::CardList::new().items(items))
}

fn hand_card() -> hand::Card {
    let items = payloads::card_items()
        .into_iter()
        .map(|(text, jump_url, action)| hand::CardItem {
            text: Some(text),
            jump_url: Some(jump_url),
            action: Some(action),
            timestamp: None,
        })
        .collect();
    hand::Card::List(hand::CardList { items: Some(items) })
}

fn requests(c: &mut Criterion, round: u32) {
    let request = card::SetEnterpriseDataRequest::new(card_data()).replace_user_data(true);
    let hand_card = hand_card();
    let hand_request = hand::CardRequest {
        replace_user_data: Some(true),
        card: &hand_card,
    };
    assert!(request.validate().is_ok() && hand::check_card(&hand_card).is_ok());
    same_json(
        request.body().expect("a body").as_json().expect("JSON"),
        &serde_json::to_vec(&hand_request).expect("JSON"),
    );
    pair(
        c,
        round,
        "encode_request",
        |b| b.iter(|| request.body().map(|body| body.as_json().map(<[u8]>::len))),
        |b| b.iter(|| serde_json::to_vec(&hand_request).map(|body| body.len())),
    );
    pair(
        c,
        round,
        "validate_and_encode_request",
        |b| {
            b.iter(|| {
                request.validate()?;
                Ok::<_, open_platform_clients::runtime::Error>(
                    request.body().map(|body| body.as_json().map(<[u8]>::len)),
                )
            })
        },
        |b| {
            b.iter(|| {
                hand::check_card(&hand_card)?;
                serde_json::to_vec(&hand_request)
                    .map(|body| body.len())
                    .map_err(|e| e.to_string())
            })
        },
    );
    let users = payloads::user_ids();
    let depts: Vec<i64> = (1..=20).collect();
    pair(
        c,
        round,
        "encode_large_request",
        |b| {
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
        },
        |b| {
            b.iter_batched(
                || users.clone(),
                |users| {
                    let body = hand::BlackboardCreate {
                        create_request: hand::BlackboardCreateVo {
                            operation_userid: "manager01",
                            author: Some("杨xx"),
                            blackboard_receiver: hand::BlackboardReceiver {
                                deptid_list: &depts.clone(),
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
        },
    );
}

fn whole_calls(c: &mut Criterion, round: u32) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let address = runtime.block_on(whole_call::serve());
    let generated = whole_call::generated_client(address);
    let hand = whole_call::HandClient::new(address);
    pair(
        c,
        round,
        "whole_call",
        |b| {
            b.to_async(&runtime)
                .iter(|| whole_call::generated_call(&generated))
        },
        |b| b.to_async(&runtime).iter(|| hand.call()),
    );
    // The same with a subscriber that formats every span and event at INFO (written to a
    // sink): the spans' cost when someone listens.
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::sink)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _listening = tracing::subscriber::set_default(subscriber);
    pair(
        c,
        round,
        "whole_call_traced",
        |b| {
            b.to_async(&runtime)
                .iter(|| whole_call::generated_call(&generated))
        },
        |b| b.to_async(&runtime).iter(|| hand.call()),
    );
}

fn config() -> Criterion {
    // Short runs per function (four per case, about a minute per round), enough samples for
    // a stable median; the rounds' spread, not criterion's bootstrap, gives the interval
    // `cargo xtask bench` reports, so fewer resamples do. The command line may override them.
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(700))
        .sample_size(30)
        .nresamples(20_000)
        .without_plots()
}

fn suite(c: &mut Criterion) {
    let round = round();
    responses(c, round);
    unions(c, round);
    requests(c, round);
    whole_calls(c, round);
}

criterion_group! {
    name = benches;
    config = config();
    targets = suite
}
criterion_main!(benches);

//! The runtime's cost, case by case, against what a careful engineer writes by hand with
//! serde's derive (`hand.rs`), in one run: `cargo bench -p tests --bench runtime`, or
//! `cargo xtask bench`, which reads criterion's estimates and prints the ratios with their
//! intervals.
//!
//! Each case is a criterion group whose functions measure the generated code and its baseline
//! in both orders (`r1_1_generated`, `r1_2_hand_written`, `r1_3_hand_written`,
//! `r1_4_generated`), so that a machine warming up or slowing down weighs on both sides alike.
//! One process runs one round of the suite, named by `OPC_BENCH_ROUND` (default 1); `cargo
//! xtask bench` runs several rounds, each in a process of its own, so that what differs from
//! process to process is sampled, and reports the median round with a distribution-free
//! interval (see `xtask/src/bench/runtime.rs`).
//!
//! With `OPC_BENCH_COUNT=<case>/<side>/<iterations>` (`side` is `generated` or
//! `hand_written`) the process runs only that side of that case, once to warm up and then the
//! given number of times inside [`counted`], and measures nothing: `cargo xtask bench` runs it
//! under callgrind, collecting inside `counted` only, for instructions per call, which do not
//! depend on the machine's load or layout.
//!
//! Without `--bench` (`cargo test`, which runs this target) each function runs once, and each
//! side twice more the way it is counted, so the suite cannot rot.

mod hand;
mod payloads;
mod whole_call;

use std::future::Future;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Bencher, Criterion};
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

/// What this process does with the suite.
enum Suite<'c> {
    /// Measures every case with criterion, as round `round`.
    Measure { c: &'c mut Criterion, round: u32 },
    /// Runs one side of one case `iterations` times inside [`counted`].
    Count {
        case: String,
        side: Side,
        iterations: u64,
        done: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Side {
    Generated,
    HandWritten,
}

impl Suite<'_> {
    /// Whether the case is run at all (counting runs one case and skips the others' setup).
    fn wants(&self, case: &str) -> bool {
        match self {
            Suite::Measure { .. } => true,
            Suite::Count { case: wanted, .. } => wanted == case,
        }
    }
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

/// The side to count, from `OPC_BENCH_COUNT=<case>/<side>/<iterations>`.
fn count_request() -> Option<(String, Side, u64)> {
    let value = std::env::var("OPC_BENCH_COUNT").ok()?;
    let parsed = (|| {
        let mut parts = value.split('/');
        let case = parts.next()?.to_owned();
        let side = match parts.next()? {
            "generated" => Side::Generated,
            "hand_written" => Side::HandWritten,
            _ => return None,
        };
        let iterations = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some((case, side, iterations))
    })();
    Some(parsed.unwrap_or_else(|| {
        panic!("OPC_BENCH_COUNT={value:?} is not <case>/<generated|hand_written>/<iterations>")
    }))
}

/// How one side of a case is run: measured by criterion, or counted.
enum Run<'a, 'b> {
    Measure(&'a mut Bencher<'b>),
    Count {
        iterations: u64,
        inside: fn(&mut dyn FnMut()),
    },
}

impl Run<'_, '_> {
    fn iter<O>(&mut self, mut routine: impl FnMut() -> O) {
        match self {
            Run::Measure(b) => b.iter(routine),
            Run::Count { iterations, inside } => {
                let n = *iterations;
                inside(&mut || {
                    for _ in 0..n {
                        black_box(routine());
                    }
                })
            }
        }
    }

    /// Inputs are made and outputs dropped outside the measured (or counted) part.
    fn iter_batched<I, O>(
        &mut self,
        mut setup: impl FnMut() -> I,
        mut routine: impl FnMut(I) -> O,
        size: BatchSize,
    ) {
        match self {
            Run::Measure(b) => b.iter_batched(setup, routine, size),
            Run::Count { iterations, inside } => {
                let mut inputs: Vec<I> = (0..*iterations).map(|_| setup()).collect();
                let mut outputs = Vec::with_capacity(inputs.len());
                inside(&mut || outputs.extend(inputs.drain(..).map(&mut routine)));
                drop(black_box(outputs));
            }
        }
    }

    fn iter_async<O, F: Future<Output = O>>(
        &mut self,
        runtime: &tokio::runtime::Runtime,
        mut routine: impl FnMut() -> F,
    ) {
        match self {
            Run::Measure(b) => b.to_async(runtime).iter(routine),
            Run::Count { iterations, inside } => {
                let n = *iterations;
                inside(&mut || {
                    runtime.block_on(async {
                        for _ in 0..n {
                            black_box(routine().await);
                        }
                    })
                })
            }
        }
    }
}

/// Where counted iterations run: callgrind collects inside this function only
/// (`--toggle-collect=runtime::counted`).
#[inline(never)]
fn counted(run: &mut dyn FnMut()) {
    run()
}

/// Where the warm-up iteration runs, outside [`counted`].
#[inline(never)]
fn uncounted(run: &mut dyn FnMut()) {
    run()
}

/// Registers one case: `generated` and `hand` measured in both orders, or one of them counted.
fn pair(
    suite: &mut Suite,
    case: &str,
    mut generated: impl FnMut(&mut Run),
    mut hand: impl FnMut(&mut Run),
) {
    match suite {
        Suite::Measure { c, round } => {
            let round = *round;
            let mut group = c.benchmark_group(case);
            group.bench_function(format!("r{round}_1_generated"), |b| {
                generated(&mut Run::Measure(b))
            });
            group.bench_function(format!("r{round}_2_hand_written"), |b| {
                hand(&mut Run::Measure(b))
            });
            group.bench_function(format!("r{round}_3_hand_written"), |b| {
                hand(&mut Run::Measure(b))
            });
            group.bench_function(format!("r{round}_4_generated"), |b| {
                generated(&mut Run::Measure(b))
            });
            group.finish();
            if !benchmarking() {
                // `cargo test`: the counted path works too.
                for side in [&mut generated as &mut dyn FnMut(&mut Run), &mut hand] {
                    side(&mut Run::Count {
                        iterations: 2,
                        inside: uncounted,
                    });
                }
            }
        }
        Suite::Count {
            case: wanted,
            side,
            iterations,
            done,
        } => {
            if wanted != case {
                return;
            }
            let routine: &mut dyn FnMut(&mut Run) = match side {
                Side::Generated => &mut generated,
                Side::HandWritten => &mut hand,
            };
            routine(&mut Run::Count {
                iterations: 1,
                inside: uncounted,
            });
            routine(&mut Run::Count {
                iterations: *iterations,
                inside: counted,
            });
            *done = true;
        }
    }
}

/// Whether criterion measures (`cargo bench`), rather than runs each function once.
fn benchmarking() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

fn responses(suite: &mut Suite) {
    let body = payloads::unread_count();
    let count = decode_response::<report::GetUnreadCountRequest>(200, &body).map(|r| r.count);
    assert_eq!(count.ok(), hand::unread_count(&body).ok());
    pair(
        suite,
        "decode_small_response",
        |b| {
            b.iter(|| decode_response::<report::GetUnreadCountRequest>(200, &body).map(|r| r.count))
        },
        |b| b.iter(|| hand::unread_count(&body)),
    );
    // Counting another case skips building this one's payload (here and below).
    if suite.wants("decode_listing_10k") {
        let body = payloads::org_list();
        let count = decode_response::<org::GetOrgChildListRequest>(200, &body)
            .map(|r| r.result.and_then(|r| r.list).map_or(0, |l| l.len()));
        assert_eq!(
            (count.ok(), hand::org_list(&body).ok()),
            (Some(10_000), Some(10_000))
        );
        pair(
            suite,
            "decode_listing_10k",
            |b| {
                b.iter(|| {
                    decode_response::<org::GetOrgChildListRequest>(200, &body)
                        .map(|r| r.result.and_then(|r| r.list).map_or(0, |l| l.len()))
                })
            },
            |b| b.iter(|| hand::org_list(&body)),
        );
    }
    if suite.wants("decode_nested_response") {
        let body = payloads::blackboard();
        let users = decode_response::<blackboard::GetRequest>(200, &body)
            .map(|r| r.result.and_then(|r| r.user_list).map_or(0, |l| l.len()));
        assert_eq!(
            (users.ok(), hand::blackboard(&body).ok()),
            (Some(200), Some(200))
        );
        pair(
            suite,
            "decode_nested_response",
            |b| {
                b.iter(|| {
                    decode_response::<blackboard::GetRequest>(200, &body)
                        .map(|r| r.result.and_then(|r| r.user_list).map_or(0, |l| l.len()))
                })
            },
            |b| b.iter(|| hand::blackboard(&body)),
        );
    }
    let body = payloads::token();
    let token = decode_response::<auth::GetTokenRequest>(200, &body)
        .ok()
        .and_then(|r| r.access_token)
        .map(|t| t.expose().to_owned());
    assert_eq!(token, hand::token(&body).ok().flatten());
    pair(
        suite,
        "decode_secret_response",
        |b| b.iter(|| decode_response::<auth::GetTokenRequest>(200, &body).map(|r| r.access_token)),
        |b| b.iter(|| hand::token(&body)),
    );
}

fn unions(suite: &mut Suite) {
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
        suite,
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
        suite,
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
        suite,
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
        suite,
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

fn requests(suite: &mut Suite) {
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
        suite,
        "encode_request",
        |b| b.iter(|| request.body().map(|body| body.as_json().map(<[u8]>::len))),
        |b| b.iter(|| serde_json::to_vec(&hand_request).map(|body| body.len())),
    );
    pair(
        suite,
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
        suite,
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

fn whole_calls(suite: &mut Suite) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let address = runtime.block_on(whole_call::serve());
    let generated = whole_call::generated_client(address);
    let hand = whole_call::HandClient::new(address);
    pair(
        suite,
        "whole_call",
        |b| b.iter_async(&runtime, || whole_call::generated_call(&generated)),
        |b| b.iter_async(&runtime, || hand.call()),
    );
    // The same with a subscriber that formats every span and event at INFO (written to a
    // sink): the spans' cost when someone listens.
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::sink)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _listening = tracing::subscriber::set_default(subscriber);
    pair(
        suite,
        "whole_call_traced",
        |b| b.iter_async(&runtime, || whole_call::generated_call(&generated)),
        |b| b.iter_async(&runtime, || hand.call()),
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

fn run(suite: &mut Suite) {
    responses(suite);
    unions(suite);
    requests(suite);
    if suite.wants("whole_call") || suite.wants("whole_call_traced") {
        whole_calls(suite);
    }
}

fn main() {
    if let Some((case, side, iterations)) = count_request() {
        let mut suite = Suite::Count {
            case,
            side,
            iterations,
            done: false,
        };
        run(&mut suite);
        if let Suite::Count {
            case, done: false, ..
        } = suite
        {
            panic!("OPC_BENCH_COUNT names no case of the suite: {case:?}");
        }
        return;
    }
    let mut c = config().configure_from_args();
    run(&mut Suite::Measure {
        c: &mut c,
        round: round(),
    });
    c.final_summary();
}

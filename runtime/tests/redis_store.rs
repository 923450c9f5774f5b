//! `RedisTokenStore` (cargo feature `redis`) against Redis servers that do not answer: every
//! operation gives up within the command timeout and answers as a cache miss, so a dead or
//! hung server never stalls a call; and what it refuses to be created with. Timed on a paused
//! tokio clock (a silent server is a loopback listener that accepts and never replies), so
//! the durations are exact and nothing waits in real time. The tests with a real
//! `redis-server` are in the `tests` crate (`redis_tokens.rs`, `redis_outage.rs`).

#![cfg(feature = "redis")]

use std::time::{Duration, SystemTime};

use open_platform_runtime::{
    FetchLock, LockOwner, RedisStoreError, RedisTokenStore, Secret, StoredToken, TokenStore,
};
use tokio::time::Instant;

const KEY: &str = "opc:v1:dingtalk:app:k:-:0000000000000000";
const TIMEOUT: Duration = Duration::from_millis(100);

/// A loopback server that accepts connections and never answers; the listener and the
/// accepted sockets live as long as the returned task.
async fn silent_server() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("redis://{}/", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    (url, task)
}

fn stored(token: &str) -> StoredToken {
    StoredToken {
        token: Secret::new(token),
        expires_at: SystemTime::now() + Duration::from_secs(7200),
        refresh_token: None,
    }
}

#[tokio::test(start_paused = true)]
async fn a_silent_server_costs_each_operation_at_most_one_command_timeout() {
    let (url, _server) = silent_server().await;
    let store = RedisTokenStore::open(&url)
        .unwrap()
        .command_timeout(TIMEOUT);

    let started = Instant::now();
    assert_eq!(store.get(KEY).await, None);
    assert_eq!(started.elapsed(), TIMEOUT);

    let started = Instant::now();
    let lock = store.lock_fetch(KEY, Duration::from_secs(10)).await;
    assert_eq!(lock, FetchLock::Unshared);
    assert_eq!(started.elapsed(), TIMEOUT);

    let started = Instant::now();
    store.put(KEY, stored("own-token")).await;
    assert!(started.elapsed() <= TIMEOUT, "{:?}", started.elapsed());
    let started = Instant::now();
    store.unlock_fetch(KEY, &LockOwner::new("pid:1:0")).await;
    assert!(started.elapsed() <= TIMEOUT, "{:?}", started.elapsed());

    // While Redis does not answer, the token this process stored serves.
    let started = Instant::now();
    let served = store.get(KEY).await.expect("this process's copy");
    assert_eq!(served.token, Secret::new("own-token"));
    assert!(started.elapsed() <= TIMEOUT, "{:?}", started.elapsed());

    // A rejected token is dropped from this process's copy even though Redis did not answer.
    store.remove(KEY, &Secret::new("own-token")).await;
    assert_eq!(store.get(KEY).await, None);
}

#[tokio::test(start_paused = true)]
async fn a_refused_connection_is_a_cache_miss_at_once() {
    // A port nothing listens on: bound, then closed.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let store = RedisTokenStore::open(&format!("redis://127.0.0.1:{port}/")).unwrap();

    assert_eq!(store.get(KEY).await, None);
    assert_eq!(
        store.lock_fetch(KEY, Duration::from_secs(10)).await,
        FetchLock::Unshared
    );
}

#[test]
fn a_url_that_is_not_a_redis_url_is_refused_without_repeating_it() {
    for url in ["http://user:hunter2@example.invalid/", "not a url :hunter2"] {
        let error = RedisTokenStore::open(url).unwrap_err();
        assert!(
            matches!(error, RedisStoreError::InvalidUrl { .. }),
            "{error:?}"
        );
        let shown = format!("{error} {error:?}");
        assert!(shown.starts_with("invalid Redis URL: "), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}

#[test]
fn debug_shows_the_prefix_and_timeout_but_not_the_url() {
    let store = RedisTokenStore::open("redis://:hunter2@127.0.0.1:6379/")
        .unwrap()
        .prefix("app:");
    let shown = format!("{store:?}");
    assert!(shown.contains("\"app:\""), "{shown}");
    assert!(shown.contains("500ms"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
}

#[test]
fn lock_owner_values_are_unique_and_name_the_process() {
    let first = LockOwner::random();
    let second = LockOwner::random();
    assert_ne!(first, second);
    let prefix = format!("pid:{}:", std::process::id());
    for owner in [&first, &second] {
        let random = owner.as_str().strip_prefix(&prefix).expect("pid prefix");
        assert_eq!(random.len(), 32, "{owner:?}");
        assert!(random.bytes().all(|b| b.is_ascii_hexdigit()), "{owner:?}");
    }
}

//! `FetchedToken` with a store that takes fleet-wide fetch locks (`TokenStore::lock_fetch`),
//! scripted here to stand for the other processes of a fleet: a caller that does not get the
//! lock waits for the holder's token, takes the lock when it is freed, fetches its own after
//! twice the lock's time to live, and does not wait while a still valid token is refreshed.
//! On a paused tokio clock, so every duration is exact.

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use open_platform_runtime::{
    BoxFuture, Client, Credential, FetchLock, FetchedToken, IssuedToken, LockOwner, Secret,
    StoredToken, TokenKey, TokenSource, TokenStore,
};
use tokio::time::Instant;

const APP: Credential = Credential {
    id: "app",
    per_tenant: false,
};
const TTL: Duration = Duration::from_secs(1);

/// A store whose lock is held by another process for the first `busy` asks (all of them when
/// `None`), then taken; it records the owners released.
#[derive(Default)]
struct FleetStore {
    tokens: Mutex<BTreeMap<String, StoredToken>>,
    busy: Mutex<Option<usize>>,
    locks: AtomicUsize,
    unlocked: Mutex<Vec<LockOwner>>,
}

impl FleetStore {
    fn busy_for(asks: Option<usize>) -> Arc<Self> {
        let store = Self::default();
        *store.busy.lock().unwrap() = asks;
        Arc::new(store)
    }
}

impl TokenStore for FleetStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<StoredToken>> {
        let found = self.tokens.lock().unwrap().get(key).cloned();
        Box::pin(async move { found })
    }

    fn put<'a>(&'a self, key: &'a str, token: StoredToken) -> BoxFuture<'a, ()> {
        self.tokens.lock().unwrap().insert(key.to_owned(), token);
        Box::pin(async {})
    }

    fn remove<'a>(&'a self, key: &'a str, stale: &'a Secret) -> BoxFuture<'a, ()> {
        let mut tokens = self.tokens.lock().unwrap();
        if tokens.get(key).is_some_and(|t| t.token == *stale) {
            tokens.remove(key);
        }
        Box::pin(async {})
    }

    fn lock_fetch<'a>(&'a self, _key: &'a str, ttl: Duration) -> BoxFuture<'a, FetchLock> {
        assert_eq!(ttl, TTL);
        self.locks.fetch_add(1, Ordering::SeqCst);
        let mut busy = self.busy.lock().unwrap();
        let answer = match busy.as_mut() {
            None => FetchLock::Busy,
            Some(0) => FetchLock::Acquired(LockOwner::new("pid:1:mine")),
            Some(left) => {
                *left -= 1;
                FetchLock::Busy
            }
        };
        Box::pin(async move { answer })
    }

    fn unlock_fetch<'a>(&'a self, _key: &'a str, owner: &'a LockOwner) -> BoxFuture<'a, ()> {
        self.unlocked.lock().unwrap().push(owner.clone());
        Box::pin(async {})
    }
}

fn client() -> Client {
    support::builder(&support::OAPI, "http://127.0.0.1:9")
        .build()
        .expect("client")
        .0
}

/// A source caching in `store` whose fetches are counted and give `fetched-<n>`.
fn source(store: &Arc<FleetStore>, fetches: &Arc<AtomicUsize>) -> FetchedToken {
    let fetches = Arc::clone(fetches);
    FetchedToken::new(TokenKey::new("test", &APP, "app", &["secret"]), move |_| {
        let n = fetches.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move {
            Ok(IssuedToken::new(
                Secret::new(format!("fetched-{n}")),
                Some(7200),
            ))
        })
    })
    .store(Arc::clone(store) as Arc<dyn TokenStore>)
    .fetch_lock_ttl(TTL)
}

fn stored(token: &str, left: Duration) -> StoredToken {
    StoredToken {
        token: Secret::new(token),
        expires_at: SystemTime::now() + left,
        refresh_token: None,
    }
}

#[tokio::test(start_paused = true)]
async fn a_caller_waits_for_the_token_the_lock_holder_stores() {
    let store = FleetStore::busy_for(None);
    let fetches = Arc::new(AtomicUsize::new(0));
    let source = source(&store, &fetches);
    let client = client();
    let key = source.cache_key(&client);
    // The holder stores its token 50 ms from now.
    let holder = Arc::clone(&store);
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        holder
            .put(&key, stored("theirs", Duration::from_secs(7200)))
            .await;
    });

    let started = Instant::now();
    let token = source.token(&client).await.unwrap();

    assert_eq!(token, Secret::new("theirs"));
    assert_eq!(fetches.load(Ordering::SeqCst), 0);
    // Looks after 10, 30 and 70 ms: the third finds it.
    assert_eq!(started.elapsed(), Duration::from_millis(70));
    assert!(store.unlocked.lock().unwrap().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_lock_freed_without_a_token_is_taken_fetched_under_and_released() {
    let store = FleetStore::busy_for(Some(2));
    let fetches = Arc::new(AtomicUsize::new(0));
    let source = source(&store, &fetches);
    let client = client();

    let started = Instant::now();
    let token = source.token(&client).await.unwrap();

    assert_eq!(token, Secret::new("fetched-1"));
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    assert_eq!(store.locks.load(Ordering::SeqCst), 3);
    assert_eq!(started.elapsed(), Duration::from_millis(30));
    assert_eq!(
        *store.unlocked.lock().unwrap(),
        [LockOwner::new("pid:1:mine")]
    );
    let key = source.cache_key(&client);
    let kept = store.get(&key).await.expect("stored");
    assert_eq!(kept.token, Secret::new("fetched-1"));
}

#[tokio::test(start_paused = true)]
async fn a_lock_held_with_no_token_for_twice_its_ttl_is_given_up_and_the_caller_fetches() {
    let store = FleetStore::busy_for(None);
    let fetches = Arc::new(AtomicUsize::new(0));
    let source = source(&store, &fetches);
    let client = client();

    let started = Instant::now();
    let token = source.token(&client).await.unwrap();

    assert_eq!(token, Secret::new("fetched-1"));
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    assert_eq!(started.elapsed(), TTL * 2);
    // It never held the lock, so it releases none.
    assert!(store.unlocked.lock().unwrap().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_token_another_process_is_refreshing_serves_without_waiting() {
    let store = FleetStore::busy_for(Some(0));
    let fetches = Arc::new(AtomicUsize::new(0));
    let source = source(&store, &fetches);
    let client = client();
    assert_eq!(
        source.token(&client).await.unwrap(),
        Secret::new("fetched-1")
    );
    // 100 s before its expiry (inside the 5-minute refresh margin) another process holds the
    // lock to refresh it.
    tokio::time::advance(Duration::from_secs(7200 - 100)).await;
    *store.busy.lock().unwrap() = None;

    let started = Instant::now();
    let token = source.token(&client).await.unwrap();

    assert_eq!(token, Secret::new("fetched-1"));
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    assert_eq!(store.locks.load(Ordering::SeqCst), 2);
    assert_eq!(started.elapsed(), Duration::ZERO);
}

//! Where access tokens come from: a fixed token, a closure, or a token fetched by a
//! spec-declared operation, cached behind a [`TokenStore`] and refreshed ahead of expiry with
//! one fetch shared by all concurrent callers.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::{BoxFuture, Client, Error, Secret};

/// Supplies the access token for calls that need one.
pub trait TokenSource: Send + Sync + 'static {
    /// The token to use now. `client` is the client making the call, for sources that fetch
    /// tokens through an operation of the platform.
    fn token<'a>(&'a self, client: &'a Client) -> BoxFuture<'a, Result<Secret, Error>>;

    /// Called when the platform rejected `stale` as invalid or expired; a caching source drops
    /// it so that the next call fetches a fresh one.
    fn invalidate<'a>(&'a self, _stale: &'a Secret) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }

    /// Whether asking again after [`invalidate`](Self::invalidate) can give a different token.
    /// When it cannot, a call whose token the platform rejected is not replayed: the replay
    /// would carry the same token and be rejected again.
    fn renews(&self) -> bool {
        true
    }
}

/// A token the caller obtained elsewhere and manages itself.
#[derive(Debug, Clone)]
pub struct StaticToken(Secret);

impl StaticToken {
    /// Uses `token` for every call.
    pub fn new(token: impl Into<Secret>) -> Self {
        Self(token.into())
    }
}

impl TokenSource for StaticToken {
    fn token<'a>(&'a self, _client: &'a Client) -> BoxFuture<'a, Result<Secret, Error>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }

    /// Never: the token is fixed.
    fn renews(&self) -> bool {
        false
    }
}

/// A token produced by the caller's own async closure, called for every call; the closure
/// decides about caching.
pub struct FnToken<F>(F);

impl<F> std::fmt::Debug for FnToken<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FnToken(..)")
    }
}

/// A token source calling `f` for each token.
pub fn token_fn<F, Fut>(f: F) -> FnToken<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Secret, Error>> + Send + 'static,
{
    FnToken(f)
}

impl<F, Fut> TokenSource for FnToken<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Secret, Error>> + Send + 'static,
{
    fn token<'a>(&'a self, _client: &'a Client) -> BoxFuture<'a, Result<Secret, Error>> {
        Box::pin((self.0)())
    }
}

/// A token and when it stops being valid, as kept in a [`TokenStore`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    /// The token.
    pub token: Secret,
    /// Wall-clock expiry, so that several processes sharing a store agree on it.
    pub expires_at: SystemTime,
}

/// Where fetched tokens are cached. The in-memory default serves one process; implement this
/// over Redis or a database to share tokens between processes.
pub trait TokenStore: Send + Sync + 'static {
    /// The cached token for `key`, if any.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<StoredToken>>;
    /// Caches `token` for `key`.
    fn put<'a>(&'a self, key: &'a str, token: StoredToken) -> BoxFuture<'a, ()>;
    /// Drops the cached token for `key` if it is still `stale` (another process may have
    /// replaced it already).
    fn remove<'a>(&'a self, key: &'a str, stale: &'a Secret) -> BoxFuture<'a, ()>;
}

/// The default [`TokenStore`]: a map in this process.
#[derive(Debug, Default)]
pub struct InMemoryTokenStore(Mutex<BTreeMap<String, StoredToken>>);

impl InMemoryTokenStore {
    fn with<T>(&self, f: impl FnOnce(&mut BTreeMap<String, StoredToken>) -> T) -> T {
        // A panic while holding the lock leaves a map that is still consistent, so a poisoned
        // lock is used as it is.
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut map)
    }
}

impl TokenStore for InMemoryTokenStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<StoredToken>> {
        let found = self.with(|map| map.get(key).cloned());
        Box::pin(async move { found })
    }

    fn put<'a>(&'a self, key: &'a str, token: StoredToken) -> BoxFuture<'a, ()> {
        self.with(|map| map.insert(key.to_owned(), token));
        Box::pin(async {})
    }

    fn remove<'a>(&'a self, key: &'a str, stale: &'a Secret) -> BoxFuture<'a, ()> {
        self.with(|map| {
            if map.get(key).is_some_and(|current| current.token == *stale) {
                map.remove(key);
            }
        });
        Box::pin(async {})
    }
}

/// A token as a token operation returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The token.
    pub token: Secret,
    /// How long it is valid from now.
    pub expires_in: Duration,
}

impl IssuedToken {
    /// What platforms promise when a response leaves the lifetime out (DingTalk's is 7200 s).
    pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(7200);

    /// A token valid for `expires_in` seconds, or [`Self::DEFAULT_LIFETIME`] when the response
    /// does not say (or says something negative).
    pub fn new(token: Secret, expires_in: Option<i64>) -> Self {
        let expires_in = expires_in
            .and_then(|s| u64::try_from(s).ok())
            .map_or(Self::DEFAULT_LIFETIME, Duration::from_secs);
        Self { token, expires_in }
    }
}

/// A request of a platform's token operation (DingTalk `gettoken`); implemented by the
/// generated code for the operation a spec declares under `token:`.
pub trait TokenRequest {
    /// A [`FetchedToken`] that sends this request when it needs a token, caches the token and
    /// refreshes it ahead of expiry, one fetch for all concurrent callers.
    fn into_token_source(self) -> FetchedToken;
}

type Fetch = dyn Fn(Client) -> BoxFuture<'static, Result<IssuedToken, Error>> + Send + Sync;

/// A token fetched by an operation of the platform (DingTalk `gettoken`), cached in a
/// [`TokenStore`] and refreshed ahead of expiry. Concurrent callers that find no fresh token
/// wait for one shared fetch instead of each fetching their own.
pub struct FetchedToken {
    fetch: Box<Fetch>,
    key: String,
    store: Arc<dyn TokenStore>,
    refresh_ahead: Duration,
    /// Held while fetching, so that only one fetch runs at a time; it records the outcome of
    /// the last fetch for the callers that waited for it.
    refreshing: tokio::sync::Mutex<LastFetch>,
    /// Counts finished fetches, so that a waiting caller can tell whether one finished while
    /// it waited.
    fetches: AtomicU64,
}

/// How the last fetch ended, for callers that waited on it.
#[derive(Default)]
struct LastFetch {
    /// The failure of the last fetch: the operation and the error's text.
    failure: Option<(&'static str, String)>,
}

impl std::fmt::Debug for FetchedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchedToken")
            .field("key", &self.key)
            .field("refresh_ahead", &self.refresh_ahead)
            .finish_non_exhaustive()
    }
}

impl FetchedToken {
    /// How long before expiry a token is replaced by default.
    pub const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(300);

    /// A source that calls `fetch` with the client when it needs a token, caching the result
    /// under `key` (which should identify the app, such as the token operation and app key).
    pub fn new<F>(key: impl Into<String>, fetch: F) -> Self
    where
        F: Fn(Client) -> BoxFuture<'static, Result<IssuedToken, Error>> + Send + Sync + 'static,
    {
        Self {
            fetch: Box::new(fetch),
            key: key.into(),
            store: Arc::new(InMemoryTokenStore::default()),
            refresh_ahead: Self::DEFAULT_REFRESH_AHEAD,
            refreshing: tokio::sync::Mutex::new(LastFetch::default()),
            fetches: AtomicU64::new(0),
        }
    }

    /// Caches tokens in `store` instead of this process's memory.
    pub fn store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = store;
        self
    }

    /// Replaces tokens this long before they expire.
    pub fn refresh_ahead(mut self, margin: Duration) -> Self {
        self.refresh_ahead = margin;
        self
    }

    /// Caches under another key.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = key.into();
        self
    }

    async fn fresh(&self) -> Option<Secret> {
        let stored = self.store.get(&self.key).await?;
        let still_valid = stored
            .expires_at
            .duration_since(SystemTime::now())
            .is_ok_and(|left| left > self.refresh_ahead);
        still_valid.then_some(stored.token)
    }

    async fn get(&self, client: &Client) -> Result<Secret, Error> {
        if let Some(token) = self.fresh().await {
            return Ok(token);
        }
        let before = self.fetches.load(Ordering::Acquire);
        let mut last = self.refreshing.lock().await;
        // Another caller may have fetched while this one waited: use its token, or share its
        // failure instead of sending every waiting caller's fetch to a failing endpoint.
        if let Some(token) = self.fresh().await {
            return Ok(token);
        }
        if self.fetches.load(Ordering::Acquire) != before {
            if let Some((operation, message)) = &last.failure {
                let message = format!("the shared token fetch failed: {message}");
                return Err(Error::Auth { operation, message });
            }
        }
        let result = (self.fetch)(client.clone()).await;
        self.fetches.fetch_add(1, Ordering::AcqRel);
        let issued = match result {
            Ok(issued) => issued,
            Err(error) => {
                last.failure = Some((error.operation(), error.to_string()));
                return Err(error);
            }
        };
        last.failure = None;
        tracing::debug!(key = %self.key, expires_in_s = issued.expires_in.as_secs(), "token fetched");
        let stored = StoredToken {
            token: issued.token.clone(),
            expires_at: SystemTime::now() + issued.expires_in,
        };
        self.store.put(&self.key, stored).await;
        Ok(issued.token)
    }
}

impl TokenSource for FetchedToken {
    fn token<'a>(&'a self, client: &'a Client) -> BoxFuture<'a, Result<Secret, Error>> {
        Box::pin(self.get(client))
    }

    fn invalidate<'a>(&'a self, stale: &'a Secret) -> BoxFuture<'a, ()> {
        Box::pin(self.store.remove(&self.key, stale))
    }
}

//! Where access tokens come from: a fixed token, a closure, or a token fetched by a
//! spec-declared operation, cached behind a [`TokenStore`] and refreshed ahead of expiry with
//! one fetch shared by all concurrent callers.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use super::{BoxFuture, Client, Credential, Error, Secret};

/// Supplies the access token for calls that need one.
pub trait TokenSource: Send + Sync + 'static {
    /// The token to use now. `client` is the client making the call, for sources that fetch
    /// tokens through an operation of the platform.
    fn token<'a>(&'a self, client: &'a Client) -> BoxFuture<'a, Result<Secret, Error>>;

    /// Called when the platform rejected `stale` as invalid or expired; a caching source drops
    /// it so that the next call fetches a fresh one. `client` is the client of the call (its
    /// tenant names the cache entry of per-tenant tokens).
    fn invalidate<'a>(&'a self, _client: &'a Client, _stale: &'a Secret) -> BoxFuture<'a, ()> {
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
    /// The refresh token issued with it, for tokens renewed with one (user tokens).
    pub refresh_token: Option<Secret>,
}

/// The cache key of a fetched token: a stable, documented text built from the platform, the
/// credential, the app (or suite) key, the tenant and a digest of the secrets, so that every
/// process (and every version of this crate) sharing a [`TokenStore`] finds the same entry.
/// It never contains a secret.
///
/// The format (version 1) is
/// `opc:v1:<platform>:<credential>:<app key>:<tenant or ->:<digest>`, where the app key and
/// the tenant are percent-encoded (so that `:` cannot occur in them) and the digest is the
/// first 16 hexadecimal digits of the SHA-256 of the secrets, each followed by a NUL byte.
/// A new secret for the same app gets another entry rather than the old secret's token.
///
/// ```
/// use open_platform_runtime::{Credential, TokenKey};
///
/// // The digest: `printf 'suite-secret\0' | openssl dgst -sha256`, first 16 digits.
/// const CORP: Credential = Credential { id: "corp", per_tenant: true };
/// let key = TokenKey::new("dingtalk", &CORP, "suite-key", &["suite-secret"]);
/// assert_eq!(key.for_tenant(Some("ding:1")), "opc:v1:dingtalk:corp:suite-key:ding%3A1:c5415b2db33efcb7");
/// assert_eq!(key.for_tenant(None), "opc:v1:dingtalk:corp:suite-key:-:c5415b2db33efcb7");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenKey {
    /// `<platform>:<credential>`, percent-encoded.
    scope: String,
    /// The app key, percent-encoded.
    app: String,
    /// The digest of the secrets.
    digest: String,
    /// The app is the client's signing key (the issuing request is signed and names no app
    /// of its own, as DingTalk's `get_corp_token`): its id and secret fill the key per client.
    from_signing_key: bool,
    /// The credential issues one token per tenant, so a key needs the client's tenant.
    per_tenant: bool,
}

impl TokenKey {
    /// The key of `credential`'s tokens for the app `app_key` with `secrets`.
    pub fn new(platform: &str, credential: &Credential, app_key: &str, secrets: &[&str]) -> Self {
        Self {
            scope: format!("{}:{}", key_part(platform), key_part(credential.id)),
            app: key_part(app_key),
            digest: digest_of(secrets),
            from_signing_key: false,
            per_tenant: credential.per_tenant,
        }
    }

    /// The key of `credential`'s tokens for the app whose signing key signs the issuing
    /// request (`ClientBuilder::signing_key`): its key id is the app key, its secret the secret.
    pub fn of_signing_key(platform: &str, credential: &Credential) -> Self {
        Self {
            from_signing_key: true,
            ..Self::new(platform, credential, "", &[])
        }
    }

    /// The key of the token for `tenant` (`-` for tokens that are not per tenant).
    pub fn for_tenant(&self, tenant: Option<&str>) -> String {
        self.render(&self.app, &self.digest, tenant)
    }

    /// The key of the calling client's token: its tenant's, and for a key of the signing key,
    /// the client's signing key's.
    fn for_client(&self, client: &Client) -> String {
        match (self.from_signing_key, client.signing_key()) {
            (true, Some(key)) => {
                let app = key_part(key.key_id.as_deref().unwrap_or_default());
                let digest = digest_of(&[key.secret.expose()]);
                self.render(&app, &digest, client.tenant())
            }
            _ => self.for_tenant(client.tenant()),
        }
    }

    fn render(&self, app: &str, digest: &str, tenant: Option<&str>) -> String {
        let tenant = tenant.map_or_else(|| "-".to_owned(), key_part);
        format!("opc:v1:{}:{app}:{tenant}:{digest}", self.scope)
    }
}

/// The first 16 hexadecimal digits of the SHA-256 of the secrets, each followed by a NUL byte.
fn digest_of(secrets: &[&str]) -> String {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    for secret in secrets {
        hasher.update(secret.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A key component with `%`, `:` and control characters percent-encoded.
fn key_part(text: &str) -> String {
    const KEY: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b'%').add(b':');
    percent_encoding::utf8_percent_encode(text, KEY).to_string()
}

/// Where fetched tokens are cached. The in-memory default serves one process; implement this
/// over Redis or a database to share tokens between processes (the `redis` feature's
/// `RedisTokenStore` is one).
///
/// A store shared by several processes can also make one fetch per fleet instead of one per
/// process: [`lock_fetch`](Self::lock_fetch) takes a lock that every process sharing the
/// store sees, and [`FetchedToken`] fetches only while holding it; the callers of processes
/// that do not hold it wait for the holder's token. The default methods take no such lock,
/// which keeps a store's behaviour as it was: one fetch per key per process.
///
/// Errors are the store's own business: a store that cannot be reached answers as if it held
/// nothing (`get` gives `None`, [`lock_fetch`](Self::lock_fetch) gives
/// [`FetchLock::Unshared`]), so that the caller fetches its own token and its call succeeds.
pub trait TokenStore: Send + Sync + 'static {
    /// The cached token for `key`, if any.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<StoredToken>>;
    /// Caches `token` for `key`.
    fn put<'a>(&'a self, key: &'a str, token: StoredToken) -> BoxFuture<'a, ()>;
    /// Drops the cached token for `key` if it is still `stale` (another process may have
    /// replaced it already).
    fn remove<'a>(&'a self, key: &'a str, stale: &'a Secret) -> BoxFuture<'a, ()>;

    /// Tries to take the fleet-wide lock on fetching `key`'s token, held for at most `ttl`
    /// (so that a holder that dies does not block the others for longer): the caller that
    /// gets [`FetchLock::Acquired`] fetches, [`put`](Self::put)s the token and then calls
    /// [`unlock_fetch`](Self::unlock_fetch); one that gets [`FetchLock::Busy`] waits for the
    /// holder's token. It never waits itself.
    ///
    /// The default takes no lock and answers [`FetchLock::Unshared`]: right for stores that
    /// serve one process, where [`FetchedToken`]'s own per-key lock already makes one fetch.
    fn lock_fetch<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, FetchLock> {
        let _ = (key, ttl);
        Box::pin(async { FetchLock::Unshared })
    }

    /// Releases the lock that `owner` took with [`lock_fetch`](Self::lock_fetch), if `owner`
    /// still holds it (after its time to live, another process may hold it). The default does
    /// nothing.
    fn unlock_fetch<'a>(&'a self, key: &'a str, owner: &'a LockOwner) -> BoxFuture<'a, ()> {
        let _ = (key, owner);
        Box::pin(async {})
    }
}

/// The answer of [`TokenStore::lock_fetch`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchLock {
    /// The caller holds the lock under this owner value: it fetches, then unlocks.
    Acquired(LockOwner),
    /// Another process holds the lock and is fetching: the caller waits for its token.
    Busy,
    /// There is no fleet-wide lock to take (the store serves one process) or it could not be
    /// taken (the store cannot be reached): the caller fetches without one.
    Unshared,
}

/// The value that names the holder of a fleet-wide fetch lock ([`FetchLock::Acquired`]), so
/// that only the holder releases it. Unique per lock taken: a random value (with the process id,
/// for people reading the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockOwner(String);

impl LockOwner {
    /// An owner value chosen by the store.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// A new value `pid:<process id>:<32 random hexadecimal digits>`, unique for all practical
    /// purposes.
    pub fn random() -> Self {
        Self(format!(
            "pid:{}:{:016x}{:016x}",
            std::process::id(),
            fastrand::u64(..),
            fastrand::u64(..)
        ))
    }

    /// The value as the store keeps it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
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
    /// The refresh token issued with it, if the operation issues one.
    pub refresh_token: Option<Secret>,
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
        Self {
            token,
            expires_in,
            refresh_token: None,
        }
    }

    /// With the refresh token the operation issued beside it.
    pub fn with_refresh_token(mut self, refresh_token: Option<Secret>) -> Self {
        self.refresh_token = refresh_token;
        self
    }
}

/// A request of a platform's token operation (DingTalk `gettoken`); implemented by the
/// generated code for each operation a spec's `credentials` name as an issuer.
pub trait TokenRequest {
    /// The kind of token the operation issues.
    const CREDENTIAL: &'static Credential;

    /// A [`FetchedToken`] that sends this request when it needs a token, caches the token and
    /// refreshes it ahead of expiry, one fetch for all concurrent callers.
    fn into_token_source(self) -> FetchedToken;
}

/// Fetches a token with the client of the call (its tenant included) and, for tokens renewed
/// with a refresh token, the refresh token of the token it replaces.
type Fetch =
    dyn Fn(Client, Option<Secret>) -> BoxFuture<'static, Result<IssuedToken, Error>> + Send + Sync;

/// A token fetched by an operation of the platform (DingTalk `gettoken`), cached in a
/// [`TokenStore`] and refreshed ahead of expiry. Concurrent callers that find no fresh token
/// wait for one shared fetch instead of each fetching their own.
///
/// A token is replaced when less than its margin is left: the
/// [`refresh_ahead`](Self::refresh_ahead) margin (5 minutes by default), or a third of the
/// token's lifetime if that is shorter, so that a token living 60 s serves calls for 40 s.
/// The tokens this source fetched are timed on the monotonic clock (a step of the wall clock
/// does not expire them all at once); a token another process put in a shared store is timed
/// by its wall-clock expiry, its lifetime taken as what was left when this source first saw it.
///
/// When the token operation fails, every caller waiting for that fetch gets the same
/// [`Error::Token`], and the operation is not asked again for a pause (1 s, doubling with
/// each further failure up to 30 s, back to 1 s after a success): calls in the pause fail at
/// once with the last failure. A token being replaced ahead of its expiry keeps serving
/// calls while its replacement cannot be fetched, until it expires.
///
/// With a store shared by several processes that takes fleet-wide fetch locks
/// ([`TokenStore::lock_fetch`], as the `redis` feature's `RedisTokenStore` does), one process
/// of the fleet fetches while the others wait for its token: they read the store again after
/// 10 ms, doubling the pause up to 200 ms, and take the lock themselves when it is free again
/// (its holder failed, or died and its lock expired after
/// [`fetch_lock_ttl`](Self::fetch_lock_ttl)). A caller that has waited twice the lock's time
/// to live fetches its own token; one whose token is only being refreshed ahead of expiry
/// does not wait and uses it.
pub struct FetchedToken {
    fetch: Box<Fetch>,
    key: TokenKey,
    store: Arc<dyn TokenStore>,
    refresh_ahead: Duration,
    fetch_lock_ttl: Duration,
    /// Per cache key, held while fetching, so that one fetch per key runs at a time while
    /// the tokens of different tenants are fetched side by side.
    refreshing: Mutex<BTreeMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Per cache key: the token last seen there, timed on the monotonic clock, and the failure
    /// of the last fetch if it failed. A plain mutex, so that a call in a failure's pause fails
    /// without waiting for another tenant's fetch.
    seen: Mutex<BTreeMap<String, Seen>>,
}

/// What a [`FetchedToken`] knows about one cache key.
#[derive(Default)]
struct Seen {
    /// The token last seen or fetched under the key.
    token: Option<Timed>,
    /// The last fetch's failure, if it failed.
    failure: Option<Failure>,
}

/// A cached token as [`FetchedToken::fresh`] finds it.
enum Cached {
    /// More than its margin is left.
    Fresh(Secret),
    /// To be replaced: the token if it has not expired yet, and the refresh token kept with it.
    Stale {
        valid: Option<Secret>,
        refresh_token: Option<Secret>,
    },
}

/// A token with its expiry on the monotonic clock and the margin it is replaced at.
struct Timed {
    token: Secret,
    expires: Instant,
    margin: Duration,
}

/// A failed fetch: what callers get until `until`.
struct Failure {
    error: Arc<Error>,
    /// Failures in a row, for the growing pause.
    failures: u32,
    /// When the token operation may be asked again.
    until: Instant,
}

impl Failure {
    /// The error a call gets: the token operation's failure, shared.
    fn error(&self) -> Error {
        Error::Token {
            // The client names its own operation here (`Error::in_call`).
            operation: self.error.operation(),
            token_operation: self.error.operation(),
            // Whole milliseconds (rounded up), for a readable message.
            retry_after: Duration::from_millis(
                self.until
                    .saturating_duration_since(Instant::now())
                    .as_nanos()
                    .div_ceil(1_000_000)
                    .try_into()
                    .unwrap_or(u64::MAX),
            ),
            source: Arc::clone(&self.error),
        }
    }
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

    /// How long a fleet-wide fetch lock is held at most by default: longer than a token
    /// operation takes, short enough that the fleet does not wait long for a holder that died.
    pub const DEFAULT_FETCH_LOCK_TTL: Duration = Duration::from_secs(10);

    /// A source that calls `fetch` with the client when it needs a token, caching the result
    /// under `key` (per tenant of the calling client).
    pub fn new<F>(key: TokenKey, fetch: F) -> Self
    where
        F: Fn(Client) -> BoxFuture<'static, Result<IssuedToken, Error>> + Send + Sync + 'static,
    {
        Self::renewing(key, move |client, _refresh| fetch(client))
    }

    /// A source whose tokens come with a refresh token: `fetch` receives the refresh token of
    /// the token being replaced (none for the first fetch, or when the store kept none) and
    /// renews with it.
    pub fn renewing<F>(key: TokenKey, fetch: F) -> Self
    where
        F: Fn(Client, Option<Secret>) -> BoxFuture<'static, Result<IssuedToken, Error>>
            + Send
            + Sync
            + 'static,
    {
        Self {
            fetch: Box::new(fetch),
            key,
            store: Arc::new(InMemoryTokenStore::default()),
            refresh_ahead: Self::DEFAULT_REFRESH_AHEAD,
            fetch_lock_ttl: Self::DEFAULT_FETCH_LOCK_TTL,
            refreshing: Mutex::new(BTreeMap::new()),
            seen: Mutex::new(BTreeMap::new()),
        }
    }

    /// Caches tokens in `store` instead of this process's memory.
    pub fn store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = store;
        self
    }

    /// Replaces tokens this long before they expire (or, for tokens living less than three
    /// times as long, when a third of their lifetime is left).
    pub fn refresh_ahead(mut self, margin: Duration) -> Self {
        self.refresh_ahead = margin;
        self
    }

    /// Holds a fleet-wide fetch lock ([`TokenStore::lock_fetch`]) for at most `ttl`
    /// ([`Self::DEFAULT_FETCH_LOCK_TTL`] by default): if its holder dies, another process
    /// fetches after that long. Stores without fleet-wide locks ignore it.
    pub fn fetch_lock_ttl(mut self, ttl: Duration) -> Self {
        self.fetch_lock_ttl = ttl;
        self
    }

    /// Caches under another key.
    pub fn key(mut self, key: TokenKey) -> Self {
        self.key = key;
        self
    }

    /// The cache key of the calling client's token (its tenant's, for per-tenant tokens).
    pub fn cache_key(&self, client: &Client) -> String {
        self.key.for_client(client)
    }

    /// The longest lifetime a token is taken to have: longer (or absurd) lifetimes from a
    /// server are cut to it, so that expiry arithmetic cannot overflow.
    const MAX_LIFETIME: Duration = Duration::from_secs(365 * 24 * 3600);

    /// The first pause of a caller waiting for another process's fetch, doubled after each look.
    const FIRST_WAIT: Duration = Duration::from_millis(10);

    /// The longest pause between two looks of a caller waiting for another process's fetch.
    const MAX_WAIT: Duration = Duration::from_millis(200);

    /// The shortest pause after a failed fetch, doubled with each further failure.
    const FAILURE_PAUSE: Duration = Duration::from_secs(1);

    /// The longest pause after failed fetches.
    const MAX_FAILURE_PAUSE: Duration = Duration::from_secs(30);

    /// How long before its expiry a token living `lifetime` is replaced.
    fn margin(&self, lifetime: Duration) -> Duration {
        self.refresh_ahead.min(lifetime / 3)
    }

    /// The bookkeeping of all keys; a panic while it was held leaves it consistent.
    fn seen(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Seen>> {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The cached token under `key`, and whether it is fresh.
    async fn fresh(&self, key: &str) -> Cached {
        let Some(stored) = self.store.get(key).await else {
            return Cached::Stale {
                valid: None,
                refresh_token: None,
            };
        };
        let now = Instant::now();
        let mut seen = self.seen();
        let entry = seen.entry(key.to_owned()).or_default();
        let known = entry
            .token
            .as_ref()
            .filter(|timed| timed.token == stored.token);
        let (left, margin) = match known {
            Some(timed) => (timed.expires.saturating_duration_since(now), timed.margin),
            // Another process's token (or one this source has not timed yet): its wall-clock
            // expiry, and what is left of it now as its lifetime.
            None => {
                let left = stored
                    .expires_at
                    .duration_since(SystemTime::now())
                    .unwrap_or_default()
                    .min(Self::MAX_LIFETIME);
                let margin = self.margin(left);
                entry.token = Some(Timed {
                    token: stored.token.clone(),
                    expires: now + left,
                    margin,
                });
                (left, margin)
            }
        };
        if left > margin {
            Cached::Fresh(stored.token)
        } else {
            Cached::Stale {
                valid: (!left.is_zero()).then_some(stored.token),
                refresh_token: stored.refresh_token,
            }
        }
    }

    /// The cached token under `key` if it has not expired, fresh or not.
    async fn still_valid(&self, key: &str) -> Option<Secret> {
        match self.fresh(key).await {
            Cached::Fresh(token) => Some(token),
            Cached::Stale { valid, .. } => valid,
        }
    }

    /// The last failure under `key`, while the token operation is not to be asked again.
    fn paused(&self, key: &str) -> Option<Error> {
        let seen = self.seen();
        let failure = seen.get(key)?.failure.as_ref()?;
        (Instant::now() < failure.until).then(|| failure.error())
    }

    /// Records a failed fetch under `key` and returns the error for its callers.
    fn failed(&self, key: &str, error: Error) -> Error {
        let mut seen = self.seen();
        let entry = seen.entry(key.to_owned()).or_default();
        let failures = entry.failure.as_ref().map_or(0, |f| f.failures) + 1;
        let pause = Self::FAILURE_PAUSE
            .saturating_mul(1 << (failures - 1).min(16))
            .min(Self::MAX_FAILURE_PAUSE);
        tracing::debug!(key, failures, pause_ms = pause.as_millis() as u64, error = %error, "token fetch failed");
        let failure = Failure {
            error: Arc::new(error),
            failures,
            until: Instant::now() + pause,
        };
        let error = failure.error();
        entry.failure = Some(failure);
        error
    }

    async fn get(&self, client: &Client) -> Result<Secret, Error> {
        if self.key.per_tenant && client.tenant().is_none() {
            return Err(Error::Auth {
                operation: "token",
                message:
                    "this token is issued per tenant; call through the client's `for_tenant(id)`"
                        .to_owned(),
            });
        }
        let key = self.cache_key(client);
        let key = key.as_str();
        if let Cached::Fresh(token) = self.fresh(key).await {
            return Ok(token);
        }
        // While the token operation is not to be asked, a token that has not expired yet
        // still serves; without one, the call fails at once with the last failure.
        if let Some(error) = self.paused(key) {
            return self.still_valid(key).await.ok_or(error);
        }
        let lock = {
            // A poisoned map is still consistent: it only holds locks.
            let mut locks = self
                .refreshing
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(locks.entry(key.to_owned()).or_default())
        };
        let _fetching = lock.lock().await;
        // Another caller may have fetched while this one waited: use its token, or share its
        // failure instead of sending every waiting caller's fetch to a failing endpoint.
        let valid = match self.fresh(key).await {
            Cached::Fresh(token) => return Ok(token),
            Cached::Stale { valid, .. } => valid,
        };
        if let Some(error) = self.paused(key) {
            return valid.ok_or(error);
        }
        let owner = match self.lock_fleet(key, valid).await {
            Fleet::Token(token) => return Ok(token),
            Fleet::Fetch(owner) => owner,
        };
        let fetched = self.fetch_and_store(client, key).await;
        if let Some(owner) = owner {
            self.store.unlock_fetch(key, &owner).await;
        }
        fetched
    }

    /// Takes the fleet-wide fetch lock of `key`, or waits for the token of the process that
    /// holds it. `valid` is the cached token being refreshed ahead of expiry, if any: while
    /// another process refreshes it, it serves.
    async fn lock_fleet(&self, key: &str, valid: Option<Secret>) -> Fleet {
        let ttl = self.fetch_lock_ttl;
        let deadline = Instant::now() + ttl.saturating_mul(2);
        let mut pause = Self::FIRST_WAIT;
        loop {
            match self.store.lock_fetch(key, ttl).await {
                FetchLock::Acquired(owner) => return Fleet::Fetch(Some(owner)),
                FetchLock::Unshared => return Fleet::Fetch(None),
                FetchLock::Busy => {}
            }
            if let Some(token) = valid {
                return Fleet::Token(token);
            }
            let now = Instant::now();
            if now >= deadline {
                tracing::warn!(
                    key,
                    waited_ms = (ttl.saturating_mul(2)).as_millis() as u64,
                    "another process holds the fetch lock and stored no token in twice the lock's time to live; fetching without the lock"
                );
                return Fleet::Fetch(None);
            }
            tokio::time::sleep(pause.min(deadline - now)).await;
            pause = pause.saturating_mul(2).min(Self::MAX_WAIT);
            if let Cached::Fresh(token) = self.fresh(key).await {
                tracing::debug!(key, "token fetched by another process");
                return Fleet::Token(token);
            }
        }
    }

    /// Fetches `key`'s token (unless another process stored a fresh one since this caller
    /// looked) and stores it.
    async fn fetch_and_store(&self, client: &Client, key: &str) -> Result<Secret, Error> {
        // The lock's previous holder may have stored its token just before this caller took
        // the lock: use it.
        let (valid, refresh_token) = match self.fresh(key).await {
            Cached::Fresh(token) => return Ok(token),
            Cached::Stale {
                valid,
                refresh_token,
            } => (valid, refresh_token),
        };
        let issued = match (self.fetch)(client.clone(), refresh_token).await {
            Ok(issued) => issued,
            Err(error) => {
                let error = self.failed(key, error);
                return valid.ok_or(error);
            }
        };
        let lifetime = issued.expires_in.min(Self::MAX_LIFETIME);
        tracing::debug!(key, expires_in_s = lifetime.as_secs(), "token fetched");
        {
            let mut seen = self.seen();
            let entry = seen.entry(key.to_owned()).or_default();
            entry.failure = None;
            entry.token = Some(Timed {
                token: issued.token.clone(),
                expires: Instant::now() + lifetime,
                margin: self.margin(lifetime),
            });
        }
        let stored = StoredToken {
            token: issued.token.clone(),
            expires_at: SystemTime::now() + lifetime,
            refresh_token: issued.refresh_token,
        };
        self.store.put(key, stored).await;
        Ok(issued.token)
    }
}

/// What [`FetchedToken::lock_fleet`] leaves the caller with.
enum Fleet {
    /// Another process's token (or the still valid one being refreshed): no fetch.
    Token(Secret),
    /// Fetch, holding the fleet-wide lock under this owner if one was taken.
    Fetch(Option<LockOwner>),
}

impl TokenSource for FetchedToken {
    fn token<'a>(&'a self, client: &'a Client) -> BoxFuture<'a, Result<Secret, Error>> {
        Box::pin(self.get(client))
    }

    fn invalidate<'a>(&'a self, client: &'a Client, stale: &'a Secret) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let key = self.cache_key(client);
            self.store.remove(&key, stale).await;
        })
    }
}

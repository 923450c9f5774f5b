//! `RedisTokenStore` (cargo feature `redis`): fetched tokens shared by every process of a
//! fleet through Redis, with a fleet-wide fetch lock, compare-and-delete invalidation, and a
//! Redis outage taken as a cache miss rather than a failed call.
//!
//! It stands on redis-rs's tokio `ConnectionManager`: the client the Redis project keeps up to
//! date, whose one multiplexed connection serves concurrent callers and reconnects by itself
//! after the server went away, so a store outlives a Redis restart without help.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{RedisError, Script};

use crate::{BoxFuture, FetchLock, LockOwner, Secret, StoredToken, TokenStore};

/// Deletes the token hash `KEYS[1]` only if its `token` field is still `ARGV[1]`.
const REMOVE_IF_SAME: &str = r"
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
";

/// Deletes the lock `KEYS[1]` only if its value is still the owner `ARGV[1]`.
const UNLOCK_IF_OWNER: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
";

/// A [`TokenStore`] in Redis, shared by every process that opens it with the same URL and
/// prefix: one token fetch per key for the whole fleet, not one per process.
///
/// Layout, under the configurable [`prefix`](Self::prefix) (empty by default), for each
/// cache key (`opc:v1:...`, see [`TokenKey`](crate::TokenKey)):
///
/// - `<prefix><key>`: a hash with the fields `token`, `expires_at_ms` (the token's wall-clock
///   expiry in milliseconds since the Unix epoch) and, for tokens issued with one,
///   `refresh_token`. It expires with the token (`PEXPIRE` with the time it has left, so that
///   the clocks of Redis and of the process need not agree).
/// - `<prefix><key>:lock`: the fleet-wide fetch lock ([`TokenStore::lock_fetch`]), taken
///   with `SET NX PX <ttl>` and a random owner value `pid:<process id>:<random>`, released by a
///   Lua script that deletes it only for its owner; if its holder dies it expires after its
///   time to live and another process fetches.
///
/// Invalidation is compare-and-delete ([`TokenStore::remove`]): a Lua script deletes the
/// token only while Redis still holds the rejected one, so a process rejected with an old
/// token never removes the new token another process just stored.
///
/// **A Redis failure is a cache miss, never a failed call.** Every command has a short time
/// limit ([`command_timeout`](Self::command_timeout)); when one fails (connection refused,
/// timeout, server stopped) the store logs a `tracing` warning naming the failure and answers
/// as if Redis held nothing: the caller fetches its own token and its call succeeds. Meanwhile
/// the store serves the tokens this process itself stored or last read, so that an outage
/// costs each process one fetch per key rather than one per call. The connection is opened on
/// first use and reopened after failures, so a store can be created while Redis is down.
///
/// ```
/// use std::sync::Arc;
/// use open_platform_runtime::{FetchedToken, RedisStoreError, RedisTokenStore};
///
/// // `source` is a generated token request's, e.g.
/// // `auth::GetTokenRequest::new(app_key, app_secret).into_token_source()`.
/// fn shared(source: FetchedToken) -> Result<FetchedToken, RedisStoreError> {
///     let store = RedisTokenStore::open("redis://127.0.0.1:6379/")?.prefix("myapp:");
///     Ok(source.store(Arc::new(store)))
/// }
/// ```
pub struct RedisTokenStore {
    client: redis::Client,
    /// Created on first use, inside the tokio runtime that redis-rs spawns its tasks on.
    connection: tokio::sync::OnceCell<ConnectionManager>,
    prefix: String,
    command_timeout: Duration,
    remove_if_same: Script,
    unlock_if_owner: Script,
    /// The tokens this process stored or last read, served while Redis cannot be reached.
    local: Mutex<BTreeMap<String, StoredToken>>,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL is left out: it may carry a password.
        f.debug_struct("RedisTokenStore")
            .field("prefix", &self.prefix)
            .field("command_timeout", &self.command_timeout)
            .finish_non_exhaustive()
    }
}

/// Why a [`RedisTokenStore`] could not be created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedisStoreError {
    /// The URL is not a Redis URL this build can use (`redis://host:port/db`, or
    /// `redis+unix:///path`).
    #[error("invalid Redis URL: {reason}")]
    InvalidUrl {
        /// What is wrong with it (redis-rs's words; the URL itself is not repeated, as it may
        /// carry a password).
        reason: String,
    },
}

/// Why one Redis command did not give an answer; logged, never returned to a caller.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("{0}")]
    Redis(#[from] RedisError),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("not inside a tokio runtime, which the Redis connection needs")]
    NoRuntime,
}

impl RedisTokenStore {
    /// How long one Redis command may take by default before it counts as a failure (and the
    /// caller fetches its own token).
    pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_millis(500);

    /// A store on the Redis server at `url` (`redis://[:password@]host:port[/db]`). Nothing is
    /// sent yet: the connection is opened on first use (inside a tokio runtime).
    pub fn open(url: &str) -> Result<Self, RedisStoreError> {
        let client = redis::Client::open(url).map_err(|error| RedisStoreError::InvalidUrl {
            reason: error.to_string(),
        })?;
        Ok(Self {
            client,
            connection: tokio::sync::OnceCell::new(),
            prefix: String::new(),
            command_timeout: Self::DEFAULT_COMMAND_TIMEOUT,
            remove_if_same: Script::new(REMOVE_IF_SAME),
            unlock_if_owner: Script::new(UNLOCK_IF_OWNER),
            local: Mutex::new(BTreeMap::new()),
        })
    }

    /// Puts `prefix` before every Redis key of this store, so that applications (or test
    /// runs) sharing a Redis server keep apart.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Gives up on a Redis command (connecting included) after `timeout`
    /// ([`Self::DEFAULT_COMMAND_TIMEOUT`] by default), taking it as a cache miss.
    pub fn command_timeout(mut self, timeout: Duration) -> Self {
        self.command_timeout = timeout;
        self
    }

    fn token_key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    fn lock_key(&self, key: &str) -> String {
        format!("{}{key}:lock", self.prefix)
    }

    /// This process's copy of the tokens; a panic while it was held leaves it consistent.
    fn local(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, StoredToken>> {
        self.local
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The connection, created on first use.
    async fn connection(&self) -> Result<ConnectionManager, Failure> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Failure::NoRuntime);
        }
        let timeout = self.command_timeout;
        let manager = self
            .connection
            .get_or_try_init(|| async {
                // A short connection timeout and few, quick reconnection attempts: a caller
                // waits at most `timeout` anyway, and a new attempt starts with the next
                // command that fails.
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(timeout))
                    .set_response_timeout(Some(timeout))
                    .set_number_of_retries(1)
                    .set_min_delay(Duration::from_millis(10))
                    .set_max_delay(Duration::from_millis(100));
                ConnectionManager::new_lazy_with_config(self.client.clone(), config)
            })
            .await?;
        Ok(manager.clone())
    }

    /// `command` on the connection, within the command timeout.
    async fn run<T, F, Fut>(&self, command: F) -> Result<T, Failure>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = Result<T, RedisError>>,
    {
        let timeout = self.command_timeout;
        let answer = tokio::time::timeout(timeout, async {
            let connection = self.connection().await?;
            Ok::<_, Failure>(command(connection).await?)
        })
        .await;
        answer.unwrap_or(Err(Failure::Timeout(timeout)))
    }

    async fn try_get(&self, key: &str) -> Result<Option<StoredToken>, Failure> {
        let redis_key = self.token_key(key);
        let fields: BTreeMap<String, String> = self
            .run(|mut connection| async move {
                redis::cmd("HGETALL")
                    .arg(&redis_key)
                    .query_async(&mut connection)
                    .await
            })
            .await?;
        Ok(decode(fields))
    }

    async fn try_put(&self, key: &str, token: &StoredToken) -> Result<(), Failure> {
        let redis_key = self.token_key(key);
        let expires_at_ms = token
            .expires_at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
            });
        // Relative, so that Redis's clock need not agree with this process's; at least 1 ms,
        // as PEXPIRE 0 would delete it.
        let left_ms = token
            .expires_at
            .duration_since(SystemTime::now())
            .map_or(1, |left| {
                u64::try_from(left.as_millis()).unwrap_or(u64::MAX).max(1)
            });
        let mut pipe = redis::pipe();
        pipe.atomic()
            .cmd("DEL")
            .arg(&redis_key)
            .ignore()
            .cmd("HSET")
            .arg(&redis_key)
            .arg("token")
            .arg(token.token.expose())
            .arg("expires_at_ms")
            .arg(expires_at_ms)
            .ignore();
        if let Some(refresh) = &token.refresh_token {
            pipe.cmd("HSET")
                .arg(&redis_key)
                .arg("refresh_token")
                .arg(refresh.expose())
                .ignore();
        }
        pipe.cmd("PEXPIRE").arg(&redis_key).arg(left_ms).ignore();
        self.run(|mut connection| async move { pipe.query_async::<()>(&mut connection).await })
            .await
    }

    async fn try_remove(&self, key: &str, stale: &Secret) -> Result<(), Failure> {
        let redis_key = self.token_key(key);
        let mut invocation = self.remove_if_same.key(&redis_key);
        invocation.arg(stale.expose());
        self.run(
            |mut connection| async move { invocation.invoke_async::<i64>(&mut connection).await },
        )
        .await
        .map(drop)
    }

    async fn try_lock(&self, key: &str, ttl: Duration, owner: &LockOwner) -> Result<bool, Failure> {
        let lock_key = self.lock_key(key);
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let set: Option<String> = self
            .run(|mut connection| async move {
                redis::cmd("SET")
                    .arg(&lock_key)
                    .arg(owner.as_str())
                    .arg("NX")
                    .arg("PX")
                    .arg(ttl_ms)
                    .query_async(&mut connection)
                    .await
            })
            .await?;
        Ok(set.is_some())
    }

    async fn try_unlock(&self, key: &str, owner: &LockOwner) -> Result<(), Failure> {
        let lock_key = self.lock_key(key);
        let mut invocation = self.unlock_if_owner.key(&lock_key);
        invocation.arg(owner.as_str());
        self.run(
            |mut connection| async move { invocation.invoke_async::<i64>(&mut connection).await },
        )
        .await
        .map(drop)
    }
}

/// A token hash as [`RedisTokenStore::try_put`] writes it; `None` when it is missing or not
/// one (taken as a miss, so that the next fetch overwrites it).
fn decode(mut fields: BTreeMap<String, String>) -> Option<StoredToken> {
    if fields.is_empty() {
        return None;
    }
    let token = fields.remove("token");
    let expires_at_ms = fields
        .remove("expires_at_ms")
        .and_then(|ms| ms.parse::<u64>().ok());
    let (Some(token), Some(expires_at_ms)) = (token, expires_at_ms) else {
        tracing::warn!(
            "Redis token store: an entry lacks its `token` or a numeric `expires_at_ms`; taken as a cache miss"
        );
        return None;
    };
    Some(StoredToken {
        token: Secret::new(token),
        expires_at: UNIX_EPOCH + Duration::from_millis(expires_at_ms),
        refresh_token: fields.remove("refresh_token").map(Secret::new),
    })
}

impl TokenStore for RedisTokenStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<StoredToken>> {
        Box::pin(async move {
            match self.try_get(key).await {
                Ok(found) => {
                    let mut local = self.local();
                    match &found {
                        Some(token) => local.insert(key.to_owned(), token.clone()),
                        None => local.remove(key),
                    };
                    found
                }
                Err(failure) => {
                    let local = self.local().get(key).cloned();
                    tracing::warn!(
                        key,
                        error = %failure,
                        "Redis token store: reading the token failed; a cache miss in Redis, served from this process's own copy if it has one"
                    );
                    local
                }
            }
        })
    }

    fn put<'a>(&'a self, key: &'a str, token: StoredToken) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let result = self.try_put(key, &token).await;
            self.local().insert(key.to_owned(), token);
            if let Err(failure) = result {
                tracing::warn!(
                    key,
                    error = %failure,
                    "Redis token store: storing the token failed; other processes will fetch their own"
                );
            }
        })
    }

    fn remove<'a>(&'a self, key: &'a str, stale: &'a Secret) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            {
                let mut local = self.local();
                if local
                    .get(key)
                    .is_some_and(|current| current.token == *stale)
                {
                    local.remove(key);
                }
            }
            if let Err(failure) = self.try_remove(key, stale).await {
                tracing::warn!(
                    key,
                    error = %failure,
                    "Redis token store: removing the rejected token failed; it stays until it expires or is replaced"
                );
            }
        })
    }

    fn lock_fetch<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, FetchLock> {
        Box::pin(async move {
            let owner = LockOwner::random();
            match self.try_lock(key, ttl, &owner).await {
                Ok(true) => FetchLock::Acquired(owner),
                Ok(false) => FetchLock::Busy,
                Err(failure) => {
                    tracing::warn!(
                        key,
                        error = %failure,
                        "Redis token store: taking the fetch lock failed; fetching without it"
                    );
                    FetchLock::Unshared
                }
            }
        })
    }

    fn unlock_fetch<'a>(&'a self, key: &'a str, owner: &'a LockOwner) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if let Err(failure) = self.try_unlock(key, owner).await {
                tracing::warn!(
                    key,
                    error = %failure,
                    "Redis token store: releasing the fetch lock failed; it expires after its time to live"
                );
            }
        })
    }
}

//! Where access tokens come from.
//!
//! This is the seam for token management: a fetched, cached and refreshed token is another
//! implementation of [`TokenSource`], and the client calls `invalidate` when the platform
//! rejects a token.

use super::{BoxFuture, Error, Secret};

/// Supplies the access token for calls that need one.
pub trait TokenSource: Send + Sync + 'static {
    /// The token to use now.
    fn token(&self) -> BoxFuture<'_, Result<Secret, Error>>;

    /// Called when the platform rejected `stale` as invalid or expired; a caching source drops
    /// it so that the next call fetches a fresh one.
    fn invalidate(&self, _stale: &Secret) {}
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
    fn token(&self) -> BoxFuture<'_, Result<Secret, Error>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

//! Values a platform pushes to the app that later requests need: DingTalk sends its ISV apps
//! the suite ticket (`suite_ticket` event) every few minutes, and the corporation token request
//! is signed with the latest one. The receivers put each pushed value here; token sources read
//! the latest at every fetch.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

/// The latest value pushed under each name, shared by clones: give one to the client
/// ([`ClientBuilder::pushed_values`](crate::ClientBuilder::pushed_values)) and the same to the
/// event receiver.
#[derive(Debug, Clone, Default)]
pub struct PushedValues {
    values: Arc<RwLock<BTreeMap<String, String>>>,
}

impl PushedValues {
    /// An empty set of values.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps `value` as the latest under `name`.
    pub fn set(&self, name: &str, value: &str) {
        // A writer that panicked left the map whole (inserts do not unwind halfway), so the
        // poison is cleared rather than turned into a failure of every later call.
        let mut values = self.values.write().unwrap_or_else(|p| p.into_inner());
        values.insert(name.to_owned(), value.to_owned());
    }

    /// The latest value pushed under `name`, if any.
    pub fn get(&self, name: &str) -> Option<String> {
        let values = self.values.read().unwrap_or_else(|p| p.into_inner());
        values.get(name).cloned()
    }
}

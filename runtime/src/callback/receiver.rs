//! The framework-agnostic receiver: from the three parts of a callback request (its query,
//! headers and body) to the platform's typed event and the reply to send back.

use std::marker::PhantomData;
use std::time::SystemTime;

use reqwest::header::HeaderMap;

use super::{CallbackCrypto, CallbackError, CallbackQuery};
use crate::{EventError, Events, PushedValues};

/// Receives a platform's encrypted HTTP callbacks as its typed events `E` (the generated
/// `Event` enum of the platform, such as `dingtalk::events::Event`).
#[derive(Debug, Clone)]
pub struct Receiver<E> {
    crypto: CallbackCrypto,
    pushed: Option<PushedValues>,
    events: PhantomData<fn() -> E>,
}

/// The response to send for a callback that was received: DingTalk requires the encrypted
/// `success` in a JSON body, or it delivers the event again.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reply {
    /// The body, JSON.
    pub body: String,
}

impl Reply {
    /// The body's content type.
    pub const CONTENT_TYPE: &'static str = "application/json";
}

/// Why a callback was not received.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiveError {
    /// The request is not a genuine, fresh callback of this app: a bad or missing signature,
    /// a stale timestamp, another owner, a body that does not decrypt. Answer it with an
    /// error status (a forged request learns nothing more).
    #[error("not a callback of this app: {0}")]
    Callback(#[from] CallbackError),
    /// The callback is genuine but its event does not decode (not JSON, no event type, or a
    /// declared event whose payload does not fit its model).
    #[error("the callback's event does not decode: {0}")]
    Event(#[from] EventError),
}

impl<E: Events> Receiver<E> {
    /// A receiver of the callbacks that `crypto` (the app's token, EncodingAESKey and owner
    /// id) checks and decrypts.
    pub fn new(crypto: CallbackCrypto) -> Self {
        Self {
            crypto,
            pushed: None,
            events: PhantomData,
        }
    }

    /// Keeps the values events push (DingTalk's suite ticket) in `values`: give the same to
    /// the client (`ClientBuilder::pushed_values`), whose token requests then use them.
    pub fn pushed_values(mut self, values: PushedValues) -> Self {
        self.pushed = Some(values);
        self
    }

    /// The event a callback carries and the reply to send: `query` is the request's query
    /// string (`signature`, `timestamp`, `nonce`), `headers` its headers (DingTalk's scheme
    /// reads none; they are taken so that a receiver's signature does not change for schemes
    /// that sign in headers), `body` its body (`{"encrypt": "..."}`).
    pub fn handle(
        &self,
        query: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(E, Reply), ReceiveError> {
        self.handle_at(query, headers, body, SystemTime::now())
    }

    /// [`handle`](Self::handle) with the time the timestamp window is measured from.
    pub fn handle_at(
        &self,
        query: &str,
        _headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(E, Reply), ReceiveError> {
        let pairs = query_pairs(query);
        let query = CallbackQuery::from_pairs(pairs)?;
        let json = self.crypto.decrypt_body(&query, body, now)?;
        let event = E::from_json(&json)?;
        if let (Some(values), Some((name, value))) = (&self.pushed, event.pushed_value()) {
            values.set(name, value);
        }
        let reply = self.crypto.success_reply(now)?;
        Ok((
            event,
            Reply {
                body: reply.to_json(),
            },
        ))
    }
}

/// The decoded pairs of a query string (`a=1&b=%2F`), without a leading `?`.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// A query component, `+` as a space and percent-escapes decoded (invalid UTF-8 replaced: a
/// parameter mangled so is then refused by the signature check, never trusted).
fn decode(component: &str) -> String {
    let spaced = component.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::query_pairs;

    #[test]
    fn query_strings_decode() {
        assert_eq!(
            query_pairs("?signature=a%2Fb&timestamp=1&nonce=x+y&empty&&"),
            [
                ("signature".to_owned(), "a/b".to_owned()),
                ("timestamp".to_owned(), "1".to_owned()),
                ("nonce".to_owned(), "x y".to_owned()),
                ("empty".to_owned(), String::new()),
            ]
        );
        assert!(query_pairs("").is_empty());
    }
}

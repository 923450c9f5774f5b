//! Opening a stream connection: the `connections/open` call that registers the subscriptions
//! and returns a WebSocket endpoint with a one-time ticket, then the WebSocket handshake.

use std::fmt;
use std::time::Duration;

use reqwest::Url;
use serde::{Deserialize, Serialize};
use tokio::net::TcpStream;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{MessageKind, StreamError};
use crate::Secret;

/// The path of the call that opens a connection, below the base URL.
pub(crate) const OPEN_PATH: &str = "/v1.0/gateway/connections/open";

/// The topic of robot messages, the usual `CALLBACK` subscription.
pub const BOT_MESSAGE_TOPIC: &str = "/v1.0/im/bot/messages/get";

/// The start of a body quoted in an error.
const SNIPPET_CHARS: usize = 200;

/// The WebSocket of an open connection.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One subscription of a stream connection: the kind of push and its topic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Subscription {
    /// `EVENT` or `CALLBACK`.
    #[serde(rename = "type")]
    pub kind: MessageKind,
    /// The topic: `*` for events (DingTalk accepts nothing else for them: the events
    /// themselves are chosen in the developer console), the callback's topic for callbacks.
    pub topic: String,
}

impl Subscription {
    /// Every event subscribed in the developer console: `EVENT` `*`.
    pub fn events() -> Self {
        Self {
            kind: MessageKind::Event,
            topic: "*".to_owned(),
        }
    }

    /// A `CALLBACK` topic, such as `/v1.0/card/instances/callback`.
    pub fn callback(topic: impl Into<String>) -> Self {
        Self {
            kind: MessageKind::Callback,
            topic: topic.into(),
        }
    }

    /// Robot messages: `CALLBACK` [`BOT_MESSAGE_TOPIC`].
    pub fn bot_messages() -> Self {
        Self::callback(BOT_MESSAGE_TOPIC)
    }
}

/// What `connections/open` returned: where to connect, and the ticket that admits one
/// connection within 90 seconds.
///
/// `Debug` does not show the ticket.
#[derive(Clone)]
#[non_exhaustive]
pub struct GatewayConnection {
    /// The WebSocket endpoint (`wss://...`), without the ticket.
    pub endpoint: Url,
    /// The one-time ticket.
    pub ticket: Secret,
}

impl GatewayConnection {
    /// The URL to connect to: the endpoint with the query parameter `ticket` added.
    pub fn url(&self) -> Url {
        let mut url = self.endpoint.clone();
        url.query_pairs_mut()
            .append_pair("ticket", self.ticket.expose());
        url
    }
}

impl fmt::Debug for GatewayConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatewayConnection")
            .field("endpoint", &self.endpoint.as_str())
            .field("ticket", &self.ticket)
            .finish()
    }
}

/// Why `connections/open` gave no connection.
///
/// [`OpenError::is_retryable`] tells the failures that may heal (the network, the server's
/// own errors, rate limits, a body that is not the documented one) from those that will not
/// (a refused client id or secret: HTTP 400, 401, 403 and the other 4xx statuses).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// The request could not be sent or the response not read.
    #[error("cannot call {url}: {source}")]
    Transport {
        /// The URL called.
        url: String,
        /// What the HTTP client reported.
        #[source]
        source: reqwest::Error,
    },
    /// No response within the open timeout.
    #[error("{url} did not answer within {timeout:?}")]
    Timeout {
        /// The URL called.
        url: String,
        /// The timeout.
        timeout: Duration,
    },
    /// An HTTP status other than 200.
    #[error("{url} answered HTTP status {status}: {snippet}")]
    Status {
        /// The URL called.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The start of the body.
        snippet: String,
    },
    /// A 200 response whose body is not `{"endpoint": "wss://...", "ticket": "..."}`. The body
    /// is not quoted: it may hold a ticket.
    #[error("{url} answered with a body that is not an endpoint and a ticket: {message}")]
    Decode {
        /// The URL called.
        url: String,
        /// What is wrong with the body.
        message: String,
    },
}

impl OpenError {
    /// Whether trying again later may succeed: everything but an HTTP 4xx status other than
    /// 408 (request timeout) and 429 (too many requests).
    pub fn is_retryable(&self) -> bool {
        match self {
            OpenError::Status { status, .. } => {
                !(400..500).contains(status) || *status == 408 || *status == 429
            }
            OpenError::Transport { .. } | OpenError::Timeout { .. } | OpenError::Decode { .. } => {
                true
            }
        }
    }
}

/// The body of `connections/open`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OpenRequest<'a> {
    client_id: &'a str,
    client_secret: &'a str,
    subscriptions: &'a [Subscription],
    ua: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    local_ip: Option<&'a str>,
}

/// The answer of `connections/open`.
#[derive(Deserialize)]
struct OpenResponse {
    endpoint: String,
    ticket: String,
}

/// What the open call needs.
pub(crate) struct OpenCall<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) url: &'a Url,
    pub(crate) client_id: &'a str,
    pub(crate) client_secret: &'a Secret,
    pub(crate) subscriptions: &'a [Subscription],
    pub(crate) user_agent: &'a str,
    pub(crate) local_ip: Option<&'a str>,
    pub(crate) timeout: Option<Duration>,
}

impl OpenCall<'_> {
    /// Calls `connections/open`, within the timeout if there is one.
    pub(crate) async fn send(&self) -> Result<GatewayConnection, OpenError> {
        match self.timeout {
            Some(timeout) => tokio::time::timeout(timeout, self.send_unbounded())
                .await
                .unwrap_or_else(|_| {
                    Err(OpenError::Timeout {
                        url: self.url.to_string(),
                        timeout,
                    })
                }),
            None => self.send_unbounded().await,
        }
    }

    async fn send_unbounded(&self) -> Result<GatewayConnection, OpenError> {
        let url = self.url.to_string();
        let transport = |source| OpenError::Transport {
            url: url.clone(),
            source,
        };
        let body = OpenRequest {
            client_id: self.client_id,
            client_secret: self.client_secret.expose(),
            subscriptions: self.subscriptions,
            ua: self.user_agent,
            local_ip: self.local_ip,
        };
        let response = self
            .http
            .post(self.url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&body)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(transport)?;
        if status != 200 {
            return Err(OpenError::Status {
                url,
                status,
                snippet: snippet(&bytes),
            });
        }
        let decode = |message: String| OpenError::Decode {
            url: url.clone(),
            message,
        };
        let answer: OpenResponse =
            serde_json::from_slice(&bytes).map_err(|error| decode(error.to_string()))?;
        if answer.ticket.is_empty() {
            return Err(decode("the ticket is empty".to_owned()));
        }
        let endpoint = Url::parse(&answer.endpoint)
            .map_err(|error| decode(format!("the endpoint is not a URL: {error}")))?;
        if !matches!(endpoint.scheme(), "ws" | "wss") {
            return Err(decode(format!(
                "the endpoint {} is not a WebSocket URL",
                without_query(&endpoint)
            )));
        }
        Ok(GatewayConnection {
            endpoint,
            ticket: Secret::new(answer.ticket),
        })
    }
}

/// Connects the WebSocket of an opened connection, within the timeout if there is one.
pub(crate) async fn connect(
    gateway: &GatewayConnection,
    timeout: Option<Duration>,
) -> Result<Socket, StreamError> {
    let endpoint = without_query(&gateway.endpoint);
    let url = gateway.url();
    let handshake = tokio_tungstenite::connect_async(url.as_str());
    let result = match timeout {
        Some(limit) => match tokio::time::timeout(limit, handshake).await {
            Ok(result) => result,
            Err(_) => {
                return Err(StreamError::Connect {
                    endpoint,
                    source: format!("no handshake within {limit:?}").into(),
                })
            }
        },
        None => handshake.await,
    };
    match result {
        Ok((socket, _response)) => Ok(socket),
        Err(error) => Err(StreamError::Connect {
            endpoint,
            // tungstenite's error may quote the request URL, ticket included: keep only its
            // kind of failure.
            source: describe_ws_error(&error).into(),
        }),
    }
}

/// A WebSocket error in words that never quote the URL.
pub(crate) fn describe_ws_error(error: &tokio_tungstenite::tungstenite::Error) -> String {
    use tokio_tungstenite::tungstenite::Error;
    match error {
        Error::Http(response) => format!("HTTP status {}", response.status().as_u16()),
        Error::Url(_) => "the URL cannot be connected to".to_owned(),
        other => other.to_string(),
    }
}

/// A URL without its query, for messages and logs.
pub(crate) fn without_query(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.to_string()
}

/// The start of a body, for an error message.
fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut snippet: String = text.chars().take(SNIPPET_CHARS).collect();
    if text.chars().count() > SNIPPET_CHARS {
        snippet.push_str("...");
    }
    snippet
}

//! A whole call through the generated client against a local loopback server, and the same
//! call made by hand with reqwest and serde_json: the difference is what the runtime's
//! machinery costs a call (the token lookup, the envelope check, the retry and deadline
//! bookkeeping, the tracing spans).

use std::net::SocketAddr;

use axum::routing::post;
use axum::Router;
use open_platform_clients::dingtalk::{self, report};
use open_platform_clients::runtime::StaticToken;

use crate::hand;

pub const TOKEN: &str = "bench-token";

/// The answer of every call.
const ANSWER: &str = r#"{"errcode":0,"errmsg":"ok","count":3,"request_id":"4f7d7a5e8d"}"#;

/// Serves `report.get_unread_count`'s path on a free loopback port; returns its address.
pub async fn serve() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    let app = Router::new().route(
        "/topapi/report/getunreadcount",
        post(|| async { ([("content-type", "application/json")], ANSWER) }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    address
}

/// The generated client, with a fixed token and no rate budget (the budget's slot is the
/// `fleet` benchmark's subject).
pub fn generated_client(address: SocketAddr) -> dingtalk::Client {
    dingtalk::Client::builder()
        .server(format!("http://{address}"))
        .token(StaticToken::new(TOKEN))
        .without_rate_limits()
        .build()
        .expect("a client")
}

pub async fn generated_call(client: &dingtalk::Client) -> Option<i32> {
    client
        .report()
        .get_unread_count(report::GetUnreadCountRequest::new("user123"))
        .await
        .expect("the call succeeds")
        .count
}

/// What a hand-written client does: one reqwest client, the token in the query, a JSON body,
/// the envelope checked while decoding.
pub struct HandClient {
    http: reqwest::Client,
    url: String,
}

impl HandClient {
    pub fn new(address: SocketAddr) -> Self {
        Self {
            http: reqwest::Client::new(),
            url: format!("http://{address}/topapi/report/getunreadcount"),
        }
    }

    pub async fn call(&self) -> Option<i32> {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            userid: &'a str,
        }
        let response = self
            .http
            .post(&self.url)
            .query(&[("access_token", TOKEN)])
            .json(&Body { userid: "user123" })
            .send()
            .await
            .expect("the call is answered");
        let body = response.bytes().await.expect("a body");
        hand::unread_count(&body).expect("the call succeeds")
    }
}

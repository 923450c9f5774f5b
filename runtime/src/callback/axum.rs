//! A ready axum handler for encrypted callbacks (cargo feature `axum`).

use std::future::Future;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

use super::{ReceiveError, Receiver};
use crate::Events;

/// A router that receives callbacks POSTed to `/` (nest it where the platform posts them:
/// `Router::new().nest("/dingtalk/callback", router(receiver, on_event))`): each genuine
/// callback's event goes to `on_event`, and once it returns, the encrypted `success` reply is
/// sent. A forged, stale or foreign request is answered 403, an event that does not decode
/// 400 (with the reason in the body, and nothing sent to `on_event`).
pub fn router<E, F, Fut>(receiver: Receiver<E>, on_event: F) -> Router
where
    E: Events + Send + 'static,
    F: Fn(E) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let state = Arc::new((receiver, on_event));
    Router::new()
        .route(
            "/",
            post(
                |State(state): State<Arc<(Receiver<E>, F)>>,
                 RawQuery(query): RawQuery,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    let (receiver, on_event) = &*state;
                    match receiver.handle(query.as_deref().unwrap_or(""), &headers, &body) {
                        Ok((event, reply)) => {
                            on_event(event).await;
                            (
                                [(header::CONTENT_TYPE, super::Reply::CONTENT_TYPE)],
                                reply.body,
                            )
                                .into_response()
                        }
                        Err(err) => refused(&err),
                    }
                },
            ),
        )
        .with_state(state)
}

fn refused(err: &ReceiveError) -> Response {
    let status = match err {
        ReceiveError::Callback(_) => StatusCode::FORBIDDEN,
        _ => StatusCode::BAD_REQUEST,
    };
    tracing::warn!(error = %err, "callback refused");
    (status, err.to_string()).into_response()
}

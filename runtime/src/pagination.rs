//! Walking a paginated listing as a `Stream` of items, one page after another.
//!
//! Pages are fetched sequentially, never fanned out: parallel listing is what trips the
//! platforms' QPS bans. The walk ends on the operation's end signal (a `has_more` of false, an
//! absent or empty cursor, a short page), on an empty page, and with an error instead of a
//! loop when the server hands out a cursor it already gave.

use std::collections::{BTreeSet, VecDeque};
use std::pin::Pin;

use futures_util::stream::{self, Stream};

use super::{ApiRequest, Client, Error};

/// A stream of the items of every page of a listing.
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

/// A request of a paginated operation; implemented by the generated request types.
pub trait Paginated: ApiRequest + Clone + Send + 'static {
    /// One item of a page.
    type Item: Send + 'static;

    /// The cursor this request asks for, as text, to notice a server that repeats one.
    fn cursor(&self) -> String;

    /// Takes the items out of a page.
    fn take_items(response: &mut Self::Response) -> Vec<Self::Item>;

    /// Moves the request to the page after `response`, which held `items` items (`seen` in
    /// every page so far, this one included); `false` when `response` was the last page.
    fn advance(&mut self, response: &Self::Response, items: usize, seen: usize) -> bool;
}

struct Walk<R: Paginated> {
    client: Client,
    next: Option<R>,
    buffer: VecDeque<R::Item>,
    seen: BTreeSet<String>,
    /// Items received so far, for listings that end on a total count.
    received: usize,
    pending: Option<Error>,
}

impl Client {
    /// Every item of every page, starting at the page `request` asks for.
    pub fn stream<R>(&self, request: R) -> ItemStream<R::Item>
    where
        R: Paginated,
        R::Response: Send,
    {
        let walk = Walk {
            client: self.clone(),
            seen: BTreeSet::from([request.cursor()]),
            next: Some(request),
            buffer: VecDeque::new(),
            received: 0,
            pending: None,
        };
        Box::pin(stream::unfold(walk, step))
    }
}

async fn step<R>(mut walk: Walk<R>) -> Option<(Result<R::Item, Error>, Walk<R>)>
where
    R: Paginated,
    R::Response: Send,
{
    loop {
        if let Some(item) = walk.buffer.pop_front() {
            return Some((Ok(item), walk));
        }
        if let Some(error) = walk.pending.take() {
            return Some((Err(error), walk));
        }
        let request = walk.next.take()?;
        let mut response = match walk.client.send(request.clone()).await {
            Ok(response) => response,
            // The walk ends after an error: `next` is already empty.
            Err(error) => return Some((Err(error), walk)),
        };
        let items = R::take_items(&mut response);
        walk.received = walk.received.saturating_add(items.len());
        let mut next = request;
        if !items.is_empty() && next.advance(&response, items.len(), walk.received) {
            let cursor = next.cursor();
            if walk.seen.insert(cursor.clone()) {
                walk.next = Some(next);
            } else {
                walk.pending = Some(Error::RepeatedCursor {
                    operation: R::OPERATION.id,
                    cursor,
                });
            }
        }
        walk.buffer.extend(items);
    }
}

//! Walking a paginated listing one page after another, as a `Stream` of items or of whole
//! pages that say where to resume.
//!
//! Pages are fetched sequentially, never fanned out: parallel listing is what trips the
//! platforms' QPS bans. The walk ends on the operation's end signal (a `has_more` of false, an
//! absent or empty cursor, a short page), on an empty page, and with an error instead of a
//! loop when the server hands out a cursor it already gave. Both streams share that walk.

use std::collections::{BTreeSet, VecDeque};
use std::fmt;
use std::pin::Pin;

use futures_util::stream::{self, Stream};

use super::{ApiRequest, Client, Error};

/// A stream of the items of every page of a listing.
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

/// A stream of the pages of a listing, each with the request that fetches the next.
pub type PageStream<R> = Pin<Box<dyn Stream<Item = Result<Page<R>, Error>> + Send>>;

/// A request of a paginated operation; implemented by the generated request types.
pub trait Paginated: ApiRequest + Clone + Send + 'static {
    /// One item of a page.
    type Item: Send + 'static;

    /// The cursor, offset or page number this request asks for, as text: what to persist to
    /// resume a listing later, and how a server that repeats one is noticed.
    fn cursor(&self) -> String;

    /// Takes the items out of a page.
    fn take_items(response: &mut Self::Response) -> Vec<Self::Item>;

    /// Moves the request to the page after `response`, which held `items` items (`seen` in
    /// every page so far, this one included); `false` when `response` was the last page.
    fn advance(&mut self, response: &Self::Response, items: usize, seen: usize) -> bool;
}

/// One page of a listing, from [`Client::pages`].
#[non_exhaustive]
pub struct Page<R: Paginated> {
    /// The page's items, in the order the server sent them.
    pub items: Vec<R::Item>,
    /// The decoded response, with its items moved out into [`items`](Self::items): the
    /// page's other members (totals, flags, the next cursor as the server sent it).
    pub response: R::Response,
    /// The cursor, offset or page number of the request that fetched this page
    /// ([`Paginated::cursor`]).
    pub cursor: String,
    /// The request that fetches the next page: keep it (or its [`Paginated::cursor`]) to
    /// resume the listing after a restart by passing it to [`Client::pages`] or
    /// [`Client::stream`]. `None` after the last page, and after a page whose next cursor the
    /// server already gave, which the stream reports as [`Error::RepeatedCursor`] next.
    pub resume_from: Option<R>,
}

impl<R> fmt::Debug for Page<R>
where
    R: Paginated + fmt::Debug,
    R::Item: fmt::Debug,
    R::Response: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("items", &self.items)
            .field("response", &self.response)
            .field("cursor", &self.cursor)
            .field("resume_from", &self.resume_from)
            .finish()
    }
}

/// A page as the walk fetched it, before the caller's stream shapes it.
struct Fetched<R: Paginated> {
    items: Vec<R::Item>,
    response: R::Response,
    cursor: String,
}

/// The walk both streams share: the request for the next page and what ends the walk.
struct Walk<R: Paginated> {
    client: Client,
    next: Option<R>,
    seen: BTreeSet<String>,
    /// Items received so far, for listings that end on a total count.
    received: usize,
    pending: Option<Error>,
}

impl<R: Paginated> Walk<R> {
    fn new(client: &Client, request: R) -> Self {
        Self {
            client: client.clone(),
            seen: BTreeSet::from([request.cursor()]),
            next: Some(request),
            received: 0,
            pending: None,
        }
    }

    /// Fetches the page `next` asks for and moves `next` to the page after it; an error held
    /// back from the previous page comes first, and `None` once the walk is over. The walk
    /// ends after an error: `next` is empty by then.
    async fn fetch(&mut self) -> Option<Result<Fetched<R>, Error>> {
        if let Some(error) = self.pending.take() {
            return Some(Err(error));
        }
        let request = self.next.take()?;
        let cursor = request.cursor();
        let mut response = match self.client.send(request.clone()).await {
            Ok(response) => response,
            Err(error) => return Some(Err(error)),
        };
        let items = R::take_items(&mut response);
        self.received = self.received.saturating_add(items.len());
        let mut next = request;
        if !items.is_empty() && next.advance(&response, items.len(), self.received) {
            let next_cursor = next.cursor();
            if self.seen.insert(next_cursor.clone()) {
                self.next = Some(next);
            } else {
                self.pending = Some(Error::RepeatedCursor {
                    operation: R::OPERATION.id,
                    cursor: next_cursor,
                });
            }
        }
        Some(Ok(Fetched {
            items,
            response,
            cursor,
        }))
    }
}

/// The item stream's state: the walk and the items of the page being handed out.
struct Items<R: Paginated> {
    walk: Walk<R>,
    buffer: VecDeque<R::Item>,
}

impl Client {
    /// Every item of every page, starting at the page `request` asks for.
    pub fn stream<R>(&self, request: R) -> ItemStream<R::Item>
    where
        R: Paginated,
        R::Response: Send,
    {
        let items = Items {
            walk: Walk::new(self, request),
            buffer: VecDeque::new(),
        };
        Box::pin(stream::unfold(items, next_item))
    }

    /// Every page, starting at the page `request` asks for, each with the request that
    /// fetches the page after it ([`Page::resume_from`]). The walk is the item stream's:
    /// pages are fetched one after another, only when asked for, and the stream ends after
    /// the last page (which is yielded, items or none) or after an error.
    pub fn pages<R>(&self, request: R) -> PageStream<R>
    where
        R: Paginated,
        R::Response: Send,
    {
        Box::pin(stream::unfold(Walk::new(self, request), next_page))
    }
}

async fn next_item<R>(mut state: Items<R>) -> Option<(Result<R::Item, Error>, Items<R>)>
where
    R: Paginated,
    R::Response: Send,
{
    loop {
        if let Some(item) = state.buffer.pop_front() {
            return Some((Ok(item), state));
        }
        match state.walk.fetch().await? {
            Ok(page) => state.buffer.extend(page.items),
            Err(error) => return Some((Err(error), state)),
        }
    }
}

async fn next_page<R>(mut walk: Walk<R>) -> Option<(Result<Page<R>, Error>, Walk<R>)>
where
    R: Paginated,
    R::Response: Send,
{
    let page = walk.fetch().await?.map(|fetched| {
        let Fetched {
            items,
            response,
            cursor,
        } = fetched;
        Page {
            items,
            response,
            cursor,
            // Cloned rather than moved: the walk still needs it to fetch that page.
            resume_from: walk.next.clone(),
        }
    });
    Some((page, walk))
}

//! Paginated operations as streams of pages and of items.

use std::collections::HashSet;
use std::future::Future;

use futures_util::stream::{self, Stream, StreamExt};

use super::error::{excerpt, Error};
use super::response::ApiResponse;

/// An operation whose reply points at the next page. Generated from the
/// spec's `x-apigen-pagination`.
#[doc(hidden)]
pub trait Paginated: Clone {
    type Page;
    type Item;
    type Error;

    fn send_page(self) -> impl Future<Output = Result<ApiResponse<Self::Page>, Error<Self::Error>>>;

    /// The cursor of the next page, if there is one.
    fn next_cursor(page: &Self::Page) -> Option<String>;

    /// This request, for the page at `cursor`.
    fn with_cursor(self, cursor: String) -> Self;

    /// The items of a page.
    fn items(page: Self::Page) -> Vec<Self::Item>;
}

/// Where a stream of pages stands.
enum State<P: Paginated> {
    /// The next request, and the cursors already followed.
    Next(P, HashSet<String>),
    /// The error that ends the stream, after the page before it.
    Failed(Error<P::Error>),
    Done,
}

/// Every page, starting with `first`; stops after a page without a next
/// cursor or after an error. A cursor already followed (a server loop) ends
/// the stream with [`Error::RepeatedCursor`], so a listing cut short is not
/// taken for a complete one.
#[doc(hidden)]
pub fn pages<P: Paginated>(first: P) -> impl Stream<Item = Result<ApiResponse<P::Page>, Error<P::Error>>> {
    stream::unfold(State::Next(first, HashSet::new()), |state| async move {
        let (request, mut seen) = match state {
            State::Next(request, seen) => (request, seen),
            State::Failed(e) => return Some((Err(e), State::Done)),
            State::Done => return None,
        };
        match request.clone().send_page().await {
            Ok(page) => {
                let next = match P::next_cursor(page.body()).filter(|cursor| !cursor.is_empty()) {
                    None => State::Done,
                    Some(cursor) if seen.insert(cursor.clone()) => State::Next(request.with_cursor(cursor), seen),
                    Some(cursor) => State::Failed(Error::RepeatedCursor { cursor: excerpt(cursor.as_bytes()), pages: seen.len() + 1 }),
                };
                Some((Ok(page), next))
            }
            Err(e) => Some((Err(e), State::Done)),
        }
    })
}

/// Every item of every page.
#[doc(hidden)]
pub fn items<P: Paginated>(first: P) -> impl Stream<Item = Result<P::Item, Error<P::Error>>> {
    pages(first).flat_map(|page| {
        let items: Vec<Result<P::Item, Error<P::Error>>> = match page {
            Ok(page) => P::items(page.into_body()).into_iter().map(Ok).collect(),
            Err(e) => vec![Err(e)],
        };
        stream::iter(items)
    })
}

/// The value of query parameter `name` in `url`, which may be relative.
#[doc(hidden)]
pub fn query_value(url: &str, name: &str) -> Option<String> {
    let base = reqwest::Url::parse("http://relative.invalid/").ok()?;
    let url = base.join(url).ok()?;
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

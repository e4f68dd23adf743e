//! Paginated operations as streams of pages and of items.

use std::collections::HashSet;
use std::future::Future;

use futures_util::stream::{self, Stream, StreamExt};

use super::error::Error;
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

/// Every page, starting with `first`; stops after a page without a next
/// cursor, at a cursor already seen (a server loop), or after an error.
#[doc(hidden)]
pub fn pages<P: Paginated>(first: P) -> impl Stream<Item = Result<ApiResponse<P::Page>, Error<P::Error>>> {
    stream::unfold(Some((first, HashSet::new())), |state| async move {
        let (request, mut seen) = state?;
        match request.clone().send_page().await {
            Ok(page) => {
                let next = P::next_cursor(page.body())
                    .filter(|cursor| !cursor.is_empty() && seen.insert(cursor.clone()))
                    .map(|cursor| (request.with_cursor(cursor), seen));
                Some((Ok(page), next))
            }
            Err(e) => Some((Err(e), None)),
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

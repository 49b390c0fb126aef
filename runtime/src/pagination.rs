//! Cursor pagination as streams. The API always returns a cursor when `Limitation` is sent, so the
//! streams stop on a short or empty page, a missing cursor, or a cursor seen before, never costing a
//! request past the last page when that page is short.

use std::collections::HashSet;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::client::Client;
use super::error::Result;
use super::operation::Operation;

/// A paginated request: generated for operations with a `Limitation`.
pub trait PagedRequest: Operation + Clone + 'static {
    /// Sets `Limitation.Cursor` for the next page.
    fn set_cursor(&mut self, cursor: Option<String>);
    /// `Limitation.Count`: the page size asked for.
    fn page_size(&self) -> Option<u64>;
}

/// A page of a paginated operation.
pub trait PagedResponse {
    /// The cursor to continue from.
    fn cursor(&self) -> Option<&str>;
    /// How many items the page holds.
    fn item_count(&self) -> usize;
}

/// A page made of a single list of items.
pub trait PagedItems: PagedResponse {
    /// The type of the page's items.
    type Item: Send + 'static;
    /// The page's items, in order.
    fn into_items(self) -> Vec<Self::Item>;
}

type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send>>;

impl Client {
    /// The pages of a paginated operation, as a stream.
    pub fn pages<R>(&self, request: R) -> Pages<R>
    where
        R: PagedRequest,
        R::Response: PagedResponse,
    {
        Pages::new(self.clone(), request)
    }

    /// The items of a paginated operation, page after page, as a stream.
    pub fn items<R>(&self, request: R) -> Items<<R::Response as PagedItems>::Item>
    where
        R: PagedRequest,
        R::Response: PagedItems,
    {
        Items::new(self.pages(request))
    }
}

/// The pages of a paginated operation, in order. Ends after the first error.
pub struct Pages<R: PagedRequest> {
    inner: BoxStream<Result<R::Response>>,
}

/// The items of a paginated operation, page after page. Ends after the first error.
pub struct Items<T> {
    inner: BoxStream<Result<T>>,
}

struct State<R> {
    client: Client,
    request: R,
    seen: HashSet<String>,
}

impl<R> Pages<R>
where
    R: PagedRequest,
    R::Response: PagedResponse,
{
    fn new(client: Client, request: R) -> Self {
        let state = Some(State {
            client,
            request,
            seen: HashSet::new(),
        });
        let inner = futures_util::stream::unfold(state, |state| async move {
            let mut state = state?;
            let page = match state.client.send(&state.request).await {
                Ok(page) => page,
                Err(error) => return Some((Err(error), None)),
            };
            let next = next_cursor(&page, state.request.page_size(), &mut state.seen);
            let state = next.map(|cursor| {
                state.request.set_cursor(Some(cursor));
                state
            });
            Some((Ok(page), state))
        });
        Pages {
            inner: Box::pin(inner),
        }
    }
}

/// The cursor of the next page, or `None` when this page was the last.
fn next_cursor<P: PagedResponse>(
    page: &P,
    page_size: Option<u64>,
    seen: &mut HashSet<String>,
) -> Option<String> {
    let count = page.item_count();
    let cursor = page.cursor()?;
    if count == 0
        || page_size.is_some_and(|size| (count as u64) < size)
        || !seen.insert(cursor.to_string())
    {
        return None;
    }
    Some(cursor.to_string())
}

impl<R: PagedRequest> Stream for Pages<R> {
    type Item = Result<R::Response>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> Items<T> {
    fn new<R>(pages: Pages<R>) -> Self
    where
        R: PagedRequest,
        R::Response: PagedItems<Item = T>,
        T: Send + 'static,
    {
        use futures_util::StreamExt;
        let inner = pages.flat_map(|page| {
            let items: Vec<Result<T>> = match page {
                Ok(page) => page.into_items().into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            futures_util::stream::iter(items)
        });
        Items {
            inner: Box::pin(inner),
        }
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Page(usize, Option<&'static str>);
    impl PagedResponse for Page {
        fn cursor(&self) -> Option<&str> {
            self.1
        }
        fn item_count(&self) -> usize {
            self.0
        }
    }

    #[test]
    fn stops_on_short_empty_cursorless_or_repeated_pages() {
        let mut seen = HashSet::new();
        assert_eq!(
            next_cursor(&Page(10, Some("a")), Some(10), &mut seen),
            Some("a".into())
        );
        assert_eq!(
            next_cursor(&Page(10, Some("a")), Some(10), &mut seen),
            None,
            "repeated cursor"
        );
        assert_eq!(
            next_cursor(&Page(9, Some("b")), Some(10), &mut seen),
            None,
            "short page"
        );
        assert_eq!(
            next_cursor(&Page(0, Some("c")), None, &mut seen),
            None,
            "empty page"
        );
        assert_eq!(
            next_cursor(&Page(10, None), Some(10), &mut seen),
            None,
            "no cursor"
        );
        assert_eq!(
            next_cursor(&Page(10, Some("d")), None, &mut seen),
            Some("d".into())
        );
    }
}

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

/// A page holding the list the cursor pages over (and maybe other lists beside it).
pub trait PagedItems: PagedResponse {
    /// The type of the paged list's items.
    type Item: Send + 'static;
    /// Takes the paged list's items out of the page, in order, leaving the page's other lists in place.
    fn take_items(&mut self) -> Vec<Self::Item>;
}

/// A page whose paged list is its only list: its items are the whole page, so [`Client::items`] loses
/// nothing. Pages with other lists beside the paged one go through [`Client::batches`], which keeps them.
pub trait SingleListPage: PagedItems {}

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

    /// The items of a paginated operation whose pages hold one list, page after page, as a stream.
    pub fn items<R>(&self, request: R) -> Items<<R::Response as PagedItems>::Item>
    where
        R: PagedRequest,
        R::Response: SingleListPage,
    {
        Items::new(self.pages(request))
    }

    /// The pages of a paginated operation whose pages hold several lists, as batches: each page's items of
    /// the paged list beside the rest of that page (its other lists), so that no list is lost.
    pub fn batches<R>(&self, request: R) -> Batches<<R::Response as PagedItems>::Item, R::Response>
    where
        R: PagedRequest,
        R::Response: PagedItems + Send + 'static,
    {
        Batches::new(self.pages(request))
    }
}

/// One page of a paginated operation whose pages hold several lists: the items of the list the cursor pages
/// over, and the rest of the page beside them.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch<T, P> {
    /// The page's items of the paged list, in order.
    pub items: Vec<T>,
    /// The page with `items` taken out (its paged list left empty): every other list of the page (the
    /// side data the request's `Extent` asks for, say) and its cursor.
    pub rest: P,
}

impl<T, P: PagedItems<Item = T>> Batch<T, P> {
    /// Splits a page into its paged items and the rest.
    pub fn of_page(mut page: P) -> Self {
        let items = page.take_items();
        Batch { items, rest: page }
    }
}

/// The pages of a paginated operation, in order. Ends after the first error.
pub struct Pages<R: PagedRequest> {
    inner: BoxStream<Result<R::Response>>,
}

/// The items of a paginated operation whose pages hold one list, page after page. Ends after the first
/// error.
pub struct Items<T> {
    inner: BoxStream<Result<T>>,
}

/// The batches of a paginated operation whose pages hold several lists, one per page. Ends after the first
/// error.
pub struct Batches<T, P> {
    inner: BoxStream<Result<Batch<T, P>>>,
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
        R::Response: SingleListPage + PagedItems<Item = T>,
        T: Send + 'static,
    {
        use futures_util::StreamExt;
        let inner = pages.flat_map(|page| {
            let items: Vec<Result<T>> = match page {
                Ok(mut page) => page.take_items().into_iter().map(Ok).collect(),
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

impl<T, P> Batches<T, P>
where
    T: Send + 'static,
    P: PagedItems<Item = T> + Send + 'static,
{
    fn new<R>(pages: Pages<R>) -> Self
    where
        R: PagedRequest<Response = P>,
    {
        use futures_util::StreamExt;
        let inner = pages.map(|page| page.map(Batch::of_page));
        Batches {
            inner: Box::pin(inner),
        }
    }
}

impl<T, P> Stream for Batches<T, P> {
    type Item = Result<Batch<T, P>>;
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

    /// A page of two lists: `products` is paged, `extras` rides beside it.
    #[derive(Debug, PartialEq)]
    struct TwoLists {
        products: Vec<u32>,
        extras: Vec<&'static str>,
        cursor: Option<&'static str>,
    }
    impl PagedResponse for TwoLists {
        fn cursor(&self) -> Option<&str> {
            self.cursor
        }
        fn item_count(&self) -> usize {
            self.products.len()
        }
    }
    impl PagedItems for TwoLists {
        type Item = u32;
        fn take_items(&mut self) -> Vec<u32> {
            std::mem::take(&mut self.products)
        }
    }

    #[test]
    fn a_batch_keeps_the_other_lists_of_its_page() {
        let page = TwoLists {
            products: vec![1, 2],
            extras: vec!["a", "b", "c"],
            cursor: Some("2"),
        };
        let batch = Batch::of_page(page);
        assert_eq!(batch.items, vec![1, 2]);
        assert_eq!(
            batch.rest,
            TwoLists {
                products: vec![],
                extras: vec!["a", "b", "c"],
                cursor: Some("2"),
            },
            "the other list and the cursor stay; the paged list is not there twice"
        );
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

//! `testing` feature: a mock of the whole Mews Connector API for your integration's tests, on 127.0.0.1,
//! answering every operation with its documented response example.
//!
//! ```
//! use futures_util::TryStreamExt;
//! use mews_connector::testing::{MockServer, Reply};
//! use mews_connector::{Limitation, MessageThreadsGetAllRequest};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mews_connector::Result<()> {
//! let mock = MockServer::start().await;
//! let client = mock.client();
//!
//! // Every operation answers its documented example…
//! let request = MessageThreadsGetAllRequest::new(Limitation::new(100));
//! let example = client.message_threads().get_all(&request).await?;
//!
//! // …and a paginated one pages over what the test loads.
//! mock.load::<MessageThreadsGetAllRequest>(example.message_threads.iter().cycle().take(250).cloned());
//! let threads: Vec<_> = client.message_threads().get_all_items(request).try_collect().await?;
//! assert_eq!(threads.len(), 250);
//! assert_eq!(mock.request_count::<MessageThreadsGetAllRequest>(), 1 + 3);
//!
//! // Overrides: the next call fails as the API would.
//! mock.respond_once::<MessageThreadsGetAllRequest>(Reply::error(403, "Not allowed"));
//! let page = client.message_threads().get_all(&MessageThreadsGetAllRequest::new(Limitation::new(10))).await;
//! assert!(page.is_err());
//! # Ok(())
//! # }
//! ```
//!
//! See [`MockServer`] for the checks it makes, paging, overrides ([`Reply`]) and recorded requests.

pub use crate::generated::mock_routes::{Api, MockServer};
pub use crate::runtime::testing::{
    ACCESS_TOKEN, ApiMockServer, CLIENT_NAME, CLIENT_TOKEN, MAX_COUNT, MockApi, Paging, Reply,
    Route,
};

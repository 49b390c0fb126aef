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

pub use crate::runtime::testing::{
    ACCESS_TOKEN, CLIENT_NAME, CLIENT_TOKEN, MAX_COUNT, MockServer, Paging, Reply, Route,
};

impl MockServer {
    /// Starts a mock of every operation the enabled features compile, on the current tokio runtime.
    ///
    /// # Panics
    ///
    /// When 127.0.0.1 cannot be bound: no test can run without it.
    pub async fn start() -> MockServer {
        MockServer::start_with(crate::generated::mock_routes::ROUTES).await
    }

    /// A [`Client`](crate::Client) pointed at the mock, with its tokens and without the client-side rate
    /// limit (see [`MockServer::client_builder`] to change its settings).
    ///
    /// # Panics
    ///
    /// When the client cannot be built, which only a broken TLS set-up can cause.
    pub fn client(&self) -> crate::Client {
        self.runtime_client().into()
    }

    /// A [`ClientPool`](crate::ClientPool) pointed at the mock, without the client-side rate limit (see
    /// [`MockServer::pool_builder`] to change its settings); the mock accepts its own [`ACCESS_TOKEN`] and those
    /// given to [`MockServer::accept_access_tokens`].
    ///
    /// # Panics
    ///
    /// When the client cannot be built, which only a broken TLS set-up can cause.
    pub fn pool(&self) -> crate::ClientPool {
        #[allow(clippy::expect_used)] // Documented: nothing a test passes can make this fail.
        self.pool_builder()
            .build_pool()
            .expect("a client pool for the mock")
    }
}

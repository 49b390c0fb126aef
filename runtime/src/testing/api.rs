//! The mock of one generated crate's API: its table of routes and its `Client` type, which a generated marker
//! type names ([`MockApi`]), so that `MockServer::start()` and `MockServer::client()` need no argument.

use std::marker::PhantomData;
use std::ops::Deref;

use super::{MockServer, Route};
use crate::client::{Client, ClientPool};

/// A generated crate's API as the mock serves it. Each generated crate implements it on a marker type of its
/// `testing` module (`mews_connector::testing::Api`), whose `MockServer` is [`ApiMockServer`] of that type.
pub trait MockApi: 'static {
    /// The crate's generated client, which wraps the runtime's [`Client`].
    type Client: From<Client>;

    /// One route per operation the enabled features compile, with its documented response example.
    fn routes() -> &'static [Route];
}

/// A [`MockServer`] of every operation of the API `A`, handing out `A`'s own client. Everything else is the
/// [`MockServer`] it dereferences to.
pub struct ApiMockServer<A: MockApi> {
    server: MockServer,
    api: PhantomData<fn() -> A>,
}

impl<A: MockApi> ApiMockServer<A> {
    /// Starts a mock of every operation the enabled features compile, on the current tokio runtime.
    ///
    /// # Panics
    ///
    /// When 127.0.0.1 cannot be bound: no test can run without it.
    pub async fn start() -> Self {
        ApiMockServer {
            server: MockServer::start_with(A::routes()).await,
            api: PhantomData,
        }
    }

    /// A client pointed at the mock, with its tokens and without the client-side rate limit (see
    /// [`MockServer::client_builder`] to change its settings).
    ///
    /// # Panics
    ///
    /// When the client cannot be built, which only a broken TLS set-up can cause.
    pub fn client(&self) -> A::Client {
        self.server.runtime_client().into()
    }

    /// A client pool pointed at the mock, without the client-side rate limit (see
    /// [`MockServer::pool_builder`] to change its settings); the mock accepts its own
    /// [`ACCESS_TOKEN`](super::ACCESS_TOKEN) and those given to [`MockServer::accept_access_tokens`].
    ///
    /// # Panics
    ///
    /// When the client cannot be built, which only a broken TLS set-up can cause.
    pub fn pool(&self) -> ClientPool<A::Client> {
        #[allow(clippy::expect_used)] // Documented: nothing a test passes can make this fail.
        self.server
            .pool_builder()
            .build_pool()
            .expect("a client pool for the mock")
    }

    /// The mock itself, without the API's client type.
    pub fn into_inner(self) -> MockServer {
        self.server
    }
}

impl<A: MockApi> Deref for ApiMockServer<A> {
    type Target = MockServer;

    fn deref(&self) -> &MockServer {
        &self.server
    }
}

impl<A: MockApi> std::fmt::Debug for ApiMockServer<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.server.fmt(f)
    }
}

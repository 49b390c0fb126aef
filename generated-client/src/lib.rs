//! A typed client for the Mews Connector API, generated from its Markdown reference.
//!
//! Build a [`Client`] once, then call one async method per operation:
//!
//! ```no_run
//! # async fn demo() -> mews_connector::Result<()> {
//! use mews_connector::{Client, Environment, Limitation, MessageThreadsGetAllRequest};
//!
//! let client: Client = Client::builder(Environment::Demo, "client token", "access token", "MyApp 1.0.0").build()?;
//! let mut request = MessageThreadsGetAllRequest::new(Limitation::new(100));
//! request.message_thread_ids = Some(vec!["c1478ff9-80b7-4ea2-94fc-ae4e009e1463".into()]);
//! let page = client.message_threads().get_all(&request).await?;
//! for thread in &page.message_threads {
//!     println!("{}: {}", thread.id, thread.subject);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The types and methods are generated from `spec/` by `cargo xtask regen`; [`runtime`] is the
//! hand-written layer they call (transport, retries, errors, pagination, validation), the crate
//! `mews-connector-runtime` re-exported. With the `testing` feature, `testing::MockServer` is a mock of the
//! whole API for your own tests.
#![warn(missing_docs)]

pub use mews_connector_runtime as runtime;
#[cfg(feature = "testing")]
pub mod testing;

#[rustfmt::skip]
mod generated;

pub use generated::*;
pub use runtime::{CallOptions, ClientBuilder, Environment, Error, Result};

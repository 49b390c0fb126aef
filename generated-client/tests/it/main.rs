//! The client's tests, one binary, so that the whole API is linked once: the generated checks (every doc
//! example against the types, every operation on the `testing` mock), the mock through the client, the seed
//! operations, construction, events and money end to end, and the README's testing example. The runtime's own
//! tests are in its crate (`runtime/tests/it`).

// Test helpers fail loudly, like the tests themselves.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod construction;
mod decoding;
mod deprecated;
mod events;
mod mock;
mod money;
mod readme_testing;
mod seed_operations;
mod support;

/// Every JSON example of the docs checked against the generated types.
#[rustfmt::skip]
#[path = "generated/examples.rs"]
mod examples;

/// Every operation called on the `testing` mock through the client: its documented answer decodes.
#[rustfmt::skip]
#[path = "generated/mock.rs"]
mod operations_on_mock;

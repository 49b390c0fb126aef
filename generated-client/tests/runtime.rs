//! Loopback tests of the client runtime: retries, timeouts, faults, bodies, pagination, concurrency,
//! rate limits, many access tokens through one client, hooks, secrets and cancellation, against the loopback HTTP/1.1 server on 127.0.0.1 (the `loopback` crate).
//!
//! Each test asserts the exact outcome and how many requests the server saw.

// Test helpers (the server, the client factories) fail loudly, like the tests themselves.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

#[path = "runtime/ops.rs"]
mod ops;

#[path = "runtime/bodies.rs"]
mod bodies;
#[path = "runtime/cancellation.rs"]
mod cancellation;
#[path = "runtime/concurrency.rs"]
mod concurrency;
#[path = "runtime/faults.rs"]
mod faults;
#[path = "runtime/multi.rs"]
mod multi;
#[path = "runtime/requests.rs"]
mod requests;
#[path = "runtime/secrets.rs"]
mod secrets;
#[path = "runtime/statuses.rs"]
mod statuses;
#[path = "runtime/timeouts.rs"]
mod timeouts;

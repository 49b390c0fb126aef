//! The runtime's tests, one binary, linking the runtime alone (no generated API): against the loopback HTTP/1.1
//! server on 127.0.0.1 (the `loopback` crate), retries, timeouts, faults, bodies, pagination, concurrency, rate
//! limits, many access tokens through one client, hooks, secrets and cancellation; the webhook receiver kit on the
//! documented bodies; the WebSocket event stream against a tokio-tungstenite server.
//!
//! Each test asserts the exact outcome and how many requests the server saw.

// Test helpers (the server, the client factories) fail loudly, like the tests themselves.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod ops;

mod bodies;
mod cancellation;
mod concurrency;
mod faults;
mod multi;
mod requests;
mod secrets;
mod statuses;
mod timeouts;
mod webhook;
mod websocket;

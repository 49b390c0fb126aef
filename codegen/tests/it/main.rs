//! Integration tests of the generator: per-construct fixtures (IR, code and diagnostics snapshots),
//! determinism, and the real corpus.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // test code: failing loudly is the point

mod corpus;
mod determinism;
mod fixtures;
mod spec;
mod support;

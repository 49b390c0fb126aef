//! Integration tests of the generator: per-construct fixtures (IR, code and diagnostics snapshots),
//! determinism, and the real corpus.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // test code: failing loudly is the point

// Test code: a failed `unwrap` is a failed test (clippy's `allow-*-in-tests` does not cover helper functions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod corpus;
mod determinism;
mod diff;
mod fixtures;
mod spec;
mod support;

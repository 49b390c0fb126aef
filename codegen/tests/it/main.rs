//! Integration tests of the generator: per-construct fixtures (IR, code and diagnostics snapshots),
//! determinism, the diff, and the whole reference in `spec/`.
// Test code: a failed `unwrap` is a failed test (clippy's `allow-*-in-tests` does not cover helper functions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod determinism;
mod diff;
mod features;
mod fixtures;
mod fuzz_found;
mod malformed;
mod spec;
mod support;

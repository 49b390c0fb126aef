//! Integration tests of the generator: per-construct fixtures (IR, code and diagnostics snapshots),
//! determinism, and the real corpus.
#![cfg(test)] // Helpers outside `#[test]` functions may unwrap too (clippy.toml allows it in tests).

mod corpus;
mod determinism;
mod fixtures;
mod fuzz_found;
mod malformed;
mod spec;
mod support;

//! Integration tests of the generator: per-construct fixtures (IR, code and diagnostics snapshots),
//! determinism, and the real corpus.

mod corpus;
mod determinism;
mod fixtures;
mod fuzz_found;
mod malformed;
mod spec;
mod support;

//! End-to-end tests of the `xtask` binary: what `regen` writes (and never writes), that its output does not
//! depend on the host, what `diff` says of boxed and renamed items, that odd but valid pages generate a
//! crate that builds, that a real older version of the docs does too, and that a crate outside the workspace
//! builds against the client with only the pages it enables.
#![cfg(test)] // Helpers outside `#[test]` functions may unwrap too (clippy.toml allows it in tests).

mod compile;
mod diff;
mod downstream;
mod downstream_events;
mod history;
mod outputs;
mod support;

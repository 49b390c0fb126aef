//! End-to-end tests of the `xtask` binary: what `regen` writes (and never writes), that its output does not
//! depend on the host, and that odd but valid pages generate a crate that builds.
#![cfg(test)] // Helpers outside `#[test]` functions may unwrap too (clippy.toml allows it in tests).

mod compile;
mod outputs;
mod support;

//! End-to-end tests of the `xtask` binary: what `regen` writes (and never writes), that its output does not
//! depend on the host, that odd but valid pages generate a crate that builds, and that a real older version
//! of the docs does too.
#![cfg(test)] // Helpers outside `#[test]` functions may unwrap too (clippy.toml allows it in tests).

mod compile;
mod history;
mod outputs;
mod support;

//! A typed client for the Mews Connector API, generated from its Markdown reference.
#![warn(missing_docs)]

pub mod runtime;

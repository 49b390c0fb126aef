//! Cursor pagination: which operations are paginated and which response list their pages are made of.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::*;
use crate::names::{Case, ident};

/// `Limitation` (with `Cursor` and `Count`) in the request and `Cursor` in the response make an operation
/// paginated. Needs the fields' Rust names.
pub fn pagination(
    api: &Api,
    operation: &Operation,
    diagnostics: &mut Diagnostics,
) -> Option<Pagination> {
    let fields = |id: &TypeId| match api.types.get(id).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => Some(&s.fields),
        _ => None,
    };
    let request = fields(&operation.request)?;
    let limitation = request.iter().find(|f| f.wire_name == "Limitation")?;
    let limitation_fields = fields(limitation.ty.named()?)?;
    let cursor = limitation_fields.iter().find(|f| f.wire_name == "Cursor")?;
    let count = limitation_fields.iter().find(|f| f.wire_name == "Count")?;
    if !matches!(count.ty, TypeExpr::Integer | TypeExpr::Number)
        || !matches!(cursor.ty, TypeExpr::String)
    {
        return None;
    }
    let response = fields(&operation.response)?;
    let response_cursor = response
        .iter()
        .find(|f| f.wire_name == "Cursor" && f.ty == TypeExpr::String)?;
    let lists: Vec<&Field> = response
        .iter()
        .filter(|f| matches!(f.ty, TypeExpr::Array(_)))
        .collect();
    let items = match paged_list(&lists, response_cursor, &operation.resource) {
        Ok((list, evidence)) => match &list.ty {
            TypeExpr::Array(item) => Some(PagedList {
                field: list.rust_name.clone(),
                item: (**item).clone(),
                evidence,
                side_fields: response
                    .iter()
                    .filter(|f| {
                        f.rust_name != list.rust_name && f.rust_name != response_cursor.rust_name
                    })
                    .map(|f| SideField {
                        field: f.rust_name.clone(),
                        wire_name: f.wire_name.clone(),
                    })
                    .collect(),
            }),
            _ => None,
        },
        Err(candidates) => {
            let names = |fields: &[&Field]| {
                fields
                    .iter()
                    .map(|f| format!("`{}`", f.wire_name))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let message = if lists.is_empty() {
                format!(
                    "paginated operation `{}` returns no list to page over; no `_pages`/`_items` streams are generated",
                    operation.id
                )
            } else {
                format!(
                    "paginated operation `{}` returns several lists ({}) and the docs do not say which one the pages are made of; no `_pages`/`_items` streams are generated",
                    operation.id,
                    names(&candidates)
                )
            };
            // A discontinued operation gets no method, so no streams to miss.
            if operation.discontinued.is_none() {
                diagnostics.push(
                    Diagnostic::new(Code::PagedListUndecided, operation.span, message)
                        .with_related(response_cursor.span, "the response cursor")
                        .with_note("callers page by hand with `Limitation.Cursor`"),
                );
            }
            None
        }
    };
    Some(Pagination {
        limitation_field: limitation.rust_name.clone(),
        cursor_field: cursor.rust_name.clone(),
        count_field: count.rust_name.clone(),
        count_is_integer: count.ty == TypeExpr::Integer,
        response_cursor_field: response_cursor.rust_name.clone(),
        items,
    })
}

/// Why an operation whose request takes a `Limitation` is not paginated, reported with a
/// `limitation-not-paged` warning: the `Limitation` sits in mutually exclusive parameter sets (the streams
/// page one request type), it lacks a `Cursor` string or a `Count` number, or the response has no `Cursor`
/// string. Call it for an operation [`pagination`] found not paginated.
pub fn report_unpaged_limitation(api: &Api, operation: &Operation, diagnostics: &mut Diagnostics) {
    if operation.discontinued.is_some() {
        return;
    }
    let fields = |id: &TypeId| match api.types.get(id).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => Some(&s.fields),
        _ => None,
    };
    let limitation_of = |id: &TypeId| {
        fields(id).and_then(|fields| fields.iter().find(|f| f.wire_name == "Limitation"))
    };
    let (limitation, reason) = match api.types.get(&operation.request).map(|d| &d.kind) {
        Some(TypeKind::Struct(_)) => {
            let Some(limitation) = limitation_of(&operation.request) else {
                return;
            };
            let inner = limitation.ty.named().and_then(fields);
            let has = |name: &str, fits: &dyn Fn(&TypeExpr) -> bool| {
                inner
                    .is_some_and(|fields| fields.iter().any(|f| f.wire_name == name && fits(&f.ty)))
            };
            let reason = if !has("Cursor", &|t| *t == TypeExpr::String) {
                "its `Limitation` has no `Cursor` string to continue from"
            } else if !has("Count", &|t| {
                matches!(t, TypeExpr::Integer | TypeExpr::Number)
            }) {
                "its `Limitation` has no `Count` number"
            } else {
                let response_cursor = fields(&operation.response).is_some_and(|fields| {
                    fields
                        .iter()
                        .any(|f| f.wire_name == "Cursor" && f.ty == TypeExpr::String)
                });
                if response_cursor {
                    return;
                }
                "the response has no `Cursor` string to continue from"
            };
            (limitation, reason.to_string())
        }
        Some(TypeKind::OneOf(variants)) => {
            let mut with = variants.iter().filter_map(|v| limitation_of(&v.ty));
            let Some(limitation) = with.next() else {
                return;
            };
            let reason = format!(
                "its `Limitation` is inside the request's {} mutually exclusive parameter sets, and a stream pages one request type whose cursor it sets",
                variants.len()
            );
            (limitation, reason)
        }
        _ => return,
    };
    diagnostics.push(
        Diagnostic::new(
            Code::LimitationNotPaged,
            limitation.span,
            format!(
                "operation `{}` takes a `Limitation` but is not paginated: {reason}; no `_pages`/`_items` streams are generated",
                operation.id
            ),
        )
        .with_related(operation.span, "the operation")
        .with_note("callers page by hand with `Limitation.Cursor`; the rate limiter counts the calls as unpaginated"),
    );
}

/// The list the pages are made of, narrowing the response's lists by the evidence in order (each step
/// applies only when it keeps at least one): the only list; the lists not deprecated; the lists the cursor's
/// description names; the list named like the resource. Otherwise the lists left, to report.
fn paged_list<'a>(
    lists: &[&'a Field],
    cursor: &Field,
    resource: &str,
) -> Result<(&'a Field, ListEvidence), Vec<&'a Field>> {
    let mut candidates = lists.to_vec();
    if let [only] = candidates.as_slice() {
        return Ok((only, ListEvidence::OnlyList));
    }
    type Step = (ListEvidence, Box<dyn Fn(&Field) -> bool>);
    let noun = cursor_noun(&cursor.doc);
    let named_in_code = code_spans(&cursor.doc);
    let resource = resource.to_lowercase();
    let steps: [Step; 3] = [
        (
            ListEvidence::OnlyCurrentList,
            Box::new(|f: &Field| f.deprecated.is_none()),
        ),
        (
            ListEvidence::NamedByCursor,
            Box::new(move |f: &Field| {
                named_in_code.contains(&f.wire_name)
                    || noun.as_ref().is_some_and(|noun| names_list(noun, f))
            }),
        ),
        (
            ListEvidence::NamedLikeResource,
            Box::new(move |f: &Field| f.wire_name.to_lowercase() == resource),
        ),
    ];
    for (evidence, keeps) in steps {
        let kept: Vec<&Field> = candidates.iter().copied().filter(|f| keeps(f)).collect();
        match kept.as_slice() {
            [only] => return Ok((only, evidence)),
            [] => {}
            _ => candidates = kept,
        }
    }
    Err(candidates)
}

/// What the cursor says it identifies, as lower-case words: "Unique identifier of the last (and hence
/// oldest) outlet item returned" and "…of the last returned outlet item in…" give `outlet item`. `None` when
/// the description says something else, or only "item".
fn cursor_noun(doc: &Doc) -> Option<Vec<String>> {
    let text = doc.plain().to_lowercase();
    let sentence = text.split('.').next()?;
    let (_, rest) = sentence.split_once("the last ")?;
    let noun: Vec<String> = rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .skip_while(|w| matches!(*w, "returned" | "and" | "hence" | "oldest"))
        .take_while(|w| !matches!(*w, "returned" | "in" | "from" | "of" | "this"))
        .map(str::to_string)
        .collect();
    match noun.as_slice() {
        [] => None,
        [word] if word == "item" || word == "items" => None,
        _ => Some(noun),
    }
}

/// Code spans of a doc (`Counters` in "the last returned counter in `Counters`").
fn code_spans(doc: &Doc) -> Vec<String> {
    fn walk(inlines: &[DocInline], out: &mut Vec<String>) {
        for inline in inlines {
            match inline {
                DocInline::Code(text) => out.push(text.clone()),
                DocInline::Link { children, .. }
                | DocInline::Emph(children)
                | DocInline::Strong(children)
                | DocInline::Strike(children) => walk(children, out),
                DocInline::Text(_) | DocInline::Break => {}
            }
        }
    }
    let mut out = Vec::new();
    for paragraph in &doc.paragraphs {
        walk(paragraph, &mut out);
    }
    out
}

/// Whether a list's name is the noun, singular or plural (`OutletItems` for `outlet item`).
fn names_list(noun: &[String], field: &Field) -> bool {
    let name = ident(&field.wire_name, Case::Snake);
    let words: Vec<&str> = name.split('_').collect();
    let Some((last, head)) = noun.split_last() else {
        return false;
    };
    words.len() == noun.len()
        && words.iter().zip(head).all(|(a, b)| a == b)
        && words
            .last()
            .is_some_and(|w| *w == last || *w == plural(last))
}

/// The English plural of a lower-case word, for the regular cases list names use.
fn plural(word: &str) -> String {
    let consonant_y = word.strip_suffix('y').filter(|stem| {
        stem.chars()
            .last()
            .is_some_and(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u'))
    });
    if let Some(stem) = consonant_y {
        format!("{stem}ies")
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| word.ends_with(e))
    {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Doc {
        Doc {
            paragraphs: vec![vec![DocInline::Text(text.to_string())]],
        }
    }

    #[test]
    fn the_cursor_names_what_it_identifies() {
        let noun = |t: &str| cursor_noun(&doc(t)).map(|w| w.join(" "));
        assert_eq!(
            noun(
                "Unique identifier of the last and hence oldest outlet item returned. This can be used…"
            ),
            Some("outlet item".to_string())
        );
        assert_eq!(
            noun("Unique identifier of the last returned counter in Counters."),
            Some("counter".to_string())
        );
        assert_eq!(
            noun("Unique identifier of the last product category returned."),
            Some("product category".to_string())
        );
        assert_eq!(
            noun("Unique identifier of the last and hence oldest item returned."),
            None
        );
        assert_eq!(
            noun(
                "Unique identifier of the item one newer in time order than the items to be returned."
            ),
            None
        );
    }

    #[test]
    fn plurals() {
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("day"), "days");
        assert_eq!(plural("address"), "addresses");
        assert_eq!(plural("block"), "blocks");
    }
}
